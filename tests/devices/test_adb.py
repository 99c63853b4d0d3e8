"""Capture from adb devices: `adb devices -l` parsing, the commands run on a phone, adb or its server missing,
and whole captures by the real adb program against a fake adb server on loopback that stands in for the phones
(tests/devices/fake_adb.py): parallel devices, a crash, a disconnect, an install failure, a cancel."""

from __future__ import annotations

import hashlib
import io
import json
import shlex
import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from reviewer_app.devices.adb import (
    AdbError,
    CaptureSettings,
    capture,
    check_package,
    install_command,
    list_devices,
    monkey_command,
    parse_devices_l,
    pidof_command,
    start_activity_command,
    uninstall_command,
)
from reviewer_app.devices.adb_capture import png_size, safe_names
from reviewer_app.devices.adb_client import AdbClient, server_address
from reviewer_app.devices.results import find_crashes
from reviewer_app.devices.run import MANIFEST_FORMAT, MANIFEST_NAME
from tests.corpus import CORPUS, need_tool
from tests.devices.fake_adb import FakeAdbServer, FakeDevice

PACKAGE = "com.example.notes"
FAST = CaptureSettings(events=50, throttle_ms=0, launch_wait_s=0, shot_interval_s=0)
ENTRY_KEYS = ["model", "brand", "os_version", "api_level", "locale", "orientation", "virtual", "installed",
              "launched", "outcome", "crash", "logcat", "screenshots", "messages", "serial"]  # fmt: skip

DEVICES_L = """\
* daemon not running; starting now at tcp:5037
* daemon started successfully
List of devices attached
emulator-5554          device product:sdk_gphone64_x86_64 model:sdk_gphone64_x86_64 device:emu64xa transport_id:1
R58M41ABCDE            device usb:1-1.2 product:starltexx model:SM_G960F device:starlte transport_id:3
0A1B2C3D               unauthorized usb:1-1.3 transport_id:4
emulator-5556          offline transport_id:5
0123456789ABCDEF       no permissions (user in plugdev group; are your udev rules wrong?); see [http://developer.android.com/tools/device.html] usb:1-4 transport_id:6
127.0.0.1:6520         device product:aosp_cf_x86_64_phone model:Cuttlefish_x86_64 device:vsoc_x86_64 transport_id:7

"""


@pytest.fixture(scope="module")
def adb_program() -> str:
    return need_tool("adb", "adb")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))


def monkey_runs(device: FakeDevice) -> list[str]:
    """The seeded Monkey runs (not the one-event launch by the launcher category)."""
    return [command for command in device.commands if command.startswith("monkey") and " -s " in command]


# -- adb devices -l ------------------------------------------------------------------------------------


def test_devices_l_lines_give_serial_state_and_fields():
    devices = parse_devices_l(DEVICES_L)
    assert [(d.serial, d.state) for d in devices] == [
        ("emulator-5554", "device"),
        ("R58M41ABCDE", "device"),
        ("0A1B2C3D", "unauthorized"),
        ("emulator-5556", "offline"),
        ("0123456789ABCDEF", "no permissions"),
        ("127.0.0.1:6520", "device"),
    ]
    emulator, phone, unauthorized, offline, no_permissions, cuttlefish = devices
    assert (emulator.product, emulator.model, emulator.device, emulator.transport_id, emulator.usb) == (
        "sdk_gphone64_x86_64", "sdk_gphone64_x86_64", "emu64xa", 1, None)  # fmt: skip
    assert (phone.model, phone.usb, phone.transport_id) == ("SM_G960F", "1-1.2", 3)
    assert (unauthorized.model, unauthorized.usb, unauthorized.transport_id) == (None, "1-1.3", 4)
    assert offline.transport_id == 5
    assert no_permissions.usb == "1-4" and no_permissions.transport_id == 6
    assert "udev rules" in no_permissions.detail
    assert cuttlefish.model == "Cuttlefish_x86_64"


