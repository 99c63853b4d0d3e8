"""Many reviewers on one PostgreSQL: claims per second, decision commit latency, submissions claimed twice.

Each of N processes is a reviewer workstation connected as its own database user (roles and row-level
security in force) that loops: claim the most urgent submission, decide it. Prints totals and latency
percentiles. Starts a throw-away server from the installed binaries, with its default durability (commits
wait for the disk), unless --db names one (superuser URL). With --rate the processes keep a fixed schedule
instead of going as fast as they can: the latency of a team that is busy but not saturating the machine.

    python bench/claims_postgres.py [--processes 16] [--seconds 10] [--submissions 60000] [--rate N] [--db URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def worker(url: str, data_dir: str, seconds: float, rate: float, phase: float, ready, go, results) -> None:
    """Claim and decide for `seconds`: as fast as it goes, or `rate` cycles a second on a fixed schedule
    (latency then counts from the scheduled start, so falling behind shows instead of hiding)."""
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    service = ReviewService(Settings(data_dir=Path(data_dir), db_url=url))
    for _ in range(5):  # connected, statements prepared, server-side functions compiled: a workstation's steady state
        claim = service.claim_next()
        service.decide(claim.submission_id, "approve")
    claims: list[tuple[int, float]] = []
    decide_latency: list[float] = []
    push_latency: list[float] = []
    ready.put(1)
    go.wait()
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    cycle = 0
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        if rate:
            t0 = start + (cycle + phase) / rate
            cycle += 1
            if t0 > deadline:
                break
            time.sleep(max(0.0, t0 - time.perf_counter()))
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
    cpu = time.process_time() - cpu0
    # the database commit alone, without the local journal: a second, smaller sample
    start = time.perf_counter()
    for cycle in range(50):
        if rate:  # on the same schedule as above
            time.sleep(max(0.0, start + (cycle + phase) / rate - time.perf_counter()))
        claim = service.claim_next()
        if claim is None:
            break
        now = service.clock()
        t0 = time.perf_counter()
        service.store.record_decision(
            decision_id=f"{service.reviewer}-{claim.submission_id}",
            submission_id=claim.submission_id,
            reviewer=service.reviewer,
            verdict="approve",
            reason_codes=(),
            message=None,
            now=now,
            lease=service.lease,
        )
        push_latency.append(time.perf_counter() - t0)
        claims.append((claim.submission_id, 0.0))
    service.close()
    results.put((claims, decide_latency, push_latency, cpu))


def server_cpu_seconds(postmaster: int) -> float:
    """User + system CPU so far of the server: the postmaster and all its children (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == postmaster or int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--submissions", type=int, default=60000)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="claims a second in total on a fixed schedule (default: as fast as it goes)",
    )
    parser.add_argument(
        "--no-fsync",
        action="store_true",
        help="own server with fsync off: commits wait for no disk (compares CPU alone)",
    )
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

        server = PgServer(find_bindir(), durable=not args.no_fsync)
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
        now = datetime.now(UTC)
        intake.store.add_submissions_bulk(
            [
                {
                    "kind": "new",
                    "developer": f"dev{i % 500}",
                    "tier": 1 + i % 5,
                    "package": f"com.bench.p{i}",
                    "submitted_at": now - timedelta(minutes=i % 1440),
                    "deadline": now + timedelta(seconds=i),
                }
                for i in range(args.submissions)
            ]
        )
        print(
            f"server: PostgreSQL on loopback ({'the server given by --db' if args.db else 'own throw-away server, fsync ' + ('off' if args.no_fsync else 'on')}), "
            f"{args.submissions} open submissions, {args.processes} reviewer processes for {args.seconds:.0f} s, "
            + (f"{args.rate:.0f} claims/s scheduled" if args.rate else "as fast as they go")
        )

        ctx = multiprocessing.get_context("spawn")
        results, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        user_url = base_url.replace("postgres@", "{user}@", 1) + "/" + database
        procs = [
            ctx.Process(
                target=worker,
                args=(
                    user_url.format(user=u),
                    str(tmp / u),
                    args.seconds,
                    args.rate / args.processes,
                    i / args.processes,
                    ready,
                    go,
                    results,
                ),
            )
            for i, u in enumerate(users)
        ]
        for p in procs:
            p.start()
        for _ in procs:  # every process connected and warm before the clock starts
            ready.get(timeout=120)
        postmaster = server.postmaster_pid() if server is not None else None
        server_cpu0 = server_cpu_seconds(postmaster) if postmaster else 0.0
        go.set()
        time.sleep(args.seconds)
        server_cpu = server_cpu_seconds(postmaster) - server_cpu0 if postmaster else 0.0
        gathered = [results.get(timeout=args.seconds + 120) for _ in procs]
        for p in procs:
            p.join()
        timed = [c for claims, *_ in gathered for c in claims if c[1] > 0]
        every = [sid for claims, *_ in gathered for sid, _ in claims]
        decide = [d for _, latencies, _, _ in gathered for d in latencies]
        push = [d for _, _, latencies, _ in gathered for d in latencies]
        client_cpu = sum(cpu for *_, cpu in gathered)
        twice = len(every) - len(set(every))
        stored = intake.store.decisions()
        doubled_decisions = len(stored) - len({d.submission_id for d in stored})
        print(
            f"claims: {len(timed)} in {args.seconds:.0f} s = {len(timed) / args.seconds:.0f} claims/s in total "
            f"(each followed by a decision: {len(decide) / args.seconds:.0f} decisions/s)"
        )
        cycles = max(1, len(decide))
        print(
            f"CPU per claim+decision: workstation {client_cpu / cycles * 1000:.2f} ms"
            + (f", server {server_cpu / cycles * 1000:.2f} ms" if postmaster else "")
            + f" ({os.cpu_count()} CPUs shared by all)"
        )
        print(
            f"claim latency: p50 {statistics.median(c[1] for c in timed) * 1000:.1f} ms, "
            f"p99 {percentile([c[1] for c in timed], 0.99) * 1000:.1f} ms"
        )
        print(
            f"decision as the reviewer waits for it (journal + commit): p50 {statistics.median(decide) * 1000:.1f} ms, "
            f"p99 {percentile(decide, 0.99) * 1000:.1f} ms"
        )
        if push:
            print(
                f"decision commit alone: p50 {statistics.median(push) * 1000:.1f} ms, "
                f"p99 {percentile(push, 0.99) * 1000:.1f} ms ({len(push)} samples)"
            )
        print(f"submissions claimed twice: {twice}; submissions with two decisions: {doubled_decisions}")
        intake.close()
        return 0 if twice == 0 and doubled_decisions == 0 else 1
    finally:
        if server is not None:
            server.destroy()


if __name__ == "__main__":
    sys.exit(main())
