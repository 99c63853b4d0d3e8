"""Live updates and the offline journal without a server: the throttle, the watcher thread, and a window
whose database is unplugged for a while (SQLite), so these run wherever the tests run."""

from __future__ import annotations

import threading
from datetime import timedelta

from PySide6.QtCore import QElapsedTimer, Qt

from reviewer_app.review import DatabaseUnavailable, ReviewService
from reviewer_app.ui.live import ChangeThrottle, QueueWatcher
from tests.ui.conftest import stored_decisions


def test_changes_are_gathered_and_handed_on_at_most_once_per_interval(qtbot):
    throttle = ChangeThrottle(300)
    got, at = [], []
    clock = QElapsedTimer()
    clock.start()
    throttle.sig_due.connect(got.append)
    throttle.sig_due.connect(lambda _ids: at.append(clock.elapsed()))

    throttle.add({1})
    qtbot.waitUntil(lambda: got == [{1}], timeout=2_000)  # the first change after a quiet spell: at once
    throttle.add({2})
    throttle.add([3, 2])
    qtbot.waitUntil(lambda: len(got) == 2, timeout=2_000)
    assert got[1] == {2, 3}
    assert at[1] - at[0] >= 290  # not before the interval has passed since the last hand-on

    throttle.add({4})
    throttle.add(None)  # "everything" swallows the ids around it
    throttle.add({5})
    qtbot.waitUntil(lambda: len(got) == 3, timeout=2_000)
    assert got[2] is None
    assert throttle.emitted == 3 and not throttle.waiting


def test_the_watcher_runs_on_its_own_thread_and_reports_on_the_gui_thread(qtbot):
    watch_threads = []

    def watch(on_change, stop, interval, on_recalls=None):
        watch_threads.append(threading.current_thread())
        on_change({7, 8})
        on_change(None)
        stop.wait()

    watcher = QueueWatcher(interval=0.05)
    got = []
    watcher.sig_changed.connect(lambda ids: got.append((ids, threading.current_thread())))
    watcher.start(watch)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
    main = threading.main_thread()
    assert got == [({7, 8}, main), (None, main)]
    assert watch_threads and watch_threads[0] is not main
    assert watcher.running
    assert watcher.stop()
    assert not watcher.running and not watch_threads[0].is_alive()


def test_a_watch_that_breaks_is_reported_not_raised(qtbot):
    def watch(on_change, stop, interval, on_recalls=None):
        raise RuntimeError("listener exploded")

    watcher = QueueWatcher()
    with qtbot.waitSignal(watcher.sig_failed, timeout=5_000) as failed:
        watcher.start(watch)
    assert "listener exploded" in failed.args[0]
    assert watcher.stop()


class Unpluggable:
    """A Store whose database can be unplugged: every call then fails the way a dead server's does."""

    LOCAL = frozenset({"close"})

    def __init__(self, store) -> None:
        self._store = store
        self.unplugged = False
        self.calls_while_unplugged = 0

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not callable(attr) or name in self.LOCAL:
            return attr

        def call(*args, **kwargs):
            if self.unplugged:
                self.calls_while_unplugged += 1
                raise DatabaseUnavailable("database unavailable: unplugged by the test")
            return attr(*args, **kwargs)

        return call


def unpluggable_services(settings):
    """A service factory whose stores can be unplugged, and the stores it made (the first is the window's)."""
    from reviewer_app.store import Store

    stores: list[Unpluggable] = []

    def factory(password=None):
        store = Unpluggable(Store(settings.database_url, settings.blob_dir, reviewer=settings.reviewer_name))
        stores.append(store)
        return ReviewService(settings, store=store)

    return stores, factory


