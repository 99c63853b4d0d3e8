"""Change feeds, so every workstation's queue shows other reviewers' claims and decisions within seconds.

PostgreSQL: LISTEN on the channel the submissions trigger notifies (migration 0002), on a connection of
its own. SQLite: `PRAGMA data_version` on a dedicated connection changes when another connection commits.
Both run on a background thread and call back with the changed submission ids (None: "something changed").

Recall cases (opened by a worker's re-scan, closed by another lead) come on the same channel with the
payload "recalls" (migration 0018) and go to `on_recalls`; SQLite cannot say what changed, so every commit
goes to both.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import make_url

CHANNEL = "reviewer_app_queue"
RECALLS = "recalls"  # the payload of a change to the recall cases

OnChange = Callable[[set[int] | None], None]
OnRecalls = Callable[[], None]


def _nothing() -> None:
    return None


def watch_changes(
    url: str,
    on_change: OnChange,
    stop: threading.Event,
    interval: float = 1.0,
    password: str | None = None,
    on_recalls: OnRecalls | None = None,
) -> None:
    """Block until `stop` is set, reporting changes; reconnects when the database goes away."""
    parsed = make_url(url)
    recalls = on_recalls or _nothing
    if parsed.get_backend_name() == "postgresql":
        _watch_postgresql(parsed, on_change, stop, interval, password, recalls)
    elif parsed.get_backend_name() == "sqlite":
        _watch_sqlite(parsed.database or ":memory:", on_change, stop, interval, recalls)


def _watch_postgresql(
    parsed, on_change: OnChange, stop: threading.Event, interval: float, password: str | None, on_recalls: OnRecalls
) -> None:
    import psycopg

    params = {
        "host": parsed.host or "localhost",
        "port": parsed.port or 5432,
        "dbname": parsed.database,
        "user": parsed.username,
        "password": password or parsed.password,
        "connect_timeout": 5,
        "autocommit": True,
    }
    params = {k: v for k, v in params.items() if v is not None}
    while not stop.is_set():
        try:
            with psycopg.connect(**params) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                on_change(None)  # we may have missed something while (re)connecting
                on_recalls()
                while not stop.is_set():
                    changed: set[int] = set()
                    recalls = False
                    for note in conn.notifies(timeout=interval):
                        if note.payload == RECALLS:
                            recalls = True
                        with contextlib.suppress(ValueError):
                            changed.add(int(note.payload))
                        if len(changed) >= 500:
                            break
                    if changed:
                        on_change(changed)
                    if recalls:
                        on_recalls()
        except psycopg.Error:
            stop.wait(max(interval, 2.0))


def _watch_sqlite(
    path: str, on_change: OnChange, stop: threading.Event, interval: float, on_recalls: OnRecalls
) -> None:
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    try:
        last = conn.execute("PRAGMA data_version").fetchone()[0]
        while not stop.wait(interval):
            try:
                version = conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                time.sleep(interval)
                continue
            if version != last:
                last = version
                on_change(None)
                on_recalls()
    finally:
        conn.close()
