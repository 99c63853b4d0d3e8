"""A device-cloud results folder read into an ImportedRun, in memory: nothing is written anywhere.

Two layouts. A `manifest.json` at the root is the manifest format (devices/manifest.py). Otherwise the folder is
Firebase Test Lab's: one folder per device named MODEL-API-LOCALE-ORIENTATION, in the folder or one level down
(Test Lab puts them under a matrix or timestamp folder), each with `test_result_*.xml`, `logcat` and
screenshots anywhere under `artifacts/`.

The folder is hostile input. Links are never followed (a link is skipped with a warning), nothing outside the
folder is read, the entries walked are counted, every file is read within its cap and all of them within a
total that is checked before the first byte is read. A bad file (a damaged screenshot, a malformed report, a
logcat that cannot be read) is a warning line for that file and the rest is read; the whole folder is refused,
with one ResultsError line, only when it is not a folder, holds no device, its manifest is malformed or a cap
for the whole folder is passed.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from reviewer_app.devices.checks import mark_peer_differences, with_screen_flags
from reviewer_app.devices.images import DEFAULT_LIMITS, CheckedImage, ImageLimits, read_screenshot
from reviewer_app.devices.manifest import ManifestDevice, parse_manifest
from reviewer_app.devices.results import (
    MAX_LOGCAT_BYTES,
    MAX_STACK_LINES,
    MAX_XML_BYTES,
    ResultsError,
    combine_junit,
    derive_outcome,
    logcat_evidence,
    parse_device_folder,
    parse_junit,
)
from reviewer_app.devices.run import MANIFEST_NAME, ImportedRun
from reviewer_app.domain import DeviceCrash, DeviceResult, DeviceScreenshot

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_THREADS = 4  # screenshots checked at once
MAX_DEPTH = 24  # folders inside a device folder; deeper ones are left out with a warning
SCREENSHOT_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
# Android's version by API level, as Test Lab names devices by API level only.
ANDROID_VERSIONS = {21: "5.0", 22: "5.1", 23: "6.0", 24: "7.0", 25: "7.1", 26: "8.0", 27: "8.1", 28: "9", 29: "10",
                    30: "11", 31: "12", 32: "12L", 33: "13", 34: "14", 35: "15", 36: "16"}  # fmt: skip


@dataclass(frozen=True)
class _File:
    rel: str  # relative to the results folder, with "/"
    path: Path
    size: int


@dataclass(frozen=True)
class _Shot:
    file: _File
    name: str  # as the reviewer sees it
    step: str


@dataclass
class _Plan:
    """One device's results, found but not yet read."""

    device: str
    brand: str | None = None
    os_version: str | None = None
    api_level: int | None = None
    locale: str | None = None
    orientation: str | None = None
    virtual: bool | None = None
    installed: bool | None = None  # as the results state it; the logcat fills in what they do not
    launched: bool | None = None
    outcome: str | None = None
    crash: str | None = None
    reports: list[_File] = field(default_factory=list)
    logcats: list[_File] = field(default_factory=list)
    shots: list[_Shot] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # given by the results
    left_out: list[str] = field(default_factory=list)  # this device's files not read, one line each


def read_results(folder: Path, package: str | None = None, limits: ImageLimits = DEFAULT_LIMITS) -> ImportedRun:
    """Every device's result in `folder`, its screenshots checked and compared with the other devices'.

    `package` picks the app's crashes and launch out of Test Lab's logcats (a manifest's own package wins).
    Raises ResultsError (one line) when the folder as a whole cannot be read."""
    root = Path(folder)
    label = root.resolve().name or str(root)
    if not root.is_dir():
        raise ResultsError(f"{folder}: not a folder")
    reader = _Reader(root, label, limits)
    manifest = root / MANIFEST_NAME
    if os.path.lexists(manifest):
        source = "manifest"
        manifest_package, plans = _manifest_plans(reader, manifest)
        package = manifest_package or package
    else:
        source, manifest_package = "test_lab", None
        plans = _test_lab_plans(reader)
    reader.check_total(
        [(f, MAX_XML_BYTES) for p in plans for f in p.reports]
        + [(f, MAX_LOGCAT_BYTES) for p in plans for f in p.logcats]
        + [(s.file, limits.max_file_bytes) for p in plans for s in p.shots]
    )
    reader.check_screenshots(plans)
    results = tuple(_read_device(reader, plan, package) for plan in plans)
    return ImportedRun(
        source=source,
        label=label,
        results=mark_peer_differences(results),
        files=dict(reader.files),
        warnings=tuple(reader.warnings),
        package=manifest_package,
    )