def test_plain_devices_output_an_empty_list_and_noise():
    assert parse_devices_l("List of devices attached\n\n") == []
    assert parse_devices_l("") == []
    assert parse_devices_l("* daemon not running; starting now at tcp:5037\n* daemon started successfully\n") == []
    plain = parse_devices_l("List of devices attached\nemulator-5554\tdevice\nHT4A1JT00123\trecovery\n")
    assert [(d.serial, d.state, d.model) for d in plain] == [("emulator-5554", "device", None),
                                                              ("HT4A1JT00123", "recovery", None)]  # fmt: skip
    assert parse_devices_l("emulator-5554 sideways model:x\n") == []  # not a state adb has


# -- commands ------------------------------------------------------------------------------------------


def test_the_monkey_runs_seeded_with_the_settings_events_and_throttle():
    settings = CaptureSettings(events=750, seed=42, throttle_ms=250)
    argv = monkey_command(PACKAGE, settings)
    assert argv[:3] == ["monkey", "-p", PACKAGE]
    assert argv[argv.index("-s") + 1] == "42"
    assert argv[argv.index("--throttle") + 1] == "250"
    assert argv[argv.index("--pct-syskeys") + 1] == "0"  # emulators have no hardware keys
    assert argv[-2:] == ["-v", "750"]  # the event count comes last
    assert monkey_command(PACKAGE, settings) == argv  # the same seed, the same run
    assert monkey_command(PACKAGE, CaptureSettings(events=750, seed=43, throttle_ms=250)) != argv


@pytest.mark.parametrize(
    "package",
    ["com.example; reboot", "com.example$(id)", "com.example`id`", "com.example notes", "-p com.x", "com.exa'mple",
     "noseparator", "com..example", "1com.example", "com.example\nreboot", "", "a." + "b" * 300],
)  # fmt: skip
def test_a_package_name_that_is_not_javas_is_refused_in_one_line(package):
    for builder in (check_package, pidof_command, uninstall_command, lambda p: monkey_command(p, CaptureSettings())):
        with pytest.raises(AdbError) as caught:
            builder(package)
        assert "\n" not in str(caught.value) and "not a Java package name" in str(caught.value)


def test_a_refused_package_reaches_no_phone(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554")
    with FakeAdbServer([phone], PACKAGE) as server, pytest.raises(AdbError, match="not a Java package name"):
        capture(demo_apk, "com.example;reboot", tmp_path / "out", FAST, server=server.address)
    assert phone.commands == [] and server.requests == []


def test_other_builders_check_what_they_are_given():
    assert install_command("/data/local/tmp/reviewer-app-0a1b.apk") == [
        "pm", "install", "-r", "-t", "/data/local/tmp/reviewer-app-0a1b.apk"]  # fmt: skip
    with pytest.raises(AdbError):
        install_command("/sdcard/$(id).apk")
    assert start_activity_command("com.example.notes/.MainActivity") == ["am", "start", "-n",
                                                                       "com.example.notes/.MainActivity"]  # fmt: skip
    with pytest.raises(AdbError):
        start_activity_command("com.example.notes/.Main;reboot")
    # Quoted for the phone's shell, a word stays one word whatever it holds.
    assert shlex.split(shlex.join(["echo", "a b;c"])) == ["echo", "a b;c"]


@pytest.mark.parametrize(("field", "value"), [("events", 0), ("seed", -1), ("throttle_ms", 10**6),
                                              ("launch_wait_s", -1), ("max_parallel", 0), ("events", True)])  # fmt: skip
def test_settings_out_of_range_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        CaptureSettings(**{field: value})


def test_folder_names_from_serials_are_safe_and_distinct():
    names = safe_names(["emulator-5554", "127.0.0.1:6520", "127.0.0.1_6520", "../..", "a/b"])
    assert names["emulator-5554"] == "emulator-5554"
    assert names["127.0.0.1:6520"] == "127.0.0.1_6520"
    assert len(set(names.values())) == 5
    assert all("/" not in name and name not in (".", "..") for name in names.values())


# -- the server ----------------------------------------------------------------------------------------


def test_server_from_arguments_else_adbs_own_variables(monkeypatch):
    for name in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_PORT"):
        monkeypatch.delenv(name, raising=False)
    assert server_address() == ("127.0.0.1", 5037)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", "5038")
    monkeypatch.setenv("ANDROID_ADB_SERVER_ADDRESS", "adb-host.test")
    assert server_address() == ("adb-host.test", 5038)
    assert server_address(("127.0.0.1", 6000)) == ("127.0.0.1", 6000)
    monkeypatch.setenv("ADB_SERVER_SOCKET", "tcp:localhost:5040")
    assert server_address() == ("localhost", 5040)
    monkeypatch.setenv("ADB_SERVER_SOCKET", "tcp:localhost:abc")
    with pytest.raises(AdbError, match="not a port number"):
        server_address()
    with pytest.raises(AdbError, match="not a port number"):
        server_address(("127.0.0.1", 70000))


def test_no_adb_and_no_server_is_one_line(monkeypatch, tmp_path, demo_apk):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    port = closed_port()
    for call in (lambda: list_devices(("127.0.0.1", port)),
                 lambda: capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=("127.0.0.1", port))):  # fmt: skip
        with pytest.raises(AdbError) as caught:
            call()
        assert str(caught.value) == f"adb is not installed and no adb server answers at 127.0.0.1:{port}"
    assert not (tmp_path / "out").exists()


