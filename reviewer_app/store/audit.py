"""Reading the audit trail (store/chain.py appends to it), and the one event that has no write of its own.

Events are read a page at a time in id order (keyset: id above the last one seen), so a trail of millions
is checked or listed without holding it in memory, and each page is a short read of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from reviewer_app.domain import AuditEvent
from reviewer_app.store.base import StoreBase
from reviewer_app.store.chain import TABLE

PAGE = 10_000


class AuditTrail(StoreBase):
    def audit_events(
        self,
        after: int = 0,
        limit: int = PAGE,
        *,
        since: datetime | None = None,
        actor: str | None = None,
        actions: Sequence[str] = (),
        subject: str | None = None,
    ) -> list[AuditEvent]:
        """Up to `limit` events with an id above `after`, in id order; only those at or after `since`, by
        `actor`, of one of `actions`, about `subject`, when given."""
        query = select(TABLE).where(TABLE.c.id > after)
        if since is not None:
            query = query.where(TABLE.c.at >= since)
        if actor is not None:
            query = query.where(TABLE.c.actor == actor)
        if actions:
            query = query.where(TABLE.c.action.in_(list(actions)))
        if subject is not None:
            query = query.where(TABLE.c.subject == subject)
        with self._reading() as s:
            rows = s.execute(query.order_by(TABLE.c.id).limit(limit)).all()
        return [AuditEvent(*row) for row in rows]

    def record_undo(self, submission_id: int, decision_id: str, verdict: str) -> None:
        """A decision taken back in its undo window never reached the database (the journal kept it back), so
        its undo has no write to go with: this event is the database's only record of it."""
        with self._writing() as s:
            self._append_event(s, "undo", f"submission:{submission_id}", {"decision": decision_id, "verdict": verdict})
