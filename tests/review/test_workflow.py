"""Submit, queue order, SLA, claims with leases, and decisions: on SQLite and on PostgreSQL.

On PostgreSQL every reviewer is their own database user, so these also run under the grants and
row-level security of `db create-roles`.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.config import SlaSettings
from reviewer_app.review import SlaPolicy, format_time_left

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_deadline_is_two_hours_for_top_tiers_and_a_day_otherwise():
    policy = SlaPolicy()
    assert policy.deadline(T0, 5) == T0 + timedelta(hours=2)
    assert policy.deadline(T0, 4) == T0 + timedelta(hours=2)
    assert policy.deadline(T0, 3) == T0 + timedelta(hours=24)
    assert policy.deadline(T0, 1) == T0 + timedelta(hours=24)


def test_sla_is_configurable():
    policy = SlaPolicy(SlaSettings(fast_hours=1, default_hours=8, fast_min_tier=5))
    assert policy.deadline(T0, 5) == T0 + timedelta(hours=1)
    assert policy.deadline(T0, 4) == T0 + timedelta(hours=8)


def test_time_left_format_marks_overdue():
    assert format_time_left(timedelta(hours=1, minutes=5)) == "1h 05m"
    assert format_time_left(timedelta(minutes=-190)) == "-3h 10m"
    assert format_time_left(timedelta(days=1, hours=2)) == "1d 2h"


def test_queue_is_earliest_deadline_first(team, alice):
    slow_old = team.file("com.slow.old", tier=2, minutes_ago=600)  # due in 14 h
    fast_new = team.file("com.fast.new", tier=5, minutes_ago=0)  # due in 2 h
    fast_old = team.file("com.fast.old", tier=4, minutes_ago=150)  # overdue by 30 min
    slow_new = team.file("com.slow.new", tier=1, minutes_ago=0)  # due in 24 h
    assert alice.queue_ids() == [fast_old, fast_new, slow_old, slow_new]
    rows = alice.queue()
    assert [r.package for r in rows] == ["com.fast.old", "com.fast.new", "com.slow.old", "com.slow.new"]
    assert rows[0].deadline < alice.clock() < rows[1].deadline
    stats = alice.queue_stats()
    assert stats["open"] == 4 and stats["overdue"] == 1


def test_claims_never_hand_one_submission_to_two_reviewers(team, alice, bob):
    first = team.file("com.a.first", tier=5)
    second = team.file("com.a.second", tier=1)
    assert alice.claim_next().submission_id == first
    assert bob.claim_next().submission_id == second
    assert bob.claim_next().submission_id == second  # asking again returns what bob holds
    assert alice.claim_next().submission_id == first
    assert team["carol"].claim_next() is None
    rows = {r.submission_id: r for r in alice.queue()}
    assert rows[first].claimed_by == "alice" and rows[second].claimed_by == "bob"


def wait_out(team, seconds: float) -> None:
    """Let leases run: the server's clock on PostgreSQL, the workstation's clock on SQLite."""
    if team.backend == "postgresql":
        time.sleep(seconds)
    else:
        team.clock.advance(seconds=seconds)


def test_expired_lease_returns_work_to_the_queue(team):
    team.lease_minutes = 2 / 60  # two-second leases
    alice, bob = team["alice"], team["bob"]
    sid = team.file("com.lease", tier=5)
    assert alice.claim_next().submission_id == sid
    assert bob.claim_next() is None
    wait_out(team, 1.0)
    assert alice.renew(sid)  # heartbeat keeps it
    wait_out(team, 1.5)
    assert bob.claim_next() is None
    wait_out(team, 2.0)  # no heartbeat for 3.5 s: the lease is gone
    assert not alice.renew(sid)
    assert bob.claim_next().submission_id == sid


def test_release_gives_the_submission_back(team, alice, bob):
    sid = team.file("com.release", tier=3)
    alice.claim(sid)
    assert not bob.release(sid)  # not bob's to give back
    assert alice.release(sid)
    assert bob.claim_next().submission_id == sid


def test_decide_stores_an_append_only_decision_and_leaves_the_queue(team, alice):
    sid = team.file("com.decide", tier=3)
    outcome = alice.decide(sid, "reject", ["privacy", "other"], "Please remove READ_CONTACTS.")
    assert outcome.ok and outcome.status == "rejected"
    assert sid not in alice.queue_ids()
    stored = alice.store.decisions(sid)
    assert len(stored) == 1
    assert stored[0].reviewer == "alice"
    assert stored[0].reason_codes == ("privacy", "other")
    assert stored[0].message == "Please remove READ_CONTACTS."
    assert stored[0].decision_id == outcome.decision_id


def test_second_decision_fails_naming_who_decided_and_when(team, alice, bob):
    sid = team.file("com.twice", tier=3)
    assert alice.decide(sid, "approve").ok
    outcome = bob.decide(sid, "reject", ["malware"], "no")
    assert not outcome.ok and outcome.conflict
    assert "alice" in outcome.error and team.clock().strftime("%Y-%m-%d %H:%M") in outcome.error
    assert (outcome.conflict_kind, outcome.conflict_by, outcome.conflict_at) == ("decided", "alice", team.clock())
    assert len(bob.store.decisions(sid)) == 1


def test_decide_on_a_submission_held_by_someone_else_fails(team, alice, bob):
    sid = team.file("com.held", tier=3)
    alice.claim(sid)
    outcome = bob.decide(sid, "approve")
    assert not outcome.ok and "held by alice" in outcome.error
    assert (outcome.conflict_kind, outcome.conflict_by) == ("held", "alice")
    assert alice.decide(sid, "approve").ok


def test_escalated_work_goes_to_leads(team, alice):
    sid = team.file("com.unclaimed", tier=3)
    assert alice.decide(sid, "escalate", message="Looks like a bank clone").status == "escalated"
    assert alice.role == "reviewer" and team["lena"].role == "lead"
    assert sid in alice.queue_ids(statuses=("pending", "escalated"))  # escalated work stays open...
    assert sid not in alice.queue_ids()  # ...but leaves the reviewers' queue
    assert alice.claim_next() is None  # ...and their "get next"
    lead = team["lena"]
    assert sid in lead.queue_ids()
    assert lead.claim_next().submission_id == sid
    assert lead.decide(sid, "reject", ["counterfeit"], "Impersonates a bank").status == "rejected"


@pytest.mark.parametrize("verdict", ["approve", "escalate"])
def test_the_same_decision_pushed_twice_is_stored_once(team, alice, verdict):
    sid = team.file("com.idem", tier=3)
    decision_id = str(uuid.uuid4())
    first = alice.decide(sid, verdict, decision_id=decision_id)
    # what a journal does after a lost acknowledgement: push the very same decision again
    again = alice.store.record_decision(
        decision_id=decision_id,
        submission_id=sid,
        reviewer="alice",
        verdict=verdict,
        reason_codes=(),
        message=None,
        now=alice.clock(),
        lease=alice.lease,
    )
    assert first.ok and again[0].decision_id == decision_id
    assert again[1] == first.status
    assert len(alice.store.decisions(sid)) == 1


@pytest.mark.parametrize(
    ("verdict", "reasons", "message", "error"),
    [
        ("reject", [], "why", "at least one reason"),
        ("reject", ["malware"], "  ", "message to the developer"),
        ("approve", ["nonsense"], None, "unknown reason code 'nonsense'"),
        ("maybe", [], None, "unknown verdict"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_stored(team, alice, verdict, reasons, message, error):
    sid = team.file("com.bad", tier=3)
    outcome = alice.decide(sid, verdict, reasons, message)
    assert not outcome.ok and error in outcome.error
    assert alice.store.decisions(sid) == []
    assert sid in alice.queue_ids()


def test_unknown_submission_is_a_clear_error_and_leaves_no_conflict_behind(alice):
    outcome = alice.decide(999, "approve")
    assert not outcome.ok and outcome.error == "no submission 999"
    assert not outcome.conflict and not outcome.queued
    status = alice.journal_status()
    assert status.pending == 0 and status.conflicts == ()  # a mistyped id is not a conflict to show for ever
