"""`reviewer-app worker`: a headless process that takes jobs from the database, runs them and stores the
results. Any number of workers on any machines share the work of one PostgreSQL database; a single-user
SQLite workstation runs one in the background itself (the GUI starts it on a thread).

Besides the jobs that filing a package queues, a worker notices when what its engines know changes (new
signatures, rules, a blocklist edit: the digest of every engine's versions) and queues a re-scan of every
live app scanned with something else; a re-scan that finds malware opens a recall case.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from reviewer_app.config import Settings
from reviewer_app.domain import DatabaseUnavailable, JobRecord, NotFound, StoreError
from reviewer_app.review.clone_job import CloneJob, sync_catalog
from reviewer_app.review.clones import CloneThresholds
from reviewer_app.review.devices import CAPTURE_JOB, IMPORT_JOB, DeviceJob
from reviewer_app.review.scans import ScanJob, reputation_options
from reviewer_app.review.service import ReviewError

log = logging.getLogger(__name__)

RESCAN_CHECK_SECONDS = 60.0


@dataclass
class WorkerStats:
    jobs: int = 0
    rescans_queued: int = 0
    catalog_added: int = 0
    sampled_for_audit: int = 0
    errors: int = 0


def _utc_now() -> datetime:
    return datetime.now(UTC)


def worker_name(store: Any) -> str:
    """Who holds a job: the database user, the machine and the process, so that a lead can tell workers apart."""
    return f"{store.whoami()}@{socket.gethostname()}:{os.getpid()}"


def make_scan_job(store: Any, settings: Settings) -> ScanJob:
    def specs_for(entries: Any) -> list[Any]:
        """The configured engines, and the reputation engine with the database's blocklist once leads have
        put something on it (an empty list has nothing to say about a package)."""
        names = list(settings.scanning.engines)
        if entries and "reputation" not in names:
            names.append("reputation")
        return settings.scan_specs(names, overrides={"reputation": reputation_options(entries)})

    return ScanJob(store, specs_for, settings.scanning.policy)


def make_handlers(store: Any, settings: Settings, clones: CloneJob | None = None) -> dict[str, Any]:
    """Who runs each kind of job (`run(job, worker, clock, renew, cancel) -> bool`), one set per thread;
    the clone search's index (up to about 1 GB at a million apps) is one per process, shared (`clones`)."""
    clones = clones or CloneJob(store, settings.limits, CloneThresholds.from_settings(settings))
    devices = DeviceJob(store, settings.devices)
    handlers: dict[str, Any] = {"clones": clones, IMPORT_JOB: devices}
    if settings.devices.takes_captures():  # captures go to the workers beside the phones
        handlers[CAPTURE_JOB] = devices
    if settings.scanning.engines:  # a worker without engines leaves scans to the workers that have them
        handlers["scan"] = make_scan_job(store, settings)
    return handlers


def run_jobs_once(
    store: Any,
    handlers: dict[str, Any],
    worker: str,
    clock: Callable[[], datetime],
    lease: timedelta,
    cancel: threading.Event | None = None,
) -> JobRecord | None:
    """Take one due job of the kinds in `handlers` and run it, renewing its lease meanwhile (a job is lost
    only with its worker); the job taken, or None when none was due."""
    job = store.take_job(worker, clock(), lease, kinds=tuple(handlers))
    if job is None:
        return None

    def renew() -> bool:
        return bool(store.renew_job(job.job_id, worker, clock(), lease))

    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(max(lease.total_seconds() / 3, 0.2)):
            with contextlib.suppress(StoreError):  # the database went away for a moment: the next beat tries
                renew()

    beat = threading.Thread(target=heartbeat, name=f"lease-{job.job_id}", daemon=True)
    beat.start()
    try:
        if not handlers[job.kind].run(job, worker, clock, renew, cancel) and not (cancel and cancel.is_set()):
            log.warning("job %s was taken over by another worker; its result was dropped", job.job_id)
    except NotFound as exc:
        store.finish_job(job.job_id, worker, clock(), str(exc))
    except StoreError:
        raise  # the database: the loop waits for it, the job is taken again
    except Exception as exc:  # a file or a bug the job did not expect: that job fails, the worker goes on
        log.exception("job %s (%s) failed", job.job_id, job.kind)
        reason = (f"{type(exc).__name__}: {exc}".strip().splitlines() or [type(exc).__name__])[0]
        with contextlib.suppress(StoreError):
            store.finish_job(job.job_id, worker, clock(), reason)
    finally:
        done.set()
        beat.join()
    return job


JOB_LEASE = timedelta(seconds=30)  # renewed every 10 s while the job runs; a killed worker's job is retaken after it


