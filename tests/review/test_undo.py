"""Undo: a decision the window makes is kept back in the local journal for a few seconds (`hold`), and can be
taken back until then; after it is sent only a lead can reopen it.

The team's clock says when an undo window ends (leases on PostgreSQL follow the server's clock, which these
tests do not need to move)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta

import pytest

from reviewer_app.config import Settings, sqlite_url
from reviewer_app.review import ReviewService
from reviewer_app.store.journal import DecisionJournal

HOLD = 10.0


def server_verdicts(service: ReviewService, sid: int) -> list[str]:
    return [decision.verdict for decision in service.store.decisions(sid)]


def status_of(service: ReviewService, sid: int) -> str:
    (row,) = service.queue_rows([sid])
    return row.status


# -- the hold -------------------------------------------------------------------------------------


def test_a_held_decision_reaches_the_server_when_its_window_ends_and_a_flush_runs_once(team, alice):
    sid = team.file("com.undo.held", tier=3)
    decided_at = team.clock()
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert outcome.ok and outcome.status == "held" and not outcome.queued
    assert outcome.undo_until == decided_at + timedelta(seconds=HOLD)

    status = alice.journal_status()
    (held,) = status.held
    assert (held.decision_id, held.submission_id, held.verdict) == (outcome.decision_id, sid, "approve")
    assert held.send_after == outcome.undo_until
    assert (status.pending, status.unsent, status.waiting) == (1, 0, (sid,))
    assert server_verdicts(alice, sid) == [] and status_of(alice, sid) == "pending"

    team.clock.advance(seconds=HOLD - 1)
    assert alice.flush_journal().held != ()  # a flush inside the window sends nothing
    assert server_verdicts(alice, sid) == []

    team.clock.advance(seconds=1)
    status = alice.flush_journal()
    assert (status.pending, status.held, status.unsent) == (0, (), 0)
    (stored,) = alice.store.decisions(sid)
    assert (stored.decision_id, stored.reviewer, stored.decided_at) == (outcome.decision_id, "alice", decided_at)
    assert status_of(alice, sid) == "approved"

    alice.flush_journal()
    team.clock.advance(minutes=1)
    alice.flush_journal()
    assert server_verdicts(alice, sid) == ["approve"]  # sent exactly once


def test_nobody_else_takes_a_submission_while_its_decision_is_held(team, alice, bob):
    sid = team.file("com.undo.claimed", tier=5)
    assert alice.decide(sid, "approve", hold=HOLD).ok
    assert bob.claim_next() is None  # the held decision keeps alice's claim
    refused = bob.decide(sid, "reject", ["malware"], "no")
    assert not refused.ok and (refused.conflict_kind, refused.conflict_by) == ("held", "alice")
    team.clock.advance(seconds=HOLD)
    alice.flush_journal()
    assert server_verdicts(alice, sid) == ["approve"]


def test_a_held_decision_on_a_submission_someone_else_holds_is_refused_at_once(team, alice, bob):
    sid = team.file("com.undo.theirs", tier=3)
    bob.claim(sid)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert not outcome.ok and outcome.conflict
    assert (outcome.conflict_kind, outcome.conflict_by) == ("held", "bob")
    assert "held by bob" in outcome.error
    assert outcome.decision_id is None  # not journaled: nothing to undo, nothing to send later
    status = alice.journal_status()
    assert (status.pending, status.held, status.conflicts) == (0, (), ())
    assert server_verdicts(alice, sid) == []
    (row,) = alice.queue_rows([sid])
    assert row.claimed_by == "bob"


def test_a_held_decision_on_a_submission_someone_else_decided_is_refused_at_once(team, alice, bob):
    sid = team.file("com.undo.decided", tier=3)
    assert bob.decide(sid, "reject", ["privacy"], "Remove READ_CONTACTS").ok
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert not outcome.ok and outcome.conflict
    assert (outcome.conflict_kind, outcome.conflict_by, outcome.conflict_at) == ("decided", "bob", team.clock())
    assert outcome.decision_id is None
    status = alice.journal_status()
    assert (status.pending, status.held, status.conflicts) == (0, (), ())
    assert server_verdicts(alice, sid) == ["reject"]


def test_get_next_during_the_window_does_not_hand_back_the_submission_just_decided(team, alice, bob):
    decided = team.file("com.undo.first", tier=5)  # the most urgent
    following = team.file("com.undo.second", tier=3)
    assert alice.claim_next().submission_id == decided
    assert alice.decide(decided, "approve", hold=HOLD).ok
    assert alice.claim_next().submission_id == following  # not the one waiting in her journal
    assert bob.claim_next() is None  # which she still holds for its decision
    assert alice.claim_next().submission_id == following  # asking again keeps what she holds
    team.clock.advance(seconds=HOLD)
    alice.flush_journal()
    assert server_verdicts(alice, decided) == ["approve"]


def test_get_next_after_an_undo_offers_the_submission_again(team, alice):
    sid = team.file("com.undo.again", tier=5)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert alice.claim_next() is None  # nothing else open
    assert alice.undo(outcome.decision_id).ok
    assert alice.claim_next().submission_id == sid


# -- undo -----------------------------------------------------------------------------------------


def test_undo_within_the_window_leaves_no_decision_on_the_server_and_the_submission_open(team, alice):
    sid = team.file("com.undo.undone", tier=3)
    outcome = alice.decide(sid, "reject", ["ads"], "Too many ads", hold=HOLD)
    team.clock.advance(seconds=HOLD - 1)
    undone = alice.undo(outcome.decision_id)
    assert undone.ok and undone.submission_id == sid and undone.code is None
    status = alice.journal_status()
    assert (status.pending, status.held, status.waiting) == (0, (), ())

    team.clock.advance(minutes=1)
    alice.flush_journal()
    assert server_verdicts(alice, sid) == []
    assert status_of(alice, sid) == "pending" and sid in alice.queue_ids()

    again = alice.decide(sid, "approve")  # theirs to decide again
    assert again.ok and again.status == "approved"
    assert server_verdicts(alice, sid) == ["approve"]


def test_undo_once_only(team, alice):
    sid = team.file("com.undo.twice", tier=3)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert alice.undo(outcome.decision_id).ok
    again = alice.undo(outcome.decision_id)
    assert (again.ok, again.code, again.submission_id) == (False, "undone", sid)


def test_undo_after_the_decision_was_sent_is_refused(team, alice):
    sid = team.file("com.undo.sent", tier=3)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    team.clock.advance(seconds=HOLD)
    alice.flush_journal()
    refused = alice.undo(outcome.decision_id)
    assert (refused.ok, refused.code, refused.submission_id) == (False, "sent", sid)
    assert "only a lead can reopen" in refused.error
    assert server_verdicts(alice, sid) == ["approve"]


def test_a_decision_sent_at_once_cannot_be_undone(team, alice):
    sid = team.file("com.undo.script", tier=3)
    outcome = alice.decide(sid, "approve")  # what a script does: no hold
    assert outcome.status == "approved"
    assert alice.undo(outcome.decision_id).code == "sent"


@pytest.mark.parametrize("backend", ["sqlite"])  # the clock moves leases on SQLite only
def test_undo_of_a_decision_the_database_refused_says_so(team, alice, bob):
    sid = team.file("com.undo.conflict", tier=3)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    team.clock.advance(minutes=team.lease_minutes + 1)  # alice's claim ran out before the decision was sent
    assert bob.decide(sid, "reject", ["malware"], "Bundles a trojan").ok
    status = alice.flush_journal()
    assert [entry.decision_id for entry in status.conflicts] == [outcome.decision_id]
    refused = alice.undo(outcome.decision_id)
    assert (refused.ok, refused.code, refused.submission_id) == (False, "conflict", sid)
    alice.dismiss_conflict(outcome.decision_id)
    assert alice.undo(outcome.decision_id).code == "conflict"  # seen and dismissed: still refused
    assert server_verdicts(alice, sid) == ["reject"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_undo_after_the_window_but_before_the_flush_is_too_late(team, alice):
    sid = team.file("com.undo.late", tier=3)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    team.clock.advance(seconds=HOLD)
    late = alice.undo(outcome.decision_id)
    assert (late.ok, late.code) == (False, "late")
    alice.flush_journal()
    assert server_verdicts(alice, sid) == ["approve"]


def test_undo_of_a_decision_this_computer_never_kept(service):
    missing = service.undo("no-such-decision")
    assert (missing.ok, missing.code, missing.submission_id) == (False, "missing", None)


# -- the undo's event: kept in the journal until the audit trail has it, sent once ------------------


def trail_of(service: ReviewService, after: int = 0) -> list[tuple[str, str]]:
    """(action, subject) of the decide and undo events after `after`."""
    return [(e.action, e.subject) for e in service.store.audit_events(after) if e.action in ("decide", "undo")]


def local_iso(when) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_undo_while_the_database_is_down_reaches_the_trail_once_in_its_place_among_the_decisions(team, alice):
    before, undone, after = (team.file(f"com.undo.down{i}", tier=3) for i in range(3))
    start = alice.store.audit_events()[-1].event_id
    server = team.pg_server
    server.stop("immediate")
    try:
        first = alice.decide(before, "approve")  # queued: sent when the database is back
        assert first.ok and first.queued
        held = alice.decide(undone, "reject", ["privacy"], "Remove READ_CONTACTS", hold=HOLD)
        assert held.ok and held.queued
        team.clock.advance(seconds=4)
        undone_at = team.clock()
        assert alice.undo(held.decision_id).ok  # done at once: nothing was sent
        assert alice.journal.undo_state(held.decision_id) == "pending"
        team.clock.advance(seconds=1)
        last = alice.decide(after, "approve")  # journaled after the undo
        assert last.ok and last.queued
        status = alice.flush_journal()
        assert (status.pending, status.undos, status.online) == (2, 1, False)
    finally:
        server.start()
    status = alice.flush_journal()
    assert (status.pending, status.undos, status.online) == (0, 0, True)
    assert trail_of(alice, start) == [
        ("decide", f"submission:{before}"),
        ("undo", f"submission:{undone}"),
        ("decide", f"submission:{after}"),
    ]
    (event,) = [e for e in alice.store.audit_events(start) if e.action == "undo"]
    assert event.actor == "alice"
    assert event.details == {"decision": held.decision_id, "verdict": "reject", "undone_at": local_iso(undone_at)}
    assert alice.journal.undo_state(held.decision_id) == "sent"
    team.clock.advance(minutes=1)
    alice.flush_journal()
    alice.flush_journal(held_too=True)
    assert [e.action for e in alice.store.audit_events(start)].count("undo") == 1  # exactly once
    assert server_verdicts(alice, undone) == [] and status_of(alice, undone) == "pending"
    assert alice.verify_trail().ok


def test_an_undo_whose_acknowledgement_was_lost_is_not_appended_twice(team, alice):
    sid = team.file("com.undo.ack", tier=3)
    outcome = alice.decide(sid, "approve", hold=HOLD)
    assert alice.undo(outcome.decision_id).ok
    assert alice.journal.undo_state(outcome.decision_id) == "sent"
    (undo,) = [e for e in alice.store.audit_events() if e.action == "undo"]
    # As if the commit had reached the server and its answer had not come back: the journal sends it again.
    alice.journal.mark_undo(outcome.decision_id, "pending")
    assert alice.journal_status().undos == 1
    alice.flush_journal()
    assert alice.journal_status().undos == 0 and alice.journal.undo_state(outcome.decision_id) == "sent"
    assert [e for e in alice.store.audit_events() if e.action == "undo"] == [undo]
    again = ReviewService(team.settings("alice"), clock=team.clock)  # the window opened again: nothing to send
    try:
        assert again.journal_status().undos == 0
    finally:
        again.close()


def test_a_closed_window_sends_an_undo_the_database_did_not_take_when_it_opens_again(tmp_path, clock):
    """Kept in the journal's file, not in memory: a workstation closed while offline sends it next time."""
    url = sqlite_url(tmp_path / "team.sqlite3")
    alice = ReviewService(Settings(data_dir=tmp_path / "alice", db_url=url, reviewer="alice"), clock=clock)
    now = clock()
    sid = alice.store.add_submission(kind="new", developer="Acme", tier=3, submitted_at=now, deadline=now,
                                     package="com.undo.later")  # fmt: skip
    outcome = alice.decide(sid, "approve", hold=HOLD)
    # The undo as the journal keeps it when the database does not answer: undone, its event waiting.
    assert alice.journal.undo(outcome.decision_id, clock())
    alice.close()
    reopened = ReviewService(Settings(data_dir=tmp_path / "alice", db_url=url, reviewer="alice"), clock=clock)
    try:
        assert reopened.journal_status().undos == 1
        reopened.flush_journal()
        events = [e for e in reopened.store.audit_events() if e.action == "undo"]
        assert [(e.subject, e.details["decision"]) for e in events] == [(f"submission:{sid}", outcome.decision_id)]
        assert reopened.journal_status().undos == 0
    finally:
        reopened.close()


