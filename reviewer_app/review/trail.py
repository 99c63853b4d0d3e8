"""The audit trail: checking that nobody changed it, and listing it (`reviewer-app audit verify|trail`).

`verify` walks the events in id order a page at a time and recomputes each one's hash and its link to the
one before (store/chain.py says how; PostgreSQL's trigger computes the same), so an event edited in any
column, deleted from the middle, moved, swapped or slipped in shows as the first event whose hash or link
no longer holds. What a chain cannot show by itself: events cut off its end, or a trail rewritten from the
break onwards by someone who may write it (the table's owner; anyone with the SQLite file).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from reviewer_app.domain import AuditEvent, iso_utc
from reviewer_app.store.chain import GENESIS, event_hash, iso_at

PAGE = 10_000
CSV_FIELDS = ("id", "at", "actor", "action", "subject", "details", "prev_hash", "hash")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TrailCheck(NamedTuple):
    ok: bool
    events: int
    first_bad_event: int | None

    def to_json(self) -> dict[str, Any]:
        """CLI.md's record of `audit verify --json`."""
        return {"ok": self.ok, "events": self.events, "first_bad_event": self.first_bad_event}


def intact(event: AuditEvent, prev_hash: str) -> bool:
    """The event links to `prev_hash` and its hash is that of its own fields."""
    return event.prev_hash == prev_hash and event.hash == event_hash(
        event.event_id, iso_at(event.at), event.actor, event.action, event.subject, event.details_json, prev_hash
    )


def verify(store: Any, batch: int = PAGE) -> TrailCheck:
    """Check the whole trail; events are counted to the end, past the first bad one."""
    prev_hash = GENESIS
    first_bad: int | None = None
    count = 0
    after = 0
    while True:
        events = store.audit_events(after, batch)
        if not events:
            break
        count += len(events)
        if first_bad is None:
            for event in events:
                if not intact(event, prev_hash):
                    first_bad = event.event_id
                    break
                prev_hash = event.hash
        after = events[-1].event_id
    return TrailCheck(first_bad is None, count, first_bad)


def events(
    store: Any,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    actions: Sequence[str] = (),
    subject: str | None = None,
    limit: int | None = None,
    batch: int = 1000,
) -> Iterator[AuditEvent]:
    """The events that match, oldest first, read a page at a time."""
    after = 0
    left = limit
    while left is None or left > 0:
        page = store.audit_events(
            after,
            batch if left is None else min(batch, left),
            since=since,
            actor=actor,
            actions=actions,
            subject=subject,
        )
        if not page:
            return
        yield from page
        after = page[-1].event_id
        if left is not None:
            left -= len(page)


def write_csv(rows: Iterator[AuditEvent], path: str | os.PathLike[str]) -> int:
    """Write events as CSV (details as JSON text); how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_FIELDS)
        for event in rows:
            writer.writerow(
                (event.event_id, iso_utc(event.at), _cell(event.actor), event.action, _cell(event.subject),
                 event.details_json, event.prev_hash, event.hash)
            )  # fmt: skip
            count += 1
    return count


def _cell(text: str) -> str:
    """A name a spreadsheet would take for a formula (=, +, -, @) is kept as text."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
