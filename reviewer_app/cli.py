"""Entry point: the GUI by default, subcommands for scripts (see CLI.md: their JSON names are a promise)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from reviewer_app import __version__, cli_audit, cli_catalog, cli_quality, cli_work
from reviewer_app.domain import KINDS, VERDICTS  # the domain's words; a light module, so --help stays quick


class CliError(Exception):
    """One line for stderr, exit status 2."""


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _error(text: str) -> None:
    """An error line of text mode: on stderr, so stdout carries only results (JSON mode keeps its records)."""
    print(text, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL (env REVIEWER_APP_DB); default: SQLite in the data directory",
    )
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="data directory holding the SQLite file and the blob store (env REVIEWER_APP_DATA)",
    )
    common.add_argument(
        "--reviewer",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="who you are on SQLite (default: the operating-system user)",
    )

    parser = argparse.ArgumentParser(
        prog="reviewer-app",
        description="Review workstation of an Android app store. Without a command, opens the GUI.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reviewer-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("inspect", parents=[common], help="facts of APK files (no database)")
    p.add_argument("apks", nargs="+", metavar="APK")
    p.add_argument("--json", action="store_true", help="one JSON object per line")

    p = sub.add_parser("diff", parents=[common], help="what changed between two versions of an app (no database)")
    p.add_argument("old", metavar="OLD.apk")
    p.add_argument("new", metavar="NEW.apk")
    p.add_argument("--json", action="store_true", help="one JSON object")

    p = sub.add_parser(
        "scan",
        parents=[common],
        help="scan APK files with every enabled malware engine, side by side (no database)",
        description="Scan APK files with every enabled malware engine at once and apply the gate policy. "
        "The flags below override the settings ([scanning] in config.toml) for this run.",
        epilog=SCAN_EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("apks", nargs="+", metavar="APK")
    p.add_argument("--json", action="store_true", help="one JSON object per line, one per file, in input order")
    p.add_argument("--engines", metavar="NAME,...", help="the engines to run, comma-separated (e.g. clamav,yara)")
    p.add_argument(
        "--clamav-db",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of extra ClamAV signature files (.hdb .hsb .ndb .ldb .yar ...); may be repeated",
    )
    p.add_argument(
        "--yara-rules", metavar="DIR", help="a folder of YARA rules (.yar/.yara) instead of the configured one"
    )
    p.add_argument("--policy", metavar="any_clean|all_clean|quorum:N", help="the gate policy for this run")

    p = sub.add_parser("submit", parents=[common], help="file APKs as submissions")
    p.add_argument("apks", nargs="+", metavar="APK")
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--developer", required=True, metavar="NAME")
    p.add_argument("--tier", type=int, choices=range(1, 6), metavar="1-5")
    p.add_argument("--note", metavar="TEXT", help="what the developer changed (metadata submissions)")
    p.add_argument("--listing-image", action="append", default=[], metavar="FILE",
                   help="a store-listing image of the developer's (repeat for several)")  # fmt: skip
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("queue", parents=[common], help="open submissions, most urgent first")
    p.add_argument("--kind", action="append", choices=KINDS, metavar="KIND")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claim", parents=[common], help="claim the most urgent open submission")
    p.add_argument("--kind", action="append", choices=KINDS, metavar="KIND")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("release", parents=[common], help="give a claimed submission back to the queue")
    p.add_argument("submission_id", type=int, metavar="SUBMISSION_ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("decide", parents=[common], help="approve, reject or escalate a submission")
    p.add_argument("submission_id", type=int, metavar="SUBMISSION_ID")
    p.add_argument("--verdict", required=True, choices=VERDICTS)
    p.add_argument("--reason", action="append", default=[], metavar="CODE")
    p.add_argument("--message", metavar="TEXT")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("demo", parents=[common], help="create a demo workspace and open the GUI on it")
    p.add_argument("--no-gui", action="store_true", help="only create the workspace")
    p.add_argument("--reset", action="store_true", help="throw away an existing demo workspace first")

    p = sub.add_parser("db", parents=[common], help="database administration")
    db_sub = p.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="run migrations up to the newest schema")
    db_sub.add_parser("current", parents=[common], help="print the schema revision")
    db_sub.add_parser(
        "create-roles",
        parents=[common],
        help="PostgreSQL: create group roles, grants and row-level security (idempotent)",
    )
    p = db_sub.add_parser("login", parents=[common], help="store the database password in the system keyring")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    p = sub.add_parser("user", parents=[common], help="user administration")
    user_sub = p.add_subparsers(dest="user_command", metavar="USER_COMMAND", required=True)
    p = user_sub.add_parser("add", parents=[common], help="create a user (PostgreSQL: a login role in its group)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=("reviewer", "lead", "admin", "worker"))
    p.add_argument("--password-stdin", action="store_true", help="read the new user's password from standard input")

    p = sub.add_parser("journal", parents=[common], help="decisions waiting in the offline journal")
    p.add_argument("--json", action="store_true")
    cli_work.add_parsers(sub, common)
    cli_work.add_device_parsers(sub, common)
    cli_catalog.add_parsers(sub, common)
    cli_audit.add_parsers(sub, common)
    cli_quality.add_parsers(sub, common)
    return parser


def _settings(args: argparse.Namespace):
    from reviewer_app.config import load_settings

    return load_settings(
        data_dir=getattr(args, "data_dir", None),
        db_url=getattr(args, "db", None),
        reviewer=getattr(args, "reviewer", None),
    )


def _service(args: argparse.Namespace):
    from reviewer_app.review import ReviewService

    return ReviewService(_settings(args))


def cmd_inspect(args: argparse.Namespace) -> int:
    from reviewer_app.apk.pool import FactsPool

    settings = _settings(args)
    failed = False
    with FactsPool(workers=settings.parse_workers, limits=settings.limits) as pool:
        for facts in pool.inspect(args.apks):
            failed |= not facts.ok
            if args.json:
                _emit(facts.to_json())
            else:
                _print_facts(facts)
    return 1 if failed else 0


def _print_facts(facts) -> None:
    from reviewer_app.apk.permissions import is_dangerous

    if not facts.ok:
        _error(f"{facts.file}: error: {facts.error}")
        return
    print(f"{facts.file}")
    print(f"  {facts.label or '-'}  {facts.package}  {facts.version_name or ''} ({facts.version_code})")
    print(f"  SDK min {facts.min_sdk} target {facts.target_sdk}   sha256 {facts.sha256}")
    for s in facts.signers:
        print(f"  signer {s.subject} [{','.join(s.schemes)}] {s.sha256}")
    if not facts.signers:
        print("  signer: none accepted")
    for p in facts.permissions:
        print(f"  permission {p}  [dangerous]" if is_dangerous(p) else f"  permission {p}")
    for w in facts.warnings:
        print(f"  warning: {w}")


def cmd_diff(args: argparse.Namespace) -> int:
    from reviewer_app.apk.diff import diff_versions
    from reviewer_app.apk.pool import FactsPool

    settings = _settings(args)
    with FactsPool(workers=2, limits=settings.limits) as pool:
        futures = [pool.submit(path, path, classes=True) for path in (args.old, args.new)]
        old, new = (pool.result(future, path) for future, path in zip(futures, (args.old, args.new), strict=True))
    diff = diff_versions(old, new)
    if args.json:
        _emit(diff.to_json())
    else:
        _print_diff(diff)
    return 0 if diff.ok else 1


def _quote(value: str | None) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _number(value: int | None) -> str:
    return "none" if value is None else str(value)


def _print_diff(diff) -> None:
    if not diff.ok:
        _error(f"error: {diff.error}")
        return
    print(f"{diff.old_file} -> {diff.new_file}")
    version = f"  version code {diff.old_version_code} → {diff.new_version_code}"
    print(version if diff.version_code_increased else version + "  (did not increase)")
    changes = [
        ("version name", _quote(diff.old_version_name), _quote(diff.new_version_name)),
        ("min SDK", _number(diff.old_min_sdk), _number(diff.new_min_sdk)),
        ("target SDK", _number(diff.old_target_sdk), _number(diff.new_target_sdk)),
        ("label", _quote(diff.old_label), _quote(diff.new_label)),
    ]
    for name, old, new in changes:
        if old != new:
            print(f"  {name} {old} → {new}")
    flags = [
        ("package changed", diff.package_changed),
        ("signer changed", diff.signer_changed),
        ("signing key rotated (proof-of-rotation)", diff.signer_rotated),
        ("icon changed", diff.icon_changed),
    ]
    for text, on in flags:
        if on:
            print(f"  {text}")
    dangerous = set(diff.dangerous_permissions_added or ())
    for item in diff.permissions_added:
        print(f"  permission added: {item}  [dangerous]" if item in dangerous else f"  permission added: {item}")
    for item in diff.permissions_removed:
        print(f"  permission removed: {item}")
    for kind, change in (diff.component_changes or {}).items():
        for what in ("added", "removed"):
            for item in change[what]:
                print(f"  {kind} {what}: {item}")
    for text, items in (("native ABI added", diff.native_abis_added), ("native ABI removed", diff.native_abis_removed)):
        for item in items:
            print(f"  {text}: {item}")
    if diff.classes_added is None:
        print("  classes: not compared (one side's DEX could not be read)")
    else:
        print(f"  classes: {len(diff.classes_added)} added, {len(diff.classes_removed or [])} removed")


SCAN_EXIT_STATUS = """exit status:
  0  every file was scanned and no gate is "block" (a "hold" is not a failure: a person settles it)
  1  a file could not be scanned (missing, unreadable, or no engine gave a verdict on it),
     or an engine found malware in a file (its gate is "block", or any_clean had let it
     pass before the malicious verdict arrived: "malware_after_pass")
  2  a usage or settings error (an unknown engine, a folder that is not there, a bad policy)"""

JUDGED_VERDICTS = ("clean", "malicious", "suspicious")  # an engine that said one of these looked at the file


def cmd_scan(args: argparse.Namespace) -> int:
    import logging
    from pathlib import Path

    from reviewer_app.config import engine_missing
    from reviewer_app.scanning import GatePolicy, PolicyError
    from reviewer_app.scanning.registry import known_engines
    from reviewer_app.scanning.runner import ScanRunner

    settings = _settings(args)
    try:
        policy = GatePolicy.parse(args.policy if args.policy is not None else settings.scanning.policy)
    except PolicyError as exc:
        raise CliError(f"--policy: {exc}") from None
    names = None
    if args.engines is not None:
        names = [name.strip() for name in args.engines.split(",") if name.strip()]
        if not names:
            raise CliError("--engines: no engine named")
        for name in names:
            reason = engine_missing(name)
            if reason is not None:
                raise CliError(f"--engines: {name}: {reason} (known: {', '.join(known_engines())})")
    for folder in [*args.clamav_db, *([args.yara_rules] if args.yara_rules else [])]:
        if not Path(folder).is_dir():
            raise CliError(f"not a folder: {folder}")
    overrides: dict[str, dict[str, Any]] = {}
    if args.clamav_db:
        configured = settings.scanning.clamav.signatures_dir
        extra = [os.path.abspath(folder) for folder in args.clamav_db]
        overrides["clamav"] = {"signatures_dirs": [*([configured] if configured else []), *extra]}
    if args.yara_rules:
        overrides["yara"] = {"rules_dir": os.path.abspath(args.yara_rules)}
    warnings = logging.StreamHandler(sys.stderr)  # engines skipped from the settings' list say so, once
    warnings.setFormatter(logging.Formatter("reviewer-app: warning: %(message)s"))
    config_log = logging.getLogger("reviewer_app.config")
    config_log.addHandler(warnings)
    try:
        specs = settings.scan_specs(names, overrides)
    finally:
        config_log.removeHandler(warnings)
    if not specs:
        raise CliError("no scan engine to run (set scanning.engines in config.toml, or use --engines)")
    failed = False
    with ScanRunner(specs, policy) as runner:
        for path in args.apks:
            report = runner.scan(path)
            judged = report.ok and any(str(r.verdict) in JUDGED_VERDICTS for r in report.results)
            decision = report.decision
            malware = decision is not None and (str(decision.gate) == "block" or bool(decision.malware_after_pass))
            failed |= not judged or malware
            if args.json:
                _emit(report.to_json())
            else:
                _print_scan(report)
    return 1 if failed else 0


def _print_scan(report) -> None:
    if not report.ok:
        _error(f"{report.file}: error: {report.error}")
        return
    decision = report.decision
    late = (
        f"; malware found after it passed: {', '.join(decision.malware_after_pass)}"
        if decision.malware_after_pass
        else ""
    )
    print(f"{report.file}: gate {decision.gate} ({report.policy}: {decision.reason}{late})", flush=True)
    width = max(len(r.engine) for r in report.results)
    for r in report.results:
        found = ", ".join(r.detections) if r.detections else "-"
        versions = "; ".join(v for v in (r.engine_version, r.signatures_version) if v)
        aside = "  (a lookup that found nothing: does not vouch)" if str(r.verdict) == "clean" and not r.vouches else ""
        print(
            f"  {r.engine:<{width}}  {r.verdict:<10} {r.seconds:6.2f} s  {found}"
            + (f"  [{versions}]" if versions else "")
            + aside
        )
        if r.error:
            _error(f"{report.file}: {r.engine}: {r.verdict}: {r.error}")
    sys.stdout.flush()


def cmd_submit(args: argparse.Namespace) -> int:
    service = _service(args)
    failed = False
    try:
        for outcome in service.submit(
            args.apks,
            kind=args.kind,
            developer=args.developer,
            tier=args.tier,
            note=args.note,
            listing_images=args.listing_image,
        ):
            failed |= not outcome.ok
            if args.json:
                _emit(outcome.to_json())
            elif outcome.ok:
                print(
                    f"{outcome.file}: submission {outcome.submission_id}, decision due {outcome.deadline:%Y-%m-%d %H:%M} UTC"
                )
            else:
                _error(f"{outcome.file}: error: {outcome.error}")
    finally:
        service.close()
    return 1 if failed else 0


def cmd_queue(args: argparse.Namespace) -> int:
    from reviewer_app.review import OPEN_STATUSES, format_time_left

    service = _service(args)
    try:
        rows = service.queue(kinds=args.kind, statuses=OPEN_STATUSES)
        now = service.clock()
    finally:
        service.close()
    if not rows and not args.json:
        kinds = f" of kind {', '.join(args.kind)}" if args.kind else ""
        print(f"no open submissions{kinds}")
    for row in rows:
        if args.json:
            _emit(row.to_json())
        else:
            held = f" held by {row.claimed_by}" if row.claimed_by else ""
            print(
                f"{row.submission_id:>7}  {format_time_left(row.deadline - now):>9}  {row.kind:<9} "
                f"{(row.label or '-')[:30]:<30} {row.package or '-'}  {row.developer} ({row.tier}*) {row.status}{held}"
            )
    return 0


def cmd_claim(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        claim = service.claim_next(kinds=args.kind)
    finally:
        service.close()
    from reviewer_app.review import iso_utc

    record = {
        "submission_id": claim.submission_id if claim else None,
        "lease_until": iso_utc(claim.lease_until) if claim else None,
    }
    if args.json:
        _emit(record)
    elif claim:
        print(f"claimed submission {claim.submission_id} until {claim.lease_until:%H:%M} UTC")
    else:
        print("nothing left to claim")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from reviewer_app.review import StoreError

    service = _service(args)
    try:
        released = service.release(args.submission_id)
        error = None if released else f"submission {args.submission_id} is not held by {service.reviewer}"
    except StoreError as exc:
        released, error = False, str(exc)
    finally:
        service.close()
    if args.json:
        _emit({"submission_id": args.submission_id, "ok": released, "error": error})
    elif error:
        _error(f"error: {error}")
    return 0 if released else 1


def cmd_decide(args: argparse.Namespace) -> int:
    service = _service(args)
    try:
        outcome = service.decide(args.submission_id, args.verdict, args.reason, args.message)
    finally:
        service.close()
    if args.json:
        _emit(outcome.to_json())
    elif outcome.ok:
        print(f"submission {outcome.submission_id}: {outcome.status} (decision {outcome.decision_id})")
    else:
        _error(f"error: {outcome.error}")
    return 0 if outcome.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from reviewer_app.review.demo import create_demo_workspace, demo_settings

    if not args.no_gui:
        _require_display()  # before the workspace is made, so that the error is all that happens
    settings = demo_settings(
        _settings(args),
        explicit_data_dir=getattr(args, "data_dir", None) is not None,
        explicit_db=getattr(args, "db", None) is not None,
    )
    summary = create_demo_workspace(settings, reset=args.reset)
    print(f"demo workspace: {settings.data_dir} ({summary})", file=sys.stderr)
    print(f"the command line on it: {_workspace_command(settings)} queue", file=sys.stderr)
    if args.no_gui:
        return 0
    return _run_gui(settings)


def _workspace_command(settings) -> str:
    """`reviewer-app` with the flags that point it at this workspace (a database password is masked)."""
    words = ["reviewer-app"]
    if settings.db_url:
        words += ["--db", _masked_url(settings.db_url)]
    words += ["--data-dir", str(settings.data_dir)]
    return shlex.join(words)


def _masked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def _read_password(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for a password: use --password-stdin")
    import getpass

    return getpass.getpass(prompt)


def cmd_db(args: argparse.Namespace) -> int:
    from reviewer_app.review import admin

    settings = _settings(args)
    if args.db_command == "upgrade":
        before, after = admin.upgrade_database(settings)
        print(f"schema {before or 'empty'} -> {after}" if before != after else f"schema is up to date ({after})")
    elif args.db_command == "current":
        print(admin.current_revision(settings) or "empty")
    elif args.db_command == "create-roles":
        admin.create_roles(settings)
        print(
            "roles reviewer_app_reviewer, reviewer_app_lead, reviewer_app_admin, grants and row-level security are in place"
        )
    elif args.db_command == "login":
        from reviewer_app.credentials import account, save_password

        if account(settings.database_url) is None:
            raise CliError("the embedded SQLite database needs no password")
        password = _read_password(args.password_stdin, f"password for {account(settings.database_url)}: ")
        user = admin.check_login(settings, password)
        save_password(settings.database_url, password)
        print(f"password for {user} stored in the system keyring")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from reviewer_app.review import admin

    settings = _settings(args)
    password = _read_password(True, "") if args.password_stdin else None
    print(admin.add_user(settings, args.name, args.role, password))
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cmd_journal(args: argparse.Namespace) -> int:
    from reviewer_app.review import DatabaseUnavailable, local_journal_status

    try:
        service = _service(args)
    except DatabaseUnavailable as exc:  # what waits can still be told
        status = local_journal_status(_settings(args), exc)
    else:
        try:
            status = service.flush_journal()
        finally:
            service.close()
    record = {
        "online": status.online,
        "pending": status.pending,
        "undos_waiting": status.undos,
        "conflicts": [
            {"decision_id": c.decision_id, "submission_id": c.submission_id, "verdict": c.verdict, "error": c.error}
            for c in status.conflicts
        ],
    }
    if args.json:
        _emit(record)
    else:
        why = f" ({status.offline_error})" if not status.online and status.offline_error else ""
        undos = f", {_count(status.undos, 'undo')} for the audit trail" if status.undos else ""
        print(
            f"{'online' if status.online else 'offline' + why}: {_count(status.pending, 'decision')} waiting"
            f"{undos}, {_count(len(status.conflicts), 'conflict')}"
        )
        for c in status.conflicts:
            print(f"  submission {c.submission_id} ({c.verdict}): {c.error}")
    return 0 if status.pending == 0 and not status.conflicts else 1


# Qt platforms that draw without a display server (QT_QPA_PLATFORM; "offscreen" is the one for servers and CI).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "eglfs", "linuxfb", "vnc", "vkkhrdisplay"})
NO_DISPLAY = "no display to open the GUI on: set DISPLAY/WAYLAND_DISPLAY, or QT_QPA_PLATFORM=offscreen"


def display_missing(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True where Qt would abort for want of a display: Linux without DISPLAY or WAYLAND_DISPLAY, and no
    QT_QPA_PLATFORM that draws without one. Decided from the environment alone, before Qt is imported."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return False
    wanted = [name.split(":", 1)[0].strip().lower() for name in environ.get("QT_QPA_PLATFORM", "").split(";")]
    return not any(name in HEADLESS_PLATFORMS for name in wanted)


def _require_display() -> None:
    if display_missing():
        raise CliError(NO_DISPLAY)


def _run_gui(settings) -> int:
    _require_display()
    try:
        from reviewer_app.ui.app import UnsupportedBinding, run_gui
    except ImportError as exc:
        raise CliError(f"the GUI cannot start: {exc}") from None
    try:
        return run_gui(settings)
    except UnsupportedBinding as exc:
        raise CliError(f"the GUI cannot start: {exc}") from None


def cmd_worker(args: argparse.Namespace) -> int:
    if args.concurrency < 1:
        raise CliError("--concurrency: must be 1 or more")
    return cli_work.cmd_worker(args, _settings(args))


def _with_service(command):
    def run(args: argparse.Namespace) -> int:
        service = _service(args)
        try:
            return command(args, service)
        finally:
            service.close()

    return run


COMMANDS = {
    "inspect": cmd_inspect,
    "diff": cmd_diff,
    "scan": cmd_scan,
    "submit": cmd_submit,
    "queue": cmd_queue,
    "claim": cmd_claim,
    "release": cmd_release,
    "decide": cmd_decide,
    "demo": cmd_demo,
    "db": cmd_db,
    "user": cmd_user,
    "journal": cmd_journal,
    "worker": cmd_worker,
    "rescan": _with_service(cli_work.cmd_rescan),
    "blocklist": _with_service(cli_work.cmd_blocklist),
    "recalls": _with_service(cli_work.cmd_recalls),
    "devices": _with_service(cli_work.cmd_devices),
    "clones": _with_service(cli_catalog.cmd_clones),
    "catalog": _with_service(cli_catalog.cmd_catalog),
    "brands": _with_service(cli_catalog.cmd_brands),
    "audit": _with_service(cli_audit.cmd_audit),
    "quality": _with_service(cli_quality.cmd_quality),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from reviewer_app.config import ConfigError
    from reviewer_app.review.errors import USER_ERRORS

    handled: tuple[type[Exception], ...] = (CliError, ConfigError, *USER_ERRORS)
    try:
        if args.command is None:
            _require_display()
            return _run_gui(_settings(args))
        return COMMANDS[args.command](args)
    except handled as exc:
        print(f"reviewer-app: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
