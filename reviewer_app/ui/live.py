"""Live updates: other workstations' claims and decisions reach this window's queue within seconds.

`QueueWatcher` runs the service's blocking `watch(on_change, stop, interval)` on a thread of its own (not
the database worker, which it would block) and posts every change to the GUI thread through a signal.
`ChangeThrottle` gathers changes that arrive close together and hands them on at most once per interval,
so a burst of notifications costs one queue reload, not hundreds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from reviewer_app.ui.jobs import one_line

log = logging.getLogger(__name__)

WatchFn = Callable[..., None]  # watch(on_change, stop, interval, on_recalls=...): a service's `watch`


class QueueWatcher(QObject):
    """Owns the watching thread; `sig_changed` arrives on the GUI thread (ids, or None for "everything"),
    `sig_recalls` when the recall cases changed (lead mode reads them again)."""

    sig_changed = Signal(object)  # set[int] | None
    sig_recalls = Signal()
    sig_failed = Signal(str)  # the watch itself broke (it reconnects by itself otherwise): one line

    JOIN_SECONDS = 10.0

    def __init__(self, parent: QObject | None = None, interval: float = 1.0) -> None:
        super().__init__(parent)
        self.interval = interval
        self._thread: threading.Thread | None = None
        self._stop: threading.Event | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def watch_thread(self) -> threading.Thread | None:  # for tests and diagnostics
        return self._thread

    def start(self, watch: WatchFn) -> None:
        """Start watching with `watch` (a service's bound `watch` method); stops a previous watch first."""
        self.stop()
        stop = threading.Event()
        thread = threading.Thread(target=self._run, args=(watch, stop), name="reviewer-watch", daemon=True)
        self._stop, self._thread = stop, thread
        thread.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the thread to end and join it; True when it has ended (or none ran)."""
        thread, stop = self._thread, self._stop
        self._thread = self._stop = None
        if thread is None or stop is None:
            return True
        stop.set()
        thread.join(self.JOIN_SECONDS if timeout is None else timeout)
        if thread.is_alive():
            log.error("the queue watcher did not stop in time")
            return False
        return True

    def _run(self, watch: WatchFn, stop: threading.Event) -> None:
        """On the watching thread: never touches a widget, only emits."""

        def report(ids: Iterable[int] | None) -> None:
            if not stop.is_set():
                self.sig_changed.emit(None if ids is None else set(ids))

        def recalls() -> None:
            if not stop.is_set():
                self.sig_recalls.emit()

        try:
            watch(report, stop, self.interval, on_recalls=recalls)
        except Exception as exc:  # reported, never raised on a thread nobody joins in time
            log.exception("watching the queue for changes failed")
            if not stop.is_set():
                self.sig_failed.emit(one_line(exc))


class ChangeThrottle(QObject):
    """Gathers changed ids (None: everything) and emits them at most once per `interval_ms`.

    The first change after a quiet spell is handed on at once (after `delay_ms`, to gather its
    neighbours); later ones wait for the interval to pass since the last emission.
    """

    sig_due = Signal(object)  # set[int] | None

    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None, delay_ms: int = 0) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.delay_ms = delay_ms
        self._pending: set[int] | None = set()
        self._has = False
        self._last = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% early
        self._timer.timeout.connect(self._fire)
        self.emitted = 0  # how many times it handed changes on (for tests and diagnostics)

    @property
    def waiting(self) -> bool:
        return self._has

    def add(self, ids: Iterable[int] | None) -> None:
        if ids is None:
            self._pending = None
        elif self._pending is not None:
            self._pending |= set(ids)
        self._has = True
        if not self._timer.isActive():
            wait = self.delay_ms
            if self._last.isValid():
                wait = max(wait, self.interval_ms - int(self._last.elapsed()))
            self._timer.start(max(0, wait))

    def stop(self) -> None:
        self._timer.stop()
        self._has = False
        self._pending = set()

    def _fire(self) -> None:
        if not self._has:
            return
        changed, self._pending, self._has = self._pending, set(), False
        self._last.restart()
        self.emitted += 1
        self.sig_due.emit(changed)


class LiveUpdates(QObject):
    """Other workstations' claims and decisions, into this window's queue: changed rows fetched again,
    the ids only when a row is new, gone or moved; both throttled."""

    def __init__(
        self,
        model: Any,
        claims: Any,
        may_load: Callable[[], bool],
        on_reloaded: Callable[[], None],
        parent: QObject,
        *,
        interval: float = 1.0,
        throttle_ms: int = 1000,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.claims = claims
        self._may_load = may_load  # connected and not closing
        self._on_reloaded = on_reloaded
        self._stopped = False
        self.watcher = QueueWatcher(self, interval=interval)
        self.changes = ChangeThrottle(throttle_ms, self)  # changed ids, gathered
        self.reloads = ChangeThrottle(throttle_ms, self)  # at most one queue reload per interval
        self.watcher.sig_changed.connect(lambda ids: None if self._stopped else self.changes.add(ids))
        self.changes.sig_due.connect(self._apply)
        self.reloads.sig_due.connect(lambda _ids: self._reload())
        model.sig_left.connect(lambda _ids: self.reloads.add(None))

    def _apply(self, ids: set[int] | None) -> None:
        if self._stopped or not self._may_load():
            return
        if ids is None:
            self.reloads.add(None)
            return
        unknown = {sid for sid in ids if self.model.row_of(sid) < 0 and not self.claims.is_closed(sid)}
        if unknown:
            self.reloads.add(None)  # new or reopened submissions: their place comes with the ids
        self.model.refresh_rows(sid for sid in ids if sid not in unknown)

    def _reload(self) -> None:
        if not self._stopped and self._may_load():
            self.model.reload()
            self._on_reloaded()

    def stop(self) -> None:
        self._stopped = True
        self.changes.stop()
        self.reloads.stop()
        self.watcher.stop()
