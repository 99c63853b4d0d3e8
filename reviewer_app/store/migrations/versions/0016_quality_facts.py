"""quality facts: what the dashboard counts of each decision, kept as the decision is inserted

Revision ID: 0016
Revises: 0015

A year of a million decisions took seconds to count: each decision joined to its submission and probed for
an earlier final decision. A trigger now writes one narrow row per decision (its group, whether it is its
submission's first final decision, minutes from the submission to it, whether it came after the deadline
the submission had then), so a period is one scan of these rows. Existing decisions are filled in here by
the same rules. A final decision inserted with a time before the first final one counted so far (sent late
from a workstation's journal) takes its place. Each audit is copied with its decision's group, time and
verdict into `quality_audits` as it is inserted, so a period's audits are read without its decisions.

On PostgreSQL the trigger runs with the owner's rights: nobody writes the facts but the trigger, and every
role reads them as it reads the decisions (roles.py grants SELECT on every table).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FINAL = "('approve', 'reject')"
COLUMNS = "decision_id, submission_id, decided_at, reviewer, kind, verdict, first_final, minutes, late"
AUDIT_COLUMNS = "audit_id, decision_id, decided_at, reviewer, kind, decision_verdict, audit_verdict, outcome"
AUDIT_VALUES = "{a}.id, {a}.decision_id, f.decided_at, f.reviewer, f.kind, f.verdict, {a}.verdict, {a}.outcome"


def upgrade() -> None:
    op.create_table(
        "quality_facts",
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("first_final", sa.Boolean(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_quality_facts_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_quality_facts")),
    )
    op.create_index("ix_quality_facts_decided_at", "quality_facts", ["decided_at"], unique=False)
    op.create_index(
        "ix_quality_facts_first_final",
        "quality_facts",
        ["submission_id"],
        unique=False,
        postgresql_where=sa.text("first_final"),
        sqlite_where=sa.text("first_final"),
    )
    op.create_table(
        "quality_audits",
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("decision_verdict", sa.String(length=16), nullable=False),
        sa.Column("audit_verdict", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=op.f("fk_quality_audits_audit_id_audits"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_quality_audits")),
    )
    op.create_index("ix_quality_audits_decided_at", "quality_audits", ["decided_at"], unique=False)
    op.create_index("ix_quality_audits_decision_id", "quality_audits", ["decision_id", "audit_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()
    op.execute(
        f"INSERT INTO quality_audits ({AUDIT_COLUMNS}) SELECT {AUDIT_VALUES.format(a='a')} "
        "FROM audits a JOIN quality_facts f ON f.decision_id = a.decision_id"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE quality_facts, quality_audits")


def _sqlite() -> None:
    minutes = "(julianday({at}) - julianday(s.submitted_at)) * 1440.0"
    op.execute(
        f"INSERT INTO quality_facts ({COLUMNS}) "
        f"SELECT d.id, d.submission_id, d.decided_at, d.reviewer, s.kind, d.verdict, "
        f"d.verdict IN {FINAL} AND NOT EXISTS (SELECT 1 FROM decisions e WHERE e.submission_id = d.submission_id "
        f"AND e.verdict IN {FINAL} AND (e.decided_at < d.decided_at OR (e.decided_at = d.decided_at AND e.id < d.id))), "
        f"{minutes.format(at='d.decided_at')}, d.decided_at > s.deadline "
        "FROM decisions d JOIN submissions s ON s.id = d.submission_id"
    )
    op.execute(
        "CREATE TRIGGER decisions_quality_facts AFTER INSERT ON decisions BEGIN "
        "UPDATE quality_facts SET first_final = 0 WHERE submission_id = NEW.submission_id AND first_final "
        f"AND NEW.verdict IN {FINAL} "
        "AND (decided_at > NEW.decided_at OR (decided_at = NEW.decided_at AND decision_id > NEW.id)); "
        f"INSERT INTO quality_facts ({COLUMNS}) "
        "SELECT NEW.id, NEW.submission_id, NEW.decided_at, NEW.reviewer, s.kind, NEW.verdict, "
        f"NEW.verdict IN {FINAL} AND NOT EXISTS (SELECT 1 FROM quality_facts f "
        "WHERE f.submission_id = NEW.submission_id AND f.first_final), "
        f"{minutes.format(at='NEW.decided_at')}, NEW.decided_at > s.deadline "
        "FROM submissions s WHERE s.id = NEW.submission_id; END"
    )
    op.execute(
        "CREATE TRIGGER audits_quality_audits AFTER INSERT ON audits BEGIN "
        f"INSERT INTO quality_audits ({AUDIT_COLUMNS}) SELECT {AUDIT_VALUES.format(a='NEW')} "
        "FROM quality_facts f WHERE f.decision_id = NEW.decision_id; END"
    )


def _postgresql() -> None:
    minutes = "extract(epoch FROM {at} - s.submitted_at) / 60.0"
    op.execute(
        f"INSERT INTO quality_facts ({COLUMNS}) "
        f"SELECT d.id, d.submission_id, d.decided_at, d.reviewer, s.kind, d.verdict, "
        f"d.verdict IN {FINAL} AND NOT EXISTS (SELECT 1 FROM decisions e WHERE e.submission_id = d.submission_id "
        f"AND e.verdict IN {FINAL} AND (e.decided_at, e.id) < (d.decided_at, d.id)), "
        f"{minutes.format(at='d.decided_at')}, d.decided_at > s.deadline "
        "FROM decisions d JOIN submissions s ON s.id = d.submission_id"
    )
    # The submission's row is locked by the decision's own trigger (decision_require_open): two decisions
    # of one submission are never counted at once. Its lookups are by index whatever the statistics say: a
    # plan cached while the table was small would otherwise scan it for every row of a bulk load.
    op.execute(
        "CREATE FUNCTION decision_quality_facts() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = public, pg_temp SET enable_seqscan = off AS $$ "
        "DECLARE first boolean := false; BEGIN "
        f"IF NEW.verdict IN {FINAL} THEN "
        "UPDATE quality_facts SET first_final = false WHERE submission_id = NEW.submission_id AND first_final "
        "AND (decided_at, decision_id) > (NEW.decided_at, NEW.id); "
        "first := NOT EXISTS (SELECT 1 FROM quality_facts WHERE submission_id = NEW.submission_id AND first_final); "
        "END IF; "
        f"INSERT INTO quality_facts ({COLUMNS}) "
        "SELECT NEW.id, NEW.submission_id, NEW.decided_at, NEW.reviewer, s.kind, NEW.verdict, first, "
        f"{minutes.format(at='NEW.decided_at')}, NEW.decided_at > s.deadline "
        "FROM submissions s WHERE s.id = NEW.submission_id; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER decisions_quality_facts AFTER INSERT ON decisions "
        "FOR EACH ROW EXECUTE FUNCTION decision_quality_facts()"
    )
    op.execute(
        "CREATE FUNCTION audit_quality_audits() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = public, pg_temp SET enable_seqscan = off AS $$ BEGIN "
        f"INSERT INTO quality_audits ({AUDIT_COLUMNS}) SELECT {AUDIT_VALUES.format(a='NEW')} "
        "FROM quality_facts f WHERE f.decision_id = NEW.decision_id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER audits_quality_audits AFTER INSERT ON audits FOR EACH ROW EXECUTE FUNCTION audit_quality_audits()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audits_quality_audits ON audits")
        op.execute("DROP FUNCTION IF EXISTS audit_quality_audits()")
        op.execute("DROP TRIGGER IF EXISTS decisions_quality_facts ON decisions")
        op.execute("DROP FUNCTION IF EXISTS decision_quality_facts()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audits_quality_audits")
        op.execute("DROP TRIGGER IF EXISTS decisions_quality_facts")
    op.drop_index("ix_quality_audits_decision_id", table_name="quality_audits")
    op.drop_index("ix_quality_audits_decided_at", table_name="quality_audits")
    op.drop_table("quality_audits")
    op.drop_index("ix_quality_facts_first_final", table_name="quality_facts")
    op.drop_index("ix_quality_facts_decided_at", table_name="quality_facts")
    op.drop_table("quality_facts")
