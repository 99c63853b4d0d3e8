"""Review quality per reviewer and per kind over a period, for team leads (the quality dashboard, `quality`).

Definitions, as the dashboard, the CSV and `reviewer-app quality` use them:

- **Period**: a decision counts in [start, end) by the time it was made (`decided_at`).
- **Decisions**: every decision of the period; **final** ones approve or reject, **escalations** hand the
  submission to a lead and are steps on the way, counted apart.
- **Time to decision**: from the submission to the *first* final decision of the submission (a submission
  reopened after an audit may be decided again; that second decision is not timed). The median over the
  group's first final decisions of the period, in minutes.
- **SLA misses**: first final decisions made after the deadline the submission had then (a reopened
  submission's fresh deadline changes nothing decided before it). A submission still open past its
  deadline at the period's end (or now, for a period that has not ended) is a miss of the team, not of a
  reviewer: it counts in the team's row only (`open_overdue`).
- **Audited**: decisions of the period with at least one audit, whenever the audit was recorded.
- **Agreement**: the share of those audits whose outcome is *agree*.
- **Cohen's kappa**: between the reviewer's verdict and the auditor's own verdict (approve, reject, escalate),
  over the audits that recorded one (older audits did not): agreement corrected for what chance alone gives.
  Undefined (None, shown as "—") when chance agreement is certain, as when both only ever said one thing.

The database aggregates (store/quality.py); this module turns its counts into rows, ratios and kappas.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from reviewer_app.domain import iso_utc
from reviewer_app.review.service import ReviewError
from reviewer_app.store.quality import AuditCounts, GroupCounts, QualityCounts

GROUPINGS: dict[str, tuple[str, ...]] = {
    "reviewer": ("reviewer",),
    "kind": ("kind",),
    "both": ("reviewer", "kind"),
}
MAX_PERIOD_DAYS = 3660  # ten years: a typo in a year is an error, not an hour of counting


@dataclass(frozen=True)
class QualityRow:
    """One reviewer, one kind, one (reviewer, kind), or the whole team (both None)."""

    reviewer: str | None
    kind: str | None
    decisions: int
    final_decisions: int
    escalations: int
    audited: int
    audits: int
    agreements: int
    agreement: float | None  # share of audits that agree; None without audits
    kappa: float | None
    kappa_audits: int  # audits with an auditor's verdict: what kappa is computed over
    median_minutes: float | None
    sla_misses: int
    timed: int = 0  # first final decisions: what the median and the misses are of

    def to_json(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "kind": self.kind,
            "decisions": self.decisions,
            "final_decisions": self.final_decisions,
            "escalations": self.escalations,
            "audited": self.audited,
            "audits": self.audits,
            "agreement": _rounded(self.agreement, 4),
            "kappa": _rounded(self.kappa, 4),
            "kappa_audits": self.kappa_audits,
            "median_minutes": _rounded(self.median_minutes, 1),
            "sla_misses": self.sla_misses,
        }


@dataclass(frozen=True)
class DayPoint:
    day: date
    decisions: int
    escalations: int


@dataclass(frozen=True)
class QualityReport:
    start: datetime
    end: datetime
    by: tuple[str, ...]
    rows: tuple[QualityRow, ...]
    team: QualityRow  # sla_misses includes open_overdue
    open_overdue: int
    days: tuple[DayPoint, ...] = field(default=())  # every day of the period, zeros included
    utc_offset_minutes: int = 0

    def label(self, row: QualityRow) -> str:
        """The row's group as one string: "alice", "new", or "alice · new"."""
        return " · ".join(str(getattr(row, name)) for name in self.by)