def run_worker(
    settings: Settings,
    stop: threading.Event,
    *,
    concurrency: int = 1,
    once: bool = False,
    password: str | None = None,
    poll_seconds: float = 1.0,
    lease: timedelta | None = None,
    on_job: Callable[[JobRecord], None] | None = None,
    store: Any = None,
) -> WorkerStats:
    """Take and run jobs until `stop` is set (`once`: until none is due). `concurrency` jobs at a time, each on
    a thread with engine processes of its own. A database that goes away is waited for, not an error."""
    from reviewer_app.review.admin import open_store

    own_store = store is None
    store = store if store is not None else open_store(settings, password)
    stats = WorkerStats()
    lease = lease or JOB_LEASE
    name = worker_name(store)
    lock = threading.Lock()
    try:
        shared = CloneJob(store, settings.limits, CloneThresholds.from_settings(settings))
        jobs = [make_handlers(store, settings, shared) for _ in range(max(1, concurrency))]
        _housekeeping(store, jobs[0], settings, stats)
        threads = [
            threading.Thread(
                target=_loop,
                args=(store, job, f"{name}/{i}", stop, once, poll_seconds, lease, stats, lock, on_job),
                name=f"worker-{i}",
                daemon=True,
            )
            for i, job in enumerate(jobs)
        ]
        for thread in threads:
            thread.start()
        last_check = time.monotonic()
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(timeout=0.2)
            if not once and time.monotonic() - last_check > RESCAN_CHECK_SECONDS:
                last_check = time.monotonic()
                _housekeeping(store, jobs[0], settings, stats)
        for handlers in jobs:
            for handler in handlers.values():
                handler.close()
    finally:
        if own_store:
            store.close()
    return stats


def _housekeeping(store: Any, handlers: dict[str, Any], settings: Settings, stats: WorkerStats) -> None:
    """Now and then: re-scans when the engines' signatures changed; approved packages into the catalog; the
    day's sample of decisions for spot-check audits."""
    try:
        queued = store.enqueue_rescans(handlers["scan"].signatures(), _utc_now()) if "scan" in handlers else 0
        added = sync_catalog(store, settings.limits, _utc_now())
    except StoreError as exc:
        log.warning("could not queue re-scans or fill the catalog: %s", exc)
        return
    if settings.audits.daily:
        _sample_for_audits(store, settings, stats)
    if queued:
        log.info("signatures changed: %d live apps queued for a re-scan", queued)
        stats.rescans_queued += queued
    if added:
        log.info("%d approved packages added to the catalog", added)
        stats.catalog_added += added


def _sample_for_audits(store: Any, settings: Settings, stats: WorkerStats) -> None:
    from reviewer_app.review.audits import daily_sample

    try:
        sampled = daily_sample(store, settings.audits, _utc_now(), store.whoami())
    except (StoreError, ReviewError) as exc:  # a bad rate in the settings, or the database: log, go on
        log.warning("could not take the day's sample of decisions for audits: %s", exc)
        return
    if sampled is not None:
        log.info("%d decisions sampled for today's audits", len(sampled))
        stats.sampled_for_audit += len(sampled)


def _loop(
    store: Any,
    handlers: dict[str, Any],
    name: str,
    stop: threading.Event,
    once: bool,
    poll_seconds: float,
    lease: timedelta,
    stats: WorkerStats,
    lock: threading.Lock,
    on_job: Callable[[JobRecord], None] | None,
) -> None:
    while not stop.is_set():
        try:
            job = run_jobs_once(store, handlers, name, _utc_now, lease, stop)
        except DatabaseUnavailable as exc:
            log.warning("database unavailable (%s); trying again", exc)
            stop.wait(max(poll_seconds, 2.0))
            continue
        except StoreError as exc:
            log.error("job failed: %s", exc)
            with lock:
                stats.errors += 1
            stop.wait(poll_seconds)
            continue
        if job is None:
            if once:
                return
            stop.wait(poll_seconds)
            continue
        with lock:
            stats.jobs += 1
        if on_job is not None:
            on_job(job)


class BackgroundWorker:
    """A worker on a thread of this process, for a single-user workstation: started with the window,
    stopped when it closes. A scan in flight at the stop is given back (its job is taken again later)."""

    def __init__(self, settings: Settings, password: str | None = None, poll_seconds: float = 1.0) -> None:
        self.settings = settings
        self.password = password
        self.poll_seconds = poll_seconds
        self.stop_event = threading.Event()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="background-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            run_worker(self.settings, self.stop_event, password=self.password, poll_seconds=self.poll_seconds)
        except StoreError as exc:
            self.error = str(exc)
            log.error("background worker stopped: %s", exc)
        except Exception as exc:  # never take the window down with it
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("background worker stopped")

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()
