"""`reviewer-app quality`: review quality per reviewer, per kind or both over a period (review/quality.py
says what each figure means), as a table, JSON lines or CSV.

Kept apart from cli.py, which parses everything else; `cli.build_parser` adds this parser."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reviewer_app.cli_work import _emit

DEFAULT_DAYS = 30


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "quality",
        parents=[common],
        help="review quality per reviewer or kind over a period (leads)",
        description="Decisions, escalations, audits, agreement with the auditors, Cohen's kappa, median time to "
        "the first final decision and SLA misses of the decisions made in a period, per reviewer, per kind or "
        "both, and the team's totals (whose SLA misses include submissions still open past their deadline).",
    )
    p.add_argument(
        "--since",
        metavar="ISO",
        help=f"start of the period, ISO 8601 (a date, or a time; UTC without a zone); default: {DEFAULT_DAYS} "
        "days before --until",
    )
    p.add_argument("--until", metavar="ISO", help="end of the period, not included (default: now)")
    p.add_argument("--by", choices=("reviewer", "kind", "both"), default="reviewer", help="grouping (default reviewer)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per group, then the team's (team: true)")
    out.add_argument("--csv", metavar="FILE", help="write the report as CSV (UTF-8 with BOM; - for standard output)")


def parse_moment(text: str, option: str) -> datetime:
    """An ISO 8601 date or time; one without a zone is UTC."""
    from reviewer_app.review import ReviewError

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReviewError(
            f"{option}: {text!r} is not an ISO 8601 date or time (e.g. 2026-11-01 or 2026-11-01T08:00Z)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def cmd_quality(args: argparse.Namespace, service: Any) -> int:
    from reviewer_app.review.quality import quality, report_csv

    until = parse_moment(args.until, "--until") if args.until else service.clock()
    since = parse_moment(args.since, "--since") if args.since else until - timedelta(days=DEFAULT_DAYS)
    report = quality(service, since, until, args.by)
    if args.csv:
        text = report_csv(report)
        if args.csv == "-":
            sys.stdout.write(text)
        else:
            Path(args.csv).write_text(text, encoding="utf-8", newline="")
        return 0
    if args.json:
        for row in report.rows:
            _emit({**row.to_json(), "team": False})
        _emit({**report.team.to_json(), "team": True, "open_overdue": report.open_overdue})
        return 0
    _print_table(report)
    return 0


def _print_table(report: Any) -> None:
    from reviewer_app.domain import iso_utc

    print(f"decisions from {iso_utc(report.start)} to {iso_utc(report.end)} (end not included)")
    names = [*report.by, "decisions", "final", "escal.", "audited", "agree", "kappa", "median", "misses"]
    rows = [[*(getattr(row, n) or "" for n in report.by), *_figures(row)] for row in report.rows]
    rows.append(["(team)", *([""] * (len(report.by) - 1)), *_figures(report.team)])
    widths = [max(len(str(cell)) for cell in column) for column in zip(names, *rows, strict=True)]
    for line in (names, *rows):
        print("  ".join(str(cell).ljust(w) if i < len(report.by) else str(cell).rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))))  # fmt: skip
    if report.open_overdue:
        print(f"the team's misses include {report.open_overdue} submissions still open past their deadline")


def _figures(row: Any) -> list[str]:
    median = (
        "-" if row.median_minutes is None else f"{round(row.median_minutes) // 60}:{round(row.median_minutes) % 60:02d}"
    )
    return [
        str(row.decisions),
        str(row.final_decisions),
        str(row.escalations),
        str(row.audited),
        "-" if row.agreement is None else f"{row.agreement * 100:.1f}%",
        "-" if row.kappa is None else f"{row.kappa:.2f}",
        median,
        str(row.sla_misses),
    ]
