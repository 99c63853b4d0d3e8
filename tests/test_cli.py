"""The command line as scripts use it: JSON names of CLI.md, one record per file, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

from tests.conftest import DEMO_APKS, ROOT

INSPECT_FIELDS = {
    "file",
    "ok",
    "error",
    "sha256",
    "size",
    "package",
    "label",
    "version_code",
    "version_name",
    "min_sdk",
    "target_sdk",
    "permissions",
    "signers",
    "icon_sha256",
    "native_abis",
    "warnings",
}
QUEUE_FIELDS = {
    "submission_id",
    "kind",
    "package",
    "label",
    "developer",
    "tier",
    "submitted_at",
    "deadline",
    "status",
    "claimed_by",
}


def run(*args: str, data_dir: Path | None = None, reviewer: str | None = None, check_rc: int | None = None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "reviewer_app"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    if reviewer is not None:
        cmd += ["--reviewer", reviewer]
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stderr
    return proc


def lines(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_version_and_help():
    assert "reviewer-app" in run("--version", check_rc=0).stdout
    assert "inspect" in run("--help", check_rc=0).stdout


def test_inspect_json_gives_one_record_per_file_in_order(tmp_path, demo_index):
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"definitely not a zip")
    files = [str(DEMO_APKS / e["file"]) for e in demo_index]
    proc = run("inspect", files[0], str(bad), *files[1:], "--json", check_rc=1)
    records = lines(proc)
    assert [r["file"] for r in records] == [files[0], str(bad), *files[1:]]
    for record in records:
        assert set(record) >= INSPECT_FIELDS
    assert records[1]["ok"] is False and records[1]["error"] == "not a zip archive"
    good = [r for r in records if r is not records[1]]
    for record, entry in zip(good, demo_index, strict=True):
        assert record["ok"] is True and record["error"] is None
        assert record["package"] == entry["package"]
        assert record["label"] == entry["label"]
        assert record["version_code"] == entry["version_code"]
        assert isinstance(record["min_sdk"], int)
        assert record["permissions"] == sorted(record["permissions"])
        for signer in record["signers"]:
            assert set(signer) >= {"sha256", "subject", "schemes"}
            assert len(signer["sha256"]) == 64 and signer["subject"].startswith("CN=")


def test_inspect_all_good_exits_zero(demo_apk):
    (record,) = lines(run("inspect", str(demo_apk), "--json", check_rc=0))
    assert record["ok"] and record["icon_sha256"] and len(record["sha256"]) == 64


def test_review_workflow_from_a_script(tmp_path, demo_index):
    data = tmp_path / "ws"
    files = [str(DEMO_APKS / e["file"]) for e in demo_index[:3]]
    bad = tmp_path / "broken.apk"
    bad.write_bytes(b"PK\x03\x04 broken")
    submitted = lines(
        run(
            "submit",
            files[0],
            str(bad),
            files[1],
            "--kind",
            "new",
            "--developer",
            "Acme",
            "--tier",
            "5",
            "--json",
            data_dir=data,
            check_rc=1,
        )
    )
    assert [r["ok"] for r in submitted] == [True, False, True]
    assert submitted[1]["submission_id"] is None and submitted[1]["error"]
    assert submitted[0]["deadline"].endswith("Z")
    slow = lines(
        run(
            "submit",
            files[2],
            "--kind",
            "update",
            "--developer",
            "Slow",
            "--tier",
            "2",
            "--json",
            data_dir=data,
            check_rc=0,
        )
    )

    queue = lines(run("queue", "--json", data_dir=data, check_rc=0))
    assert all(set(r) >= QUEUE_FIELDS for r in queue)
    assert [r["submission_id"] for r in queue] == [
        submitted[0]["submission_id"],
        submitted[2]["submission_id"],
        slow[0]["submission_id"],
    ]
    assert queue[0]["tier"] == 5 and queue[2]["kind"] == "update"

    (claim,) = lines(run("claim", "--json", data_dir=data, reviewer="alice", check_rc=0))
    assert claim["submission_id"] == queue[0]["submission_id"] and claim["lease_until"]
    held = lines(
        run(
            "decide",
            str(claim["submission_id"]),
            "--verdict",
            "approve",
            "--json",
            data_dir=data,
            reviewer="bob",
            check_rc=1,
        )
    )[0]
    assert held["ok"] is False and "alice" in held["error"]

    decided = lines(
        run(
            "decide",
            str(claim["submission_id"]),
            "--verdict",
            "reject",
            "--reason",
            "privacy",
            "--message",
            "Remove READ_CONTACTS",
            "--json",
            data_dir=data,
            reviewer="alice",
            check_rc=0,
        )
    )[0]
    assert decided == {
        "submission_id": claim["submission_id"],
        "ok": True,
        "error": None,
        "decision_id": decided["decision_id"],
        "status": "rejected",
    }
    again = lines(
        run(
            "decide",
            str(claim["submission_id"]),
            "--verdict",
            "approve",
            "--json",
            data_dir=data,
            reviewer="bob",
            check_rc=1,
        )
    )[0]
    assert again["ok"] is False and "already decided" in again["error"] and "alice" in again["error"]

    (claim2,) = lines(run("claim", "--kind", "update", "--json", data_dir=data, reviewer="bob", check_rc=0))
    assert claim2["submission_id"] == slow[0]["submission_id"]
    assert lines(run("release", str(claim2["submission_id"]), "--json", data_dir=data, reviewer="bob", check_rc=0))[0][
        "ok"
    ]
    remaining = lines(run("queue", "--json", data_dir=data, check_rc=0))
    assert [r["submission_id"] for r in remaining] == [submitted[2]["submission_id"], slow[0]["submission_id"]]
    assert all(r["claimed_by"] is None for r in remaining)


def test_bad_database_url_is_one_line_error():
    proc = run("--db", "nosuchdb://x", "queue", "--json")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "error" in proc.stderr


def test_unreachable_postgres_is_one_line_error():
    proc = run("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "queue", "--json")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "database" in proc.stderr


def test_db_upgrade_and_current(tmp_path):
    data = tmp_path / "ws"
    assert "empty" in run("db", "current", data_dir=data, check_rc=0).stdout
    assert "->" in run("db", "upgrade", data_dir=data, check_rc=0).stdout
    assert "up to date" in run("db", "upgrade", data_dir=data, check_rc=0).stdout


def test_demo_workspace_without_gui(tmp_path):
    data = tmp_path / "demo"
    proc = run("demo", "--no-gui", data_dir=data, check_rc=0)
    assert "submissions filed" in proc.stderr
    queue = lines(run("queue", "--json", data_dir=data, check_rc=0))
    kinds = {r["kind"] for r in queue}
    assert kinds == {"new", "update", "metadata", "sensitive"}
    assert len({r["tier"] for r in queue}) >= 3
    from datetime import datetime, timedelta

    now = datetime.now(UTC)
    deadlines = [datetime.fromisoformat(r["deadline"].replace("Z", "+00:00")) for r in queue]
    assert any(d < now for d in deadlines), "some demo submissions are overdue"
    assert any(d > now for d in deadlines)
    assert deadlines == sorted(deadlines)
    kept = run("demo", "--no-gui", data_dir=data, check_rc=0)
    assert "kept" in kept.stderr

    # The update is reviewed against a version a lead approved the day before.
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    (update,) = [r for r in queue if r["kind"] == "update"]
    service = ReviewService(Settings(data_dir=data, reviewer="alice"))
    try:
        view = service.view(update["submission_id"])
        assert view.previous is not None and view.previous.package == update["package"]
        assert view.previous.version_code < view.facts.version_code
        assert view.changes.signer_changed is False and view.changes.dangerous_permissions_added
        # Every package is scanned already, by every engine; ClamAV with the demo's store signatures
        # finds the counterfeit, and today's signatures report an app approved yesterday: a recall case.
        (counterfeit,) = [r for r in queue if r["package"] == "com.exampel.notes"]
        scan = service.view(counterfeit["submission_id"]).detail.scans[0]
        assert {row.engine for row in scan.engines} >= {"clamav", "yara", "android_rules"}
        clamav = next(row for row in scan.engines if row.engine == "clamav")
        assert clamav.verdict == "malicious" and "Counterfeit" in clamav.detections[0]
        flags = lines(run("queue", "--json", data_dir=data, check_rc=0))
        (listed,) = [r for r in flags if r["package"] == "com.exampel.notes"]
        assert {"malware_after_pass", "scan_blocked"} & set(listed["red_flags"])  # the risk column counts it
        # ...and compared with the catalog (well-known apps and the approved ones): the original is first.
        clones = service.view(counterfeit["submission_id"]).detail.clones
        assert clones.verdict == "counterfeit_suspected" and clones.candidates[0].package == "com.example.notes"
        assert service.store.catalog_stats()["apps"] >= 38
        (case,) = service.recall_cases()
        assert case.package == "com.example.smshelper" and case.evidence[0].engine == "clamav"
        # Every package ran on five phones; the wallet crashed on one, with the system's dialog on screen.
        (wallet,) = [r for r in flags if r["package"] == "com.example.wallet"]
        assert {"device_crash", "device_crash_dialog"} <= set(wallet["red_flags"])
        run_of = service.view(wallet["submission_id"]).detail.device_runs[0]
        assert len(run_of.results) == 5 and sum(len(r.screenshots) for r in run_of.results) == 15
        # Lead mode has three weeks of decisions, audits of both reviewers and a sample waiting.
        from reviewer_app.review.quality import quality

        report = quality(service, now - timedelta(days=30), now, ("reviewer",))
        audited = {row.reviewer: row.audited for row in report.rows}
        assert audited["alice"] > 0 and audited["bob"] > 0 and report.team.agreement < 1.0
        assert service.store.audit_queue("lena", ("open",))
        assert service.verify_trail().ok
    finally:
        service.close()


def test_journal_reports_what_waits_while_the_database_is_down_and_sends_it_after(tmp_path, pg_server):
    from datetime import datetime

    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    url = pg_server.url(database=pg_server.create_database())
    data = tmp_path / "ws"
    workstation = ReviewService(Settings(data_dir=data, db_url=url))  # the GUI's session, say
    try:
        now = datetime.now(UTC)
        sid = workstation.store.add_submission(
            kind="metadata",
            developer="Acme",
            tier=3,
            submitted_at=now,
            deadline=workstation.sla.deadline(now, 3),
            package="com.cli.journal",
        )
        workstation.claim(sid)
        pg_server.stop("fast")
        assert workstation.decide(sid, "approve").queued
        workstation.close()

        refused = run("--db", url, "decide", str(sid), "--verdict", "approve", "--json", data_dir=data, check_rc=2)
        assert refused.stderr.count("\n") == 1 and "database unavailable" in refused.stderr
        waiting = run("--db", url, "journal", data_dir=data, check_rc=1)
        assert waiting.stdout.startswith("offline (database unavailable: ")
        assert waiting.stdout.rstrip().endswith(": 1 decision waiting, 0 conflicts")
        assert lines(run("--db", url, "journal", "--json", data_dir=data, check_rc=1)) == [
            {"online": False, "pending": 1, "undos_waiting": 0, "conflicts": []}
        ]
    finally:
        pg_server.start()
    assert run("--db", url, "journal", data_dir=data, check_rc=0).stdout == "online: 0 decisions waiting, 0 conflicts\n"
    assert lines(run("--db", url, "queue", "--json", data_dir=data, check_rc=0)) == []
