"""audit trail: every action an append-only event, hash-chained, that only the table's owner can change

Revision ID: 0011
Revises: 0010

Each event's hash is SHA-256 over a canonical text of (id, at, actor, action, subject, details,
prev_hash), prev_hash being the hash of the event before it (64 zeros for the first): store/chain.py
says how, and `reviewer-app audit verify` recomputes it there.

On PostgreSQL a trigger writes the chain itself: whoever inserts gives action, subject and details; the
trigger takes a transaction-level advisory lock, reads the last event and sets id (the last + 1), at
(now()), actor (current_user), prev_hash and hash. So workstations appending at once never fork the
chain, and nobody can append in another's name or at another time. The table's owner may insert an
event whose hash it gives (a restore, a benchmark's load): kept as given, to be judged by verify.
UPDATE, DELETE and TRUNCATE are refused for every role but the owner, even one granted them by mistake.
SQLite has one writer at a time and no users: the store computes the chain, triggers refuse changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ACTIONS = (
    "claim", "release", "decide", "undo", "audit", "reopen", "recall", "dismiss", "recall_case", "rollback",
    "settings", "blocklist", "protected_name", "user", "job_request", "sample", "note",
)  # fmt: skip

# store/chain.py's AUDIT_LOCK: the key every appender takes before it reads the last event.
AUDIT_LOCK = 7_240_311_657_184_201_117

# store/chain.py's canonical text: per field, its length in UTF-8 bytes, ":", the field, a newline.
FIELD = """
CREATE FUNCTION audit_field(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT octet_length(convert_to(value, 'UTF8'))::text || ':' || value || E'\\n' $$
"""

# Without a SET clause, and STABLE like to_char, so that the trigger's plan inlines it: called as a function
# instead, it is planned again for every event (twice the trigger's time).
HASH = """
CREATE FUNCTION audit_event_hash(
    p_id integer, p_at timestamptz, p_actor text, p_action text, p_subject text, p_details text, p_prev_hash text
) RETURNS text LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT encode(sha256(convert_to(
    public.audit_field(p_id::text)
    || public.audit_field(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || public.audit_field(p_actor) || public.audit_field(p_action) || public.audit_field(p_subject)
    || public.audit_field(p_details) || public.audit_field(p_prev_hash), 'UTF8')), 'hex') $$
"""

OWNER = "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')"

CHAIN = f"""
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    last_id integer;
    last_hash text;
BEGIN
    IF NEW.hash IS NOT NULL AND {OWNER} THEN
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock({AUDIT_LOCK});
    SELECT id, hash INTO last_id, last_hash FROM audit_events ORDER BY id DESC LIMIT 1;
    NEW.id := coalesce(last_id, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.at := now();
    NEW.actor := current_user;
    NEW.subject := coalesce(NEW.subject, '');
    NEW.details := coalesce(NEW.details, '{{}}');
    NEW.hash := audit_event_hash(NEW.id, NEW.at, NEW.actor, NEW.action, NEW.subject, NEW.details, NEW.prev_hash);
    RETURN NEW;
END $$
"""

GUARD = f"""
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT {OWNER} THEN
        RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_LEVEL = 'STATEMENT' THEN
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            f"action IN ({', '.join(repr(a) for a in ACTIONS)})", name=op.f("ck_audit_events_action_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"], unique=False)
    op.create_index("ix_audit_events_actor", "audit_events", ["actor", "id"], unique=False)
    op.create_index("ix_audit_events_action", "audit_events", ["action", "id"], unique=False)
    op.create_index("ix_audit_events_subject", "audit_events", ["subject", "id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{action.lower()} BEFORE {action} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
            )
    elif bind.dialect.name == "postgresql":
        for statement in (FIELD, HASH, CHAIN, GUARD):
            op.execute(statement)
        op.execute(
            "CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_chain()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_guard()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    op.drop_index("ix_audit_events_subject", table_name="audit_events")
    op.drop_index("ix_audit_events_action", table_name="audit_events")
    op.drop_index("ix_audit_events_actor", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")  # its triggers go with it
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_events_guard()")
        op.execute("DROP FUNCTION IF EXISTS audit_events_chain()")
        op.execute("DROP FUNCTION IF EXISTS audit_event_hash(integer, timestamptz, text, text, text, text, text)")
        op.execute("DROP FUNCTION IF EXISTS audit_field(text)")
