"""Claims: atomic leases on submissions (SKIP LOCKED on PostgreSQL), judged by the database's clock."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    CursorResult,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy import cast as sql_cast

from reviewer_app.domain import (
    ClaimRecord,
    NotFound,
)
from reviewer_app.store.base import StoreBase
from reviewer_app.store.chain import TABLE as AUDIT_TABLE
from reviewer_app.store.hot import utc
from reviewer_app.store.schema import (
    OPEN_STATUSES,
    Submission,
    UTCDateTime,
)

# For this transaction only: its commit returns before the server's disk has it (see claim_next).
ASYNC_COMMIT = func.set_config("synchronous_commit", "off", True)


class ClaimWrites(StoreBase):
    def claim_next(
        self,
        reviewer: str,
        now: datetime,
        lease: timedelta,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] = ("pending",),
        exclude: Collection[int] = (),
    ) -> ClaimRecord | None:
        """Atomically take the most urgent unclaimed submission (or renew the one the caller already holds),
        leaving out `exclude`: submissions the caller has decided but whose decisions are not sent yet (they
        keep the caller's claim until then, and are no work to hand out)."""
        key = ("claim_next", tuple(statuses), tuple(kinds) if kinds else None)
        params = {"reviewer": reviewer, **self._clock_params(now, lease)}
        if self.backend == "postgresql" and not exclude:  # one statement (below)
            row = self._hot(key, lambda: self._claim_next_statements(statuses, kinds)[0], params)
            return ClaimRecord(row[0], reviewer, utc(row[1])) if row is not None else None
        if exclude:  # the seconds after a decision: built for this call, not kept with the hot statements
            statements = self._claim_next_statements(statuses, kinds, sorted(set(exclude)))
        else:
            statements = self._prepared(key, lambda: self._claim_next_statements(statuses, kinds))
        with self._core_writing() as conn:
            for position, statement in enumerate(statements):
                row = conn.execute(statement, params).first()
                if row is not None:
                    if position == 1:  # SQLite's second statement takes one: a claim (a renewal is none)
                        self._append_event(conn, "claim", f"submission:{row[0]}")
                    return ClaimRecord(row[0], reviewer, utc(row[1]))
        return None

    def _claim_next_statements(
        self, statuses: Sequence[str], kinds: Sequence[str] | None, exclude: Sequence[int] = ()
    ) -> tuple:
        now_sql, until_sql = self._clock()
        reviewer: BindParameter[str] = bindparam("reviewer")
        work = self._queue_filter(statuses, kinds)
        if exclude:
            work = and_(work, Submission.id.not_in(list(exclude)))
        held = (
            select(Submission.id)
            .where(
                work,
                Submission.claimed_by == reviewer,
                Submission.lease_until >= now_sql,
            )
            .order_by(Submission.deadline, Submission.id)
            .limit(1)
            .scalar_subquery()
        )
        renew = (
            update(Submission)
            .where(Submission.id == held)
            .values(lease_until=until_sql)
            .returning(Submission.id, Submission.lease_until)
        )

        def take(*extra):
            candidate = (
                select(Submission.id)
                .where(
                    work,
                    or_(Submission.claimed_by.is_(None), Submission.lease_until < now_sql),
                    *extra,
                )
                .order_by(Submission.deadline, Submission.id)
                .limit(1)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            return (
                update(Submission)
                .where(Submission.id == candidate)
                .values(claimed_by=reviewer, lease_until=until_sql, row_version=Submission.row_version + 1)
                .returning(Submission.id, Submission.lease_until)
            )

        if self.backend == "postgresql":
            # One round trip: renew what I hold, else take the next one (SKIP LOCKED: never wait on, never
            # double-take, a row another workstation is claiming this very moment).
            renewed = renew.cte("renewed")
            taken = take(~exists(select(renewed.c.id))).cte("taken")
            # A submission taken (not one renewed) is a claim in the audit trail, in the same statement.
            logged = (
                insert(AUDIT_TABLE)
                .from_select(
                    ["action", "subject", "details"],
                    select(
                        literal_column("'claim'"),
                        literal_column("'submission:'", String) + sql_cast(taken.c.id, String),
                        literal_column("'{}'"),
                    ),
                )
                .cte("logged")
            )
            # A claim is a lease, so its commit does not wait for the disk (decisions do): a server crash
            # may forget the last fraction of a second of claims, and the workstation learns that at its
            # next heartbeat or decision, both of which the database judges against what it still has.
            claimed = (
                select(renewed.c.id, renewed.c.lease_until)
                .union_all(select(taken.c.id, taken.c.lease_until))
                .subquery("claimed")
            )
            return (select(claimed.c.id, claimed.c.lease_until, ASYNC_COMMIT).add_cte(logged),)
        return renew, take()

    def claim(self, submission_id: int, reviewer: str, now: datetime, lease: timedelta) -> ClaimRecord:
        """Take (or renew) one given submission; refuses one held by somebody else or already decided."""
        now_sql, until_sql = self._clock()
        with self._writing() as s:
            holder = s.execute(select(Submission.claimed_by).where(Submission.id == submission_id)).scalar()
            taken = s.execute(
                update(Submission)
                .where(*self._takeable(now_sql))
                .values(claimed_by=bindparam("reviewer"), lease_until=until_sql, row_version=Submission.row_version + 1)
                .returning(Submission.lease_until),
                {"submission_id": submission_id, "reviewer": reviewer, **self._clock_params(now, lease)},
            ).first()
            if taken is not None:
                if holder != reviewer:  # taken, not kept: a claim (from an expired lease of `holder`'s)
                    self._append_event(s, "claim", f"submission:{submission_id}", {"from": holder} if holder else {})
                return ClaimRecord(submission_id, reviewer, cast(datetime, taken[0]))  # the lease just set
            self._raise_unclaimable(s, submission_id)
        raise AssertionError("unreachable")

    def renew(self, submission_id: int, reviewer: str, now: datetime, lease: timedelta) -> bool:
        """Heartbeat: extend a lease the caller still holds. False when it was lost."""

        def build():
            now_sql, until_sql = self._clock()
            return (
                update(Submission)
                .where(
                    Submission.id == bindparam("submission_id"),
                    Submission.claimed_by == bindparam("reviewer"),
                    Submission.lease_until >= now_sql,
                    Submission.status.in_(list(OPEN_STATUSES)),
                )
                .values(lease_until=until_sql)
            )

        params = {"submission_id": submission_id, "reviewer": reviewer, **self._clock_params(now, lease)}
        if self.backend == "postgresql":
            return self._hot(("renew",), build, params) == 1
        statement = self._prepared(("renew",), build)
        with self._core_writing() as conn:
            return conn.execute(statement, params).rowcount == 1

    def release(self, submission_id: int, reviewer: str) -> bool:
        with self._writing() as s:
            result = cast(
                CursorResult[Any],
                s.execute(
                    update(Submission)
                    .where(Submission.id == submission_id, Submission.claimed_by == reviewer)
                    .values(claimed_by=None, lease_until=None, row_version=Submission.row_version + 1)
                ),
            )
            if result.rowcount == 0 and s.get(Submission, submission_id) is None:
                raise NotFound(f"no submission {submission_id}")
            if result.rowcount == 1:
                self._append_event(s, "release", f"submission:{submission_id}")
            return result.rowcount == 1

    def held_by(self, reviewer: str, now: datetime) -> list[int]:
        now_sql = func.now() if self.backend == "postgresql" else literal(now, UTCDateTime)
        with self._reading() as s:
            return list(
                s.execute(
                    select(Submission.id)
                    .where(
                        Submission.claimed_by == reviewer,
                        Submission.lease_until >= now_sql,
                        Submission.status.in_(list(OPEN_STATUSES)),
                    )
                    .order_by(Submission.deadline)
                ).scalars()
            )
