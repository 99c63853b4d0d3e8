"""Background work for the GUI: one database worker thread and one APK parsing thread.

The database worker owns the `ReviewService` (it opens it, runs every call on it, closes it). The GUI
hands it callables `fn(service)`; they run one at a time in the order given, and their result or
exception comes back on the main thread through the callbacks given with the job. Nothing that touches
the database, a file or the parser runs on the GUI thread.

The bridge also keeps the last known reachability of the database: a job that fails because the
database does not answer (`DatabaseUnavailable`) marks it unreachable, a job that reached it marks it
reachable again, and `sig_reachability` tells the window when that changes. `reopen()` closes the
service and opens it again for the next job (with a password the reviewer just typed, say).

APK parsing has its own thread that drives a `FactsPool` (capped worker processes) and posts parsed
facts back in batches, so that a slow or hostile file never holds up queue loading or decisions.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reviewer_app.review.session import is_unreachable, needs_password, one_line

log = logging.getLogger(__name__)

ServiceFactory = Callable[..., Any]  # called with password= once the reviewer typed one
OnSuccess = Callable[[Any], None]
OnFailure = Callable[[BaseException], None]


class ServiceUnavailable(Exception):
    """The database could not be opened; every job fails with this until `DbJobs.reopen()` is called.

    `reason` is the exception the service factory raised (a `CredentialsRequired`, say).
    """

    def __init__(self, message: str, reason: BaseException | None = None) -> None:
        super().__init__(message)
        self.reason = reason


def open_error(exc: BaseException | None) -> BaseException | None:
    """What made opening the service fail, for a `ServiceUnavailable`; None for other errors."""
    if isinstance(exc, ServiceUnavailable):
        return exc.reason if exc.reason is not None else exc.__cause__
    return None


class Job:
    """A handle on a queued call: `cancel()` drops it if it has not started, and silences its callbacks."""

    __slots__ = ("cancelled", "done", "fn", "id", "label", "local", "needs_service", "on_failure", "on_success")

    def __init__(
        self,
        job_id: int,
        label: str,
        fn: Callable[[Any], Any],
        on_success,
        on_failure,
        local: bool = False,
        needs_service: bool = True,
    ) -> None:
        self.id = job_id
        self.label = label
        self.fn = fn
        self.needs_service = needs_service
        self.on_success = on_success
        self.on_failure = on_failure
        self.cancelled = False
        self.done = False
        self.local = local  # its success says nothing about the database answering (journal, cached values)

    def cancel(self) -> None:
        self.cancelled = True


_CLOSE = object()
_KEEP = object()


class _Reopen:
    __slots__ = ("password",)

    def __init__(self, password: Any) -> None:
        self.password = password


class _DbWorker(QObject):
    """Lives on the database thread. Never touches a widget."""

    sig_finished = Signal(int, bool, object)  # job id, ok, result or exception

    def __init__(self, factory: ServiceFactory) -> None:
        super().__init__()
        self._factory = factory
        self._password: str | None = None
        self._service: Any = None
        self._open_error: BaseException | None = None
        self._opened = False

    def _ensure_service(self) -> Any:
        if not self._opened:
            self._opened = True
            try:
                if self._password is not None:
                    self._service = self._factory(password=self._password)
                else:
                    self._service = self._factory()
            except Exception as exc:  # reported with every job until the service is opened again
                if is_unreachable(exc):  # no server, or it wants a password: the window deals with it
                    log.warning("could not open the review database: %s", one_line(exc))
                else:
                    log.exception("could not open the review database")
                self._open_error = exc
        if self._open_error is not None:
            raise ServiceUnavailable(one_line(self._open_error), self._open_error) from self._open_error
        return self._service

    def _reopen(self, request: _Reopen) -> None:
        self._close_service()
        if request.password is not _KEEP:
            self._password = request.password
        self._opened = False
        self._open_error = None

    @Slot(object)
    def run(self, job: Any) -> None:
        if job is _CLOSE:
            self._close()
            return
        if isinstance(job, _Reopen):
            self._reopen(job)
            return
        if job.cancelled:
            self.sig_finished.emit(job.id, False, None)
            return
        try:
            result = job.fn(self._ensure_service() if job.needs_service else None)
        except Exception as exc:
            if is_unreachable(exc):  # expected while the database is down: one line, no traceback
                log.info("background job %r: %s", job.label, one_line(exc))
            else:
                log.warning("background job %r failed:\n%s", job.label, traceback.format_exc())
            self.sig_finished.emit(job.id, False, exc)
        else:
            self.sig_finished.emit(job.id, True, result)

    def _close_service(self) -> None:
        try:
            if self._service is not None:
                self._service.close()
        except Exception:
            log.exception("closing the review database failed")
        finally:
            self._service = None

    def _close(self) -> None:
        self._close_service()
        self._password = None
        QThread.currentThread().quit()


class DbJobs(QObject):
    """Main-thread side of the database worker: queue `fn(service)` calls, get callbacks on the GUI thread.

    Every exception raised by a job is caught on the worker and handed to the job's `on_failure`, or, when
    the job has none, reported through `sig_job_failed` (the window shows it), or `sig_job_unreachable`
    when the database did not answer; the window never crashes because of a background error.
    Exceptions in callbacks are caught and reported the same way.
    """

    sig_job_failed = Signal(str, str)  # job label, one-line error
    sig_job_unreachable = Signal(str, str)  # job label, one-line error: the database did not answer
    sig_reachability = Signal(bool, str)  # the database answers (True) or not (False, with why); on change
    sig_credentials_refused = Signal(str)  # the server refused the password (why): asking again may help
    sig_idle = Signal()  # the queue of jobs ran empty
    _sig_run = Signal(object)

    def __init__(self, service_factory: ServiceFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._closed = False
        self._reachable = True
        self._thread = QThread()
        self._thread.setObjectName("reviewer-db")
        self._worker = _DbWorker(service_factory)
        self._worker.moveToThread(self._thread)
        self._sig_run.connect(self._worker.run)
        self._worker.sig_finished.connect(self._on_finished)
        self._thread.start()

    # -- queueing --------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[Any], Any],
        on_success: OnSuccess | None = None,
        on_failure: OnFailure | None = None,
        label: str = "",
        local: bool = False,
        needs_service: bool = True,
    ) -> Job:
        """Queue `fn(service)` on the database thread. Callbacks run later, on the main thread.

        `local`: the job's success does not prove that the database answers (it reads the local journal,
        or its result says so itself); its failure for want of the database still counts.
        `needs_service`: False for work on local files alone, which runs as `fn(None)` even while the
        service cannot be opened.
        """
        job = Job(
            next(self._ids), label or getattr(fn, "__name__", "job"), fn, on_success, on_failure, local, needs_service
        )
        if self._closed:
            job.cancel()
            return job
        self._jobs[job.id] = job
        self._sig_run.emit(job)
        return job

    def reopen(self, password: Any = _KEEP) -> None:
        """Close the service; the next job opens it again (with `password`, when one is given).

        Jobs queued before this call still run on the old service (or fail as before).
        """
        if not self._closed:
            self._sig_run.emit(_Reopen(password))

    # -- reachability ----------------------------------------------------------------------------

    @property
    def reachable(self) -> bool:
        """Whether the database answered the last time a job needed it."""
        return self._reachable

    def set_reachable(self, reachable: bool, why: str = "") -> None:
        if reachable != self._reachable and not self._closed:
            self._reachable = reachable
            self.sig_reachability.emit(reachable, why)

    @property
    def pending(self) -> int:
        """Jobs queued or running whose callbacks have not run yet."""
        return len(self._jobs)

    @property
    def idle(self) -> bool:
        return not self._jobs

    @property
    def worker_thread(self) -> QThread:  # for tests and diagnostics
        return self._thread

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    # -- results ---------------------------------------------------------------------------------

    @Slot(int, bool, object)
    def _on_finished(self, job_id: int, ok: bool, value: object) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        job.done = True
        try:
            if job.cancelled or self._closed:
                return
            error = value if not ok and isinstance(value, BaseException) else None
            if ok and not job.local:
                self.set_reachable(True)
            elif is_unreachable(error):
                self.set_reachable(False, one_line(error))
                if needs_password(error):
                    self.sig_credentials_refused.emit(one_line(error))
            if ok:
                if job.on_success is not None:
                    job.on_success(value)
            elif error is not None:
                if job.on_failure is not None:
                    job.on_failure(error)
                elif is_unreachable(error):
                    self.sig_job_unreachable.emit(job.label, one_line(error))
                else:
                    self.sig_job_failed.emit(job.label, one_line(error))
        except Exception as exc:
            log.exception("callback of background job %r failed", job.label)
            self.sig_job_failed.emit(job.label, one_line(exc))
        finally:
            if not self._jobs and not self._closed:
                self.sig_idle.emit()

    # -- shutdown --------------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Let queued jobs finish, close the service on its thread, stop and join the thread.

        Callbacks of jobs still queued are dropped: the window is going away. True when the thread ended.
        """
        if self._closed:
            return not self._thread.isRunning()
        self._closed = True  # queued jobs still run (a decision is never dropped); their callbacks do not
        self._sig_run.emit(_CLOSE)
        finished = self._thread.wait(timeout_ms)
        if not finished:
            log.error("the database thread did not stop within %d ms", timeout_ms)
        self._jobs.clear()
        return finished


