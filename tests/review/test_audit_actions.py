"""Every action on the shared database appends exactly one event to the audit trail, in the action's own
transaction: who (the database user on PostgreSQL, the workstation's reviewer on SQLite), what and about
what; an action refused or undone by its transaction leaves none. On both back ends."""

from __future__ import annotations

import time
import uuid
from datetime import UTC

import pytest

from reviewer_app.config import Settings
from reviewer_app.review import PermissionDenied, StoreError, admin
from reviewer_app.review import trail as audit_trail
from reviewer_app.review.service import ReviewService
from tests.review.conftest import Team


def events(service: ReviewService, after: int = 0) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.subject) for e in service.store.audit_events(after)]


def last_id(service: ReviewService) -> int:
    found = service.store.audit_events()
    return found[-1].event_id if found else 0


def details_of_last(service: ReviewService) -> dict:
    return service.store.audit_events()[-1].details


def test_claim_next_appends_a_claim_and_renewing_it_appends_nothing(team, alice):
    sid = team.file("com.trail.next", tier=3)
    start = last_id(alice)
    claim = alice.claim_next()
    assert claim is not None and claim.submission_id == sid
    assert events(alice, start) == [("alice", "claim", f"submission:{sid}")]
    assert alice.claim_next().submission_id == sid  # renews the one held
    assert events(alice, start) == [("alice", "claim", f"submission:{sid}")]
    assert audit_trail.verify(alice.store).ok


def test_claim_next_leaving_out_decisions_in_their_window_appends_a_claim(team, alice):
    first, second = team.file("com.trail.held1", tier=3, minutes_ago=10), team.file("com.trail.held2", tier=3)
    assert alice.decide(first, "approve", hold=30).ok  # claimed for the hold, kept back in the journal
    start = last_id(alice)
    assert alice.claim_next().submission_id == second  # the path with `exclude`
    assert events(alice, start) == [("alice", "claim", f"submission:{second}")]


def test_claim_of_a_given_submission_once_and_release_once(team, alice, bob):
    sid = team.file("com.trail.given", tier=3)
    start = last_id(alice)
    alice.claim(sid)
    alice.claim(sid)  # kept, not taken again
    with pytest.raises(StoreError):
        bob.claim(sid)  # held by alice: refused, nothing recorded
    assert not bob.release(sid)  # not bob's to give back
    assert alice.release(sid)
    assert not alice.release(sid)  # already given back
    assert events(alice, start) == [("alice", "claim", f"submission:{sid}"), ("alice", "release", f"submission:{sid}")]


def test_taking_over_a_lapsed_lease_names_whose_it_was(team):
    team.lease_minutes = 0.01  # 0.6 s
    sid = team.file("com.trail.lapsed", tier=3)
    team["alice"].claim(sid)
    if team.backend == "postgresql":
        time.sleep(0.8)  # leases follow the server's clock there
    else:
        team.clock.advance(seconds=1)
    start = last_id(team["bob"])
    team["bob"].claim(sid)
    assert events(team["bob"], start) == [("bob", "claim", f"submission:{sid}")]
    assert details_of_last(team["bob"]) == {"from": "alice"}


def test_a_decision_appends_one_event_with_its_verdict_and_a_refused_one_none(team, alice, bob):
    sid = team.file("com.trail.decide", tier=3)
    alice.claim(sid)
    start = last_id(alice)
    refused = bob.decide(sid, "approve")  # held by alice
    assert not refused.ok
    assert events(alice, start) == []
    outcome = alice.decide(sid, "reject", ["malware", "privacy"], "it sends your contacts away")
    assert outcome.ok
    assert events(alice, start) == [("alice", "decide", f"submission:{sid}")]
    assert details_of_last(alice) == {
        "decision": outcome.decision_id,
        "verdict": "reject",
        "reasons": ["malware", "privacy"],
    }
    # the journal sending the same decision again is no second decision, and no second event
    record, _status = alice.store.record_decision(
        decision_id=outcome.decision_id, submission_id=sid, reviewer="alice", verdict="reject",
        reason_codes=["malware", "privacy"], message="it sends your contacts away", now=team.clock(), lease=alice.lease,
    )  # fmt: skip
    assert record.decision_id == outcome.decision_id
    assert events(alice, start) == [("alice", "decide", f"submission:{sid}")]


def test_an_undo_is_recorded_and_its_decision_never_is(team, alice):
    sid = team.file("com.trail.undo", tier=3)
    start = last_id(alice)
    outcome = alice.decide(sid, "approve", hold=30)
    team.clock.advance(seconds=3)
    assert alice.undo(outcome.decision_id).ok
    alice.flush_journal(held_too=True)
    assert events(alice, start) == [("alice", "claim", f"submission:{sid}"), ("alice", "undo", f"submission:{sid}")]
    undone_at = team.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # the workstation's time of it
    assert details_of_last(alice) == {"decision": outcome.decision_id, "verdict": "approve", "undone_at": undone_at}
    assert alice.store.decisions(sid) == []
    assert alice.journal.undo_state(outcome.decision_id) == "sent"


