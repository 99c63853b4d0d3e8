"""The quality dashboard over 1,000,000 decisions by 200 reviewers: time to compute and to draw.

Fills a database with about N decisions (default 1,000,000) by 200 reviewers over 400 days: submissions of
the four kinds, numbered in order of filing, about 6% escalated first and then decided by one of 20 leads,
some decided after their deadline, a few still open past it, and about 5% of the decisions audited by a lead
with the auditor's own verdict. Then, on PostgreSQL (a throw-away server started from the installed binaries,
unless --postgres names one) and on SQLite, after ANALYZE: the time `quality()` takes for the last 30 and the
last 365 days by reviewer and by reviewer and kind (first run, then the median of three more), the plans of
PostgreSQL's three aggregates of the decisions, and the time the dashboard takes to compute and show the 30-
and the 365-day reports (offscreen: set the report, process events, grab the widget).

    python bench/quality_dashboard.py [--decisions 1000000] [--postgres URL] [--skip-sqlite] [--skip-postgres]

The bulk load writes the tables directly (COPY on PostgreSQL with each submission's final status set and the
decisions' status triggers off, but their quality facts trigger on; executemany on SQLite where the triggers
move each submission on and keep the facts), as an import would, not through the review workflow; a
million decisions load in a minute or two.

Measured on the 2-core development machine (PostgreSQL 15 on the same two cores as the client, nothing else
running), 998,998 decisions:
PostgreSQL, 30 days (63,041 decisions): 0.09-0.12 s by reviewer or by reviewer and kind; computed and drawn
in 0.11-0.25 s. 365 days (868,308 decisions): 0.65-0.94 s by reviewer, 0.68-0.76 s by reviewer and kind;
computed and drawn in 0.71-0.84 s: within the 1 s target. Before the facts table (each decision joined to
its submission and probed for an earlier final decision) a year took 2.4-3.4 s. SQLite: 0.31 s / 0.58 s for
30 days, 4.1 s / 5.6 s for 365 (one connection, no percentile_cont: the embedded database is one person's).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REVIEWERS = [f"reviewer_{i:03d}" for i in range(200)]
LEADS = REVIEWERS[:20]
KINDS = [("new", 0.30), ("update", 0.50), ("metadata", 0.15), ("sensitive", 0.05)]
VERDICTS = ("approve", "reject", "escalate")


@dataclass
class Data:
    submissions: list[tuple]  # id, kind, submitted_at, deadline, status
    decisions: list[tuple]  # id, submission_id, reviewer, decided_at, verdict (in order of time)
    audits: list[tuple]  # id, decision_id, auditor, audited_at, outcome, verdict


def generate(n_decisions: int, now: datetime, seed: int = 11) -> Data:
    """Submissions and their decisions over 400 days up to `now`; every reviewer has an error rate of
    their own, so agreement and kappa differ between them."""
    rng = random.Random(seed)
    span = timedelta(days=400).total_seconds()
    error_rate = {r: rng.uniform(0.02, 0.25) for r in REVIEWERS}
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    submissions: list[tuple] = []
    decisions: list[tuple] = []
    # Filed in order of time, as the store numbers them; about 1.06 decisions a submission.
    filed = sorted(now - timedelta(seconds=span * (1 - rng.random() ** 1.2)) for _ in range(round(n_decisions / 1.06)))
    for sid, submitted in enumerate(filed, start=1):
        allowance = timedelta(hours=2 if rng.random() < 0.2 else 24)
        deadline = submitted + allowance
        took = timedelta(minutes=min(rng.lognormvariate(5.0, 1.1), 60 * 24 * 5))
        decided = submitted + took
        kind = rng.choices(kinds, weights)[0]
        if decided >= now or rng.random() < 0.0005:  # still waiting, or forgotten past its deadline
            submissions.append((sid, kind, submitted, deadline, "pending"))
            continue
        reviewer = rng.choice(REVIEWERS)
        if rng.random() < 0.06:
            step = submitted + took * 0.4
            decisions.append((str(uuid.UUID(int=rng.getrandbits(128))), sid, reviewer, step, "escalate"))
            reviewer = rng.choice([lead for lead in LEADS if lead != reviewer])
        verdict = "approve" if rng.random() < 0.8 else "reject"
        decisions.append((str(uuid.UUID(int=rng.getrandbits(128))), sid, reviewer, decided, verdict))
        submissions.append((sid, kind, submitted, deadline, "approved" if verdict == "approve" else "rejected"))
    decisions.sort(key=lambda d: d[3])
    audits: list[tuple] = []
    for d in decisions:
        if rng.random() >= 0.05:
            continue
        auditor = rng.choice([lead for lead in LEADS if lead != d[2]])
        wrong = rng.random() < error_rate[d[2]]
        verdict = rng.choice([v for v in VERDICTS if v != d[4]]) if wrong else d[4]
        audited = min(now, d[3] + timedelta(days=rng.uniform(0.5, 10)))
        outcome = "agree" if verdict == d[4] else "disagree"
        audits.append((str(uuid.UUID(int=rng.getrandbits(128))), d[0], auditor, audited, outcome, verdict))
    return Data(submissions, decisions, audits)


def fill_postgres(url: str, data: Data, now: datetime) -> None:
    import psycopg

    from reviewer_app.store import Store

    Store(url, tempfile.mkdtemp(prefix="quality-bench-blobs-")).close()  # migrations
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        conn.execute("SET session_replication_role = replica")  # the decisions' triggers: statuses are set here
        conn.execute(
            "INSERT INTO developers (id, name, tier, created_at) VALUES (1, 'bench', 3, %s) ON CONFLICT DO NOTHING",
            (now,),
        )
        with conn.cursor().copy(
            "COPY submissions (id, kind, developer_id, submitted_at, deadline, status, row_version) FROM STDIN"
        ) as copy:
            for sid, kind, submitted, deadline, status in data.submissions:
                copy.write_row((sid, kind, 1, submitted, deadline, status, 1))
        # The decisions with their quality facts trigger (as in the workflow), not those that move statuses.
        conn.execute("SET session_replication_role = origin")
        for trigger in ("decisions_require_open", "decisions_apply"):
            conn.execute(f"ALTER TABLE decisions DISABLE TRIGGER {trigger}")
        with conn.cursor().copy(
            "COPY decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) FROM STDIN"
        ) as copy:
            for did, sid, reviewer, decided, verdict in data.decisions:
                copy.write_row((did, sid, reviewer, decided, verdict, "[]"))
        for trigger in ("decisions_require_open", "decisions_apply"):
            conn.execute(f"ALTER TABLE decisions ENABLE TRIGGER {trigger}")
        with conn.cursor().copy(
            "COPY audits (id, decision_id, auditor, audited_at, outcome, verdict) FROM STDIN"
        ) as copy:
            for row in data.audits:
                copy.write_row(row)
        conn.execute("SELECT setval('submissions_id_seq', (SELECT max(id) FROM submissions))")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE submissions, decisions, quality_facts, audits, quality_audits")


def fill_sqlite(url: str, path: Path, data: Data, now: datetime) -> None:
    import sqlite3

    from reviewer_app.store import Store

    Store(url, path.parent / "blobs").close()  # migrations

    def text(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("INSERT INTO developers (id, name, tier, created_at) VALUES (1, 'bench', 3, ?)", (text(now),))
    conn.executemany(
        "INSERT INTO submissions (id, kind, developer_id, submitted_at, deadline, status, row_version) "
        "VALUES (?, ?, 1, ?, ?, 'pending', 1)",
        ((sid, kind, text(sub), text(deadline)) for sid, kind, sub, deadline, _ in data.submissions),
    )
    conn.executemany(  # in order of time: the triggers move each submission on, as in the workflow
        "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
        "VALUES (?, ?, ?, ?, ?, '[]')",
        ((did, sid, reviewer, text(decided), verdict) for did, sid, reviewer, decided, verdict in data.decisions),
    )
    conn.executemany(
        "INSERT INTO audits (id, decision_id, auditor, audited_at, outcome, verdict) VALUES (?, ?, ?, ?, ?, ?)",
        ((aid, did, auditor, text(at), outcome, verdict) for aid, did, auditor, at, outcome, verdict in data.audits),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def timed_runs(fn, repeat: int = 3) -> tuple[float, float, object]:
    """(first run's seconds, median of `repeat` more, the last result)."""
    started = time.perf_counter()
    result = fn()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), result


