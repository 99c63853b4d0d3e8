"""recall cases notify: every workstation hears of a recall case opened or closed elsewhere

Revision ID: 0018
Revises: 0017

A worker's re-scan opens a case, another lead recalls or dismisses one: lead mode's list and the Lead menu's
count follow within seconds instead of at the next minute's read. One notification per statement on the
queue's channel (which every workstation LISTENs to already), with the payload "recalls", which workstations
older than this revision ignore (they read submission ids only). SQLite has no LISTEN: its watcher sees every
commit anyway.
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION notify_recall_cases() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_notify('reviewer_app_queue', 'recalls'); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER recall_cases_notify AFTER INSERT OR UPDATE OR DELETE ON recall_cases "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_recall_cases()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS recall_cases_notify ON recall_cases")
    op.execute("DROP FUNCTION IF EXISTS notify_recall_cases()")
