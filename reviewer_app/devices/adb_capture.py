"""One device's part of a capture, step by step, on a thread of its own: properties, install, launch,
screenshots, the Monkey, more screenshots, logcat, uninstall.

A device that goes away keeps what it captured so far and says during which step it went; a cancel stops a
device before its next step (or stops the step it is in) and still uninstalls what it installed. Whatever
else goes wrong stays within this device's entry: the other devices go on.
"""

from __future__ import annotations

import re
import secrets
import shlex
import struct
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reviewer_app.devices.adb_client import AdbClient, AdbError, AdbResult
from reviewer_app.devices.adb_commands import (
    REMOTE_DIR,
    CaptureSettings,
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
from reviewer_app.devices.results import find_crashes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SCREEN_SIDE = 16384
MAX_CRASH_CHARS = 8000
MONKEY_OUTPUT_CAP = 4 * 1024 * 1024
_PROPERTY = re.compile(r"^\[(?P<key>[^\]]{1,200})\]: \[(?P<value>.*)\]$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Disconnected(Exception):
    def __init__(self, step: str) -> None:
        self.step = step


class _Cancelled(Exception):
    def __init__(self, step: str, during: bool) -> None:
        self.step, self.during = step, during


def safe_names(serials: Sequence[str]) -> dict[str, str]:
    """A folder name per serial (`127.0.0.1:6520` -> `127.0.0.1_6520`), distinct even where two serials
    differ only in characters a file name cannot hold."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for serial in serials:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", serial).strip("._")[:64] or "device"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.lower())
        names[serial] = name
    return names


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None when it is not a PNG of a screen's size."""
    if len(data) < 24 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SCREEN_SIDE and 0 < height <= MAX_SCREEN_SIDE):
        return None
    return width, height


def one_line(text: object, limit: int = 300) -> str:
    return " ".join(str(text).split())[:limit]


class DeviceCapture:
    def __init__(self, client: AdbClient, serial: str, folder: str, apk_path: Path, package: str, out_dir: Path,
                 settings: CaptureSettings, cancel: threading.Event, report: Callable[[str, str], None]) -> None:  # fmt: skip
        self.client, self.serial, self.folder = client, serial, folder
        self.apk_path, self.package, self.settings = apk_path, package, settings
        self.dir = out_dir / folder
        self.cancel, self.report = cancel, report
        self.remote = f"{REMOTE_DIR}/reviewer-app-{secrets.token_hex(6)}.apk"
        self.step = "start"
        self.final_step = "done"
        self.properties: dict[str, str] = {}
        self.installed: bool | None = None
        self.launched: bool | None = None
        self.crash: str | None = None
        self.monkey_crash: str | None = None
        self.logcat: str | None = None
        self.orientation: str | None = None
        self.screenshots: list[dict[str, str]] = []
        self.messages: list[str] = []
        self.interrupted = False  # disconnected, cancelled or stopped by an error: the results are partial
        self.connected = True
        self.pushed = False
        self.install_tried = False  # pm install ran and may have installed the package (until it says it did not)

    # -- the run ---------------------------------------------------------------------------------------

    def capture(self) -> dict[str, Any]:
        try:
            self._run()
        except _Disconnected as exc:
            self._interrupted(f"disconnected during {exc.step}", "disconnected")
            self.connected = False
        except _Cancelled as exc:
            self._interrupted(f"cancelled {'during' if exc.during else 'before'} {exc.step}", "cancelled")
        except AdbError as exc:
            self._interrupted(f"{self.step}: {one_line(exc)}", "failed")
        except Exception as exc:  # a bug or a broken progress callback: this device's entry says so
            self._interrupted(f"error during {self.step}: {type(exc).__name__}: {one_line(exc)}", "failed")
        if self.connected:
            self._clean_up()
        return self.entry()

    def not_available(self, state: str | None) -> dict[str, Any]:
        """The entry of a device asked for by serial that is not there to capture."""
        self.final_step = "skipped"
        self.messages.append(f"not captured: the device is {state or 'not connected'}")
        return self.entry(outcome="skipped")

    def _interrupted(self, message: str, final_step: str) -> None:
        self.interrupted = True
        self.messages.append(message)
        self.final_step = final_step

    def _run(self) -> None:
        self._enter("properties")
        self._read_properties()
        self._enter("clear logcat")
        self._shell(logcat_clear_command())
        self._enter("push")
        self._push()
        if self.installed is False:  # the push failed
            return
        self._enter("install")
        self._install()
        if not self.installed:
            return
        self._enter("launch")
        self._launch()
        self._enter("launch screenshots")
        self._screenshots("launch", self.settings.shots_after_launch)
        self._enter("monkey")
        self._monkey()
        self._enter("monkey screenshots")
        self._screenshots("monkey", self.settings.shots_after_monkey)
        self._enter("logcat")
        self._collect_logcat()

    def _enter(self, step: str) -> None:
        if self.cancel.is_set():
            raise _Cancelled(step, during=False)
        self.step = step
        self.report(self.serial, step)
        if self.cancel.is_set():  # set by whoever was told of this step
            raise _Cancelled(step, during=False)

    def _wait(self, seconds: float) -> None:
        if self.cancel.is_set() or (seconds > 0 and self.cancel.wait(seconds)):
            raise _Cancelled(self.step, during=True)

    # -- talking to the device -------------------------------------------------------------------------

    def _adb(self, args: list[str], *, timeout: float | None = None, cap: int = 1024 * 1024,
             expect: bytes | None = None, cancellable: bool = True) -> AdbResult:  # fmt: skip
        """`adb -s SERIAL ARGS`. Whatever looks wrong (an error, no output, no `expect` in it) is checked
        against the device list: a device no longer there is a disconnect, not a failed step."""
        result = self.client.run(["-s", self.serial, *args], timeout=timeout or self.settings.shell_timeout_s,
                                 cap=cap, cancel=self.cancel if cancellable else None)  # fmt: skip
        if result.cancelled:
            raise _Cancelled(self.step, during=True)
        said = result.stdout + result.stderr.encode()
        if (not result.ok or not said or (expect is not None and expect not in said)) and (
            self.client.state(self.serial) != "device"
        ):
            raise _Disconnected(self.step)
        return result

    def _shell(self, command: list[str], **options: Any) -> AdbResult:
        """A command on the phone's shell, each word quoted: adb joins its arguments unquoted."""
        return self._adb(["shell", shlex.join(command)], **options)

    def _timed_out(self, result: AdbResult, timeout: float) -> bool:
        if result.timed_out:
            self.messages.append(f"{self.step}: timed out after {timeout:g} s")
        return result.timed_out

    # -- the steps -------------------------------------------------------------------------------------

    def _read_properties(self) -> None:
        result = self._shell(["getprop"], expect=b"[")
        for line in result.stdout.decode("utf-8", "replace").splitlines():
            match = _PROPERTY.match(line.strip())
            if match is not None:
                self.properties[match["key"]] = _CONTROL.sub("", match["value"])[:200].strip()
        if not self.properties:
            self.messages.append(f"properties: getprop said nothing readable ({result.first_line() or 'no output'})")

    def _push(self) -> None:
        timeout = self.settings.install_timeout_s
        result = self._adb(["push", str(self.apk_path.resolve()), self.remote], timeout=timeout)
        self.pushed = True  # a push that failed half-way may still have left a file
        if self._timed_out(result, timeout) or not result.ok:
            if not result.timed_out:
                said = result.first_line()
                reason = re.search(r"failed to copy '.*' to '.*?': (.+)", said)  # the paths say nothing new
                self.messages.append(f"push: {reason[1] if reason else said or 'failed'}")
            self.installed = False

    def _install(self) -> None:
        timeout = self.settings.install_timeout_s
        self.install_tried = True
        result = self._shell(install_command(self.remote), timeout=timeout, expect=b"Success")
        text = (result.stdout + result.stderr.encode()).decode("utf-8", "replace")
        if re.search(r"^Success\s*$", text, re.MULTILINE):
            self.installed = True
            return
        self.installed = False
        if self._timed_out(result, timeout):
            return
        self.install_tried = False  # refused: nothing of ours to uninstall (an older version there stays)
        reason = re.search(r"(INSTALL_[A-Z_]+)(?::\s*([^\]\n]*))?", text)
        if reason is None:
            self.messages.append(f"install failed: {result.first_line() or 'no reason given'}")
        else:
            detail = f": {one_line(reason[2], 200)}" if reason[2] and reason[2].strip() else ""
            self.messages.append(f"install failed: {reason[1]}{detail}")

    def _launch(self) -> None:
        resolved = self._shell(resolve_activity_command(self.package))
        component = _resolved_activity(resolved.stdout, self.package)
        if component is not None:
            started = self._shell(start_activity_command(component))
            said = (started.stdout + started.stderr.encode()).decode("utf-8", "replace")
            error = next((line for line in said.splitlines() if line.startswith("Error")), "")
            if not started.ok or error:
                self.messages.append(f"launch: {error or started.first_line() or 'am start failed'}")
        else:
            started = self._shell(launcher_monkey_command(self.package))
            if b"Events injected: 1" not in started.stdout:
                self.messages.append(f"launch: no launcher activity ({started.first_line() or 'no output'})")
        self._wait(self.settings.launch_wait_s)
        alive = self._shell(pidof_command(self.package))
        if re.search(rb"\d", alive.stdout):
            self.launched = True
        elif alive.returncode == 127 or b"not found" in alive.stdout + alive.stderr.encode():
            self.messages.append("launch: this device has no pidof, so whether the app runs is not known")
        else:
            self.launched = False
            self.messages.append("launch: the app's process is not running after the launch")

    def _screenshots(self, step: str, count: int) -> None:
        cap = self.settings.max_screenshot_bytes
        for index in range(count):
            if index:
                self._wait(self.settings.shot_interval_s)
            number = len(self.screenshots) + 1
            result = self._adb(["exec-out", *screencap_command()], cap=cap, expect=PNG_SIGNATURE)
            size = png_size(result.stdout)
            if result.truncated:
                self.messages.append(f"screenshot {number}: more than {cap} bytes, left out")
                continue
            if self._timed_out(result, self.settings.shell_timeout_s):
                continue
            if size is None:
                said = result.first_line() if not result.stdout.startswith(PNG_SIGNATURE) else "a bad header"
                self.messages.append(f"screenshot {number}: not a PNG ({said or 'no output'})")
                continue
            name = f"{number:02d}-{step}.png"
            self.dir.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_bytes(result.stdout)
            self.screenshots.append({"file": f"{self.folder}/{name}", "step": step})
            if self.orientation is None:
                self.orientation = "landscape" if size[0] > size[1] else "portrait"

    def _monkey(self) -> None:
        settings = self.settings
        result = self._shell(monkey_command(self.package, settings), timeout=settings.monkey_timeout_s,
                             cap=MONKEY_OUTPUT_CAP, expect=b"Events injected")  # fmt: skip
        text = result.stdout.decode("utf-8", "replace")
        injected = re.search(r"Events injected: (\d+)", text)
        done = f"{injected[1]} of {settings.events} events" if injected else "no events injected"
        aborted = next((ln.strip() for ln in text.splitlines() if "aborted" in ln.lower()), "")
        summary = f"monkey: seed {settings.seed}, {done}" + (f" ({one_line(aborted, 120)})" if aborted else "")
        if not self._timed_out(result, settings.monkey_timeout_s):
            self.messages.append(summary)
        self.monkey_crash = _monkey_crash(text)

    def _collect_logcat(self) -> None:
        cap = self.settings.max_logcat_bytes
        result = self._shell(logcat_dump_command(), timeout=max(self.settings.shell_timeout_s, 60), cap=cap)
        if self._timed_out(result, max(self.settings.shell_timeout_s, 60)) and not result.stdout:
            return
        if result.truncated:
            self.messages.append(f"logcat: cut at {cap} bytes")
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "logcat.txt").write_bytes(result.stdout)
        self.logcat = f"{self.folder}/logcat.txt"
        crashes = find_crashes(result.stdout.decode("utf-8", "replace"), self.package)
        if crashes:
            first = crashes[0]
            header = f"ANR in {first.process}" if first.kind == "anr" else "FATAL EXCEPTION"
            self.crash = "\n".join([header, *first.stack])[:MAX_CRASH_CHARS]
        elif self.monkey_crash is not None:
            self.crash = self.monkey_crash

    def _clean_up(self) -> None:
        """Uninstall what was installed and remove the pushed file, cancelled or not."""
        try:
            if self.install_tried:
                self._enter_cleanup("uninstall")
                result = self._shell(uninstall_command(self.package), expect=b"Success", cancellable=False)
                if self.installed and b"Success" not in result.stdout:
                    self.messages.append(f"uninstall: {result.first_line() or 'failed'}")
            if self.pushed:
                self._enter_cleanup("remove the APK")
                self._shell(remove_command(self.remote), cancellable=False)
        except _Disconnected as exc:
            self.messages.append(f"disconnected during {exc.step}")
            self.connected = False
        except Exception as exc:  # the results are what they are; say what was left behind
            self.messages.append(f"error during {self.step}: {type(exc).__name__}: {one_line(exc)}")

    def _enter_cleanup(self, step: str) -> None:
        self.step = step
        self.report(self.serial, step)

    # -- the manifest's entry --------------------------------------------------------------------------

    def entry(self, outcome: str | None = None) -> dict[str, Any]:
        props = self.properties
        sdk = props.get("ro.build.version.sdk", "")
        language = props.get("persist.sys.language", "")
        country = props.get("persist.sys.country", "")
        locale = (props.get("persist.sys.locale") or props.get("ro.product.locale")
                  or (f"{language}-{country}" if language and country else language))  # fmt: skip
        qemu = props.get("ro.kernel.qemu") == "1" or props.get("ro.boot.qemu") == "1"
        if outcome is None:
            failed = self.installed is False or self.launched is False or self.crash is not None
            outcome = "failure" if failed else "inconclusive" if self.interrupted else "success"
        return {
            "model": props.get("ro.product.model") or self.serial,
            "brand": props.get("ro.product.brand") or None,
            "os_version": props.get("ro.build.version.release") or None,
            "api_level": int(sdk) if sdk.isdigit() and len(sdk) <= 3 else None,
            "locale": locale or None,
            "orientation": self.orientation,
            "virtual": qemu or self.serial.startswith("emulator-"),
            "installed": self.installed,
            "launched": self.launched,
            "outcome": outcome,
            "crash": self.crash,
            "logcat": self.logcat,
            "screenshots": list(self.screenshots),
            "messages": [one_line(message) for message in self.messages],
            "serial": self.serial,
        }


def _resolved_activity(output: bytes, package: str) -> str | None:
    """The launcher activity `cmd package resolve-activity --brief` names (its last line), if it is one of
    this package's."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return None
    match = re.fullmatch(re.escape(package) + r"/[A-Za-z0-9_.$]+", lines[-1])
    return match[0] if match else None


def _monkey_crash(text: str) -> str | None:
    """The Monkey's own report of a crash or an ANR (`// CRASH: pkg (pid 123)` and the `//` lines after)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(("// CRASH:", "// NOT RESPONDING:")):
            report = [line[3:]]
            for following in lines[index + 1 : index + 60]:
                if not following.startswith("// "):
                    break
                report.append(following[3:])
            return "\n".join(report)[:MAX_CRASH_CHARS]
    return None
