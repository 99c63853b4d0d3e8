"""Sampling decisions for spot-check audits: reproducible from the seed, stratified by reviewer and kind,
the rate kept within rounding, a new reviewer's first decisions all taken, nothing sampled twice; on
SQLite and on PostgreSQL (where only leads and workers may put a sample in the queue)."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.config import AuditSettings
from reviewer_app.domain import PermissionDenied, SampleCandidate
from reviewer_app.review import ReviewError
from reviewer_app.review.audits import (
    daily_sample,
    pick_sample,
    record_audit,
    sample_decisions,
    sample_rank,
    take_sample,
)

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
# (reviewer, kind) -> decisions: strata of very different sizes, one of a single decision.
PLAN = {("alice", "new"): 24, ("alice", "update"): 9, ("bob", "new"): 14, ("bob", "metadata"): 3, ("carol", "new"): 1}


def decide_plan(team, plan=PLAN, verdicts=("approve", "reject")) -> dict[str, tuple[str, str]]:
    """File and decide the plan's submissions, one second apart; decision id -> (reviewer, kind)."""
    made = {}
    turn = 0
    for (reviewer, kind), count in plan.items():
        for _ in range(count):
            turn += 1
            sid = team.file(f"com.sample.{reviewer}.{kind}{turn}", tier=3, kind=kind)
            verdict = verdicts[turn % len(verdicts)]
            extra = {"reasons": ["privacy"], "message": "Too many permissions."} if verdict == "reject" else {}
            outcome = team[reviewer].decide(sid, verdict, **extra)
            assert outcome.ok, outcome.error
            made[outcome.decision_id] = (reviewer, kind)
            team.clock.advance(seconds=1)
    return made


def candidates(plan: dict[tuple[str, str], int]) -> list[SampleCandidate]:
    found = []
    for (reviewer, kind), count in plan.items():
        for i in range(count):
            at = T0 + timedelta(minutes=len(found))
            found.append(SampleCandidate(f"{reviewer}-{kind}-{i:03d}", len(found) + 1, reviewer, kind, at))
    return found


def strata(picks) -> Counter:
    return Counter((p.reviewer, p.kind) for p in picks)


def test_the_same_seed_gives_the_same_sample_whatever_order_the_decisions_come_in():
    given = candidates({("alice", "new"): 200, ("bob", "update"): 120})
    shuffled = list(given)
    random.Random(3).shuffle(shuffled)
    first = pick_sample(given, (), 0.1, seed=42)
    assert [p.decision_id for p in first] == [p.decision_id for p in pick_sample(shuffled, (), 0.1, seed=42)]
    other = pick_sample(given, (), 0.1, seed=43)
    assert {p.decision_id for p in first} != {p.decision_id for p in other}
    # The picks are the best-ranked of each stratum for this seed: a rank no other decision changes.
    alice = sorted((c for c in given if c.reviewer == "alice"), key=lambda c: sample_rank(42, c.decision_id))
    assert {p.decision_id for p in first if p.reviewer == "alice"} == {c.decision_id for c in alice[:20]}


def test_a_decision_joining_a_stratum_moves_no_other_picks_rank():
    given = candidates({("alice", "new"): 100})
    before = pick_sample(given, (), 0.1, seed=9)
    extra = SampleCandidate("alice-new-extra", 999, "alice", "new", T0 + timedelta(days=1))
    after = pick_sample([*given, extra], (), 0.1, seed=9)
    kept = {p.decision_id for p in before} & {p.decision_id for p in after}
    assert len(kept) >= len(before) - 1  # the newcomer may take one place, nothing else moves


@pytest.mark.parametrize("rate", [0.01, 0.05, 0.1, 0.25, 0.5, 1.0])
def test_every_stratum_gets_its_share_rounded_and_at_least_one(rate):
    plan = {("alice", "new"): 250, ("alice", "update"): 31, ("bob", "new"): 70, ("bob", "sensitive"): 2,
            ("carol", "metadata"): 1}  # fmt: skip
    picks = pick_sample(candidates(plan), (), rate, seed=1)
    counts = strata(picks)
    for key, size in plan.items():
        expected = max(1, int(rate * size + 0.5 + 1e-9))
        assert counts[key] == min(size, expected), (key, size)
    total = sum(plan.values())
    assert abs(len(picks) - rate * total) <= len(plan)  # within one decision per stratum of the rate


def test_overrides_per_reviewer_then_per_kind_and_zero_means_none():
    plan = {("alice", "new"): 100, ("alice", "sensitive"): 40, ("bob", "sensitive"): 40, ("bob", "new"): 100}
    picks = pick_sample(
        candidates(plan), (), 0.05, seed=5, per_kind={"sensitive": 0.5}, per_reviewer={"alice": 0.2, "bob": 0.0}
    )
    assert strata(picks) == Counter({("alice", "new"): 20, ("alice", "sensitive"): 8})


def test_a_new_reviewers_first_decisions_are_all_taken_and_count_towards_the_share():
    given = candidates({("dana", "new"): 30})
    first = {c.decision_id for c in given[:20]}
    picks = pick_sample(given, first, 0.05, seed=2)
    assert {p.decision_id for p in picks if p.why == "new_reviewer"} == first
    assert len(picks) == 20  # the share (2) is covered by the first twenty already


def test_bad_rates_and_seeds_are_one_line_errors(team):
    lead = team["lena"]
    for rate in (-0.1, 1.5):
        with pytest.raises(ReviewError, match="between 0 and 1"):
            sample_decisions(lead, rate, 1)
    with pytest.raises(ReviewError, match="seed"):
        sample_decisions(lead, 0.1, -1)
    with pytest.raises(ReviewError, match="unknown kind"):
        sample_decisions(lead, 0.1, 1, per_kind={"games": 0.2})


