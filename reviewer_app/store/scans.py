"""Scans kept with their artifact, the reputation blocklist, and recall cases.

A worker writes a scan row when it starts, updates it as each engine answers (so every workstation shows
progress), and finishes it in one transaction with everything that follows from it: the red flags of the
artifact's open submissions, a recall case for a live app found malicious, and the job's end. A worker
that lost its job meanwhile (its lease ran out and another took it) writes none of that.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import (
    BLOCKLIST_KINDS,
    OPEN_STATUSES,
    BlocklistEntry,
    NotFound,
    RecallCase,
    RedFlag,
    ScanEngineRow,
    ScanRecord,
    StoreError,
    worst_first,
)
from reviewer_app.store.base import StoreBase
from reviewer_app.store.jobs import BUSY, JobWrites
from reviewer_app.store.schema import (
    App,
    Artifact,
    BlocklistItem,
    Job,
    Recall,
    RecallCaseRow,
    Scan,
    Submission,
)

SCANS_SHOWN = 10  # the newest scans of an artifact that a detail carries


class ScanWrites(JobWrites, StoreBase):
    # -- scans -----------------------------------------------------------------------------------

    def start_scan(
        self,
        *,
        job_id: int | None,
        artifact_sha256: str,
        submission_id: int | None,
        reason: str,
        policy: str,
        engines_expected: int,
        signatures: str,
        worker: str,
        now: datetime,
    ) -> int:
        """A running scan with no rows yet; an earlier attempt of the same job that never finished fails."""
        with self._writing() as s:
            artifact_id = self._artifact_id(s, artifact_sha256)
            if artifact_id is None:
                raise NotFound(f"no artifact {artifact_sha256}")
            if job_id is not None:
                s.execute(
                    update(Scan)
                    .where(Scan.job_id == job_id, Scan.state == "running")
                    .values(state="failed", finished_at=now, error="the worker scanning it stopped answering")
                    .execution_options(synchronize_session=False)
                )
            scan = Scan(
                artifact_id=artifact_id,
                submission_id=submission_id,
                job_id=job_id,
                state="running",
                reason=reason,
                policy=policy,
                gate=None,
                gate_reason="",
                engines=[],
                engines_expected=engines_expected,
                malware_after_pass=None,
                signatures=signatures,
                worker=worker,
                started_at=now,
            )
            s.add(scan)
            s.flush()
            return scan.id

    def scan_progress(self, scan_id: int, engines: Sequence[ScanEngineRow], gate: str | None, gate_reason: str) -> None:
        """The rows that have arrived so far and the gate as it stands."""
        with self._writing() as s:
            s.execute(
                update(Scan)
                .where(Scan.id == scan_id, Scan.state == "running")
                .values(engines=[row.to_json() for row in engines], gate=gate, gate_reason=gate_reason)
                .execution_options(synchronize_session=False)
            )

    def finish_scan(
        self,
        scan_id: int,
        *,
        job_id: int | None,
        worker: str,
        now: datetime,
        engines: Sequence[ScanEngineRow],
        gate: str | None,
        gate_reason: str,
        malware_after_pass: Sequence[str] = (),
        error: str | None = None,
        flags: Mapping[int, Sequence[RedFlag]] | None = None,
        recall: Mapping[str, Any] | None = None,
    ) -> bool:
        """Store the result with what follows from it, all or nothing. `flags`: submission id -> the scan's
        red flags (they replace that submission's earlier scan flags); `recall`: a case to open (submission_id,
        evidence rows) unless one is already open for the artifact. False when the job is no longer ours."""
        with self._writing() as s:
            if job_id is not None and not self._finish(s, job_id, worker, self._now(now), None):
                return False
            scan = s.get(Scan, scan_id)
            if scan is None:
                raise NotFound(f"no scan {scan_id}")
            scan.state = "failed" if error else "done"
            scan.engines = [row.to_json() for row in engines]
            scan.gate = gate
            scan.gate_reason = gate_reason
            scan.malware_after_pass = list(malware_after_pass) or None
            scan.error = error
            scan.finished_at = now
            for submission_id, submission_flags in (flags or {}).items():
                replace_flags(s, submission_id, "scan", submission_flags)
            if recall is not None:
                self._open_recall_case(s, scan, recall, worker, now)
            return True

    def _open_recall_case(self, s: Session, scan: Scan, recall: Mapping[str, Any], by: str, now: datetime) -> None:
        already = s.execute(
            select(RecallCaseRow.id).where(RecallCaseRow.artifact_id == scan.artifact_id, RecallCaseRow.state == "open")
        ).first()
        if already is not None:
            return
        art = s.get(Artifact, scan.artifact_id)
        app_id = s.execute(select(App.id).where(App.package == (art.package if art else ""))).scalar_one_or_none()
        case = RecallCaseRow(
            package=art.package if art else "",
            app_id=app_id,
            submission_id=recall.get("submission_id"),
            artifact_id=scan.artifact_id,
            scan_id=scan.id,
            source="rescan",
            opened_by=by,
            opened_at=now,
            evidence=[row.to_json() for row in recall.get("evidence") or ()],
            state="open",
        )
        s.add(case)
        s.flush()
        self._append_event(s, "recall_case", f"recall_case:{case.id}", {"package": case.package, "scan": scan.id})

    def artifact_submissions(self, artifact_sha256: str) -> list[tuple[int, str]]:
        """(submission id, status) of every submission of this package file, oldest first."""
        with self._reading() as s:
            rows = s.execute(
                select(Submission.id, Submission.status)
                .join(Artifact, Artifact.id == Submission.artifact_id)
                .where(Artifact.sha256 == artifact_sha256)
                .order_by(Submission.id)
            ).all()
        return [(int(i), str(status)) for i, status in rows]

    def scans(self, artifact_sha256: str, limit: int = SCANS_SHOWN) -> tuple[ScanRecord, ...]:
        """The scans of an artifact, newest first."""
        with self._reading() as s:
            artifact_id = self._artifact_id(s, artifact_sha256)
            return scans_of(s, artifact_id, artifact_sha256, limit) if artifact_id is not None else ()

    def enqueue_rescans(self, signatures: str, now: datetime, created_by: str | None = None) -> int:
        """Queue a re-scan of every live artifact (approved, its app not withdrawn) and of every artifact
        still under review (pending, escalated) whose last finished scan used other signatures, rules or
        blocklists than `signatures`, or that was never scanned (filed before scanning existed) and has no
        scan waiting or running; how many were queued."""
        with self._writing() as s:
            latest = (
                select(Scan.signatures)
                .where(Scan.artifact_id == Artifact.id, Scan.state == "done")
                .order_by(Scan.id.desc())
                .limit(1)
                .correlate(Artifact)
                .scalar_subquery()
            )
            live = and_(Submission.status == "approved", App.withdrawn_at.is_(None))
            candidates = s.execute(
                select(Artifact.id, func.max(Submission.id))
                .join(Submission, Submission.artifact_id == Artifact.id)
                .join(App, App.id == Submission.app_id)
                .where(or_(live, Submission.status.in_(OPEN_STATUSES)))
                .where(latest.is_(None) | (latest != signatures))
                .where(~exists().where(Job.artifact_id == Artifact.id, Job.kind == "scan", Job.state.in_(BUSY)))
                .group_by(Artifact.id)
            ).all()
            queued = 0
            for artifact_id, submission_id in candidates:
                if self._enqueue(s, "scan", "rescan", artifact_id, submission_id, None, created_by, now) is not None:
                    queued += 1
            return queued

    # -- blocklist -------------------------------------------------------------------------------

    def blocklist(self) -> list[BlocklistEntry]:
        with self._reading() as s:
            rows = s.execute(select(BlocklistItem).order_by(BlocklistItem.kind, BlocklistItem.value)).scalars()
            return [BlocklistEntry(r.kind, r.value, r.reason, r.added_by, r.added_at) for r in rows]

    def add_to_blocklist(self, kind: str, value: str, reason: str, by: str, now: datetime) -> bool:
        """False when it is already there."""
        if kind not in BLOCKLIST_KINDS:
            raise ValueError(f"unknown blocklist kind {kind!r}")
        self._require_lead(by)
        with self._writing() as s:
            exists = s.execute(
                select(BlocklistItem.id).where(BlocklistItem.kind == kind, BlocklistItem.value == value)
            ).first()
            if exists is not None:
                return False
            s.add(BlocklistItem(kind=kind, value=value, reason=reason, added_by=by, added_at=now))
            self._append_event(s, "blocklist", f"{kind}:{value}", {"change": "add", "reason": reason})
            return True

    def remove_from_blocklist(self, kind: str, value: str, by: str) -> bool:
        self._require_lead(by)
        with self._writing() as s:
            result = s.execute(
                delete(BlocklistItem)
                .where(BlocklistItem.kind == kind, BlocklistItem.value == value)
                .execution_options(synchronize_session=False)
            )
            removed = bool(getattr(result, "rowcount", 0))
            if removed:
                self._append_event(s, "blocklist", f"{kind}:{value}", {"change": "remove"})
            return removed

    # -- recall cases ----------------------------------------------------------------------------

    def recall_cases(self, states: Sequence[str] | None = ("open",), limit: int = 500) -> list[RecallCase]:
        """Newest first; `states` None for every case."""
        with self._reading() as s:
            query = select(RecallCaseRow, Artifact.sha256, Artifact.version_name, Artifact.label).outerjoin(
                Artifact, Artifact.id == RecallCaseRow.artifact_id
            )
            if states:
                query = query.where(RecallCaseRow.state.in_(list(states)))
            rows = s.execute(query.order_by(RecallCaseRow.opened_at.desc(), RecallCaseRow.id.desc()).limit(limit))
            return [_recall_case(case, sha, version, label) for case, sha, version, label in rows]

    def close_recall_case(self, case_id: int, outcome: str, by: str, note: str, now: datetime) -> RecallCase:
        """A lead's decision on an open case: "recalled" withdraws the app (and records the recall),
        "dismissed" keeps it live."""
        if outcome not in ("recalled", "dismissed"):
            raise ValueError(f"unknown recall outcome {outcome!r}")
        self._require_lead(by)
        with self._writing() as s:
            case = s.get(RecallCaseRow, case_id)
            if case is None:
                raise NotFound(f"no recall case {case_id}")
            if case.state != "open":
                raise StoreError(f"recall case {case_id} is already {case.state} (by {case.closed_by})")
            case.state = outcome
            case.closed_by = by
            case.closed_at = now
            case.note = note
            if outcome == "recalled":
                if case.app_id is not None:
                    s.execute(
                        update(App)
                        .where(App.id == case.app_id)
                        .values(withdrawn_at=now, withdrawn_reason=note)
                        .execution_options(synchronize_session=False)
                    )
                s.add(
                    Recall(
                        id=str(uuid.uuid4()),
                        package=case.package,
                        submission_id=case.submission_id,
                        recalled_by=by,
                        recalled_at=now,
                        reason=note,
                    )
                )
            s.flush()
            self._append_event(
                s, "recall" if outcome == "recalled" else "dismiss", f"recall_case:{case_id}",
                {"package": case.package, "note": note},
            )  # fmt: skip
            art = s.get(Artifact, case.artifact_id) if case.artifact_id else None
            return _recall_case(case, *_artifact_names(art))


def replace_flags(s: Session, submission_id: int, source: str, flags: Sequence[RedFlag]) -> None:
    """A submission's red flags from `source` ("scan", "clones"...) become `flags`; the others stay."""
    sub = s.get(Submission, submission_id)
    if sub is None:
        return
    kept = [RedFlag.from_json(f) for f in sub.red_flags or () if f.get("source") != source]
    merged = [flag.to_json() for flag in worst_first([*kept, *flags])]
    if merged != (sub.red_flags or []):
        sub.red_flags = merged or None


