"""The store's plumbing that every part of it shares: the engines, sessions and transactions, the clock
the database judges leases by, the statements of the hot paths built once, and the rule that says why a
submission cannot be taken."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Interval,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, sessionmaker

from reviewer_app.domain import (
    AlreadyDecided,
    DecisionRecord,
    HeldByOther,
    NotClaimable,
    NotFound,
    PermissionDenied,
    StoreError,
)
from reviewer_app.store import database
from reviewer_app.store.blobs import BlobStore
from reviewer_app.store.chain import append_event
from reviewer_app.store.errors import translate_errors
from reviewer_app.store.hot import HotConnection, HotStatement
from reviewer_app.store.schema import (
    OPEN_STATUSES,
    Artifact,
    Decision,
    Submission,
    UTCDateTime,
)


class StoreBase:
    """One database (SQLite file or shared PostgreSQL) and its blob folder."""

    def __init__(
        self,
        url: str,
        blob_dir: str | os.PathLike[str],
        reviewer: str | None = None,
        migrate: bool = True,
        password: str | None = None,
    ) -> None:
        self.url = url
        self.password = password
        self.reader, self.writer = database.make_engines(url, password)
        self.blobs = BlobStore(blob_dir)
        self._reviewer = reviewer
        self._read = sessionmaker(self.reader, expire_on_commit=False)
        self._statements: dict[tuple, Any] = {}
        self._write = sessionmaker(self.writer, expire_on_commit=False)
        self._hot_connection = HotConnection(self.writer)
        if migrate:
            try:
                with translate_errors():
                    database.upgrade(self.writer)
            except StoreError:
                self.close()
                raise

    # -- plumbing --------------------------------------------------------------------------------

    @property
    def backend(self) -> str:
        return self.writer.dialect.name

    def whoami(self) -> str:
        """Who decides: the database user on PostgreSQL (the server checks it), else the configured name."""
        if self.backend == "postgresql":
            with self._reading() as session:
                return session.execute(select(func.current_user())).scalar_one()
        return self._reviewer or "reviewer"

    def ping(self) -> None:
        """One cheap round trip; raises DatabaseUnavailable when the database does not answer."""
        with self._reading() as session:
            session.execute(select(literal(1))).scalar_one()

    def close(self) -> None:
        self._hot_connection.close()
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with translate_errors(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with translate_errors(), self._read() as session, session.begin():
            yield session

    def _append_event(
        self, conn: Connection | Session, action: str, subject: str, details: dict[str, Any] | None = None
    ) -> None:
        """Record `action` in the audit trail, in the transaction of the action itself: call it last, after
        the action's writes. The actor is the database user on PostgreSQL (its trigger says so), else the
        reviewer this store was opened for."""
        append_event(conn, action, subject, details, actor=self._reviewer or "reviewer")

    def _clock(self):
        """(now, lease end) as SQL. PostgreSQL uses the server's clock, so workstations whose clocks drift
        still agree on whose lease has run out; SQLite has one machine and uses its clock.
        The values come from `_clock_params`."""
        if self.backend == "postgresql":
            return func.now(), func.now() + bindparam("lease", type_=Interval())
        return bindparam("now", type_=UTCDateTime()), bindparam("until", type_=UTCDateTime())

    def _clock_params(self, now: datetime, lease: timedelta) -> dict[str, Any]:
        if self.backend == "postgresql":
            return {"lease": lease}
        return {"now": now, "until": now + lease}

    def _prepared(self, key: tuple, build) -> Any:
        """Statements of the hot paths are built once per shape; executions only bind values."""
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = build()
        return statement

    @contextmanager
    def _core_writing(self) -> Iterator[Connection]:
        """A write transaction on a plain connection: the claim and decide paths skip the ORM's overhead."""
        with translate_errors(), self.writer.begin() as conn:
            yield conn

    def _hot(self, key: tuple, build, values: dict[str, Any]):
        """Run one of the all-day statements on PostgreSQL (see hot.py): built and compiled once per shape."""
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = HotStatement(build(), self.writer, dict.fromkeys(values))
        with translate_errors():
            return self._hot_connection.run(statement, values)

    def _raise_unclaimable(self, s: Session, submission_id: int) -> None:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise NotFound(f"no submission {submission_id}")
        if sub.status not in OPEN_STATUSES:
            raise AlreadyDecided(submission_id, self._last_decision(s, submission_id), sub.status)
        if sub.claimed_by:
            raise HeldByOther(submission_id, sub.claimed_by, sub.lease_until)
        raise NotClaimable(f"submission {submission_id} cannot be claimed by you")

    def _last_decision(self, s: Session, submission_id: int) -> DecisionRecord | None:
        d = s.execute(
            select(Decision)
            .where(Decision.submission_id == submission_id)
            .order_by(Decision.decided_at.desc())
            .limit(1)
        ).scalar_one_or_none()
        return decision_record(d) if d else None

    def _require_lead(self, name: str) -> None:
        """Leads' work (the blocklist, recalls, the brand registry): SQLite keeps roles as a setting, so the
        store checks; PostgreSQL's grants refuse by themselves."""
        if self.backend != "postgresql" and self.role_of(name) not in ("lead", "admin"):  # type: ignore[attr-defined]
            raise PermissionDenied(f"{name} is not a lead: only leads do that")

    def submission_status(self, submission_id: int) -> str | None:
        with self._reading() as s:
            return s.execute(select(Submission.status).where(Submission.id == submission_id)).scalar_one_or_none()

    @staticmethod
    def _takeable(now_sql) -> tuple:
        """Open, and free, expired or already the caller's: the rule for taking one given submission
        (bind `submission_id` and `reviewer`)."""
        reviewer: BindParameter[str] = bindparam("reviewer")
        return (
            Submission.id == bindparam("submission_id"),
            Submission.status.in_(list(OPEN_STATUSES)),
            or_(Submission.claimed_by.is_(None), Submission.claimed_by == reviewer, Submission.lease_until < now_sql),
        )

    def _queue_filter(self, statuses: Sequence[str], kinds: Sequence[str] | None):
        cond = [Submission.status.in_(list(statuses))]
        if kinds:
            cond.append(Submission.kind.in_(list(kinds)))
        return and_(*cond)


def decision_record(d: Decision) -> DecisionRecord:
    return DecisionRecord(
        decision_id=d.id,
        submission_id=d.submission_id,
        reviewer=d.reviewer,
        decided_at=d.decided_at,
        verdict=d.verdict,
        reason_codes=tuple(d.reason_codes or ()),
        message=d.message,
    )


def live_versions(package: str, *columns: Any) -> Any:
    """`columns` of the approved versions of a package that are live (not rolled back), newest first: what
    an update is compared with, whose screenshots it is compared with, what a recall or rollback pulls."""
    return (
        select(*columns)
        .select_from(Submission)
        .join(Artifact, Artifact.id == Submission.artifact_id)
        .where(Artifact.package == package, Submission.status == "approved", Artifact.withdrawn_at.is_(None))
        .order_by(Artifact.version_code.desc(), Submission.id.desc())
    )
