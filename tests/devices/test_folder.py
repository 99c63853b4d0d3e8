"""Results folders laid out as Firebase Test Lab writes them and in the manifest format, with real PNGs, JUnit
reports and logcats, read into an ImportedRun; and hostile folders: links, damaged and oversized files,
too many devices or files, malformed manifests."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reviewer_app.devices.checks import CHANGE_THRESHOLD, hamming
from reviewer_app.devices.folder import natural_key, read_results, step_of
from reviewer_app.devices.images import ImageLimits
from reviewer_app.devices.results import ResultsError
from reviewer_app.devices.run import MANIFEST_FORMAT
from tests.devices import screens
from tests.devices.screens import PIXEL, SMALL

PACKAGE = "com.example.notes"

# threadtime format, as `adb logcat -v threadtime` and Test Lab write it: the app starts, another app crashes,
# then the app crashes.
LOGCAT_CRASH = """\
--------- beginning of main
11-29 10:00:00.900  1234  1260 I ActivityManager: Start proc 5555:com.other.app/u0a99 for service {com.other.app/.Sync}
11-29 10:00:01.100  1234  1260 I ActivityManager: Start proc 4321:com.example.notes/u0a123 for pre-top-activity {com.example.notes/com.example.notes.MainActivity}
11-29 10:00:01.900  1234  1280 I ActivityTaskManager: Displayed com.example.notes/.MainActivity: +812ms
11-29 10:00:02.000  5555  5555 E AndroidRuntime: FATAL EXCEPTION: main
11-29 10:00:02.000  5555  5555 E AndroidRuntime: Process: com.other.app, PID: 5555
11-29 10:00:02.000  5555  5555 E AndroidRuntime: java.lang.IllegalStateException: not ours
11-29 10:00:04.200  4321  4321 E AndroidRuntime: FATAL EXCEPTION: main
11-29 10:00:04.200  4321  4321 E AndroidRuntime: Process: com.example.notes, PID: 4321
11-29 10:00:04.200  4321  4321 E AndroidRuntime: java.lang.NullPointerException: Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference
11-29 10:00:04.200  4321  4321 E AndroidRuntime: \tat com.example.notes.EditActivity.onCreate(EditActivity.java:57)
11-29 10:00:04.200  4321  4321 E AndroidRuntime: \tat android.app.Activity.performCreate(Activity.java:8051)
11-29 10:00:04.201  1234  1290 W ActivityTaskManager:   Force finishing activity com.example.notes/.EditActivity
"""

LOGCAT_CLEAN = """\
11-29 10:00:01.100  1234  1260 I ActivityManager: Start proc 4321:com.example.notes/u0a123 for activity {com.example.notes/.MainActivity}
11-29 10:00:01.900  1234  1280 I ActivityManager: Displayed com.example.notes/.MainActivity: +812ms
11-29 10:00:09.000  1234  1260 I ActivityManager: Process com.example.notes (pid 4321) has died: fg TOP
"""

LOGCAT_INSTALL_FAILED = """\
11-29 09:59:58.000  1234  1300 W PackageManager: Package com.example.notes requires newer sdk version #34 (current version is #28)
11-29 09:59:58.010  8888  8888 E adbd    : Failure [INSTALL_FAILED_OLDER_SDK: Requires newer sdk version #34 (current version is #28)]
"""

LOGCAT_ANR = """\
11-29 10:00:01.100  1234  1260 I ActivityManager: Start proc 4321:com.example.notes/u0a123 for activity {com.example.notes/.MainActivity}
11-29 10:00:19.000  1234  1262 E ActivityManager: ANR in com.example.notes (com.example.notes/.MainActivity)
11-29 10:00:19.000  1234  1262 E ActivityManager: PID: 4321
11-29 10:00:19.000  1234  1262 E ActivityManager: Reason: Input dispatching timed out
"""

JUNIT_PASSED = """<?xml version='1.0' encoding='UTF-8' ?>
<testsuites><testsuite name="" tests="1" failures="0" errors="0" skipped="0" time="62.1" timestamp="2026-11-29T10:00:00" hostname="localhost">
<testcase name="sanity_robo" classname="com.google.android.apps.mtaas.robo" time="62.1"/>
</testsuite></testsuites>
"""

JUNIT_FAILED = """<?xml version='1.0' encoding='UTF-8' ?>
<testsuites><testsuite name="" tests="2" failures="1" errors="0" skipped="0" time="40.0">
<testcase name="testOpenNote" classname="com.example.notes.NoteTest" time="3.2"><failure>java.lang.AssertionError: note title not shown
\tat com.example.notes.NoteTest.testOpenNote(NoteTest.java:31)</failure></testcase>
<testcase name="testList" classname="com.example.notes.NoteTest" time="1.0"/>
</testsuite></testsuites>
"""


def device_folder(root: Path, name: str, shots: dict[str, bytes], logcat: str | None = None,
                  junit: str | None = None) -> Path:  # fmt: skip
    folder = root / name
    for relative, data in shots.items():
        path = folder / "artifacts" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    folder.mkdir(parents=True, exist_ok=True)
    if logcat is not None:
        (folder / "logcat").write_text(logcat, encoding="utf-8")
    if junit is not None:
        (folder / "test_result_1.xml").write_text(junit, encoding="utf-8")
    (folder / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")  # walked, never read
    return folder


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG that claims width x height pixels (one compressed row of zeros: the rest is missing)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def by_device(run):
    return {result.device: result for result in run.results}


# -- Test Lab ------------------------------------------------------------------------------------------------


@pytest.fixture
def test_lab(tmp_path) -> Path:
    """Three phones on Android 9: walleye crashes (and its last screen is blank), Pixel2 passes, the
    Galaxy shows the crash dialog where the others show the cards."""
    root = tmp_path / "matrix-2026-11-29"
    device_folder(root, "walleye-28-en-portrait",
                  {"launch-1.png": screens.png("list"), "2.png": screens.png("cards"),
                   "10.png": screens.png("white")},
                  logcat=LOGCAT_CRASH, junit=JUNIT_FAILED)  # fmt: skip
    device_folder(root, "Pixel2-28-en-portrait",
                  {"launch-1.png": screens.png("list"), "2.png": screens.png("cards"),
                   "10.png": screens.png("article")},
                  logcat=LOGCAT_CLEAN, junit=JUNIT_PASSED)  # fmt: skip
    device_folder(root, "SM-G960F-28-zh_CN-portrait",
                  {"launch-1.png": screens.png("list"), "2.png": screens.png("photos"),
                   "10.png": screens.png("article")},
                  logcat=LOGCAT_CLEAN)  # fmt: skip
    return root


def test_a_test_lab_folder_is_read_device_by_device(test_lab):
    run = read_results(test_lab, PACKAGE)
    assert (run.source, run.label, run.package, run.warnings) == ("test_lab", "matrix-2026-11-29", None, ())
    assert [r.device for r in run.results] == ["Pixel2", "SM-G960F", "walleye"]
    devices = by_device(run)
    walleye = devices["walleye"]
    assert (walleye.os_version, walleye.api_level, walleye.locale, walleye.orientation) == ("9", 28, "en", "portrait")
    assert (walleye.installed, walleye.launched, walleye.crashed, walleye.outcome) == (True, True, True, "failure")
    assert [c.process for c in walleye.crashes] == [PACKAGE]  # not the other app's crash
    assert any("EditActivity.java:57" in line for line in walleye.crashes[0].stack)
    assert walleye.messages == (
        "com.example.notes.NoteTest.testOpenNote: java.lang.AssertionError: note title not shown",
    )
    assert walleye.flags == ("crash", "blank_screen", "differs_from_peers")
    pixel = devices["Pixel2"]
    assert (pixel.installed, pixel.launched, pixel.crashed, pixel.outcome, pixel.flags) == (True, True, False,
                                                                                           "success", ())  # fmt: skip
    galaxy = devices["SM-G960F"]  # no JUnit: success from installed, launched and no crash
    assert (galaxy.locale, galaxy.outcome) == ("zh_CN", "success")
    assert [s.flags for s in galaxy.screenshots] == [("differs_from_peers",), (), ()]  # 2.png, 10.png, launch-1.png


def test_screenshots_come_in_natural_order_with_their_step_and_files(test_lab):
    run = read_results(test_lab, PACKAGE)
    walleye = by_device(run)["walleye"]
    assert [(s.name, s.step) for s in walleye.screenshots] == [
        ("2.png", ""),
        ("10.png", ""),
        ("launch-1.png", "launch"),
    ]
    for shot in walleye.screenshots:
        assert (shot.width, shot.height) == (720, 1280)
        assert len(shot.phash) == 16 and int(shot.phash, 16) >= 0
        data = run.files[shot.sha256]
        assert isinstance(data, bytes) and hashlib.sha256(data).hexdigest() == shot.sha256
    # The same list screen on three phones is one file.
    assert len({s.sha256 for r in run.results for s in r.screenshots if s.name == "launch-1.png"}) == 1
    assert len(run.files) == 5  # list, cards, white, article, photos


def test_device_folders_may_sit_directly_in_the_folder(test_lab):
    direct = read_results(test_lab, PACKAGE)
    nested = read_results(test_lab.parent, PACKAGE)  # the matrix folder one level down
    assert nested.label == test_lab.parent.name
    assert [r.device for r in nested.results] == [r.device for r in direct.results]
    assert nested.results[2].flags == direct.results[2].flags


def test_without_a_package_every_crash_counts_and_the_launch_is_unknown(test_lab):
    walleye = by_device(read_results(test_lab))["walleye"]
    assert [c.process for c in walleye.crashes] == ["com.other.app", PACKAGE]
    assert (walleye.installed, walleye.launched, walleye.crashed) == (None, None, True)


def test_install_failure_anr_and_missing_evidence(tmp_path):
    root = tmp_path / "run"
    device_folder(root, "oriole-28-en-portrait", {}, logcat=LOGCAT_INSTALL_FAILED)
    device_folder(root, "redfin-30-en-landscape", {"a.png": screens.png("list", orientation="landscape")},
                  logcat=LOGCAT_ANR)  # fmt: skip
    device_folder(root, "Nexus5-23-de-portrait", {"a.png": screens.png("list")}, junit=JUNIT_PASSED)
    device_folder(root, "Pixel9-99-en-portrait", {})
    devices = by_device(read_results(root, PACKAGE))
    failed = devices["oriole"]
    assert (failed.installed, failed.launched, failed.crashed, failed.outcome) == (False, False, False, "failure")
    assert failed.flags == ("install_failed",)
    assert failed.messages == ("install failed: INSTALL_FAILED_OLDER_SDK",)
    anr = devices["redfin"]
    assert (anr.os_version, anr.orientation, anr.crashed, anr.outcome, anr.flags) == ("11", "landscape", True,
                                                                                     "failure", ("anr",))  # fmt: skip
    no_logcat = devices["Nexus5"]  # the tests passed; nothing says whether it crashed
    assert (no_logcat.installed, no_logcat.launched, no_logcat.crashed, no_logcat.outcome) == (None, None, None,
                                                                                              "success")  # fmt: skip
    unknown = devices["Pixel9"]
    assert (unknown.os_version, unknown.api_level, unknown.outcome, unknown.screenshots) == (None, 99,
                                                                                             "inconclusive", ())  # fmt: skip


def test_bad_files_are_left_out_one_line_each_and_the_rest_is_read(tmp_path):
    root = tmp_path / "run"
    good = screens.png("list")
    folder = device_folder(root, "walleye-28-en-portrait",
                           {"1.png": good, "2.png": good[: len(good) // 2], "3.png": b"not an image at all",
                            "4.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 100},
                           logcat=LOGCAT_CLEAN)  # fmt: skip
    (folder / "test_result_1.xml").write_text("<testsuites><testsuite><testcase>", encoding="utf-8")
    (folder / "artifacts" / "5.png").symlink_to(folder / "artifacts" / "1.png")
    (folder / "artifacts" / "secret.png").symlink_to("/etc/passwd")
    (root / "Pixel2-28-en-portrait").symlink_to(folder)  # a device folder that is a link
    run = read_results(root, PACKAGE)
    [walleye] = run.results
    assert [s.name for s in walleye.screenshots] == ["1.png"]
    lines = dict(line.split(": ", 1) for line in run.warnings)
    assert set(lines) == {
        "Pixel2-28-en-portrait",
        "walleye-28-en-portrait/artifacts/2.png",
        "walleye-28-en-portrait/artifacts/3.png",
        "walleye-28-en-portrait/artifacts/4.jpg",
        "walleye-28-en-portrait/artifacts/5.png",
        "walleye-28-en-portrait/artifacts/secret.png",
        "walleye-28-en-portrait/test_result_1.xml",
    }
    assert lines["Pixel2-28-en-portrait"] == "a symbolic link, not followed"
    assert lines["walleye-28-en-portrait/artifacts/3.png"].startswith("not an image")
    assert lines["walleye-28-en-portrait/artifacts/2.png"].startswith("a damaged image")
    assert lines["walleye-28-en-portrait/test_result_1.xml"].startswith("not well-formed XML")
    assert all("\n" not in line for line in run.warnings)
    # The device carries the lines of its own files; a malformed report leaves the outcome to the logcat.
    assert set(walleye.messages) == {line for line in run.warnings if line.startswith("walleye")}
    assert walleye.outcome == "success"


def test_caps_on_files_and_pixels_leave_that_file_out(tmp_path):
    root = tmp_path / "run"
    big = screens.png("photos", PIXEL)
    device_folder(root, "walleye-28-en-portrait",
                  {"big.png": big, "claims.png": png_header(8_000, 8_000), "ok.png": screens.png("list")})  # fmt: skip
    limits = ImageLimits(max_file_bytes=len(big) - 1)
    run = read_results(root, limits=limits)
    assert [s.name for s in run.results[0].screenshots] == ["ok.png"]
    assert run.warnings == (
        f"walleye-28-en-portrait/artifacts/big.png: {len(big)} bytes, more than the {len(big) - 1} allowed",
        "walleye-28-en-portrait/artifacts/claims.png: 8000x8000 pixels, more than the 40000000 allowed",
    )


@pytest.mark.parametrize(("side", "max_pixels"), [(50_000, 40_000_000), (10_000, 10**9), (20_000, 10**9)])
def test_pillows_decompression_bomb_guard_is_a_warning_line_too(tmp_path, side, max_pixels):
    """Past Pillow's own limit (89 million pixels: a warning; twice that: an error), whatever our cap."""
    root = tmp_path / "run"
    device_folder(root, "walleye-28-en-portrait", {"bomb.png": png_header(side, side)})
    run = read_results(root, limits=ImageLimits(max_pixels=max_pixels))
    assert run.results[0].screenshots == ()
    [line] = run.warnings
    assert line.startswith("walleye-28-en-portrait/artifacts/bomb.png: too many pixels")


def test_folder_wide_caps_refuse_the_whole_folder(tmp_path):
    root = tmp_path / "run"
    for index in range(4):
        device_folder(root, f"phone{index}-28-en-portrait", {"a.png": screens.png("list")})
    with pytest.raises(ResultsError, match=r"^run: 4 devices, more than the 3 allowed$"):
        read_results(root, limits=ImageLimits(max_devices=3))
    with pytest.raises(ResultsError, match=r"^run: more than 10 files and folders, not read$"):
        read_results(root, limits=ImageLimits(max_files_walked=10))
    size = len(screens.png("list"))
    with pytest.raises(ResultsError, match=rf"^run: {4 * size} bytes of results, more than the {3 * size} allowed$"):
        read_results(root, limits=ImageLimits(max_total_bytes=3 * size))


def test_screenshots_past_the_cap_of_a_device_are_left_out(tmp_path):
    root = tmp_path / "run"
    device_folder(root, "walleye-28-en-portrait", {f"{i}.png": screens.png("list") for i in range(1, 13)})
    run = read_results(root, limits=ImageLimits(max_screenshots_per_device=10))
    assert [s.name for s in run.results[0].screenshots] == [f"{i}.png" for i in range(1, 11)]
    assert run.warnings == ("walleye-28-en-portrait: 12 screenshots, only the first 10 read",)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "missing", "not a folder"),
        (lambda tmp: _file(tmp / "file.txt"), "not a folder"),
        (lambda tmp: _folder(tmp / "empty"), "no device results in it"),
        (lambda tmp: _folder(tmp / "other" / "artifacts" / "x"), "no device results in it"),
    ],
)
def test_a_folder_without_devices_is_refused_in_one_line(tmp_path, make, words):
    with pytest.raises(ResultsError, match=words) as caught:
        read_results(make(tmp_path))
    assert "\n" not in str(caught.value)


