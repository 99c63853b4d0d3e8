"""Capture from phones and emulators on adb, the way a device cloud's compatibility run does it: install the
APK, launch its main activity, take screenshots, drive it with a seeded Monkey run, take more screenshots,
collect crash and ANR stacks from logcat, uninstall. Every connected device at once, one thread each.

What a capture writes is a results folder in the manifest format (devices/run.py), the same one a device
cloud's results come in, so both go through one import. The package name comes from an untrusted APK: it is
checked as a Java package name, and every command is an argv list quoted for the phone's shell. Nothing from
the APK runs on this machine; it is only pushed to the phone.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from reviewer_app.devices.adb_capture import DeviceCapture, safe_names
from reviewer_app.devices.adb_client import AdbClient, AdbDevice, AdbError, parse_devices_l
from reviewer_app.devices.adb_commands import (
    CaptureSettings,
    check_package,
    install_command,
    launcher_monkey_command,
    logcat_clear_command,
    logcat_dump_command,
    monkey_command,
    pidof_command,
    remove_command,
    resolve_activity_command,
    screencap_command,
    start_activity_command,
    uninstall_command,
)
from reviewer_app.devices.run import MANIFEST_FORMAT, MANIFEST_NAME

Progress = Callable[[str, str, int, int], None]  # (serial, step, devices done, devices in all)

__all__ = [
    "AdbDevice",
    "AdbError",
    "CaptureSettings",
    "capture",
    "check_package",
    "install_command",
    "launcher_monkey_command",
    "list_devices",
    "logcat_clear_command",
    "logcat_dump_command",
    "monkey_command",
    "parse_devices_l",
    "pidof_command",
    "remove_command",
    "resolve_activity_command",
    "screencap_command",
    "start_activity_command",
    "uninstall_command",
]

# -- the capture ---------------------------------------------------------------------------------------


def list_devices(server: tuple[str, int] | None = None) -> list[AdbDevice]:
    """The devices the adb server knows, in every state; AdbError (one line) without adb or a server."""
    client = AdbClient(server)
    client.ensure_server()
    return client.devices()


def capture(
    apk_path: Path,
    package: str,
    out_dir: Path,
    settings: CaptureSettings = CaptureSettings(),  # noqa: B008 - frozen, never changed
    *,
    server: tuple[str, int] | None = None,
    serials: Sequence[str] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Capture `apk_path` on every device in state "device" (or on `serials`), in parallel, into `out_dir`
    (manifest.json, then per device <serial>/NN-step.png and <serial>/logcat.txt); returns `out_dir`.

    A device that disconnects, fails or is cancelled gets an entry of its own saying so; only having no
    device at all, no adb or no server, or a bad package name, raises AdbError (one line)."""
    check_package(package)
    apk_path = Path(apk_path)
    if not apk_path.is_file():
        raise AdbError(f"{apk_path.name}: no such APK file")
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise AdbError(f"{out_dir}: not an empty folder; a capture writes into a folder of its own")
    client = AdbClient(server)
    client.ensure_server()
    listed = client.devices()
    if serials is None:
        targets = [device.serial for device in listed if device.state == "device"]
        if not targets:
            others = ", ".join(f"{d.serial}: {d.state}" for d in listed[:5])
            raise AdbError("no device or emulator is connected" + (f" ({others})" if others else ""))
    else:
        targets = list(dict.fromkeys(serials))
        if not targets:
            raise AdbError("no device or emulator was asked for")
    states = {device.serial: device.state for device in listed}
    cancel = cancel if cancel is not None else threading.Event()
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = safe_names(targets)
    counter = _Counter(len(targets), progress)
    runs = [
        DeviceCapture(client, serial, folders[serial], apk_path, package, out_dir, settings, cancel, counter.report)
        for serial in targets
    ]

    def one(run: DeviceCapture) -> dict[str, Any]:
        state = states.get(run.serial)
        entry = run.capture() if state == "device" else run.not_available(state)
        try:
            counter.finished(run.serial, run.final_step)
        except Exception as exc:  # the caller's callback: its failure must not lose the device's results
            entry["messages"].append(f"progress report failed: {type(exc).__name__}: {exc}"[:300])
        return entry

    with ThreadPoolExecutor(max_workers=min(settings.max_parallel, len(runs)), thread_name_prefix="adb") as pool:
        entries = list(pool.map(one, runs))
    manifest = {"format": MANIFEST_FORMAT, "package": package, "devices": entries}
    temporary = out_dir / (MANIFEST_NAME + ".part")
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, out_dir / MANIFEST_NAME)
    return out_dir


class _Counter:
    """Devices done, for progress reports from the device threads."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.done = 0
        self.lock = threading.Lock()

    def report(self, serial: str, step: str) -> None:
        if self.progress is not None:
            with self.lock:
                done = self.done
            self.progress(serial, step, done, self.total)

    def finished(self, serial: str, step: str) -> None:
        with self.lock:
            self.done += 1
        self.report(serial, step)
