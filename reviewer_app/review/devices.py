"""Device results as evidence: importing a results folder or capturing from adb for a submission's package,
comparing its screenshots with the last approved version's, and the red flags a run raises.

Imports run as worker jobs of kind "devices" (the folder in the job's payload: a folder the workers can read)
and captures as jobs of kind "device_capture", taken only by workers beside an adb server with phones; the GUI
only asks for them. The command line imports at once (`reviewer-app devices import`).
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from reviewer_app.devices.adb import AdbError, CaptureSettings, capture, list_devices
from reviewer_app.devices.checks import mark_version_changes
from reviewer_app.devices.folder import read_results
from reviewer_app.devices.images import ImageLimits, read_screenshot
from reviewer_app.devices.results import ResultsError, read_capped
from reviewer_app.devices.run import MANIFEST_NAME, ImportedRun
from reviewer_app.domain import (
    OPEN_STATUSES,
    DeviceImportError,
    DeviceResult,
    DeviceRun,
    DeviceScreenshot,
    JobRecord,
    RedFlag,
)
from reviewer_app.review.flags import SERIOUS

log = logging.getLogger(__name__)

IMPORT_JOB, CAPTURE_JOB = "devices", "device_capture"
MAX_DEVICES_NAMED = 3  # in a flag's text; "Pixel 7, walleye, SM-G960F and 4 more"

# Device flags that are red flags for the queue's risk column, with the flag code they raise.
RED_FLAG_CODES = {
    "install_failed": "device_install_failed",
    "crash": "device_crash",
    "anr": "device_anr",
    "blank_screen": "device_blank_screen",
    "crash_dialog": "device_crash_dialog",
}


def device_flags(run: DeviceRun | None) -> list[RedFlag]:
    """The red flags of a finished run: one per kind of trouble, naming the devices it happened on."""
    return results_flags(run.results) if run is not None and run.state in ("done", "cancelled") else []


def results_flags(results: Sequence[DeviceResult]) -> list[RedFlag]:
    flags: list[RedFlag] = []
    for device_flag, code in RED_FLAG_CODES.items():
        devices = [result.device for result in results if device_flag in result.flags]
        if devices:
            flags.append(RedFlag(code, SERIOUS, "devices", {"devices": _names(devices)}))
    return flags


def _names(devices: Sequence[str]) -> str:
    unique = list(dict.fromkeys(devices))
    shown = ", ".join(unique[:MAX_DEVICES_NAMED])
    more = len(unique) - MAX_DEVICES_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def read_listing_images(
    paths: Sequence[str | Path], limits: ImageLimits | None = None
) -> tuple[list[DeviceScreenshot], dict[str, bytes]]:
    """The developer's store-listing images, checked as screenshots are (caps, pixels); DeviceImportError
    names the first file that is not a usable image."""
    limits = limits or ImageLimits()
    records: list[DeviceScreenshot] = []
    files: dict[str, bytes] = {}
    for path in paths:
        name = Path(path).name
        try:
            image = read_screenshot(read_capped(Path(path), limits.max_file_bytes), name, limits)
        except ResultsError as exc:
            raise DeviceImportError(f"listing image {exc}") from None
        records.append(DeviceScreenshot(name, image.sha256, image.width, image.height, "listing", image.phash))
        files[image.sha256] = image.data
    return records, files


# -- filing a run --------------------------------------------------------------------------------


def import_folder(
    store: Any, artifact_sha256: str, folder: str | Path, package: str | None, *, by: str | None, now: datetime,
    limits: ImageLimits | None = None,
) -> DeviceRun:  # fmt: skip
    """Read a results folder and file it for the artifact whole. Raises ResultsError or DeviceImportError
    (one line) for a folder that cannot be filed; nothing is written then."""
    imported = read_results(Path(folder), package, limits or ImageLimits())
    if package and imported.package and imported.package != package:
        raise DeviceImportError(f"{Path(folder).name}: the results are for {imported.package}, not {package}")
    return file_run(store, artifact_sha256, imported, by=by, now=now)


def file_run(
    store: Any, artifact_sha256: str, imported: ImportedRun, *, by: str | None, now: datetime,
    run_id: int | None = None, state: str = "done", error: str | None = None,
) -> DeviceRun:  # fmt: skip
    """Compare the run with the last approved version's screenshots, then file it with the red flags it
    raises on the artifact's open submissions (a running capture's `run_id` is finished instead)."""
    previous = store.approved_device_run(artifact_sha256)
    results = imported.results
    if previous is not None:
        results = mark_version_changes(results, previous.results)
    flags = results_flags(results)
    open_ids = [sid for sid, status in store.artifact_submissions(artifact_sha256) if status in OPEN_STATUSES]
    by_submission = dict.fromkeys(open_ids, flags)
    if run_id is None:
        return store.add_device_run(
            artifact_sha256, source=imported.source, label=imported.label, results=results, files=imported.files,
            warnings=imported.warnings, by=by, now=now, flags=by_submission, state=state, error=error,
        )  # fmt: skip
    return store.finish_device_run(
        run_id, state=state, results=results, files=imported.files, warnings=imported.warnings, error=error,
        now=now, flags=by_submission,
    )  # fmt: skip


# -- asking the workers (the Devices panel's buttons, run on the database worker) ------------------


def enqueue_import(service: Any, submission_id: int, folder: str) -> int | None:
    """Ask a worker to import this results folder for the submission's package (the GUI's "Import…"); the
    job's id, or None when an import already waits for this package."""
    sha = package_of(service, submission_id)[0]
    return service.store.enqueue_job(
        IMPORT_JOB, "requested", artifact_sha256=sha, submission_id=submission_id,
        payload={"folder": str(Path(folder).expanduser().resolve())}, created_by=service.reviewer,
        now=service.clock(),
    )  # fmt: skip


