"""The audit trail's chain: `verify` finds the first event edited, deleted, moved or slipped in, even when
done in plain SQL (on SQLite with its guards dropped, on PostgreSQL as the table's owner); PostgreSQL lets no
other role change an event, whatever it was granted; appenders on many connections keep one chain."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import psycopg
import pytest

from reviewer_app.review import trail
from reviewer_app.store import Store
from reviewer_app.store.chain import GENESIS, event_hash, iso_at

EVENTS = 8


@dataclass
class TrailDb:
    store: Store
    sql: Callable[[str], None]  # runs statements as the owner (SQLite: with the append-only triggers dropped)
    backend: str


@pytest.fixture(params=["sqlite", "postgresql"])
def trail_db(request, tmp_path) -> Iterator[TrailDb]:
    """A database with EVENTS events, appended by the store's own actions."""
    if request.param == "postgresql":
        pg_server = request.getfixturevalue("pg_server")
        database = pg_server.create_database()
        store = Store(pg_server.url(database=database), tmp_path / "blobs")
        conn = psycopg.connect(host="127.0.0.1", port=pg_server.port, dbname=database, user="postgres", autocommit=True)

        def run_pg(statements: str) -> None:
            for statement in filter(str.strip, statements.split(";")):
                conn.execute(statement)

        db = TrailDb(store, run_pg, "postgresql")
    else:
        path = tmp_path / "db.sqlite3"
        store = Store(f"sqlite:///{path}", tmp_path / "blobs", reviewer="lena")
        conn = sqlite3.connect(path, isolation_level=None)

        def run_sqlite(statements: str) -> None:
            conn.executescript(
                "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;"
            )
            conn.executescript(statements)

        db = TrailDb(store, run_sqlite, "sqlite")
    now = datetime.now(UTC)
    for i in range(EVENTS // 2):
        assert store.protect_name(f"名字 {i}: a\nname", "Owner", None, "lena", now)
        assert store.unprotect_name(f"名字 {i}: a\nname", "lena")
    yield db
    conn.close()
    store.close()


def test_an_untouched_trail_verifies_and_its_events_chain_from_the_genesis(trail_db):
    events = trail_db.store.audit_events()
    assert [e.event_id for e in events] == list(range(1, EVENTS + 1))
    assert events[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    assert trail.verify(trail_db.store) == (True, EVENTS, None)
    assert trail.verify(trail_db.store).to_json() == {"ok": True, "events": EVENTS, "first_bad_event": None}


TAMPERING = {
    # name: (SQL run as the owner, the first bad event)
    "edited actor": ("UPDATE audit_events SET actor = 'mallory' WHERE id = 4", 4),
    "edited action": ("UPDATE audit_events SET action = 'release' WHERE id = 4", 4),
    "edited subject": ("UPDATE audit_events SET subject = 'name:other' WHERE id = 4", 4),
    "edited details": ('UPDATE audit_events SET details = \'{"change":"remove"}\' WHERE id = 3', 3),
    "edited prev_hash": (f"UPDATE audit_events SET prev_hash = '{GENESIS}' WHERE id = 4", 4),
    "edited hash": ("UPDATE audit_events SET hash = (SELECT hash FROM audit_events WHERE id = 2) WHERE id = 4", 4),
    "deleted in the middle": ("DELETE FROM audit_events WHERE id = 4", 5),
    "deleted first": ("DELETE FROM audit_events WHERE id = 1", 2),
    "swapped pair": (
        "UPDATE audit_events SET id = -4 WHERE id = 4; UPDATE audit_events SET id = 4 WHERE id = 5; "
        "UPDATE audit_events SET id = 5 WHERE id = -4",
        4,
    ),
    "moved to the end": ("UPDATE audit_events SET id = 100 WHERE id = 4", 5),
    "forged at the end": (
        "INSERT INTO audit_events (id, at, actor, action, subject, details, prev_hash, hash) "
        f"SELECT 9, at, 'lena', 'recall', 'recall_case:1', '{{}}', hash, '{'f' * 64}' FROM audit_events WHERE id = 8",
        9,
    ),
}


@pytest.mark.parametrize("tampering", list(TAMPERING))
def test_tampering_in_plain_sql_is_found_at_the_first_bad_event(trail_db, tampering):
    sql, first_bad = TAMPERING[tampering]
    trail_db.sql(sql)
    count = len(trail_db.store.audit_events())
    assert trail.verify(trail_db.store) == (False, count, first_bad)
    assert trail.verify(trail_db.store, batch=3) == (False, count, first_bad)  # across page boundaries alike


def test_an_edited_time_is_found(trail_db):
    if trail_db.backend == "postgresql":
        trail_db.sql("UPDATE audit_events SET at = at + interval '1 microsecond' WHERE id = 6")
    else:  # SQLite keeps the text SQLAlchemy wrote
        trail_db.sql("UPDATE audit_events SET at = '2020-01-01 00:00:00.000000' WHERE id = 6")
    assert trail.verify(trail_db.store) == (False, EVENTS, 6)


def test_an_event_forged_with_a_correct_hash_breaks_the_link_after_it(trail_db):
    """Whoever slips an event in and hashes it right still leaves the next event pointing past it."""
    for event_id in range(EVENTS, 4, -1):
        trail_db.sql(f"UPDATE audit_events SET id = {event_id + 1} WHERE id = {event_id}")
    previous = trail_db.store.audit_events(3, 1)[0]
    at = previous.at + timedelta(seconds=1)
    forged_hash = event_hash(5, iso_at(at), "lena", "recall", "recall_case:7", "{}", previous.hash)
    stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f") + ("+00" if trail_db.backend == "postgresql" else "")
    trail_db.sql(
        "INSERT INTO audit_events (id, at, actor, action, subject, details, prev_hash, hash) "
        f"VALUES (5, '{stamp}', 'lena', 'recall', 'recall_case:7', '{{}}', '{previous.hash}', '{forged_hash}')"
    )
    (forged,) = trail_db.store.audit_events(4, 1)
    assert trail.intact(forged, previous.hash)  # the forgery itself holds up...
    assert trail.verify(trail_db.store) == (False, EVENTS + 1, 6)  # ...the event after it does not


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(trail_db):
    event = trail_db.store.audit_events(3, 1)[0]
    details = '{"change":"add","developer":"Mallory","package":null}'
    rehashed = event_hash(4, iso_at(event.at), event.actor, event.action, event.subject, details, event.prev_hash)
    trail_db.sql(f"UPDATE audit_events SET details = '{details}', hash = '{rehashed}' WHERE id = 4")
    assert trail.verify(trail_db.store) == (False, EVENTS, 5)


def test_verify_reads_the_trail_a_page_at_a_time(trail_db):
    pages: list[tuple[int, int]] = []
    store = trail_db.store

    class Counting:
        def audit_events(self, after, limit):
            pages.append((after, limit))
            return store.audit_events(after, limit)

    assert trail.verify(Counting(), batch=3) == (True, EVENTS, None)
    assert pages == [(0, 3), (3, 3), (6, 3), (8, 3)]


def test_an_empty_trail_verifies(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "blobs")
    try:
        assert trail.verify(store) == (True, 0, None)
    finally:
        store.close()


def test_sqlite_refuses_changes_to_the_trail(trail_db):
    if trail_db.backend != "sqlite":
        pytest.skip("SQLite's guards; PostgreSQL's roles are tested below")
    conn = sqlite3.connect(trail_db.store.url.removeprefix("sqlite:///"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_events SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_events")
    conn.close()
    assert trail.verify(trail_db.store) == (True, EVENTS, None)


def test_the_servers_hash_is_the_one_verify_computes(pg_server, tmp_path):
    """Texts that would trip a careless serialisation: separators, newlines, colons, Chinese, emptiness."""
    database = pg_server.create_database()
    Store(pg_server.url(database=database), tmp_path / "blobs").close()
    at = datetime(2026, 3, 1, 23, 59, 58, 7, tzinfo=UTC)
    cases = [
        (1, "alice", "claim", "submission:1", "{}", GENESIS),
        (12, "李雷", "decide", "a:b\nc", '{"note":"一\\n二","x":"12:3"}', "ab" * 32),
        (9999999, "", "user", "", "", "0"),
    ]
    with psycopg.connect(host="127.0.0.1", port=pg_server.port, dbname=database, user="postgres") as conn:
        for case in cases:
            server = conn.execute(
                "SELECT audit_event_hash(%s, %s, %s, %s, %s, %s, %s)", (case[0], at, *case[1:])
            ).fetchone()
            assert server[0] == event_hash(case[0], iso_at(at), *case[1:])
        stamp = conn.execute(
            "SELECT to_char(%s::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", (at,)
        ).fetchone()
    assert stamp[0] == iso_at(at) == "2026-03-01T23:59:58.000007Z"


# -- PostgreSQL: append-only for every role but the owner -----------------------------------------


@pytest.fixture
def pg_team(tmp_path, pg_server):
    from reviewer_app.config import Settings
    from reviewer_app.review import admin
    from tests.review.conftest import Clock, Team

    team = Team("postgresql", tmp_path, Clock(datetime.now(UTC)), pg_server)
    owner = Settings(data_dir=tmp_path / "owner", db_url=pg_server.url(database=team.database))
    admin.add_user(owner, "wendy", "worker", None)
    yield team
    team.close()


def connect(team, user: str) -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=team.pg_server.port, dbname=team.database, user=user, autocommit=True)


def refused(conn: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql)
    assert info.value.sqlstate == "42501", info.value  # insufficient privilege: the grants or the trigger
    return str(info.value)


def test_no_role_but_the_owner_changes_an_event_and_every_role_appends_in_its_own_name(pg_team):
    sid = pg_team.file("com.trail.roles", tier=3)
    pg_team["alice"].claim(sid)  # an event by a reviewer, through an action
    for user in ("alice", "lena", "adam", "wendy"):
        conn = connect(pg_team, user)
        refused(conn, "UPDATE audit_events SET actor = 'mallory'")
        refused(conn, "DELETE FROM audit_events")
        refused(conn, "TRUNCATE audit_events")
        refused(conn, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        # appending is allowed, but never in another's name, at another time or with a chosen hash
        refused(conn, "INSERT INTO audit_events (action, subject, details, actor) VALUES ('undo', 'x', '{}', 'bob')")
        refused(
            conn, f"INSERT INTO audit_events (action, subject, details, hash) VALUES ('undo', 'x', '{{}}', '{GENESIS}')"
        )
        conn.execute("INSERT INTO audit_events (action, subject, details) VALUES ('undo', 'submission:0', '{}')")
        conn.close()
    events = pg_team["alice"].store.audit_events()
    assert [(e.actor, e.action) for e in events[-4:]] == [(u, "undo") for u in ("alice", "lena", "adam", "wendy")]
    assert trail.verify(pg_team["alice"].store).ok


def test_a_role_granted_changes_by_mistake_is_still_refused_by_the_trigger(pg_team):
    pg_team["lena"].block("sha256", "ef" * 32, "an event to keep")
    owner = connect(pg_team, "postgres")
    owner.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_events TO reviewer_app_reviewer")
    lena = connect(pg_team, "lena")
    assert "append-only" in refused(lena, "UPDATE audit_events SET actor = 'mallory'")
    assert "append-only" in refused(lena, "DELETE FROM audit_events")
    assert "append-only" in refused(lena, "TRUNCATE audit_events")
    lena.close()
    owner.execute("UPDATE audit_events SET actor = 'mallory'")  # the owner can; verify is what catches it
    owner.close()
    assert not trail.verify(pg_team["alice"].store).ok


def test_two_workstations_appending_at_once_keep_one_chain(pg_team):
    """Appenders on their own connections, some keeping their transaction open after appending: each
    waits for the one before to commit and then links to it, instead of forking the chain."""
    stores = {name: pg_team[name].store for name in ("alice", "bob", "carol", "lena")}
    start = len(stores["alice"].audit_events())
    per_thread = 15
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def append(name: str, store: Store) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with store._writing() as s:
                    store._append_event(s, "undo", f"submission:{i}", {"by": name})
                    if i % 3 == 0:
                        time.sleep(0.01)  # a slow commit: the others queue behind it
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=item) for item in stores.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = stores["bob"].audit_events()
    assert [e.event_id for e in events] == list(range(1, start + len(stores) * per_thread + 1))
    assert {e.actor for e in events[start:]} == set(stores)
    assert trail.verify(stores["bob"]) == (True, len(events), None)


def test_workstations_appending_at_once_on_sqlite_keep_one_chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    stores = [Store(url, tmp_path / "blobs", reviewer=name) for name in ("alice", "bob", "carol")]
    barrier = threading.Barrier(len(stores))

    def append(store: Store, name: str) -> None:
        barrier.wait()
        for i in range(20):
            assert store.record_undo(i, f"{name}-d{i}", "approve")

    threads = [
        threading.Thread(target=append, args=(store, name))
        for store, name in zip(stores, ("alice", "bob", "carol"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert trail.verify(stores[0]) == (True, 60, None)
        assert {e.actor for e in stores[0].audit_events()} == {"alice", "bob", "carol"}
    finally:
        for store in stores:
            store.close()


def test_reviewers_claiming_and_deciding_at_once_keep_one_chain(pg_team):
    """The one-statement paths (claim_next and decide, each appending in the same statement) at once."""
    names = ("alice", "bob", "carol", "lena")
    for i in range(len(names) * 4):
        pg_team.file(f"com.trail.busy{i}", tier=3, minutes_ago=100 - i)
    services = {name: pg_team[name] for name in names}
    start = len(services["alice"].store.audit_events())
    barrier = threading.Barrier(len(names))
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            for _ in range(4):
                claim = services[name].claim_next()
                assert claim is not None
                assert services[name].decide(claim.submission_id, "approve").ok
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = services["bob"].store.audit_events(start)
    assert sorted((e.actor, e.action) for e in events) == sorted(
        (name, action) for name in names for action in ("claim", "decide") for _ in range(4)
    )
    assert trail.verify(services["bob"].store).ok