def test_blocklist_and_brand_registry_changes_by_a_lead(team):
    lena, alice = team["lena"], team["alice"]
    value = "ab" * 32
    start = last_id(lena)
    assert lena.block("sha256", value, "a known dropper")
    assert not lena.block("sha256", value, "twice")  # already there: nothing changed, nothing recorded
    with pytest.raises(PermissionDenied):
        alice.block("sha256", "cd" * 32, "a reviewer may not")
    assert lena.unblock("sha256", value)
    assert not lena.unblock("sha256", value)
    assert lena.protect_name("微信", "Tencent", "com.tencent.mm")
    assert lena.unprotect_name("微信")
    assert events(lena, start) == [
        ("lena", "blocklist", f"sha256:{value}"),
        ("lena", "blocklist", f"sha256:{value}"),
        ("lena", "protected_name", "name:微信"),
        ("lena", "protected_name", "name:微信"),
    ]
    found = lena.store.audit_events(start)
    assert [e.details for e in found] == [
        {"change": "add", "reason": "a known dropper"},
        {"change": "remove"},
        {"change": "add", "developer": "Tencent", "package": "com.tencent.mm"},
        {"change": "remove"},
    ]


def test_a_scan_a_person_asks_for_is_recorded_once(team):
    from tests.review.test_scan_jobs import run_once, submit, worker_settings

    sid = submit(team, "plain.apk")["plain.apk"]
    run_once(worker_settings(team))  # the filing's own jobs are no person's request
    start = last_id(team["alice"])
    job_id = team["alice"].request_scan(sid)
    assert job_id is not None
    assert team["bob"].request_scan(sid) is None  # one waits already: nothing queued, nothing recorded
    assert events(team["alice"], start) == [("alice", "job_request", f"submission:{sid}")]
    assert details_of_last(team["alice"]) == {"kind": "scan", "job": job_id}


def test_adding_a_user_is_recorded_in_the_admins_name(team):
    name = f"u{uuid.uuid4().hex[:10]}"
    as_adam = Settings(data_dir=team.tmp_path / "adam-cli", db_url=team.url("adam"), reviewer="adam")
    start = last_id(team["alice"])
    admin.add_user(as_adam, name, "lead", None)
    assert events(team["alice"], start) == [("adam", "user", f"user:{name}")]
    assert details_of_last(team["alice"]) == {"role": "lead"}


def test_an_append_whose_transaction_fails_leaves_no_event_and_no_gap(team, alice):
    sid = team.file("com.trail.rollback", tier=3)
    alice.claim(sid)
    before = alice.store.audit_events()
    with pytest.raises(RuntimeError), alice.store._writing() as s:
        alice.store._append_event(s, "release", f"submission:{sid}")
        raise RuntimeError("the action failed after its event was written")
    assert alice.store.audit_events() == before
    alice.release(sid)
    after = alice.store.audit_events()
    assert after[-1].event_id == before[-1].event_id + 1 and after[-1].prev_hash == before[-1].hash
    assert audit_trail.verify(alice.store) == (True, len(after), None)


def test_recall_cases_opened_by_a_worker_and_closed_by_a_lead(team, tmp_path):
    from dataclasses import replace

    from tests.review.test_scan_jobs import FAST_ENGINES, run_once, submit, worker_settings

    ids = submit(team, "plain.apk")
    worker = worker_settings(team)
    run_once(worker)
    team["alice"].claim(ids["plain.apk"])
    assert team["alice"].decide(ids["plain.apk"], "approve").ok
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yar").write_text('rule Noisy { strings: $m = "AndroidManifest.xml" condition: $m }\n')
    start = last_id(team["lena"])
    run_once(replace(worker, scanning=replace(FAST_ENGINES, yara=replace(FAST_ENGINES.yara, rules_dir=str(rules)))))
    (case,) = team["lena"].recall_cases()
    opened = [e for e in team["lena"].store.audit_events(start) if e.action == "recall_case"]
    assert [(e.actor, e.subject) for e in opened] == [("wendy", f"recall_case:{case.case_id}")]
    assert opened[0].details["package"] == case.package
    start = last_id(team["lena"])
    team["lena"].recall_app(case.case_id, "a dropper after all")
    with pytest.raises(StoreError):
        team["lena"].dismiss_recall(case.case_id, "too late: closed")
    assert events(team["lena"], start) == [("lena", "recall", f"recall_case:{case.case_id}")]
    assert details_of_last(team["lena"]) == {"package": case.package, "note": "a dropper after all"}
    assert audit_trail.verify(team["lena"].store).ok


def test_every_team_members_events_make_one_unbroken_chain(team: Team):
    sids = [team.file(f"com.trail.team{i}", tier=3, minutes_ago=10 - i) for i in range(4)]
    for name, sid in zip(("alice", "bob", "carol", "lena"), sids, strict=True):
        team[name].claim(sid)
        assert team[name].decide(sid, "approve").ok
    check = audit_trail.verify(team["carol"].store)
    assert check.ok and check.first_bad_event is None
    actors = [e.actor for e in team["carol"].store.audit_events() if e.action == "decide"]
    assert actors == ["alice", "bob", "carol", "lena"]