def natural_key(text: str) -> list[str | int]:
    """Sorts "2.png" before "10.png"."""
    return [int(part) if index % 2 else part.lower() for index, part in enumerate(re.split(r"(\d+)", text))]


def step_of(path: str) -> str:
    """The step a screenshot's path or name tells: "monkey" (a Monkey or Robo run), "launch", or ""."""
    lowered = path.lower()
    if "monkey" in lowered or "robo" in lowered:
        return "monkey"
    if "launch" in lowered or "start" in lowered:
        return "launch"
    return ""


class _Reader:
    """The folder being read: walks it without following links, reads within the caps, keeps the warnings
    and the screenshots' bytes by hash."""

    def __init__(self, root: Path, label: str, limits: ImageLimits) -> None:
        self.root = root
        self.label = label
        self.limits = limits
        self.walked = 0
        self.read_bytes = 0
        self.warnings: list[str] = []
        self.files: dict[str, bytes | Path] = {}
        self.images: dict[str, CheckedImage | str] = {}  # rel -> the checked image, or why it was left out

    def count(self) -> None:
        """One more entry looked at; the folder is refused past max_files_walked."""
        self.walked += 1
        if self.walked > self.limits.max_files_walked:
            raise ResultsError(f"{self.label}: more than {self.limits.max_files_walked} files and folders, not read")

    def warn(self, line: str, device: _Plan | None = None) -> None:
        self.warnings.append(line)
        if device is not None:
            device.left_out.append(line)

    def entries(self, directory: Path, rel: str, device: _Plan | None = None) -> list[tuple[str, _File, bool]]:
        """(name, file, is a folder) of a folder's entries in natural order; links and what is neither a file
        nor a folder are skipped with a warning."""
        found: list[tuple[str, _File, bool]] = []
        try:
            with os.scandir(directory) as scan:
                for entry in scan:
                    self.count()
                    child = f"{rel}/{entry.name}" if rel else entry.name
                    if entry.is_symlink():
                        self.warn(f"{child}: a symbolic link, not followed", device)
                    elif entry.is_dir(follow_symlinks=False):
                        found.append((entry.name, _File(child, Path(entry.path), 0), True))
                    elif entry.is_file(follow_symlinks=False):
                        size = entry.stat(follow_symlinks=False).st_size
                        found.append((entry.name, _File(child, Path(entry.path), size), False))
                    else:
                        self.warn(f"{child}: not a regular file, left out", device)
        except OSError as exc:
            self.warn(f"{rel or self.label}: cannot be listed ({exc.strerror or exc})", device)
        return sorted(found, key=lambda item: natural_key(item[0]))

    def walk(self, directory: Path, rel: str, device: _Plan, depth: int = 0) -> list[_File]:
        """Every regular file under a folder, in natural order of their paths."""
        files: list[_File] = []
        for _name, entry, is_dir in self.entries(directory, rel, device):
            if not is_dir:
                files.append(entry)
            elif depth >= MAX_DEPTH:
                self.warn(f"{entry.rel}: more than {MAX_DEPTH} folders deep, left out", device)
            else:
                files += self.walk(entry.path, entry.rel, device, depth + 1)
        return files

    def check_total(self, files: list[tuple[_File, int]]) -> None:
        """Refuses the folder before anything is read when the files to read (each within its cap: a file
        over it is left out, not read) pass the total."""
        total = sum(f.size for f, cap in files if f.size <= cap)
        if total > self.limits.max_total_bytes:
            raise ResultsError(
                f"{self.label}: {total} bytes of results, more than the {self.limits.max_total_bytes} allowed"
            )

    def read(self, file: _File, cap: int) -> bytes:
        """A file's bytes; ResultsError naming the file when it is over `cap`, a link or unreadable."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            handle = os.open(file.path, flags)
        except OSError as exc:
            raise ResultsError(f"{file.rel}: cannot be read ({exc.strerror or exc})") from None
        with os.fdopen(handle, "rb") as stream:
            try:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise ResultsError(f"{file.rel}: not a regular file")
                if info.st_size > cap:
                    raise ResultsError(f"{file.rel}: {info.st_size} bytes, more than the {cap} allowed")
                data = stream.read(cap + 1)
            except OSError as exc:
                raise ResultsError(f"{file.rel}: cannot be read ({exc.strerror or exc})") from None
        if len(data) > cap:
            raise ResultsError(f"{file.rel}: more than the {cap} bytes allowed")
        self.read_bytes += len(data)
        if self.read_bytes > self.limits.max_total_bytes:
            raise ResultsError(f"{self.label}: more than the {self.limits.max_total_bytes} bytes allowed in all")
        return data

    def check_screenshots(self, plans: list[_Plan]) -> None:
        """Reads every screenshot to read (one after another, so that the total is counted) and checks them
        on a few threads: decoding and the checks take most of an import's time."""
        pending: dict[str, bytes] = {}
        for plan in plans:
            for shot in plan.shots:
                rel = shot.file.rel
                if rel in self.images or rel in pending:
                    continue
                try:
                    pending[rel] = self.read(shot.file, self.limits.max_file_bytes)
                except ResultsError as exc:
                    self.images[rel] = str(exc)
        workers = max(1, min(MAX_THREADS, os.cpu_count() or 1))
        with ThreadPoolExecutor(workers, thread_name_prefix="screenshots") as pool:
            for rel, checked in zip(pending, pool.map(self._check, pending.items()), strict=True):
                self.images[rel] = checked

    def _check(self, item: tuple[str, bytes]) -> CheckedImage | str:
        rel, data = item
        try:
            return read_screenshot(data, rel, self.limits)
        except ResultsError as exc:
            return str(exc)
        except Exception as exc:  # a file that trips something unforeseen is that file's warning, not the run's end
            detail = str(exc).strip().splitlines()
            return f"{rel}: cannot be checked ({type(exc).__name__}: {detail[0] if detail else 'no detail'})"

    def screenshot(self, shot: _Shot, device: _Plan) -> DeviceScreenshot | None:
        """The screenshot's record (check_screenshots has checked it), or None and a warning."""
        checked = self.images.get(shot.file.rel, f"{shot.file.rel}: not read")
        if isinstance(checked, str):
            self.warn(checked, device)
            return None
        self.files[checked.sha256] = checked.data
        return DeviceScreenshot(
            name=shot.name,
            sha256=checked.sha256,
            width=checked.width,
            height=checked.height,
            step=shot.step,
            phash=checked.phash,
            flags=checked.flags,
        )


