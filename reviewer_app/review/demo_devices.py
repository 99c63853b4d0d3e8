"""The demo's device results: a compatibility run of every demo package on five phone models, laid out as
Firebase Test Lab writes it and filed through the same import as a real results folder.

The screens are drawn (there are no phones here), each app in its own colours, so the Devices panel has
something true to its data to show: the wallet crashes on one phone with the system's dialog on screen,
the weather app draws nothing on another, and the Notes update changed its second screen since the approved
version.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

# Test Lab's folder names: MODEL-API-LOCALE-ORIENTATION (Pixel 7, Galaxy S9, Redmi Note 10, Pixel 5,
# and Test Lab's virtual medium phone).
DEVICES = ("cheetah-33-zh_CN-portrait", "starqlteue-29-zh_CN-portrait", "sunny-31-zh_CN-portrait",
           "redfin-30-en-portrait", "MediumPhone.arm-34-en-portrait")  # fmt: skip
SIZE = (540, 1170)  # half a 1080x2340 phone: enough to read, small enough for a demo
CRASHES_ON = {"com.example.wallet": "starqlteue"}
BLANK_ON = {"com.example.weather": "sunny"}
CHANGED_IN_UPDATE = {"com.example.notes": 2}  # the version code whose second screen is new


def file_demo_runs(store: Any, submissions: Sequence[tuple[str, str, str, int]], now: datetime) -> int:
    """(artifact SHA-256, package, label, version code) of each demo submission with a package: one run
    each, filed by the import itself; how many were filed."""
    from reviewer_app.review.devices import import_folder

    filed = 0
    for sha, package, label, version in submissions:
        with tempfile.TemporaryDirectory(prefix="reviewer-demo-devices-") as tmp:
            folder = results_folder(Path(tmp) / f"{package}-{version}", package, label, version)
            import_folder(store, sha, folder, package, by=None, now=now)
            filed += 1
    return filed


def results_folder(root: Path, package: str, label: str, version: int) -> Path:
    for name in DEVICES:
        model = name.split("-")[0]
        device = root / name
        shots = device / "artifacts" / "sdcard" / "screenshots"
        shots.mkdir(parents=True)
        crashes = CRASHES_ON.get(package) == model
        (device / "logcat").write_text(_logcat(package, crashes), encoding="utf-8")
        (device / "test_result_1.xml").write_text(_junit(package, crashes), encoding="utf-8")
        for index, screen in enumerate(("home", "detail", "monkey")):
            image = _screen(package, label, screen, version, model)
            if crashes and screen == "monkey":
                image = _crash_dialog(image, label)
            if BLANK_ON.get(package) == model:
                image = Image.new("RGB", SIZE, (250, 250, 250))
            image.save(shots / f"{index + 1:02d}-{'launch' if screen != 'monkey' else 'monkey'}.png", optimize=True)
    return root


def listing_images(folder: Path, package: str, label: str) -> list[str]:
    """The developer's store-listing images: polished shots of the app's screens, with a caption band."""
    paths = []
    for index, screen in enumerate(("home", "detail")):
        shot = _screen(package, label, screen, 0, "")
        image = Image.new("RGB", (SIZE[0], SIZE[1] + 160), _colour(package))
        image.paste(shot.resize((SIZE[0] - 60, SIZE[1] - 60)), (30, 160))
        ImageDraw.Draw(image).text((30, 50), ("Write it down", "Find it fast")[index], fill="white", font=_font(44))
        path = folder / f"listing-{index + 1}.png"
        image.save(path, optimize=True)
        paths.append(str(path))
    return paths


def _colour(package: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(package.encode()).digest()
    return (40 + digest[0] % 150, 40 + digest[1] % 150, 60 + digest[2] % 160)


def _font(size: int) -> Any:
    return ImageFont.load_default(size)


def _screen(package: str, label: str, screen: str, version: int, model: str) -> Image.Image:
    """An app screen: status bar, toolbar with the app's name, and content that depends on the screen (and,
    for the changed update, on the version)."""
    accent = _colour(package)
    image = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, SIZE[0], 36], fill=tuple(max(0, c - 30) for c in accent))
    draw.text((16, 8), "12:30", fill="white", font=_font(18))
    draw.rectangle([0, 36, SIZE[0], 130], fill=accent)
    draw.text((28, 66), label, fill="white", font=_font(32))
    changed = CHANGED_IN_UPDATE.get(package) == version and screen == "detail"
    if screen == "home" or screen == "monkey":
        for row in range(9):
            top = 160 + row * 100
            draw.ellipse([28, top, 88, top + 60], fill=tuple(min(255, c + 60) for c in accent))
            draw.text((110, top + 6), f"{label} item {row + 1}", fill=(33, 33, 33), font=_font(24))
            draw.text((110, top + 36), "Tap to open", fill=(117, 117, 117), font=_font(18))
        if screen == "monkey":  # Monkey left a menu open
            draw.rectangle([250, 140, 520, 420], fill=(250, 250, 250), outline=(200, 200, 200), width=2)
            for item, text in enumerate(("Settings", "Share", "Help", "About")):
                draw.text((274, 160 + item * 64), text, fill=(33, 33, 33), font=_font(24))
    elif changed:  # the update's new detail screen: a grid of cards instead of text
        for index in range(6):
            left, top = 28 + (index % 2) * 250, 170 + (index // 2) * 300
            draw.rounded_rectangle([left, top, left + 230, top + 270], 18, fill=tuple(min(255, c + 80) for c in accent))
            draw.text((left + 20, top + 220), f"Card {index + 1}", fill=(33, 33, 33), font=_font(22))
    else:
        draw.text((28, 170), f"{label} item 1", fill=(33, 33, 33), font=_font(34))
        for line in range(14):
            draw.rectangle([28, 240 + line * 44, 28 + 300 + (line * 97) % 180, 258 + line * 44], fill=(90, 90, 90))
        draw.rounded_rectangle([28, 960, 512, 1040], 40, fill=accent)
        draw.text((220, 985), "Save", fill="white", font=_font(28))
    draw.text((SIZE[0] - 150, SIZE[1] - 40), model, fill=(190, 190, 190), font=_font(16))
    return image


def _crash_dialog(image: Image.Image, label: str) -> Image.Image:
    """Android's "has stopped" dialog: a dim scrim over the app and a light box in the middle."""
    dimmed = Image.blend(image, Image.new("RGB", SIZE, (0, 0, 0)), 0.6)
    draw = ImageDraw.Draw(dimmed)
    box = [48, 470, SIZE[0] - 48, 700]
    draw.rounded_rectangle(box, 24, fill=(242, 242, 242))
    draw.text((80, 510), f"{label} keeps stopping", fill=(30, 30, 30), font=_font(28))
    draw.text((80, 580), "App info", fill=(30, 30, 30), font=_font(24))
    draw.text((80, 630), "Close app", fill=(30, 30, 30), font=_font(24))
    return dimmed


