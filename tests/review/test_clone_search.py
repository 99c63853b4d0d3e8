"""The clone search end to end: the catalog filled from real APKs, a JSONL import, approvals; submissions
compared by a worker's job; the command line's JSON as CLI.md promises it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reviewer_app.config import ScanSettings
from reviewer_app.review.catalog import add_apks, import_jsonl
from reviewer_app.review.worker import run_worker
from tests.review.test_scan_jobs import worker_settings

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "apks"
NO_SCANS = ScanSettings(engines=())


def file(team, name: str, developer: str) -> int:
    (outcome,) = team.intake.submit([str(DEMO / name)], kind="new", developer=developer)
    assert outcome.ok, outcome.error
    return outcome.submission_id


def test_a_counterfeit_is_found_by_the_workers_and_flagged(team):
    added = list(add_apks(team.intake, [str(DEMO / "com.example.notes_1.apk")], "Acme Apps"))
    assert [ok for _path, ok, _error, _added in added] == [True]
    fake = file(team, "com.exampel.notes_1.apk", "Shady Labs")
    update = file(team, "com.example.notes_2.apk", "Acme Apps")
    unrelated = file(team, "com.example.weather_30.apk", "Sky Soft")
    run_worker(worker_settings(team, NO_SCANS), threading.Event(), once=True, poll_seconds=0.1)

    result = team["alice"].view(fake).detail.clones
    assert result.verdict == "counterfeit_suspected"
    best = result.candidates[0]
    assert (best.package, best.developer) == ("com.example.notes", "Acme Apps")
    assert best.signals["certificate"] == "different" and best.signals["name"] >= 0.9
    assert set(best.signals) == {"name", "icon", "package", "certificate", "code", "resources"}
    row = next(r for r in team["alice"].queue() if r.submission_id == fake)
    assert "counterfeit_suspected" in {flag.code for flag in row.red_flags}  # the risk column counts it

    family = team["alice"].view(update).detail.clones
    assert family.verdict == "same_developer_family"  # its own earlier version, same key
    assert team["alice"].view(unrelated).detail.clones.verdict == "no_match"
    assert not [f for f in next(r for r in team["alice"].queue() if r.submission_id == update).red_flags
                if f.source == "clones"]  # fmt: skip


def test_approved_packages_join_the_catalog(team):
    original = file(team, "com.example.notes_1.apk", "Acme Apps")
    team["alice"].claim(original)
    assert team["alice"].decide(original, "approve").ok
    stats = run_worker(worker_settings(team, NO_SCANS), threading.Event(), once=True, poll_seconds=0.1)
    assert stats.catalog_added == 1
    assert team.intake.store.catalog_stats()["by_source"]["approved"] == 1
    fake = file(team, "com.exampel.notes_1.apk", "Shady Labs")
    run_worker(worker_settings(team, NO_SCANS), threading.Event(), once=True, poll_seconds=0.1)
    assert team["alice"].view(fake).detail.clones.candidates[0].package == "com.example.notes"


def test_an_import_keeps_every_good_line_and_names_each_bad_one(service, tmp_path):
    from PIL import Image

    icon = tmp_path / "icon.png"
    Image.new("RGB", (96, 96), (200, 40, 40)).save(icon)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG not really")
    lines = [
        {"package": "com.example.a", "label": "Alpha", "developer": "A", "cert_sha256": "ab" * 32, "icon_path": "icon.png"},
        "this is not json",
        {"package": "com.example.b", "label": "Beta", "developer": "B", "cert_sha256": "cd" * 32},
        {"package": "com.example.c", "label": "Gamma", "developer": "C", "cert_sha256": "xyz"},
        {"package": "com.example.d", "label": "Delta", "developer": "D", "cert_sha256": "ef" * 32, "icon_path": "gone.png"},
        {"package": "com.example.e", "label": "Eps", "developer": "E", "cert_sha256": "ef" * 32, "icon_path": "broken.png"},
        {"label": "no package", "developer": "F", "cert_sha256": "ef" * 32},
    ]  # fmt: skip
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    outcome = import_jsonl(service, path)
    assert outcome.added == 2 and outcome.lines == 7
    assert [p.line for p in outcome.problems] == [2, 4, 5, 6, 7]
    assert "not JSON" in outcome.problems[0].error and "gone.png" in outcome.problems[2].error
    assert "not a readable image" in outcome.problems[3].error
    apps = service.store.catalog_apps()
    assert [a.package for a in apps] == ["com.example.a", "com.example.b"]
    assert apps[0].icon is not None and apps[0].icon_blob is not None and apps[1].icon is None


def test_the_clones_command_speaks_cli_md(tmp_path):
    data = tmp_path / "ws"

    def run(*args: str, rc: int = 0) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "reviewer_app", "--data-dir", str(data), *args],
                              capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
        assert proc.returncode == rc, proc.stderr
        return proc

    run("catalog", "add", str(DEMO / "com.example.notes_1.apk"), "--developer", "Acme Apps")
    stats = json.loads(run("catalog", "stats", "--json").stdout)
    assert stats["apps"] == 1
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    out = run("clones", str(DEMO / "com.exampel.notes_1.apk"), str(bad), "--top", "3", "--json", rc=1).stdout
    first, second = (json.loads(line) for line in out.splitlines())
    assert list(first)[:5] == ["file", "ok", "error", "verdict", "candidates"]
    assert first["ok"] and first["verdict"] == "counterfeit_suspected"
    (candidate,) = first["candidates"]
    assert set(candidate) >= {"catalog_id", "package", "label", "developer", "score", "signals"}
    assert 0 <= candidate["score"] <= 1 and candidate["signals"]["certificate"] == "different"
    assert second == {"file": str(bad), "ok": False, "error": second["error"], "verdict": None, "candidates": []}


def test_the_thresholds_come_from_the_settings(tmp_path):
    from reviewer_app.config import ConfigError, load_settings
    from reviewer_app.review.clones import CloneThresholds

    config = tmp_path / "config.toml"
    config.write_text("[clones]\nname = 0.9\nicon = 0.8\ntop_k = 3\n", encoding="utf-8")
    settings = load_settings(config_file=config, env={})
    assert CloneThresholds.from_settings(settings) == CloneThresholds(name=0.9, icon=0.8, top_k=3)
    config.write_text("[clones]\nname = 1.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"clones\.name must be between 0 and 1"):
        load_settings(config_file=config, env={})
    config.write_text("[clones]\nnmae = 0.5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nmae"):
        load_settings(config_file=config, env={})


def test_a_protected_name_is_its_owners_even_without_a_live_app(team):
    """The brand registry that leads keep: a copy of the name by anyone else is a suspected counterfeit, the
    owner's own app is not; only leads change the registry."""
    from reviewer_app.apk.reader import read_apk
    from reviewer_app.review import PermissionDenied
    from reviewer_app.review.clones import CloneSearch, package_prints

    lead = team["lena"]
    assert lead.protect_name("Notes", "Acme Apps", "com.example.notes")
    assert not lead.protect_name("Notes", "Acme Apps")  # once
    with pytest.raises(PermissionDenied):  # SQLite: the store checks the role; PostgreSQL: its grants
        team["alice"].protect_name("Wallet", "Someone")
    assert [(e.name, e.developer, e.added_by) for e in team["alice"].protected_names()] == [
        ("Notes", "Acme Apps", "lena")
    ]
    search = CloneSearch(team.intake.store)  # an empty catalog: only the registry knows the name
    fake = read_apk(DEMO / "com.exampel.notes_1.apk")
    result = search.search(package_prints(fake.to_json(), "Shady Labs"), team.clock())
    assert result.verdict == "counterfeit_suspected"
    best = result.candidates[0]
    assert (best.catalog_id, best.label, best.developer) == (0, "Notes", "Acme Apps") and best.matched["protected_name"]
    own = read_apk(DEMO / "com.example.notes_2.apk")
    assert search.search(package_prints(own.to_json(), "Acme Apps"), team.clock()).verdict == "same_developer_family"
    assert lead.unprotect_name("Notes") and lead.protected_names() == []
