"""Background jobs in the database: queued by whoever files or asks, taken by any number of workers.

A worker takes the most urgent due job with one UPDATE whose subquery locks the row FOR UPDATE SKIP LOCKED
on PostgreSQL, so two workers never take the same job and neither waits for the other; SQLite's single
writer (BEGIN IMMEDIATE) serialises the same statement. A taken job carries a lease the worker renews while
it works: when the lease runs out (the worker was killed, its machine lost power) the job is due again,
until it has been tried `max_attempts` times, and then it fails with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import JobRecord
from reviewer_app.store.base import StoreBase
from reviewer_app.store.schema import Artifact, Job, Scan, UTCDateTime

BUSY = ("queued", "running")
PRIORITY = {"submitted": 0, "requested": 0, "rescan": 1}
LOST = "the worker running it stopped answering"
INTERRUPTED = "interrupted: the worker stopped before it finished; it is scanned again"


class JobWrites(StoreBase):
    def enqueue_job(
        self,
        kind: str,
        reason: str,
        *,
        artifact_sha256: str | None = None,
        submission_id: int | None = None,
        payload: dict[str, Any] | None = None,
        created_by: str | None = None,
        now: datetime,
    ) -> int | None:
        """Queue a job in `created_by`'s name (the database user on PostgreSQL, which checks it); None when the
        same kind of job already waits for this artifact. One a person asked for ("requested") is in the
        audit trail."""
        with self._writing() as s:
            artifact_id = self._artifact_id(s, artifact_sha256) if artifact_sha256 else None
            job_id = self._enqueue(s, kind, reason, artifact_id, submission_id, payload, created_by, now)
            if job_id is not None and reason == "requested":
                subject = f"submission:{submission_id}" if submission_id is not None else f"job:{job_id}"
                self._append_event(s, "job_request", subject, {"kind": kind, "job": job_id})
            return job_id

    def _enqueue(
        self,
        s: Session,
        kind: str,
        reason: str,
        artifact_id: int | None,
        submission_id: int | None,
        payload: dict[str, Any] | None,
        created_by: str | None,
        now: datetime,
    ) -> int | None:
        if artifact_id is not None:
            waiting = s.execute(
                select(Job.id).where(Job.kind == kind, Job.artifact_id == artifact_id, Job.state == "queued")
            ).first()
            if waiting is not None:
                return None
        job = Job(
            kind=kind,
            state="queued",
            reason=reason,
            priority=PRIORITY.get(reason, 0),
            artifact_id=artifact_id,
            submission_id=submission_id,
            payload=payload,
            attempts=0,
            max_attempts=3,
            run_after=now,
            created_by=self._author(created_by),
            created_at=now,
        )
        s.add(job)
        s.flush()
        return job.id

    def _author(self, name: str | None) -> Any:
        if self.backend == "postgresql":
            return func.current_user()
        return name or self._reviewer or "reviewer"

    @staticmethod
    def _artifact_id(s: Session, sha256: str) -> int | None:
        return s.execute(select(Artifact.id).where(Artifact.sha256 == sha256)).scalar_one_or_none()

    def _now(self, now: datetime) -> Any:
        """The database's clock on PostgreSQL (workers on several machines agree on leases), else `now`."""
        if self.backend == "postgresql":
            return func.now()
        return bindparam("now", now, type_=UTCDateTime())

    def _lease_end(self, db_now: Any, now: datetime, lease: timedelta) -> Any:
        return db_now + lease if self.backend == "postgresql" else bindparam("until", now + lease, type_=UTCDateTime())

    def take_job(
        self, worker: str, now: datetime, lease: timedelta, kinds: Sequence[str] = ("scan",)
    ) -> JobRecord | None:
        """The most urgent due job of these kinds, now held by `worker`; None when there is none."""
        db_now = self._now(now)
        until = self._lease_end(db_now, now, lease)
        with self._writing() as s:
            self._fail_exhausted(s, db_now, kinds)
            due = or_(
                and_(Job.state == "queued", Job.run_after <= db_now),
                and_(Job.state == "running", Job.lease_until < db_now, Job.attempts < Job.max_attempts),
            )
            pick = (
                select(Job.id)
                .where(due, Job.kind.in_(list(kinds)))
                .order_by(Job.priority, Job.run_after, Job.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            taken = s.execute(
                update(Job)
                .where(Job.id == pick)
                .values(
                    state="running",
                    worker=worker,
                    lease_until=until,
                    attempts=Job.attempts + 1,
                    started_at=db_now,
                    error=None,
                )
                .returning(Job.id)
                .execution_options(synchronize_session=False)
            ).scalar_one_or_none()
            if taken is None:
                return None
            job = s.get(Job, taken)
            assert job is not None
            s.refresh(job)
            sha = s.execute(select(Artifact.sha256).where(Artifact.id == job.artifact_id)).scalar_one_or_none()
            return _job_record(job, sha)

    def _fail_exhausted(self, s: Session, db_now: Any, kinds: Sequence[str]) -> None:
        """Jobs whose worker was lost once too often fail, with their half-written scans."""
        lost = and_(
            Job.state == "running",
            Job.lease_until < db_now,
            Job.attempts >= Job.max_attempts,
            Job.kind.in_(list(kinds)),
        )
        ids = list(s.execute(select(Job.id).where(lost).with_for_update(skip_locked=True)).scalars())
        if not ids:
            return
        s.execute(
            update(Job)
            .where(Job.id.in_(ids))
            .values(state="failed", finished_at=db_now, lease_until=None, error=LOST)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(Scan)
            .where(Scan.job_id.in_(ids), Scan.state == "running")
            .values(state="failed", finished_at=db_now, error=LOST)
            .execution_options(synchronize_session=False)
        )

    def renew_job(self, job_id: int, worker: str, now: datetime, lease: timedelta) -> bool:
        """Keep holding a job while working on it; False when it was lost (its lease ran out and another
        worker took it)."""
        db_now = self._now(now)
        until = self._lease_end(db_now, now, lease)
        with self._writing() as s:
            result = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
                .values(lease_until=until)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0))

    def finish_job(self, job_id: int, worker: str, now: datetime, error: str | None = None) -> bool:
        """Done (or failed with `error`); False when the job is no longer this worker's."""
        with self._writing() as s:
            return self._finish(s, job_id, worker, self._now(now), error)

    @staticmethod
    def _finish(s: Session, job_id: int, worker: str, db_now: Any, error: str | None) -> bool:
        result = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
            .values(state="failed" if error else "done", finished_at=db_now, lease_until=None, error=error)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    def abandon_job(self, job_id: int, worker: str, scan_id: int | None, now: datetime) -> bool:
        """Give a job back unfinished (the worker is stopping): due again at once, this try not counted."""
        db_now = self._now(now)
        with self._writing() as s:
            result = s.execute(
                update(Job)
                .where(Job.id == job_id, Job.worker == worker, Job.state == "running")
                .values(lease_until=db_now, attempts=Job.attempts - 1)
                .execution_options(synchronize_session=False)
            )
            if scan_id is not None:
                s.execute(
                    update(Scan)
                    .where(Scan.id == scan_id, Scan.state == "running")
                    .values(state="failed", finished_at=db_now, error=INTERRUPTED)
                    .execution_options(synchronize_session=False)
                )
            return bool(getattr(result, "rowcount", 0))

    def job(self, job_id: int) -> JobRecord | None:
        with self._reading() as s:
            job = s.get(Job, job_id)
            if job is None:
                return None
            sha = s.execute(select(Artifact.sha256).where(Artifact.id == job.artifact_id)).scalar_one_or_none()
            return _job_record(job, sha)

    def job_counts(self, kinds: Sequence[str] = ("scan",)) -> dict[str, int]:
        """How many jobs are queued, running, done and failed."""
        with self._reading() as s:
            rows = s.execute(select(Job.state, func.count()).where(Job.kind.in_(list(kinds))).group_by(Job.state)).all()
        counts = dict.fromkeys(("queued", "running", "done", "failed"), 0)
        counts.update({state: int(n) for state, n in rows})
        return counts


def job_state(s: Session, kind: str, artifact_id: int) -> str | None:
    """ "running" or "queued" while a job of `kind` for the artifact runs or waits, else None."""
    states = set(
        s.execute(
            select(Job.state).where(Job.kind == kind, Job.artifact_id == artifact_id, Job.state.in_(BUSY))
        ).scalars()
    )
    return "running" if "running" in states else ("queued" if states else None)


def _job_record(job: Job, sha: str | None) -> JobRecord:
    return JobRecord(
        job_id=job.id,
        kind=job.kind,
        state=job.state,
        reason=job.reason,
        artifact_sha256=sha,
        submission_id=job.submission_id,
        attempts=job.attempts,
        created_at=job.created_at,
        worker=job.worker,
        lease_until=job.lease_until,
        error=job.error,
        payload=dict(job.payload or {}),
    )
