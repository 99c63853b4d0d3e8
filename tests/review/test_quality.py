"""Review quality: Cohen's kappa on tables with known values, and the figures of a small team worked through
by hand, on SQLite and on PostgreSQL (each reviewer their own database user there)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.review import PermissionDenied, ReviewError
from reviewer_app.review.quality import build_report, cohen_kappa, quality, report_csv
from reviewer_app.store.quality import AuditCounts, GroupCounts, QualityCounts

# -- Cohen's kappa ------------------------------------------------------------------------------


def test_kappa_of_the_textbook_two_by_two_table_is_0_4():
    # 50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15:
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.2 / 0.5.
    table = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    assert cohen_kappa(table) == pytest.approx(0.4)


def test_kappa_of_perfect_agreement_is_1():
    assert cohen_kappa({("approve", "approve"): 7, ("reject", "reject"): 3, ("escalate", "escalate"): 1}) == 1.0


def test_kappa_of_agreement_at_chance_is_0():
    table = {("approve", "approve"): 25, ("approve", "reject"): 25, ("reject", "approve"): 25, ("reject", "reject"): 25}
    assert cohen_kappa(table) == pytest.approx(0.0)


def test_kappa_of_systematic_disagreement_is_minus_1():
    assert cohen_kappa({("approve", "reject"): 10, ("reject", "approve"): 10}) == pytest.approx(-1.0)


def test_kappa_of_three_categories():
    # rows a 5, b 3, c 2; columns a 4, b 5, c 1; p_o = (4 + 3 + 1) / 10, p_e = (5 * 4 + 3 * 5 + 2 * 1) / 100
    table = {("a", "a"): 4, ("a", "b"): 1, ("b", "b"): 3, ("c", "c"): 1, ("c", "b"): 1}
    assert cohen_kappa(table) == pytest.approx((0.8 - 0.37) / (1 - 0.37))


def test_kappa_is_undefined_for_a_single_category_or_nothing():
    assert cohen_kappa({("approve", "approve"): 12}) is None
    assert cohen_kappa({}) is None
    assert cohen_kappa([]) is None


def test_kappa_takes_the_pairs_themselves():
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


# -- a team worked through by hand --------------------------------------------------------------


def audit(team, auditor, decision_id, outcome, verdict, at):
    team[auditor].store.add_audit(
        audit_id=str(uuid.uuid4()), decision_id=decision_id, auditor=auditor, outcome=outcome, verdict=verdict,
        audited_at=at,
    )  # fmt: skip


def decide(team, who, submission_id, verdict):
    rejected = verdict == "reject"
    outcome = team[who].decide(
        submission_id,
        verdict,
        reasons=["crash"] if rejected else (),
        message="It crashes at start." if rejected else None,
    )
    assert outcome.ok, outcome.error
    return outcome.decision_id


@pytest.fixture
def worked(team, clock):
    """Before the period (t0): alice approves one submission. Two days later (t1):

    s1 new     filed 60 min before, alice approves               60 min
    s2 update  filed 1800 min before (due 24 h): alice rejects  1800 min, an SLA miss
    s3 new     filed 120 min before: bob escalates, lena approves 10 min later: 130 min (lena's)
    s4 update  filed 90 min before: bob approves                  90 min
    s5 new     filed 2000 min before, still open: the team's miss

    lena audits: s1 approve/agree, s2 approve/disagree and again reject/agree, s4 agree without a verdict
    (an older audit), bob's escalation of s3 escalate/agree.
    """
    clock.now = (datetime.now(UTC) - timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    t0 = clock.now
    s0 = team.file("com.example.before", 3, minutes_ago=10)
    decide(team, "alice", s0, "approve")
    clock.advance(days=2)
    t1 = clock.now
    s1 = team.file("com.example.one", 3, minutes_ago=60, kind="new")
    s2 = team.file("com.example.two", 3, minutes_ago=1800, kind="update")
    s3 = team.file("com.example.three", 3, minutes_ago=120, kind="new")
    s4 = team.file("com.example.four", 3, minutes_ago=90, kind="update")
    team.file("com.example.five", 3, minutes_ago=2000, kind="new")
    d1 = decide(team, "alice", s1, "approve")
    d2 = decide(team, "alice", s2, "reject")
    d3 = decide(team, "bob", s3, "escalate")
    d4 = decide(team, "bob", s4, "approve")
    clock.advance(minutes=10)
    decide(team, "lena", s3, "approve")
    later = clock.now + timedelta(hours=1)
    audit(team, "lena", d1, "agree", "approve", later)
    audit(team, "lena", d2, "disagree", "approve", later)
    audit(team, "lena", d2, "agree", "reject", later)
    audit(team, "lena", d4, "agree", None, later)
    audit(team, "lena", d3, "agree", "escalate", later)
    return t0, t1


def rows_by(report, name):
    return {getattr(row, name): row for row in report.rows}


def test_per_reviewer_figures(team, worked):
    t0, t1 = worked
    report = quality(team["lena"], t0 + timedelta(days=1), t1 + timedelta(hours=2), ("reviewer",))
    rows = rows_by(report, "reviewer")
    assert set(rows) == {"alice", "bob", "lena"}
    alice, bob, lena = rows["alice"], rows["bob"], rows["lena"]
    assert (alice.decisions, alice.final_decisions, alice.escalations) == (2, 2, 0)
    assert (alice.audited, alice.audits, alice.agreements) == (2, 3, 2)
    assert alice.agreement == pytest.approx(2 / 3)
    # pairs (approve, approve), (reject, approve), (reject, reject): p_o 2/3, p_e 4/9
    assert alice.kappa == pytest.approx(0.4)
    assert alice.median_minutes == pytest.approx((60 + 1800) / 2)
    assert alice.sla_misses == 1
    assert (bob.decisions, bob.final_decisions, bob.escalations, bob.audited) == (2, 1, 1, 2)
    assert bob.agreement == 1.0
    assert bob.kappa is None  # one pair with a verdict, escalate/escalate: chance agreement is certain
    assert bob.kappa_audits == 1
    assert bob.median_minutes == pytest.approx(90)  # the escalation is a step, not timed
    assert (lena.decisions, lena.final_decisions, lena.audited, lena.agreement) == (1, 1, 0, None)
    assert lena.median_minutes == pytest.approx(130)
    team_row = report.team
    assert (team_row.decisions, team_row.audited, team_row.audits, team_row.agreements) == (5, 4, 5, 4)
    assert team_row.kappa == pytest.approx(7 / 11)  # p_o 3/4, p_e 5/16
    assert team_row.median_minutes == pytest.approx((90 + 130) / 2)
    assert report.open_overdue == 1
    assert team_row.sla_misses == 2  # alice's, and s5 still open past its deadline


def test_per_kind_and_per_reviewer_and_kind(team, worked):
    t0, t1 = worked
    start, end = t0 + timedelta(days=1), t1 + timedelta(hours=2)
    kinds = rows_by(quality(team["lena"], start, end, "kind"), "kind")
    assert set(kinds) == {"new", "update"}
    new, update = kinds["new"], kinds["update"]
    assert (new.decisions, new.final_decisions, new.escalations, new.audited, new.sla_misses) == (3, 2, 1, 2, 0)
    assert new.kappa == pytest.approx(1.0)
    assert new.median_minutes == pytest.approx((60 + 130) / 2)
    assert (update.decisions, update.audited, update.audits, update.sla_misses) == (2, 2, 3, 1)
    assert update.agreement == pytest.approx(2 / 3)
    assert update.kappa == pytest.approx(0.0)
    assert update.median_minutes == pytest.approx((1800 + 90) / 2)
    both = quality(team["lena"], start, end, "both")
    assert [(r.reviewer, r.kind, r.decisions) for r in both.rows] == [
        ("alice", "new", 1),
        ("alice", "update", 1),
        ("bob", "new", 1),
        ("bob", "update", 1),
        ("lena", "new", 1),
    ]
    assert both.team.decisions == 5 and both.team.sla_misses == 2


def test_days_of_the_period(team, worked):
    t0, t1 = worked
    report = quality(team["lena"], t0 + timedelta(days=1), t1 + timedelta(hours=2), "reviewer")
    assert [d.day for d in report.days] == [(t0 + timedelta(days=1)).date(), t1.date()]
    assert [(d.decisions, d.escalations) for d in report.days] == [(0, 0), (5, 1)]


def test_the_period_counts_decisions_by_when_they_were_made(team, worked):
    t0, t1 = worked
    before = quality(team["lena"], t0 - timedelta(hours=1), t0 + timedelta(hours=1), "reviewer")
    assert [(r.reviewer, r.decisions, r.median_minutes) for r in before.rows] == [("alice", 1, pytest.approx(10))]
    assert before.open_overdue == 0  # s5 was not filed yet
    # Ends an hour before t1: nothing decided yet, and s2 and s5 were open past their deadlines then.
    waiting = quality(team["lena"], t0 + timedelta(days=1), t1 - timedelta(hours=1), "reviewer")
    assert waiting.rows == () and waiting.team.decisions == 0
    assert waiting.open_overdue == 2 and waiting.team.sla_misses == 2
    assert waiting.team.median_minutes is None and waiting.team.kappa is None


def test_bad_periods_and_groupings_are_one_line_errors(team, clock):
    service = team["lena"]
    now = clock()
    with pytest.raises(ReviewError, match="before it starts"):
        quality(service, now, now - timedelta(days=1))
    with pytest.raises(ReviewError, match="group by"):
        quality(service, now - timedelta(days=1), now, "developer")
    with pytest.raises(ReviewError, match="time zone"):
        quality(service, datetime(2026, 1, 1), datetime(2026, 1, 2))


def test_nobody_audits_their_own_decision(team, clock):
    sid = team.file("com.example.own", 3, minutes_ago=5)
    decision_id = decide(team, "lena", sid, "approve")
    with pytest.raises(PermissionDenied):
        audit(team, "lena", decision_id, "agree", "approve", clock())


# -- the report without a database: CSV --------------------------------------------------------


def synthetic_report():
    counts = QualityCounts(
        groups=[
            GroupCounts(("=HYPERLINK(1)",), 4, 3, 1, 3, 1, 61.0),
            GroupCounts(("zoë",), 2, 2, 0, 2, 0, None),
        ],
        team=GroupCounts((), 6, 5, 1, 5, 1, 75.5),
        audits=[AuditCounts(("=HYPERLINK(1)",), "approve", "approve", 2, 2, 2)],
        days=[],
        open_overdue=3,
    )
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return build_report(counts, start, start + timedelta(days=2), ("reviewer",))


def test_csv_is_utf8_with_a_bom_and_the_team_last():
    text = report_csv(synthetic_report())
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["reviewer"] for r in rows] == ["'=HYPERLINK(1)", "zoë", "(team)"]  # no formula for a spreadsheet
    first, second, team_row = rows
    assert first["agreement"] == "1.0" and first["kappa"] == "" and first["median_minutes"] == "61.0"
    assert second["agreement"] == "" and second["median_minutes"] == ""
    assert team_row["sla_misses"] == "4"  # one of a reviewer's and three still open
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_the_report_has_every_day_of_the_period():
    report = synthetic_report()
    assert [d.day.isoformat() for d in report.days] == ["2026-11-01", "2026-11-02"]
    assert all(d.decisions == 0 for d in report.days)
