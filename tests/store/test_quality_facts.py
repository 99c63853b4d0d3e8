"""The quality dashboard's facts are kept by the database as decisions are inserted, by whatever path:
first final decisions, minutes and lateness as the dashboard defines them, a late-sent earlier decision
taking the first place, and decisions made before the facts existed filled in by the migration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from reviewer_app.store import database
from reviewer_app.store.schema import Audit, Decision, Developer, QualityAudit, QualityFact, Submission

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def writer(engines):
    return engines[1]


def file(conn, sid: int, kind: str, submitted: datetime, hours: int = 24) -> None:
    conn.execute(
        insert(Submission.__table__).values(
            id=sid, kind=kind, developer_id=1, submitted_at=submitted, deadline=submitted + timedelta(hours=hours),
            status="pending", row_version=1,
        )
    )  # fmt: skip


def decide(conn, did: str, sid: int, who: str, verdict: str, at: datetime) -> None:
    conn.execute(
        insert(Decision.__table__).values(
            id=did, submission_id=sid, reviewer=who, decided_at=at, verdict=verdict, reason_codes=[]
        )
    )


def audit(conn, aid: str, did: str, outcome: str, verdict: str | None) -> None:
    conn.execute(
        insert(Audit.__table__).values(
            id=aid, decision_id=did, auditor="lena", audited_at=T0 + timedelta(days=3), outcome=outcome,
            verdict=verdict,
        )
    )  # fmt: skip


def audited(conn) -> dict[str, tuple]:
    return {
        row.audit_id: (row.decision_id, row.reviewer, row.kind, row.decision_verdict, row.audit_verdict, row.outcome)
        for row in conn.execute(select(QualityAudit.__table__))
    }


def reopen(conn, sid: int, deadline: datetime) -> None:
    """What a lead's reopen does to the row (the function itself is PostgreSQL's; the owner may do it here)."""
    conn.execute(update(Submission.__table__).where(Submission.id == sid).values(status="pending", deadline=deadline))


def facts(conn) -> dict[str, tuple]:
    rows = conn.execute(select(QualityFact.__table__))
    return {
        row.decision_id: (row.reviewer, row.kind, row.verdict, bool(row.first_final), round(row.minutes, 3),
                          bool(row.late))
        for row in rows
    }  # fmt: skip


def developer(conn) -> None:
    conn.execute(insert(Developer.__table__).values(id=1, name="d", tier=3, created_at=T0))


def test_each_decision_gets_its_facts_as_it_is_inserted(writer):
    database.upgrade(writer)
    with writer.begin() as conn:
        developer(conn)
        file(conn, 1, "new", T0)
        file(conn, 2, "update", T0, hours=2)
        decide(conn, "a", 1, "alice", "escalate", T0 + timedelta(minutes=30))
        decide(conn, "b", 1, "lena", "approve", T0 + timedelta(minutes=90))
        decide(conn, "c", 2, "bob", "reject", T0 + timedelta(minutes=150, seconds=30))
        audit(conn, "a1", "c", "disagree", "approve")
        audit(conn, "a2", "a", "agree", None)
    with writer.connect() as conn:
        assert audited(conn) == {
            "a1": ("c", "bob", "update", "reject", "approve", "disagree"),
            "a2": ("a", "alice", "new", "escalate", None, "agree"),
        }
        assert facts(conn) == {
            "a": ("alice", "new", "escalate", False, 30.0, False),
            "b": ("lena", "new", "approve", True, 90.0, False),
            "c": ("bob", "update", "reject", True, 150.5, True),  # due after two hours
        }


def test_an_earlier_final_decision_sent_late_takes_the_first_place(writer):
    """Alice decided offline at 10:00; bob's approval at 11:00 reached the database first; a lead reopened the
    submission and alice's journal then sent hers: hers is the first final decision, bob's no longer is, and a
    decision after both is not either. Lateness is against the deadline the submission had at each decision."""
    database.upgrade(writer)
    with writer.begin() as conn:
        developer(conn)
        file(conn, 1, "new", T0, hours=1)  # due 09:00: both are late
        decide(conn, "bob", 1, "bob", "approve", T0 + timedelta(hours=3))
        reopen(conn, 1, T0 + timedelta(days=2))
        decide(conn, "alice", 1, "alice", "reject", T0 + timedelta(hours=2))
        reopen(conn, 1, T0 + timedelta(days=3))
        decide(conn, "carol", 1, "carol", "approve", T0 + timedelta(hours=5))
    with writer.connect() as conn:
        got = facts(conn)
    assert got["alice"][3:] == (True, 120.0, False)  # the deadline was fresh when hers arrived
    assert got["bob"][3:] == (False, 180.0, True)
    assert got["carol"][3] is False


def test_the_migration_fills_in_the_decisions_made_before_it(writer):
    database.upgrade(writer, "0015")
    with writer.begin() as conn:
        developer(conn)
        file(conn, 1, "metadata", T0, hours=1)
        file(conn, 2, "sensitive", T0, hours=0)
        decide(conn, "x", 1, "alice", "escalate", T0 + timedelta(minutes=10))
        decide(conn, "y", 1, "lena", "reject", T0 + timedelta(minutes=75))
        reopen(conn, 1, T0 + timedelta(days=1))
        decide(conn, "z", 1, "bob", "approve", T0 + timedelta(minutes=200))
        decide(conn, "w", 2, "bob", "approve", T0 + timedelta(minutes=45))
        audit(conn, "a1", "y", "agree", "reject")
    database.upgrade(writer)
    with writer.connect() as conn:
        assert audited(conn) == {"a1": ("y", "lena", "metadata", "reject", "reject", "agree")}
        assert facts(conn) == {
            "x": ("alice", "metadata", "escalate", False, 10.0, False),
            # Against the deadline the row has now (the reopen's): the migration cannot know the one it had then.
            "y": ("lena", "metadata", "reject", True, 75.0, False),
            "z": ("bob", "metadata", "approve", False, 200.0, False),
            "w": ("bob", "sensitive", "approve", True, 45.0, True),
        }
    cfg = database._alembic_config()
    with writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
    with writer.begin() as conn:  # the trigger went with the table
        file(conn, 3, "new", T0)
        decide(conn, "v", 3, "bob", "approve", T0 + timedelta(minutes=5))
