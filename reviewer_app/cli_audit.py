"""The command line of the audit trail: `audit verify` (CLI.md's names) and `audit trail`.

Kept apart from cli.py, which parses everything else; `cli.build_parser` adds these parsers. `audit` is a
group of its own, so that the lead's other audit commands (`audit sample`) join it as siblings."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from reviewer_app import cli_audits
from reviewer_app.cli_work import _emit
from reviewer_app.domain import AUDIT_ACTIONS, AuditEvent, iso_utc

VERIFY_EXIT_STATUS = """exit status:
  0  every event is as it was written, in its place
  1  an event was changed, removed or moved: first_bad_event is the first one whose hash or link fails
  2  the database cannot be read"""


def iso_time(text: str) -> datetime:
    """An argparse type: ISO 8601 date or time; one without a zone is UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "audit", parents=[common], help="spot-check samples and their settings, and the audit trail: check it, list it"
    )
    audit_sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    cli_audits.add_sample_parser(audit_sub, common)
    cli_audits.add_settings_parser(audit_sub, common)
    q = audit_sub.add_parser(
        "verify",
        parents=[common],
        help="check that no event of the audit trail was changed, removed or reordered",
        description="Recompute the hash of every event of the audit trail and its link to the one before.",
        epilog=VERIFY_EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("--json", action="store_true", help='one JSON object: {"ok", "events", "first_bad_event"}')
    q = audit_sub.add_parser("trail", parents=[common], help="list the events of the audit trail, oldest first")
    q.add_argument("--since", type=iso_time, metavar="ISO", help="events at or after this time (UTC unless given)")
    q.add_argument("--actor", metavar="NAME", help="events by this user")
    q.add_argument("--action", action="append", default=[], choices=AUDIT_ACTIONS, metavar="ACTION",
                   help=f"events of this action (may be repeated): {', '.join(AUDIT_ACTIONS)}")  # fmt: skip
    q.add_argument("--subject", metavar="SUBJECT", help='events about this, e.g. "submission:12"')
    q.add_argument("--limit", type=positive, metavar="N", help="at most N events")
    q.add_argument("--json", action="store_true", help="one JSON object per event")
    q.add_argument("--csv", metavar="FILE", help="write the events to FILE as CSV instead")


def cmd_audit(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review import trail

    if args.audit_command == "sample":
        return cli_audits.cmd_audit_sample(args, service)
    if args.audit_command == "settings":
        return cli_audits.cmd_audit_settings(args, service)

    if args.audit_command == "verify":
        check = service.verify_trail()
        if args.json:
            _emit(check.to_json())
        elif check.ok:
            print(f"the audit trail is intact: {check.events} events")
        else:
            print(f"the audit trail was tampered with: event {check.first_bad_event} is not as written or not "
                  f"where it was written ({check.events} events)")  # fmt: skip
        return 0 if check.ok else 1
    found = service.trail(
        since=args.since, actor=args.actor, actions=args.action, subject=args.subject, limit=args.limit
    )
    if args.csv:
        try:
            count = trail.write_csv(found, args.csv)
        except OSError as exc:
            print(f"reviewer-app: error: {args.csv}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"{count} events written to {args.csv}", file=sys.stderr)
        return 0
    for event in found:
        if args.json:
            _emit(event.to_json())
        else:
            print(_line(event))
    return 0


def _line(event: AuditEvent) -> str:
    details = json.dumps(event.details, ensure_ascii=False, separators=(", ", ": ")) if event.details else ""
    at = (iso_utc(event.at) or "")[:19].replace("T", " ")
    return f"{event.event_id:>8}  {at}  {event.actor:<12} {event.action:<14} {event.subject}  {details}".rstrip()
