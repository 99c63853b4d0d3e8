"""Engines and migrations for the embedded SQLite file and the shared PostgreSQL database."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from reviewer_app.domain import DatabaseUrlError
from reviewer_app.paths import private_dir, private_sqlite_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# A migration's own lines saying which revision it is and which it follows (Alembic's script template).
_REVISION = re.compile(r"""^revision\s*=\s*["'](\w+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision\s*=\s*["'](\w+)["']""", re.MULTILINE)


def make_engines(url: str, password: str | None = None) -> tuple[Engine, Engine]:
    """(reader, writer). On SQLite the writer takes the write lock at BEGIN, so writes queue instead of failing."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            # Decisions are private: the file (and with it SQLite's -wal/-shm) is readable by its user only.
            # The folder is the user's choice: created private when missing, otherwise left as it is (the
            # data directory is made private by the journal, which always lives there).
            database = Path(parsed.database).expanduser()
            private_dir(database.parent, tighten=False)
            private_sqlite_file(database)
        reader = _sqlite_engine(url, immediate=False)
        writer = _sqlite_engine(url, immediate=True)
        return reader, writer
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if password is not None and parsed.password is None:
            parsed = parsed.set(password=password)
        try:
            engine = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_size=5,
                max_overflow=5,
                connect_args={"connect_timeout": 5, "application_name": "reviewer-app"},
            )
        except (ArgumentError, NoSuchModuleError) as exc:  # postgresql+nosuchdriver://...
            raise DatabaseUrlError(f"cannot use {parsed.drivername!r}: {exc}; use postgresql+psycopg://...") from None
        return engine, engine
    raise DatabaseUrlError(f"unsupported database {backend!r}: use sqlite:///FILE or postgresql+psycopg://...")


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        # The writer's commits wait for the disk: a decision is reported saved once it is durable here
        # (the journal does not wait for the disk when the database took it, see journal.py).
        cur.execute("PRAGMA synchronous=FULL" if immediate else "PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision. Read from the migrations' text when they form one line, as they do:
    importing Alembic takes a third of a second, which every command and window would pay on opening a
    database that is up to date; Alembic itself answers otherwise (and is imported to migrate)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        parents.update(_DOWN_REVISION.findall(source))
    heads = revisions - parents
    if len(heads) == 1 and len(parents) == len(revisions) - 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated), read as Alembic keeps it."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SQLAlchemyError:
            conn.rollback()
            if inspect(conn).has_table("alembic_version"):
                raise  # refused, or the connection broke: not a new database
            return None  # no such table: a new database
    if len(rows) > 1:  # branches: Alembic's own answer (it refuses to pick one)
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to `revision`; returns (before, after). A no-op costs one query."""
    before = current_revision(engine)
    if revision == "head" and before == head_revision():
        return before, before
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(engine)
