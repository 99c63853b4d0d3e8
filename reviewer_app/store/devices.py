"""Device runs: results from device clouds and adb captures, kept per artifact with their screenshots.

A run is filed whole: its screenshots go to the blob store first (content-addressed, so a failed
transaction leaves at most files nobody points at), then the run, its devices and screenshots, and the red
flags it raises on the artifact's open submissions, in one transaction. A capture is started first (a
"running" run the panel can show and stop) and finished the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import DeviceCrash, DeviceResult, DeviceRun, DeviceScreenshot, NotFound, RedFlag
from reviewer_app.store.base import StoreBase, live_versions
from reviewer_app.store.jobs import JobWrites
from reviewer_app.store.scans import replace_flags
from reviewer_app.store.schema import Artifact, DeviceResultRow, DeviceRunRow, DeviceScreenshotRow

RUNS_SHOWN = 5  # the newest runs of an artifact that a detail carries


class DeviceWrites(JobWrites, StoreBase):
    def add_device_run(
        self,
        artifact_sha256: str,
        *,
        source: str,
        label: str,
        results: Sequence[DeviceResult],
        files: Mapping[str, bytes | Path],
        warnings: Sequence[str] = (),
        by: str | None = None,
        now: datetime,
        flags: Mapping[int, Sequence[RedFlag]] | None = None,
        state: str = "done",
        error: str | None = None,
    ) -> DeviceRun:
        """File a finished run (an import; a "failed" one with its error, so the panel can say why);
        `flags`: submission id -> its red flags from devices."""
        self._put_files(files)
        with self._writing() as s:
            artifact_id = self._device_artifact(s, artifact_sha256)
            run = DeviceRunRow(artifact_id=artifact_id, source=source, label=label[:500], state=state,
                               devices_total=len(results), devices_done=len(results), cancel_requested=False,
                               warnings=list(warnings) or None, error=error[:2000] if error else None,
                               created_by=self._author(by), created_at=now, finished_at=now)  # fmt: skip
            s.add(run)
            s.flush()
            self._add_results(s, run.id, results)
            for submission_id, submission_flags in (flags or {}).items():
                replace_flags(s, submission_id, "devices", submission_flags)
            s.flush()
            return _run_record(s, run, artifact_sha256)

    def start_device_run(
        self, artifact_sha256: str, *, source: str, label: str, devices_total: int, by: str | None = None,
        now: datetime,
    ) -> int:  # fmt: skip
        """A running capture with no devices finished yet; its id."""
        with self._writing() as s:
            run = DeviceRunRow(artifact_id=self._device_artifact(s, artifact_sha256), source=source,
                               label=label[:500], state="running", devices_total=devices_total, devices_done=0,
                               cancel_requested=False, created_by=self._author(by), created_at=now)  # fmt: skip
            s.add(run)
            s.flush()
            return run.id

    def device_run_progress(self, run_id: int, devices_done: int, devices_total: int | None = None) -> bool:
        """How far a running capture is; whether a reviewer asked to stop it."""
        values: dict[str, Any] = {"devices_done": devices_done}
        if devices_total is not None:
            values["devices_total"] = devices_total
        with self._writing() as s:
            s.execute(
                update(DeviceRunRow)
                .where(DeviceRunRow.id == run_id, DeviceRunRow.state == "running")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return bool(s.execute(select(DeviceRunRow.cancel_requested).where(DeviceRunRow.id == run_id)).scalar())

    def finish_device_run(
        self,
        run_id: int,
        *,
        state: str,
        results: Sequence[DeviceResult] = (),
        files: Mapping[str, bytes | Path] | None = None,
        warnings: Sequence[str] = (),
        error: str | None = None,
        now: datetime,
        flags: Mapping[int, Sequence[RedFlag]] | None = None,
    ) -> DeviceRun:
        """A capture's end: its devices (all of them, or those finished before it was stopped or failed)."""
        self._put_files(files or {})
        with self._writing() as s:
            run = s.get(DeviceRunRow, run_id)
            if run is None:
                raise NotFound(f"no device run {run_id}")
            self._add_results(s, run.id, results)
            run.state = state
            run.devices_done = len(results)
            run.warnings = list(warnings) or None
            run.error = error[:2000] if error else None
            run.finished_at = now
            for submission_id, submission_flags in (flags or {}).items():
                replace_flags(s, submission_id, "devices", submission_flags)
            s.flush()
            sha = s.execute(select(Artifact.sha256).where(Artifact.id == run.artifact_id)).scalar_one()
            return _run_record(s, run, sha)

    def request_device_cancel(self, artifact_sha256: str, submission_id: int | None = None) -> int:
        """Ask the running captures of an artifact to stop; how many were asked. Stopping is a request about
        a job: a "job_request" event (change "cancel", the runs asked) in the same transaction, about the
        submission it was asked from when given; none when no capture was running."""
        with self._writing() as s:
            artifact_id = self._device_artifact(s, artifact_sha256)
            runs = sorted(
                s.execute(
                    update(DeviceRunRow)
                    .where(DeviceRunRow.artifact_id == artifact_id, DeviceRunRow.state == "running",
                           DeviceRunRow.cancel_requested.is_(False))
                    .values(cancel_requested=True)
                    .returning(DeviceRunRow.id)
                    .execution_options(synchronize_session=False)
                ).scalars()
            )  # fmt: skip
            if runs:
                subject = f"submission:{submission_id}" if submission_id is not None else f"artifact:{artifact_sha256}"
                self._append_event(s, "job_request", subject, {"kind": "device_capture", "change": "cancel",
                                                               "runs": runs})  # fmt: skip
            return len(runs)

    def device_runs(self, artifact_sha256: str, limit: int = RUNS_SHOWN) -> tuple[DeviceRun, ...]:
        with self._reading() as s:
            artifact_id = self._artifact_id(s, artifact_sha256)
            return device_runs_of(s, artifact_id, artifact_sha256, limit) if artifact_id is not None else ()

    def approved_device_run(self, artifact_sha256: str) -> DeviceRun | None:
        """The newest finished run of the last approved version of this artifact's package (another artifact):
        what this version's screenshots are compared with."""
        with self._reading() as s:
            package = s.execute(select(Artifact.package).where(Artifact.sha256 == artifact_sha256)).scalar()
            if not package:
                return None
            found = s.execute(
                live_versions(package, Artifact.id, Artifact.sha256).where(Artifact.sha256 != artifact_sha256).limit(1)
            ).first()
            if found is None:
                return None
            run = (
                s.execute(
                    select(DeviceRunRow)
                    .where(DeviceRunRow.artifact_id == found[0], DeviceRunRow.state == "done")
                    .order_by(DeviceRunRow.id.desc())
                )
                .scalars()
                .first()
            )
            return _run_record(s, run, found[1]) if run is not None else None

    # -- parts -----------------------------------------------------------------------------------

    def _put_files(self, files: Mapping[str, bytes | Path]) -> None:
        for sha, content in files.items():
            if sha in self.blobs:
                continue
            stored = self.blobs.put_bytes(content) if isinstance(content, bytes) else self.blobs.put_file(content, sha)
            if stored != sha:
                raise ValueError(f"screenshot {sha} does not hold what its name says")

    def _device_artifact(self, s: Session, sha256: str) -> int:
        artifact_id = self._artifact_id(s, sha256)
        if artifact_id is None:
            raise NotFound(f"no artifact {sha256}")
        return artifact_id

    @staticmethod
    def _add_results(s: Session, run_id: int, results: Sequence[DeviceResult]) -> None:
        for position, result in enumerate(results):
            row = DeviceResultRow(
                run_id=run_id, position=position, device=result.device[:200], brand=result.brand,
                os_version=result.os_version, api_level=result.api_level, locale=result.locale,
                orientation=result.orientation, virtual=result.virtual, outcome=result.outcome,
                installed=result.installed, launched=result.launched, crashed=result.crashed,
                crashes=[crash.to_json() for crash in result.crashes] or None, flags=list(result.flags) or None,
                messages=list(result.messages) or None,
            )  # fmt: skip
            s.add(row)
            s.flush()
            s.add_all(
                DeviceScreenshotRow(
                    result_id=row.id,
                    position=index,
                    name=shot.name[:500],
                    blob=shot.sha256,
                    width=shot.width,
                    height=shot.height,
                    step=shot.step[:32],
                    phash=shot.phash,
                    flags=list(shot.flags) or None,
                )
                for index, shot in enumerate(result.screenshots)
            )


