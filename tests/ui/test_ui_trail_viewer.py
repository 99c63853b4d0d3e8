"""The audit trail viewer on a real database through the real database worker: the events with who, when and
what, the filters, the CSV export of every match, and the check that finds an event edited in SQL."""

from __future__ import annotations

import csv
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.config import Settings
from reviewer_app.review import ReviewService
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.trail_viewer import COL_ACTION, COL_ACTOR, COL_SUBJECT, TrailViewer


@pytest.fixture
def data_dir(tmp_path):
    """alice claims and approves one submission, bob claims and releases another; lena blocks a key."""
    data = tmp_path / "data"
    services = {name: ReviewService(Settings(data_dir=data, reviewer=name)) for name in ("alice", "bob", "lena")}
    try:
        now = datetime.now(UTC)
        store = services["lena"].store
        ids = [
            store.add_submission(
                kind="metadata",
                developer="dev",
                tier=3,
                submitted_at=now - timedelta(hours=1),
                deadline=now + timedelta(hours=20),
                package=f"com.example.p{i}",
            )
            for i in range(2)
        ]
        services["alice"].claim(ids[0])
        assert services["alice"].decide(ids[0], "approve").ok
        services["bob"].claim(ids[1])
        services["bob"].release(ids[1])
        services["lena"].block("certificate", "ab" * 32, "a counterfeiter's key")
    finally:
        for service in services.values():
            service.close()
    return data


@pytest.fixture
def viewer(qtbot, data_dir):
    jobs = DbJobs(lambda **_: ReviewService(Settings(data_dir=data_dir, reviewer="lena")))
    threads: list[threading.Thread] = []

    def run(fn, on_done, on_error):
        def recorded(service):
            threads.append(threading.current_thread())
            return fn(service)

        return jobs.run(recorded, on_done, on_error)

    widget = TrailViewer(run)
    widget.threads = threads  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1100, 500)
    yield widget
    assert jobs.shutdown()


def rows(viewer) -> list[tuple[str, str, str]]:
    proxy = viewer.proxy
    return [
        (proxy.index(r, COL_ACTOR).data(), proxy.index(r, COL_ACTION).data(), proxy.index(r, COL_SUBJECT).data())
        for r in range(proxy.rowCount())
    ]


def test_the_trail_shows_who_did_what_newest_first_and_filters(viewer, qtbot):
    with qtbot.waitSignal(viewer.sig_loaded, timeout=10_000):
        viewer.show()
    shown = rows(viewer)
    assert shown[0][:2] == ("lena", "blocklist")  # newest first
    assert ("alice", "decide", "submission:1") in shown and ("bob", "release", "submission:2") in shown
    assert viewer.threads and all(t is not threading.main_thread() for t in viewer.threads)

    viewer.actor_edit.setText("bob")
    with qtbot.waitSignal(viewer.sig_loaded, timeout=10_000):
        viewer.refresh()
    assert {actor for actor, _action, _subject in rows(viewer)} == {"bob"}
    viewer.actor_edit.clear()
    viewer.action_combo.setCurrentIndex(viewer.action_combo.findData("decide"))
    with qtbot.waitSignal(viewer.sig_loaded, timeout=10_000):
        viewer.refresh()
    assert rows(viewer) == [("alice", "decide", "submission:1")]


def test_the_export_writes_every_matching_event(viewer, qtbot, tmp_path):
    path = tmp_path / "trail.csv"
    with qtbot.waitSignal(viewer.sig_exported, timeout=10_000) as done:
        viewer.export(str(path))
    assert done.args == [str(path), ""]
    lines = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {line["action"] for line in lines} >= {"claim", "decide", "release", "blocklist"}


def test_verify_finds_an_event_edited_in_sql(viewer, qtbot, data_dir):
    with qtbot.waitSignal(viewer.sig_checked, timeout=10_000) as checked:
        viewer.verify()
    assert checked.args[0].ok and "intact" in viewer.status_label.text()

    with sqlite3.connect(data_dir / "reviewer.sqlite3") as db:  # the owner of the file edits the trail
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
        for name in names:
            if "audit" in name:
                db.execute(f"DROP TRIGGER {name}")
        db.execute("UPDATE audit_events SET actor = 'mallory' WHERE action = 'decide'")
    with qtbot.waitSignal(viewer.sig_checked, timeout=10_000) as checked:
        viewer.verify()
    assert not checked.args[0].ok
    assert (
        str(checked.args[0].first_bad_event) in viewer.status_label.text() and "tampered" in viewer.status_label.text()
    )
