"""The catalog of live apps and the clone results, kept in the database on both back ends."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reviewer_app.domain import CloneCandidate, CloneResult
from reviewer_app.review import ReviewService
from tests.review.test_scan_jobs import worker_settings

APKS = Path(__file__).resolve().parents[1] / "data" / "apks"


def row(package: str, developer: str = "Acme", **extra) -> dict:
    return {
        "package": package,
        "labels": {"": package.rsplit(".", 1)[-1].title(), "zh-CN": "笔记"},
        "developer": developer,
        "certificates": ["ab" * 32],
        "source": "import",
        "added_at": datetime.now(UTC),
        **extra,
    }


def test_catalog_rows_are_read_page_by_page_after_the_last_id(team):
    store = team.intake.store
    assert store.add_catalog_apps([row(f"com.example.app{i}") for i in range(25)]) == 25
    first = store.catalog_apps(after=0, limit=10)
    assert [app.package for app in first] == [f"com.example.app{i}" for i in range(10)]
    rest = store.catalog_apps(after=first[-1].catalog_id, limit=100)
    assert len(rest) == 15 and rest[0].catalog_id > first[-1].catalog_id
    assert first[0].labels["zh-CN"] == "笔记" and first[0].label == "App0"
    stats = store.catalog_stats()
    assert stats["apps"] == 25 and stats["developers"] == 1 and stats["by_source"]["import"] == 25
    assert stats["with_icon"] == stats["with_code"] == 0  # none of these rows has one
    store.add_catalog_apps([row("com.example.iconic", icon={"phash": "00" * 8}, code={"minhash": [1], "classes": 1})])
    assert store.catalog_stats()["with_icon"] == store.catalog_stats()["with_code"] == 1


def test_approved_packages_not_yet_in_the_catalog_are_listed_once(team):
    (outcome,) = team.intake.submit([str(APKS / "plain.apk")], kind="new", developer="Acme")
    sid = outcome.submission_id
    store = team.intake.store
    assert store.approved_outside_catalog() == []  # pending: not live
    team["alice"].claim(sid)
    assert team["alice"].decide(sid, "approve").ok
    ((listed, sha, developer, facts, _icon),) = store.approved_outside_catalog()
    assert (listed, developer, facts["package"]) == (sid, "Acme", outcome.facts.package)
    assert store.add_catalog_apps([row(facts["package"], source="approved", submission_id=sid)]) == 1
    assert store.add_catalog_apps([row(facts["package"], source="approved", submission_id=sid)]) == 0
    assert store.approved_outside_catalog() == []
    assert sha == outcome.facts.sha256


def test_the_clone_result_comes_with_the_submission(team):
    (outcome,) = team.intake.submit([str(APKS / "plain.apk")], kind="new", developer="Acme")
    candidate = CloneCandidate(7, "com.example.notes", "Notes", "Acme", 0.93,
                               {"name": 1.0, "icon": 0.9, "package": 0.5, "certificate": "different", "code": None,
                                "resources": None}, {"name_diff": [["equal", "Notes", "Notes"]]})  # fmt: skip
    result = CloneResult("counterfeit_suspected", (candidate,), datetime.now(UTC).replace(microsecond=0), 1000)
    assert team["alice"].view(outcome.submission_id).detail.clones is None
    worker = ReviewService(worker_settings(team))  # on PostgreSQL only workers write clone results
    try:
        worker.store.save_clone_result(outcome.facts.sha256, result)
    finally:
        worker.close()
    shown = team["alice"].view(outcome.submission_id).detail.clones
    assert shown.verdict == "counterfeit_suspected" and shown.catalog_size == 1000
    assert shown.candidates[0] == candidate
    assert shown.candidates[0].to_json()["signals"]["certificate"] == "different"


def test_files_that_many_catalog_apps_carry_are_counted_as_common(team):
    store = team.intake.store
    stock, rare = "aa" * 16, "bb" * 16
    store.add_catalog_apps([row(f"com.example.t{i}", resources=[stock]) for i in range(15)])
    store.add_catalog_apps([row(f"com.example.u{i}", resources=[stock]) for i in range(10)])  # counts add up
    store.add_catalog_apps([row("com.example.only", resources=[rare, rare])])  # once per app
    assert store.common_resources([stock, rare, "cc" * 16], 20) == {stock}
    assert store.common_resources([stock, rare], 1) == {stock, rare}
    assert store.common_resources([stock], 26) == frozenset()
