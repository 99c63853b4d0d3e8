"""The audit trail's chain: how an event is hashed, and appending one inside the transaction of its action.

An event's hash is SHA-256 over a canonical text of its fields: for each of id, at (ISO 8601 UTC with
microseconds and a Z), actor, action, subject, details (canonical JSON: sorted keys, no spaces) and
prev_hash, the field's length in UTF-8 bytes, ":", the field and a newline. Lengths make the text
unambiguous whatever a field holds, and the same text is easy to build in SQL: PostgreSQL's trigger
(migration 0011) builds it there, `event_hash` here, and `audit verify` checks one against the other.

Appending is the last statement of the action's transaction, so an event exists exactly when its action
committed, and the lock it needs (PostgreSQL's advisory lock; SQLite's single writer) is held only for the
commit: every row lock the action takes comes before it, so appenders never deadlock on one another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from reviewer_app.domain import AUDIT_ACTIONS
from reviewer_app.store.schema import AuditEventRow

GENESIS = "0" * 64  # the prev_hash of the first event
# The PostgreSQL advisory lock every appender takes before it reads the last event (migration 0011's trigger).
AUDIT_LOCK = 7_240_311_657_184_201_117
TEXT_CAP = 500  # characters of one text in details or of a subject: the trail says what, the tables say all
TABLE = cast(Table, AuditEventRow.__table__)


def iso_at(at: datetime) -> str:
    """The form of `at` that the hash covers: PostgreSQL's to_char(at AT TIME ZONE 'UTC', ...) gives the same."""
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")[:-6] + "Z"  # without "+00:00"


def event_hash(event_id: int, at_iso: str, actor: str, action: str, subject: str, details: str, prev_hash: str) -> str:
    text = "".join(
        [
            f"{len(field) if field.isascii() else len(field.encode())}:{field}\n"
            for field in (str(event_id), at_iso, actor, action, subject, details, prev_hash)
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_details(details: Mapping[str, Any]) -> str:
    return json.dumps(_capped(dict(details)), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _capped(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= TEXT_CAP else value[: TEXT_CAP - 1] + "…"
    if isinstance(value, dict):
        return {str(k): _capped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_capped(v) for v in value]
    return value


def append_event(
    conn: Connection | Session,
    action: str,
    subject: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one event in `conn`'s transaction. On PostgreSQL the trigger sets id, at, actor and the
    hashes (`actor` and `at` are not used there); on SQLite they are computed here, under the write lock
    that the transaction already holds (BEGIN IMMEDIATE), with `actor` and `at` (default: now)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    subject = _capped(subject)
    text = canonical_details(details or {})
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        conn.execute(insert(TABLE).values(action=action, subject=subject, details=text))
        return
    if actor is None:
        raise ValueError("an event on SQLite needs its actor")
    at = at or datetime.now(UTC)
    last = conn.execute(select(TABLE.c.id, TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)).first()
    event_id, prev_hash = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    conn.execute(
        insert(TABLE).values(
            id=event_id,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=text,
            prev_hash=prev_hash,
            hash=event_hash(event_id, iso_at(at), actor, action, subject, text, prev_hash),
        )
    )
