"""The shared team database on a real PostgreSQL server that the tests start, stop and restart."""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from reviewer_app.config import Settings
from reviewer_app.review import ReviewService, admin
from reviewer_app.store.watch import watch_changes
from tests.review.conftest import Clock, Team


@pytest.fixture
def pg_team(tmp_path, pg_server):
    team = Team("postgresql", tmp_path, Clock(datetime.now(UTC)), pg_server)
    yield team
    team.close()


def connect(team: Team, user: str) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=team.pg_server.port, dbname=team.database, user=user, autocommit=True)


# -- roles: each refused by the server what it must not do, allowed what it may ---------------------


def refused(conn: psycopg.Connection, sql: str, params=()) -> str:
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql, params)
    assert info.value.sqlstate in ("42501", "P0001"), info.value  # insufficient privilege / trigger refusal
    return str(info.value)


def test_reviewer_decides_only_in_own_name_on_held_work(pg_team):
    held = pg_team.file("com.held", tier=3)
    other = pg_team.file("com.other", tier=3)
    pg_team["alice"].claim(held)
    pg_team["bob"].claim(other)
    alice = connect(pg_team, "alice")
    insert = (
        "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
        "VALUES (%s, %s, %s, now(), 'approve', '[]')"
    )
    assert "row-level security" in refused(alice, insert, ("d1", held, "bob"))  # someone else's name
    assert "row-level security" in refused(alice, insert, ("d2", other, "alice"))  # bob holds it
    alice.execute(insert, ("d3", held, "alice"))  # her own, on what she holds: allowed
    assert alice.execute("SELECT status, claimed_by FROM submissions WHERE id = %s", (held,)).fetchone() == (
        "approved",
        None,
    )
    refused(alice, "UPDATE decisions SET verdict = 'reject' WHERE id = 'd3'")
    refused(alice, "DELETE FROM decisions WHERE id = 'd3'")
    refused(alice, "UPDATE submissions SET status = 'approved' WHERE id = %s", (other,))
    refused(
        alice,
        "INSERT INTO audits (id, decision_id, auditor, audited_at, outcome) "
        "VALUES ('a1', 'd3', 'alice', now(), 'agree')",
    )
    refused(
        alice,
        "INSERT INTO recalls (id, package, recalled_by, recalled_at, reason) "
        "VALUES ('r1', 'com.held', 'alice', now(), 'x')",
    )
    refused(alice, "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('k', '1', 'alice', now())")
    refused(alice, "CREATE ROLE mallory LOGIN")
    # taking over bob's live claim, or releasing it, changes nothing: the policy hides the row
    assert alice.execute("UPDATE submissions SET claimed_by = 'alice' WHERE id = %s", (other,)).rowcount == 0
    assert alice.execute("UPDATE submissions SET claimed_by = NULL WHERE id = %s", (other,)).rowcount == 0
    alice.close()


def test_the_one_call_decision_function_gives_a_reviewer_no_more_rights(pg_team):
    held = pg_team.file("com.fn.held", tier=3)
    other = pg_team.file("com.fn.other", tier=3)
    free = pg_team.file("com.fn.free", tier=3)
    pg_team["alice"].claim(held)
    pg_team["bob"].claim(other)
    alice = connect(pg_team, "alice")
    call = "SELECT record_decision(%s, %s, %s, now(), 'approve', '[]', NULL, interval '15 minutes')"
    refused(alice, call, ("f1", free, "bob"))  # in someone else's name
    assert alice.execute(call, ("f1", held, "bob")).fetchone() == (False,)  # bob does not hold it
    assert alice.execute(call, ("f2", other, "alice")).fetchone() == (False,)  # bob holds it: nothing taken
    assert alice.execute("SELECT claimed_by FROM submissions WHERE id = %s", (other,)).fetchone() == ("bob",)
    assert alice.execute(call, ("f3", held, "alice")).fetchone() == (True,)
    assert alice.execute(call, ("f4", free, "alice")).fetchone() == (True,)  # free: taken and decided at once
    decided = alice.execute("SELECT id, reviewer FROM decisions ORDER BY id").fetchall()
    assert decided == [("f3", "alice"), ("f4", "alice")]
    alice.close()


