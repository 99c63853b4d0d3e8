"""`reviewer-app audit verify|trail` as scripts use them: CLI.md's JSON names, exit codes, one-line errors."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO_APKS
from tests.test_cli import run

VERIFY_FIELDS = {"ok", "events", "first_bad_event"}  # CLI.md, exactly
EVENT_FIELDS = {"id", "at", "actor", "action", "subject", "details", "prev_hash", "hash"}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """alice claimed and rejected a submission, bob claimed another: three events."""
    data = tmp_path_factory.mktemp("audit") / "data"
    apks = [str(path) for path in sorted(DEMO_APKS.glob("*.apk"))[:2]]
    run("submit", *apks, "--kind", "new", "--developer", "dev", "--json", data_dir=data, reviewer="adam", check_rc=0)
    run("claim", "--json", data_dir=data, reviewer="alice", check_rc=0)
    run("decide", "1", "--verdict", "reject", "--reason", "malware", "--message", "no", data_dir=data,
        reviewer="alice", check_rc=0)  # fmt: skip
    run("claim", "--json", data_dir=data, reviewer="bob", check_rc=0)
    return data


@pytest.fixture
def workspace(filled, tmp_path) -> Path:
    """A copy of its own for each test (some tamper with it)."""
    return Path(shutil.copytree(filled, tmp_path / "data"))


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def tamper(data: Path, sql: str) -> None:
    conn = sqlite3.connect(data / "reviewer.sqlite3", isolation_level=None)
    conn.executescript(f"DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; {sql}")
    conn.close()


def test_verify_prints_cli_mds_record_and_exits_0_on_an_intact_trail(workspace):
    proc = run("audit", "verify", "--json", data_dir=workspace, check_rc=0)
    (record,) = lines(proc.stdout)
    assert set(record) == VERIFY_FIELDS
    assert record == {"ok": True, "events": 3, "first_bad_event": None}
    proc = run("audit", "verify", data_dir=workspace, check_rc=0)
    assert "intact" in proc.stdout and "3 events" in proc.stdout


TAMPERED = [
    ("UPDATE audit_events SET details = '{\"verdict\":\"approve\"}' WHERE id = 2", 2, 3),
    ("DELETE FROM audit_events WHERE id = 2", 3, 2),
    ("UPDATE audit_events SET id = -1 WHERE id = 1; UPDATE audit_events SET id = 1 WHERE id = 2; "
     "UPDATE audit_events SET id = 2 WHERE id = -1", 1, 3),
]  # fmt: skip


@pytest.mark.parametrize(("sql", "first_bad", "events"), TAMPERED, ids=["edited", "deleted", "reordered"])
def test_verify_reports_the_first_bad_event_and_exits_1(workspace, sql, first_bad, events):
    tamper(workspace, sql)
    proc = run("audit", "verify", "--json", data_dir=workspace, check_rc=1)
    assert lines(proc.stdout) == [{"ok": False, "events": events, "first_bad_event": first_bad}]
    proc = run("audit", "verify", data_dir=workspace, check_rc=1)
    assert f"event {first_bad}" in proc.stdout


def test_trail_lists_events_with_filters(workspace):
    events = lines(run("audit", "trail", "--json", data_dir=workspace, check_rc=0).stdout)
    assert all(set(e) == EVENT_FIELDS for e in events)
    assert [(e["id"], e["actor"], e["action"], e["subject"]) for e in events] == [
        (1, "alice", "claim", "submission:1"),
        (2, "alice", "decide", "submission:1"),
        (3, "bob", "claim", "submission:2"),
    ]
    assert events[1]["details"]["verdict"] == "reject" and events[1]["details"]["reasons"] == ["malware"]
    assert events[1]["prev_hash"] == events[0]["hash"]

    def ids(*flags: str) -> list[int]:
        return [e["id"] for e in lines(run("audit", "trail", "--json", *flags, data_dir=workspace, check_rc=0).stdout)]

    assert ids("--actor", "bob") == [3]
    assert ids("--action", "decide", "--action", "claim", "--limit", "2") == [1, 2]
    assert ids("--subject", "submission:1", "--action", "claim") == [1]
    assert ids("--since", events[1]["at"]) == [2, 3]
    assert ids("--since", "2999-01-01") == []
    text = run("audit", "trail", data_dir=workspace, check_rc=0).stdout.splitlines()
    assert len(text) == 3 and "bob" in text[2] and "claim" in text[2] and "submission:2" in text[2]


def test_trail_writes_csv(workspace, tmp_path):
    target = tmp_path / "trail.csv"
    proc = run("audit", "trail", "--csv", str(target), data_dir=workspace, check_rc=0)
    assert "3 events" in proc.stderr
    with open(target, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["action"] for row in rows] == ["claim", "decide", "claim"]
    assert json.loads(rows[1]["details"])["verdict"] == "reject"
    assert set(rows[0]) == EVENT_FIELDS


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--since", "yesterday"), "not an ISO 8601 date or time: 'yesterday'"),
        (("--limit", "0"), "not a positive whole number: '0'"),
        (("--action", "delete"), "invalid choice: 'delete'"),
        (("--csv", "/nonexistent-folder/trail.csv"), "/nonexistent-folder/trail.csv"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args, says):
    proc = run("audit", "trail", *args, data_dir=tmp_path / "data", check_rc=2)
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and says in errors[0]
