"""A fake adb server on loopback that stands in for the phones, not for the client: the real `adb` program
talks to it over the smart-socket protocol (4-hex-length requests, OKAY/FAIL replies), as it would to the
adb server of a workstation with phones attached.

It answers what a capture uses: host:version, host:devices(-l), host-serial:<serial>:features,
host:transport:<serial> and host:tport:serial:<serial>, then on the device `shell:` (the old protocol, output
and errors mixed, no exit status), `shell,v2,...:` (packets: stdout 1, stderr 2, exit 3), `exec:` (raw
output) and `sync:` (STAT, SEND/DATA/DONE, QUIT) for a push. Each scripted device has its properties, a screen
drawn with Pillow (a different picture per device and per call), an install result, the Monkey's output,
a logcat in threadtime format, the app's process, and may crash or disconnect at a command. Every command a
device ran is recorded, so a test can check what the client did.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import socket
import socketserver
import struct
import threading
import time
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

ADB_SERVER_VERSION = 41
LAUNCHER = "android.intent.category.LAUNCHER"


@dataclass
class FakeDevice:
    serial: str
    model: str = "Pixel 7"
    brand: str = "google"
    release: str = "14"
    sdk: str = "34"
    locale: str = "en-US"
    qemu: bool = False
    state: str = "device"  # what `adb devices` says: device, offline, unauthorized, "no permissions"
    screen: tuple[int, int] = (180, 400)  # width, height
    shell_v2: bool = True  # old phones speak only `shell:` (no exit status)
    install_result: str = "Success"  # or "Failure [INSTALL_FAILED_...: why]"
    crash_in_monkey: bool = False  # the app dies with a FATAL EXCEPTION during the Monkey run
    disconnect_at: str | None = None  # how the command starts at which the device goes away
    has_launcher: bool = True
    screencap_output: bytes | None = None  # what `screencap -p` prints instead of a picture
    monkey_seconds: float = 0.0  # how long the Monkey run takes
    push_error: str | None = None  # why the phone refuses a pushed file
    product: str = "panther"
    usb: str | None = "1-1"

    # What happened to it (read by the tests):
    commands: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # pushed and still on the phone
    uploads: dict[str, bytes] = field(default_factory=dict)  # everything ever pushed
    installed: set[str] = field(default_factory=set)
    ever_installed: set[str] = field(default_factory=set)
    running: set[str] = field(default_factory=set)
    screenshots_taken: int = 0
    logcat: list[str] = field(default_factory=list)
    connections: set[socket.socket] = field(default_factory=set)
    gone: bool = False

    def properties(self) -> dict[str, str]:
        props = {
            "ro.product.model": self.model,
            "ro.product.brand": self.brand,
            "ro.build.version.release": self.release,
            "ro.build.version.sdk": self.sdk,
            "persist.sys.locale": self.locale,
            "ro.serialno": self.serial,
        }
        if self.qemu:
            props["ro.kernel.qemu"] = "1"
        return props


class FakeAdbServer:
    """`with FakeAdbServer([...]) as server:` listens on 127.0.0.1:<server.port> until the block ends."""

    def __init__(self, devices: list[FakeDevice], package: str, *, rendezvous: int = 0) -> None:
        self.devices = {device.serial: device for device in devices}
        self.package = package
        self.lock = threading.RLock()
        self.requests: list[str] = []
        # The devices' first screenshots wait for each other: a capture that ran them one by one would break it.
        self.barrier = threading.Barrier(rendezvous, timeout=10) if rendezvous > 1 else None
        self.pids = {serial: 4000 + index * 100 for index, serial in enumerate(self.devices)}
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server.serve(self.request)

        self.tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.tcp.daemon_threads = True
        self.tcp.allow_reuse_address = True
        self.tcp.server_bind()
        self.tcp.server_activate()
        self.port: int = self.tcp.server_address[1]
        self.thread = threading.Thread(target=self.tcp.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeAdbServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.tcp.shutdown()
        self.tcp.server_close()
        self.thread.join(5)

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    # -- the host side -------------------------------------------------------------------------------

    def serve(self, conn: socket.socket) -> None:
        device: FakeDevice | None = None
        try:
            while True:
                request = read_request(conn)
                if request is None:
                    return
                with self.lock:
                    self.requests.append(request)
                if device is not None:
                    self.service(conn, device, request)
                    return
                if request == "host:version":
                    reply_string(conn, f"{ADB_SERVER_VERSION:04x}")
                    return
                if request in ("host:devices", "host:devices-l"):
                    reply_string(conn, self.device_list(long=request.endswith("-l")))
                    return
                if request.startswith("host-serial:") and request.endswith(":features"):
                    serial = request[len("host-serial:") : -len(":features")]
                    found = self.present(serial)
                    if found is None:
                        fail(conn, f"device '{serial}' not found")
                        return
                    reply_string(conn, "shell_v2,cmd,fixed_push_mkdir" if found.shell_v2 else "cmd")
                    return
                for prefix in ("host:tport:serial:", "host:transport:"):
                    if request.startswith(prefix):
                        serial = request[len(prefix) :]
                        device = self.present(serial)
                        if device is None:
                            fail(conn, f"device '{serial}' not found")
                            return
                        conn.sendall(b"OKAY")
                        if prefix == "host:tport:serial:":
                            conn.sendall(struct.pack("<Q", list(self.devices).index(serial) + 1))
                        with self.lock:
                            device.connections.add(conn)
                        break
                else:
                    fail(conn, f"unknown host service {request!r}")
                    return
        except OSError:
            return
        finally:
            if device is not None:
                with self.lock:
                    device.connections.discard(conn)
            close_quietly(conn)

    def present(self, serial: str) -> FakeDevice | None:
        with self.lock:
            device = self.devices.get(serial)
            return device if device is not None and not device.gone and device.state == "device" else None

    def device_list(self, *, long: bool) -> str:
        lines = []
        with self.lock:
            for index, device in enumerate(self.devices.values(), start=1):
                if device.gone:
                    continue
                if not long:
                    lines.append(f"{device.serial}\t{device.state}\n")
                    continue
                fields = [] if device.usb is None else [f"usb:{device.usb}"]
                if device.state == "device":
                    model = device.model.replace(" ", "_")
                    fields += [f"product:{device.product}", f"model:{model}", f"device:{device.product}"]
                fields.append(f"transport_id:{index}")
                lines.append(f"{device.serial:<22} {device.state} {' '.join(fields)}\n")
        return "".join(lines)

    def disconnect(self, device: FakeDevice) -> None:
        """The cable is pulled: every open connection to the phone closes and it leaves the device list."""
        with self.lock:
            device.gone = True
            connections = list(device.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    # -- the device side -----------------------------------------------------------------------------

    def service(self, conn: socket.socket, device: FakeDevice, request: str) -> None:
        if request.startswith("sync:"):
            conn.sendall(b"OKAY")
            self.sync(conn, device)
            return
        if request.startswith("exec:"):
            kind, command = "exec", request[len("exec:") :]
        elif request.startswith(("shell,v2,", "shell,v2:")):
            kind, command = "v2", request.split(":", 1)[1]
        elif request.startswith("shell:"):
            kind, command = "v1", request[len("shell:") :]
        else:
            fail(conn, f"unknown device service {request!r}")
            return
        if kind == "v2" and not device.shell_v2:
            fail(conn, "shell protocol v2 not supported")
            return
        with self.lock:
            device.commands.append(command)
        argv = shlex.split(command)
        if device.disconnect_at is not None and command.startswith(device.disconnect_at):
            conn.sendall(b"OKAY")
            self.disconnect(device)
            return
        conn.sendall(b"OKAY")
        out, err, status = self.run(device, argv)
        if kind == "v2":
            for packet_id, data in ((1, out), (2, err)):
                for start in range(0, len(data), 32 * 1024):
                    chunk = data[start : start + 32 * 1024]
                    conn.sendall(struct.pack("<BI", packet_id, len(chunk)) + chunk)
            conn.sendall(struct.pack("<BI", 3, 1) + bytes([status & 0xFF]))
        else:
            conn.sendall(out + err)
        finish(conn)

    def sync(self, conn: socket.socket, device: FakeDevice) -> None:
        receiving: str | None = None
        chunks: list[bytes] = []
        while True:
            header = read_exact(conn, 8)
            if header is None:
                return
            word, length = header[:4], struct.unpack("<I", header[4:])[0]
            if word in (b"STAT", b"SEND"):
                path = (read_exact(conn, length) or b"").decode()
                with self.lock:
                    device.commands.append(f"sync {word.decode()} {path}")
                if word == b"STAT":
                    size = len(device.files.get(path, b""))
                    mode = 0o100644 if path in device.files else 0o040755 if path.endswith("/tmp") else 0
                    conn.sendall(b"STAT" + struct.pack("<III", mode, size, 0))
                else:
                    receiving, chunks = path.rsplit(",", 1)[0], []
            elif word == b"DATA":
                chunks.append(read_exact(conn, length) or b"")
            elif word == b"DONE":
                if device.push_error is not None:
                    message = device.push_error.encode()
                    conn.sendall(b"FAIL" + struct.pack("<I", len(message)) + message)
                    return
                if receiving is not None:
                    with self.lock:
                        device.files[receiving] = device.uploads[receiving] = b"".join(chunks)
                receiving = None
                conn.sendall(b"OKAY" + struct.pack("<I", 0))
            elif word == b"QUIT":
                return
            else:
                conn.sendall(b"FAIL" + struct.pack("<I", 7) + b"unknown")
                return

    def run(self, device: FakeDevice, argv: list[str]) -> tuple[bytes, bytes, int]:
        """What the phone's shell prints for a command: (stdout, stderr, exit status)."""
        package = self.package
        pid = self.pids[device.serial]
        match argv:
            case ["getprop"]:
                text = "".join(f"[{key}]: [{value}]\n" for key, value in device.properties().items())
                return text.encode(), b"", 0
            case ["getprop", key]:
                return (device.properties().get(key, "") + "\n").encode(), b"", 0
            case ["logcat", "-c"]:
                device.logcat.clear()
                return b"", b"", 0
            case ["logcat", "-d", *_]:
                return "".join(device.logcat).encode(), b"", 0
            case ["pm", "install", *_, path]:
                if path not in device.files:
                    return b"", f"Failure [INSTALL_FAILED_INVALID_URI: {path}]\n".encode(), 1
                if device.install_result != "Success":
                    return b"", (device.install_result + "\n").encode(), 1
                device.installed.add(package)
                device.ever_installed.add(package)
                return b"Performing Streamed Install\nSuccess\n", b"", 0
            case ["cmd", "package", "resolve-activity", "--brief", "-c", category, name] if category == LAUNCHER:
                if name in device.installed and device.has_launcher:
                    text = "priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=true\n"
                    return (text + f"{name}/.MainActivity\n").encode(), b"", 0
                return b"No activity found\n", b"", 0
            case ["am", "start", "-n", component]:
                name = component.split("/")[0]
                if name not in device.installed:
                    return b"", f"Error: Activity class {{{component}}} does not exist.\n".encode(), 1
                device.running.add(name)
                self.log(device, pid, "I", "ActivityManager", f"Start proc {pid}:{name}/u0a100 for activity")
                return f"Starting: Intent {{ cmp={component} }}\n".encode(), b"", 0
            case ["monkey", "-p", name, "-c", category, "1"] if category == LAUNCHER:
                if name in device.installed:
                    device.running.add(name)
                    return b"Events injected: 1\n", b"", 0
                return b"** No activities found to run, monkey aborted.\n", b"", 1
            case ["screencap", "-p"]:
                if device.screencap_output is not None:
                    return device.screencap_output, b"", 0
                return self.screenshot(device), b"", 0
            case ["monkey", "-p", name, *options]:
                return self.monkey(device, name, options, pid)
            case ["pidof", name]:
                return (f"{pid}\n".encode(), b"", 0) if name in device.running else (b"", b"", 1)
            case ["pm", "uninstall", name]:
                if name in device.installed:
                    device.installed.discard(name)
                    device.running.discard(name)
                    return b"Success\n", b"", 0
                return b"", b"Failure [DELETE_FAILED_INTERNAL_ERROR]\n", 1
            case ["rm", "-f", path]:
                device.files.pop(path, None)
                return b"", b"", 0
        return b"", f"/system/bin/sh: {argv[0] if argv else ''}: inaccessible or not found\n".encode(), 127

    def monkey(self, device: FakeDevice, name: str, options: list[str], pid: int) -> tuple[bytes, bytes, int]:
        events = int(options[-1])
        seed = options[options.index("-s") + 1] if "-s" in options else "0"
        head = f":Monkey: seed={seed} count={events}\n:AllowPackage: {name}\n"
        if device.monkey_seconds:
            time.sleep(device.monkey_seconds)
        if name not in device.running and name not in device.installed:
            return (head + "** No activities found to run, monkey aborted.\n").encode(), b"", 1
        if device.crash_in_monkey:
            device.running.discard(name)
            stack = [
                "FATAL EXCEPTION: main",
                f"Process: {name}, PID: {pid}",
                "java.lang.IllegalStateException: the list is empty",
                f"\tat {name}.MainActivity.onClick(MainActivity.java:88)",
                "\tat android.view.View.performClick(View.java:7448)",
            ]
            for line in stack:
                self.log(device, pid, "E", "AndroidRuntime", line)
            self.log(device, 1000, "I", "ActivityManager", f"Process {name} (pid {pid}) has died")
            text = head + f"// CRASH: {name} (pid {pid})\n// Short Msg: java.lang.IllegalStateException\n"
            return (text + "** Monkey aborted due to error.\nEvents injected: 37\n").encode(), b"", 1
        return (head + f"Events injected: {events}\n// Monkey finished\n").encode(), b"", 0

    def screenshot(self, device: FakeDevice) -> bytes:
        if self.barrier is not None and device.screenshots_taken == 0:
            self.barrier.wait()
        device.screenshots_taken += 1
        index = list(self.devices).index(device.serial)
        width, height = device.screen
        image = Image.new("RGB", (width, height), (40 + 60 * index, 90, 200 - 30 * device.screenshots_taken))
        draw = ImageDraw.Draw(image)
        draw.rectangle((10, 10 + 12 * device.screenshots_taken, width - 10, 40 + 12 * device.screenshots_taken),
                       fill=(250, 250, 250))  # fmt: skip
        draw.text((14, 60), f"{device.serial} #{device.screenshots_taken}", fill=(0, 0, 0))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    def log(self, device: FakeDevice, pid: int, level: str, tag: str, message: str) -> None:
        stamp = f"11-29 10:00:{len(device.logcat) % 60:02d}.{len(device.logcat) % 1000:03d}"
        device.logcat.append(f"{stamp}  {pid:5d}  {pid:5d} {level} {tag}: {message}\n")


# -- the wire ----------------------------------------------------------------------------------------


def read_exact(conn: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_request(conn: socket.socket) -> str | None:
    length = read_exact(conn, 4)
    if length is None:
        return None
    body = read_exact(conn, int(length, 16))
    return None if body is None else body.decode("utf-8", "replace")


def reply_string(conn: socket.socket, text: str) -> None:
    data = text.encode()
    conn.sendall(b"OKAY" + f"{len(data):04x}".encode() + data)
    finish(conn)


def fail(conn: socket.socket, message: str) -> None:
    data = message.encode()
    conn.sendall(b"FAIL" + f"{len(data):04x}".encode() + data)
    finish(conn)


def finish(conn: socket.socket) -> None:
    """Close our side, then drain what the client still sends (its stdin's end), so the close is not a reset
    that could throw away output the client has not read yet."""
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(2)
        while conn.recv(4096):
            pass
    except OSError:
        pass


def close_quietly(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.close()
