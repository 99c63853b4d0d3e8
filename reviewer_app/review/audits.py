"""Spot-check audits: a reproducible, stratified sample of final decisions into the audit queue; a blind
re-review of each on the evidence its reviewer had (frozen with the decision, review/evidence.py); the
comparison with the original once the auditor has recorded their own verdict; and what a lead does after
a disagreement (reopen the submission, recall the app, write the reviewer a note).

The sample is stratified by (reviewer, kind): each stratum with decisions to sample gets its share, at
least one, taken by ranking its decisions on SHA-256 of (seed, decision id). So the same seed over the
same decisions gives the same sample whatever order they are read in, and a decision joining or leaving a
stratum moves no other's rank. All of a new reviewer's first N final decisions are taken as well.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reviewer_app.apk.facts import ApkFacts
from reviewer_app.domain import (
    FINAL_VERDICTS,
    AuditQueueItem,
    AuditRecord,
    DecisionRecord,
    RecallCase,
    ReviewerNote,
    SampleCandidate,
    SubmissionDetail,
)
from reviewer_app.review.decisions import clean_reasons
from reviewer_app.review.detail import ReviewDetail, assemble_detail, detail_flags
from reviewer_app.review.evidence import OPEN_STATUSES, thaw
from reviewer_app.review.reasons import REASON_CODES
from reviewer_app.review.sampling import check_shares, effective_shares
from reviewer_app.review.service import ReviewError, SubmissionView

NOTE_LIMIT = 4000  # characters of a note to a reviewer or of an auditor's note
DAILY_WINDOW = timedelta(days=1)  # what the first daily sample looks back over


@dataclass(frozen=True)
class SampledDecision:
    """A decision picked for an audit, and why (domain.SAMPLE_REASONS)."""

    decision_id: str
    submission_id: int
    reviewer: str
    kind: str
    decided_at: datetime
    why: str

    def to_json(self) -> dict[str, Any]:
        """The command line's record (CLI.md: `audit sample --json`)."""
        return {"decision_id": self.decision_id, "submission_id": self.submission_id, "reviewer": self.reviewer}


def sample_rank(seed: int, decision_id: str) -> str:
    """A decision's place in its stratum for this seed: independent of every other decision."""
    return hashlib.sha256(f"{seed}:{decision_id}".encode()).hexdigest()


