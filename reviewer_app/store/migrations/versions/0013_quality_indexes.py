"""index decisions by time, and final decisions by submission: the quality dashboard over a period

Revision ID: 0013
Revises: 0011

The dashboard reads the decisions of a period (ix_decisions_decided_at; with the submission, so the oldest
submission they decide is read from the index alone) and asks of each final one whether its submission had
an earlier final decision (ix_decisions_final, partial: approvals and rejections only).
Without them a 30-day period of a million decisions reads the whole table, and the probe reads every
decision of the submission from the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

FINAL_VERDICT = "verdict IN ('approve', 'reject')"


def upgrade() -> None:
    # Plain CREATE INDEX on both back ends: a batch operation could copy the table on SQLite, and the
    # decisions' triggers with it.
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at", "submission_id"], unique=False)
    op.create_index(
        "ix_decisions_final",
        "decisions",
        ["submission_id", "decided_at", "id"],
        unique=False,
        postgresql_where=sa.text(FINAL_VERDICT),
        sqlite_where=sa.text(FINAL_VERDICT),
    )


def downgrade() -> None:
    op.drop_index("ix_decisions_final", table_name="decisions")
    op.drop_index("ix_decisions_decided_at", table_name="decisions")
