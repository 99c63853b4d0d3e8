"""`audit verify` over a trail of a million events: events checked per second.

Fills the trail with N events whose chain is computed here and bulk-inserted (claims, decisions, releases
and the rest, with details of their usual size), after whatever events the database holds already, then
times `reviewer_app.review.trail.verify` over the whole trail, page by page as the command reads it.
SQLite in a temporary folder by default; `--postgres URL` fills and checks that database instead, as its
owner (PostgreSQL keeps events whose hash the owner gives; anyone else's are chained by its trigger).

    python bench/audit_verify.py [--events 1000000] [--batch 10000] [--postgres URL] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACTORS = [f"reviewer{i:03d}" for i in range(200)]
CHUNK = 20_000


def events(start_id: int, prev_hash: str, count: int, start: datetime):
    """(id, at, actor, action, subject, details, prev_hash, hash) rows, chained; the cycle of a day's work."""
    from reviewer_app.store.chain import canonical_details, event_hash, iso_at

    for n in range(count):
        event_id = start_id + n
        at = start + timedelta(microseconds=137 * n)
        actor = ACTORS[n % len(ACTORS)]
        step = n % 4
        sid = 1 + n // 4
        if step == 0:
            action, details = "claim", {}
        elif step == 1:
            action, details = "decide", {"decision": f"{n:032x}", "verdict": "approve", "reasons": []}
        elif step == 2:
            action, details = "claim", {"from": ACTORS[(n + 1) % len(ACTORS)]}
        else:
            action, details = "release", {}
        subject = f"submission:{sid}"
        text = canonical_details(details)
        digest = event_hash(event_id, iso_at(at), actor, action, subject, text, prev_hash)
        yield (event_id, at, actor, action, subject, text, prev_hash, digest)
        prev_hash = digest


def fill(store, count: int) -> float:
    """Append `count` events after the last one; seconds it took."""
    from sqlalchemy import select

    from reviewer_app.store.chain import GENESIS, TABLE

    columns = ("id", "at", "actor", "action", "subject", "details", "prev_hash", "hash")
    with store.reader.connect() as conn:
        last = conn.execute(select(TABLE.c.id, TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)).first()
    start_id, prev_hash = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    rows = events(start_id, prev_hash, count, datetime.now(UTC) - timedelta(days=30))
    t0 = time.perf_counter()
    if store.backend == "postgresql":
        raw = store.writer.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(f"COPY audit_events ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        batch: list[dict] = []
        with store.writer.begin() as conn:
            for row in rows:
                batch.append(dict(zip(columns, row, strict=True)))
                if len(batch) == CHUNK:
                    conn.execute(TABLE.insert(), batch)
                    batch = []
            if batch:
                conn.execute(TABLE.insert(), batch)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to add (default 1,000,000)")
    parser.add_argument("--batch", type=int, default=10_000, help="events verify reads at a time")
    parser.add_argument("--postgres", metavar="URL", help="an existing database, as its owner")
    parser.add_argument("--keep", metavar="DIR", help="SQLite: keep the database in DIR (and add to it next time)")
    args = parser.parse_args()

    from reviewer_app.review import trail
    from reviewer_app.store import Store

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="audit-bench-"))
    url = args.postgres or f"sqlite:///{folder / 'bench.sqlite3'}"
    store = Store(url, folder / "blobs")
    try:
        seconds = fill(store, args.events)
        print(f"{store.backend}: added {args.events:,} events in {seconds:.1f} s ({args.events / seconds:,.0f}/s)")
        t0 = time.perf_counter()
        check = trail.verify(store, batch=args.batch)
        seconds = time.perf_counter() - t0
    finally:
        store.close()
    print(f"verify: ok={check.ok} events={check.events:,} first_bad_event={check.first_bad_event}")
    print(f"verify: {seconds:.1f} s, {check.events / seconds:,.0f} events/s (pages of {args.batch:,})")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