# -- APK parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedFile:
    """One imported file and what the parser made of it (an ApkFacts, ok or not)."""

    index: int
    path: str
    facts: Any


def _default_pool_factory():
    from reviewer_app.review.imports import open_facts_pool

    return open_facts_pool()


class _ParseWorker(QObject):
    """Lives on the parsing thread: drives a FactsPool and posts results back in batches."""

    sig_batch = Signal(int, object)  # import id, list[ParsedFile]
    sig_finished = Signal(int, str)  # import id, "" or a one-line error for the whole import

    BATCH_SIZE = 25
    BATCH_SECONDS = 0.15

    def __init__(self, pool_factory: Callable[[], Any]) -> None:
        super().__init__()
        self._pool_factory = pool_factory
        self._cancelled: set[int] = set()
        self._lock = threading.Lock()

    def cancel(self, import_id: int) -> None:  # called from the main thread
        with self._lock:
            self._cancelled.add(import_id)

    def _is_cancelled(self, import_id: int) -> bool:
        with self._lock:
            return import_id in self._cancelled

    @Slot(int, object, bool)
    def parse(self, import_id: int, paths: Sequence[str], classes: bool = False) -> None:
        error = ""
        done: set[int] = set()
        pool = None
        try:
            if self._is_cancelled(import_id):
                return
            pool = self._pool_factory()
            futures = {pool.submit(path, path, classes=classes): (index, path) for index, path in enumerate(paths)}
            batch: list[ParsedFile] = []
            last_post = time.monotonic()
            remaining = set(futures)
            while remaining:
                finished, remaining = wait(remaining, timeout=0.25, return_when=FIRST_COMPLETED)
                if self._is_cancelled(import_id):
                    for future in remaining:
                        future.cancel()
                    break
                for future in finished:
                    index, path = futures[future]
                    facts = pool.result(future, path)
                    batch.append(ParsedFile(index, path, facts))
                    done.add(index)
                now = time.monotonic()
                if batch and (len(batch) >= self.BATCH_SIZE or now - last_post >= self.BATCH_SECONDS or not remaining):
                    self.sig_batch.emit(import_id, sorted(batch, key=lambda p: p.index))
                    batch = []
                    last_post = now
            if batch:
                self.sig_batch.emit(import_id, batch)
        except Exception as exc:
            log.exception("APK import %d failed", import_id)
            error = one_line(exc)
        finally:
            if pool is not None:
                try:
                    pool.close()
                except Exception:
                    log.exception("closing the parser pool failed")
            with self._lock:
                self._cancelled.discard(import_id)
            self.sig_finished.emit(import_id, error)