def test_adb_starts_a_server_on_this_machine_where_none_answers(adb_program):
    port = closed_port()
    client = AdbClient(("127.0.0.1", port))
    try:
        assert list_devices(("127.0.0.1", port)) == []  # a real adb server, started on the port asked for
        assert client._answers() is True
    finally:
        client.run(["kill-server"], timeout=30)
    deadline = time.monotonic() + 10
    while client._answers() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client._answers() is None  # and stopped again: no test leaves a server behind


def test_a_server_on_another_machine_is_never_started_from_here(adb_program, monkeypatch):
    monkeypatch.setattr(AdbClient, "_answers", lambda self: None)  # nothing listens there (and no packet is sent)
    started: list[list[str]] = []
    monkeypatch.setattr(AdbClient, "run", lambda self, args, **options: started.append(list(args)))
    with pytest.raises(AdbError) as caught:
        list_devices(("192.0.2.1", 5037))
    assert str(caught.value) == "no adb server answers at 192.0.2.1:5037"
    assert started == []


def test_list_devices_through_the_server(adb_program):
    phones = [
        FakeDevice("emulator-5554", product="sdk_gphone64_x86_64", usb=None),
        FakeDevice("0A1B", state="unauthorized"),
    ]
    with FakeAdbServer(phones, PACKAGE) as server:
        devices = list_devices(server.address)
    assert [(d.serial, d.state, d.transport_id) for d in devices] == [("emulator-5554", "device", 1),
                                                                      ("0A1B", "unauthorized", 2)]  # fmt: skip
    assert devices[0].model == "Pixel_7" and devices[0].product == "sdk_gphone64_x86_64" and devices[0].usb is None


def test_no_device_connected_is_one_line(adb_program, demo_apk, tmp_path):
    with FakeAdbServer([], PACKAGE) as server, pytest.raises(AdbError) as caught:
        capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address)
    assert str(caught.value) == "no device or emulator is connected"
    with (
        FakeAdbServer([FakeDevice("0A1B", state="unauthorized")], PACKAGE) as server,
        pytest.raises(AdbError) as caught,
    ):
        capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address)
    assert str(caught.value) == "no device or emulator is connected (0A1B: unauthorized)"


# -- whole captures ------------------------------------------------------------------------------------


def three_phones() -> list[FakeDevice]:
    return [
        FakeDevice(
            "emulator-5554",
            model="sdk_gphone64_x86_64",
            release="13",
            sdk="33",
            qemu=True,
            screen=(400, 180),
            product="sdk_gphone64_x86_64",
            usb=None,
        ),
        FakeDevice(
            "R58M41ABCDE",
            model="SM-G960F",
            brand="samsung",
            release="10",
            sdk="29",
            locale="zh-CN",
            crash_in_monkey=True,
            product="starltexx",
        ),
        FakeDevice("127.0.0.1:6520", model="Pixel 7", release="14", sdk="34", disconnect_at=f"monkey -p {PACKAGE} -s"),
        FakeDevice("0A1B2C3D", state="unauthorized"),  # listed, never attempted
    ]


