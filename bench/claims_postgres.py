"""Many reviewers on one PostgreSQL: claims per second, decision commit latency, submissions claimed twice.

Each of N processes is a reviewer workstation connected as its own database user (roles and row-level
security in force) that loops: claim the most urgent submission, decide it. Prints totals and latency
percentiles. Starts a throw-away server from the installed binaries unless --db names one (superuser URL).

    python bench/claims_postgres.py [--processes 16] [--seconds 10] [--submissions 60000] [--db URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def worker(url: str, data_dir: str, seconds: float, ready, go, results) -> None:
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    service = ReviewService(Settings(data_dir=Path(data_dir), db_url=url))
    service.queue_stats()  # connected and warm
    claims: list[tuple[int, float]] = []
    decide_latency: list[float] = []
    push_latency: list[float] = []
    ready.put(1)
    go.wait()
    deadline = time.time() + seconds
    while time.time() < deadline:
        t0 = time.perf_counter()
        claim = service.claim_next()
        t1 = time.perf_counter()
        if claim is None:
            break
        claims.append((claim.submission_id, t1 - t0))
        outcome = service.decide(claim.submission_id, "approve")
        t2 = time.perf_counter()
        if not outcome.ok:
            raise SystemExit(f"decision failed: {outcome.error}")
        decide_latency.append(t2 - t1)
    # the database commit alone, without the local journal's fsync: a second, smaller sample
    for _ in range(50):
        claim = service.claim_next()
        if claim is None:
            break
        now = service.clock()
        t0 = time.perf_counter()
        service.store.record_decision(decision_id=f"{service.reviewer}-{claim.submission_id}",
                                      submission_id=claim.submission_id, reviewer=service.reviewer,
                                      verdict="approve", reason_codes=(), message=None, now=now, lease=service.lease)
        push_latency.append(time.perf_counter() - t0)
        claims.append((claim.submission_id, 0.0))
    service.close()
    results.put((claims, decide_latency, push_latency))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--submissions", type=int, default=60000)
    parser.add_argument("--db", help="superuser URL of an existing server/database (default: throw-away server)")
    args = parser.parse_args()

    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService, admin

    server = None
    if args.db:
        owner_url = args.db
        base_url = args.db.rsplit("/", 1)[0]
        database = args.db.rsplit("/", 1)[1]
    else:
        from tests.pg_server import PgServer, find_bindir

        server = PgServer(find_bindir())
        server.start()
        database = server.create_database()
        owner_url = server.url(database=database)
        base_url = owner_url.rsplit("/", 1)[0]
    tmp = Path(tempfile.mkdtemp(prefix="claims-bench-"))
    try:
        owner = Settings(data_dir=tmp / "owner", db_url=owner_url)
        admin.create_roles(owner)
        users = [f"bench_reviewer_{i}" for i in range(args.processes)]
        for user in users:
            admin.add_user(owner, user, "reviewer", None)
        intake = ReviewService(owner)
        now = datetime.now(timezone.utc)
        intake.store.add_submissions_bulk([
            dict(kind="new", developer=f"dev{i % 500}", tier=1 + i % 5, package=f"com.bench.p{i}",
                 submitted_at=now - timedelta(minutes=i % 1440), deadline=now + timedelta(seconds=i))
            for i in range(args.submissions)
        ])
        print(f"server: PostgreSQL on loopback, {args.submissions} open submissions, "
              f"{args.processes} reviewer processes for {args.seconds:.0f} s")

        ctx = multiprocessing.get_context("spawn")
        results, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        user_url = base_url.replace("postgres@", "{user}@", 1) + "/" + database
        procs = [
            ctx.Process(target=worker, args=(user_url.format(user=u), str(tmp / u), args.seconds, ready, go, results))
            for u in users
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every process connected and warm before the clock starts
            ready.get(timeout=120)
        go.set()
        gathered = [results.get(timeout=args.seconds + 120) for _ in procs]
        for p in procs:
            p.join()
        timed = [c for claims, _, _ in gathered for c in claims if c[1] > 0]
        every = [sid for claims, _, _ in gathered for sid, _ in claims]
        decide = [d for _, latencies, _ in gathered for d in latencies]
        push = [d for _, _, latencies in gathered for d in latencies]
        twice = len(every) - len(set(every))
        stored = intake.store.decisions()
        doubled_decisions = len(stored) - len({d.submission_id for d in stored})
        print(f"claims: {len(timed)} in {args.seconds:.0f} s = {len(timed) / args.seconds:.0f} claims/s in total "
              f"(each followed by a decision: {len(decide) / args.seconds:.0f} decisions/s)")
        print(f"claim latency: p50 {statistics.median(c[1] for c in timed) * 1000:.1f} ms, "
              f"p99 {percentile([c[1] for c in timed], 0.99) * 1000:.1f} ms")
        print(f"decision (journal fsync + commit): p50 {statistics.median(decide) * 1000:.1f} ms, "
              f"p99 {percentile(decide, 0.99) * 1000:.1f} ms")
        if push:
            print(f"decision commit alone: p50 {statistics.median(push) * 1000:.1f} ms, "
                  f"p99 {percentile(push, 0.99) * 1000:.1f} ms ({len(push)} samples)")
        print(f"submissions claimed twice: {twice}; submissions with two decisions: {doubled_decisions}")
        intake.close()
        return 0 if twice == 0 and doubled_decisions == 0 else 1
    finally:
        if server is not None:
            server.destroy()


if __name__ == "__main__":
    sys.exit(main())