def _file(path: Path) -> Path:
    path.write_text("x")
    return path


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path.parents[1] if path.name == "x" else path


def test_webp_bmp_and_gif_are_kept_as_png_and_jpeg_and_png_as_they_came(tmp_path):
    image = screens.draw(SMALL, "portrait", "cards")
    jpeg = screens.encoded(image, "JPEG", quality=85)
    grey16 = screens.encoded(Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 257), "PNG")
    root = tmp_path / "run"
    device_folder(root, "walleye-28-en-portrait", {
        "1.webp": screens.encoded(image, "WEBP", quality=80), "2.jpg": jpeg,
        "3.png": screens.encoded(image.convert("P"), "GIF"),  # a GIF named .png: read by what it is
        "4.jpeg": screens.encoded(image, "BMP"), "5.png": grey16,  # 16 bits a pixel: scaled, not clipped
    })  # fmt: skip
    run = read_results(root)
    shots = run.results[0].screenshots
    assert [(s.name, s.width, s.height, s.flags) for s in shots] == [
        (n, 720, 1280, ()) for n in ("1.webp", "2.jpg", "3.png", "4.jpeg", "5.png")]  # fmt: skip
    kept = [run.files[s.sha256] for s in shots]
    assert [bytes(k[:4]) for k in kept] == [b"\x89PNG", b"\xff\xd8\xff\xe0", b"\x89PNG", b"\x89PNG", b"\x89PNG"]
    assert (kept[1], kept[4]) == (jpeg, grey16)
    # One screen in five encodings: never far enough apart to count as changed.
    assert max(hamming(a.phash, b.phash) for a in shots for b in shots) <= CHANGE_THRESHOLD


