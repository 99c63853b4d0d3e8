"""Reading the queue: ids in the order a reviewer gets them (whole, or a page at a time), rows, counts,
and everything the store keeps about one submission (its detail, the approved version, its history)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Integer,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from reviewer_app.domain import (
    DeviceRun,
    DeviceScreenshot,
    NotFound,
    QueueRow,
    RedFlag,
    SubmissionDetail,
    VersionRecord,
)
from reviewer_app.store.base import StoreBase, decision_record, live_versions
from reviewer_app.store.catalog import latest_clone_result
from reviewer_app.store.devices import device_runs_of
from reviewer_app.store.jobs import job_state
from reviewer_app.store.scans import scans_of
from reviewer_app.store.schema import (
    OPEN_STATUSES,
    App,
    Artifact,
    Decision,
    Developer,
    Submission,
    UTCDateTime,
)

CHUNK = 500


class QueueReads(StoreBase):
    def queue_ids(self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None) -> list[int]:
        """Ids in the order a reviewer gets them: earliest deadline first."""
        with self._reading() as s:
            stmt = (
                select(Submission.id)
                .where(self._queue_filter(statuses, kinds))
                .order_by(Submission.deadline, Submission.id)
            )
            return list(s.execute(stmt).scalars())

    def queue_count(
        self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None, exclude: Iterable[int] = ()
    ) -> int:
        """How many submissions the queue holds, leaving out the ids in `exclude` (a few)."""
        where = self._queue_filter(statuses, kinds)
        left_out = sorted(set(exclude))
        with self._reading() as s:
            total = s.execute(select(func.count()).select_from(Submission).where(where)).scalar_one()
            for start in range(0, len(left_out), CHUNK):
                part = left_out[start : start + CHUNK]
                total -= s.execute(
                    select(func.count()).select_from(Submission).where(where, Submission.id.in_(part))
                ).scalar_one()
        return total

    def queue_page(
        self,
        statuses: Sequence[str] = OPEN_STATUSES,
        kinds: Sequence[str] | None = None,
        after: tuple[datetime, int] | None = None,
        limit: int = 10_000,
    ) -> tuple[list[int], tuple[datetime, int] | None]:
        """One page of the queue's ids in order (earliest deadline first), those that come after the key
        `after`; returns the ids and the key to ask for the next page with (None after the last page).

        Each page is one short read that walks an index from where the last one stopped (keyset paging),
        so reading a queue of any size page by page costs what reading it at once does, and the database
        worker can run other work between pages. A submission whose deadline changes between two pages
        can be read twice or not at all; callers drop repeats, and the next reload puts it in its place.
        """
        if limit < 1:
            raise ValueError("limit must be positive")
        # One ordered index range per status (and kind), merged by the database: an IN list would make
        # it sort the rest of the queue for every page. ix_submissions_queue serves the statuses,
        # ix_submissions_queue_kind the (status, kind) pairs. SQLite merges a UNION ALL with ORDER BY
        # lazily (it stops at the limit); PostgreSQL merges index scans only when each range has its own
        # ORDER BY and LIMIT (without them it sorts the rest of the queue), which costs SQLite a sort.
        if after is not None:
            key_deadline, key_id = literal(after[0], UTCDateTime()), literal(after[1], Integer())
        arms = []
        for status in dict.fromkeys(statuses):
            for kind in dict.fromkeys(kinds) if kinds else (None,):
                cond = [Submission.status == status]
                if kind is not None:
                    cond.append(Submission.kind == kind)
                if after is not None:
                    cond.append(tuple_(Submission.deadline, Submission.id) > tuple_(key_deadline, key_id))
                arms.append(select(Submission.id, Submission.deadline).where(*cond))
        if len(arms) == 1:
            stmt = arms[0].with_only_columns(Submission.id).order_by(Submission.deadline, Submission.id).limit(limit)
        else:
            if self.backend != "sqlite":
                ordered = [arm.order_by(Submission.deadline, Submission.id).limit(limit).subquery() for arm in arms]
                arms = [select(range_) for range_ in ordered]
            merged = union_all(*arms)
            first = merged.order_by(merged.selected_columns.deadline, merged.selected_columns.id).limit(limit)
            page = first.subquery()
            stmt = select(page.c.id).order_by(page.c.deadline, page.c.id)
        with self._reading() as s:
            # On the connection, not the session: the ORM's loading makes objects per row that keep the
            # garbage collector busy (a full collection holds up every thread, the GUI's too).
            conn = s.connection()
            ids = list(conn.execute(stmt).scalars())
            if len(ids) < limit:
                return ids, None
            # The key is read in the same transaction: one snapshot on SQLite; on PostgreSQL a deadline
            # changed in between moves the key, which costs a repeat or a miss (see above), nothing worse.
            deadline = conn.execute(select(Submission.deadline).where(Submission.id == ids[-1])).scalar_one()
        return ids, (deadline, ids[-1])

    def _row_select(self):
        return (
            select(
                Submission.id,
                Submission.kind,
                func.coalesce(Artifact.package, App.package),
                func.coalesce(Artifact.label, App.label),
                Developer.name,
                Developer.tier,
                Submission.submitted_at,
                Submission.deadline,
                Submission.status,
                Submission.claimed_by,
                Submission.lease_until,
                Artifact.version_code,
                Artifact.version_name,
                App.withdrawn_at,
                Submission.red_flags,
            )
            .join(Developer, Developer.id == Submission.developer_id)
            .outerjoin(App, App.id == Submission.app_id)
            .outerjoin(Artifact, Artifact.id == Submission.artifact_id)
        )

    @staticmethod
    def _row(values) -> QueueRow:
        *fields, withdrawn_at, flags = values
        row = QueueRow(*fields)
        red_flags = tuple(RedFlag.from_json(f) for f in flags) if flags else ()
        return dataclasses.replace(row, red_flags=red_flags, recalled=withdrawn_at is not None)

    def queue_rows(self, ids: Sequence[int]) -> list[QueueRow]:
        """Rows for these ids, in the order given (missing ids are left out)."""
        found: dict[int, QueueRow] = {}
        with self._reading() as s:
            for start in range(0, len(ids), CHUNK):
                part = list(ids[start : start + CHUNK])
                for values in s.execute(self._row_select().where(Submission.id.in_(part))):
                    row = self._row(values)
                    found[row.submission_id] = row
        return [found[i] for i in ids if i in found]

    def queue(
        self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None, limit: int | None = None
    ) -> list[QueueRow]:
        with self._reading() as s:
            stmt = (
                self._row_select()
                .where(self._queue_filter(statuses, kinds))
                .order_by(Submission.deadline, Submission.id)
            )
            if limit is not None:
                stmt = stmt.limit(limit)
            return [self._row(v) for v in s.execute(stmt)]

    def queue_stats(self, now: datetime) -> dict[str, Any]:
        with self._reading() as s:
            open_filter = Submission.status.in_(list(OPEN_STATUSES))
            total = s.execute(select(func.count()).where(open_filter)).scalar_one()
            overdue = s.execute(select(func.count()).where(open_filter, Submission.deadline < now)).scalar_one()
            next_deadline = s.execute(select(func.min(Submission.deadline)).where(open_filter)).scalar_one()
        if next_deadline is not None and next_deadline.tzinfo is None:
            next_deadline = next_deadline.replace(tzinfo=UTC)
        return {"open": total, "overdue": overdue, "next_deadline": next_deadline}

    def detail(self, submission_id: int, icon: bool = True, jobs: bool = True) -> SubmissionDetail:
        """Everything about one submission; `icon` false leaves the icon's bytes unread (its blob is named),
        `jobs` false the states of its jobs (evidence frozen with a decision has no use for them)."""
        with self._reading() as s:
            values = s.execute(self._row_select().where(Submission.id == submission_id)).first()
            if values is None:
                raise NotFound(f"no submission {submission_id}")
            row = self._row(values)
            sub = s.get(Submission, submission_id)
            assert sub is not None  # its row was just read, in this transaction
            art = s.get(Artifact, sub.artifact_id) if sub.artifact_id else None
            decisions = tuple(
                decision_record(d)
                for d in s.execute(
                    select(Decision).where(Decision.submission_id == submission_id).order_by(Decision.decided_at)
                ).scalars()
            )
            previous, previous_sha = self._approved(s, row.package, submission_id) if row.package else (None, None)
            versions = self._versions(s, row.package, submission_id) if row.package else ()
            icon_blob = art.icon_blob if art else None
            scans = scans_of(s, art.id, art.sha256) if art else ()
            scan_job = job_state(s, "scan", art.id) if art and jobs else None
            clones = latest_clone_result(s, art.id) if art else None
            clone_job = job_state(s, "clones", art.id) if art and jobs else None
            device_runs = device_runs_of(s, art.id, art.sha256) if art else ()
            device_job = None
            if art and jobs:
                device_job = job_state(s, "devices", art.id) or job_state(s, "device_capture", art.id)
            previous_runs: tuple[DeviceRun, ...] = ()
            if previous_sha is not None:
                previous_id = s.execute(select(Artifact.id).where(Artifact.sha256 == previous_sha)).scalar()
                previous_runs = device_runs_of(s, previous_id, previous_sha, 1) if previous_id is not None else ()
            app = s.get(App, sub.app_id) if sub.app_id else None
        icon_png = None
        if icon_blob and icon:
            try:
                icon_png = self.blobs.read(icon_blob)
            except OSError:
                icon_png = None
        return SubmissionDetail(
            row=row,
            artifact_sha256=art.sha256 if art else None,
            facts=dict(art.facts) if art else None,
            icon_png=icon_png,
            note=sub.note,
            row_version=sub.row_version,
            decisions=decisions,
            previous_facts=previous,
            previous_artifact_sha256=previous_sha,
            versions=versions,
            scans=scans,
            scan_job=scan_job,
            withdrawn_at=app.withdrawn_at if app else None,
            withdrawn_reason=app.withdrawn_reason if app else None,
            clones=clones,
            clone_job=clone_job,
            device_runs=device_runs,
            previous_device_run=previous_runs[0] if previous_runs else None,
            device_job=device_job,
            listing_images=tuple(
                DeviceScreenshot(
                    str(i.get("name", "")),
                    str(i.get("sha256", "")),
                    int(i.get("width") or 0),
                    int(i.get("height") or 0),
                )
                for i in sub.listing_images or ()
            ),
            icon_blob=icon_blob,
        )

    def approved_facts(self, package: str) -> dict[str, Any] | None:
        """The stored facts of the last approved version of a package (what an update is compared with)."""
        with self._reading() as s:
            return self._approved(s, package, None)[0]

    @staticmethod
    def _approved(s: Session, package: str, exclude: int | None) -> tuple[dict[str, Any] | None, str | None]:
        query = live_versions(package, Artifact.facts, Artifact.sha256)
        if exclude is not None:
            query = query.where(Submission.id != exclude)
        found = s.execute(query.limit(1)).first()
        return (dict(found[0]), found[1]) if found is not None else (None, None)

    MAX_VERSIONS = 50

    def _versions(self, s: Session, package: str, exclude: int) -> tuple[VersionRecord, ...]:
        """The other submissions of the same package, newest first, with who decided them."""
        rows = s.execute(
            select(
                Submission.id,
                Submission.kind,
                Artifact.version_code,
                Artifact.version_name,
                Submission.status,
                Submission.submitted_at,
                Artifact.withdrawn_at,
                Artifact.withdrawn_reason,
            )
            .join(App, App.id == Submission.app_id)
            .outerjoin(Artifact, Artifact.id == Submission.artifact_id)
            .where(App.package == package, Submission.id != exclude)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
            .limit(self.MAX_VERSIONS)
        ).all()
        last: dict[int, tuple[str, datetime]] = {}
        if rows:
            for sid, reviewer, decided_at in s.execute(
                select(Decision.submission_id, Decision.reviewer, Decision.decided_at)
                .where(Decision.submission_id.in_([r[0] for r in rows]))
                .order_by(Decision.decided_at)
            ):
                last[sid] = (reviewer, decided_at)
        records = []
        for sid, kind, code, name, status, submitted, withdrawn_at, withdrawn_reason in rows:
            by, at = last.get(sid, (None, None))
            records.append(
                VersionRecord(sid, kind, code, name, status, submitted, by, at, withdrawn_at, withdrawn_reason)
            )
        return tuple(records)
