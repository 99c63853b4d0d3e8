"""Scans are jobs in the database that workers run: on SQLite and on the tests' own PostgreSQL server, with
real engines (the shipped YARA rules and the built-in Android rules) on the project's purpose-built APKs."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewer_app.config import ScanSettings, Settings
from reviewer_app.review import PermissionDenied, ReviewService, admin
from reviewer_app.review.detail import load_detail
from reviewer_app.review.worker import run_worker
from tests.review.conftest import Clock, Team

APKS = Path(__file__).resolve().parents[1] / "data" / "apks"
FAST_ENGINES = ScanSettings(engines=("yara", "android_rules"))
SLOW = "tests.scanning.engines:SlowClean"


@pytest.fixture
def pg_team(tmp_path, pg_server):
    team = Team("postgresql", tmp_path, Clock(datetime.now(UTC)), pg_server)
    yield team
    team.close()


def worker_settings(team: Team, scanning: ScanSettings = FAST_ENGINES) -> Settings:
    """A worker of the team: a database user in the worker group on PostgreSQL, sharing the blob store of
    the intake (as workers on other machines share a network folder)."""
    if team.backend == "postgresql":
        owner = Settings(data_dir=team.tmp_path / "owner", db_url=team.pg_server.url(database=team.database))
        admin.add_user(owner, "wendy", "worker", None)
    return Settings(
        data_dir=team.tmp_path / "adam",
        db_url=team.url("wendy"),
        reviewer="wendy",
        scanning=scanning,
    )


def submit(team: Team, *names: str) -> dict[str, int]:
    outcomes = list(team.intake.submit([str(APKS / name) for name in names], kind="new", developer="dev"))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return {name: o.submission_id for name, o in zip(names, outcomes, strict=True)}


def run_once(settings: Settings, **kwargs) -> int:
    return run_worker(settings, threading.Event(), once=True, poll_seconds=0.1, **kwargs).jobs


def test_filing_a_package_queues_a_scan_that_a_worker_runs(team):
    ids = submit(team, "sms-premium.apk", "plain.apk")
    assert team.intake.scan_job_counts()["queued"] == 2
    assert team["alice"].view(ids["plain.apk"]).detail.scan_job == "queued"

    assert run_once(worker_settings(team)) == 4  # a scan and a clone search of each
    assert team.intake.scan_job_counts() == {"queued": 0, "running": 0, "done": 2, "failed": 0}

    fraud = team["alice"].view(ids["sms-premium.apk"]).detail
    scan = fraud.scans[0]
    assert (scan.state, scan.gate, scan.policy, scan.reason) == ("done", "block", "any_clean", "submitted")
    assert {row.engine for row in scan.engines} == {"yara", "android_rules"} and scan.engines_expected == 2
    rules = next(row for row in scan.engines if row.engine == "android_rules")
    assert rules.verdict == "malicious" and "fee_deduction.sms_to_short_code" in rules.detections
    assert any(e["kind"] == "string" for e in rules.evidence)  # the evidence is kept, not only the names
    # the queue's risk column and the question before approving count the blocked gate and the fee deduction
    row = next(r for r in team["alice"].queue() if r.submission_id == ids["sms-premium.apk"])
    assert {"scan_blocked", "fee_deduction"} <= {flag.code for flag in row.red_flags}
    detail = load_detail(team["alice"], ids["sms-premium.apk"], claim=False)
    assert {"scan_blocked", "fee_deduction"} <= {f.code for f in detail.red_flags if f.source == "scan"}

    plain = team["alice"].view(ids["plain.apk"]).detail
    assert plain.scans[0].gate == "pass" and plain.scan_job is None
    assert not [f for f in load_detail(team["alice"], ids["plain.apk"], claim=False).red_flags if f.source == "scan"]


def test_a_reviewer_asks_for_a_rescan_once_and_it_is_kept_beside_the_first(team):
    ids = submit(team, "plain.apk")
    worker = worker_settings(team)
    run_once(worker)
    alice = team["alice"]
    assert alice.request_scan(ids["plain.apk"]) is not None
    assert alice.request_scan(ids["plain.apk"]) is None  # one waits already: asking twice does not scan twice
    assert alice.view(ids["plain.apk"]).detail.scan_job == "queued"
    assert run_once(worker) == 1
    scans = alice.view(ids["plain.apk"]).detail.scans
    assert [s.reason for s in scans] == ["requested", "submitted"]  # newest first


def test_a_rescan_with_new_rules_that_finds_malware_opens_a_recall_case(team, tmp_path):
    ids = submit(team, "plain.apk", "hidden-icon.apk")
    worker = worker_settings(team)
    run_once(worker)
    alice = team["alice"]
    alice.claim(ids["plain.apk"])
    assert alice.decide(ids["plain.apk"], "approve").ok  # live now; hidden-icon.apk stays pending

    rules = tmp_path / "new-rules"
    rules.mkdir()
    (rules / "store.yar").write_text(
        'rule Store_Test_Dropper { meta: description = "test rule" strings: $m = "AndroidManifest.xml" '
        "condition: $m }\n"
    )
    newer = replace(worker, scanning=replace(FAST_ENGINES, yara=replace(FAST_ENGINES.yara, rules_dir=str(rules))))
    stats = run_worker(newer, threading.Event(), once=True, poll_seconds=0.1)
    assert stats.rescans_queued == 2  # the live app, and the one under review (its flags must be current)
    lead = team["lena"]
    cases = lead.recall_cases()
    assert len(cases) == 1
    case = cases[0]
    package = alice.view(ids["plain.apk"]).detail.row.package
    assert (case.package, case.submission_id, case.source, case.state) == (package, ids["plain.apk"], "rescan", "open")
    assert case.label and case.label == alice.view(ids["plain.apk"]).detail.row.label  # the app's name, for the list
    assert [row.engine for row in case.evidence] == ["yara"]
    assert "Store_Test_Dropper" in " ".join(case.evidence[0].detections)
    assert case.opened_by.startswith("wendy")
    # the same finding again does not open a second case
    assert run_worker(newer, threading.Event(), once=True, poll_seconds=0.1).rescans_queued == 0
    alice.request_scan(ids["plain.apk"])
    run_once(newer)
    assert len(lead.recall_cases()) == 1

    if team.backend == "sqlite":  # PostgreSQL refuses by its grants: tested in test_roles_of_the_scan_tables
        with pytest.raises(PermissionDenied):
            alice.recall_app(case.case_id, "malware")
    closed = lead.recall_app(case.case_id, "a dropper, found by the new rules")
    assert (closed.state, closed.closed_by) == ("recalled", "lena")
    detail = alice.view(ids["plain.apk"]).detail
    assert detail.withdrawn_at is not None and detail.withdrawn_reason == "a dropper, found by the new rules"
    assert lead.recall_cases() == [] and len(lead.recall_cases(include_closed=True)) == 1
    # a withdrawn app is no longer live: later rule changes do not re-scan it
    rules.joinpath("more.yar").write_text("rule Another { condition: false }\n")
    assert run_worker(newer, threading.Event(), once=True, poll_seconds=0.1).rescans_queued == 1  # pending only
    assert alice.view(ids["plain.apk"]).detail.scans[0].reason == "requested"  # no re-scan since


def test_a_dismissed_case_keeps_the_app_live(team, tmp_path):
    ids = submit(team, "plain.apk")
    worker = worker_settings(team)
    run_once(worker)
    team["alice"].claim(ids["plain.apk"])
    team["alice"].decide(ids["plain.apk"], "approve")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yar").write_text('rule Noisy { strings: $m = "AndroidManifest.xml" condition: $m }\n')
    run_once(replace(worker, scanning=replace(FAST_ENGINES, yara=replace(FAST_ENGINES.yara, rules_dir=str(rules)))))
    (case,) = team["lena"].recall_cases()
    closed = team["lena"].dismiss_recall(case.case_id, "the rule is too broad")
    assert closed.state == "dismissed" and team["alice"].view(ids["plain.apk"]).detail.withdrawn_at is None
    with pytest.raises(Exception, match="already dismissed"):
        team["lena"].recall_app(case.case_id, "changed my mind")


def test_the_blocklist_is_kept_by_leads(team):
    lead, alice = team["lena"], team["alice"]
    sha = "ab" * 32
    assert lead.block("sha256", sha.upper(), "known dropper")  # normalised to lower case
    assert not lead.block("sha256", sha, "again")
    assert [(e.kind, e.value, e.added_by) for e in alice.blocklist()] == [("sha256", sha, "lena")]
    with pytest.raises(Exception, match="not a SHA-256"):
        lead.block("certificate", "1234", "short")
    with pytest.raises(PermissionDenied):
        alice.block("certificate", "cd" * 32, "a reviewer may not")
    assert lead.unblock("sha256", sha) and alice.blocklist() == []


# -- several workers, crashes -----------------------------------------------------------------------


def test_jobs_are_taken_once_and_retried_until_their_attempts_run_out(team):
    """The store's side, with the team's clock on SQLite (PostgreSQL judges leases by its own clock)."""
    if team.backend != "sqlite":
        pytest.skip("leases judged by the test's clock: SQLite only")
    store = team.intake.store
    clock = team.clock
    job_id = store.enqueue_job("scan", "requested", created_by="adam", now=clock())
    lease = timedelta(seconds=30)
    first = store.take_job("w1", clock(), lease)
    assert first is not None and first.job_id == job_id and first.attempts == 1
    assert store.take_job("w2", clock(), lease) is None  # held
    clock.advance(seconds=31)  # w1 died: its lease ran out
    second = store.take_job("w2", clock(), lease)
    assert second is not None and second.attempts == 2
    assert not store.finish_job(job_id, "w1", clock())  # w1 came back too late: not its job any more
    clock.advance(seconds=31)
    assert store.take_job("w3", clock(), lease).attempts == 3
    clock.advance(seconds=31)
    assert store.take_job("w4", clock(), lease) is None  # tried three times: it fails, with the reason
    job = store.job(job_id)
    assert job.state == "failed" and "stopped answering" in job.error


def _take_all(url: str, blob_dir: str, taken: list[int], barrier: threading.Barrier) -> None:
    from datetime import UTC, datetime

    from reviewer_app.store import Store

    store = Store(url, blob_dir, migrate=False)
    try:
        barrier.wait()
        while (job := store.take_job("w", datetime.now(UTC), timedelta(minutes=5))) is not None:
            taken.append(job.job_id)
            store.finish_job(job.job_id, "w", datetime.now(UTC))
    finally:
        store.close()


def test_two_workers_on_postgresql_never_take_the_same_job(pg_team):
    settings = worker_settings(pg_team)
    store = pg_team.intake.store
    now = pg_team.clock()
    ids = {store.enqueue_job("scan", "requested", now=now) for _ in range(60)}
    taken: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=_take_all, args=(settings.database_url, str(settings.blob_dir), taken[i], barrier))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    both = taken[0] + taken[1]
    assert sorted(both) == sorted(ids)  # every job once, none twice
    assert store.job_counts()["done"] == 60


def test_two_worker_processes_scan_every_package_once(pg_team):
    names = ["sms-premium.apk", "plain.apk", "hidden-icon.apk", "admin-locker.apk", "dynamic-loader.apk",
             "sms-compose.apk"]  # fmt: skip
    ids = submit(pg_team, *names)
    settings = worker_settings(pg_team)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker_once, args=(settings,)) for _ in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    counts = pg_team.intake.scan_job_counts()
    assert counts == {"queued": 0, "running": 0, "done": len(names), "failed": 0}
    for name, sid in ids.items():
        scans = pg_team["alice"].view(sid).detail.scans
        assert len(scans) == 1 and scans[0].state == "done", name


def _worker_once(settings: Settings) -> None:
    run_worker(settings, threading.Event(), once=True, poll_seconds=0.1)


def _slow_worker(settings: Settings) -> None:
    run_worker(settings, threading.Event(), poll_seconds=0.1, lease=timedelta(seconds=2))


def test_a_killed_workers_job_is_taken_again_by_another(pg_team):
    ids = submit(pg_team, "plain.apk")
    slow = ScanSettings(engines=(SLOW,), engine_options={SLOW: {"seconds": 60.0}})
    settings = worker_settings(pg_team, slow)
    process = multiprocessing.get_context("spawn").Process(target=_slow_worker, args=(settings,))
    process.start()
    try:
        deadline = time.monotonic() + 60
        # the job is "running" a moment before its scan is written: wait for the scan itself, so the kill
        # lands mid-scan and not between taking the job and starting the scan
        while not any(s.state == "running" for s in pg_team["alice"].view(ids["plain.apk"]).detail.scans):
            assert time.monotonic() < deadline, "the first worker never started the scan"
            time.sleep(0.2)
        os.kill(process.pid, signal.SIGKILL)  # mid-scan, holding the job
        process.join(10)
    finally:
        if process.is_alive():
            process.kill()
    time.sleep(2.5)  # its lease runs out
    quick = ScanSettings(engines=(SLOW,), engine_options={SLOW: {"seconds": 0.1}})
    assert run_once(replace(settings, scanning=quick), lease=timedelta(seconds=2)) >= 1  # and the clone search
    scans = pg_team["alice"].view(ids["plain.apk"]).detail.scans
    assert [s.state for s in scans] == ["done", "failed"]  # the killed worker's half scan says so
    assert "stopped answering" in scans[1].error
    job = pg_team.intake.store.job(1)  # filed first: the scan
    assert job is not None and job.kind == "scan" and job.state == "done" and job.attempts == 2


def test_roles_of_the_scan_tables(pg_team):
    """What each role may do with jobs, scans, the blocklist and recall cases, refused by PostgreSQL itself."""
    import psycopg

    ids = submit(pg_team, "plain.apk")
    worker_settings(pg_team)  # creates wendy, a worker

    def connect(user: str) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=pg_team.pg_server.port, dbname=pg_team.database, user=user,
                               autocommit=True)  # fmt: skip

    def refused(conn: psycopg.Connection, sql: str, params=()) -> None:
        with pytest.raises(psycopg.Error) as info:
            conn.execute(sql, params)
        assert info.value.sqlstate == "42501", info.value  # insufficient privilege (grant or row-level security)

    job = "INSERT INTO jobs (kind, state, reason, priority, attempts, max_attempts, run_after, created_by, created_at) "
    alice, wendy, lena = connect("alice"), connect("wendy"), connect("lena")
    try:
        alice.execute(job + "VALUES ('scan', 'queued', 'requested', 0, 0, 3, now(), 'alice', now())")
        refused(alice, job + "VALUES ('scan', 'queued', 'requested', 0, 0, 3, now(), 'bob', now())")
        refused(alice, job + "VALUES ('scan', 'done', 'requested', 0, 0, 3, now(), 'alice', now())")
        refused(alice, "UPDATE jobs SET state = 'done'")
        refused(alice, "UPDATE scans SET gate = 'pass'")
        refused(alice, "INSERT INTO blocklist (kind, value, reason, added_by, added_at) "
                       "VALUES ('sha256', %s, 'x', 'alice', now())", ("ab" * 32,))  # fmt: skip
        refused(alice, "UPDATE submissions SET red_flags = NULL WHERE id = %s", (ids["plain.apk"],))
        refused(alice, "UPDATE apps SET withdrawn_at = now()")
        refused(alice, "UPDATE recall_cases SET state = 'recalled'")
        refused(alice, "INSERT INTO recall_cases (package, source, opened_by, opened_at, evidence, state) "
                       "VALUES ('p', 'lead', 'alice', now(), '[]', 'open')")  # fmt: skip
        # a worker writes scan results and flags, and nothing a person decides
        wendy.execute("UPDATE submissions SET red_flags = NULL WHERE id = %s", (ids["plain.apk"],))
        refused(wendy, "UPDATE submissions SET status = 'approved' WHERE id = %s", (ids["plain.apk"],))
        refused(wendy, "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
                       "VALUES ('d', %s, 'wendy', now(), 'approve', '[]')", (ids["plain.apk"],))  # fmt: skip
        refused(wendy, "INSERT INTO blocklist (kind, value, reason, added_by, added_at) "
                       "VALUES ('sha256', %s, 'x', 'wendy', now())", ("ab" * 32,))  # fmt: skip
        refused(wendy, "UPDATE apps SET withdrawn_at = now()")
        # leads keep the blocklist in their own name
        refused(lena, "INSERT INTO blocklist (kind, value, reason, added_by, added_at) "
                      "VALUES ('sha256', %s, 'x', 'alice', now())", ("ab" * 32,))  # fmt: skip
        lena.execute("INSERT INTO blocklist (kind, value, reason, added_by, added_at) "
                     "VALUES ('sha256', %s, 'x', 'lena', now())", ("ab" * 32,))  # fmt: skip
    finally:
        for conn in (alice, wendy, lena):
            conn.close()
    with pytest.raises(PermissionDenied):
        pg_team["alice"].block("sha256", "cd" * 32, "a reviewer may not")


def test_a_blocklisted_certificate_found_by_a_rescan_opens_a_recall_case(team):
    """A lead blocks a signing certificate: the workers add the reputation engine with the new list, re-scan
    the live apps, and the one signed with it gets a recall case with the certificate as evidence."""
    ids = submit(team, "plain.apk", "sms-compose.apk")
    worker = worker_settings(team)
    run_once(worker)
    alice = team["alice"]
    for name in ids:
        alice.claim(ids[name])
        assert alice.decide(ids[name], "approve").ok
    signers = alice.view(ids["plain.apk"]).facts.signers
    certificate = signers[0].sha256
    assert team["lena"].block("certificate", certificate, "the key of a known malware author")
    stats = run_worker(worker, threading.Event(), once=True, poll_seconds=0.1)
    assert stats.rescans_queued == 2  # every live app: the engines' lists changed
    cases = team["lena"].recall_cases()
    signed_with_it = {name for name in ids if alice.view(ids[name]).facts.signers[0].sha256 == certificate}
    assert {case.submission_id for case in cases} == {ids[name] for name in signed_with_it}
    evidence = cases[0].evidence
    assert [row.engine for row in evidence] == ["reputation"]
    assert evidence[0].detections == ("Blocklist.Certificate",)
    assert any(e["value"] == certificate for e in evidence[0].evidence)
    scans = alice.view(ids["plain.apk"]).detail.scans
    assert scans[0].reason == "rescan" and "reputation" in {row.engine for row in scans[0].engines}


def test_every_workstation_hears_of_a_finished_scan(pg_team):
    """The live updates that exist: a scan's rows and its red flags notify the submission's channel."""
    from reviewer_app.store.watch import watch_changes

    ids = submit(pg_team, "sms-premium.apk")
    heard: list[set[int] | None] = []
    stop = threading.Event()
    url = pg_team.url("alice")
    watcher = threading.Thread(target=watch_changes, args=(url, heard.append, stop, 0.2), daemon=True)
    watcher.start()
    try:
        deadline = time.monotonic() + 10
        while not heard and time.monotonic() < deadline:  # the first call says "connected, reload"
            time.sleep(0.05)
        run_once(worker_settings(pg_team))
        deadline = time.monotonic() + 10
        while not any(ids["sms-premium.apk"] in (change or ()) for change in heard):
            assert time.monotonic() < deadline, heard
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(10)


class _Broken:
    """A job handler with a bug: the job must fail with the reason, and the worker go on."""

    def run(self, job, worker, clock, renew, cancel=None):
        raise KeyError("no such field")

    def close(self):
        return None


def test_a_job_that_raises_fails_with_its_reason_and_the_worker_goes_on(team):
    from reviewer_app.review.worker import run_jobs_once

    intake = team.intake.store
    first = intake.enqueue_job("scan", "requested", created_by="adam", now=team.clock())
    second = intake.enqueue_job("scan", "requested", created_by="adam", now=team.clock())
    worker = ReviewService(worker_settings(team))  # on PostgreSQL only workers take jobs
    try:
        for expected in (first, second):
            job = run_jobs_once(worker.store, {"scan": _Broken()}, "w", team.clock, timedelta(seconds=30))
            assert job is not None and job.job_id == expected
            failed = intake.job(expected)
            assert failed.state == "failed" and failed.error == "KeyError: 'no such field'"
    finally:
        worker.close()
