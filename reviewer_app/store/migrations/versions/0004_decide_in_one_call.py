"""decide in one round trip on PostgreSQL: take (or keep) the claim and append the decision in one call

Revision ID: 0004
Revises: 0003

A workstation pushing a decision needs two statements in one transaction: keep (or retake) the claim,
then insert the decision. As separate statements that is five round trips with BEGIN, COMMIT and the
pool's ping; as one function call in autocommit it is one. The function runs with the caller's rights
(SECURITY INVOKER), so row-level security judges both statements exactly as when they are sent one by
one; each statement inside sees the one before, so the insert's policy sees the claim just taken.
SQLite runs the same two statements in a local transaction (repository.py) and needs nothing here.

Also: fresh planner statistics after a bulk import, which whoever files work may ask for (ANALYZE needs
the table's owner; the function runs as its owner and does nothing else).
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The taking rule is Store._takeable's: open, and free, expired or already the caller's.
CREATE = """
CREATE FUNCTION record_decision(
    p_id text, p_submission_id integer, p_reviewer text, p_decided_at timestamptz, p_verdict text,
    p_reason_codes json, p_message text, p_lease interval
) RETURNS boolean LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp AS $$
BEGIN
    -- Held by the caller already (the usual case): lock the row, no need to write it.
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
    INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes, message)
    VALUES (p_id, p_submission_id, p_reviewer, p_decided_at, p_verdict, p_reason_codes, p_message);
    RETURN true;
END $$
"""

REFRESH = """
CREATE FUNCTION refresh_queue_statistics() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$ BEGIN ANALYZE submissions; END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)
        op.execute(REFRESH)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS refresh_queue_statistics()")
        op.execute(
            "DROP FUNCTION IF EXISTS record_decision(text, integer, text, timestamptz, text, json, text, interval)"
        )