# -- Firebase Test Lab ----------------------------------------------------------------------------------


def _test_lab_plans(reader: _Reader) -> list[_Plan]:
    top = reader.entries(reader.root, "")
    devices = [entry for name, entry, is_dir in top if is_dir and parse_device_folder(name)]
    if not devices:  # one level down: a matrix or timestamp folder
        for _name, entry, is_dir in top:
            if is_dir:
                inner = reader.entries(entry.path, entry.rel)
                devices += [child for name, child, child_dir in inner if child_dir and parse_device_folder(name)]
    if not devices:
        raise ResultsError(
            f"{reader.label}: no device results in it (no folder named like walleye-28-en-portrait, "
            f"in it or one level down, and no {MANIFEST_NAME})"
        )
    if len(devices) > reader.limits.max_devices:
        raise ResultsError(f"{reader.label}: {len(devices)} devices, more than the {reader.limits.max_devices} allowed")
    return [_test_lab_plan(reader, entry) for entry in devices]


def _test_lab_plan(reader: _Reader, folder: _File) -> _Plan:
    info = parse_device_folder(folder.path.name)
    assert info is not None
    plan = _Plan(
        device=info.model,
        os_version=ANDROID_VERSIONS.get(info.api_level),
        api_level=info.api_level,
        locale=info.locale,
        orientation=info.orientation,
    )
    prefix = folder.rel + "/"
    shots: list[_File] = []
    for file in reader.walk(folder.path, folder.rel, plan):
        inner = file.rel[len(prefix) :]
        if "/" not in inner and fnmatch.fnmatch(inner, "test_result_*.xml"):
            plan.reports.append(file)
        elif "/" not in inner and inner.startswith("logcat"):
            plan.logcats.append(file)
        elif inner.startswith("artifacts/") and inner.lower().endswith(SCREENSHOT_SUFFIXES):
            shots.append(file)
    artifacts = prefix + "artifacts/"
    plan.shots = _capped_shots(
        reader, plan, folder.rel, [_Shot(f, f.rel[len(artifacts) :], step_of(f.rel[len(prefix) :])) for f in shots]
    )
    return plan