def test_step_and_order_helpers():
    assert sorted(["10.png", "2.png", "1.png", "b/1.png", "a/10.png"], key=natural_key) == [
        "1.png", "2.png", "10.png", "a/10.png", "b/1.png"]  # fmt: skip
    assert [step_of(p) for p in ("robo/0001.png", "Monkey-3.png", "app_start.png", "launch/1.png", "shot.png")] == [
        "monkey", "monkey", "launch", "launch", ""]  # fmt: skip


# -- the manifest --------------------------------------------------------------------------------------------


def write_manifest(root: Path, document: object) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    text = document if isinstance(document, str) else json.dumps(document)
    (root / "manifest.json").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def capture(tmp_path) -> Path:
    """What the adb capture writes: two emulators and a phone on Android 14."""
    root = tmp_path / "capture-42"
    for folder, second in (("pixel7", "cards"), ("emu", "cards"), ("s23", "photos")):
        (root / folder).mkdir(parents=True)
        (root / folder / "01-launch.png").write_bytes(screens.png("list"))
        (root / folder / "02.png").write_bytes(screens.png(second))
    (root / "pixel7" / "logcat.txt").write_text(LOGCAT_CLEAN, encoding="utf-8")
    devices = [
        {"model": "Pixel 7", "brand": "Google", "os_version": "14", "api_level": 34, "locale": "zh_CN",
         "orientation": "portrait", "virtual": False, "installed": True, "launched": True, "logcat": "pixel7/logcat.txt",
         "screenshots": ["pixel7/01-launch.png", {"file": "pixel7/02.png", "step": "monkey"}]},
        {"model": "sdk_gphone64_x86_64", "os_version": 14, "orientation": "portrait", "virtual": True, "installed": True, "launched": True,
         "crash": "java.lang.IllegalStateException: boom\n\tat com.example.notes.Main.onResume(Main.java:9)",
         "screenshots": ["emu/01-launch.png", "emu/02.png"], "messages": ["disconnected during\nthe Monkey run"]},
        {"model": "Galaxy S23", "os_version": "14", "orientation": "portrait", "installed": False,
         "screenshots": ["s23/01-launch.png", "s23/02.png"]},
    ]  # fmt: skip
    return write_manifest(root, {"format": MANIFEST_FORMAT, "package": PACKAGE, "devices": devices})


