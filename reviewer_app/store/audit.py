"""Reading the audit trail (store/chain.py appends to it), and the one event that has no write of its own.

Events are read a page at a time in id order (keyset: id above the last one seen), so a trail of millions
is checked or listed without holding it in memory, and each page is a short read of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from reviewer_app.domain import AuditEvent
from reviewer_app.store.base import StoreBase
from reviewer_app.store.chain import AUDIT_LOCK, TABLE, canonical_details, iso_at

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

    def record_undo(
        self, submission_id: int, decision_id: str, verdict: str, undone_at: datetime | None = None
    ) -> bool:
        """A decision taken back in its undo window never reached the database (the journal kept it back), so
        its undo has no write to go with: this event is the database's only record of it. `undone_at`: the
        workstation's time of the undo (sent later, from the journal; the event's own time is the server's).

        Appended once however often it is sent (a decision is undone once, so the event is known by its
        subject and details): False when the trail has it already, its acknowledgement lost on the way. The
        check and the append hold the trail's lock (PostgreSQL's advisory lock; SQLite's single writer)."""
        subject = f"submission:{submission_id}"
        details: dict[str, object] = {"decision": decision_id, "verdict": verdict}
        if undone_at is not None:
            details["undone_at"] = iso_at(undone_at)
        with self._writing() as s:
            if self.backend == "postgresql":
                s.execute(select(func.pg_advisory_xact_lock(AUDIT_LOCK)))
            known = s.execute(
                select(TABLE.c.id).where(
                    TABLE.c.subject == subject, TABLE.c.action == "undo", TABLE.c.details == canonical_details(details)
                )
            ).first()
            if known is not None:
                return False
            self._append_event(s, "undo", subject, details)
        return True