# -- closing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"])
def test_closing_sends_held_decisions_at_once(team, alice):
    first = team.file("com.undo.close1", tier=3)
    second = team.file("com.undo.close2", tier=3)
    alice.decide(first, "approve", hold=HOLD)
    alice.decide(second, "escalate", message="Second opinion", hold=HOLD)
    assert alice.flush_journal().pending == 2  # the beat keeps them back
    status = alice.flush_journal(held_too=True)  # the window closes
    assert (status.pending, status.held) == (0, ())
    assert server_verdicts(alice, first) == ["approve"] and server_verdicts(alice, second) == ["escalate"]
    alice.close()
    reopened = ReviewService(team.settings("alice"), clock=team.clock)
    try:
        assert reopened.journal_status().pending == 0  # nothing left to send twice
    finally:
        reopened.close()
    team.services.pop("alice")


# -- a journal an older version wrote -------------------------------------------------------------

# The journal's table before undo existed (no send_after, no 'undone' state), as that version created it.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id TEXT NOT NULL UNIQUE,
    database TEXT NOT NULL,
    submission_id INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    verdict TEXT NOT NULL,
    reason_codes TEXT NOT NULL,
    message TEXT,
    decided_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'pushed', 'conflict', 'dismissed')),
    error TEXT,
    conflict_kind TEXT,
    conflict_by TEXT,
    conflict_at TEXT,
    conflict_verdict TEXT
)
"""


def write_old_journal(path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(OLD_SCHEMA)
    conn.execute("CREATE INDEX IF NOT EXISTS journal_waiting ON journal (database, state, seq)")
    for row in rows:
        conn.execute(
            f"INSERT INTO journal ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        )
    conn.commit()
    conn.close()


def test_a_journal_written_before_undo_keeps_its_entries_and_can_then_hold_and_undo(tmp_path, clock):
    url = sqlite_url(tmp_path / "team.sqlite3")
    intake = ReviewService(Settings(data_dir=tmp_path / "intake", db_url=url, reviewer="adam"), clock=clock)
    now = clock()
    sids = [
        intake.store.add_submission(
            kind="metadata", developer="Acme", tier=3, submitted_at=now, deadline=now, package=f"com.old.{n}"
        )
        for n in range(4)
    ]
    offline, sent, beaten, fresh = sids
    assert intake.decide(beaten, "reject", ["malware"], "Trojan").ok  # somebody else's, before alice's
    intake.close()
    earlier = ReviewService(Settings(data_dir=tmp_path / "earlier", db_url=url, reviewer="alice"), clock=clock)
    assert earlier.decide(sent, "approve", decision_id="d-sent").ok  # alice's, sent before the upgrade
    earlier.close()

    decided = (now - timedelta(hours=1)).isoformat()
    common = {"database": url, "reviewer": "alice", "decided_at": decided, "message": None}
    write_old_journal(
        tmp_path / "alice" / "journal.sqlite3",
        [
            {**common, "decision_id": "d-sent", "submission_id": sent, "verdict": "approve", "reason_codes": "[]",
             "state": "pushed"},
            {**common, "decision_id": "d-beaten", "submission_id": beaten, "verdict": "approve", "reason_codes": "[]",
             "state": "conflict", "error": f"submission {beaten} was already decided", "conflict_kind": "decided",
             "conflict_by": "adam", "conflict_at": now.isoformat(), "conflict_verdict": "reject"},
            {**common, "decision_id": "d-seen", "submission_id": beaten, "verdict": "escalate", "reason_codes": "[]",
             "state": "dismissed"},
            {**common, "decision_id": "d-offline", "submission_id": offline, "verdict": "reject",
             "reason_codes": '["privacy"]', "message": "Remove READ_CONTACTS", "state": "pending"},
        ],
    )  # fmt: skip

    alice = ReviewService(Settings(data_dir=tmp_path / "alice", db_url=url, reviewer="alice"), clock=clock)
    try:
        journal = alice.journal
        assert {d: journal.entry(d).state for d in ("d-sent", "d-beaten", "d-seen", "d-offline")} == {
            "d-sent": "pushed",
            "d-beaten": "conflict",
            "d-seen": "dismissed",
            "d-offline": "pending",
        }
        (conflict,) = alice.journal_status().conflicts
        assert (conflict.decision_id, conflict.conflict_kind, conflict.conflict_by, conflict.conflict_at) == (
            "d-beaten",
            "decided",
            "adam",
            now,
        )
        assert conflict.conflict_verdict == "reject" and conflict.send_after is None
        waiting = journal.entry("d-offline")
        assert (waiting.reason_codes, waiting.message, waiting.send_after) == (
            ("privacy",),
            "Remove READ_CONTACTS",
            None,
        )
        assert alice.undo("d-sent").code == "sent" and alice.undo("d-beaten").code == "conflict"

        # The decision kept while offline goes out at the next flush, as it would have before.
        assert alice.flush_journal().pending == 0
        (stored,) = alice.store.decisions(offline)
        assert (stored.decision_id, stored.verdict, stored.decided_at) == (
            "d-offline",
            "reject",
            now - timedelta(hours=1),
        )

        # And the upgraded journal holds and undoes.
        held = alice.decide(fresh, "approve", hold=HOLD)
        assert held.ok and [h.decision_id for h in alice.journal_status().held] == [held.decision_id]
        assert alice.undo(held.decision_id).ok
        assert journal.entry(held.decision_id).state == "undone"
        clock.advance(seconds=HOLD)
        alice.flush_journal()
        assert alice.store.decisions(fresh) == []
    finally:
        alice.close()

    # Opened again (a second window, or the next day): upgraded once, nothing lost.
    again = DecisionJournal(tmp_path / "alice" / "journal.sqlite3")
    try:
        assert [e.decision_id for e in again.conflicts(url)] == ["d-beaten"]
        assert again.entry(held.decision_id).state == "undone"
        assert again.entry("d-offline").state == "pushed"
    finally:
        again.close()


def test_a_journal_written_before_undo_events_sends_no_old_undo_and_keeps_new_ones(tmp_path, clock):
    """Version 1 had undo but no undo_events: its undos were sent (or lost) when made; none is sent again."""
    from reviewer_app.store.journal import SCHEMA

    url = sqlite_url(tmp_path / "team.sqlite3")
    path = tmp_path / "alice" / "journal.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute(SCHEMA)
    conn.execute(
        "INSERT INTO journal (decision_id, database, submission_id, reviewer, verdict, reason_codes, decided_at,"
        " state) VALUES ('d-old', ?, 1, 'alice', 'approve', '[]', ?, 'undone')",
        (url, clock().isoformat()),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    journal = DecisionJournal(path)
    try:
        assert journal.pending_undos(url) == [] and journal.undo_state("d-old") is None
        assert journal.entry("d-old").state == "undone"
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone() == (2,)
    finally:
        journal.close()
    alice = ReviewService(Settings(data_dir=tmp_path / "alice", db_url=url, reviewer="alice"), clock=clock)
    try:
        now = clock()
        sid = alice.store.add_submission(kind="new", developer="Acme", tier=3, submitted_at=now, deadline=now,
                                         package="com.undo.v1")  # fmt: skip
        held = alice.decide(sid, "approve", hold=HOLD)
        assert alice.undo(held.decision_id).ok
        assert [e.details["decision"] for e in alice.store.audit_events() if e.action == "undo"] == [held.decision_id]
    finally:
        alice.close()
