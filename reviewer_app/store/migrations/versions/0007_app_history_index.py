"""index the submissions of an app: the History panel lists them without scanning the table

Revision ID: 0007
Revises: 0006

Opening a submission lists the other submissions of its app, newest first (Store._versions). Without an
index on app_id that reads every submission: about 2 s at a million, on the database worker, where every
other job of the window waits behind it.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_app", ["app_id", "submitted_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_app")
