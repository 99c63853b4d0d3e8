"""Decisions: appended, never changed; a trigger moves the submission on in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import (
    JSON,
    Integer,
    Interval,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from reviewer_app.domain import (
    VERDICT_STATUS,
    DecisionRecord,
)
from reviewer_app.store.base import StoreBase, decision_record
from reviewer_app.store.chain import TABLE as AUDIT_TABLE
from reviewer_app.store.chain import canonical_details
from reviewer_app.store.errors import IntegrityViolation
from reviewer_app.store.schema import (
    Decision,
    EvidenceSnapshot,
    Submission,
    UTCDateTime,
)


class DecisionWrites(StoreBase):
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
        evidence: tuple[str, str] | None = None,
    ) -> tuple[DecisionRecord, str]:
        """Append a decision; a trigger moves the submission on, in the same transaction.

        `evidence`: (SHA-256, canonical JSON text) of what the reviewer had before them, kept in the same
        transaction (once per distinct text) and named by the decision. Idempotent by decision id (a
        journal may push the same decision twice). Fails with AlreadyDecided or HeldByOther instead of
        overwriting somebody else's work.
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
        subject = f"submission:{submission_id}"
        details = {"decision": decision_id, "verdict": verdict, "reasons": list(record.reason_codes)}
        values = {
            "id": decision_id,
            "submission_id": submission_id,
            "reviewer": reviewer,
            "decided_at": record.decided_at,
            "verdict": verdict,
            "reason_codes": list(record.reason_codes),
            "message": message,
            "evidence_sha256": evidence[0] if evidence else None,
        }
        try:
            if self.backend == "postgresql":
                # Take-or-keep the claim, keep the evidence and insert, in one call (migrations 0004, 0015).
                pushed = self._hot(
                    ("decide",),
                    self._decide_call,
                    {
                        **values,
                        "reason_codes": json.dumps(values["reason_codes"]),
                        "lease": lease,
                        "audit_subject": subject,
                        "audit_details": canonical_details(details),
                        "evidence": evidence[1] if evidence else None,
                    },
                )
                if pushed[0]:
                    return record, VERDICT_STATUS[verdict]
            else:
                take, keep, add_decision = self._prepared(("decide",), self._decide_statements)
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
                        if evidence is not None:
                            conn.execute(keep, {"sha256": evidence[0], "body": evidence[1], "created_at": now})
                        # A trigger moves the submission on in the same transaction (migration 0002).
                        conn.execute(add_decision, values)
                        self._append_event(conn, "decide", subject, details)
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
        keep = sqlite_insert(EvidenceSnapshot).on_conflict_do_nothing(index_elements=["sha256"])
        return take, keep, cast(Table, Decision.__table__).insert()

    @staticmethod
    def _decide_call():
        """record_decision (migrations 0004, 0015: with the evidence) and, when it decided, the audit event, in
        one statement."""
        decided = select(
            func.record_decision(
                bindparam("id", type_=String()),
                bindparam("submission_id", type_=Integer()),
                bindparam("reviewer", type_=String()),
                bindparam("decided_at", type_=UTCDateTime()),
                bindparam("verdict", type_=String()),
                bindparam("reason_codes", type_=JSON()),
                bindparam("message", type_=Text()),
                bindparam("lease", type_=Interval()),
                bindparam("evidence_sha256", type_=String()),
                bindparam("evidence", type_=Text()),
            ).label("pushed")
        ).cte("decided")
        logged = (
            insert(AUDIT_TABLE)
            .from_select(
                ["action", "subject", "details"],
                select(
                    literal_column("'decide'"),
                    bindparam("audit_subject", type_=String()),
                    bindparam("audit_details", type_=Text()),
                ).where(decided.c.pushed),
            )
            .cte("logged")
        )
        return select(decided.c.pushed).add_cte(logged)

    def decision(self, decision_id: str) -> DecisionRecord | None:
        with self._reading() as s:
            d = s.get(Decision, decision_id)
            return decision_record(d) if d else None

    def decisions(self, submission_id: int | None = None) -> list[DecisionRecord]:
        with self._reading() as s:
            stmt = select(Decision).order_by(Decision.decided_at, Decision.id)
            if submission_id is not None:
                stmt = stmt.where(Decision.submission_id == submission_id)
            return [decision_record(d) for d in s.execute(stmt).scalars()]