def test_a_capture_across_three_devices_with_a_crash_and_a_disconnect(adb_program, demo_apk, tmp_path):
    phones = three_phones()
    reports: list[tuple[str, str, int, int]] = []
    lock = threading.Lock()

    def progress(serial: str, step: str, done: int, total: int) -> None:
        with lock:
            reports.append((serial, step, done, total))

    # rendezvous=3: the devices' first screenshots wait for each other, so the three must run at once.
    with FakeAdbServer(phones, PACKAGE, rendezvous=3) as server:
        out = capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address, progress=progress)
    assert out == tmp_path / "out"
    manifest = manifest_of(out)
    assert list(manifest) == ["format", "package", "devices"]
    assert manifest["format"] == MANIFEST_FORMAT and manifest["package"] == PACKAGE
    entries = {entry["serial"]: entry for entry in manifest["devices"]}
    assert list(entries) == ["emulator-5554", "R58M41ABCDE", "127.0.0.1:6520"]  # the unauthorized one is left
    for entry in entries.values():
        assert list(entry) == ENTRY_KEYS
        assert all(isinstance(message, str) and "\n" not in message for message in entry["messages"])

    emulator, crashed, gone = entries["emulator-5554"], entries["R58M41ABCDE"], entries["127.0.0.1:6520"]
    assert emulator == {
        "model": "sdk_gphone64_x86_64", "brand": "google", "os_version": "13", "api_level": 33, "locale": "en-US",
        "orientation": "landscape", "virtual": True, "installed": True, "launched": True, "outcome": "success",
        "crash": None, "logcat": "emulator-5554/logcat.txt",
        "screenshots": [{"file": "emulator-5554/01-launch.png", "step": "launch"},
                        {"file": "emulator-5554/02-launch.png", "step": "launch"},
                        {"file": "emulator-5554/03-monkey.png", "step": "monkey"},
                        {"file": "emulator-5554/04-monkey.png", "step": "monkey"},
                        {"file": "emulator-5554/05-monkey.png", "step": "monkey"}],
        "messages": ["monkey: seed 1, 50 of 50 events"], "serial": "emulator-5554",
    }  # fmt: skip

    assert (crashed["model"], crashed["brand"], crashed["api_level"], crashed["locale"]) == ("SM-G960F", "samsung",
                                                                                             29, "zh-CN")  # fmt: skip
    assert (crashed["virtual"], crashed["orientation"]) == (False, "portrait")
    assert (crashed["installed"], crashed["launched"], crashed["outcome"]) == (True, True, "failure")
    assert crashed["crash"].splitlines()[:3] == ["FATAL EXCEPTION", f"Process: {PACKAGE}, PID: 4100",
                                                 "java.lang.IllegalStateException: the list is empty"]  # fmt: skip
    assert any(m.startswith("monkey: seed 1, 37 of 50 events (** Monkey aborted") for m in crashed["messages"])
    logcat = (out / crashed["logcat"]).read_text(encoding="utf-8")
    assert [c.process for c in find_crashes(logcat, PACKAGE)] == [PACKAGE]  # the file holds the threadtime logcat
    assert len(crashed["screenshots"]) == 5

    # The disconnected device keeps what it captured before the Monkey, and says when it went.
    assert (gone["installed"], gone["launched"], gone["outcome"], gone["crash"]) == (True, True, "inconclusive", None)
    assert gone["messages"] == ["disconnected during monkey"]
    assert gone["logcat"] is None
    assert gone["screenshots"] == [{"file": "127.0.0.1_6520/01-launch.png", "step": "launch"},
                                   {"file": "127.0.0.1_6520/02-launch.png", "step": "launch"}]  # fmt: skip

    # Screenshots are the phones' real PNGs, one picture per device and per call.
    digests = set()
    for serial, entry in entries.items():
        phone = next(p for p in phones if p.serial == serial)
        for shot in entry["screenshots"]:
            data = (out / shot["file"]).read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == "PNG" and image.size == phone.screen
            digests.add(hashlib.sha256(data).hexdigest())
    assert len(digests) == 12

    apk = demo_apk.read_bytes()
    for phone in phones[:3]:
        # The APK was pushed (byte for byte), installed from where it was pushed, and cleaned up.
        [(remote, data)] = phone.uploads.items()
        assert data == apk and remote.startswith("/data/local/tmp/")
        assert f"pm install -r -t {remote}" in phone.commands
        assert phone.ever_installed == {PACKAGE}
        assert len(monkey_runs(phone)) == 1
        assert f"monkey -p {PACKAGE} -s 1 --throttle 0 --pct-syskeys 0 -v 50" in phone.commands
    for phone in phones[:2]:  # those still there: nothing of the capture is left on them
        assert phone.installed == set() and phone.files == {}
        assert phone.commands[-2:] == [f"pm uninstall {PACKAGE}", f"rm -f {next(iter(phone.uploads))}"]
    assert phones[3].commands == []

    # Progress from every device, with the devices done counting up to all three.
    assert {serial for serial, *_ in reports} == set(entries)
    assert all(total == 3 for *_, total in reports)
    finals = [(serial, step, done) for serial, step, done, _ in reports if step in ("done", "disconnected")]
    assert sorted(done for *_, done in finals) == [1, 2, 3]
    assert {serial: step for serial, step, _ in finals} == {"emulator-5554": "done", "R58M41ABCDE": "done",
                                                            "127.0.0.1:6520": "disconnected"}  # fmt: skip
    assert ("127.0.0.1:6520", "monkey") in {(serial, step) for serial, step, *_ in reports}