def measure(name: str, url: str, data_dir: Path, now: datetime, draw: bool) -> None:
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService
    from reviewer_app.review.quality import quality

    service = ReviewService(Settings(data_dir=data_dir, db_url=url, reviewer="reviewer_000"), clock=FixedClock(now))
    try:
        for days in (30, 365):
            for by in (("reviewer",), ("reviewer", "kind")):
                start = now - timedelta(days=days)
                first, median, report = timed_runs(lambda s=start, b=by: quality(service, s, now, b))
                team = report.team  # type: ignore[attr-defined]
                print(
                    f"{name}: quality() over {days} days by {'+'.join(by)}: first {first * 1000:.0f} ms, "
                    f"then {median * 1000:.0f} ms (median of 3); {team.decisions} decisions, "
                    f"{len(report.rows)} rows, {team.audited} audited, "  # type: ignore[attr-defined]
                    f"kappa {team.kappa:.3f}, median {team.median_minutes:.0f} min, {team.sla_misses} misses"
                )
        if name == "PostgreSQL":
            print_plan(service, now)
        if draw:
            draw_dashboard(name, service, now)
    finally:
        service.close()


def print_plan(service, now: datetime) -> None:
    """EXPLAIN ANALYZE of the three aggregates of the decisions for the last 365 days by reviewer (the audits
    are a small table of their own now): where the time goes."""
    from sqlalchemy import text

    from reviewer_app.store.quality import GROUP_COLUMNS

    store = service.store
    start = now - timedelta(days=365)
    with store.reader.connect() as conn:
        conn.execute(text("SET work_mem = '64MB'"))
        conn.execute(text("SET jit = off"))
        statements = store._pg_statements(start, now, [GROUP_COLUMNS["reviewer"].label("reviewer")], 0)
        names = ("every decision counted", "each group's median", "the team's median")
        for name, stmt in zip(names, statements, strict=True):
            compiled = stmt.compile(store.reader, compile_kwargs={"literal_binds": True})
            print(f"PostgreSQL plan, 365 days by reviewer, {name}:")
            for row in conn.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {compiled}")):
                print("   ", row[0])