def test_a_manifest_folder_is_read(capture):
    run = read_results(capture, "com.ignored")
    assert (run.source, run.label, run.package, run.warnings) == ("manifest", "capture-42", PACKAGE, ())
    pixel, emulator, galaxy = run.results
    assert (pixel.device, pixel.brand, pixel.os_version, pixel.api_level, pixel.locale, pixel.virtual) == (
        "Pixel 7", "Google", "14", 34, "zh_CN", False)  # fmt: skip
    assert (pixel.crashed, pixel.outcome, pixel.flags) == (False, "success", ())  # the logcat says no crash
    assert [(s.name, s.step) for s in pixel.screenshots] == [("01-launch.png", "launch"), ("02.png", "monkey")]
    assert (emulator.os_version, emulator.virtual, emulator.crashed, emulator.outcome) == ("14", True, True, "failure")
    assert emulator.crashes[0].kind == "crash" and emulator.crashes[0].process == PACKAGE
    assert emulator.crashes[0].stack == ("java.lang.IllegalStateException: boom",
                                         "\tat com.example.notes.Main.onResume(Main.java:9)")  # fmt: skip
    assert emulator.messages == ("disconnected during the Monkey run",)
    assert emulator.flags == ("crash", "differs_from_peers")
    assert (galaxy.installed, galaxy.launched, galaxy.crashed, galaxy.outcome) == (False, False, None, "failure")
    # The Galaxy's second screen differs from the two others'; the Pixel's is a Monkey screen, not compared,
    # and with the emulator alone left to compare with, both of those differ.
    assert galaxy.flags == ("install_failed", "differs_from_peers")
    assert [s.flags for s in galaxy.screenshots] == [(), ("differs_from_peers",)]
    assert emulator.screenshots[1].flags == ("differs_from_peers",)