@pytest.mark.parametrize("shell_v2", [True, False], ids=["shell-v2", "old-shell"])
def test_a_disconnect_is_seen_whatever_shell_the_phone_speaks(adb_program, demo_apk, tmp_path, shell_v2):
    # The old shell protocol has no exit status: a dropped connection looks like a command that printed nothing.
    phone = FakeDevice("HT4A1JT00123", shell_v2=shell_v2, disconnect_at="screencap")
    with FakeAdbServer([phone], PACKAGE) as server:
        [entry] = manifest_of(capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address))["devices"]
    assert entry["messages"] == ["disconnected during launch screenshots"]
    assert (entry["installed"], entry["launched"], entry["outcome"], entry["screenshots"]) == (
        True, True, "inconclusive", [])  # fmt: skip
    assert entry["model"] == "Pixel 7"  # what was read before it went


def test_an_install_failure_is_the_devices_result(adb_program, demo_apk, tmp_path):
    old = FakeDevice("emulator-5556", qemu=True, sdk="19", release="4.4",
                     install_result="Failure [INSTALL_FAILED_OLDER_SDK: Requires newer sdk version #21 (current version is #19)]")  # fmt: skip
    with FakeAdbServer([old], PACKAGE) as server:
        [entry] = manifest_of(capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address))["devices"]
    assert (entry["installed"], entry["launched"], entry["outcome"]) == (False, None, "failure")
    assert entry["messages"] == ["install failed: INSTALL_FAILED_OLDER_SDK: Requires newer sdk version #21 "
                                 "(current version is #19)"]  # fmt: skip
    assert (entry["virtual"], entry["api_level"], entry["os_version"]) == (True, 19, "4.4")
    assert not any(c.startswith(("am ", "monkey", "screencap", "pm uninstall")) for c in old.commands)
    assert old.files == {}  # the pushed APK is removed all the same


def test_a_push_the_phone_refuses_installs_nothing(adb_program, demo_apk, tmp_path):
    full = FakeDevice("emulator-5554", push_error="couldn't create file: No space left on device")
    with FakeAdbServer([full], PACKAGE) as server:
        [entry] = manifest_of(capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address))["devices"]
    assert (entry["installed"], entry["launched"], entry["outcome"]) == (False, None, "failure")
    assert entry["messages"] == ["push: remote couldn't create file: No space left on device"]
    assert not any(c.startswith(("pm ", "am ", "monkey")) for c in full.commands)
    assert full.commands[-1].startswith("rm -f /data/local/tmp/")  # whatever it kept of the file goes