def cohen_kappa(pairs: Mapping[tuple[str, str], int] | Iterable[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters: a confusion table {(first's category, second's): count}, or the pairs.

    (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement expected by chance from
    each rater's own frequencies. None when there is nothing to compare or p_e is 1 (both raters used one
    and the same category throughout: agreement is certain, kappa says nothing)."""
    table = Counter(pairs) if not isinstance(pairs, Mapping) else Counter(dict(pairs))
    n = sum(table.values())
    if n <= 0:
        return None
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    for (a, b), count in table.items():
        first[a] += count
        second[b] += count
    observed = sum(count for (a, b), count in table.items() if a == b) / n
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1.0 - 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def quality(
    service: Any,
    start: datetime,
    end: datetime,
    by: Sequence[str] | str = ("reviewer",),
    utc_offset_minutes: int = 0,
) -> QualityReport:
    """The quality report of the decisions made in [start, end), per reviewer, per kind or both (`by`:
    ("reviewer",), ("kind",), ("reviewer", "kind"), or "reviewer" / "kind" / "both"). Runs several
    aggregate queries: call it off the GUI thread."""
    grouping = _grouping(by)
    if start.tzinfo is None or end.tzinfo is None:
        raise ReviewError("the period's start and end need a time zone")
    if end <= start:
        raise ReviewError(f"the period ends ({iso_utc(end)}) before it starts ({iso_utc(start)})")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ReviewError(f"a period of at most {MAX_PERIOD_DAYS} days, not {(end - start).days}")
    if not -24 * 60 < utc_offset_minutes < 24 * 60:
        raise ReviewError(f"a UTC offset of less than a day, not {utc_offset_minutes} minutes")
    counts = service.store.quality_counts(start, end, grouping, service.clock(), utc_offset_minutes)
    return build_report(counts, start, end, grouping, utc_offset_minutes)


def build_report(
    counts: QualityCounts, start: datetime, end: datetime, by: tuple[str, ...], utc_offset_minutes: int = 0
) -> QualityReport:
    audits: dict[tuple[str, ...], list[AuditCounts]] = {}
    for audit in counts.audits:
        audits.setdefault(audit.key, []).append(audit)
    rows = tuple(_row(by, group, audits.get(group.key, [])) for group in counts.groups)
    team = _row(by, counts.team, counts.audits, extra_misses=counts.open_overdue)
    return QualityReport(
        start=start,
        end=end,
        by=by,
        rows=rows,
        team=team,
        open_overdue=counts.open_overdue,
        days=_every_day(counts, start, end, utc_offset_minutes),
        utc_offset_minutes=utc_offset_minutes,
    )


def _grouping(by: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(by, str):
        if by not in GROUPINGS:
            raise ReviewError(f"cannot group by {by!r}: use reviewer, kind or both")
        return GROUPINGS[by]
    grouping = tuple(by)
    if grouping not in GROUPINGS.values():
        raise ReviewError(f"cannot group by {grouping!r}: use reviewer, kind or both")
    return grouping


def _row(by: tuple[str, ...], group: GroupCounts, audits: Sequence[AuditCounts], extra_misses: int = 0) -> QualityRow:
    names = dict(zip(by, group.key, strict=False)) if group.key else {}
    audit_total = sum(a.audits for a in audits)
    agreements = sum(a.agreements for a in audits)
    pairs: Counter[tuple[str, str]] = Counter()
    for a in audits:
        if a.audit_verdict is not None:
            pairs[(a.decision_verdict, a.audit_verdict)] += a.audits
    return QualityRow(
        reviewer=names.get("reviewer"),
        kind=names.get("kind"),
        decisions=group.decisions,
        final_decisions=group.final_decisions,
        escalations=group.escalations,
        audited=sum(a.audited for a in audits),
        audits=audit_total,
        agreements=agreements,
        agreement=agreements / audit_total if audit_total else None,
        kappa=cohen_kappa(pairs),
        kappa_audits=sum(pairs.values()),
        median_minutes=group.median_minutes,
        sla_misses=group.sla_misses + extra_misses,
        timed=group.first_finals,
    )


def _every_day(counts: QualityCounts, start: datetime, end: datetime, utc_offset_minutes: int) -> tuple[DayPoint, ...]:
    """The days of the period in the offset's time zone, those without decisions as zeros (a line chart
    must not join Friday to Monday as if nothing lay between)."""
    shift = timedelta(minutes=utc_offset_minutes)
    first = (start + shift).date()
    last = (end - timedelta(microseconds=1) + shift).date()
    known = {d.day: d for d in counts.days}
    points = []
    day = first
    while day <= last:
        d = known.get(day)
        points.append(DayPoint(day, d.decisions, d.escalations) if d else DayPoint(day, 0, 0))
        day += timedelta(days=1)
    return tuple(points)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# -- CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "reviewer",
    "kind",
    "decisions",
    "final_decisions",
    "escalations",
    "audited",
    "audits",
    "agreement",
    "kappa",
    "kappa_audits",
    "median_minutes",
    "sla_misses",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def report_csv(report: QualityReport) -> str:
    """The report as CSV for a spreadsheet: UTF-8 with a byte order mark (Excel reads it as UTF-8 then),
    one row per group and the team's last ("(team)"), blank cells for what is undefined. Names that a
    spreadsheet would run as a formula are quoted with an apostrophe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(_csv_cells(row))
    team = _csv_cells(report.team)
    team[0] = "(team)"
    writer.writerow(team)
    return out.getvalue()


def _csv_cells(row: QualityRow) -> list[Any]:
    data = row.to_json()
    return [_safe_cell(data[name]) for name in CSV_COLUMNS]


def _safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