def enqueue_capture(service: Any, submission_id: int) -> int | None:
    """Ask a worker beside the phones to capture the submission's package on every device it has."""
    sha = package_of(service, submission_id)[0]
    return service.store.enqueue_job(
        CAPTURE_JOB, "requested", artifact_sha256=sha, submission_id=submission_id, payload={},
        created_by=service.reviewer, now=service.clock(),
    )  # fmt: skip


def cancel_capture(service: Any, submission_id: int) -> int:
    """Stop the captures running for the submission's package; the devices finished so far are kept."""
    return int(service.store.request_device_cancel(package_of(service, submission_id)[0], submission_id))


def package_of(service: Any, submission_id: int) -> tuple[str, str | None]:
    """The submission's package file (its SHA-256) and name; one line when it has none (a listing change)."""
    detail = service.store.detail(submission_id)
    if detail.artifact_sha256 is None:
        raise DeviceImportError(f"submission {submission_id} has no package to run on devices")
    return str(detail.artifact_sha256), (detail.facts or {}).get("package")


# -- the worker's side ---------------------------------------------------------------------------


class DeviceJob:
    """Imports of results folders ("devices") and adb captures ("device_capture") as a worker's jobs."""

    def __init__(
        self, store: Any, settings: Any = None, limits: ImageLimits | None = None,
        capture_settings: CaptureSettings | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.settings = settings  # config.DeviceSettings: the adb server, the Monkey run
        self.limits = limits or ImageLimits()
        self.capture_settings = capture_settings or CaptureSettings(**_capture_options(settings))

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
        package = (self.store.detail(job.submission_id).facts or {}).get("package")
        if job.kind == CAPTURE_JOB:
            error = self._capture(job, sha, package, clock, cancel)
        else:
            error = self._import(job, sha, package, clock)
        return bool(self.store.finish_job(job.job_id, worker, clock(), error))

    def _import(self, job: JobRecord, sha: str, package: str | None, clock: Callable[[], datetime]) -> str | None:
        folder = str(job.payload.get("folder") or "")
        try:
            import_folder(self.store, sha, folder, package, by=None, now=clock(), limits=self.limits)
        except (ResultsError, DeviceImportError) as exc:
            # Kept as a failed run, so that the reviewer who asked sees why in the Devices panel.
            source = "manifest" if (Path(folder) / MANIFEST_NAME).is_file() else "test_lab"
            self.store.add_device_run(sha, source=source, label=Path(folder).name or folder, results=(), files={},
                                      by=None, now=clock(), state="failed", error=str(exc))  # fmt: skip
            return str(exc)
        return None

    def _capture(
        self, job: JobRecord, sha: str, package: str | None, clock: Callable[[], datetime],
        cancel: threading.Event | None,
    ) -> str | None:  # fmt: skip
        settings = self.settings
        server = settings.server() if settings is not None else None
        options = self.capture_settings
        stop = threading.Event()
        error: str | None = None
        try:
            devices = [d for d in list_devices(server) if d.state == "device"]
        except AdbError as exc:
            devices, error = [], str(exc)
        else:
            error = "no device or emulator is connected" if not devices else None
        label = ", ".join(d.model or d.serial for d in devices)[:500] or "adb"
        run_id = self.store.start_device_run(sha, source="adb", label=label, devices_total=len(devices), now=clock())
        apk = self.store.blobs.path(sha)
        if error is None and (not package or not apk.is_file()):
            error = "the package file is not in the blob store" if package else "the package has no name"
        if error is not None:
            self.store.finish_device_run(run_id, state="failed", error=error, now=clock())
            return error

        why: list[str] = []  # who stopped it, for the run's line

        def progress(serial: str, step: str, done: int, total: int) -> None:
            if self.store.device_run_progress(run_id, done, total):
                why.append("stopped by a reviewer")
                stop.set()
            elif cancel is not None and cancel.is_set():
                why.append("the worker was stopped")
                stop.set()

        with tempfile.TemporaryDirectory(prefix="reviewer-capture-") as tmp:
            try:
                folder = capture(apk, str(package), Path(tmp), options, server=server,
                                 serials=[d.serial for d in devices], progress=progress, cancel=stop)  # fmt: skip
                imported = read_results(folder, package, self.limits)
            except (AdbError, ResultsError) as exc:
                self.store.finish_device_run(run_id, state="failed", error=str(exc), now=clock())
                return str(exc)
            except BaseException as exc:  # a run left "running" would wait in the panel for ever
                reason = (str(exc).splitlines() or [type(exc).__name__])[0]
                self.store.finish_device_run(run_id, state="failed", error=reason, now=clock())
                raise
            state = "cancelled" if stop.is_set() else "done"
            file_run(self.store, sha, imported, by=None, now=clock(), run_id=run_id, state=state,
                     error=why[0] if why else None)  # fmt: skip
        return None

    def close(self) -> None:
        return None


def _capture_options(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    return {"events": settings.events, "seed": settings.seed, "throttle_ms": settings.throttle_ms}
