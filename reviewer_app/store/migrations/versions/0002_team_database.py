"""team database: audits, recalls, settings; decisions move their submission inside the database

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPLY_STATUS = "CASE NEW.verdict WHEN 'approve' THEN 'approved' WHEN 'reject' THEN 'rejected' ELSE 'escalated' END"


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("auditor", sa.String(length=200), nullable=False),
        sa.Column("audited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("outcome IN ('agree', 'disagree')", name=op.f("ck_audits_outcome_valid")),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"], name=op.f("fk_audits_decision_id_decisions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audits_decision_id"), ["decision_id"], unique=False)
    op.create_table(
        "recalls",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("recalled_by", sa.String(length=200), nullable=False),
        sa.Column("recalled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_recalls_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recalls")),
    )
    with op.batch_alter_table("recalls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recalls_package"), ["package"], unique=False)
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_triggers()
    elif bind.dialect.name == "postgresql":
        _postgresql_triggers()


def _sqlite_triggers() -> None:
    for table in ("audits", "recalls"):
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    op.execute(
        "CREATE TRIGGER decisions_require_open BEFORE INSERT ON decisions "
        "WHEN (SELECT status FROM submissions WHERE id = NEW.submission_id) NOT IN ('pending', 'escalated') "
        "BEGIN SELECT RAISE(ABORT, 'submission is already decided'); END"
    )
    op.execute(
        "CREATE TRIGGER decisions_apply AFTER INSERT ON decisions BEGIN "
        f"UPDATE submissions SET status = {APPLY_STATUS}, claimed_by = NULL, lease_until = NULL, "
        "row_version = row_version + 1 WHERE id = NEW.submission_id; END"
    )


def _postgresql_triggers() -> None:
    for table in ("audits", "recalls"):
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION forbid_change()"
        )
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} EXECUTE FUNCTION forbid_change()")
    # Runs with the owner's rights: reviewers may not change a submission's status themselves, only by
    # inserting a decision, which row-level security lets them do only on what they hold.
    op.execute(
        "CREATE FUNCTION decision_require_open() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = public, pg_temp AS $$ DECLARE current_status text; BEGIN "
        "SELECT status INTO current_status FROM submissions WHERE id = NEW.submission_id FOR UPDATE; "
        "IF current_status IS NOT NULL AND current_status NOT IN ('pending', 'escalated') THEN "
        "RAISE EXCEPTION 'submission is already decided' USING ERRCODE = 'check_violation'; END IF; "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER decisions_require_open BEFORE INSERT ON decisions "
        "FOR EACH ROW EXECUTE FUNCTION decision_require_open()"
    )
    op.execute(
        "CREATE FUNCTION decision_apply() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = public, pg_temp AS $$ BEGIN "
        f"UPDATE submissions SET status = {APPLY_STATUS}, claimed_by = NULL, lease_until = NULL, "
        "row_version = row_version + 1 WHERE id = NEW.submission_id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER decisions_apply AFTER INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION decision_apply()"
    )
    # Every workstation LISTENs: claims, decisions and new submissions show up in all queues.
    op.execute(
        "CREATE FUNCTION notify_queue() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_notify('reviewer_app_queue', NEW.id::text); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER submissions_notify AFTER INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION notify_queue()"
    )
    # A lease renewal (the heartbeat) changes nothing another workstation shows: no notification for it.
    op.execute(
        "CREATE TRIGGER submissions_notify_change AFTER UPDATE ON submissions FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.claimed_by IS DISTINCT FROM NEW.claimed_by) "
        "EXECUTE FUNCTION notify_queue()"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in (
            "decisions_require_open",
            "decisions_apply",
            "audits_no_update",
            "audits_no_delete",
            "recalls_no_update",
            "recalls_no_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS submissions_notify ON submissions")
        op.execute("DROP TRIGGER IF EXISTS submissions_notify_change ON submissions")
        op.execute("DROP TRIGGER IF EXISTS decisions_apply ON decisions")
        op.execute("DROP TRIGGER IF EXISTS decisions_require_open ON decisions")
        op.execute("DROP FUNCTION IF EXISTS notify_queue()")
        op.execute("DROP FUNCTION IF EXISTS decision_apply()")
        op.execute("DROP FUNCTION IF EXISTS decision_require_open()")
    with op.batch_alter_table("recalls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recalls_package"))
    op.drop_table("settings")
    op.drop_table("recalls")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audits_decision_id"))
    op.drop_table("audits")
