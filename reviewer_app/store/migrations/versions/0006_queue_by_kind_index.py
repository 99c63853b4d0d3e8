"""index the queue by kind: the queue of some kinds only is read in order without touching the table

Revision ID: 0006
Revises: 0005

The queue is read page by page in deadline order (Store.queue_page), one ordered index range per status
that the database merges. With a kind filter, ix_submissions_queue (status, deadline, id) finds the rows
in order but must read every one of them from the table to learn its kind: about 7 s for a million open
submissions on SQLite. With (status, kind, deadline, id) each (status, kind) pair is one ordered range of
the index alone, and counting the filtered queue reads the index alone too.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_queue_kind", ["status", "kind", "deadline", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_queue_kind")
