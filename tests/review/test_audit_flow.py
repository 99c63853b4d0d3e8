"""Evidence frozen with each decision, the blind re-review on it, the comparison after recording, and the
outcomes of a disagreement (reopen, recall, a note the reviewer reads); on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from datetime import timedelta

import pytest
from PIL import Image

from reviewer_app.domain import (
    CloneCandidate,
    CloneResult,
    DeviceResult,
    DeviceScreenshot,
    PermissionDenied,
    ScanEngineRow,
)
from reviewer_app.review import ReviewError, ReviewService
from reviewer_app.review.audits import (
    audit_comparison,
    claim_audit,
    mark_notes_read,
    note_to_reviewer,
    open_audit,
    recall_audited,
    record_audit,
    reopen_audited,
    take_sample,
    unread_notes,
)
from reviewer_app.review.detail import load_detail
from reviewer_app.review.evidence import canonical, freeze, thaw
from tests.review.test_device_runs import worker_settings

CLEAN = ScanEngineRow("clamav", "ClamAV 1.4.1", "daily 27463", "clean", seconds=2.5)
FOUND = ScanEngineRow("clamav", "ClamAV 1.4.2", "daily 27500", "malicious", ("Andr.Trojan.SmsPay",), 3.0)
COPY = CloneCandidate(7, "com.bank.real", "Notes", "Bank", 0.91, {"name": 1.0, "icon": 0.9, "package": 0.2,
                      "certificate": "different", "code": None, "resources": None})  # fmt: skip


def png(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 20), (seed * 40 % 255, 90, 30)).save(out, "PNG")
    return out.getvalue()


def device_run(store, sha: str, crashed: bool, seed: int, now):
    shot = png(seed)
    blob = hashlib.sha256(shot).hexdigest()
    result = DeviceResult("walleye", "failure" if crashed else "success", api_level=28, os_version="9",
                          installed=True, launched=True, crashed=crashed, flags=("crash",) if crashed else (),
                          screenshots=(DeviceScreenshot("01.png", blob, 12, 20),))  # fmt: skip
    store.add_device_run(sha, source="manifest", label=f"run {seed}", results=[result], files={blob: shot},
                         by="adam", now=now)  # fmt: skip
    return blob


@pytest.fixture
def worker(team):
    """Who writes scans and clone results (on PostgreSQL only workers may)."""
    service = ReviewService(worker_settings(team), clock=team.clock)
    yield service
    service.close()


def scan(worker, sha: str, row: ScanEngineRow, gate: str, now) -> None:
    store = worker.store
    scan_id = store.start_scan(job_id=None, artifact_sha256=sha, submission_id=None, reason="submitted",
                               policy="any_clean", engines_expected=1, signatures=row.signatures_version,
                               worker="wendy", now=now)  # fmt: skip
    store.finish_scan(scan_id, job_id=None, worker="wendy", now=now, engines=[row], gate=gate, gate_reason="")


def file_demo(team, demo_facts, demo_apks, name: str) -> int:
    outcome = team.intake.submit_facts(demo_facts[name], demo_apks[name], kind="new", developer="Acme Apps")
    assert outcome.ok, outcome.error
    return outcome.submission_id


@pytest.fixture
def decided(team, worker, demo_facts, demo_apks):
    """alice approved notes v2 with its evidence: one clean scan, no clone, a device run that went well, no
    approved version before it (v1 still pending). Returns (v1, v2, decision id, first screenshot blob)."""
    v1 = file_demo(team, demo_facts, demo_apks, "com.example.notes_1.apk")
    v2 = file_demo(team, demo_facts, demo_apks, "com.example.notes_2.apk")
    sha = team.intake.store.detail(v2).artifact_sha256
    now = team.clock()
    scan(worker, sha, CLEAN, "pass", now)
    worker.store.save_clone_result(sha, CloneResult("no_match", (), now, 1000))
    blob = device_run(team.intake.store, sha, False, 1, now)
    outcome = team["alice"].decide(v2, "approve")
    assert outcome.ok, outcome.error
    return v1, v2, outcome.decision_id, blob


def change_everything(team, worker, v1: int, v2: int) -> None:
    """What the database learns after the decision: a re-scan finds malware with newer signatures, a device
    crashes, the clone search now suspects a counterfeit, and v1 is approved (so v2 is an update now)."""
    team.clock.advance(days=30)
    sha = team.intake.store.detail(v2).artifact_sha256
    now = team.clock()
    scan(worker, sha, FOUND, "block", now)
    worker.store.save_clone_result(sha, CloneResult("counterfeit_suspected", (COPY,), now, 1_000_000))
    device_run(team.intake.store, sha, True, 2, now)
    assert team["bob"].decide(v1, "approve").ok


def test_an_audit_shows_the_evidence_as_it_was_when_the_decision_was_made(team, worker, decided):
    v1, v2, decision_id, blob = decided
    change_everything(team, worker, v1, v2)
    today = load_detail(team["alice"], v2, claim=False)
    assert today.view.detail.scans[0].engines[0].engine_version == "ClamAV 1.4.2"
    assert today.view.detail.clones.verdict == "counterfeit_suspected"
    assert today.changes is not None and today.view.detail.previous_facts is not None
    assert any(flag.code == "scan_blocked" for flag in today.red_flags)

    audit = open_audit(team["lena"], decision_id)
    assert audit.frozen and audit.submission_id == v2
    then = audit.detail
    assert [s.engines[0].engine_version for s in then.view.detail.scans] == ["ClamAV 1.4.1"]
    assert then.view.detail.scans[0].engines[0].signatures_version == "daily 27463"
    assert then.view.detail.clones.verdict == "no_match" and then.view.detail.clones.catalog_size == 1000
    assert [run.label for run in then.view.detail.device_runs] == ["run 1"]
    assert then.view.detail.device_runs[0].results[0].crashed is False
    assert set(then.device_files) == {blob}  # the screenshot by its hash, in the blob store
    assert then.view.detail.previous_facts is None and then.changes is None  # no approved version then
    assert [(v.submission_id, v.status) for v in then.view.detail.versions] == [(v1, "pending")]
    assert not any(flag.source in ("scan", "clones", "devices") for flag in then.red_flags)
    assert then.view.facts is not None and then.view.facts.version_code == 2
    # The icon by its blob's hash, read from the auditor's blob store when it holds it (a team shares one).
    assert then.view.detail.icon_blob == team.intake.store.detail(v2).icon_blob is not None
    # As its reviewer had it: open, unclaimed, nothing decided on it yet.
    assert then.view.row.status == "pending" and then.view.row.claimed_by is None
    assert then.view.detail.decisions == () and then.claim_error is None


def test_the_blind_view_carries_nothing_of_the_decision(team, decided):
    _, _, decision_id, _ = decided
    decision = team["lena"].store.decision(decision_id)
    audit = open_audit(team["lena"], decision_id)
    body = json.dumps(dataclasses.asdict(audit.detail.view.detail), default=str)
    assert "alice" not in body and decision_id not in body
    assert not {f.name for f in dataclasses.fields(audit)} & {"verdict", "reviewer", "reason_codes", "message"}
    assert audit.decided_at == decision.decided_at


def test_identical_evidence_is_stored_once(team, decided):
    _, _, decision_id, _ = decided
    store = team["lena"].store
    sha, text = store.decision_evidence(decision_id)
    assert hashlib.sha256(text.encode()).hexdigest() == sha
    again = thaw(text)
    assert canonical(freeze(again.detail, again.changes, again.red_flags, team.clock()))[0] == sha  # round trip
    # Two more decisions sent with this very evidence: still one text.
    for package in ("com.same.one", "com.same.two"):
        sid = team.file(package, tier=3)
        record, _ = team["bob"].store.record_decision(decision_id=f"{package}-d", submission_id=sid, reviewer="bob",
                                                      verdict="approve", reason_codes=(), message=None,
                                                      now=team.clock(), lease=timedelta(minutes=5),
                                                      evidence=(sha, text))  # fmt: skip
        assert store.decision_evidence(record.decision_id) == (sha, text)
    assert {store.decision_evidence(d.decision_id)[0] for d in store.decisions()} == {sha}
    assert store.evidence_count() == 1


def test_evidence_cannot_be_changed_afterwards_even_by_the_owner(team, decided):
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql
    from sqlalchemy.exc import DBAPIError

    _, _, decision_id, _ = decided
    sha, _ = team.intake.store.decision_evidence(decision_id)
    url = team.pg_server.url(database=team.database) if team.backend == "postgresql" else team.url("owner")
    engine = create_engine(url)
    try:
        for statement in ("UPDATE evidence_snapshots SET body = '{}' WHERE sha256 = :s",
                          "DELETE FROM evidence_snapshots WHERE sha256 = :s"):  # fmt: skip
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(sql(statement), {"s": sha})
        if team.backend == "postgresql":  # a key that is not the text's hash is refused there
            with pytest.raises(DBAPIError, match="content_hash"), engine.begin() as conn:
                conn.execute(sql("INSERT INTO evidence_snapshots VALUES (:s, '{}', now())"), {"s": "0" * 64})
    finally:
        engine.dispose()
    assert team.intake.store.decision_evidence(decision_id)[0] == sha


def test_nobody_audits_their_own_decision(team, decided):
    _, _, decision_id, _ = decided
    alice = team["alice"]
    for attempt in (lambda: open_audit(alice, decision_id), lambda: record_audit(alice, decision_id, "approve")):
        with pytest.raises(ReviewError) as refused:
            attempt()
        assert str(refused.value) == "you cannot audit your own decision"
    # A lead deciding, then auditing: refused by the review layer, and below it by the database itself.
    lena = team["lena"]
    sid = team.file("com.own.work", tier=3)
    own = lena.decide(sid, "approve").decision_id
    with pytest.raises(ReviewError, match="your own decision"):
        record_audit(lena, own, "reject", ["privacy"])
    with pytest.raises(PermissionDenied) as below:
        lena.store.record_audit(audit_id="a-own", decision_id=own, auditor="lena", verdict="approve", reasons=(),
                                note=None, outcome="agree", now=team.clock())  # fmt: skip
    assert "\n" not in str(below.value)
    if team.backend == "postgresql":
        assert "row-level security" in str(below.value)  # PostgreSQL's own policy said no
    assert lena.store.audits(own) == []


def test_recording_the_audit_then_shows_the_original_with_the_differences(team, decided):
    _, _, decision_id, _ = decided
    lena = team["lena"]
    (item,) = take_sample(lena, 1.0, seed=1)
    assert item.decision_id == decision_id
    queued = lena.store.audit_queue("lena")
    claimed = claim_audit(lena, queued[0].item_id)
    assert claimed.claimed_by == "lena" and not claimed.by_you
    with pytest.raises(ReviewError, match="not audited yet"):
        audit_comparison(lena, decision_id)  # the original is not given before the audit is recorded
    comparison = record_audit(lena, decision_id, "reject", ["privacy", "crash"], note="Asks for SMS.")
    assert not comparison.agree and comparison.verdict_differs
    assert comparison.original.reviewer == "alice" and comparison.original.verdict == "approve"
    assert comparison.reasons_added == ("privacy", "crash") and comparison.reasons_removed == ()
    assert comparison.can_recall
    stored = lena.store.audits(decision_id)
    assert [(a.auditor, a.verdict, a.outcome, a.reason_codes) for a in stored] == [
        ("lena", "reject", "disagree", ("privacy", "crash"))
    ]
    assert lena.store.audit_queue("lena") == []  # done
    (done,) = lena.store.audit_queue("lena", None)
    assert done.state == "done" and done.outcome == "disagree" and done.auditor == "lena"
    with pytest.raises(Exception, match="audited already"):
        record_audit(lena, decision_id, "approve")
    assert audit_comparison(lena, decision_id).audit == comparison.audit


def test_a_reviewer_may_not_record_audits(team, decided):
    _, _, decision_id, _ = decided
    with pytest.raises(PermissionDenied):
        record_audit(team["bob"], decision_id, "approve")


def test_agreeing_needs_the_same_verdict(team, decided):
    _, _, decision_id, _ = decided
    comparison = record_audit(team["lena"], decision_id, "approve", ["privacy"])
    assert comparison.agree and not comparison.verdict_differs and comparison.reasons_added == ("privacy",)


def test_a_reopened_submission_is_back_in_the_queue_with_a_fresh_deadline(team, decided):
    _, v2, decision_id, _ = decided
    lena, alice = team["lena"], team["alice"]
    with pytest.raises(ReviewError, match="record an audit first"):
        reopen_audited(lena, decision_id)
    record_audit(lena, decision_id, "reject", ["malware"])
    team.clock.advance(hours=3)
    deadline = reopen_audited(lena, decision_id)
    assert deadline == lena.sla.deadline(team.clock(), alice.queue_rows([v2])[0].tier)
    assert v2 in alice.queue_ids()
    row = alice.queue_rows([v2])[0]
    assert row.status == "pending" and row.deadline == deadline and row.claimed_by is None
    with pytest.raises(ReviewError, match="in the queue already"):
        reopen_audited(lena, decision_id)
    # the audit trail has the audit and the reopening, in the lead's name, and is intact
    events = list(lena.trail(actions=("audit", "reopen")))
    assert [(e.actor, e.action, e.subject) for e in events] == [
        ("lena", "audit", f"decision:{decision_id}"),
        ("lena", "reopen", f"submission:{v2}"),
    ]
    assert lena.verify_trail().ok
    # Decided again, with the evidence of now; the first decision and its audit stay.
    again = alice.decide(v2, "reject", ["malware"], "A trojan.")
    assert again.ok and again.status == "rejected"
    assert [d.verdict for d in alice.store.decisions(v2)] == ["approve", "reject"]


def test_only_leads_reopen(team, decided):
    _, v2, decision_id, _ = decided
    record_audit(team["lena"], decision_id, "reject", ["malware"])
    with pytest.raises(PermissionDenied):
        team["bob"].store.reopen_submission(v2, team.clock() + timedelta(hours=2), "bob")
    assert team["bob"].store.submission_status(v2) == "approved"


def test_recalling_withdraws_the_app_through_a_recall_case(team, decided):
    _, v2, decision_id, _ = decided
    lena = team["lena"]
    record_audit(lena, decision_id, "reject", ["fee_deduction"])
    case = recall_audited(lena, decision_id, "Sends premium SMS: found in the audit.")
    assert case.state == "recalled" and case.source == "lead" and case.closed_by == "lena"
    assert case.submission_id == v2 and case.package == "com.example.notes"
    stored = team["alice"].view(v2).detail
    assert stored.withdrawn_at is not None and stored.withdrawn_reason == "Sends premium SMS: found in the audit."
    assert not audit_comparison(lena, decision_id).can_recall
    with pytest.raises(Exception, match="recalled already"):
        recall_audited(lena, decision_id, "again")
    with pytest.raises(ReviewError, match="reason"):
        recall_audited(lena, decision_id, "  ")


def test_a_note_reaches_the_reviewer_who_marks_it_read(team, decided):
    _, v2, decision_id, _ = decided
    lena, alice, bob = team["lena"], team["alice"], team["bob"]
    record_audit(lena, decision_id, "reject", ["privacy"])
    note = note_to_reviewer(lena, decision_id, "This one asks for SMS without a reason: please look again.")
    assert (note.to_reviewer, note.from_reviewer, note.submission_id) == ("alice", "lena", v2)
    (event,) = lena.trail(actions=("note",))
    assert (event.actor, event.subject, event.details["decision"]) == ("lena", "user:alice", decision_id)
    assert unread_notes(bob) == []
    (seen,) = unread_notes(alice)
    assert seen.text.startswith("This one asks") and seen.decision_id == decision_id and seen.read_at is None
    assert mark_notes_read(alice, [seen.note_id]) == 1
    assert unread_notes(alice) == []
    assert alice.store.reviewer_notes("alice", unread_only=False)[0].read_at is not None
    with pytest.raises(ReviewError, match="empty"):
        note_to_reviewer(lena, decision_id, "   ")


def test_a_reviewer_cannot_mark_someone_elses_notes_read(team, decided):
    _, _, decision_id, _ = decided
    record_audit(team["lena"], decision_id, "reject", ["privacy"])
    note = note_to_reviewer(team["lena"], decision_id, "Look again.")
    if team.backend == "postgresql":
        assert mark_notes_read(team["bob"], [note.note_id]) == 0  # row-level security: not bob's
    else:
        with pytest.raises(PermissionDenied):
            mark_notes_read(team["bob"], [note.note_id])
    assert [n.note_id for n in unread_notes(team["alice"])] == [note.note_id]


def test_a_decision_kept_back_in_the_journal_is_frozen_with_the_evidence_of_when_it_is_sent(team, worker, decided):
    v1, _, _, _ = decided
    alice = team["alice"]
    held = alice.decide(v1, "approve", hold=30)
    assert held.ok and held.status == "held"
    sha = team.intake.store.detail(v1).artifact_sha256
    scan(worker, sha, CLEAN, "pass", team.clock())  # arrives while the decision waits
    alice.flush_journal(held_too=True)
    audit = open_audit(team["lena"], held.decision_id)
    assert [s.engines[0].engine_version for s in audit.detail.view.detail.scans] == ["ClamAV 1.4.1"]


def test_a_lead_cannot_claim_their_own_decision_even_past_the_review_layer(team):
    lena = team["lena"]
    sid = team.file("com.own.claim", tier=3)
    lena.decide(sid, "approve")
    (item,) = take_sample(lena, 1.0, seed=2, new_reviewer_first_n=0)
    (queued,) = lena.store.audit_queue("lena")
    assert queued.by_you and queued.decision_id == item.decision_id
    with pytest.raises(ReviewError, match="your own decision"):
        claim_audit(lena, queued.item_id)
    with pytest.raises(PermissionDenied) as refused:
        lena.store.claim_audit_item(queued.item_id, "lena", team.clock())
    assert "\n" not in str(refused.value)
    assert lena.store.audit_queue("lena")[0].claimed_by is None


def test_frozen_evidence_that_cannot_be_read_is_a_one_line_error_and_unknown_fields_are_ignored(team, decided):
    _, _, decision_id, _ = decided
    _, text = team["lena"].store.decision_evidence(decision_id)
    body = json.loads(text)
    body["row"]["added_later"] = 1  # a field a newer version wrote
    body["scans"][0]["engines"][0]["also_later"] = "x"
    thawed = thaw(json.dumps(body))
    assert thawed.detail.scans[0].engines[0] == CLEAN
    for bad, why in (("{", "not JSON"), ('{"version": 99}', "version"), ('{"version": 1}', "incomplete")):
        with pytest.raises(ValueError, match=why) as refused:
            thaw(bad)
        assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("verdict", "reasons", "note", "why"),
    [
        ("escalate", (), None, "approve or reject"),
        ("reject", (), None, "at least one reason"),
        ("reject", ("nonsense",), None, "unknown reason code"),
        ("approve", (), "x" * 4001, "longer than"),
    ],
)
def test_bad_audits_are_refused_in_one_line(team, decided, verdict, reasons, note, why):
    _, _, decision_id, _ = decided
    with pytest.raises(ReviewError, match=why) as refused:
        record_audit(team["lena"], decision_id, verdict, reasons, note)
    assert "\n" not in str(refused.value)
    assert team["lena"].store.audits(decision_id) == []
    with pytest.raises(ReviewError, match="no decision"):
        open_audit(team["lena"], "no-such-decision")


def test_a_decision_goes_without_its_evidence_rather_than_not_at_all(team, monkeypatch):
    from reviewer_app.review import evidence

    def broken(*_args, **_kwargs):
        raise TypeError("a record the snapshot cannot hold")

    monkeypatch.setattr(evidence, "freeze", broken)
    sid = team.file("com.no.evidence", tier=3)
    outcome = team["alice"].decide(sid, "approve")
    assert outcome.ok and outcome.status == "approved"
    assert team["lena"].store.decision_evidence(outcome.decision_id) == (None, None)
    audit = open_audit(team["lena"], outcome.decision_id)  # shown from the database, and said so
    assert not audit.frozen and audit.detail.view.row.status == "pending" and audit.detail.view.detail.decisions == ()


def test_the_reviewers_name_is_hidden_wherever_the_evidence_carries_it(team, worker, demo_facts, demo_apks):
    v1 = file_demo(team, demo_facts, demo_apks, "com.example.notes_1.apk")
    alice = team["alice"]
    assert alice.decide(v1, "approve").ok  # the version before: decided by alice too
    v2 = file_demo(team, demo_facts, demo_apks, "com.example.notes_2.apk")
    sha = team.intake.store.detail(v2).artifact_sha256
    store = worker.store
    scan_id = store.start_scan(job_id=None, artifact_sha256=sha, submission_id=None, reason="submitted",
                               policy="any_clean", engines_expected=1, signatures="s", worker="alice@desk:4242/0",
                               now=team.clock())  # fmt: skip
    store.finish_scan(scan_id, job_id=None, worker="alice@desk:4242/0", now=team.clock(), engines=[CLEAN],
                      gate="pass", gate_reason="")  # fmt: skip
    decision = alice.decide(v2, "reject", ["privacy"], "Contacts without a reason.")
    audit = open_audit(team["lena"], decision.decision_id)
    seen = audit.detail.view.detail
    assert "alice" not in json.dumps(dataclasses.asdict(seen), default=str)
    assert [(v.submission_id, v.decided_by) for v in seen.versions] == [(v1, "—")]
    assert seen.scans[0].worker == "—"
    assert team["lena"].store.decision(decision.decision_id).reviewer == "alice"  # hidden, not changed
