"""The counts behind the quality dashboard, aggregated in the database: a period may hold a million decisions,
and none of them comes to Python, only a row per group, per day and per verdict pair.

What is counted (review/quality.py says what it means):

- the decisions of the period are those with `start <= decided_at < end`;
- a decision is its submission's *first final* one when it approves or rejects and no approval or rejection of
  the same submission came before it (escalations are steps; a submission reopened after an audit may have a
  second final decision, which neither times nor misses again); time to decision and SLA misses are of these,
  a miss being a decision after the deadline the submission had when it was decided;
- audits are those of the period's decisions, whenever they were recorded;
- a submission is open past its deadline at the period's end (capped at now) when its deadline is before it
  and it had no final decision before it: a miss of the team, not of a reviewer.

Each decision's group, first-final flag, minutes and lateness are written once, as it is inserted, into
`quality_facts` (migration 0016's trigger), so a period is one scan of narrow rows: no join to the
submissions, no probe for earlier decisions. PostgreSQL computes the medians with `percentile_cont` and the
team's row in the same pass (GROUPING SETS); SQLite has neither, so the medians come from each group's sorted
times, and the team's counts are the groups' sums.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    Interval,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from reviewer_app.domain import NotFound, PermissionDenied
from reviewer_app.store.base import StoreBase
from reviewer_app.store.errors import translate_errors
from reviewer_app.store.schema import OPEN_STATUSES, VERDICTS, Audit, Decision, QualityAudit, QualityFact, Submission

FINAL = ("approve", "reject")
GROUP_COLUMNS = {"reviewer": QualityFact.reviewer, "kind": QualityFact.kind}
OUTCOMES = ("agree", "disagree")


class GroupCounts(NamedTuple):
    """Decision counts of one group (`key`: its values of the grouping columns; () for the whole team)."""

    key: tuple[str, ...]
    decisions: int
    final_decisions: int
    escalations: int
    first_finals: int  # first final decisions of their submission: the ones timed
    sla_misses: int  # of those, decided after the deadline
    median_minutes: float | None


class AuditCounts(NamedTuple):
    """Audits of one group's decisions with one pair of verdicts (the auditor's: None for older audits)."""

    key: tuple[str, ...]
    decision_verdict: str
    audit_verdict: str | None
    audits: int
    agreements: int  # audits whose outcome is agree
    audited: int  # decisions audited (each counted with its first audit only)


class DayCounts(NamedTuple):
    day: date  # in the time zone of the offset asked for
    decisions: int
    escalations: int


class QualityCounts(NamedTuple):
    groups: list[GroupCounts]
    team: GroupCounts
    audits: list[AuditCounts]
    days: list[DayCounts]
    open_overdue: int  # submissions open past their deadline at the period's end


class QualityReads(StoreBase):
    def quality_counts(
        self,
        start: datetime,
        end: datetime,
        by: Sequence[str],
        now: datetime,
        utc_offset_minutes: int = 0,
    ) -> QualityCounts:
        """Everything the quality dashboard shows of the decisions made in [start, end), grouped `by`
        ("reviewer", "kind" or both); days are counted at `utc_offset_minutes` from UTC."""
        unknown = [name for name in by if name not in GROUP_COLUMNS]
        if unknown or not by or len(set(by)) != len(by):
            raise ValueError(f"cannot group by {tuple(by)!r}: use reviewer, kind or both")
        columns = [GROUP_COLUMNS[name].label(name) for name in by]
        if self.backend == "postgresql":
            return self._pg_counts(start, end, columns, min(end, now), utc_offset_minutes)
        with self._reading() as s:
            groups, team, days = self._sqlite_groups(s, start, end, columns, utc_offset_minutes)
            return QualityCounts(
                groups=groups,
                team=team,
                audits=self._audit_counts(s, start, end, columns),
                days=days,
                open_overdue=self._open_overdue(s, min(end, now)),
            )

    def _pg_counts(self, start, end, columns, cutoff, utc_offset_minutes) -> QualityCounts:
        """Three connections on one snapshot (the first exports it, the others take it up), so the figures
        add up while decisions arrive and the parts run at once: every decision counted by group and by day;
        each group's median; the team's median, the audits and the open submissions. A year of decisions is
        a scan on each, and a server has more than one core."""
        counted, timed, team_timed = self._pg_statements(start, end, columns, utc_offset_minutes)

        def rest(conn: Connection) -> tuple[Any, list[AuditCounts], int]:
            team = conn.execute(team_timed).one()
            return team, self._audit_counts(conn, start, end, columns), self._open_overdue(conn, cutoff)

        with translate_errors(), self.reader.connect() as conn, ThreadPoolExecutor(2) as pool:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                _read_only(conn)
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                medians = pool.submit(self._on_snapshot, snapshot, lambda other: list(other.execute(timed)))
                others = pool.submit(self._on_snapshot, snapshot, rest)
                try:
                    counted_rows = list(conn.execute(counted))
                finally:
                    wait([medians, others])  # the snapshot lives until they have taken it up
        team_row, audits, open_overdue = others.result()
        groups, team, days = _pg_figures(len(columns), counted_rows, medians.result(), team_row)
        return QualityCounts(groups=groups, team=team, audits=audits, days=days, open_overdue=open_overdue)

    def _on_snapshot(self, snapshot: str, read: Callable[[Connection], Any]) -> Any:
        """`read` on a connection of its own, in a read-only transaction on the exported `snapshot`."""
        if not SNAPSHOT_ID.fullmatch(snapshot):
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        with translate_errors(), self.reader.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
                _read_only(conn)
                return read(conn)

    # -- the decisions of a period ---------------------------------------------------------------

    def _period_rows(self, start: datetime, end: datetime, columns: list[Any], utc_offset_minutes: int):
        """One row per decision of the period: its group, verdict, day, and (as 0 or 1) whether it is the
        first final one of its submission and whether that was late, with the minutes it took."""
        if self.backend == "postgresql":
            shift = literal(timedelta(minutes=utc_offset_minutes), type_=Interval())
            day: Any = cast(func.timezone("UTC", QualityFact.decided_at) + shift, Date)
        else:
            day = func.date(QualityFact.decided_at, literal(f"{utc_offset_minutes:+d} minutes"))
        return select(
            *columns,
            QualityFact.verdict.label("verdict"),
            day.label("day"),
            case((QualityFact.first_final, 1), else_=0).label("first_final"),
            QualityFact.minutes.label("minutes"),
            case((and_(QualityFact.first_final, QualityFact.late), 1), else_=0).label("late"),
        ).where(QualityFact.decided_at >= start, QualityFact.decided_at < end)

    @staticmethod
    def _decision_counts(period) -> list[Any]:
        return [
            func.count().label("decisions"),
            func.sum(case((period.c.verdict.in_(FINAL), 1), else_=0)).label("final_decisions"),
            func.sum(case((period.c.verdict == "escalate", 1), else_=0)).label("escalations"),
        ]

    @classmethod
    def _counts(cls, period) -> list[Any]:
        return [
            *cls._decision_counts(period),
            func.sum(period.c.first_final).label("first_finals"),
            func.sum(period.c.late).label("sla_misses"),
        ]

    def _pg_statements(self, start, end, columns, utc_offset_minutes) -> tuple[Any, Any, Any]:
        """Three aggregates: every decision of the period counted per group, for the team and per day
        (GROUPING SETS; each row says which in `which`, a bit set of the columns it is not grouped by, the
        day's bit first); the first final decisions timed per group; and the team's.

        The groups' medians: each group's times gathered by a hash aggregate and the middle of each array
        found apart, rather than percentile_cont over the whole period sorted by group first (a year's
        decisions: one sort of 800,000 rows by reviewer, then again within each group). The days have no
        medians, which would cost another pass."""
        period = self._period_rows(start, end, columns, utc_offset_minutes).subquery("period")
        keys = [period.c[c.name] for c in columns]
        counted = select(
            *keys, period.c.day, func.grouping(period.c.day, *keys).label("which"), *self._decision_counts(period)
        ).group_by(func.grouping_sets(tuple_(*keys), tuple_(), tuple_(period.c.day)))
        firsts = (QualityFact.first_final, QualityFact.decided_at >= start, QualityFact.decided_at < end)
        late = func.sum(case((QualityFact.late, 1), else_=0)).label("sla_misses")
        grouped = (
            select(
                *columns,
                func.count().label("first_finals"),
                late,
                func.array_agg(QualityFact.minutes).label("times"),
            )
            .where(*firsts)
            .group_by(*[GROUP_COLUMNS[c.name] for c in columns])
            .subquery("grouped")
        )
        time = func.unnest(grouped.c.times).column_valued("time")
        middle = select(func.percentile_cont(0.5).within_group(time)).scalar_subquery()
        timed = select(
            *[grouped.c[c.name] for c in columns],
            grouped.c.first_finals,
            grouped.c.sla_misses,
            middle.label("median"),
        )
        team = select(
            func.count().label("first_finals"),
            late,
            func.percentile_cont(0.5).within_group(QualityFact.minutes).label("median"),
        ).where(*firsts)
        return counted, timed, team

    def _sqlite_groups(self, s: Session, start, end, columns, utc_offset_minutes):
        """SQLite: the groups, the days, and the medians from each group's sorted times, all read from a
        temporary table of the period's rows, indexed for the medians."""
        s.execute(text("DROP TABLE IF EXISTS temp.quality_period"))
        create = self._period_rows(start, end, columns, utc_offset_minutes).into("quality_period", temporary=True)
        s.execute(create)
        try:
            return self._sqlite_summaries(s, create.table, columns)
        finally:
            s.execute(text("DROP TABLE IF EXISTS temp.quality_period"))

    def _sqlite_summaries(self, s: Session, period, columns):
        keys = [period.c[c.name] for c in columns]
        counted = [
            (tuple(row[: len(keys)]), row) for row in s.execute(select(*keys, *self._counts(period)).group_by(*keys))
        ]
        medians = self._sqlite_medians(s, period, keys, {key: int(row.first_finals or 0) for key, row in counted})
        groups = [_group(key, row, medians.get(key)) for key, row in counted]
        days = [
            DayCounts(date.fromisoformat(row.day), row.decisions, row.escalations)
            for row in s.execute(select(period.c.day, *self._decision_counts(period)).group_by(period.c.day))
        ]
        team = GroupCounts(
            (),
            sum(g.decisions for g in groups),
            sum(g.final_decisions for g in groups),
            sum(g.escalations for g in groups),
            sum(g.first_finals for g in groups),
            sum(g.sla_misses for g in groups),
            medians.get(()),
        )
        return _sorted(groups), team, sorted(days)

    @staticmethod
    def _sqlite_medians(s: Session, period, keys, timed: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], float]:
        """The median of each group's times and of the team's: the middle row (or the mean of the two middle
        rows) in order of time, read at its offset through an index of the temporary table (SQLite's window
        functions take seconds over a year's decisions; this reads each group's rows once)."""
        s.execute(
            text(
                "CREATE INDEX temp.quality_period_order ON quality_period "
                f"(first_final, {', '.join(k.name for k in keys)}, minutes)"
            )
        )

        def middle(where: list[Any], n: int) -> float | None:
            if n <= 0:
                return None
            rows = (
                select(period.c.minutes)
                .where(period.c.first_final == 1, *where)
                .order_by(period.c.minutes)
                .limit(1 if n % 2 else 2)
                .offset((n - 1) // 2)
                .subquery()
            )
            value = s.execute(select(func.avg(rows.c.minutes))).scalar_one_or_none()
            return float(value) if value is not None else None

        medians: dict[tuple[str, ...], float] = {}
        for key, n in timed.items():
            value = middle([k == v for k, v in zip(keys, key, strict=True)], n)
            if value is not None:
                medians[key] = value
        team = middle([], sum(timed.values()))
        if team is not None:
            medians[()] = team
        return medians

    # -- audits, and the team's open work --------------------------------------------------------

    @staticmethod
    def _audit_counts(s: Session | Connection, start, end, columns) -> list[AuditCounts]:
        """Audits of the period's decisions by group and verdict pair; a decision audited twice counts
        once in `audited` (with the audit of the smallest id)."""
        other = aliased(QualityAudit)
        first_audit = ~exists().where(
            other.decision_id == QualityAudit.decision_id, other.audit_id < QualityAudit.audit_id
        )
        keys = [getattr(QualityAudit, c.name).label(c.name) for c in columns]
        stmt = (
            select(
                *keys,
                QualityAudit.decision_verdict,
                QualityAudit.audit_verdict,
                func.count().label("audits"),
                func.sum(case((QualityAudit.outcome == "agree", 1), else_=0)).label("agreements"),
                func.sum(case((first_audit, 1), else_=0)).label("audited"),
            )
            .where(QualityAudit.decided_at >= start, QualityAudit.decided_at < end)
            .group_by(*keys, QualityAudit.decision_verdict, QualityAudit.audit_verdict)
        )
        n = len(columns)
        return sorted(
            (
                AuditCounts(
                    tuple(row[:n]), row.decision_verdict, row.audit_verdict, row.audits, row.agreements, row.audited
                )
                for row in s.execute(stmt)
            ),
            key=lambda a: (a.key, a.decision_verdict, a.audit_verdict or ""),
        )

    @staticmethod
    def _open_overdue(s: Session | Connection, cutoff: datetime) -> int:
        """Submissions past their deadline at `cutoff` with no final decision before it: those open now (the
        queue's index), and those decided only after the cutoff (the decisions since, by time)."""
        final_before = exists().where(
            Decision.submission_id == Submission.id,
            Decision.verdict.in_(FINAL),
            Decision.decided_at < cutoff,
        )
        overdue = and_(Submission.deadline < cutoff, Submission.submitted_at < cutoff, ~final_before)
        still_open = select(func.count()).where(Submission.status.in_(OPEN_STATUSES), overdue)
        later = aliased(Decision)
        decided_since = (
            select(func.count(func.distinct(Submission.id)))
            .select_from(later)
            .join(Submission, Submission.id == later.submission_id)
            .where(later.decided_at >= cutoff, later.verdict.in_(FINAL))  # the decisions since: by time
            .where(Submission.status.not_in(OPEN_STATUSES), overdue)
        )
        return int(s.execute(still_open).scalar_one()) + int(s.execute(decided_since).scalar_one())

    # -- audits for the figures ------------------------------------------------------------------

    def add_audit(
        self,
        *,
        audit_id: str,
        decision_id: str,
        auditor: str,
        outcome: str,
        audited_at: datetime,
        verdict: str | None = None,
        reason_codes: Sequence[str] | None = None,
        note: str | None = None,
    ) -> None:
        """Append an audit record as it is (imports, tests, benchmarks); the blind re-review records its
        own. Leads only, never of their own decisions (PostgreSQL's row-level security refuses it too)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown audit outcome {outcome!r}")
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        self._require_lead(auditor)
        with self._writing() as s:
            reviewer = s.execute(select(Decision.reviewer).where(Decision.id == decision_id)).scalar_one_or_none()
            if reviewer is None:
                raise NotFound(f"no decision {decision_id}")
            if reviewer == auditor:
                raise PermissionDenied(f"{auditor} may not audit their own decision")
            s.add(
                Audit(
                    id=audit_id,
                    decision_id=decision_id,
                    auditor=auditor,
                    audited_at=audited_at,
                    outcome=outcome,
                    note=note,
                    verdict=verdict,
                    reason_codes=list(reason_codes) if reason_codes is not None else None,
                )
            )


def _pg_figures(n: int, counted, timed, team_row) -> tuple[list[GroupCounts], GroupCounts, list[DayCounts]]:
    """The groups, the team and the days from the rows of `_pg_statements` (`n` grouping columns)."""
    figures: dict[Any, dict[str, Any]] = {}  # a group's key, () for the team, or a day -> its figures
    for row in counted:
        if row.which == 1 << n:  # grouped by the keys
            figures.setdefault(tuple(row[:n]), {}).update(row._mapping)
        elif row.which == (1 << n) - 1:  # by the day
            figures.setdefault(row.day, {}).update(row._mapping)
        else:
            figures.setdefault((), {}).update(row._mapping)
    for row in timed:
        figures.setdefault(tuple(row[:n]), {}).update(row._mapping)
    figures.setdefault((), {}).update(team_row._mapping)
    groups: list[GroupCounts] = []
    days: list[DayCounts] = []
    team = GroupCounts((), 0, 0, 0, 0, 0, None)
    for key, values in figures.items():
        if isinstance(key, date):
            days.append(DayCounts(key, int(values["decisions"]), int(values["escalations"] or 0)))
            continue
        counts = GroupCounts(
            key,
            int(values.get("decisions") or 0),
            int(values.get("final_decisions") or 0),
            int(values.get("escalations") or 0),
            int(values.get("first_finals") or 0),
            int(values.get("sla_misses") or 0),
            float(values["median"]) if values.get("median") is not None else None,
        )
        if key == ():
            team = counts
        else:
            groups.append(counts)
    return _sorted(groups), team, sorted(days)


SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")


def _read_only(conn: Any) -> None:
    """A read-only transaction whose sorts of a year's decisions stay in memory, not in temporary files, and
    which compiles nothing (JIT would take longer than it saves on these few expressions)."""
    conn.execute(text("SET TRANSACTION READ ONLY"))
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    conn.execute(text("SET LOCAL jit = off"))


def _group(key: tuple[str, ...], row: Any, median: float | None = None) -> GroupCounts:
    value = getattr(row, "median", median)
    return GroupCounts(
        key,
        int(row.decisions),
        int(row.final_decisions or 0),
        int(row.escalations or 0),
        int(row.first_finals or 0),
        int(row.sla_misses or 0),
        float(value) if value is not None else None,
    )


def _sorted(groups: list[GroupCounts]) -> list[GroupCounts]:
    return sorted(groups, key=lambda g: tuple(v or "" for v in g.key))


__all__ = ["AuditCounts", "DayCounts", "GroupCounts", "QualityCounts", "QualityReads"]