def _logcat(package: str, crashes: bool) -> str:
    lines = [
        f"11-29 09:12:01.100  1520  1544 I ActivityManager: Start proc 8123:{package}/u0a211 for pre-top-activity",
        f"11-29 09:12:01.900  1520  1570 I ActivityTaskManager: Displayed {package}/.MainActivity: +802ms",
    ]
    if crashes:
        lines += [
            "11-29 09:12:09.301  8123  8123 E AndroidRuntime: FATAL EXCEPTION: main",
            f"11-29 09:12:09.301  8123  8123 E AndroidRuntime: Process: {package}, PID: 8123",
            "11-29 09:12:09.301  8123  8123 E AndroidRuntime: java.lang.IllegalStateException: no biometric "
            "hardware on this device",
            f"11-29 09:12:09.301  8123  8123 E AndroidRuntime: \tat {package}.unlock.BiometricGate.require(BiometricGate.java:41)",
            f"11-29 09:12:09.301  8123  8123 E AndroidRuntime: \tat {package}.MainActivity.onResume(MainActivity.java:88)",
            "11-29 09:12:09.301  8123  8123 E AndroidRuntime: \tat android.app.Activity.performResume(Activity.java:8422)",
        ]
    return "\n".join(lines) + "\n"


def _junit(package: str, crashes: bool) -> str:
    failure = (
        '<failure message="Application crashed">java.lang.IllegalStateException: no biometric hardware</failure>'
        if crashes
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="robo" tests="1" failures="'
        f'{int(crashes)}"><testcase classname="{package}" name="robo_crawl">{failure}</testcase></testsuite>'
        "</testsuites>\n"
    )
