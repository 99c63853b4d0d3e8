"""The Devices panel on a run of 30 devices x 10 screenshots of 1080 x 2340: the longest GUI-thread stall
from showing it until every thumbnail is in (target: <= 50 ms).

Draws the screenshots with Pillow into a temporary folder (app bars, cards, text, and a photo-like band of
noise, so that each PNG is as costly to decode as a real screen: a few hundred KB to a few MB), shows the
panel (offscreen unless a display is set), and prints:
  * the time `show_detail` itself takes (the matrix, the gallery's 300 entries, the decode requests), and
    with the paint that follows it, until the event loop is free again;
  * the longest gap of a 5 ms heartbeat timer from then until every thumbnail is decoded and painted, less
    the 5 ms (the longest the GUI thread was busy in one go), and how long until every thumbnail was in;
  * the same while the panel switches to another submission in the middle (the first one's late
    thumbnails are dropped) and while a screenshot is opened side by side at full size and zoomed.

    python bench/device_panel.py [--devices 30] [--shots 10] [--size 1080x2340] [--threads N] [--grab FILE]
                                 [--folder DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MODELS = ("walleye", "Pixel 7", "SM-G960F", "a10", "redfin", "Nexus5X", "OnePlus8", "M2101K6G", "CPH2127", "V2027")


def draw(job: tuple[str, int, int, int, str]) -> tuple[str, str]:
    """One screen into `path`: (path, sha256). Runs in a worker process."""
    import hashlib
    import random

    from PIL import Image, ImageDraw

    path, seed, width, height, kind = job
    if Path(path).is_file():  # drawn by an earlier run (--folder)
        return path, hashlib.sha256(Path(path).read_bytes()).hexdigest()
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (255, 255, 255) if kind == "blank" else (246, 246, 250))
    if kind != "blank":
        draw_ = ImageDraw.Draw(image)
        draw_.rectangle([0, 0, width, height // 12], fill=(rng.randrange(256), 80, 160))
        image.paste(_band(width, height // 4, seed % 4), (0, height // 12))
        top = height // 12 + height // 4 + 20
        while top < height - 60:
            draw_.rectangle([40, top, width - 40, top + 120], fill=(255, 255, 255), outline=(220, 220, 225))
            for line in range(3):
                draw_.text((70, top + 16 + line * 30), f"Item {seed}-{top} " + "lorem ipsum " * 6, fill=(30, 30, 30))
            top += 150
    image.save(path, "PNG", compress_level=6)
    return path, hashlib.sha256(Path(path).read_bytes()).hexdigest()


_bands: dict[tuple[int, int, int], object] = {}


def _band(width: int, height: int, variant: int):
    """A photo-like band (blurred noise): what makes a real screen's PNG costly to decode. A few per process."""
    from PIL import Image, ImageFilter

    key = (width, height, variant)
    if key not in _bands:
        noise = Image.effect_noise((width, height), 48 + 8 * variant).convert("RGB")
        _bands[key] = noise.filter(ImageFilter.GaussianBlur(2))
    return _bands[key]


