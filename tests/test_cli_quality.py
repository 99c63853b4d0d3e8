"""`reviewer-app quality`: the JSON keys scripts rely on, CSV, and one-line errors for a bad period."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest

from reviewer_app.config import Settings
from reviewer_app.review import ReviewService
from tests.test_cli import run

JSON_KEYS = {"reviewer", "kind", "decisions", "audited", "agreement", "kappa", "median_minutes", "sla_misses"}


@pytest.fixture
def workspace(tmp_path):
    """Two approvals by alice (one audited by lena, agreeing) and one escalation by bob."""
    data_dir = tmp_path / "data"
    services = {name: ReviewService(Settings(data_dir=data_dir, reviewer=name)) for name in ("alice", "bob", "lena")}
    try:
        now = services["alice"].clock()
        store = services["alice"].store
        ids = [
            store.add_submission(
                kind=kind,
                developer="dev",
                tier=3,
                submitted_at=now - timedelta(minutes=minutes),
                deadline=now + timedelta(hours=1),
                package=f"com.example.p{i}",
            )
            for i, (kind, minutes) in enumerate((("new", 30), ("update", 90), ("new", 10)))
        ]
        first = services["alice"].decide(ids[0], "approve")
        services["alice"].decide(ids[1], "approve")
        services["bob"].decide(ids[2], "escalate")
        services["lena"].store.add_audit(
            audit_id=str(uuid.uuid4()), decision_id=first.decision_id, auditor="lena", outcome="agree",
            verdict="approve", audited_at=now,
        )  # fmt: skip
    finally:
        for service in services.values():
            service.close()
    return data_dir


def test_json_lines_per_reviewer_then_the_team(workspace):
    proc = run("quality", "--by", "reviewer", "--json", data_dir=workspace, check_rc=0)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(set(r) >= JSON_KEYS for r in records)
    by_name = {r["reviewer"]: r for r in records if not r["team"]}
    assert set(by_name) == {"alice", "bob"}
    alice = by_name["alice"]
    assert (alice["decisions"], alice["audited"], alice["agreement"], alice["sla_misses"]) == (2, 1, 1.0, 0)
    assert alice["kappa"] is None  # one category only
    assert alice["median_minutes"] == pytest.approx(60, abs=0.2)
    assert by_name["bob"]["median_minutes"] is None and by_name["bob"]["escalations"] == 1
    team = records[-1]
    assert team["team"] is True and team["reviewer"] is None and team["decisions"] == 3


def test_by_kind_and_csv(workspace, tmp_path):
    proc = run("quality", "--by", "kind", "--json", data_dir=workspace, check_rc=0)
    kinds = {r["kind"]: r["decisions"] for r in map(json.loads, proc.stdout.splitlines()) if not r["team"]}
    assert kinds == {"new": 2, "update": 1}
    target = tmp_path / "quality.csv"
    run("quality", "--by", "both", "--csv", str(target), data_dir=workspace, check_rc=0)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["reviewer"], r["kind"]) for r in rows] == [("alice", "new"), ("alice", "update"), ("bob", "new"),
                                                           ("(team)", "")]  # fmt: skip


def test_a_bad_period_is_one_line(workspace):
    proc = run("quality", "--since", "last week", data_dir=workspace, check_rc=2)
    assert proc.stderr.count("\n") == 1 and "--since" in proc.stderr
    proc = run("quality", "--since", "2026-12-01", "--until", "2026-11-01", data_dir=workspace, check_rc=2)
    assert "before it starts" in proc.stderr and proc.stderr.count("\n") == 1
