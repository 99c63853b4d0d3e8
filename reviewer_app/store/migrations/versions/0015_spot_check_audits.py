"""spot-check audits: evidence frozen with each decision, the audit queue, notes to reviewers, reopening

Revision ID: 0015
Revises: 0014

A decision keeps the key of what its reviewer had before them (evidence_snapshots: canonical JSON by its
SHA-256, stored once however many decisions share it), written in the decision's own transaction. On
PostgreSQL that is a second record_decision function, with the snapshot's key and text as two more
arguments: it inserts the snapshot (if new) and the decision in the one round trip the first takes; the
first stays for clients that send none. A check constraint makes a snapshot's key the hash of its text.

Sampled decisions wait in audit_queue until a lead audits them; audit_sample_days says the day's
automatic sample was taken. reviewer_notes carries a lead's word to a reviewer about a decision.
reopen_submission() puts a decided submission back into the queue with a fresh deadline: it runs with
its owner's rights (a reviewer's grants only move claims), and only leads may call it (roles.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

DECIDE_WITH_EVIDENCE = """
CREATE FUNCTION record_decision(
    p_id text, p_submission_id integer, p_reviewer text, p_decided_at timestamptz, p_verdict text,
    p_reason_codes json, p_message text, p_lease interval, p_evidence_sha256 text, p_evidence text
) RETURNS boolean LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM 1 FROM submissions
     WHERE id = p_submission_id AND status IN ('pending', 'escalated')
       AND claimed_by = p_reviewer AND lease_until >= now()
       FOR UPDATE;
    IF NOT FOUND THEN
        UPDATE submissions SET claimed_by = p_reviewer, lease_until = now() + p_lease
         WHERE id = p_submission_id AND status IN ('pending', 'escalated')
           AND (claimed_by IS NULL OR claimed_by = p_reviewer OR lease_until < now());
        IF NOT FOUND THEN
            RETURN false;
        END IF;
    END IF;
    IF p_evidence_sha256 IS NOT NULL THEN
        INSERT INTO evidence_snapshots (sha256, body, created_at) VALUES (p_evidence_sha256, p_evidence, now())
        ON CONFLICT (sha256) DO NOTHING;
    END IF;
    INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes, message, evidence_sha256)
    VALUES (p_id, p_submission_id, p_reviewer, p_decided_at, p_verdict, p_reason_codes, p_message, p_evidence_sha256);
    RETURN true;
END $$
"""
DECIDE_SIGNATURE = "record_decision(text, integer, text, timestamptz, text, json, text, interval, text, text)"

REOPEN = """
CREATE FUNCTION reopen_submission(p_id integer, p_deadline timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE submissions SET status = 'pending', deadline = p_deadline, claimed_by = NULL, lease_until = NULL,
           row_version = row_version + 1
     WHERE id = p_id AND status IN ('approved', 'rejected');
    RETURN FOUND;
END $$
"""
REOPEN_SIGNATURE = "reopen_submission(integer, timestamptz)"


def upgrade() -> None:
    op.create_table(
        "evidence_snapshots",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_evidence_snapshots")),
    )
    op.add_column("decisions", sa.Column("evidence_sha256", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("sampled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sampled_by", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("why", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("audit_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint("state IN ('open', 'done')", name=op.f("ck_audit_queue_state_valid")),
        sa.CheckConstraint("why IN ('rate', 'stratum', 'new_reviewer')", name=op.f("ck_audit_queue_why_valid")),
        sa.ForeignKeyConstraint(["audit_id"], ["audits.id"], name=op.f("fk_audit_queue_audit_id_audits")),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"], name=op.f("fk_audit_queue_decision_id_decisions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_queue")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_audit_queue_decision_id")),
    )
    op.create_index("ix_audit_queue_state", "audit_queue", ["state", "sampled_at", "id"], unique=False)
    op.create_table(
        "audit_sample_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_audit_sample_days")),
    )
    op.create_table(
        "reviewer_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_reviewer", sa.String(length=200), nullable=False),
        sa.Column("from_reviewer", sa.String(length=200), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_reviewer_notes_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_notes")),
    )
    op.create_index("ix_reviewer_notes_to", "reviewer_notes", ["to_reviewer", "read_at", "id"], unique=False)

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER evidence_snapshots_no_{action.lower()} BEFORE {action} ON evidence_snapshots "
                "BEGIN SELECT RAISE(ABORT, 'evidence_snapshots are append-only'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE evidence_snapshots ADD CONSTRAINT ck_evidence_snapshots_content_hash "
            "CHECK (sha256 = encode(sha256(convert_to(body, 'UTF8')), 'hex'))"
        )
        op.execute(
            "CREATE TRIGGER evidence_snapshots_append_only BEFORE UPDATE OR DELETE ON evidence_snapshots "
            "FOR EACH ROW EXECUTE FUNCTION forbid_change()"
        )
        op.execute(
            "CREATE TRIGGER evidence_snapshots_no_truncate BEFORE TRUNCATE ON evidence_snapshots "
            "EXECUTE FUNCTION forbid_change()"
        )
        op.execute(DECIDE_WITH_EVIDENCE)
        op.execute(REOPEN)
        op.execute(f"REVOKE ALL ON FUNCTION {REOPEN_SIGNATURE} FROM PUBLIC")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS evidence_snapshots_no_update")
        op.execute("DROP TRIGGER IF EXISTS evidence_snapshots_no_delete")
    elif bind.dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {REOPEN_SIGNATURE}")
        op.execute(f"DROP FUNCTION IF EXISTS {DECIDE_SIGNATURE}")
        op.execute("DROP TRIGGER IF EXISTS evidence_snapshots_append_only ON evidence_snapshots")
        op.execute("DROP TRIGGER IF EXISTS evidence_snapshots_no_truncate ON evidence_snapshots")
    op.drop_index("ix_reviewer_notes_to", table_name="reviewer_notes")
    op.drop_table("reviewer_notes")
    op.drop_table("audit_sample_days")
    op.drop_index("ix_audit_queue_state", table_name="audit_queue")
    op.drop_table("audit_queue")
    op.drop_column("decisions", "evidence_sha256")
    op.drop_table("evidence_snapshots")
