"""Fixtures for the GUI tests: headless Qt, isolated QSettings, a review database with submissions."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import dataclasses
import hashlib
import itertools
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from reviewer_app.review.flags import red_flags
from tests.conftest import open_service


def stored_decisions(settings, submission_id):
    """What the database holds, read through a fresh service (not the window's)."""
    from reviewer_app.review import ReviewService

    fresh = ReviewService(settings)
    try:
        return fresh.store.decisions(submission_id)
    finally:
        fresh.close()


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path, monkeypatch):
    """Window geometry and splitter states go to a temporary folder, never to the user's settings."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "qsettings"
    folder.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    yield folder


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Every test ends with the threads it started stopped (the window joins its workers on close)."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert not leaked, f"threads left running: {leaked}"


@pytest.fixture
def file_submission(service, demo_facts, tmp_path) -> Callable[..., int]:
    """File a submission fast: facts of a demo APK (label/package changed as asked), a small unique blob.

    Going through the store directly skips parsing (and the comparison with an approved version); `submit_facts` with a real APK is used where the
    parse itself matters (the import tests).
    """
    counter = itertools.count(1)
    blobs = tmp_path / "blobs-in"
    blobs.mkdir()

    def add(
        *,
        label: str | None = None,
        package: str | None = None,
        kind: str = "new",
        developer: str = "Acme Apps",
        tier: int = 3,
        due_in: timedelta = timedelta(hours=5),
        apk: str = "com.example.notes_1.apk",
        **changes,
    ) -> int:
        n = next(counter)
        now = service.clock()
        base = demo_facts[apk]
        data = f"submission {n} {label} {package}".encode()
        blob = blobs / f"{n}.apk"
        blob.write_bytes(data)
        facts = dataclasses.replace(
            base,
            label=label or f"{base.label} {n}",
            package=package or f"{base.package}{n}",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            **changes,
        )
        return service.store.add_submission(
            kind=kind,
            developer=developer,
            tier=tier,
            submitted_at=now - timedelta(minutes=5),
            deadline=now + due_in,
            facts=facts.to_json(),
            apk_path=blob,
            icon_png=facts.icon_png,
            red_flags=red_flags(facts),  # what filing finds in the package itself
        )

    return add


@pytest.fixture
def make_window(qtbot, settings):
    """Build main windows on the test database; each is closed (threads joined) at the end of the test.

    `settings=` opens the window on another database (as another reviewer); `wait_loaded=False` returns
    before the queue has loaded (a window that asks for a password first).
    """
    from reviewer_app.ui.app import create_main_window

    windows = []

    def make(
        *,
        expect_rows: int | None = None,
        service_factory=None,
        show: bool = True,
        settings=settings,
        wait_loaded: bool = True,
        **options,
    ):
        factory = service_factory or (lambda password=None: open_service(settings, password))
        options.setdefault("watch_interval", 0.2)  # the live-updates thread notices a close within that
        options.setdefault("undo_seconds", 0)  # sent at once, unless a test is about undo
        window = create_main_window(factory, settings, **options)
        windows.append(window)
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()  # keyboard focus is real: tests assert where it is
            qtbot.waitActive(window)
        if wait_loaded:
            qtbot.waitUntil(lambda: window.model.loaded, timeout=10_000)
        if expect_rows is not None:
            qtbot.waitUntil(lambda: window.model.rowCount() == expect_rows, timeout=10_000)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.closed
        assert not window.jobs.worker_thread.isRunning(), "database thread still running after close"
        assert not window.parser.worker_thread.isRunning(), "parsing thread still running after close"
        assert not window.watcher.running, "live-updates thread still running after close"


@pytest.fixture
def wait_idle(qtbot):
    """wait_idle(window): wait until the database worker has answered everything asked so far."""

    def wait(window, timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: window.jobs.idle, timeout=timeout)

    return wait


@pytest.fixture
def select_and_load(qtbot):
    """select_and_load(window, row): select a queue row (focus in the queue), wait for its detail; its id."""

    def select(window, row: int) -> int:
        window.queue_view.setFocus()
        window.queue_view.select_row(row)
        sid = window.current_submission_id()
        assert sid is not None
        qtbot.waitUntil(
            lambda: window.submission_view.data is not None and window.submission_view.submission_id == sid,
            timeout=10_000,
        )
        return sid

    return select