def test_work_goes_on_straight_after_a_server_restart(pg_team):
    """The connection kept for claims and decisions was dropped by the restart: the next call replaces
    it instead of reporting the database as gone."""
    ids = [pg_team.file(f"com.restart.p{i}", tier=3) for i in range(2)]
    alice = pg_team["alice"]
    first = alice.claim_next()
    assert alice.decide(first.submission_id, "approve").status == "approved"
    pg_team.pg_server.restart()
    second = alice.claim_next()
    assert second is not None and second.submission_id in ids and second.submission_id != first.submission_id
    pg_team.pg_server.restart()
    outcome = alice.decide(second.submission_id, "approve")
    assert outcome.ok and not outcome.queued and outcome.status == "approved"
    pg_team.pg_server.restart()
    assert alice.renew(second.submission_id) is False  # decided: nothing left to renew, and no error


def test_a_bulk_import_refreshes_the_planner_statistics(pg_team):
    now = datetime.now(UTC)
    counted = "SELECT reltuples FROM pg_class WHERE relname = 'submissions'"  # set by ANALYZE (or VACUUM)
    assert float(pg_team.pg_server.psql(counted, database=pg_team.database)) < 1500
    pg_team.intake.store.add_submissions_bulk(
        [
            {
                "kind": "metadata",
                "developer": "bulk",
                "tier": 3,
                "package": f"com.bulk.p{i}",
                "submitted_at": now,
                "deadline": now + timedelta(hours=1),
            }
            for i in range(1500)
        ]
    )
    assert float(pg_team.pg_server.psql(counted, database=pg_team.database)) >= 1500
    plan = pg_team.pg_server.psql(
        "EXPLAIN SELECT id FROM submissions WHERE status = 'pending' AND claimed_by = 'alice'",
        database=pg_team.database,
    )
    assert "ix_submissions_claimed_by" in plan and "ix_submissions_queue" not in plan, plan


def test_without_roles_created_a_user_works_as_a_lead_like_on_an_unconfigured_workstation(own_pg_server, tmp_path):
    url = own_pg_server.url(database=own_pg_server.create_database())
    service = ReviewService(Settings(data_dir=tmp_path / "solo", db_url=url))
    try:
        assert service.role == "lead" and "escalated" in service.work_statuses
    finally:
        service.close()
    admin.create_roles(Settings(data_dir=tmp_path / "owner", db_url=url))
    admin.add_user(Settings(data_dir=tmp_path / "owner", db_url=url), "rita", "reviewer", None)
    rita = ReviewService(Settings(data_dir=tmp_path / "rita", db_url=url.replace("postgres@", "rita@", 1)))
    try:
        assert rita.role == "reviewer" and rita.work_statuses == ("pending",)
    finally:
        rita.close()


def test_lead_audits_others_but_never_own_work_and_records_recalls(pg_team):
    sid_alice = pg_team.file("com.audit.alice", tier=3)
    sid_lena = pg_team.file("com.audit.lena", tier=3)
    by_alice = pg_team["alice"].decide(sid_alice, "approve").decision_id
    by_lena = pg_team["lena"].decide(sid_lena, "approve").decision_id
    lena = connect(pg_team, "lena")
    audit = "INSERT INTO audits (id, decision_id, auditor, audited_at, outcome) VALUES (%s, %s, %s, now(), 'disagree')"
    lena.execute(audit, ("a1", by_alice, "lena"))
    assert "row-level security" in refused(lena, audit, ("a2", by_lena, "lena"))  # her own decision
    refused(lena, audit, ("a3", by_alice, "adam"))  # in someone else's name
    refused(lena, "DELETE FROM audits WHERE id = 'a1'")
    refused(lena, "UPDATE audits SET outcome = 'agree' WHERE id = 'a1'")
    lena.execute(
        "INSERT INTO recalls (id, package, submission_id, recalled_by, recalled_at, reason) "
        "VALUES ('r1', 'com.audit.alice', %s, 'lena', now(), 'malware found later')",
        (sid_alice,),
    )
    refused(lena, "DELETE FROM recalls WHERE id = 'r1'")
    lena.close()