def scans_of(s: Session, artifact_id: int, sha: str, limit: int = SCANS_SHOWN) -> tuple[ScanRecord, ...]:
    """The newest scans of an artifact (for a submission's detail)."""
    rows = s.execute(
        select(Scan).where(Scan.artifact_id == artifact_id).order_by(Scan.id.desc()).limit(limit)
    ).scalars()
    return tuple(_scan_record(scan, sha) for scan in rows)


def _scan_record(scan: Scan, sha: str) -> ScanRecord:
    return ScanRecord(
        scan_id=scan.id,
        artifact_sha256=sha,
        state=scan.state,
        reason=scan.reason,
        policy=scan.policy,
        gate=scan.gate,
        gate_reason=scan.gate_reason or "",
        engines=tuple(ScanEngineRow.from_json(row) for row in scan.engines or ()),
        engines_expected=scan.engines_expected,
        started_at=scan.started_at,
        finished_at=scan.finished_at,
        malware_after_pass=tuple(scan.malware_after_pass or ()),
        worker=scan.worker,
        error=scan.error,
    )


def _artifact_names(art: Artifact | None) -> tuple[str | None, str | None, str | None]:
    """What a recall case shows of its artifact: SHA-256, version name and label."""
    return (art.sha256, art.version_name, art.label) if art is not None else (None, None, None)


def _recall_case(case: RecallCaseRow, sha: str | None, version: str | None, label: str | None = None) -> RecallCase:
    return RecallCase(
        case_id=case.id,
        package=case.package,
        submission_id=case.submission_id,
        artifact_sha256=sha,
        version_name=version,
        opened_at=case.opened_at,
        opened_by=case.opened_by,
        source=case.source,
        evidence=tuple(ScanEngineRow.from_json(row) for row in case.evidence or ()),
        state=case.state,
        closed_by=case.closed_by,
        closed_at=case.closed_at,
        note=case.note,
        label=label,
    )
