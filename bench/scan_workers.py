"""Scan workers on PostgreSQL: packages scanned per second with one and with two workers, and the time from
submitting an APK to its scan result being visible to a workstation (target: p95 <= 5 s for an APK under
10 MB).

For each worker count: a fresh database, the workers started as processes (`run_worker`, the code of
`reviewer-app worker`), then
  * throughput: N corpus APKs (under 10 MB) filed at once; seconds until every scan is done -> packages/s;
  * latency: M more APKs filed one at a time, each once the one before is visible, so that the figure is
    what a reviewer waits when the workers are not behind; a workstation's view of it (a second connection
    reading the submission's detail every 50 ms, as the open Scans panel does) decides when it is visible.
Engines: yara, android_rules and clamav (clamscan with two store signature files: the official database is
not installed here; with it, run clamd, since clamscan loads it for every file), and the settings' limits.

    python bench/scan_workers.py [--workers 1,2] [--count 35] [--latency 20] [--db SUPERUSER_URL]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "apks"
SMALL = 10 * 1024 * 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_one_worker(settings, stop) -> None:
    from reviewer_app.review.worker import run_worker

    run_worker(settings, stop, poll_seconds=0.2)


def wait_done(
    service, submission_id: int, known: frozenset[int] | set[int] = frozenset(), timeout: float = 120.0
) -> float:
    """Poll as a workstation would (the submission's detail); the moment a new finished scan is visible.
    `known`: scans of the same file from before (a file filed again is scanned again)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        scans = [scan for scan in service.view(submission_id).detail.scans if scan.scan_id not in known]
        if scans and scans[0].state in ("done", "failed"):
            return time.perf_counter()
        time.sleep(0.05)
    raise TimeoutError(f"submission {submission_id} not scanned within {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--count", type=int, default=35, help="APKs filed at once for the throughput")
    parser.add_argument("--latency", type=int, default=20, help="APKs filed one by one for the latency")
    parser.add_argument("--db", help="superuser URL of an existing server (default: a throw-away server)")
    args = parser.parse_args()

    from reviewer_app.config import ScanSettings, Settings
    from reviewer_app.review import ReviewService, admin

    files = [p for p in sorted(CORPUS.glob("*.apk")) if p.stat().st_size < SMALL]
    # The latency phase files them again (a new submission of a known file is scanned again).
    throughput_files = files[: args.count]
    latency_files = [files[i % len(files)] for i in range(args.latency)]

    server = None
    if args.db:
        base_url = args.db.rsplit("/", 1)[0]
    else:
        from tests.pg_server import PgServer, find_bindir

        server = PgServer(find_bindir(), durable=True)
        server.start()
        base_url = server.url().rsplit("/", 1)[0]
    tmp = Path(tempfile.mkdtemp(prefix="scan-workers-bench-"))
    signatures = tmp / "store-signatures"
    signatures.mkdir()
    (signatures / "bench.hsb").write_text("00" * 32 + ":1:Bench.Hash\n")
    (signatures / "bench.ndb").write_text(f"Bench.Body:0:*:{b'reviewer-app bench marker'.hex()}\n")
    scanning = ScanSettings(engines=("yara", "android_rules", "clamav"))
    scanning = replace(scanning, clamav=replace(scanning.clamav, signatures_dir=str(signatures)))
    print(f"PostgreSQL on loopback ({'--db' if args.db else 'own throw-away server, fsync on'}); engines "
          f"{', '.join(scanning.engines)}; {len(throughput_files)} APKs at once, then {len(latency_files)} one "
          f"by one (corpus APKs under 10 MB); {multiprocessing.cpu_count()} CPUs")  # fmt: skip
    try:
        for count in [int(n) for n in args.workers.split(",")]:
            database = f"bench_workers_{count}_{int(time.time())}"
            if server is not None:
                database = server.create_database()
            else:
                import psycopg

                with psycopg.connect(args.db, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{database}"')
            owner_url = f"{base_url}/{database}"
            owner = Settings(data_dir=tmp / f"owner{count}", db_url=owner_url, scanning=scanning)
            admin.create_roles(owner)
            admin.add_user(owner, "bench_worker", "worker", None)
            intake = ReviewService(owner)
            worker = replace(owner, db_url=owner_url.replace("postgres@", "bench_worker@", 1), reviewer=None)
            ctx = multiprocessing.get_context("spawn")
            stop = ctx.Event()
            processes = [ctx.Process(target=run_one_worker, args=(worker, stop)) for _ in range(count)]
            for process in processes:
                process.start()
            try:
                time.sleep(3.0)  # the workers' engine processes start
                started = time.perf_counter()
                ids = [o.submission_id for o in intake.submit([str(p) for p in throughput_files], kind="new",
                                                              developer="bench") if o.ok]  # fmt: skip
                filed = time.perf_counter() - started
                for sid in ids:
                    wait_done(intake, sid)
                took = time.perf_counter() - started
                latencies = []
                for path in latency_files:
                    sha = hashlib.sha256(path.read_bytes()).hexdigest()
                    known = {scan.scan_id for scan in intake.store.scans(sha)}
                    filing = intake.submit([str(path)], kind="new", developer="bench")
                    outcome = next(filing)  # committed: the clock starts (the parser pool closes after)
                    t_filed = time.perf_counter()
                    if outcome.ok:
                        latencies.append(wait_done(intake, outcome.submission_id, known) - t_filed)
                    list(filing)
                print(f"{count} worker{'s' if count > 1 else ''}: {len(ids)} APKs in {took:.1f} s "
                      f"(filing took {filed:.1f} s of it) = {len(ids) / took:.2f} packages/s; "
                      f"submit -> visible over {len(latencies)}: median {statistics.median(latencies):.2f} s, "
                      f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s")  # fmt: skip
                counts = intake.scan_job_counts()
                print(f"   jobs: {counts}")
            finally:
                stop.set()
                for process in processes:
                    process.join(30)
                    if process.is_alive():
                        process.kill()
                intake.close()
    finally:
        if server is not None:
            server.destroy()
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
