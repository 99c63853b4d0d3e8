"""The clone search as a worker's job: filing a package queues it beside the scan, so the comparison with
the catalog is waiting when a reviewer opens the submission. Workers also add every approved package to
the catalog (`sync_catalog`), so the next counterfeit of it is found."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reviewer_app.domain import JobRecord, NotFound
from reviewer_app.review.clones import CloneSearch, CloneThresholds, clone_flags, package_prints

log = logging.getLogger(__name__)


class CloneJob:
    """One worker's clone searches: the catalog index stays in memory between jobs (refreshed by id)."""

    def __init__(self, store: Any, limits: Any = None, thresholds: CloneThresholds | None = None) -> None:
        self.store = store
        self.limits = limits
        self.search = CloneSearch(store, thresholds or CloneThresholds())

    def run(
        self,
        job: JobRecord,
        worker: str,
        clock: Callable[[], datetime],
        renew: Callable[[], bool],
        cancel: threading.Event | None = None,
    ) -> bool:
        sha = job.artifact_sha256
        if sha is None or job.submission_id is None:
            return bool(self.store.finish_job(job.job_id, worker, clock(), "the job names no package"))
        detail = self.store.detail(job.submission_id)
        if detail.facts is None:
            return bool(self.store.finish_job(job.job_id, worker, clock(), "the package could not be read"))
        path = self.store.blobs.path(sha)
        prints = package_prints(detail.facts, detail.row.developer, str(path) if path.is_file() else None,
                                detail.icon_png, self.limits, job.submission_id)  # fmt: skip
        result = self.search.search(prints, clock())
        if cancel is not None and cancel.is_set():
            self.store.abandon_job(job.job_id, worker, None, clock())
            return False
        flags = clone_flags(result)
        open_ids = [sid for sid, status in self.store.artifact_submissions(sha) if status in ("pending", "escalated")]
        return bool(
            self.store.finish_clone_job(job.job_id, worker, clock(), sha, result, dict.fromkeys(open_ids, flags))
        )

    def close(self) -> None:
        return None


def sync_catalog(store: Any, limits: Any, now: datetime, limit: int = 200) -> int:
    """Add approved packages the catalog does not hold yet; how many."""
    added = 0
    for submission_id, sha, developer, facts, icon_blob in store.approved_outside_catalog(limit):
        path = store.blobs.path(sha)
        icon_png = None
        if icon_blob:
            try:
                icon_png = store.blobs.read(icon_blob)
            except OSError:
                icon_png = None
        try:
            prints = package_prints(facts, developer, str(path) if path.is_file() else None, icon_png, limits,
                                    submission_id)  # fmt: skip
        except NotFound:
            continue
        added += store.add_catalog_apps([prints.catalog_row("approved", now, icon_blob)])
    return added
