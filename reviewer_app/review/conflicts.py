"""Decision conflicts: decisions the shared database refused because someone else got there first.

A decision made while the database did not answer waits in the local journal; when it is sent later,
another reviewer may have decided the submission (or hold it) meanwhile. Such a decision is never dropped:
the journal keeps it as a conflict until the reviewer has seen it and dismissed it.

What happened is described by structured facts (who decided, when, what), so that the GUI can say it in
the reviewer's language: from the journal entry when it carries them, else from the submission as the
database has it now (`describe_conflicts`, on the worker); the stored English error is the last resort.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reviewer_app.domain import OPEN_STATUSES, DatabaseUnavailable, StoreError


@dataclass(frozen=True)
class ConflictFacts:
    """Who got there first: `kind` "decided" (by, at = decision time, verdict) or "held" (by, at = lease end)."""

    kind: str | None
    by: str | None = None
    at: datetime | None = None
    verdict: str | None = None
    caption: str | None = None  # the app's name or package, when known


@dataclass(frozen=True)
class ConflictItem:
    """One refused decision: the reviewer's own decision and what happened to it."""

    decision_id: str
    submission_id: int
    verdict: str
    decided_at: datetime | None
    facts: ConflictFacts  # kind None: not known, `error` says what the database said
    error: str | None = None

    @property
    def caption(self) -> str:
        return self.facts.caption or ""


def entry_facts(entry: Any) -> ConflictFacts | None:
    """Structured facts a journal entry carries itself (newer journals), else None."""
    kind = getattr(entry, "conflict_kind", None)
    if not kind:
        return None
    return ConflictFacts(
        kind,
        getattr(entry, "conflict_by", None),
        getattr(entry, "conflict_at", None),
        getattr(entry, "conflict_verdict", None),
    )


def describe_conflicts(service: Any, entries: Iterable[Any]) -> dict[str, ConflictFacts]:
    """On the database worker: facts for each conflicting journal entry, read from the database.

    A decision is final, so "decided by X at T" read now is what refused the entry. A submission that is
    still open and held by someone else was held then too (or again). Anything else is left unexplained
    (the stored error text shows). One unreadable submission does not stop the others.
    """
    facts: dict[str, ConflictFacts] = {}
    for entry in entries:
        own = entry_facts(entry)
        try:
            view = service.view(entry.submission_id)
        except DatabaseUnavailable:
            raise
        except StoreError:
            if own is not None:
                facts[entry.decision_id] = own
            continue
        row = view.row
        caption = row.label or row.package or None
        if own is not None:
            facts[entry.decision_id] = ConflictFacts(own.kind, own.by, own.at, own.verdict, caption)
            continue
        others = [d for d in view.detail.decisions if d.decision_id != entry.decision_id]
        if row.status not in OPEN_STATUSES and others:
            last = max(others, key=lambda d: d.decided_at)
            facts[entry.decision_id] = ConflictFacts("decided", last.reviewer, last.decided_at, last.verdict, caption)
        elif row.claimed_by and row.claimed_by != getattr(entry, "reviewer", None):
            facts[entry.decision_id] = ConflictFacts("held", row.claimed_by, row.lease_until, None, caption)
        else:
            facts[entry.decision_id] = ConflictFacts(None, caption=caption)
    return facts


def conflict_items(entries: Sequence[Any], facts: dict[str, ConflictFacts]) -> list[ConflictItem]:
    items = []
    for entry in entries:
        known = facts.get(entry.decision_id) or entry_facts(entry) or ConflictFacts(None)
        items.append(
            ConflictItem(
                decision_id=entry.decision_id,
                submission_id=entry.submission_id,
                verdict=entry.verdict,
                decided_at=getattr(entry, "decided_at", None),
                facts=known,
                error=getattr(entry, "error", None),
            )
        )
    return items