def test_manifest_screenshots_that_are_missing_escape_or_are_links_are_warnings(capture, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(screens.png("list"))
    (capture / "pixel7" / "link.png").symlink_to(outside)
    (capture / "linked").symlink_to(capture / "pixel7")
    document = json.loads((capture / "manifest.json").read_text(encoding="utf-8"))
    document["devices"][0]["screenshots"] += ["pixel7/nothing.png", "../outside.png", str(outside),
                                              "pixel7/link.png", "linked/01-launch.png", "pixel7"]  # fmt: skip
    document["devices"][1]["logcat"] = "emu/logcat.txt"
    write_manifest(capture, document)
    run = read_results(capture)
    assert run.warnings == (
        "pixel7/nothing.png: missing",
        "../outside.png: leads out of the results folder, not read",
        f"{outside}: an absolute path, not read",
        "pixel7/link.png: a symbolic link, not followed",
        "linked/01-launch.png: a symbolic link, not followed",
        "pixel7: not a regular file, not read",
        "emu/logcat.txt: missing",
    )
    assert [s.name for s in run.results[0].screenshots] == ["01-launch.png", "02.png"]
    assert run.results[0].messages == run.warnings[:6]


@pytest.mark.parametrize(
    ("document", "line"),
    [
        ("{not json", "manifest.json: not JSON (Expecting property name enclosed in double quotes: line 1 column 2"),
        ('{"format": NaN}', "manifest.json: not JSON (NaN is not a JSON number)"),
        ([], "manifest.json: expected an object at the top, found a list"),
        ({"devices": []}, f'manifest.json: format: missing (expected "{MANIFEST_FORMAT}")'),
        ({"format": "other/2", "devices": []}, f'manifest.json: format: "other/2" is not "{MANIFEST_FORMAT}"'),
        ({"format": MANIFEST_FORMAT}, "manifest.json: devices: missing"),
        ({"format": MANIFEST_FORMAT, "devices": {}}, "manifest.json: devices: expected a list, found an object"),
        ({"format": MANIFEST_FORMAT, "devices": []}, "manifest.json: devices: empty: expected at least one device"),
        ({"format": MANIFEST_FORMAT, "package": 7, "devices": [{"model": "A"}]},
         "manifest.json: package: expected a string or null, found a number"),
        ({"format": MANIFEST_FORMAT, "devices": ["Pixel"]}, "manifest.json: devices[0]: expected an object, found a string"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A"}, {"brand": "B"}]},
         "manifest.json: devices[1].model: expected a non-empty string of at most 200 characters"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A"}, {"model": "B"}, {"model": "C", "installed": "yes"}]},
         "manifest.json: devices[2].installed: expected true, false or null"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "api_level": "34"}]},
         'manifest.json: devices[0].api_level: expected an API level (an integer from 1 to 1000), found "34"'),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "os_version": True}]},
         "manifest.json: devices[0].os_version: expected a string, a number or null, found true"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "orientation": "sideways"}]},
         'manifest.json: devices[0].orientation: expected one of "portrait", "landscape" or null, found "sideways"'),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "outcome": "passed"}]},
         'manifest.json: devices[0].outcome: expected one of "success", "failure", "inconclusive", "skipped", '
         '"flaky" or null, found "passed"'),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "crash": ["x"]}]},
         "manifest.json: devices[0].crash: expected a string or null, found a list"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "screenshots": "a.png"}]},
         "manifest.json: devices[0].screenshots: expected a list, found a string"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "screenshots": ["a.png", 3]}]},
         'manifest.json: devices[0].screenshots[1]: expected a path or {"file": ..., "step": ...}, found a number'),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "screenshots": [{"file": "a.png", "step": "tap"}]}]},
         'manifest.json: devices[0].screenshots[0].step: expected "launch", "monkey", "" or null, found "tap"'),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "screenshots": [{"step": "launch"}]}]},
         "manifest.json: devices[0].screenshots[0].file: expected a path (a string)"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "messages": ["ok", None]}]},
         "manifest.json: devices[0].messages[1]: expected a string, found null"),
        ({"format": MANIFEST_FORMAT, "devices": [{"model": "A", "virtual": 1}]},
         "manifest.json: devices[0].virtual: expected true, false or null"),
    ],
)  # fmt: skip
def test_a_malformed_manifest_is_refused_whole_in_one_line(tmp_path, document, line):
    write_manifest(tmp_path / "run", document)
    with pytest.raises(ResultsError) as caught:
        read_results(tmp_path / "run")
    assert str(caught.value).startswith(line)
    assert "\n" not in str(caught.value)


