"""The command line of background work and its consequences: `worker`, `rescan`, `blocklist`, `recalls`,
`devices`.

Kept apart from cli.py, which parses everything else; `cli.build_parser` adds these parsers."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any

from reviewer_app.domain import BLOCKLIST_KINDS, iso_utc


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "worker",
        parents=[common],
        help="take background jobs (scans) from the database and run them",
        description="A headless worker: takes due jobs from the database (any number of workers on any "
        "machines share them; each job runs once), runs them and stores the results. It also queues a "
        "re-scan of every live app when its engines' signatures, rules or the blocklist change. "
        "Stops on Ctrl+C or SIGTERM after giving back the job in hand.",
    )
    p.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")
    p.add_argument("--concurrency", type=int, default=1, metavar="N", help="jobs at a time (default 1)")
    p.add_argument("--json", action="store_true", help="one JSON line per job run, and a summary")

    p = sub.add_parser("rescan", parents=[common], help="ask the workers to scan submissions' packages again")
    p.add_argument("submission_ids", nargs="+", type=int, metavar="SUBMISSION_ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("blocklist", parents=[common], help="the reputation blocklist (leads)")
    block_sub = p.add_subparsers(dest="blocklist_command", metavar="ACTION", required=True)
    q = block_sub.add_parser("list", parents=[common], help="every blocked APK and certificate")
    q.add_argument("--json", action="store_true")
    for action in ("add", "remove"):
        q = block_sub.add_parser(action, parents=[common], help=f"{action} a SHA-256 of an APK or a certificate")
        q.add_argument("kind", choices=BLOCKLIST_KINDS)
        q.add_argument("sha256", metavar="SHA256")
        if action == "add":
            q.add_argument("--reason", required=True, metavar="TEXT")

    p = sub.add_parser("recalls", parents=[common], help="recall cases opened by re-scans (leads)")
    recall_sub = p.add_subparsers(dest="recalls_command", metavar="ACTION", required=True)
    q = recall_sub.add_parser("list", parents=[common], help="open recall cases (--all: closed ones too)")
    q.add_argument("--all", action="store_true")
    q.add_argument("--json", action="store_true")
    q = recall_sub.add_parser("recall", parents=[common], help="recall the app of a case: it is withdrawn")
    q.add_argument("case_id", type=int, metavar="CASE")
    q.add_argument("--reason", required=True, metavar="TEXT")
    q = recall_sub.add_parser("add", parents=[common], help="recall a live app now (a lead's own case)")
    q.add_argument("package", metavar="PACKAGE")
    q.add_argument("--reason", required=True, metavar="TEXT")
    q = recall_sub.add_parser(
        "rollback", parents=[common], help="withdraw the live version of an app; the one approved before is live again"
    )
    q.add_argument("package", metavar="PACKAGE")
    q.add_argument("--reason", required=True, metavar="TEXT")
    q.add_argument("--json", action="store_true")
    q = recall_sub.add_parser("dismiss", parents=[common], help="close a case and keep the app live")
    q.add_argument("case_id", type=int, metavar="CASE")
    q.add_argument("--note", default="", metavar="TEXT")


def add_device_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("devices", parents=[common], help="device-cloud results and adb captures of a submission")
    device_sub = p.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    q = device_sub.add_parser(
        "import",
        parents=[common],
        help="file a results folder (Firebase Test Lab's layout, or manifest.json) for a submission's package",
        description="Reads a results folder as Firebase Test Lab writes it (one folder per device, "
        "MODEL-API-LOCALE-ORIENTATION, with test_result_*.xml, logcat and artifacts/) or with a manifest.json "
        "(docs/device-results.md), checks the screenshots and files the run whole. Files that cannot be read "
        "are left out with a warning each; a folder that cannot be read at all is refused with one line.",
    )
    q.add_argument("folder", metavar="DIR")
    q.add_argument("--submission", type=int, required=True, metavar="ID")
    q.add_argument("--json", action="store_true", help="one JSON line per device run")
    q = device_sub.add_parser(
        "capture", parents=[common], help="ask a worker beside the phones to capture a submission on adb devices"
    )
    q.add_argument("--submission", type=int, required=True, metavar="ID")


def cmd_devices(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review.devices import enqueue_capture, import_folder, package_of

    if args.devices_command == "capture":
        job_id = enqueue_capture(service, args.submission)
        print(
            f"submission {args.submission}: " + ("capture queued" if job_id is not None else "a capture already waits")
        )
        return 0
    sha, package = package_of(service, args.submission)
    run = import_folder(service.store, sha, args.folder, package, by=service.reviewer, now=service.clock())
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for result in run.results:
        record = result.to_json()
        if args.json:
            _emit(record)
        else:
            state = ", ".join(record["flags"]) or "no flags"
            print(f"{result.device} (Android {result.os_version or '?'}): {result.outcome}, "
                  f"{record['screenshots']} screenshots, {state}")  # fmt: skip
    return 0


def cmd_worker(args: argparse.Namespace, settings: Any) -> int:
    from reviewer_app.review.worker import run_worker

    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)

    def on_job(job: Any) -> None:
        if args.json:
            _emit({"job_id": job.job_id, "kind": job.kind, "reason": job.reason,
                   "submission_id": job.submission_id, "artifact_sha256": job.artifact_sha256})  # fmt: skip
        else:
            print(f"job {job.job_id}: {job.kind} ({job.reason}) of submission {job.submission_id}", flush=True)

    stats = run_worker(settings, stop, concurrency=args.concurrency, once=args.once, on_job=on_job)
    summary = {"jobs": stats.jobs, "rescans_queued": stats.rescans_queued, "errors": stats.errors}
    if args.json:
        _emit({"summary": summary})
    else:
        print(f"{stats.jobs} jobs run, {stats.rescans_queued} re-scans queued, {stats.errors} errors", flush=True)
    return 1 if stats.errors else 0


def cmd_rescan(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.domain import StoreError
    from reviewer_app.review.errors import USER_ERRORS

    handled: tuple[type[Exception], ...] = (StoreError, *USER_ERRORS)
    status = 0
    for submission_id in args.submission_ids:
        try:
            job_id = service.request_scan(submission_id)
        except handled as exc:
            status = 1
            record = {"submission_id": submission_id, "ok": False, "error": str(exc).splitlines()[0], "job_id": None}
        else:
            record = {"submission_id": submission_id, "ok": True, "error": None, "job_id": job_id}
        if args.json:
            _emit(record)
        elif record["ok"]:
            waiting = "queued" if job_id is not None else "a scan already waits"
            print(f"submission {submission_id}: {waiting}")
        else:
            print(f"submission {submission_id}: {record['error']}", file=sys.stderr)
    return status


def cmd_blocklist(args: argparse.Namespace, service: Any) -> int:
    if args.blocklist_command == "list":
        for entry in service.blocklist():
            record = {"kind": entry.kind, "sha256": entry.value, "reason": entry.reason,
                      "added_by": entry.added_by, "added_at": iso_utc(entry.added_at)}  # fmt: skip
            if args.json:
                _emit(record)
            else:
                print(f"{entry.kind:11} {entry.value}  {entry.reason}  ({entry.added_by}, {record['added_at']})")
        return 0
    if args.blocklist_command == "add":
        added = service.block(args.kind, args.sha256, args.reason)
        print("added; the workers re-scan live apps with it" if added else "already on the blocklist")
        return 0
    removed = service.unblock(args.kind, args.sha256)
    print("removed" if removed else "not on the blocklist")
    return 0 if removed else 1


def cmd_recalls(args: argparse.Namespace, service: Any) -> int:
    if args.recalls_command == "list":
        for case in service.recall_cases(include_closed=args.all):
            record = {
                "case_id": case.case_id,
                "package": case.package,
                "version_name": case.version_name,
                "submission_id": case.submission_id,
                "state": case.state,
                "source": case.source,
                "opened_by": case.opened_by,
                "opened_at": iso_utc(case.opened_at),
                "detections": [d for row in case.evidence for d in row.detections],
                "engines": [row.engine for row in case.evidence],
                "closed_by": case.closed_by,
                "note": case.note,
            }
            if args.json:
                _emit(record)
            else:
                found = ", ".join(record["detections"]) or "-"
                print(f"#{case.case_id} {case.state:9} {case.package} {case.version_name or ''}: {found}")
        return 0
    if args.recalls_command == "recall":
        case = service.recall_app(args.case_id, args.reason)
        print(f"#{case.case_id}: {case.package} recalled (withdrawn from the store)")
        return 0
    if args.recalls_command == "add":
        case = service.recall_live_app(args.package, args.reason)
        print(f"#{case.case_id}: {case.package} {case.version_name or ''} recalled (withdrawn from the store)")
        return 0
    if args.recalls_command == "rollback":
        rollback = service.rollback(args.package, args.reason)
        if args.json:
            _emit(rollback.to_json())
        else:
            print(f"{rollback.package}: {rollback.withdrawn_version or '?'} (submission {rollback.withdrawn_submission_id})"
                  f" withdrawn; {rollback.live_version or '?'} (submission {rollback.live_submission_id}) is live again")  # fmt: skip
        return 0
    case = service.dismiss_recall(args.case_id, args.note)
    print(f"#{case.case_id}: dismissed; {case.package} stays live")
    return 0