def test_admin_manages_intake_settings_and_users_but_decides_nothing(pg_team):
    sid = pg_team.file("com.admin", tier=2)  # intake is the admin's job
    adam = connect(pg_team, "adam")
    adam.execute("INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('sla', '{}', 'adam', now())")
    refused(
        adam,
        "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
        "VALUES ('dx', %s, 'adam', now(), 'approve', '[]')",
        (sid,),
    )
    refused(adam, "DELETE FROM submissions WHERE id = %s", (sid,))
    adam.close()
    # an admin creates a reviewer through the same command an administrator runs
    as_adam = Settings(data_dir=pg_team.tmp_path / "adam-cli", db_url=pg_team.url("adam"))
    admin.add_user(as_adam, "newbie", "reviewer", "s3cret")
    newbie = connect(pg_team, "newbie")
    assert newbie.execute("SELECT pg_has_role('newbie', 'reviewer_app_reviewer', 'MEMBER')").fetchone()[0]
    newbie.close()
    alice = connect(pg_team, "alice")
    refused(alice, "GRANT reviewer_app_lead TO alice")  # reviewers cannot promote themselves
    alice.close()


def test_reviewer_cannot_file_submissions(pg_team):
    from reviewer_app.domain import PermissionDenied

    now = datetime.now(UTC)
    with pytest.raises(PermissionDenied, match="refused"):
        pg_team["alice"].store.add_submission(
            kind="new",
            developer="x",
            tier=3,
            submitted_at=now,
            deadline=now + timedelta(hours=24),
            package="com.sneaky",
        )


# -- concurrency ------------------------------------------------------------------------------------


def _claim_worker(url: str, data_dir: str, count: int, results) -> None:
    from reviewer_app.review import ReviewService

    service = ReviewService(Settings(data_dir=data_dir, db_url=url))
    got = []
    for _ in range(count):
        claim = service.claim_next()
        if claim is None:
            break
        got.append(claim.submission_id)
        outcome = service.decide(claim.submission_id, "approve")
        assert outcome.ok, outcome.error
    service.close()
    results.put(got)


def test_concurrent_processes_never_claim_the_same_submission(pg_team):
    now = datetime.now(UTC)
    items = [
        {
            "kind": "new",
            "developer": "bulk",
            "tier": 3,
            "package": f"com.bulk.p{i}",
            "submitted_at": now,
            "deadline": now + timedelta(minutes=i),
        }
        for i in range(240)
    ]
    pg_team.intake.store.add_submissions_bulk(items)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    users = ["alice", "bob", "carol", "lena"]
    procs = [
        ctx.Process(target=_claim_worker, args=(pg_team.url(u), str(pg_team.tmp_path / f"w-{u}"), 100, results))
        for u in users
    ]
    for p in procs:
        p.start()
    claimed = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    every = [sid for got in claimed for sid in got]
    assert len(every) == 240 and len(set(every)) == 240  # everything claimed once, nothing twice
    assert pg_team.intake.queue_ids() == []
    decisions = pg_team.intake.store.decisions()
    assert len(decisions) == 240 and len({d.submission_id for d in decisions}) == 240


# -- the offline journal ----------------------------------------------------------------------------


def test_server_stopped_during_a_burst_of_decisions_loses_nothing_and_doubles_nothing(pg_team):
    server = pg_team.pg_server
    ids = [pg_team.file(f"com.burst.p{i}", tier=3) for i in range(30)]
    alice = pg_team["alice"]
    outcomes = []
    try:
        for index, sid in enumerate(ids):
            if index == 10:
                server.stop("immediate")  # the shared database goes away mid-burst
            outcomes.append(alice.decide(sid, "approve"))
        assert all(o.ok for o in outcomes)
        queued = [o for o in outcomes if o.queued]
        assert len(queued) == 20 and all(o.status == "queued" for o in queued)
        status = alice.journal_status()
        assert status.pending == 20 and not status.online
    finally:
        server.start()
    status = alice.flush_journal()
    assert status.pending == 0 and status.online and status.conflicts == ()
    stored = pg_team.intake.store.decisions()
    assert sorted(d.decision_id for d in stored) == sorted(o.decision_id for o in outcomes)
    assert sorted(d.submission_id for d in stored) == sorted(ids)
    assert alice.flush_journal().pending == 0
    assert len(pg_team.intake.store.decisions()) == 30  # flushing again applies nothing twice