def test_a_manifest_with_too_many_devices_or_not_a_file_is_refused(tmp_path):
    write_manifest(tmp_path / "many", {"format": MANIFEST_FORMAT, "devices": [{"model": f"m{i}"} for i in range(6)]})
    with pytest.raises(ResultsError, match=r"^manifest.json: devices: 6 devices, more than the 5 allowed$"):
        read_results(tmp_path / "many", limits=ImageLimits(max_devices=5))
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "manifest.json").symlink_to(tmp_path / "many" / "manifest.json")
    with pytest.raises(ResultsError, match=r"^manifest\.json: not a regular file"):
        read_results(tmp_path / "linked")


def test_a_minimal_manifest_derives_what_it_does_not_say(tmp_path):
    root = write_manifest(tmp_path / "run", {"format": MANIFEST_FORMAT, "devices": [
        {"model": "A", "api_level": 33}, {"model": "B", "installed": True, "launched": True},
        {"model": "C", "launched": False}, {"model": "D", "launched": True, "outcome": "flaky"}]})  # fmt: skip
    a, b, c, d = read_results(root).results
    assert (a.os_version, a.installed, a.crashed, a.outcome, a.flags) == ("13", None, None, "inconclusive", ())
    assert (b.outcome, b.flags) == ("success", ())
    assert (c.outcome, c.flags) == ("inconclusive", ("launch_failed",))
    assert (d.installed, d.outcome) == (True, "flaky")  # what launched was installed; a stated outcome stays
