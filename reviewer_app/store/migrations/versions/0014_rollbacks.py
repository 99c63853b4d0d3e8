"""rollbacks: a lead withdraws one version of a live app, the one approved before it is live again

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("artifacts", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("artifacts", sa.Column("withdrawn_by", sa.String(length=200), nullable=True))
    op.add_column("artifacts", sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("artifacts", "withdrawn_reason")
    op.drop_column("artifacts", "withdrawn_by")
    op.drop_column("artifacts", "withdrawn_at")