def test_a_decision_that_conflicts_on_flush_is_kept_and_shown(pg_team):
    server = pg_team.pg_server
    sid = pg_team.file("com.conflict", tier=3)
    alice, bob = pg_team["alice"], pg_team["bob"]
    try:
        assert alice.flush_journal().online
        server.stop("immediate")
        assert not alice.flush_journal().online  # nothing to push, yet it notices the database is gone
        queued = alice.decide(sid, "approve")
        assert queued.queued
    finally:
        server.start()
    assert bob.decide(sid, "reject", ["malware"], "found a trojan").ok  # bob decided first on the server
    status = alice.flush_journal()
    assert status.pending == 0
    (conflict,) = status.conflicts
    assert conflict.decision_id == queued.decision_id and "bob" in conflict.error
    assert (conflict.conflict_kind, conflict.conflict_by, conflict.conflict_verdict) == ("decided", "bob", "reject")
    alice.dismiss_conflict(conflict.decision_id)
    assert alice.journal_status().conflicts == ()
    assert [d.reviewer for d in alice.store.decisions(sid)] == ["bob"]


# -- live updates -----------------------------------------------------------------------------------


def test_other_reviewers_claims_and_decisions_reach_every_workstation(pg_team):
    sid = pg_team.file("com.live", tier=5)
    seen: list[set[int] | None] = []
    stop = threading.Event()
    watcher = threading.Thread(target=watch_changes, args=(pg_team.url("alice"), seen.append, stop, 0.2))
    watcher.start()
    try:
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:  # the first report says "connected, reload"
            time.sleep(0.05)
        seen.clear()
        started = time.monotonic()
        pg_team["bob"].claim(sid)
        while not any(s and sid in s for s in seen) and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert any(s and sid in s for s in seen), "bob's claim never reached alice"
        claim_latency = time.monotonic() - started
        seen.clear()
        pg_team["bob"].decide(sid, "approve")
        started = time.monotonic()
        while not any(s and sid in s for s in seen) and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert any(s and sid in s for s in seen), "bob's decision never reached alice"
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert claim_latency < 3


def test_a_recall_case_opened_or_closed_elsewhere_reaches_every_workstation(pg_team):
    """Recall cases come on the queue's channel as "recalls" (migration 0018): not as a submission id."""
    from tests.review.test_rollback import approve

    approve(pg_team, "com.example.notes_1.apk")
    changes: list[set[int] | None] = []
    recalls: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_changes,
        args=(pg_team.url("lena"), changes.append, stop, 0.2),
        kwargs={"on_recalls": lambda: recalls.append(time.monotonic())},
    )
    watcher.start()
    try:
        deadline = time.monotonic() + 5
        while not (changes and recalls) and time.monotonic() < deadline:  # connected: read both again
            time.sleep(0.05)
        assert changes[:1] == [None] and len(recalls) == 1
        pg_team["bob"].claim(pg_team.file("com.live.other", tier=3))  # the queue's news is not the recalls'
        started = time.monotonic()
        while len(changes) < 2 and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert len(changes) >= 2 and len(recalls) == 1
        started = time.monotonic()
        case = pg_team["lena"].recall_live_app("com.example.notes", "malware found after approval")
        while len(recalls) < 2 and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert len(recalls) == 2, "the recall never reached lena"
        assert recalls[1] - started < 3
        assert all(change is None or "recalls" not in change for change in changes)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert case.state == "recalled" and case.source == "lead"


def test_sqlite_changes_are_seen_by_polling(tmp_path):
    team = Team("sqlite", tmp_path, Clock(datetime.now(UTC)))
    try:
        sid = team.file("com.poll", tier=3)
        team["alice"]  # schema in place
        seen: list = []
        stop = threading.Event()
        watcher = threading.Thread(target=watch_changes, args=(team.url("alice"), seen.append, stop, 0.1))
        watcher.start()
        time.sleep(0.3)
        team["bob"].claim(sid)
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
            if not seen and time.monotonic() > deadline - 4:
                # A watcher that started late took the claim as its baseline: the next commit counts.
                team["bob"].renew(sid)
        stop.set()
        watcher.join(timeout=5)
        assert seen == [None] or seen[:1] == [None]
    finally:
        team.close()
