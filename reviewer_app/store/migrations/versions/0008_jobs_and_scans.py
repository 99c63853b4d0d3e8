"""background jobs and malware scans: jobs, scans, the reputation blocklist, recall cases; apps can be withdrawn

Revision ID: 0008
Revises: 0007

Scans are work for workers, not for whoever opens a submission: filing a package queues a job, any worker
takes it (FOR UPDATE SKIP LOCKED), and the result is kept with the artifact. On PostgreSQL a scan row that
is written or updated notifies the submission's channel, and so does a change of a submission's red flags
(a scan adds its own), so every workstation shows results as they arrive.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

QUEUE_CHANGED = "OLD.status IS DISTINCT FROM NEW.status OR OLD.claimed_by IS DISTINCT FROM NEW.claimed_by"


def upgrade() -> None:
    op.create_table(
        "blocklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('sha256', 'certificate')", name=op.f("ck_blocklist_kind_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocklist")),
    )
    op.create_index("ux_blocklist_entry", "blocklist", ["kind", "value"], unique=True)
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_state_valid")),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_jobs_artifact_id_artifacts")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_jobs_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_due", "jobs", ["state", "priority", "run_after", "id"], unique=False)
    op.create_index(
        "ux_jobs_waiting",
        "jobs",
        ["kind", "artifact_id"],
        unique=True,
        postgresql_where=sa.text("state = 'queued'"),
        sqlite_where=sa.text("state = 'queued'"),
    )
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("policy", sa.String(length=32), nullable=False),
        sa.Column("gate", sa.String(length=8), nullable=True),
        sa.Column("gate_reason", sa.Text(), nullable=False),
        sa.Column("engines", sa.JSON(), nullable=False),
        sa.Column("engines_expected", sa.Integer(), nullable=False),
        sa.Column("malware_after_pass", sa.JSON(), nullable=True),
        sa.Column("signatures", sa.String(length=64), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint("gate IS NULL OR gate IN ('pass', 'block', 'hold')", name=op.f("ck_scans_gate_valid")),
        sa.CheckConstraint("state IN ('running', 'done', 'failed')", name=op.f("ck_scans_state_valid")),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_scans_artifact_id_artifacts")),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_scans_job_id_jobs")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_scans_submission_id_submissions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
    )
    op.create_index("ix_scans_artifact", "scans", ["artifact_id", "id"], unique=False)
    op.create_table(
        "recall_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("artifact_id", sa.Integer(), nullable=True),
        sa.Column("scan_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("source IN ('rescan', 'lead')", name=op.f("ck_recall_cases_source_valid")),
        sa.CheckConstraint("state IN ('open', 'recalled', 'dismissed')", name=op.f("ck_recall_cases_state_valid")),
        sa.ForeignKeyConstraint(["app_id"], ["apps.id"], name=op.f("fk_recall_cases_app_id_apps")),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_recall_cases_artifact_id_artifacts")),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], name=op.f("fk_recall_cases_scan_id_scans")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_recall_cases_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recall_cases")),
    )
    op.create_index("ix_recall_cases_state", "recall_cases", ["state", "opened_at"], unique=False)
    op.create_index(
        "ux_recall_cases_open",
        "recall_cases",
        ["artifact_id"],
        unique=True,
        postgresql_where=sa.text("state = 'open'"),
        sqlite_where=sa.text("state = 'open'"),
    )
    op.add_column("apps", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("apps", sa.Column("withdrawn_reason", sa.Text(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION notify_scan() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.submission_id IS NOT NULL THEN "
            "PERFORM pg_notify('reviewer_app_queue', NEW.submission_id::text); END IF; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER scans_notify AFTER INSERT OR UPDATE ON scans FOR EACH ROW EXECUTE FUNCTION notify_scan()"
        )
        _notify_on(QUEUE_CHANGED + " OR OLD.red_flags::text IS DISTINCT FROM NEW.red_flags::text")


def _notify_on(condition: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS submissions_notify_change ON submissions")
    op.execute(
        "CREATE TRIGGER submissions_notify_change AFTER UPDATE ON submissions FOR EACH ROW "
        f"WHEN ({condition}) EXECUTE FUNCTION notify_queue()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _notify_on(QUEUE_CHANGED)
        op.execute("DROP TRIGGER IF EXISTS scans_notify ON scans")
        op.execute("DROP FUNCTION IF EXISTS notify_scan()")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild of apps is not needed.
    op.drop_column("apps", "withdrawn_reason")
    op.drop_column("apps", "withdrawn_at")
    op.drop_index("ux_recall_cases_open", table_name="recall_cases")
    op.drop_index("ix_recall_cases_state", table_name="recall_cases")
    op.drop_table("recall_cases")
    op.drop_index("ix_scans_artifact", table_name="scans")
    op.drop_table("scans")
    op.drop_index("ux_jobs_waiting", table_name="jobs")
    op.drop_index("ix_jobs_due", table_name="jobs")
    op.drop_table("jobs")
    op.drop_index("ux_blocklist_entry", table_name="blocklist")
    op.drop_table("blocklist")