def _capped_shots(reader: _Reader, plan: _Plan, where: str, shots: list[_Shot]) -> list[_Shot]:
    shots = sorted(shots, key=lambda s: natural_key(s.file.rel))
    cap = reader.limits.max_screenshots_per_device
    if len(shots) > cap:
        reader.warn(f"{where}: {len(shots)} screenshots, only the first {cap} read", plan)
    return shots[:cap]


# -- the manifest ---------------------------------------------------------------------------------------


def _manifest_plans(reader: _Reader, path: Path) -> tuple[str | None, list[_Plan]]:
    if path.is_symlink() or not path.is_file():
        raise ResultsError(f"{MANIFEST_NAME}: not a regular file (a link or a folder)")
    reader.count()
    manifest = parse_manifest(reader.read(_File(MANIFEST_NAME, path, 0), MAX_MANIFEST_BYTES), reader.limits.max_devices)
    return manifest.package, [
        _manifest_plan(reader, device, f"devices[{i}]") for i, device in enumerate(manifest.devices)
    ]


def _manifest_plan(reader: _Reader, device: ManifestDevice, place: str) -> _Plan:
    plan = _Plan(
        device=device.model,
        brand=device.brand,
        os_version=device.os_version or (ANDROID_VERSIONS.get(device.api_level) if device.api_level else None),
        api_level=device.api_level,
        locale=device.locale,
        orientation=device.orientation,
        virtual=device.virtual,
        installed=device.installed,
        launched=device.launched,
        outcome=device.outcome,
        crash=device.crash,
        messages=list(device.messages),
    )
    if device.logcat is not None:
        logcat = _inside(reader, device.logcat, plan)
        if logcat is not None:
            plan.logcats.append(logcat)
    found = [(shot, _inside(reader, shot.file, plan)) for shot in device.screenshots]
    present = [(shot, file) for shot, file in found if file is not None]
    common = posixpath.commonpath([posixpath.dirname(f.rel) for _, f in present]) if present else ""
    # Named without the folder they share ("pixel7/01-launch.png" is "01-launch.png"), as devices are compared
    # by name.
    shots = []
    for shot, file in present:
        name = posixpath.relpath(file.rel, common) if common else file.rel
        shots.append(_Shot(file, name, shot.step if shot.step is not None else step_of(file.rel)))
    plan.shots = _capped_shots(reader, plan, f"{MANIFEST_NAME}: {place}.screenshots", shots)
    return plan


