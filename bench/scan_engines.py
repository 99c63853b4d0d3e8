"""Do the engines really run side by side? Every available engine over the corpus through one ScanRunner.

For each APK: the wall time of the whole scan against the sum and the maximum of the engines' own times
(target: wall <= 1.2 x the slowest engine; the sum is what running them one after the other would cost).
Then the medians, the p95, how many files met the target, and each engine's median time.

Engines: the settings' list (config.toml [scanning]), or --engines; those not installed are skipped with a
warning (reputation is not in the default list: with --engines and no blocklists it finds nothing). ClamAV
needs signatures: the official database where freshclam put it, --clamav-db DIR, or else a small signature
folder written here (two signatures, so that clamscan has something to load); --clamd SOCKET uses a running
clamd instead (clamd remembers the hashes of files it found clean: a second run over the same files measures
that cache).

    python bench/scan_engines.py [FOLDER ...] [--engines NAME,...] [--clamav-db DIR] [--clamd SOCKET] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def apks(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        found += sorted(folder.glob("*.apk")) if folder.is_dir() else [folder]
    return found


def bench_signatures(folder: Path, sample: Path) -> Path:
    """Two signatures of the kinds a store writes: the MD5 of one corpus file, a body signature."""
    data = sample.read_bytes()
    (folder / "bench.hdb").write_text(f"{hashlib.md5(data).hexdigest()}:{len(data)}:Bench.Hash\n")
    (folder / "bench.ndb").write_text(f"Bench.Body:0:*:{b'reviewer-app bench marker'.hex()}\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, help="APK folders or files (default: the corpus)")
    parser.add_argument("--engines", help="comma-separated engine names (default: the settings' list)")
    parser.add_argument("--clamav-db", type=Path, help="a folder of ClamAV signature files")
    parser.add_argument("--clamd", help="a running clamd's socket (default: clamscan)")
    parser.add_argument("--policy", default=None)
    parser.add_argument("--limit", type=int, default=0, help="scan only the first N files")
    args = parser.parse_args(argv)

    from dataclasses import replace

    from reviewer_app.config import load_settings
    from reviewer_app.scanning.clamav import official_databases
    from reviewer_app.scanning.runner import ScanRunner

    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    folders = args.folders or [CORPUS / "apks", CORPUS / "apks" / "apksig", CORPUS / "malware"]
    files = apks(folders)[: args.limit or None]
    if not files:
        print(f"no APKs in {', '.join(map(str, folders))}", file=sys.stderr)
        return 2
    settings = load_settings()
    scanning = settings.scanning
    with tempfile.TemporaryDirectory() as scratch:
        signatures = args.clamav_db
        needs_signatures = not (
            args.clamd or scanning.clamav.socket or official_databases(list(scanning.clamav.database_dirs))
        )
        if signatures is None and scanning.clamav.signatures_dir is None and needs_signatures:
            signatures = bench_signatures(Path(scratch), files[0])
            print(f"clamav: no official database here; a bench signature folder of 2 signatures ({signatures})")
        clamav = replace(
            scanning.clamav,
            socket=args.clamd or scanning.clamav.socket,
            signatures_dir=str(signatures) if signatures else scanning.clamav.signatures_dir,
        )
        settings = replace(settings, scanning=replace(scanning, clamav=clamav))
        names = args.engines.split(",") if args.engines else None
        specs = settings.scan_specs(names)
        policy = args.policy or scanning.policy
        print(f"engines: {', '.join(s.name for s in specs)}; policy {policy}; {len(files)} APKs")
        rows = []
        with ScanRunner(specs, policy) as runner:
            runner.scan(files[0])  # the engines' processes start and load their rules once, outside the figures
            for path in files:
                report = runner.scan(path)
                own = [r.seconds for r in report.results]
                if not own:
                    continue
                rows.append((path, report.seconds, max(own), sum(own), {r.engine: r for r in report.results}))

    print(f"\n{'APK':<48} {'MB':>6} {'wall s':>8} {'max s':>8} {'sum s':>8} {'wall/max':>8}  verdicts")
    for path, wall, slowest, total, results in rows:
        verdicts = " ".join(f"{name}={r.verdict}" for name, r in sorted(results.items()))
        print(
            f"{path.name[:48]:<48} {path.stat().st_size / 1e6:6.2f} {wall:8.3f} {slowest:8.3f} {total:8.3f} "
            f"{wall / max(slowest, 1e-9):8.2f}  {verdicts}"
        )
    walls = [row[1] for row in rows]
    slowest = [row[2] for row in rows]
    sums = [row[3] for row in rows]
    ratios = [w / max(m, 1e-9) for w, m in zip(walls, slowest, strict=True)]
    overheads = [w - m for w, m in zip(walls, slowest, strict=True)]
    met = sum(1 for r in ratios if r <= 1.2)
    print(
        f"\n{len(rows)} APKs: wall {sum(walls):.2f} s in all, slowest engine {sum(slowest):.2f} s, "
        f"engines one after another {sum(sums):.2f} s"
    )
    print(
        f"wall / slowest engine: median {statistics.median(ratios):.2f}, p95 {percentile(ratios, 0.95):.2f}, "
        f"max {max(ratios):.2f}; within 1.2x: {met} of {len(rows)}"
    )
    sizable = [r for r, m in zip(ratios, slowest, strict=True) if m >= 0.02]
    if sizable:  # on a scan of a millisecond, the runner's fixed millisecond is most of the ratio
        print(
            f"  where the slowest engine took >= 20 ms: median {statistics.median(sizable):.2f}, "
            f"max {max(sizable):.2f}; within 1.2x: {sum(1 for r in sizable if r <= 1.2)} of {len(sizable)}"
        )
    print(
        f"wall - slowest engine (the runner's own cost): median {statistics.median(overheads) * 1000:.1f} ms, "
        f"p95 {percentile(overheads, 0.95) * 1000:.1f} ms"
    )
    print(
        f"wall / sum of engines: median {statistics.median(w / max(s, 1e-9) for w, s in zip(walls, sums, strict=True)):.2f}"
    )
    engines = sorted({name for row in rows for name in row[4]})
    for name in engines:
        times = [row[4][name].seconds for row in rows if name in row[4]]
        verdicts: dict[str, int] = {}
        for row in rows:
            if name in row[4]:
                verdict = str(row[4][name].verdict)
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
        print(
            f"  {name}: median {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms; {', '.join(f'{v} {n}' for v, n in sorted(verdicts.items()))}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
