"""What a capture runs on a phone, as argv lists (the capture quotes them for the phone's shell), and the
settings of a capture. The package name comes from an untrusted APK: every builder checks it as a Java
package name, so nothing else ever reaches a phone's shell in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer_app.devices.adb_client import AdbError

LAUNCHER = "android.intent.category.LAUNCHER"
REMOTE_DIR = "/data/local/tmp"
# A Java package name as Android accepts one: two or more dot-separated identifiers.
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$")
_REMOTE_PATH = re.compile(r"^/data/local/tmp/[A-Za-z0-9._-]+\.apk$")


@dataclass(frozen=True)
class CaptureSettings:
    events: int = 500  # Monkey events
    seed: int = 1  # the Monkey's seed: the same seed replays the same events
    throttle_ms: int = 100  # pause between Monkey events
    launch_wait_s: float = 5.0  # from launching the app to its first screenshot
    shots_after_launch: int = 2
    shots_after_monkey: int = 3
    shot_interval_s: float = 1.0  # between two screenshots of one step
    install_timeout_s: float = 120.0  # push and pm install
    monkey_timeout_s: float = 300.0
    shell_timeout_s: float = 30.0  # any other call
    max_parallel: int = 8  # devices captured at once
    max_logcat_bytes: int = 16 * 1024 * 1024  # below the import's cap (results.MAX_LOGCAT_BYTES)
    max_screenshot_bytes: int = 32 * 1024 * 1024

    def __post_init__(self) -> None:
        limits = {"events": (1, 1_000_000), "seed": (0, 2**63 - 1), "throttle_ms": (0, 60_000),
                  "shots_after_launch": (0, 20), "shots_after_monkey": (0, 20), "max_parallel": (1, 64),
                  "max_logcat_bytes": (1, 64 * 1024 * 1024), "max_screenshot_bytes": (1, 256 * 1024 * 1024)}  # fmt: skip
        for name, (low, high) in limits.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"capture setting {name}={value!r}: a whole number from {low} to {high}")
        for name in ("launch_wait_s", "shot_interval_s", "install_timeout_s", "monkey_timeout_s", "shell_timeout_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3600:
                raise ValueError(f"capture setting {name}={value!r}: seconds from 0 to 3600")


def check_package(package: str) -> str:
    """The package name, if it is a Java package name (it comes from an untrusted APK); else AdbError."""
    if not isinstance(package, str) or len(package) > 255 or _PACKAGE.match(package) is None:
        shown = repr(package)[:80] if isinstance(package, str) else type(package).__name__
        raise AdbError(f"{shown} is not a Java package name; nothing is run on the devices")
    return package


def monkey_command(package: str, settings: CaptureSettings) -> list[str]:
    """The seeded Monkey run: no system keys (an emulator has no hardware keys, and home or power would end
    the run), `-v` for the per-event log that says how many events went in."""
    return ["monkey", "-p", check_package(package), "-s", str(settings.seed), "--throttle", str(settings.throttle_ms),
            "--pct-syskeys", "0", "-v", str(settings.events)]  # fmt: skip


def install_command(remote_path: str) -> list[str]:
    if _REMOTE_PATH.match(remote_path) is None:
        raise AdbError(f"{remote_path!r} is not a file this capture pushes")
    return ["pm", "install", "-r", "-t", remote_path]


def resolve_activity_command(package: str) -> list[str]:
    return ["cmd", "package", "resolve-activity", "--brief", "-c", LAUNCHER, check_package(package)]


def start_activity_command(component: str) -> list[str]:
    package, _, activity = component.partition("/")
    if not re.fullmatch(r"[A-Za-z0-9_.$]+", activity or "-"):
        raise AdbError(f"{component[:120]!r} is not an activity name")
    return ["am", "start", "-n", f"{check_package(package)}/{activity}"]


def launcher_monkey_command(package: str) -> list[str]:
    """Launch by one Monkey event on the launcher category: for phones without `cmd package resolve-activity`."""
    return ["monkey", "-p", check_package(package), "-c", LAUNCHER, "1"]


def screencap_command() -> list[str]:
    return ["screencap", "-p"]


def logcat_clear_command() -> list[str]:
    return ["logcat", "-c"]


def logcat_dump_command() -> list[str]:
    return ["logcat", "-d", "-v", "threadtime"]


def pidof_command(package: str) -> list[str]:
    return ["pidof", check_package(package)]


def uninstall_command(package: str) -> list[str]:
    return ["pm", "uninstall", check_package(package)]


def remove_command(remote_path: str) -> list[str]:
    if _REMOTE_PATH.match(remote_path) is None:
        raise AdbError(f"{remote_path!r} is not a file this capture pushes")
    return ["rm", "-f", remote_path]
