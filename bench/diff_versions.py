"""How long does comparing two versions take (`reviewer-app diff`, the update panel's code comparison)?

For the corpus APKs with the most DEX code: seconds to read the facts alone, facts plus DEX classes
(in process), and the whole comparison of a pair through a fresh capped worker pool, as the GUI's parsing
thread runs it (pool start-up included).

    python bench/diff_versions.py [--corpus DIR] [--files N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dex_bytes(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            return sum(
                i.file_size for i in zf.infolist() if i.filename.startswith("classes") and i.filename.endswith(".dex")
            )
    except (zipfile.BadZipFile, OSError):
        return 0


def best_of(runs: int, func) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("REVIEWER_APP_CORPUS", ROOT.parent / "shared" / "corpus" / "apks")),
    )
    parser.add_argument("--files", type=int, default=5, help="how many of the largest-DEX files")
    args = parser.parse_args()

    from reviewer_app.apk import FactsPool, read_apk
    from reviewer_app.apk.diff import diff_versions

    files = sorted((p for p in args.corpus.rglob("*.apk") if dex_bytes(p) > 0), key=dex_bytes, reverse=True)
    files = [p for p in files if read_apk(p).ok][: args.files]
    if len(files) < 2:
        print(f"need at least two readable APKs with DEX code under {args.corpus}")
        return 1
    print(f"{'file':<52} {'DEX MB':>7} {'classes':>8} {'facts s':>8} {'+classes s':>11}")
    for path in files:
        facts_s = best_of(3, lambda path=path: read_apk(path))
        classes = read_apk(path, classes=True).classes or []
        both_s = best_of(3, lambda path=path: read_apk(path, classes=True))
        print(f"{path.name[:52]:<52} {dex_bytes(path) / 1e6:>7.2f} {len(classes):>8} {facts_s:>8.3f} {both_s:>11.3f}")

    old, new = files[1], files[0]
    started = time.perf_counter()
    with FactsPool(workers=2) as pool:
        futures = [pool.submit(p, str(p), classes=True) for p in (old, new)]
        parsed = [pool.result(f, str(p)) for f, p in zip(futures, (old, new), strict=True)]
    diff = diff_versions(*parsed)
    pooled = time.perf_counter() - started
    print(
        f"\npair {old.name} -> {new.name} through a fresh 2-worker pool: {pooled:.2f} s "
        f"(classes added {len(diff.classes_added or [])}, removed {len(diff.classes_removed or [])})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
