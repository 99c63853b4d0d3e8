"""How fast and how lean is `inspect`? Facts of every corpus APK, compared with androguard's AnalyzeAPK.

Prints: files/s and MB/s (in-process and through the capped worker pool), per-file latency p50/p95/max,
peak Python memory per file relative to the APK's size, and the same figures for androguard's full
AnalyzeAPK (DEX analysis) on the same files, with the speed ratio.

    python bench/inspect_corpus.py [--corpus DIR] [--analyze-limit N]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.apk")) + sorted((corpus / "apksig").glob("*.apk"))


def time_each(func, files: list[Path]) -> list[float]:
    times = []
    for path in files:
        started = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - started)
    return times


def peak_ratio(func, files: list[Path]) -> list[tuple[float, Path]]:
    ratios = []
    for path in files:
        gc.collect()
        tracemalloc.start()
        func(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratios.append((peak / max(1, path.stat().st_size), path))
    return ratios


def report(name: str, times: list[float], files: list[Path]) -> None:
    total = sum(times)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(
        f"{name}: {len(files)} files in {total:.2f} s = {len(files) / total:.1f} files/s, {megabytes / total:.1f} MB/s"
    )
    print(
        f"  per file: p50 {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )


def main() -> int:
    default = Path(os.environ.get("REVIEWER_APP_CORPUS", ROOT.parent / "shared" / "corpus" / "apks"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--analyze-limit", type=int, default=0, help="only the first N files for AnalyzeAPK (0: all)")
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    if not files:
        print(f"no APKs under {args.corpus}", file=sys.stderr)
        return 2

    from loguru import logger

    logger.remove()
    from reviewer_app.apk.pool import FactsPool
    from reviewer_app.apk.reader import read_apk

    read_apk(files[0])  # imports and tables loaded once, as in a long-running worker
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {len(files)} APKs, {megabytes:.1f} MB, largest {max(p.stat().st_size for p in files) / 1e6:.1f} MB")

    facts_times = time_each(read_apk, files)
    report("facts (read_apk, one process)", facts_times, files)
    ok = sum(read_apk(p).ok for p in files)
    print(f"  {ok} read as APKs, {len(files) - ok} error records")

    ratios = peak_ratio(read_apk, files)
    big = [r for r in ratios if r[1].stat().st_size >= 100_000]
    worst_ratio, worst = max(ratios)
    print(
        f"  peak Python memory / APK size: median {statistics.median(r for r, _ in ratios):.2f}x, "
        f"p95 {percentile([r for r, _ in ratios], 0.95):.2f}x, max {worst_ratio:.2f}x ({worst.name}, "
        f"{worst.stat().st_size / 1000:.0f} kB); files >= 100 kB: max {max(r for r, _ in big):.2f}x"
    )

    with FactsPool() as pool:
        list(pool.inspect([str(files[0])] * pool.workers))  # workers started and warm
        started = time.perf_counter()
        results = list(pool.inspect([str(p) for p in files]))
        elapsed = time.perf_counter() - started
    print(
        f"facts through FactsPool ({pool.workers} capped workers): {len(files) / elapsed:.1f} files/s, "
        f"{megabytes / elapsed:.1f} MB/s; worker-side p95 "
        f"{percentile([r.parse_seconds or 0 for r in results], 0.95) * 1000:.1f} ms"
    )

    from androguard.misc import AnalyzeAPK

    analyze_files = files[: args.analyze_limit] if args.analyze_limit else files

    def analyze(path: Path) -> None:
        with contextlib.suppress(Exception):
            AnalyzeAPK(str(path))

    analyze_times = time_each(analyze, analyze_files)
    report("androguard AnalyzeAPK (full DEX analysis)", analyze_times, analyze_files)
    same = facts_times[: len(analyze_files)]
    print(
        f"speed ratio AnalyzeAPK / facts on the same {len(analyze_files)} files: "
        f"total {sum(analyze_times) / sum(same):.1f}x, p95 {percentile(analyze_times, 0.95) / percentile(same, 0.95):.1f}x"
    )
    analyze_ratios = peak_ratio(analyze, [p for p in analyze_files if p.stat().st_size >= 100_000][:10])
    if analyze_ratios:
        print(
            f"  AnalyzeAPK peak Python memory / APK size (files >= 100 kB): max {max(r for r, _ in analyze_ratios):.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
