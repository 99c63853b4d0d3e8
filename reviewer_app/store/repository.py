"""The only place that talks SQL. Methods take and return plain values (see records.py)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BindParameter,
    Connection,
    CursorResult,
    Integer,
    Interval,
    String,
    Table,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from reviewer_app.domain import (
    VERDICT_STATUS,
    AlreadyDecided,
    ClaimRecord,
    CredentialsRequired,
    DatabaseError,
    DatabaseUnavailable,
    DecisionRecord,
    HeldByOther,
    NotClaimable,
    NotFound,
    PermissionDenied,
    QueueRow,
    RedFlag,
    StoreError,
    SubmissionDetail,
    VersionRecord,
)
from reviewer_app.store import database
from reviewer_app.store.blobs import BlobStore
from reviewer_app.store.hot import HotConnection, HotStatement, utc
from reviewer_app.store.schema import (
    KINDS,
    OPEN_STATUSES,
    App,
    Artifact,
    Decision,
    Developer,
    Setting,
    Submission,
    UTCDateTime,
)

CHUNK = 500
ANALYZE_AFTER = 1000  # rows added in one bulk import
# For this transaction only: its commit returns before the server's disk has it (see claim_next).
ASYNC_COMMIT = func.set_config("synchronous_commit", "off", True)


class Store:
    """Repository over one database (SQLite file or shared PostgreSQL) and its blob folder."""

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

    # -- submissions -----------------------------------------------------------------------------

    def add_submission(
        self,
        *,
        kind: str,
        developer: str,
        tier: int | None,
        submitted_at: datetime,
        deadline: datetime,
        facts: dict[str, Any] | None = None,
        apk_path: str | os.PathLike[str] | None = None,
        icon_png: bytes | None = None,
        note: str | None = None,
        package: str | None = None,
        red_flags: Sequence[RedFlag] = (),
    ) -> int:
        """File the APK in the blob store, then write developer, app, artifact and submission in one transaction."""
        if kind not in KINDS:
            raise ValueError(f"unknown submission kind {kind!r}")
        artifact_sha = None
        icon_blob = None
        if apk_path is not None and facts is not None:
            artifact_sha = self.blobs.put_file(apk_path, facts.get("sha256"))
            if icon_png:
                icon_blob = self.blobs.put_bytes(icon_png)
        package = package or (facts or {}).get("package")
        for attempt in range(3):
            try:
                with self._writing() as s:
                    dev = self._developer(s, developer, tier, submitted_at)
                    app = self._app(s, package, dev, (facts or {}).get("label"), submitted_at) if package else None
                    artifact = (
                        self._artifact(s, artifact_sha, facts, icon_blob, submitted_at)
                        if artifact_sha and facts is not None
                        else None
                    )
                    sub = Submission(
                        kind=kind,
                        developer_id=dev.id,
                        app_id=app.id if app else None,
                        artifact_id=artifact.id if artifact else None,
                        note=note,
                        submitted_at=submitted_at,
                        deadline=deadline,
                        status="pending",
                        row_version=1,
                        red_flags=[flag.to_json() for flag in red_flags] or None,
                    )
                    s.add(sub)
                    s.flush()
                    return sub.id
            except IntegrityViolation:
                # Another workstation created the same developer/app/artifact at the same moment.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def add_submissions_bulk(self, items: Sequence[dict[str, Any]]) -> int:
        """Many metadata-style submissions in one transaction (imports, load tests, benchmarks).

        Each item: kind, developer, tier, package, submitted_at, deadline, optional note.
        """
        if not items:
            return 0
        now = min(i["submitted_at"] for i in items)
        with self._writing() as s:
            developers: dict[str, Developer] = {}
            apps: dict[str, App] = {}
            for item in items:
                name = item["developer"]
                if name not in developers:
                    developers[name] = self._developer(s, name, item.get("tier"), now)
                package = item.get("package")
                if package and package not in apps:
                    apps[package] = self._app(s, package, developers[name], item.get("label"), now)
            rows = [
                {
                    "kind": item["kind"],
                    "developer_id": developers[item["developer"]].id,
                    "app_id": apps[item["package"]].id if item.get("package") else None,
                    "artifact_id": None,
                    "note": item.get("note"),
                    "submitted_at": item["submitted_at"],
                    "deadline": item["deadline"],
                    "status": "pending",
                    "row_version": 1,
                }
                for item in items
            ]
            s.execute(cast(Table, Submission.__table__).insert(), rows)
        if len(rows) >= ANALYZE_AFTER and self.backend == "postgresql":
            # Fresh planner statistics now, not when autovacuum next looks (up to a minute): with the
            # queue's size unknown, "what do I hold?" is planned as a scan of the whole queue.
            with self._writing() as s:
                s.execute(select(func.refresh_queue_statistics()))
        return len(rows)

    def _developer(self, s: Session, name: str, tier: int | None, now: datetime) -> Developer:
        dev = s.execute(select(Developer).where(Developer.name == name)).scalar_one_or_none()
        if dev is None:
            dev = Developer(name=name, tier=tier if tier is not None else 3, created_at=now)
            s.add(dev)
            s.flush()
        elif tier is not None and dev.tier != tier:
            dev.tier = tier
        return dev

    def _app(self, s: Session, package: str, dev: Developer, label: str | None, now: datetime) -> App:
        app = s.execute(select(App).where(App.package == package)).scalar_one_or_none()
        if app is None:
            app = App(package=package, developer_id=dev.id, label=label, created_at=now)
            s.add(app)
            s.flush()
        return app

    def _artifact(self, s: Session, sha: str, facts: dict[str, Any], icon_blob: str | None, now: datetime) -> Artifact:
        art = s.execute(select(Artifact).where(Artifact.sha256 == sha)).scalar_one_or_none()
        if art is None:
            art = Artifact(
                sha256=sha,
                size=facts.get("size") or 0,
                package=facts.get("package") or "",
                version_code=facts.get("version_code"),
                version_name=facts.get("version_name"),
                label=facts.get("label"),
                min_sdk=facts.get("min_sdk"),
                target_sdk=facts.get("target_sdk"),
                icon_sha256=facts.get("icon_sha256"),
                icon_blob=icon_blob,
                facts=facts,
                created_at=now,
            )
            s.add(art)
            s.flush()
        return art

    # -- queue -----------------------------------------------------------------------------------

    def _queue_filter(self, statuses: Sequence[str], kinds: Sequence[str] | None):
        cond = [Submission.status.in_(list(statuses))]
        if kinds:
            cond.append(Submission.kind.in_(list(kinds)))
        return and_(*cond)

    def queue_ids(self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None) -> list[int]:
        """Ids in the order a reviewer gets them: earliest deadline first."""
        with self._reading() as s:
            stmt = (
                select(Submission.id)
                .where(self._queue_filter(statuses, kinds))
                .order_by(Submission.deadline, Submission.id)
            )
            return list(s.execute(stmt).scalars())

    def queue_count(
        self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None, exclude: Iterable[int] = ()
    ) -> int:
        """How many submissions the queue holds, leaving out the ids in `exclude` (a few)."""
        where = self._queue_filter(statuses, kinds)
        left_out = sorted(set(exclude))
        with self._reading() as s:
            total = s.execute(select(func.count()).select_from(Submission).where(where)).scalar_one()
            for start in range(0, len(left_out), CHUNK):
                part = left_out[start : start + CHUNK]
                total -= s.execute(
                    select(func.count()).select_from(Submission).where(where, Submission.id.in_(part))
                ).scalar_one()
        return total

    def queue_page(
        self,
        statuses: Sequence[str] = OPEN_STATUSES,
        kinds: Sequence[str] | None = None,
        after: tuple[datetime, int] | None = None,
        limit: int = 10_000,
    ) -> tuple[list[int], tuple[datetime, int] | None]:
        """One page of the queue's ids in order (earliest deadline first), those that come after the key
        `after`; returns the ids and the key to ask for the next page with (None after the last page).

        Each page is one short read that walks an index from where the last one stopped (keyset paging),
        so reading a queue of any size page by page costs what reading it at once does, and the database
        worker can run other work between pages. A submission whose deadline changes between two pages
        can be read twice or not at all; callers drop repeats, and the next reload puts it in its place.
        """
        if limit < 1:
            raise ValueError("limit must be positive")
        # One ordered index range per status (and kind), merged by the database: an IN list would make
        # it sort the rest of the queue for every page. ix_submissions_queue serves the statuses,
        # ix_submissions_queue_kind the (status, kind) pairs. SQLite merges a UNION ALL with ORDER BY
        # lazily (it stops at the limit); PostgreSQL merges index scans only when each range has its own
        # ORDER BY and LIMIT (without them it sorts the rest of the queue), which costs SQLite a sort.
        if after is not None:
            key_deadline, key_id = literal(after[0], UTCDateTime()), literal(after[1], Integer())
        arms = []
        for status in dict.fromkeys(statuses):
            for kind in dict.fromkeys(kinds) if kinds else (None,):
                cond = [Submission.status == status]
                if kind is not None:
                    cond.append(Submission.kind == kind)
                if after is not None:
                    cond.append(tuple_(Submission.deadline, Submission.id) > tuple_(key_deadline, key_id))
                arms.append(select(Submission.id, Submission.deadline).where(*cond))
        if len(arms) == 1:
            stmt = arms[0].with_only_columns(Submission.id).order_by(Submission.deadline, Submission.id).limit(limit)
        else:
            if self.backend != "sqlite":
                ordered = [arm.order_by(Submission.deadline, Submission.id).limit(limit).subquery() for arm in arms]
                arms = [select(range_) for range_ in ordered]
            merged = union_all(*arms)
            first = merged.order_by(merged.selected_columns.deadline, merged.selected_columns.id).limit(limit)
            page = first.subquery()
            stmt = select(page.c.id).order_by(page.c.deadline, page.c.id)
        with self._reading() as s:
            # On the connection, not the session: the ORM's loading makes objects per row that keep the
            # garbage collector busy (a full collection holds up every thread, the GUI's too).
            conn = s.connection()
            ids = list(conn.execute(stmt).scalars())
            if len(ids) < limit:
                return ids, None
            # The key is read in the same transaction: one snapshot on SQLite; on PostgreSQL a deadline
            # changed in between moves the key, which costs a repeat or a miss (see above), nothing worse.
            deadline = conn.execute(select(Submission.deadline).where(Submission.id == ids[-1])).scalar_one()
        return ids, (deadline, ids[-1])

    def _row_select(self):
        return (
            select(
                Submission.id,
                Submission.kind,
                func.coalesce(Artifact.package, App.package),
                func.coalesce(Artifact.label, App.label),
                Developer.name,
                Developer.tier,
                Submission.submitted_at,
                Submission.deadline,
                Submission.status,
                Submission.claimed_by,
                Submission.lease_until,
                Artifact.version_code,
                Artifact.version_name,
                Submission.red_flags,
            )
            .join(Developer, Developer.id == Submission.developer_id)
            .outerjoin(App, App.id == Submission.app_id)
            .outerjoin(Artifact, Artifact.id == Submission.artifact_id)
        )

    @staticmethod
    def _row(values) -> QueueRow:
        *fields, flags = values
        row = QueueRow(*fields)
        return dataclasses.replace(row, red_flags=tuple(RedFlag.from_json(f) for f in flags)) if flags else row

    def queue_rows(self, ids: Sequence[int]) -> list[QueueRow]:
        """Rows for these ids, in the order given (missing ids are left out)."""
        found: dict[int, QueueRow] = {}
        with self._reading() as s:
            for start in range(0, len(ids), CHUNK):
                part = list(ids[start : start + CHUNK])
                for values in s.execute(self._row_select().where(Submission.id.in_(part))):
                    row = self._row(values)
                    found[row.submission_id] = row
        return [found[i] for i in ids if i in found]

    def queue(
        self, statuses: Sequence[str] = OPEN_STATUSES, kinds: Sequence[str] | None = None, limit: int | None = None
    ) -> list[QueueRow]:
        with self._reading() as s:
            stmt = (
                self._row_select()
                .where(self._queue_filter(statuses, kinds))
                .order_by(Submission.deadline, Submission.id)
            )
            if limit is not None:
                stmt = stmt.limit(limit)
            return [self._row(v) for v in s.execute(stmt)]

    def queue_stats(self, now: datetime) -> dict[str, Any]:
        with self._reading() as s:
            open_filter = Submission.status.in_(list(OPEN_STATUSES))
            total = s.execute(select(func.count()).where(open_filter)).scalar_one()
            overdue = s.execute(select(func.count()).where(open_filter, Submission.deadline < now)).scalar_one()
            next_deadline = s.execute(select(func.min(Submission.deadline)).where(open_filter)).scalar_one()
        if next_deadline is not None and next_deadline.tzinfo is None:
            next_deadline = next_deadline.replace(tzinfo=UTC)
        return {"open": total, "overdue": overdue, "next_deadline": next_deadline}

    def detail(self, submission_id: int) -> SubmissionDetail:
        with self._reading() as s:
            values = s.execute(self._row_select().where(Submission.id == submission_id)).first()
            if values is None:
                raise NotFound(f"no submission {submission_id}")
            row = self._row(values)
            sub = s.get(Submission, submission_id)
            assert sub is not None  # its row was just read, in this transaction
            art = s.get(Artifact, sub.artifact_id) if sub.artifact_id else None
            decisions = tuple(
                _decision(d)
                for d in s.execute(
                    select(Decision).where(Decision.submission_id == submission_id).order_by(Decision.decided_at)
                ).scalars()
            )
            previous, previous_sha = self._approved(s, row.package, submission_id) if row.package else (None, None)
            versions = self._versions(s, row.package, submission_id) if row.package else ()
            icon_blob = art.icon_blob if art else None
        icon = None
        if icon_blob:
            try:
                icon = self.blobs.read(icon_blob)
            except OSError:
                icon = None
        return SubmissionDetail(
            row=row,
            artifact_sha256=art.sha256 if art else None,
            facts=dict(art.facts) if art else None,
            icon_png=icon,
            note=sub.note,
            row_version=sub.row_version,
            decisions=decisions,
            previous_facts=previous,
            previous_artifact_sha256=previous_sha,
            versions=versions,
        )

    def approved_facts(self, package: str) -> dict[str, Any] | None:
        """The stored facts of the last approved version of a package (what an update is compared with)."""
        with self._reading() as s:
            return self._approved(s, package, None)[0]

    @staticmethod
    def _approved(s: Session, package: str, exclude: int | None) -> tuple[dict[str, Any] | None, str | None]:
        conditions = [Artifact.package == package, Submission.status == "approved"]
        if exclude is not None:
            conditions.append(Submission.id != exclude)
        found = s.execute(
            select(Artifact.facts, Artifact.sha256)
            .join(Submission, Submission.artifact_id == Artifact.id)
            .where(*conditions)
            .order_by(Artifact.version_code.desc(), Submission.id.desc())
            .limit(1)
        ).first()
        return (dict(found[0]), found[1]) if found is not None else (None, None)

    MAX_VERSIONS = 50

    def _versions(self, s: Session, package: str, exclude: int) -> tuple[VersionRecord, ...]:
        """The other submissions of the same package, newest first, with who decided them."""
        rows = s.execute(
            select(
                Submission.id,
                Submission.kind,
                Artifact.version_code,
                Artifact.version_name,
                Submission.status,
                Submission.submitted_at,
            )
            .join(App, App.id == Submission.app_id)
            .outerjoin(Artifact, Artifact.id == Submission.artifact_id)
            .where(App.package == package, Submission.id != exclude)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
            .limit(self.MAX_VERSIONS)
        ).all()
        last: dict[int, tuple[str, datetime]] = {}
        if rows:
            for sid, reviewer, decided_at in s.execute(
                select(Decision.submission_id, Decision.reviewer, Decision.decided_at)
                .where(Decision.submission_id.in_([r[0] for r in rows]))
                .order_by(Decision.decided_at)
            ):
                last[sid] = (reviewer, decided_at)
        return tuple(VersionRecord(*r, *last.get(r[0], (None, None))) for r in rows)

    # -- claims ----------------------------------------------------------------------------------

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
        if exclude:  # the seconds after a decision: built for this call, not kept with the hot statements
            with self._core_writing() as conn:
                for statement in self._claim_next_statements(statuses, kinds, sorted(set(exclude))):
                    row = conn.execute(statement, params).first()
                    if row is not None:
                        return ClaimRecord(row[0], reviewer, row[1])
            return None
        if self.backend == "postgresql":  # one statement (below)
            row = self._hot(key, lambda: self._claim_next_statements(statuses, kinds)[0], params)
            return ClaimRecord(row[0], reviewer, utc(row[1])) if row is not None else None
        statements = self._prepared(key, lambda: self._claim_next_statements(statuses, kinds))
        with self._core_writing() as conn:
            row = None
            for statement in statements:
                row = conn.execute(statement, params).first()
                if row is not None:
                    break
            return ClaimRecord(row[0], reviewer, row[1]) if row is not None else None

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
            # A claim is a lease, so its commit does not wait for the disk (decisions do): a server crash
            # may forget the last fraction of a second of claims, and the workstation learns that at its
            # next heartbeat or decision, both of which the database judges against what it still has.
            claimed = (
                select(renewed.c.id, renewed.c.lease_until)
                .union_all(select(taken.c.id, taken.c.lease_until))
                .subquery("claimed")
            )
            return (select(claimed.c.id, claimed.c.lease_until, ASYNC_COMMIT),)
        return renew, take()

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

    def claim(self, submission_id: int, reviewer: str, now: datetime, lease: timedelta) -> ClaimRecord:
        """Take (or renew) one given submission; refuses one held by somebody else or already decided."""
        now_sql, until_sql = self._clock()
        with self._writing() as s:
            taken = s.execute(
                update(Submission)
                .where(*self._takeable(now_sql))
                .values(claimed_by=bindparam("reviewer"), lease_until=until_sql, row_version=Submission.row_version + 1)
                .returning(Submission.lease_until),
                {"submission_id": submission_id, "reviewer": reviewer, **self._clock_params(now, lease)},
            ).first()
            if taken is not None:
                return ClaimRecord(submission_id, reviewer, cast(datetime, taken[0]))  # the lease just set
            self._raise_unclaimable(s, submission_id)
        raise AssertionError("unreachable")

    def _raise_unclaimable(self, s: Session, submission_id: int) -> None:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise NotFound(f"no submission {submission_id}")
        if sub.status not in OPEN_STATUSES:
            raise AlreadyDecided(submission_id, self._last_decision(s, submission_id), sub.status)
        if sub.claimed_by:
            raise HeldByOther(submission_id, sub.claimed_by, sub.lease_until)
        raise NotClaimable(f"submission {submission_id} cannot be claimed by you")

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

    # -- decisions -------------------------------------------------------------------------------

    def record_decision(
        self,
        *,
        decision_id: str,
        submission_id: int,
        reviewer: str,
        verdict: str,
        reason_codes: Iterable[str],
        message: str | None,
        now: datetime,
        lease: timedelta,
        decided_at: datetime | None = None,
    ) -> tuple[DecisionRecord, str]:
        """Append a decision; a trigger moves the submission on, in the same transaction.

        Idempotent by decision id (a journal may push the same decision twice). Fails with AlreadyDecided
        or HeldByOther instead of overwriting somebody else's work.
        """
        if verdict not in VERDICT_STATUS:
            raise ValueError(f"unknown verdict {verdict!r}")
        record = DecisionRecord(
            decision_id=decision_id,
            submission_id=submission_id,
            reviewer=reviewer,
            decided_at=decided_at or now,
            verdict=verdict,
            reason_codes=tuple(reason_codes),
            message=message,
        )
        values = {
            "id": decision_id,
            "submission_id": submission_id,
            "reviewer": reviewer,
            "decided_at": record.decided_at,
            "verdict": verdict,
            "reason_codes": list(record.reason_codes),
            "message": message,
        }
        try:
            if self.backend == "postgresql":
                # Take-or-keep the claim and insert, in one call (migration 0004).
                pushed = self._hot(
                    ("decide",),
                    self._decide_call,
                    {**values, "reason_codes": json.dumps(values["reason_codes"]), "lease": lease},
                )
                if pushed[0]:
                    return record, VERDICT_STATUS[verdict]
            else:
                take, insert = self._prepared(("decide",), self._decide_statements)
                with self._core_writing() as conn:
                    # Claim it for the caller (or keep the caller's claim) before deciding: the same rule
                    # the database enforces for reviewers on PostgreSQL.
                    if (
                        conn.execute(
                            take,
                            {"submission_id": submission_id, "reviewer": reviewer, **self._clock_params(now, lease)},
                        ).first()
                        is not None
                    ):
                        # A trigger moves the submission on in the same transaction (migration 0002).
                        conn.execute(insert, values)
                        return record, VERDICT_STATUS[verdict]
        except IntegrityViolation:
            pass  # an escalation pushed twice: still open, same id (below)
        existing = self.decision(decision_id)
        if existing is not None:  # pushed before: the journal is sending it again
            return existing, self.submission_status(existing.submission_id) or ""
        with self._reading() as s:
            self._raise_unclaimable(s, submission_id)
        raise AssertionError("unreachable")

    def _decide_statements(self) -> tuple:
        now_sql, until_sql = self._clock()
        take = (
            update(Submission)
            .where(*self._takeable(now_sql))
            .values(claimed_by=bindparam("reviewer"), lease_until=until_sql)
            .returning(Submission.id)
        )
        return take, cast(Table, Decision.__table__).insert()

    @staticmethod
    def _decide_call():
        return select(
            func.record_decision(
                bindparam("id", type_=String()),
                bindparam("submission_id", type_=Integer()),
                bindparam("reviewer", type_=String()),
                bindparam("decided_at", type_=UTCDateTime()),
                bindparam("verdict", type_=String()),
                bindparam("reason_codes", type_=JSON()),
                bindparam("message", type_=Text()),
                bindparam("lease", type_=Interval()),
            )
        )

    def decision(self, decision_id: str) -> DecisionRecord | None:
        with self._reading() as s:
            d = s.get(Decision, decision_id)
            return _decision(d) if d else None

    def decisions(self, submission_id: int | None = None) -> list[DecisionRecord]:
        with self._reading() as s:
            stmt = select(Decision).order_by(Decision.decided_at, Decision.id)
            if submission_id is not None:
                stmt = stmt.where(Decision.submission_id == submission_id)
            return [_decision(d) for d in s.execute(stmt).scalars()]

    def _last_decision(self, s: Session, submission_id: int) -> DecisionRecord | None:
        d = s.execute(
            select(Decision)
            .where(Decision.submission_id == submission_id)
            .order_by(Decision.decided_at.desc())
            .limit(1)
        ).scalar_one_or_none()
        return _decision(d) if d else None

    def set_user_role(self, name: str, role: str) -> None:
        """On SQLite there are no database users: the roles of local names are kept as a setting."""
        with self._writing() as s:
            setting = s.get(Setting, "users")
            users = dict(setting.value) if setting else {}
            users[name] = role
            now = datetime.now(UTC)
            if setting is None:
                s.add(Setting(key="users", value=users, updated_by=self._reviewer or "admin", updated_at=now))
            else:
                setting.value = users
                setting.updated_at = now

    def role_of(self, name: str) -> str:
        """reviewer, lead or admin. PostgreSQL asks the server; SQLite reads the local roles setting, where
        the single user of an unconfigured workstation is everything at once (lead)."""
        if self.backend == "postgresql":
            from reviewer_app.store.roles import role_of

            with translate_errors():
                return role_of(self.reader, name) or "reviewer"
        users = self.user_roles()
        return users.get(name, "reviewer" if users else "lead")

    def user_roles(self) -> dict[str, str]:
        with self._reading() as s:
            setting = s.get(Setting, "users")
            return dict(setting.value) if setting else {}

    def submission_status(self, submission_id: int) -> str | None:
        with self._reading() as s:
            return s.execute(select(Submission.status).where(Submission.id == submission_id)).scalar_one_or_none()

    def developer_tier(self, name: str) -> int | None:
        with self._reading() as s:
            return s.execute(select(Developer.tier).where(Developer.name == name)).scalar_one_or_none()


class IntegrityViolation(DatabaseError):
    """The schema refused a row: a key written at the same moment elsewhere (the caller may look again), or
    a value its constraints do not allow."""


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


AUTH_HINTS = ("password authentication failed", "no password supplied", "password is required")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Database errors become the domain's StoreErrors with the server's own words: no SQLAlchemy
    exception leaves the store."""
    try:
        yield
    except DBAPIError as exc:
        sqlstate = getattr(exc.orig, "sqlstate", None)
        message = _first_line(exc)
        if sqlstate == "42501":
            raise PermissionDenied(f"the database refused: {message}") from None
        if "already decided" in message:
            raise NotClaimable(message) from None
        if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
            if any(hint in message for hint in AUTH_HINTS):
                raise CredentialsRequired(f"the database wants a password: {message}") from None
            raise DatabaseUnavailable(f"database unavailable: {message}") from None
        if isinstance(exc, IntegrityError):
            raise IntegrityViolation(f"database error: {message}") from exc
        raise DatabaseError(f"database error: {message}") from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(f"database error: {_first_line(exc)}") from exc


def _decision(d: Decision) -> DecisionRecord:
    return DecisionRecord(
        decision_id=d.id,
        submission_id=d.submission_id,
        reviewer=d.reviewer,
        decided_at=d.decided_at,
        verdict=d.verdict,
        reason_codes=tuple(d.reason_codes or ()),
        message=d.message,
    )