def _rounded(rate: float, count: int) -> int:
    """`rate` of `count`, rounded half up (in decimal: 0.05 of 50 is 3, not 2)."""
    return int((Decimal(str(rate)) * count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pick_sample(
    candidates: Sequence[SampleCandidate],
    first: Iterable[str],
    rate: float,
    seed: int,
    *,
    per_kind: Mapping[str, float] | None = None,
    per_reviewer: Mapping[str, float] | None = None,
) -> list[SampledDecision]:
    """The sample of `candidates`: in each (reviewer, kind) stratum the decisions in `first` (a new
    reviewer's first ones), then the best-ranked others up to the stratum's share of its decisions at the
    reviewer's rate, else the kind's, else `rate`. Oldest decision first."""
    first = set(first)
    strata: dict[tuple[str, str], list[SampleCandidate]] = defaultdict(list)
    for candidate in candidates:
        strata[(candidate.reviewer, candidate.kind)].append(candidate)
    picked: list[SampledDecision] = []
    for (reviewer, kind), members in sorted(strata.items()):
        stratum_rate = (per_reviewer or {}).get(reviewer, (per_kind or {}).get(kind, rate))
        forced = [c for c in members if c.decision_id in first]
        others = sorted(
            (c for c in members if c.decision_id not in first), key=lambda c: sample_rank(seed, c.decision_id)
        )
        by_rate = _rounded(stratum_rate, len(members))
        share = min(len(members), max(1, by_rate)) if stratum_rate > 0 else 0  # every stratum gets one
        picked += [_sampled(c, "new_reviewer") for c in forced]
        picked += [_sampled(c, "rate" if by_rate else "stratum") for c in others[: max(0, share - len(forced))]]
    return sorted(picked, key=lambda p: (p.decided_at, p.decision_id))


def _sampled(candidate: SampleCandidate, why: str) -> SampledDecision:
    return SampledDecision(candidate.decision_id, candidate.submission_id, candidate.reviewer, candidate.kind,
                           candidate.decided_at, why)  # fmt: skip


def sample_from_store(
    store: Any,
    rate: float,
    seed: int,
    *,
    per_kind: Mapping[str, float] | None = None,
    per_reviewer: Mapping[str, float] | None = None,
    new_reviewer_first_n: int = 20,
    since: datetime | None = None,
) -> list[SampledDecision]:
    """The sample of the final decisions in `store` not sampled or audited yet (decided since `since`)."""
    shares = check_shares(rate, per_kind, per_reviewer, new_reviewer_first_n)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ReviewError(f"the seed must be a whole number from 0 to 2**63-1, not {seed!r}")
    candidates = store.sample_candidates(since)
    first = store.first_decision_ids({c.reviewer for c in candidates}, shares.new_reviewer_first_n)
    return pick_sample(candidates, first, shares.rate, seed, per_kind=shares.per_kind,
                       per_reviewer=shares.per_reviewer)  # fmt: skip


def sample_decisions(
    service: Any,
    rate: float,
    seed: int,
    *,
    per_kind: Mapping[str, float] | None = None,
    per_reviewer: Mapping[str, float] | None = None,
    new_reviewer_first_n: int = 20,
    since: datetime | None = None,
) -> list[SampledDecision]:
    """The sample this seed gives over the decisions not sampled or audited yet; nothing is recorded."""
    return sample_from_store(service.store, rate, seed, per_kind=per_kind, per_reviewer=per_reviewer,
                             new_reviewer_first_n=new_reviewer_first_n, since=since)  # fmt: skip


def take_sample(service: Any, rate: float, seed: int, **options: Any) -> list[SampledDecision]:
    """`sample_decisions`, recorded in the audit queue in the caller's name (leads); the decisions put in
    (one sampled by someone else at the same moment is left out)."""
    picks = sample_decisions(service, rate, seed, **options)
    wanted = [(p.decision_id, p.why) for p in picks]
    added = set(service.store.queue_sample(wanted, seed=seed, rate=rate, by=service.reviewer, now=service.clock()))
    return [p for p in picks if p.decision_id in added]


def daily_sample(store: Any, settings: Any, now: datetime, by: str) -> list[SampledDecision] | None:
    """The day's sample at the team's rates (review/sampling.py: the database's, else `settings`, the
    workstation's [audits]), taken by a worker's housekeeping once a day between all workers: the decisions
    since the last daily sample (the day before, the first time). The seed is the date (20261129), so a lead
    can draw the same sample again. None when the day's sample was taken already."""
    from reviewer_app.store.audits import SampleTaken

    day = now.date().isoformat()
    if store.sample_day_taken(day):
        return None
    shares = effective_shares(store, settings)
    since = store.last_daily_sample() or now - DAILY_WINDOW
    seed = int(day.replace("-", ""))
    picks = sample_from_store(store, shares.rate, seed, per_kind=shares.per_kind, per_reviewer=shares.per_reviewer,
                              new_reviewer_first_n=shares.new_reviewer_first_n, since=since)  # fmt: skip
    try:
        added = set(store.queue_sample([(p.decision_id, p.why) for p in picks], seed=seed, rate=shares.rate,
                                       by=by, now=now, day=day))  # fmt: skip
    except SampleTaken:
        return None
    return [p for p in picks if p.decision_id in added]


# -- the queue --------------------------------------------------------------------------------------


def audit_queue(service: Any, include_done: bool = False) -> list[AuditQueueItem]:
    return service.store.audit_queue(service.reviewer, None if include_done else ("open",))


def claim_audit(service: Any, item_id: int) -> AuditQueueItem:
    """Take a sampled decision to audit (leads; never one's own)."""
    item = service.store.audit_item(item_id, service.reviewer)
    if item.by_you:
        raise ReviewError("you cannot audit your own decision")
    service.store.claim_audit_item(item_id, service.reviewer, service.clock())
    return service.store.audit_item(item_id, service.reviewer)


def release_audit(service: Any, item_id: int) -> bool:
    return service.store.release_audit_item(item_id, service.reviewer)


# -- the blind re-review ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditView:
    """What an auditor sees before recording their verdict: the evidence the reviewer had, as a
    ReviewDetail for the evidence panels, and nothing of the decision but when it was made."""

    decision_id: str
    submission_id: int
    detail: ReviewDetail
    decided_at: datetime
    frozen: bool  # False: decided before evidence was kept; the detail is the database's now
    evidence_sha256: str | None = None


@dataclass(frozen=True)
class AuditComparison:
    """The auditor's verdict beside the original, once the audit is recorded."""

    audit: AuditRecord
    original: DecisionRecord
    submission_status: str | None = None  # now (a reopened submission is pending again)
    withdrawn: bool = False  # the app is recalled

    @property
    def agree(self) -> bool:
        return self.audit.outcome == "agree"

    @property
    def verdict_differs(self) -> bool:
        return self.audit.verdict != self.original.verdict

    @property
    def reasons_added(self) -> tuple[str, ...]:
        """Reasons the auditor gave that the reviewer did not."""
        return tuple(r for r in self.audit.reason_codes if r not in self.original.reason_codes)

    @property
    def reasons_removed(self) -> tuple[str, ...]:
        """Reasons the reviewer gave that the auditor did not."""
        return tuple(r for r in self.original.reason_codes if r not in self.audit.reason_codes)

    @property
    def can_recall(self) -> bool:
        return self.original.verdict == "approve" and self.submission_status == "approved" and not self.withdrawn


def _decision(service: Any, decision_id: str) -> DecisionRecord:
    decision = service.store.decision((decision_id or "").strip())
    if decision is None:
        raise ReviewError(f"no decision {decision_id!r}")
    return decision


def _not_own(service: Any, decision: DecisionRecord) -> None:
    if decision.reviewer == service.reviewer:
        raise ReviewError("you cannot audit your own decision")


def _blob(service: Any, sha256: str | None) -> bytes | None:
    if not sha256:
        return None
    try:
        return service.store.blobs.read(sha256)
    except OSError:
        return None


def open_audit(service: Any, decision_id: str) -> AuditView:
    """The blind view of a decision: its frozen evidence rebuilt for the evidence panels (not the
    database's today), without its verdict, reasons, message or reviewer (their name hidden wherever the
    evidence carries it)."""
    decision = _decision(service, decision_id)
    _not_own(service, decision)
    sha, text = service.store.decision_evidence(decision.decision_id)
    if text is not None:
        try:
            thawed = thaw(text)
        except ValueError as exc:
            raise ReviewError(f"decision {decision.decision_id}: {exc}") from None
        stored = replace(thawed.detail, icon_png=_blob(service, thawed.detail.icon_blob))
        changes, flags = thawed.changes, thawed.red_flags
    else:
        stored = _as_decided(service.store.detail(decision.submission_id), decision)
        changes, flags = None, ()
    stored = _blind(stored, decision.reviewer)
    facts = ApkFacts.from_json(stored.facts, stored.icon_png) if stored.facts else None
    previous = ApkFacts.from_json(stored.previous_facts) if stored.previous_facts else None
    view = SubmissionView(stored, facts, previous)
    if text is None:
        changes = view.changes
        flags = detail_flags(view, changes)
    detail = assemble_detail(service, view, changes, tuple(flags))
    return AuditView(decision.decision_id, decision.submission_id, detail, decision.decided_at, text is not None, sha)


HIDDEN = "—"  # in place of the audited decision's reviewer, wherever the evidence names them


def _blind(detail: SubmissionDetail, reviewer: str) -> SubmissionDetail:
    """The evidence with its reviewer's name hidden where it carries it: who decided other versions or
    earlier on this one, who asked for a device run, the workstation whose background worker scanned (a
    worker is named "user@host:pid"). The auditor learns whose decision it is after recording theirs."""

    def hide(name: str | None) -> str | None:
        return HIDDEN if name and (name == reviewer or name.partition("@")[0] == reviewer) else name

    previous = detail.previous_device_run
    return replace(
        detail,
        decisions=tuple(replace(d, reviewer=hide(d.reviewer) or "") for d in detail.decisions),
        versions=tuple(replace(v, decided_by=hide(v.decided_by)) for v in detail.versions),
        scans=tuple(replace(scan, worker=hide(scan.worker)) for scan in detail.scans),
        device_runs=tuple(replace(run, created_by=hide(run.created_by) or "") for run in detail.device_runs),
        previous_device_run=replace(previous, created_by=hide(previous.created_by) or "") if previous else None,
    )


def _as_decided(detail: SubmissionDetail, decision: DecisionRecord) -> SubmissionDetail:
    """A submission read now, for a decision sent before evidence was kept: open and unclaimed, as its
    reviewer had it, with only the decisions taken on it before this one."""
    row = replace(detail.row, status="pending" if detail.row.status not in OPEN_STATUSES else detail.row.status,
                  claimed_by=None, lease_until=None)  # fmt: skip
    before = tuple(d for d in detail.decisions if d.decided_at < decision.decided_at)
    return replace(detail, row=row, decisions=before, scan_job=None, clone_job=None, device_job=None)


def record_audit(
    service: Any, decision_id: str, verdict: str, reasons: Sequence[str] = (), note: str | None = None
) -> AuditComparison:
    """Keep the auditor's verdict (agree when it is the original's), and only then give the original with
    the differences."""
    if verdict not in FINAL_VERDICTS:
        raise ReviewError(f"an audit's verdict is approve or reject, not {verdict!r}")
    reasons = clean_reasons(reasons)
    unknown = [r for r in reasons if r not in REASON_CODES]
    if unknown:
        raise ReviewError(f"unknown reason code {unknown[0]!r} (known: {', '.join(sorted(REASON_CODES))})")
    if verdict == "reject" and not reasons:
        raise ReviewError("a rejection needs at least one reason code")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LIMIT:
        raise ReviewError(f"the note is longer than {NOTE_LIMIT} characters")
    decision = _decision(service, decision_id)
    _not_own(service, decision)
    outcome = "agree" if verdict == decision.verdict else "disagree"
    audit = service.store.record_audit(audit_id=str(uuid.uuid4()), decision_id=decision.decision_id,
                                       auditor=service.reviewer, verdict=verdict, reasons=reasons, note=note,
                                       outcome=outcome, now=service.clock())  # fmt: skip
    return _comparison(service, audit, decision)


def audit_comparison(service: Any, decision_id: str) -> AuditComparison:
    """The comparison of a decision audited already (by anyone); refused before it is audited."""
    decision = _decision(service, decision_id)
    audits = service.store.audits(decision.decision_id)
    if not audits:
        raise ReviewError(f"decision {decision.decision_id} is not audited yet: record an audit first")
    return _comparison(service, audits[-1], decision)


def _comparison(service: Any, audit: AuditRecord, decision: DecisionRecord) -> AuditComparison:
    detail = service.store.detail(decision.submission_id, icon=False)
    return AuditComparison(audit, decision, detail.row.status, detail.withdrawn_at is not None)


# -- after a disagreement ---------------------------------------------------------------------------


def reopen_audited(service: Any, decision_id: str) -> datetime:
    """Put the audited decision's submission back into the queue, pending, with the deadline its tier
    gives from now; the new deadline."""
    comparison = audit_comparison(service, decision_id)
    sid = comparison.original.submission_id
    rows = service.store.queue_rows([sid])
    tier = rows[0].tier if rows else 3
    deadline = service.sla.deadline(service.clock(), tier)
    if not service.store.reopen_submission(sid, deadline, service.reviewer):
        raise ReviewError(f"submission {sid} is in the queue already")
    return deadline


def recall_audited(service: Any, decision_id: str, reason: str) -> RecallCase:
    """Recall the app the audited decision approved: a recall case, closed as recalled (the app is
    withdrawn from the store)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a reason is required to recall an app")
    comparison = audit_comparison(service, decision_id)
    if comparison.original.verdict != "approve":
        raise ReviewError("only an approved app can be recalled")
    return service.store.recall_submission(comparison.original.submission_id, service.reviewer, reason,
                                           service.clock())  # fmt: skip


def note_to_reviewer(service: Any, decision_id: str, text: str) -> ReviewerNote:
    """A note to the reviewer of an audited decision, shown in their window until they have read it."""
    text = (text or "").strip()
    if not text:
        raise ReviewError("the note is empty")
    if len(text) > NOTE_LIMIT:
        raise ReviewError(f"the note is longer than {NOTE_LIMIT} characters")
    comparison = audit_comparison(service, decision_id)
    original = comparison.original
    return service.store.add_reviewer_note(original.reviewer, service.reviewer, original.decision_id, text,
                                           service.clock())  # fmt: skip


def unread_notes(service: Any) -> list[ReviewerNote]:
    """Notes to this user not read yet, newest first."""
    return service.store.reviewer_notes(service.reviewer, unread_only=True)


def mark_notes_read(service: Any, note_ids: Sequence[int]) -> int:
    return service.store.mark_notes_read(list(note_ids), service.reviewer, service.clock())


__all__ = [
    "AuditComparison",
    "AuditView",
    "SampledDecision",
    "audit_comparison",
    "audit_queue",
    "claim_audit",
    "daily_sample",
    "mark_notes_read",
    "note_to_reviewer",
    "open_audit",
    "pick_sample",
    "recall_audited",
    "record_audit",
    "release_audit",
    "reopen_audited",
    "sample_decisions",
    "sample_from_store",
    "take_sample",
    "unread_notes",
]