def test_a_sample_of_the_database_is_reproducible_stratified_and_never_takes_a_decision_twice(team):
    made = decide_plan(team)
    lead = team["lena"]
    first = sample_decisions(lead, 0.1, seed=7, new_reviewer_first_n=0)
    again = sample_decisions(lead, 0.1, seed=7, new_reviewer_first_n=0)
    assert [p.decision_id for p in first] == [p.decision_id for p in again]
    assert {p.decision_id for p in first} != {
        p.decision_id for p in sample_decisions(lead, 0.1, seed=8, new_reviewer_first_n=0)
    }
    assert set(strata(first)) == set(PLAN)  # every reviewer x kind with decisions
    for key, size in PLAN.items():
        assert strata(first)[key] == max(1, int(0.1 * size + 0.5))
    assert all(made[p.decision_id] == (p.reviewer, p.kind) for p in first)

    queued = take_sample(lead, 0.1, seed=7, new_reviewer_first_n=0)
    assert [p.decision_id for p in queued] == [p.decision_id for p in first]
    items = lead.store.audit_queue(lead.reviewer)
    assert {i.decision_id for i in items} == {p.decision_id for p in first}
    assert all(i.seed == 7 and i.rate == 0.1 and i.sampled_by == "lena" and i.state == "open" for i in items)
    (event,) = lead.trail(actions=("sample",))  # the audit trail says who sampled what
    assert (event.actor, event.subject, event.details["decisions"]) == ("lena", "seed:7", len(first))
    # Sampled already: the same seed now draws others, and never one in the queue.
    later = sample_decisions(lead, 0.1, seed=7, new_reviewer_first_n=0)
    assert not {p.decision_id for p in later} & {p.decision_id for p in first}
    # Audited already (without being sampled): not sampled either.
    audited = later[0]
    record_audit(lead, audited.decision_id, "approve")
    assert audited.decision_id not in {p.decision_id for p in sample_decisions(lead, 1.0, 7, new_reviewer_first_n=0)}


def test_escalations_are_not_sampled(team):
    sid = team.file("com.sample.escalated", tier=3)
    assert team["alice"].decide(sid, "escalate", message="Not sure about the SMS permission.").ok
    assert sample_decisions(team["lena"], 1.0, 1) == []


def test_all_of_a_new_reviewers_first_decisions_are_sampled(team):
    made = decide_plan(team, {("carol", "new"): 8, ("alice", "new"): 30})
    picks = sample_decisions(team["lena"], 0.05, seed=3, new_reviewer_first_n=5)
    carol_first = [d for d, (who, _) in made.items() if who == "carol"][:5]  # decided in this order
    assert {p.decision_id for p in picks if p.why == "new_reviewer" and p.reviewer == "carol"} == set(carol_first)
    # alice is new too by the same rule: her first five are all taken, and her share (2 of 30) is in them.
    assert {p.decision_id for p in picks if p.reviewer == "alice"} == {
        d for d, (who, _) in list(made.items()) if who == "alice"
    } & {p.decision_id for p in picks}
    assert Counter(p.reviewer for p in picks) == Counter({"carol": 5, "alice": 5})


def test_only_leads_and_workers_put_a_sample_in_the_queue(team):
    decide_plan(team, {("alice", "new"): 3})
    with pytest.raises(PermissionDenied) as refused:
        take_sample(team["bob"], 1.0, seed=1)
    assert "\n" not in str(refused.value)
    assert team["lena"].store.audit_queue("lena") == []


def test_the_daily_sample_is_taken_once_a_day(team):
    decide_plan(team, {("alice", "new"): 10, ("bob", "update"): 10})
    store = team["lena"].store
    settings = AuditSettings(rate=0.1, new_reviewer_first_n=0)
    now = team.clock()
    taken = daily_sample(store, settings, now, "lena")
    assert taken is not None and strata(taken) == Counter({("alice", "new"): 1, ("bob", "update"): 1})
    assert {i.seed for i in store.audit_queue("lena")} == {int(now.date().isoformat().replace("-", ""))}
    later_that_day = now.replace(hour=23, minute=59, second=59)  # (an hour later may be tomorrow)
    assert daily_sample(store, settings, later_that_day, "lena") is None  # the same day
    # The next day: the decisions made since the last sample.
    team.clock.advance(days=1)
    decide_plan(team, {("bob", "new"): 4})
    tomorrow = daily_sample(store, settings, team.clock(), "lena")
    assert tomorrow is not None and strata(tomorrow) == Counter({("bob", "new"): 1})


def test_a_worker_takes_the_days_sample_in_its_housekeeping(team):
    import threading

    from reviewer_app.review.worker import run_worker
    from tests.review.test_device_runs import worker_settings

    decide_plan(team, {("alice", "new"): 6, ("bob", "update"): 3})
    settings = dataclasses.replace(worker_settings(team), audits=AuditSettings(new_reviewer_first_n=0))
    stats = run_worker(settings, threading.Event(), once=True, poll_seconds=0.1)
    assert stats.sampled_for_audit == 2  # 5% of each stratum, at least one
    items = team["lena"].store.audit_queue("lena")
    assert len(items) == 2 and {i.kind for i in items} == {"new", "update"}
    assert {i.sampled_by for i in items} == {"wendy"}
    again = run_worker(settings, threading.Event(), once=True, poll_seconds=0.1)
    assert again.sampled_for_audit == 0  # once a day