def test_a_cancel_after_the_first_launch_stops_every_device_and_uninstalls(adb_program, demo_apk, tmp_path):
    phones = [FakeDevice("emulator-5554", qemu=True), FakeDevice("emulator-5556", qemu=True),
              FakeDevice("R58M41ABCDE", shell_v2=False)]  # fmt: skip
    cancel = threading.Event()

    def progress(serial: str, step: str, done: int, total: int) -> None:
        if step == "launch screenshots":  # the first device to get past its launch
            cancel.set()

    with FakeAdbServer(phones, PACKAGE) as server:
        out = capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address, progress=progress,
                      cancel=cancel)  # fmt: skip
    entries = manifest_of(out)["devices"]
    assert len(entries) == 3
    for entry, phone in zip(entries, phones, strict=True):
        assert entry["outcome"] == "inconclusive"
        assert any(m.startswith("cancelled ") for m in entry["messages"]), entry["messages"]
        assert monkey_runs(phone) == [] and entry["logcat"] is None and entry["screenshots"] == []
        assert "screencap '-p'" not in phone.commands
        assert phone.installed == set() and phone.files == {}  # uninstalled and cleaned up, cancelled or not
        if phone.ever_installed:
            assert f"pm uninstall {PACKAGE}" in phone.commands
    assert "cancelled before launch screenshots" in [m for e in entries for m in e["messages"]]


def test_a_cancel_stops_a_long_monkey_run(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554", monkey_seconds=20)
    cancel = threading.Event()

    def progress(serial: str, step: str, done: int, total: int) -> None:
        if step == "monkey":
            threading.Timer(0.3, cancel.set).start()

    with FakeAdbServer([phone], PACKAGE) as server:
        out = capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address, progress=progress,
                      cancel=cancel)  # fmt: skip
    [entry] = manifest_of(out)["devices"]
    assert entry["messages"] == ["cancelled during monkey"]
    assert phone.installed == set() and phone.commands[-2].startswith("pm uninstall")


