"""Device runs as the store keeps them, with real screenshot files drawn by Pillow: what the Devices panel
tests, its benchmark's smaller cousin and the pictures of the panel are made from."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from reviewer_app.domain import DeviceCrash, DeviceResult, DeviceRun, DeviceScreenshot, SubmissionDetail
from reviewer_app.review import QueueRow, RedFlag, SubmissionView
from reviewer_app.review.detail import ReviewDetail

SHA = "ef" * 32
PREVIOUS_SHA = "0e" * 32
T0 = datetime(2026, 11, 29, 18, 2, tzinfo=UTC)
SCREEN = (108, 234)  # a phone's 1080 x 2340 at a tenth: the tests decode hundreds of them


def draw_screen(path: Path, seed: int, size: Sequence[int] = SCREEN, kind: str = "app") -> str:
    """A phone screen as a PNG: an app bar and cards in colours of `seed` ("app"), all white ("blank"),
    or an app dimmed under the system's crash dialog ("crash_dialog"). Its sha256."""
    width, height = int(size[0]), int(size[1])
    hue = (seed * 47) % 256
    image = Image.new("RGB", (width, height), (255, 255, 255) if kind == "blank" else (245, 245, 250))
    if kind != "blank":
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, 0, width, height // 10], fill=(hue, 90, 200 - hue // 2))
        for card in range(5):
            top = height // 8 + card * height // 6
            draw.rectangle([width // 16, top, width - width // 16, top + height // 8], fill=(220, hue, 120 + card * 20))
            draw.text((width // 10, top + 4), f"{seed}-{card}", fill=(20, 20, 20))
        if kind == "crash_dialog":
            draw.rectangle([0, 0, width, height], fill=(40, 40, 40))
            draw.rectangle([width // 10, height * 2 // 5, width * 9 // 10, height * 3 // 5], fill=(250, 250, 250))
            draw.text((width // 8, height * 2 // 5 + 6), "Notes keeps stopping", fill=(0, 0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", compress_level=1)
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Screens:
    """Draws screenshots into a folder and remembers each file by its hash (ReviewDetail.device_files)."""

    def __init__(self, folder: Path, size: Sequence[int] = SCREEN) -> None:
        self.folder = folder
        self.size = tuple(size)
        self.files: dict[str, str] = {}
        self._seed = 0

    def shot(self, name: str, step: str = "launch", flags: Sequence[str] = (), kind: str = "app") -> DeviceScreenshot:
        self._seed += 1
        path = self.folder / f"{self._seed:04d}-{name}"
        sha = draw_screen(path, self._seed, self.size, kind)
        self.files[sha] = str(path)
        return DeviceScreenshot(
            name=name, sha256=sha, width=self.size[0], height=self.size[1], step=step, flags=tuple(flags)
        )

    def shots(self, count: int, flags_of: dict[int, Sequence[str]] | None = None) -> tuple[DeviceScreenshot, ...]:
        """`count` screens: two at launch, then the monkey's; `flags_of[i]` flags the i-th (a blank screen
        is drawn blank)."""
        shots = []
        for i in range(count):
            flags = tuple((flags_of or {}).get(i, ()))
            step = "launch" if i < 2 else "monkey"
            kind = "blank" if "blank_screen" in flags else "app"
            shots.append(self.shot(f"{step}-{i + 1}.png", step, flags, kind))
        return tuple(shots)

    def listing(self, count: int) -> tuple[str, ...]:
        paths = []
        for index in range(count):
            path = self.folder / f"listing-{index + 1}.png"
            draw_screen(path, 900 + index, self.size)
            paths.append(str(path))
        return tuple(paths)


NPE_STACK = (
    "java.lang.NullPointerException: Attempt to invoke virtual method 'int java.lang.String.length()'",
    "\tat com.example.notes.MainActivity.onCreate(MainActivity.java:42)",
    "\tat android.app.Activity.performCreate(Activity.java:8000)",
)


def device(name: str, outcome: str = "success", **changes) -> DeviceResult:
    values = {
        "device": name,
        "outcome": outcome,
        "brand": "Google",
        "os_version": "13",
        "api_level": 33,
        "locale": "en",
        "orientation": "portrait",
        "virtual": False,
        "installed": True,
        "launched": True,
        "crashed": False,
    }
    values.update(changes)
    return DeviceResult(**values)


def run(run_id: int = 1, results: Sequence[DeviceResult] = (), **changes) -> DeviceRun:
    values = {
        "run_id": run_id,
        "artifact_sha256": SHA,
        "source": "test_lab",
        "label": "matrix-2026-11-29",
        "created_at": T0,
        "created_by": "alice",
        "results": tuple(results),
        "devices_total": len(results),
    }
    values.update(changes)
    return DeviceRun(**values)


def review_detail(
    runs: Sequence[DeviceRun] = (),
    previous: DeviceRun | None = None,
    device_job: str | None = None,
    artifact_sha256: str | None = SHA,
    device_files: dict[str, str] | None = None,
    listing_files: Sequence[str] = (),
    red_flags: Sequence[RedFlag] = (),
    submission_id: int = 9,
) -> ReviewDetail:
    row = QueueRow(
        submission_id=submission_id,
        kind="update" if artifact_sha256 else "metadata",
        package="com.example.notes",
        label="Notes",
        developer="Acme Apps",
        tier=3,
        submitted_at=T0 - timedelta(hours=1),
        deadline=T0 + timedelta(hours=5),
        status="pending",
        claimed_by="alice",
        lease_until=None,
    )
    record = SubmissionDetail(
        row=row,
        artifact_sha256=artifact_sha256,
        facts=None,
        icon_png=None,
        note=None,
        row_version=1,
        previous_artifact_sha256=PREVIOUS_SHA if previous is not None else None,
        device_runs=tuple(runs),
        previous_device_run=previous,
        device_job=device_job,
    )
    return ReviewDetail(
        view=SubmissionView(record, None, None),
        red_flags=tuple(red_flags),
        device_files=dict(device_files or {}),
        listing_files=tuple(listing_files),
    )


def crash(process: str = "com.example.notes", kind: str = "crash", stack: Sequence[str] = NPE_STACK) -> DeviceCrash:
    return DeviceCrash(kind=kind, process=process, stack=tuple(stack))
