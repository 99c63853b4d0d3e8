"""The adb program as the client of an adb server: which server (arguments, else adb's own environment
variables), what `adb devices -l` says, and one adb command run with a time limit, an output cap and a cancel.

Debian's `adb` is the client, run as a subprocess with ADB_SERVER_SOCKET=tcp:HOST:PORT, rather than the
adbutils package: adbutils, asked for a server that does not answer, starts its own bundled adb server on
the default port whatever port it was given (and leaves it running), and reads replies without a cap. The
adb program speaks exactly the protocol of the server it came with, and starts a server only where adb
itself would: on this machine, on the port asked for.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

DEFAULT_SERVER = ("127.0.0.1", 5037)
DEFAULT_OUTPUT_CAP = 1024 * 1024
STDERR_CAP = 64 * 1024
# Known states of `adb devices`; "no permissions" is the one with a space, and is followed by advice.
STATES = ("device", "offline", "unauthorized", "authorizing", "connecting", "bootloader", "recovery", "rescue",
          "sideload", "host", "unknown", "no permissions", "disconnected")  # fmt: skip
_DEVICE_LINE = re.compile(r"^(?P<serial>\S+)\s+(?P<state>no permissions|[a-z]+)\b\s*(?P<rest>.*)$")
_FIELD = re.compile(r"^(?P<key>[a-z_]+):(?P<value>\S*)$")


class AdbError(Exception):
    """adb cannot do what was asked (not installed, no server, no device, a bad argument); one line."""


@dataclass(frozen=True)
class AdbDevice:
    """One line of `adb devices -l`."""

    serial: str
    state: str  # device, offline, unauthorized, "no permissions", ...
    product: str | None = None
    model: str | None = None  # as adb lists it: spaces become underscores ("Pixel_7")
    device: str | None = None
    transport_id: int | None = None
    usb: str | None = None
    detail: str = ""  # what follows a state that needs the user ("(user in plugdev group; ...)")


@dataclass(frozen=True)
class AdbResult:
    returncode: int | None  # None: stopped (timed out, cancelled, or past its output cap)
    stdout: bytes
    stderr: str
    timed_out: bool = False
    cancelled: bool = False
    truncated: bool = False  # stdout reached its cap; what came before is kept

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def first_line(self) -> str:
        """The first line of what the command said, errors first, for a one-line message."""
        for text in (self.stderr, self.stdout.decode("utf-8", "replace")):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()[:300]
        return ""


def parse_devices_l(text: str) -> list[AdbDevice]:
    """`adb devices -l` (or plain `adb devices`) -> one AdbDevice per device line; the header and the
    "* daemon started successfully" lines are noise."""
    devices: list[AdbDevice] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("*", "List of devices", "adb server", "adb: ", "error:")):
            continue
        match = _DEVICE_LINE.match(line)
        if match is None or match["state"] not in STATES:
            continue
        fields: dict[str, str] = {}
        detail: list[str] = []
        for token in match["rest"].split():
            found = _FIELD.match(token)
            if found is None:
                detail.append(token)
            else:
                fields[found["key"]] = found["value"]
        transport = fields.get("transport_id", "")
        devices.append(
            AdbDevice(
                serial=match["serial"],
                state=match["state"],
                product=fields.get("product"),
                model=fields.get("model"),
                device=fields.get("device"),
                transport_id=int(transport) if transport.isdigit() else None,
                usb=fields.get("usb"),
                detail=" ".join(detail),
            )
        )
    return devices


def server_address(server: tuple[str, int] | None = None) -> tuple[str, int]:
    """The server asked for, else adb's own variables (ADB_SERVER_SOCKET=tcp:HOST:PORT, or
    ANDROID_ADB_SERVER_ADDRESS and ANDROID_ADB_SERVER_PORT), else 127.0.0.1:5037."""
    if server is not None:
        host, port = server
    elif os.environ.get("ADB_SERVER_SOCKET", "").startswith("tcp:"):
        spec = os.environ["ADB_SERVER_SOCKET"][4:]
        host, _, port_text = spec.rpartition(":")
        host = host.strip("[]") or DEFAULT_SERVER[0]
        port = _port(port_text, "ADB_SERVER_SOCKET")
    else:
        host = os.environ.get("ANDROID_ADB_SERVER_ADDRESS") or DEFAULT_SERVER[0]
        port_env = os.environ.get("ANDROID_ADB_SERVER_PORT")
        port = _port(port_env, "ANDROID_ADB_SERVER_PORT") if port_env else DEFAULT_SERVER[1]
    if not isinstance(port, int) or not 0 < port < 65536:
        raise AdbError(f"adb server port {port!r} is not a port number")
    if not host or any(ch.isspace() for ch in host):
        raise AdbError(f"adb server host {host!r} is not a host name")
    return host, port


def _port(text: str, name: str) -> int:
    if not text.strip().isdigit():
        raise AdbError(f"{name}={text!r} is not a port number")
    return int(text)


class AdbClient:
    """The adb program, pointed at one adb server."""

    def __init__(self, server: tuple[str, int] | None = None, executable: str | None = None) -> None:
        self.host, self.port = server_address(server)
        self.executable: str | None = executable or shutil.which("adb")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANDROID_ADB_SERVER_", "ADB_SERVER_SOCKET"))}
        env.pop("ANDROID_SERIAL", None)  # the serial is always given with -s
        host = f"[{self.host}]" if ":" in self.host else self.host
        env["ADB_SERVER_SOCKET"] = f"tcp:{host}:{self.port}"
        self.env = env

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def ensure_server(self) -> None:
        """An adb server answers, or this machine's adb starts one (as adb itself would), or AdbError."""
        answered = self._answers()
        if answered is True:
            if self.executable is None:
                raise AdbError(f"adb is not installed (Debian package adb); an adb server answers at {self.address}")
            return
        if self.executable is None:
            raise AdbError(f"adb is not installed and no adb server answers at {self.address}")
        if answered is not None:
            raise AdbError(f"what answers at {self.address} is not an adb server ({answered})")
        if not _is_local(self.host):
            raise AdbError(f"no adb server answers at {self.address}")
        # adb starts a server only for what it calls local: `localhost`, not 127.0.0.1.
        result = self.run(
            ["start-server"], timeout=30, env={**self.env, "ADB_SERVER_SOCKET": f"tcp:localhost:{self.port}"}
        )
        if not result.ok or self._answers() is not True:
            raise AdbError(f"no adb server answers at {self.address}, and adb start-server failed: "
                           f"{result.first_line() or 'no reason given'}")  # fmt: skip

    def _answers(self) -> bool | str | None:
        """True: an adb server (it tells its version); None: nothing listens; else what went wrong."""
        try:
            with socket.create_connection((self.host, self.port), timeout=3) as conn:
                conn.settimeout(3)
                conn.sendall(b"000chost:version")
                reply = conn.recv(4)
        except TimeoutError:
            return "no reply in 3 s"
        except OSError:
            return None
        return True if reply in (b"OKAY", b"FAIL") else f"it replied {reply[:4]!r}"

    def devices(self) -> list[AdbDevice]:
        result = self.run(["devices", "-l"], timeout=30)
        if not result.ok:
            raise AdbError(f"adb devices failed at {self.address}: {result.first_line() or 'no reason given'}")
        return parse_devices_l(result.stdout.decode("utf-8", "replace"))

    def state(self, serial: str) -> str | None:
        """The device's state now, or None when the server no longer lists it (or does not answer)."""
        try:
            listed = self.devices()
        except AdbError:
            return None
        return next((device.state for device in listed if device.serial == serial), None)

    def run(self, args: Sequence[str], *, timeout: float, cap: int = DEFAULT_OUTPUT_CAP,
            cancel: threading.Event | None = None, env: dict[str, str] | None = None) -> AdbResult:  # fmt: skip
        """`adb ARGS`; stopped past `timeout` seconds, when `cancel` is set, or once stdout holds `cap` bytes."""
        if self.executable is None:
            raise AdbError("adb is not installed (Debian package adb)")
        try:
            process = subprocess.Popen(
                [self.executable, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env or self.env)  # fmt: skip
        except OSError as exc:
            raise AdbError(f"cannot run {self.executable}: {exc.strerror or exc}") from None
        assert process.stdout is not None and process.stderr is not None
        out, err = _Reader(process.stdout, cap), _Reader(process.stderr, STDERR_CAP)
        deadline = time.monotonic() + timeout
        stopped = ""
        while True:
            try:
                process.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            if out.full.is_set():
                stopped = "truncated"
            elif cancel is not None and cancel.is_set():
                stopped = "cancelled"
            elif time.monotonic() > deadline:
                stopped = "timed_out"
            if stopped:
                process.kill()
                process.wait()
                break
        out.join()
        err.join()
        return AdbResult(
            returncode=None if stopped else process.returncode,
            stdout=out.data(),
            stderr=err.data().decode("utf-8", "replace"),
            timed_out=stopped == "timed_out",
            cancelled=stopped == "cancelled",
            truncated=stopped == "truncated" or out.overflowed,
        )


class _Reader:
    """Reads a pipe on a thread of its own, keeping at most `cap` bytes (the rest is read and dropped, so
    the program never blocks on a full pipe before it is stopped)."""

    def __init__(self, pipe: IO[bytes], cap: int) -> None:
        self.pipe, self.cap = pipe, cap
        self.chunks: list[bytes] = []
        self.size = 0
        self.overflowed = False
        self.full = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            while chunk := self.pipe.read1(64 * 1024):  # type: ignore[attr-defined]
                room = self.cap - self.size
                if room > 0:
                    self.chunks.append(chunk[:room])
                    self.size += min(room, len(chunk))
                if len(chunk) > room:
                    self.overflowed = True
                    self.full.set()
        except (OSError, ValueError):
            pass
        finally:
            self.pipe.close()

    def join(self) -> None:
        self.thread.join(10)

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