def test_a_monkey_run_past_its_time_is_stopped(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554", monkey_seconds=20)
    settings = CaptureSettings(events=50, throttle_ms=0, launch_wait_s=0, shot_interval_s=0, monkey_timeout_s=0.5,
                               shots_after_monkey=1)  # fmt: skip
    with FakeAdbServer([phone], PACKAGE) as server:
        [entry] = manifest_of(capture(demo_apk, PACKAGE, tmp_path / "out", settings, server=server.address))["devices"]
    assert "monkey: timed out after 0.5 s" in entry["messages"]
    assert len(entry["screenshots"]) == 3 and entry["logcat"] is not None  # the run went on after it
    assert entry["outcome"] == "success"


def test_what_is_not_a_png_is_left_out_with_a_message(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554", screencap_output=b"/system/bin/sh: screencap: inaccessible or not found\n")
    with FakeAdbServer([phone], PACKAGE) as server:
        [entry] = manifest_of(capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address))["devices"]
    assert entry["screenshots"] == [] and entry["orientation"] is None
    assert entry["messages"][0] == "screenshot 1: not a PNG (/system/bin/sh: screencap: inaccessible or not found)"
    assert len([m for m in entry["messages"] if "not a PNG" in m]) == 5
    assert png_size(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16) is None


def test_screens_and_logcats_past_their_caps(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554", crash_in_monkey=True)
    settings = CaptureSettings(events=50, throttle_ms=0, launch_wait_s=0, shot_interval_s=0, shots_after_launch=1,
                               shots_after_monkey=0, max_screenshot_bytes=200, max_logcat_bytes=120)  # fmt: skip
    with FakeAdbServer([phone], PACKAGE) as server:
        out = capture(demo_apk, PACKAGE, tmp_path / "out", settings, server=server.address)
    [entry] = manifest_of(out)["devices"]
    assert entry["screenshots"] == [] and "screenshot 1: more than 200 bytes, left out" in entry["messages"]
    assert "logcat: cut at 120 bytes" in entry["messages"]
    assert len((out / entry["logcat"]).read_bytes()) == 120
    # The crash is still known from the Monkey's own report when logcat was cut before it.
    assert entry["crash"].splitlines()[0] == f"CRASH: {PACKAGE} (pid 4000)" and entry["outcome"] == "failure"


def test_serials_asked_for_that_are_not_there_are_skipped(adb_program, demo_apk, tmp_path):
    phones = [FakeDevice("emulator-5554"), FakeDevice("0A1B", state="unauthorized")]
    with FakeAdbServer(phones, PACKAGE) as server:
        out = capture(demo_apk, PACKAGE, tmp_path / "out", FAST, server=server.address,
                      serials=["0A1B", "emulator-5554", "gone-serial"])  # fmt: skip
    entries = {entry["serial"]: entry for entry in manifest_of(out)["devices"]}
    assert list(entries) == ["0A1B", "emulator-5554", "gone-serial"]
    assert entries["emulator-5554"]["outcome"] == "success"
    assert (entries["0A1B"]["outcome"], entries["0A1B"]["messages"]) == (
        "skipped", ["not captured: the device is unauthorized"])  # fmt: skip
    assert entries["gone-serial"]["messages"] == ["not captured: the device is not connected"]
    assert phones[1].commands == []


def test_the_same_seed_replays_the_same_monkey_run(adb_program, demo_apk, tmp_path):
    phone = FakeDevice("emulator-5554")
    settings = CaptureSettings(events=120, seed=7, throttle_ms=0, launch_wait_s=0, shot_interval_s=0)
    with FakeAdbServer([phone], PACKAGE) as server:
        capture(demo_apk, PACKAGE, tmp_path / "one", settings, server=server.address)
        capture(demo_apk, PACKAGE, tmp_path / "two", settings, server=server.address)
    first, second = monkey_runs(phone)
    assert first == second == f"monkey -p {PACKAGE} -s 7 --throttle 0 --pct-syskeys 0 -v 120"


def test_a_capture_wants_a_folder_of_its_own_and_an_apk(adb_program, demo_apk, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "old.txt").write_text("x")
    with pytest.raises(AdbError, match="not an empty folder"):
        capture(demo_apk, PACKAGE, tmp_path / "used", FAST, server=("127.0.0.1", closed_port()))
    with pytest.raises(AdbError, match=r"^missing\.apk: no such APK file$"):
        capture(tmp_path / "missing.apk", PACKAGE, tmp_path / "out", FAST, server=("127.0.0.1", closed_port()))


# -- a real device -------------------------------------------------------------------------------------


def real_server() -> tuple[str, int] | None:
    """The workstation's own adb server, if one answers; never started from a test."""
    host, port = server_address()
    try:
        with socket.create_connection((host, port), timeout=1):
            return host, port
    except OSError:
        return None


def test_a_capture_on_a_real_device(tmp_path):
    server = real_server()
    if server is None:
        pytest.skip(f"no adb server answers at {':'.join(map(str, server_address()))}, so no real device to capture on")
    need_tool("adb", "adb")
    ready = [d for d in list_devices(server) if d.state == "device"]
    if not ready:
        pytest.skip("the adb server lists no device or emulator in state 'device'")
    apk = CORPUS / "com.politedroid_6.apk"
    if not apk.is_file():
        pytest.skip(f"{apk} is not there (the APK corpus)")
    from reviewer_app.apk.reader import read_apk

    package = read_apk(str(apk)).package
    settings = CaptureSettings(events=50, throttle_ms=50, launch_wait_s=3, shots_after_launch=1, shots_after_monkey=1)
    out = capture(apk, package, tmp_path / "out", settings, server=server)
    entries = manifest_of(out)["devices"]
    assert len(entries) == len(ready)
    for entry in entries:
        assert list(entry) == ENTRY_KEYS
        assert entry["installed"] is True, entry["messages"]
        for shot in entry["screenshots"]:
            assert png_size((out / shot["file"]).read_bytes()) is not None
