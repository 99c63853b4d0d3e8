"""Spot-check audits: the decisions a sample may take, the audit queue, the audits themselves, and the
evidence each decision was frozen with.

Who may do what is PostgreSQL's to say (roles.py: leads and workers sample, leads claim and audit, never
their own decisions); on SQLite, which has no users, the store checks the same rules itself.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import (
    FINAL_VERDICTS,
    AuditQueueItem,
    AuditRecord,
    NotFound,
    PermissionDenied,
    SampleCandidate,
    StoreError,
)
from reviewer_app.store.base import StoreBase
from reviewer_app.store.errors import IntegrityViolation
from reviewer_app.store.schema import (
    App,
    Artifact,
    Audit,
    AuditQueueEntry,
    AuditSampleDay,
    Decision,
    EvidenceSnapshot,
    Submission,
)

CLAIM_EXPIRES = timedelta(days=1)  # a lead's claim on an audit that long untouched is free again (roles.py)
QUEUE_SHOWN = 2000


class SampleTaken(StoreError):
    """The day's automatic sample was taken already (by another worker, say)."""


class AuditWrites(StoreBase):
    # -- sampling --------------------------------------------------------------------------------

    def sample_candidates(self, since: datetime | None = None) -> list[SampleCandidate]:
        """Final decisions (approve, reject) neither sampled nor audited yet, oldest first; `since`: decided
        at or after it."""
        query = (
            select(Decision.id, Decision.submission_id, Decision.reviewer, Submission.kind, Decision.decided_at)
            .join(Submission, Submission.id == Decision.submission_id)
            .where(Decision.verdict.in_(FINAL_VERDICTS))
            .where(~exists().where(AuditQueueEntry.decision_id == Decision.id))
            .where(~exists().where(Audit.decision_id == Decision.id))
            .order_by(Decision.decided_at, Decision.id)
        )
        if since is not None:
            query = query.where(Decision.decided_at >= since)
        with self._reading() as s:
            return [
                SampleCandidate(str(i), int(sid), str(who), str(kind), at) for i, sid, who, kind, at in s.execute(query)
            ]

    def first_decision_ids(self, reviewers: Collection[str], n: int) -> set[str]:
        """The ids of each reviewer's first `n` final decisions (the ones a new reviewer has all audited)."""
        if n <= 0 or not reviewers:
            return set()
        ranked = (
            select(
                Decision.id.label("id"),
                func.row_number()
                .over(partition_by=Decision.reviewer, order_by=(Decision.decided_at, Decision.id))
                .label("n"),
            )
            .where(Decision.verdict.in_(FINAL_VERDICTS), Decision.reviewer.in_(sorted(set(reviewers))))
            .subquery()
        )
        with self._reading() as s:
            return {str(i) for i in s.execute(select(ranked.c.id).where(ranked.c.n <= n)).scalars()}

    def queue_sample(
        self,
        picks: Sequence[tuple[str, str]],
        *,
        seed: int,
        rate: float,
        by: str,
        now: datetime,
        day: str | None = None,
    ) -> list[str]:
        """Put sampled decisions ((decision id, why)) into the audit queue, leaving out any another sample took
        meanwhile; the ids put in. `day`: the day's automatic sample, taken once (SampleTaken otherwise).
        Leads sample on demand, workers daily: PostgreSQL's grants say so; on SQLite, where the background
        worker runs as the workstation's user, only a sample on demand is checked."""
        if day is None:
            self._require_sampler(by)
        for attempt in range(3):
            try:
                return self._queue_sample(picks, seed, rate, by, now, day)
            except IntegrityViolation:
                if day is not None:  # another worker wrote the day's row at the same moment
                    raise SampleTaken(f"the sample of {day} was taken already") from None
                if attempt == 2:  # another sample took some of the same decisions meanwhile: look again
                    raise
        raise AssertionError("unreachable")

    def _queue_sample(
        self, picks: Sequence[tuple[str, str]], seed: int, rate: float, by: str, now: datetime, day: str | None
    ) -> list[str]:
        with self._writing() as s:
            if day is not None and s.get(AuditSampleDay, day) is not None:
                raise SampleTaken(f"the sample of {day} was taken already")
            ids = [decision_id for decision_id, _ in picks]
            taken: set[str] = set()
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                taken |= set(
                    s.execute(
                        select(AuditQueueEntry.decision_id).where(AuditQueueEntry.decision_id.in_(part))
                    ).scalars()
                )
            added = []
            for decision_id, why in picks:
                if decision_id in taken:
                    continue
                taken.add(decision_id)
                s.add(AuditQueueEntry(decision_id=decision_id, sampled_at=now, sampled_by=by, seed=seed,
                                      rate=rate, why=why, state="open"))  # fmt: skip
                added.append(decision_id)
            if day is not None:  # a worker that wrote the day's row meanwhile makes this one fail whole
                s.add(AuditSampleDay(day=day, taken_at=now, taken_by=by, seed=seed, rate=rate, picked=len(added)))
                s.flush()
            if added:
                self._append_event(s, "sample", f"seed:{seed}",
                                   {"rate": rate, "decisions": len(added), "day": day})  # fmt: skip
            return added

    def last_daily_sample(self) -> datetime | None:
        with self._reading() as s:
            return s.execute(select(func.max(AuditSampleDay.taken_at))).scalar()

    def sample_day_taken(self, day: str) -> bool:
        with self._reading() as s:
            return s.get(AuditSampleDay, day) is not None

    def _require_sampler(self, name: str) -> None:
        if self.backend != "postgresql" and self.role_of(name) not in ("lead", "admin", "worker"):  # type: ignore[attr-defined]
            raise PermissionDenied(f"{name} is not a lead: only leads take samples for audits")

    # -- the queue -------------------------------------------------------------------------------

    def audit_queue(
        self, user: str, states: Sequence[str] | None = ("open",), limit: int = QUEUE_SHOWN
    ) -> list[AuditQueueItem]:
        """Sampled decisions, oldest sample first; what each was about but not how or by whom it was decided."""
        query = self._queue_query(user).limit(limit)
        if states:
            query = query.where(AuditQueueEntry.state.in_(list(states)))
        with self._reading() as s:
            return [_item(entry, *rest) for entry, *rest in s.execute(query)]

    def audit_item(self, item_id: int, user: str) -> AuditQueueItem:
        with self._reading() as s:
            found = s.execute(self._queue_query(user).where(AuditQueueEntry.id == item_id)).first()
        if found is None:
            raise NotFound(f"no audit queue entry {item_id}")
        entry, *rest = found
        return _item(entry, *rest)

    @staticmethod
    def _queue_query(user: str):
        return (
            select(
                AuditQueueEntry,
                Decision.submission_id,
                Submission.kind,
                func.coalesce(Artifact.package, App.package),
                func.coalesce(Artifact.label, App.label),
                Decision.reviewer == user,
                Audit.outcome,
                Audit.auditor,
            )
            .join(Decision, Decision.id == AuditQueueEntry.decision_id)
            .join(Submission, Submission.id == Decision.submission_id)
            .outerjoin(Artifact, Artifact.id == Submission.artifact_id)
            .outerjoin(App, App.id == Submission.app_id)
            .outerjoin(Audit, Audit.id == AuditQueueEntry.audit_id)
            .order_by(AuditQueueEntry.sampled_at, AuditQueueEntry.id)
        )

    def claim_audit_item(self, item_id: int, by: str, now: datetime) -> None:
        """Take an open entry to audit (or keep it); refused when someone else holds it or it is `by`'s own
        decision."""
        self._require_lead(by)
        with self._writing() as s:
            entry = s.get(AuditQueueEntry, item_id)
            if entry is None:
                raise NotFound(f"no audit queue entry {item_id}")
            if entry.state != "open":
                raise StoreError(f"audit queue entry {item_id} is audited already")
            self._refuse_own(s, entry.decision_id, by)
            free = or_(
                AuditQueueEntry.claimed_by.is_(None),
                AuditQueueEntry.claimed_by == by,
                AuditQueueEntry.claimed_at < now - CLAIM_EXPIRES,
            )
            taken = s.execute(
                update(AuditQueueEntry)
                .where(AuditQueueEntry.id == item_id, AuditQueueEntry.state == "open", free)
                .values(claimed_by=by, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            if not getattr(taken, "rowcount", 0):
                raise StoreError(f"audit queue entry {item_id} is held by {entry.claimed_by}")

    def release_audit_item(self, item_id: int, by: str) -> bool:
        with self._writing() as s:
            released = s.execute(
                update(AuditQueueEntry)
                .where(AuditQueueEntry.id == item_id, AuditQueueEntry.state == "open", AuditQueueEntry.claimed_by == by)
                .values(claimed_by=None, claimed_at=None)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(released, "rowcount", 0))

    def _refuse_own(self, s: Session, decision_id: str, by: str) -> None:
        """Nobody audits their own decisions: PostgreSQL's policies refuse it; here for SQLite, and to say so
        in one line before the server does."""
        reviewer = s.execute(select(Decision.reviewer).where(Decision.id == decision_id)).scalar_one_or_none()
        if reviewer is None:
            raise NotFound(f"no decision {decision_id}")
        if reviewer == by and self.backend != "postgresql":
            raise PermissionDenied(f"{by} may not audit their own decision")

    # -- audits ----------------------------------------------------------------------------------

    def record_audit(
        self,
        *,
        audit_id: str,
        decision_id: str,
        auditor: str,
        verdict: str,
        reasons: Sequence[str],
        note: str | None,
        outcome: str,
        now: datetime,
    ) -> AuditRecord:
        """Append an audit and close the decision's entry in the audit queue (when it has one), in one
        transaction. Refused for the auditor's own decision, and for a decision audited already."""
        self._require_lead(auditor)
        with self._writing() as s:
            self._refuse_own(s, decision_id, auditor)
            earlier = s.execute(select(Audit.auditor).where(Audit.decision_id == decision_id).limit(1)).scalar()
            if earlier is not None:
                raise StoreError(f"decision {decision_id} was audited already (by {earlier})")
            s.add(Audit(id=audit_id, decision_id=decision_id, auditor=auditor, audited_at=now, outcome=outcome,
                        note=note, verdict=verdict, reason_codes=list(reasons)))  # fmt: skip
            s.flush()
            s.execute(
                update(AuditQueueEntry)
                .where(AuditQueueEntry.decision_id == decision_id, AuditQueueEntry.state == "open")
                .where(
                    or_(
                        AuditQueueEntry.claimed_by.is_(None),
                        AuditQueueEntry.claimed_by == auditor,
                        AuditQueueEntry.claimed_at < now - CLAIM_EXPIRES,
                    )
                )
                .values(state="done", audit_id=audit_id, claimed_by=auditor, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            self._append_event(s, "audit", f"decision:{decision_id}",
                               {"audit": audit_id, "outcome": outcome, "verdict": verdict})  # fmt: skip
        return AuditRecord(audit_id, decision_id, auditor, now, outcome, verdict, tuple(reasons), note)

    def audits(self, decision_id: str) -> list[AuditRecord]:
        with self._reading() as s:
            rows = s.execute(
                select(Audit).where(Audit.decision_id == decision_id).order_by(Audit.audited_at, Audit.id)
            ).scalars()
            return [_audit(a) for a in rows]

    def decision_evidence(self, decision_id: str) -> tuple[str | None, str | None]:
        """(key, text) of the evidence a decision was frozen with; (None, None) for one sent before evidence
        was kept. NotFound for no such decision."""
        with self._reading() as s:
            found = s.execute(
                select(Decision.evidence_sha256, EvidenceSnapshot.body)
                .outerjoin(EvidenceSnapshot, EvidenceSnapshot.sha256 == Decision.evidence_sha256)
                .where(Decision.id == decision_id)
            ).first()
        if found is None:
            raise NotFound(f"no decision {decision_id}")
        return found[0], found[1]

    def evidence_count(self, shas: Collection[str] | None = None) -> int:
        """How many frozen evidence texts are kept (of `shas`, when given)."""
        query = select(func.count()).select_from(EvidenceSnapshot)
        if shas is not None:
            query = query.where(EvidenceSnapshot.sha256.in_(sorted(set(shas))))
        with self._reading() as s:
            return int(s.execute(query).scalar_one())


def _item(entry: AuditQueueEntry, submission_id, kind, package, label, by_you, outcome, auditor) -> AuditQueueItem:
    return AuditQueueItem(
        item_id=entry.id,
        decision_id=entry.decision_id,
        submission_id=int(submission_id),
        kind=str(kind),
        package=package,
        label=label,
        sampled_at=entry.sampled_at,
        sampled_by=entry.sampled_by,
        seed=int(entry.seed),
        rate=float(entry.rate),
        why=entry.why,
        state=entry.state,
        claimed_by=entry.claimed_by,
        claimed_at=entry.claimed_at,
        by_you=bool(by_you),
        outcome=outcome,
        auditor=auditor,
    )


def _audit(a: Audit) -> AuditRecord:
    return AuditRecord(a.id, a.decision_id, a.auditor, a.audited_at, a.outcome, a.verdict,
                       tuple(a.reason_codes or ()), a.note)  # fmt: skip