def test_a_window_whose_database_stops_answering_keeps_deciding_and_sends_later(
    qtbot, make_window, settings, file_submission, select_and_load, wait_idle
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    third = file_submission(label="Third", due_in=timedelta(hours=3))
    stores, factory = unpluggable_services(settings)

    window = make_window(expect_rows=3, service_factory=factory, sync_ms=300)
    qtbot.waitUntil(lambda: all(window.model.queue_row(r) is not None for r in range(3)), timeout=10_000)
    select_and_load(window, 1)
    assert select_and_load(window, 0) == first
    wait_idle(window)
    assert window.connection_label.text() == "Online"

    stores[0].unplugged = True
    qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    assert window.current_submission_id() == second
    # Read before the database went away: still shown, marked as such.
    qtbot.waitUntil(
        lambda: window.submission_view.data is not None and window.submission_view.submission_id == second,
        timeout=10_000,
    )
    assert "Offline" in window.submission_view.header.status_label.text()
    assert window.connection_label.text() == "Offline — 1 decision waiting"
    assert window.connection_label.styleSheet()  # amber, not the plain look of "Online"
    qtbot.wait(700)  # two sync ticks while offline: probes fail quietly
    window.refresh()
    wait_idle(window)
    assert stores[0].calls_while_unplugged >= 2
    assert len([line for line in window.log_lines() if "does not answer" in line]) == 1
    assert stored_decisions(settings, first) == []  # only in the journal so far

    stores[0].unplugged = False  # the periodic sync notices and sends
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=10_000)
    assert window.pending_decisions == 0
    assert [(d.reviewer, d.verdict) for d in stored_decisions(settings, first)] == [("alice", "approve")]
    assert window.model.row_of(third) == 1


def test_a_decision_waiting_in_the_journal_keeps_its_row_out_of_a_queue_the_database_still_lists(
    qtbot, make_window, settings, file_submission, select_and_load, wait_idle
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    stores, factory = unpluggable_services(settings)

    window = make_window(expect_rows=2, service_factory=factory, sync_ms=60_000)  # no sync unless asked
    assert select_and_load(window, 0) == first
    wait_idle(window)
    stores[0].unplugged = True
    qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: window.pending_decisions == 1, timeout=10_000)
    wait_idle(window)
    assert window.model.row_of(first) == -1

    # The database answers again, and a reload reaches it before the journal is sent: the queue it
    # lists still has the submission (pending, held by this reviewer). The row stays out all along.
    stores[0].unplugged = False
    rows_seen = []
    window.model.sig_loaded.connect(
        lambda: rows_seen.append([window.model.submission_id(r) for r in range(window.model.rowCount())])
    )
    window.model.reload()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=10_000)
    wait_idle(window)
    assert len(rows_seen) >= 2  # the reload that came first, and the one after the database answered
    assert all(rows == [second] for rows in rows_seen), rows_seen
    assert window.model.withheld == set()
    assert [(d.reviewer, d.verdict) for d in stored_decisions(settings, first)] == [("alice", "approve")]


def test_a_window_opened_with_decisions_waiting_sends_them_before_it_lists_the_queue(
    qtbot, make_window, settings, file_submission, wait_idle
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    stores, factory = unpluggable_services(settings)
    earlier = factory()  # an earlier session: it decided while the database did not answer
    try:
        earlier.claim(first)
        stores[0].unplugged = True
        assert earlier.decide(first, "approve").queued
    finally:
        earlier.close()

    window = make_window(show=False, wait_loaded=False)
    rows_seen = []
    window.model.sig_loaded.connect(
        lambda: rows_seen.append([window.model.submission_id(r) for r in range(window.model.rowCount())])
    )
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online" and bool(rows_seen), timeout=10_000)
    wait_idle(window)
    assert window.pending_decisions == 0
    assert rows_seen and all(rows == [second] for rows in rows_seen), rows_seen
    assert [(d.reviewer, d.verdict) for d in stored_decisions(settings, first)] == [("alice", "approve")]


def test_a_reload_between_a_selection_and_its_loading_keeps_the_new_selection(
    qtbot, make_window, file_submission, select_and_load
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2)
    assert select_and_load(window, 0) == first
    window._detail_timer.setInterval(3_000)  # the reviewer's move is not loaded yet...
    window.queue_view.select_row(1)
    with qtbot.waitSignal(window.model.sig_loaded, timeout=10_000):
        window.model.reload()  # ...when a live update reloads the queue
    assert window.current_submission_id() == second