def draw_dashboard(name: str, service, now: datetime) -> None:
    from PySide6.QtWidgets import QApplication

    from reviewer_app.review.quality import quality
    from reviewer_app.ui.quality import QualityDashboard

    app = QApplication.instance() or QApplication([])
    for days, by in (
        (30, ("reviewer",)),
        (30, ("reviewer", "kind")),
        (365, ("reviewer",)),
        (365, ("reviewer", "kind")),
    ):
        started = time.perf_counter()
        report = quality(service, now - timedelta(days=days), now, by)
        computed = time.perf_counter() - started
        dashboard = QualityDashboard(lambda fn, ok, fail: None)
        dashboard.resize(1400, 900)
        dashboard.show()
        app.processEvents()
        started = time.perf_counter()
        dashboard.show_report(report)
        app.processEvents()
        dashboard.grab()
        drawn = time.perf_counter() - started
        started = time.perf_counter()
        dashboard.grab()
        again = time.perf_counter() - started
        print(
            f"{name}: the dashboard shows the {days}-day report by {'+'.join(by)} ({len(report.rows)} rows, "
            f"{len(report.days)} days) in {drawn * 1000:.0f} ms; a repaint takes {again * 1000:.0f} ms; "
            f"computed and drawn in {(computed + drawn) * 1000:.0f} ms"
        )
        dashboard.close()
        dashboard.deleteLater()
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--postgres", metavar="URL", help="superuser URL of an empty database (default: own server)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--no-draw", action="store_true", help="time the computation only")
    args = parser.parse_args()

    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    data = generate(args.decisions, now)
    print(
        f"data: {len(data.decisions)} decisions of {len(data.submissions)} submissions by {len(REVIEWERS)} "
        f"reviewers over 400 days, {len(data.audits)} audits; generated in {time.perf_counter() - started:.1f} s "
        f"({os.cpu_count()} CPUs)"
    )
    tmp = Path(tempfile.mkdtemp(prefix="quality-bench-"))
    if not args.skip_postgres:
        server = None
        url = args.postgres
        if url is None:
            from tests.pg_server import PgServer, find_bindir

            bindir = find_bindir()
            if bindir is None:
                raise SystemExit("no PostgreSQL server binaries: install postgresql or give --postgres URL")
            server = PgServer(bindir)
            server.start()
            url = server.url(database=server.create_database())
        try:
            started = time.perf_counter()
            fill_postgres(url, data, now)
            print(f"PostgreSQL: loaded and analysed in {time.perf_counter() - started:.1f} s")
            measure("PostgreSQL", url, tmp / "pg", now, not args.no_draw)
        finally:
            if server is not None:
                server.destroy()
    if not args.skip_sqlite:
        path = tmp / "quality.sqlite3"
        url = f"sqlite:///{path}"
        started = time.perf_counter()
        fill_sqlite(url, path, data, now)
        print(f"SQLite: loaded and analysed in {time.perf_counter() - started:.1f} s")
        measure("SQLite", url, tmp / "sqlite", now, not args.no_draw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
