"""How the screenshot checks' thresholds were chosen, and what an import costs.

1. Blank screens: every labelled screen's content coverage (tests/devices/screens.py), per class, and the
   margin BLANK_COVERAGE leaves to the nearest screen on the wrong side.
2. The crash / ANR dialog: every screen's score (the smallest margin of the dialog's conditions, positive for
   a dialog), per class; for each condition, how close the dialogs come to its threshold; and for the normal
   screens nearest to passing, which conditions turn them away.
3. Perceptual hashes: the Hamming distance of the same screen on other phones of one Android version against
   that of different screens (PEER_THRESHOLD), and of the same screen in another run on the same phone (a
   clock, a badge) against different screens (CHANGE_THRESHOLD), with a sweep of thresholds.
4. The time read_results takes for a Test Lab folder of 30 devices x 10 screenshots (1080 x 2340 PNGs).

    python bench/device_checks.py [--devices 30] [--screenshots 10] [--skip-import]
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import imagehash  # noqa: E402

from reviewer_app.devices import checks  # noqa: E402
from reviewer_app.devices import folder as folder_module  # noqa: E402
from reviewer_app.devices.folder import read_results  # noqa: E402
from tests.devices import screens  # noqa: E402


def blank_section(rows: list[tuple[screens.Screen, float, checks.DialogFeatures | None]]) -> None:
    print(f"== blank screens: content coverage (blank below BLANK_COVERAGE = {checks.BLANK_COVERAGE})")
    for label in ("blank", "normal", "dialog"):
        values = sorted((coverage, screen.name) for screen, coverage, _ in rows if screen.label == label)
        print(f"  {label:7s} {len(values):3d} screens  min {values[0][0]:.4f} ({values[0][1]})  "
              f"median {statistics.median(v for v, _ in values):.4f}  max {values[-1][0]:.4f} ({values[-1][1]})")  # fmt: skip
    blank = max((c, s.name) for s, c, _ in rows if s.label == "blank")
    shown = min((c, s.name) for s, c, _ in rows if s.label != "blank")
    print(f"  margin: the most covered blank screen {blank[0]:.4f} ({blank[1]}) is {checks.BLANK_COVERAGE - blank[0]:.4f}"
          f" below; the least covered other screen {shown[0]:.4f} ({shown[1]}) is {shown[0] - checks.BLANK_COVERAGE:.4f}"
          " above")  # fmt: skip
    wrong = [s.name for s, c, _ in rows if (c < checks.BLANK_COVERAGE) != (s.label == "blank")]
    print(f"  on the wrong side: {wrong or 'none'}")


def dialog_section(rows: list[tuple[screens.Screen, float, checks.DialogFeatures | None]]) -> None:
    print("\n== crash / ANR dialog: score = the smallest condition margin (a dialog above 0)")
    scores = {s.name: (f.score() if f else -1.0) for s, _, f in rows}
    for label in ("dialog", "normal", "blank"):
        values = sorted((scores[s.name], s.name) for s, _, _ in rows if s.label == label)
        print(f"  {label:7s} {len(values):3d} screens  min {values[0][0]:+.3f} ({values[0][1]})  "
              f"max {values[-1][0]:+.3f} ({values[-1][1]})")  # fmt: skip
    dialogs = [f for s, _, f in rows if s.label == "dialog" and f is not None]
    print("  per condition, the dialogs' smallest margin (share of the threshold or half the range):")
    for condition in dialogs[0].margins():
        worst = min(f.margins()[condition] for f in dialogs)
        print(f"    {condition:9s} {worst:+.3f}")
    for name, value in (("surround_bright", "BRIGHT_MAX"), ("surround_darker", "DARKER_MIN"), ("solid", "SOLID_MAX"),
                        ("fill", "BOX_FILL"), ("ink", "INK_RANGE")):  # fmt: skip
        measured = [getattr(f, name) for f in dialogs]
        print(f"    dialogs' {name}: {min(measured):.4f} .. {max(measured):.4f} ({value} = {getattr(checks, value)})")
    print("  the normal screens nearest to passing, and what turns them away:")
    near = sorted(((f.score(), s.name, f) for s, _, f in rows if s.label != "dialog" and f is not None), reverse=True)
    for score, name, features in near[:8]:
        failing = {k: round(v, 2) for k, v in features.margins().items() if v <= 0}
        print(f"    {score:+.3f} {name:40s} {failing}")
    wrong = [s.name for s, _, _ in rows if (scores[s.name] > 0) != (s.label == "dialog")]
    print(f"  on the wrong side: {wrong or 'none'}")


def _hash(phone: screens.Phone, name: str, orientation: str, **variant: object) -> imagehash.ImageHash:
    return imagehash.phash(checks.work_image(screens.draw(phone, orientation, name, **variant)))  # type: ignore[arg-type]


def _sweep(alike: list[int], different: list[int], chosen: int) -> None:
    for threshold in range(8, 30, 2):
        false_alarms = sum(d > threshold for d in alike) / len(alike)
        misses = sum(d <= threshold for d in different) / len(different)
        mark = "  <- chosen" if threshold == chosen else ""
        print(
            f"    {threshold:2d}: same screen flagged {false_alarms:6.1%}   different screen missed {misses:6.1%}{mark}"
        )


def hash_section() -> None:
    names = [*screens.NORMAL, *screens.DIALOGS, "white", "spinner_white"]
    print("\n== perceptual hashes (imagehash.phash, 64 bits)")
    hashes = {(p.name, o, n): _hash(p, n, o) for p in screens.PEERS for o in screens.ORIENTATIONS for n in names}
    same = [(int(hashes[("pixel", o, n)] - hashes[(p.name, o, n)]), p.name, o, n)
            for p in screens.PEERS[1:] for o in screens.ORIENTATIONS for n in names]  # fmt: skip
    different = [int(hashes[(p.name, o, a)] - hashes[("pixel", o, b)]) for p in screens.PEERS
                 for o in screens.ORIENTATIONS for a, b in itertools.permutations(names, 2)
                 if screens.family(a) != screens.family(b)]  # fmt: skip
    print(f"  peers: the same screen on {', '.join(p.name for p in screens.PEERS[1:])} against pixel")
    for phone in screens.PEERS[1:]:
        values = sorted(d for d, p, _, _ in same if p == phone.name)
        worst = max((d, n, o) for d, p, o, n in same if p == phone.name)
        print(f"    {phone.name:5s} {phone.width}x{phone.height}: median {statistics.median(values):4.1f}  "
              f"p90 {values[int(len(values) * 0.9)]:2d}  max {worst[0]:2d} ({worst[1]}, {worst[2]})")  # fmt: skip
    print(f"    different screens (other layouts): min {min(different)}  p5 {sorted(different)[len(different) // 20]}"
          f"  median {statistics.median(different)}")  # fmt: skip
    _sweep([d for d, *_ in same], different, checks.PEER_THRESHOLD)
    print("  versions: the same screen in another run on the same phone (another clock, an unread badge)")
    rerun = [int(hashes[(p.name, o, n)] - _hash(p, n, o, clock="9:41", badge=True))
             for p in screens.PHONES for o in screens.ORIENTATIONS for n in names]  # fmt: skip
    changed = [int(hashes[(p.name, o, a)] - hashes[(p.name, o, b)]) for p in screens.PHONES
               for o in screens.ORIENTATIONS for a, b in itertools.combinations(names, 2)
               if screens.family(a) != screens.family(b)]  # fmt: skip
    print(f"    same screen: median {statistics.median(rerun)}  max {max(rerun)};  different screens: min "
          f"{min(changed)}  p5 {sorted(changed)[len(changed) // 20]}")  # fmt: skip
    _sweep(rerun, changed, checks.CHANGE_THRESHOLD)


def import_section(devices: int, per_device: int) -> None:
    print(f"\n== read_results: {devices} devices x {per_device} screenshots, 1080 x 2340 PNGs")
    names = [n for n in screens.NORMAL if not n.startswith("splash")][:per_device]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "matrix"
        started = time.perf_counter()
        total = 0
        for index in range(devices):
            artifacts = root / f"phone{index:02d}-34-en-portrait" / "artifacts"
            artifacts.mkdir(parents=True)
            for shot in range(per_device):
                name = names[shot % len(names)]
                image = screens.draw(screens.PIXEL, "portrait", name, seed=shot, clock=f"10:{index:02d}")
                buffer = io.BytesIO()
                image.save(buffer, "PNG")  # zlib's default level, as screencap writes them
                (artifacts / f"{shot + 1}.png").write_bytes(buffer.getvalue())
                total += buffer.tell()
            (artifacts.parent / "logcat").write_text(
                "11-29 10:00:01.100  1234  1260 I ActivityManager: Start proc 4321:com.example.notes/u0a123 "
                "for activity {com.example.notes/.MainActivity}\n", encoding="utf-8")  # fmt: skip
        print(f"  wrote {devices * per_device} files, {total / 1e6:.0f} MB, in {time.perf_counter() - started:.1f} s")
        started, cpu = time.perf_counter(), time.process_time()
        run = read_results(root, "com.example.notes")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    shots = sum(len(r.screenshots) for r in run.results)
    threads = max(1, min(folder_module.MAX_THREADS, os.cpu_count() or 1))
    print(f"  read {len(run.results)} devices, {shots} screenshots, {len(run.files)} files kept, "
          f"{len(run.warnings)} warnings: {elapsed:.2f} s on {threads} threads ({elapsed / max(shots, 1) * 1000:.0f} ms"
          f" a screenshot), {cpu:.2f} s of CPU ({cpu / max(shots, 1) * 1000:.0f} ms a screenshot)")  # fmt: skip
    file_section(run)


def file_section(run: object) -> None:
    """Filing the run read above for a submission of the demo's Notes app (blob store, rows, red flags)."""
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService
    from reviewer_app.review.devices import file_run

    with tempfile.TemporaryDirectory() as data:
        service = ReviewService(Settings(data_dir=Path(data), reviewer="bench"))
        try:
            apk = ROOT / "resources" / "demo" / "apks" / "com.example.notes_1.apk"
            (outcome,) = service.submit([str(apk)], kind="new", developer="Acme Apps")
            sha = service.store.detail(outcome.submission_id).artifact_sha256
            started = time.perf_counter()
            filed = file_run(service.store, sha, run, by="bench", now=service.clock())  # type: ignore[arg-type]
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            service.view(outcome.submission_id)
            read = time.perf_counter() - started
        finally:
            service.close()
    print(f"  filed run {filed.run_id} on SQLite (blobs, {len(filed.results)} devices' rows, flags): {elapsed:.2f} s; "
          f"a submission's detail with it read back in {read * 1000:.0f} ms")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=30)
    parser.add_argument("--screenshots", type=int, default=10)
    parser.add_argument("--skip-import", action="store_true", help="only the thresholds")
    args = parser.parse_args(argv)
    rows = []
    for screen in screens.labelled():
        work = checks.work_image(screen.image)
        rows.append((screen, checks.content_coverage(work), checks.dialog_features(work)))
    counts = {label: sum(s.label == label for s, _, _ in rows) for label in ("normal", "blank", "dialog")}
    print(
        f"labelled screens: {counts} (each on {len(screens.PHONES)} phones x {len(screens.ORIENTATIONS)} orientations)"
    )
    blank_section(rows)
    dialog_section(rows)
    hash_section()
    if not args.skip_import:
        import_section(args.devices, args.screenshots)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