def _inside(reader: _Reader, given: str, plan: _Plan) -> _File | None:
    """A path the manifest names, when it is a regular file inside the folder reached without links; else
    a warning for it and None."""
    parts = given.replace("\\", "/").split("/")
    if given.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", given):
        reader.warn(f"{given}: an absolute path, not read", plan)
        return None
    if ".." in parts:
        reader.warn(f"{given}: leads out of the results folder, not read", plan)
        return None
    parts = [p for p in parts if p not in ("", ".")]
    path = reader.root
    for index, part in enumerate(parts):
        path = path / part
        reader.count()
        try:
            info = path.lstat()
        except OSError:
            reader.warn(f"{given}: missing", plan)
            return None
        if stat.S_ISLNK(info.st_mode):
            reader.warn(f"{given}: a symbolic link, not followed", plan)
            return None
        last = index == len(parts) - 1
        if not last and not stat.S_ISDIR(info.st_mode):
            reader.warn(f"{given}: missing", plan)
            return None
        if last and not stat.S_ISREG(info.st_mode):
            reader.warn(f"{given}: not a regular file, not read", plan)
            return None
    if not parts:
        reader.warn(f"{given}: not a file, not read", plan)
        return None
    return _File("/".join(parts), path, path.lstat().st_size)


# -- one device -----------------------------------------------------------------------------------------


def _read_device(reader: _Reader, plan: _Plan, package: str | None) -> DeviceResult:
    reports = []
    for file in plan.reports:
        try:
            reports.append(parse_junit(reader.read(file, MAX_XML_BYTES), file.rel))
        except ResultsError as exc:
            reader.warn(str(exc), plan)
    junit = combine_junit(reports)
    texts = []
    for file in plan.logcats:
        try:
            texts.append(reader.read(file, MAX_LOGCAT_BYTES).decode("utf-8", errors="replace"))
        except ResultsError as exc:
            reader.warn(str(exc), plan)
    evidence = logcat_evidence("\n".join(texts), package) if texts else None
    crashes = _crashes(plan.crash, package, evidence.crashes if evidence else ())
    crashed = True if crashes else (False if evidence is not None else None)
    installed = plan.installed if plan.installed is not None else (evidence.installed if evidence else None)
    launched = plan.launched if plan.launched is not None else (evidence.launched if evidence else None)
    if installed is None and launched:
        installed = True  # what launched was installed
    if installed is False and launched is None:
        launched = False
    messages = list(plan.messages)
    if evidence is not None and evidence.install_error and installed is False:
        messages.append(f"install failed: {evidence.install_error}")
    messages += list(junit.messages) if junit else []
    shots = tuple(s for s in (reader.screenshot(shot, plan) for shot in plan.shots) if s is not None)
    own = []
    if installed is False:
        own.append("install_failed")
    elif launched is False:
        own.append("launch_failed")
    own += [kind for kind in ("crash", "anr") if any(c.kind == kind for c in crashes)]
    result = DeviceResult(
        device=plan.device,
        outcome=plan.outcome or derive_outcome(junit.outcome if junit else None, installed, launched, crashed),
        brand=plan.brand,
        os_version=plan.os_version,
        api_level=plan.api_level,
        locale=plan.locale,
        orientation=plan.orientation,
        virtual=plan.virtual,
        installed=installed,
        launched=launched,
        crashed=crashed,
        crashes=crashes,
        screenshots=shots,
        flags=tuple(own),
        messages=tuple(messages + plan.left_out),
    )
    return with_screen_flags(result)


def _crashes(text: str | None, package: str | None, found: tuple[DeviceCrash, ...]) -> tuple[DeviceCrash, ...]:
    """The crash the results state, then those of the logcat that are not the same one."""
    if text is None or not text.strip():
        return found
    lines = [line.rstrip() for line in text.strip().splitlines()][:MAX_STACK_LINES]
    stated = DeviceCrash("crash", package or "", tuple(lines))
    return (stated, *(c for c in found if c.kind != "crash" or lines[0].strip() not in (s.strip() for s in c.stack)))