def make_detail(folder: Path, devices: int, shots: int, size: tuple[int, int], submission_id: int):
    """A ReviewDetail whose newest run has `devices` x `shots` screenshots drawn into `folder`."""
    from reviewer_app.domain import DeviceScreenshot
    from tests.ui.device_runs import device, review_detail, run

    jobs = []
    for d in range(devices):
        for s in range(shots):
            kind = "blank" if (d % 7 == 3 and s == 4) else "app"
            jobs.append((str(folder / f"{submission_id}-{d:02d}-{s:02d}.png"), submission_id * 10_000 + d * 100 + s,
                         size[0], size[1], kind))  # fmt: skip
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        drawn = list(pool.map(draw, jobs, chunksize=4))
    files = {sha: path for path, sha in drawn}
    results = []
    for d in range(devices):
        screenshots = []
        for s in range(shots):
            _path, sha = drawn[d * shots + s]
            flags = ("blank_screen",) if jobs[d * shots + s][4] == "blank" else ()
            step = "launch" if s < 2 else "monkey"
            screenshots.append(DeviceScreenshot(f"{step}-{s + 1}.png", sha, size[0], size[1], step, flags=flags))
        flagged = tuple(sorted({f for shot in screenshots for f in shot.flags}))
        results.append(device(f"{MODELS[d % len(MODELS)]}-{d}", os_version=str(9 + d % 5), api_level=28 + d % 5,
                              screenshots=tuple(screenshots), flags=flagged))  # fmt: skip
    return review_detail([run(1, results)], device_files=files, submission_id=submission_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=30)
    parser.add_argument("--shots", type=int, default=10)
    parser.add_argument("--size", default="1080x2340")
    parser.add_argument("--threads", type=int, default=None, help="decoding threads (default: the panel's)")
    parser.add_argument("--grab", type=Path, help="save a picture of the panel with every thumbnail in")
    parser.add_argument("--folder", type=Path, help="draw the screenshots here, or use those an earlier run drew")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    assert len(size) == 2

    folder = args.folder or Path(tempfile.mkdtemp(prefix="device-panel-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    first = make_detail(folder, args.devices, args.shots, size, submission_id=1)
    second = make_detail(folder, args.devices, args.shots, size, submission_id=2)
    total_bytes = sum(Path(p).stat().st_size for p in first.device_files.values())
    print(f"2 runs of {args.devices} x {args.shots} screenshots ({len(first.device_files)} distinct files) of {size[0]} x {size[1]} "
          f"({total_bytes / len(first.device_files) / 1024:.0f} KB a PNG), drawn in {time.perf_counter() - started:.1f} s")  # fmt: skip

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from reviewer_app.ui.evidence import DevicesPanel
    from reviewer_app.ui.evidence.device_images import ImageLoader

    app = QApplication.instance() or QApplication([])
    panel = DevicesPanel()
    if args.threads:
        panel.loader.pool.setMaxThreadCount(args.threads)
    print(f"decoding threads: {panel.loader.pool.maxThreadCount()} of {os.cpu_count()} cores")
    panel.resize(1000, 760)
    panel.show()
    app.processEvents()

    stall = {"max": 0.0, "first_beat": 0.0}
    clock = QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setInterval(5)

    def beat() -> None:
        stall["max"] = max(stall["max"], clock.restart() / 1000.0 - 0.005)
        stall["first_beat"] = stall["first_beat"] or time.perf_counter()

    heartbeat.timeout.connect(beat)

    def wait_until(condition, timeout: float = 300.0) -> None:
        loop = QEventLoop()
        check = QTimer()
        check.setInterval(10)
        check.timeout.connect(lambda: loop.quit() if condition() else None)
        check.start()
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        deadline.start(int(timeout * 1000))
        loop.exec()
        check.stop()
        if not condition():
            raise TimeoutError

    def all_in() -> bool:
        return panel.gallery.model.waiting() == 0 and not panel.loader.busy

    def phase(title: str, action, condition) -> None:
        stall["max"] = stall["first_beat"] = 0.0
        clock.start()
        heartbeat.start()
        began = time.perf_counter()
        action()
        call = time.perf_counter() - began
        clock.restart()  # the call's own time is reported on its own
        wait_until(condition)
        heartbeat.stop()
        first = max(stall["first_beat"] - began - 0.005, call)  # the call and the paint that follows it
        print(f"{title}: the call {call * 1000:.1f} ms, the call and its first paint {first * 1000:.1f} ms, "
              f"then longest GUI stall {stall['max'] * 1000:.1f} ms, all in after {time.perf_counter() - began:.2f} s")  # fmt: skip

    loader: ImageLoader = panel.loader
    phase("show 30 x 10", lambda: panel.show_detail(first), all_in)
    loader.thumbnails.clear()

    def switch() -> None:
        panel.show_detail(first)  # the thumbnails start coming...
        QTimer.singleShot(300, lambda: panel.show_detail(second))  # ...and the reviewer moves on

    dropped_before = loader.dropped
    phase("show, then another submission 0.3 s later", switch,
          lambda: panel.submission_id == 2 and all_in())  # fmt: skip
    print(f"  late thumbnails of the first submission dropped: {loader.dropped - dropped_before}")

    entries = panel.gallery.shown_entries()

    def compare() -> None:
        panel.open_in_compare(entries[0])
        panel.compare.set_right(1 if len(panel.compare.choices()) > 1 else 0)

    def compared() -> bool:
        return panel.compare.left.has_image() and panel.compare.right.has_image()

    phase("side by side at full size", compare, compared)
    phase("zoom in x4 and pan", lambda: [panel.compare.zoom_in() for _ in range(6)]
          + [panel.compare.left.verticalScrollBar().setValue(400)], lambda: True)  # fmt: skip
    if args.grab:
        panel.views.setCurrentIndex(0)
        app.processEvents()
        panel.grab().save(str(args.grab))
        print(f"picture: {args.grab}")
    loader.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