def device_runs_of(s: Session, artifact_id: int, sha: str, limit: int = RUNS_SHOWN) -> tuple[DeviceRun, ...]:
    """The newest runs of an artifact with their devices and screenshots (three queries, not one per device)."""
    runs = list(
        s.execute(
            select(DeviceRunRow).where(DeviceRunRow.artifact_id == artifact_id).order_by(DeviceRunRow.id.desc())
            .limit(limit)
        ).scalars()
    )  # fmt: skip
    return tuple(_run_record(s, run, sha) for run in runs)


def _run_record(s: Session, run: DeviceRunRow, sha: str) -> DeviceRun:
    rows = list(
        s.execute(
            select(DeviceResultRow).where(DeviceResultRow.run_id == run.id).order_by(DeviceResultRow.position)
        ).scalars()
    )
    shots: dict[int, list[DeviceScreenshot]] = {row.id: [] for row in rows}
    if rows:
        for shot in s.execute(
            select(DeviceScreenshotRow)
            .where(DeviceScreenshotRow.result_id.in_(list(shots)))
            .order_by(DeviceScreenshotRow.result_id, DeviceScreenshotRow.position)
        ).scalars():
            shots[shot.result_id].append(
                DeviceScreenshot(
                    shot.name, shot.blob, shot.width, shot.height, shot.step, shot.phash, tuple(shot.flags or ())
                )
            )
    results = tuple(
        DeviceResult(
            device=row.device,
            outcome=row.outcome,
            brand=row.brand,
            os_version=row.os_version,
            api_level=row.api_level,
            locale=row.locale,
            orientation=row.orientation,
            virtual=row.virtual,
            installed=row.installed,
            launched=row.launched,
            crashed=row.crashed,
            crashes=tuple(DeviceCrash.from_json(c) for c in row.crashes or ()),
            screenshots=tuple(shots[row.id]),
            flags=tuple(row.flags or ()),
            messages=tuple(row.messages or ()),
        )
        for row in rows
    )
    return DeviceRun(
        run_id=run.id, artifact_sha256=sha, source=run.source, label=run.label, created_at=run.created_at,
        created_by=run.created_by, results=results, warnings=tuple(run.warnings or ()), state=run.state,
        devices_total=run.devices_total, devices_done=run.devices_done, error=run.error,
    )  # fmt: skip
