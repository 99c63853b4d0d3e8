"""What freezing a decision's evidence costs the decide path: milliseconds per decision with and without it,
on SQLite and on PostgreSQL, and the size of one snapshot.

Each submission carries what a busy one has: a real APK's facts compared with its approved version, three
finished scans of four engines, ten clone candidates, a device run of 20 phones with 5 screenshots each.
A reviewer decides N of them in turn through `ReviewService.decide` (journal, evidence, one round trip on
PostgreSQL); the baseline decides as many with the evidence left out. Starts a throw-away PostgreSQL server
from the installed binaries unless --no-postgresql.

    python bench/decision_evidence.py [--decisions 200] [--no-postgresql]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENGINES = ("clamav", "yara", "android_rules", "reputation")


def busy_submissions(service, count: int) -> list[int]:
    from reviewer_app.apk.reader import read_apk
    from reviewer_app.domain import (
        CloneCandidate,
        CloneResult,
        DeviceResult,
        DeviceScreenshot,
        ScanEngineRow,
    )

    apks = ROOT / "resources" / "demo" / "apks"
    store = service.store
    now = datetime.now(UTC)
    first = read_apk(str(apks / "com.example.notes_1.apk"))
    update = read_apk(str(apks / "com.example.notes_2.apk"))
    folder = Path(tempfile.mkdtemp())
    ids = []
    for n in range(count):
        # An app of its own, its first version approved: the update is compared with it.
        package = f"com.bench.app{n}"
        for version, facts in (("1", first), ("2", update)):
            data = f"busy {n} {version}".encode()
            blob = folder / f"{n}-{version}.apk"
            blob.write_bytes(data)
            facts = dataclasses.replace(facts, package=package, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
            outcome = service.submit_facts(facts, blob, kind="new" if version == "1" else "update", developer="Acme")
            if version == "1":
                service.decide(outcome.submission_id, "approve")
        facts = dataclasses.replace(update, package=package, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
        sha = facts.sha256
        for scan in range(3):
            rows = [ScanEngineRow(e, f"{e} 1.{scan}", f"sig {scan}", "clean", seconds=1.5) for e in ENGINES]
            scan_id = store.start_scan(job_id=None, artifact_sha256=sha, submission_id=None, reason="submitted",
                                       policy="any_clean", engines_expected=4, signatures=f"s{scan}", worker="w",
                                       now=now)  # fmt: skip
            store.finish_scan(scan_id, job_id=None, worker="w", now=now, engines=rows, gate="pass", gate_reason="")
        candidates = tuple(
            CloneCandidate(
                i,
                f"com.other.app{i}",
                f"Notes {i}",
                "Other",
                0.5 - i / 100,
                {"name": 0.7, "icon": 0.4, "package": 0.3, "certificate": "different", "code": 0.1, "resources": 0.2},
            )
            for i in range(10)
        )
        store.save_clone_result(sha, CloneResult("no_match", candidates, now, 1_000_000))
        results = [
            DeviceResult(
                f"phone{d}",
                "success",
                api_level=28 + d % 6,
                installed=True,
                launched=True,
                crashed=False,
                screenshots=tuple(
                    DeviceScreenshot(f"{s}.png", f"{d:02d}{s:02d}" * 16, 1080, 2340, phash="0f" * 8) for s in range(5)
                ),
            )
            for d in range(20)
        ]
        store.add_device_run(sha, source="manifest", label="matrix", results=results, files={}, now=now)
        ids.append(outcome.submission_id)
    return ids


def timed_decisions(service, ids: list[int]) -> list[float]:
    took = []
    for sid in ids:
        start = time.perf_counter()
        outcome = service.decide(sid, "approve")
        took.append((time.perf_counter() - start) * 1000)
        assert outcome.ok, outcome.error
    return took


def run(settings, count: int) -> None:
    from reviewer_app.review import ReviewService
    from reviewer_app.review.evidence import evidence_of

    service = ReviewService(settings)
    try:
        ids = busy_submissions(service, 2 * count + 10)
        timed_decisions(service, ids[:10])  # warm: statements prepared, caches filled
        with_evidence = timed_decisions(service, ids[10 : 10 + count])
        with mock.patch("reviewer_app.review.evidence.evidence_of", return_value=None):
            without = timed_decisions(service, ids[10 + count :])
        frozen = [d for d in service.store.decisions() if d.submission_id in set(ids[10 : 10 + count])]
        sizes = [len(service.store.decision_evidence(d.decision_id)[1] or "") for d in frozen]
        kept = service.store.evidence_count()
        building = []
        for sid in ids[10 : 10 + count]:  # the snapshot alone (read, compare, flag, serialise, hash)
            start = time.perf_counter()
            evidence_of(service, sid, datetime.now(UTC), require_open=False)
            building.append((time.perf_counter() - start) * 1000)
    finally:
        service.close()
    median_with, median_without = statistics.median(with_evidence), statistics.median(without)
    print(f"  with evidence     median {median_with:6.2f} ms  p95 {sorted(with_evidence)[int(0.95 * count)]:6.2f} ms")
    print(f"  without evidence  median {median_without:6.2f} ms  p95 {sorted(without)[int(0.95 * count)]:6.2f} ms")
    print(f"  evidence adds     {median_with - median_without:6.2f} ms a decision")
    print(f"  snapshot alone    median {statistics.median(building):6.2f} ms to read and build")
    print(f"  snapshot          {statistics.median(sizes) / 1024:6.1f} KiB of JSON (median), {kept} kept")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()

    from reviewer_app.config import Settings

    folder = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    print(f"SQLite, {args.decisions} decisions")
    run(Settings(data_dir=folder / "sqlite", reviewer="alice", undo_seconds=0), args.decisions)
    if args.no_postgresql:
        return 0
    from tests.pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL: no server binaries installed, skipped")
        return 0
    server = PgServer(bindir, durable=True)
    server.start()
    try:
        url = server.url(database=server.create_database())
        print(f"PostgreSQL (durable commits), {args.decisions} decisions")
        run(Settings(data_dir=folder / "pg", db_url=url, undo_seconds=0), args.decisions)
    finally:
        server.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