class ParseJobs(QObject):
    """Main-thread side of the parsing thread. One import runs at a time; later ones wait their turn."""

    sig_parsed = Signal(int, object)  # import id, list[ParsedFile] (a batch, in file order)
    sig_finished = Signal(int, str)  # import id, "" or an error that stopped the whole import
    _sig_parse = Signal(int, object, bool)

    def __init__(self, pool_factory: Callable[[], Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._closed = False
        self._active: set[int] = set()
        self._thread = QThread()
        self._thread.setObjectName("reviewer-parse")
        self._worker = _ParseWorker(pool_factory or _default_pool_factory)
        self._worker.moveToThread(self._thread)
        self._sig_parse.connect(self._worker.parse)
        self._worker.sig_batch.connect(self._on_batch)
        self._worker.sig_finished.connect(self._on_finished)
        self._thread.start()

    def start(self, paths: Sequence[str | os.PathLike[str]], *, classes: bool = False) -> int:
        """Parse these files; `classes`: list their DEX classes too (a code comparison, not an import)."""
        import_id = next(self._ids)
        if self._closed:
            return import_id
        self._active.add(import_id)
        self._sig_parse.emit(import_id, [os.fspath(p) for p in paths], classes)
        return import_id

    def cancel(self, import_id: int) -> None:
        self._worker.cancel(import_id)

    @property
    def busy(self) -> bool:
        return bool(self._active)

    @property
    def worker_thread(self) -> QThread:
        return self._thread

    @Slot(int, object)
    def _on_batch(self, import_id: int, batch: list[ParsedFile]) -> None:
        if not self._closed:
            self.sig_parsed.emit(import_id, batch)

    @Slot(int, str)
    def _on_finished(self, import_id: int, error: str) -> None:
        self._active.discard(import_id)
        if not self._closed:
            self.sig_finished.emit(import_id, error)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        if self._closed:
            return not self._thread.isRunning()
        self._closed = True
        for import_id in list(self._active):
            self._worker.cancel(import_id)
        self._thread.quit()
        finished = self._thread.wait(timeout_ms)
        if not finished:
            log.error("the parsing thread did not stop within %d ms", timeout_ms)
        return finished
