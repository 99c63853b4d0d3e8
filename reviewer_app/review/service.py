"""The review workflow: submit, queue, claim, release, decide. Used the same way by the CLI and the GUI."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from reviewer_app.apk.diff import VersionDiff, diff_versions
from reviewer_app.apk.facts import ApkFacts
from reviewer_app.config import Settings
from reviewer_app.credentials import load_password, without_password
from reviewer_app.domain import (
    BLOCKLIST_KINDS,
    KINDS,
    OPEN_STATUSES,
    AlreadyDecided,
    AuditEvent,
    BlocklistEntry,
    ClaimRecord,
    DatabaseUnavailable,
    DecisionRecord,
    HeldByOther,
    NotFound,
    ProtectedNameEntry,
    QueueRow,
    RecallCase,
    Rollback,
    StoreError,
    SubmissionDetail,
    iso_utc,
)
from reviewer_app.review import trail
from reviewer_app.review.decisions import clean_message, clean_reasons, decision_problem
from reviewer_app.review.flags import red_flags
from reviewer_app.review.sla import SlaPolicy
from reviewer_app.review.trail import TrailCheck
from reviewer_app.store import Store
from reviewer_app.store.journal import DecisionJournal, JournalEntry, UndoEvent

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReviewError(Exception):
    """Bad input from the caller; the message is one line for a person."""


@dataclass(frozen=True)
class SubmitOutcome:
    file: str
    ok: bool
    error: str | None = None
    submission_id: int | None = None
    deadline: datetime | None = None
    facts: ApkFacts | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "submission_id": self.submission_id,
            "deadline": iso_utc(self.deadline),
        }


@dataclass(frozen=True)
class DecideOutcome:
    submission_id: int
    ok: bool
    error: str | None = None
    decision_id: str | None = None
    status: str | None = None
    decision: DecisionRecord | None = None
    conflict: bool = False  # somebody else decided or holds it: the caller should refresh
    queued: bool = False  # kept in the offline journal; pushed when the database answers again
    # For a conflict: "decided" or "held", by whom and when (decision time or lease end), to show translated.
    conflict_kind: str | None = None
    conflict_by: str | None = None
    conflict_at: datetime | None = None
    undo_until: datetime | None = None  # kept back in the journal until then: `undo` takes it back meanwhile

    def to_json(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "ok": self.ok,
            "error": self.error,
            "decision_id": self.decision_id,
            "status": self.status,
        }


@dataclass(frozen=True)
class UndoOutcome:
    submission_id: int | None
    ok: bool
    error: str | None = None
    # Why not: "sent" (only a lead can reopen it now), "late" (past its undo window, waiting for the
    # database), "conflict" (the database refused it anyway), "undone" (already), "missing".
    code: str | None = None


@dataclass(frozen=True)
class SubmissionView:
    """A submission with its APK facts rebuilt as ApkFacts, for the detail panel."""

    detail: SubmissionDetail
    facts: ApkFacts | None
    previous: ApkFacts | None

    @property
    def row(self) -> QueueRow:
        return self.detail.row

    @property
    def changes(self) -> VersionDiff | None:
        """What changed since the last approved version of the package (None: no such version)."""
        return compare_versions(self.previous, self.facts)


def compare_versions(previous: ApkFacts | None, facts: ApkFacts | None) -> VersionDiff | None:
    """An update against the last approved version, by apk/diff.py alone; None when there is nothing to
    compare (no approved version, or one side unreadable)."""
    if facts is None or previous is None or not (facts.ok and previous.ok):
        return None
    return diff_versions(previous, facts)


def _conflict_facts(exc: StoreError) -> tuple[str | None, str | None, datetime | None, str | None]:
    """(kind, by whom, when, their verdict) of what refused a decision."""
    if isinstance(exc, AlreadyDecided):
        decision = exc.decision
        return (
            ("decided", decision.reviewer, decision.decided_at, decision.verdict)
            if decision
            else ("decided", None, None, None)
        )
    if isinstance(exc, HeldByOther):
        return "held", exc.holder, exc.lease_until, None
    if isinstance(exc, NotFound):
        return "missing", None, None, None
    return None, None, None, None


@dataclass(frozen=True)
class HeldDecision:
    """A decision the journal keeps back for the undo window."""

    decision_id: str
    submission_id: int
    verdict: str
    send_after: datetime


@dataclass(frozen=True)
class JournalStatus:
    pending: int  # decisions not sent yet: those in their undo window, and those the database did not take yet
    conflicts: tuple[JournalEntry, ...]
    online: bool
    offline_error: DatabaseUnavailable | None = None  # why not online (CredentialsRequired: ask for a password)
    waiting: tuple[int, ...] = ()  # the submissions whose decisions wait, in order: decided, whatever the queue says
    held: tuple[HeldDecision, ...] = ()  # still in their undo window, oldest first
    undos: int = 0  # undos the audit trail has not heard of yet (sent with the decisions)

    @property
    def unsent(self) -> int:
        """Decisions past their undo window that the database has not taken yet (it did not answer)."""
        return self.pending - len(self.held)


def _journal_status(
    journal: DecisionJournal, key: str, online: bool, offline_error: DatabaseUnavailable | None, now: datetime
) -> JournalStatus:
    pending = journal.pending(key)
    held = tuple(
        HeldDecision(e.decision_id, e.submission_id, e.verdict, e.send_after)
        for e in pending
        if e.send_after is not None and e.send_after > now
    )
    waiting = tuple(entry.submission_id for entry in pending)
    undos = len(journal.pending_undos(key))
    return JournalStatus(len(pending), tuple(journal.conflicts(key)), online, offline_error, waiting, held, undos)


def local_journal_status(settings: Settings, offline_error: DatabaseUnavailable | None = None) -> JournalStatus:
    """What this workstation's journal keeps for its database, read without the database (which may be down)."""
    journal = DecisionJournal(settings.journal_path)
    try:
        return _journal_status(journal, without_password(settings.database_url), False, offline_error, utc_now())
    finally:
        journal.close()


class ReviewService:
    def __init__(
        self,
        settings: Settings,
        store: Store | None = None,
        clock: Clock = utc_now,
        password: str | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.sla = SlaPolicy(settings.sla)
        url = settings.database_url
        self.password = password if password is not None else load_password(url)
        self.store = store or Store(url, settings.blob_dir, reviewer=settings.reviewer_name, password=self.password)
        self.journal = DecisionJournal(settings.journal_path)
        self.journal_key = without_password(url)
        self.offline_error: DatabaseUnavailable | None = None  # why the database did not answer last time
        self._reviewer: str = self.store.whoami()  # asked once, while connected: decisions work offline
        self._role: str | None = None
        self._pushed: dict[str, tuple[DecisionRecord, str]] = {}

    def close(self) -> None:
        self.store.close()
        self.journal.close()

    @property
    def online(self) -> bool:
        """The database answered the last time it was needed."""
        return self.offline_error is None

    @property
    def reviewer(self) -> str:
        return self._reviewer

    @property
    def lease(self) -> timedelta:
        return timedelta(minutes=self.settings.lease_minutes)

    # -- submit ----------------------------------------------------------------------------------

    def submit_facts(
        self,
        facts: ApkFacts,
        apk_path: str | os.PathLike[str],
        *,
        kind: str,
        developer: str,
        tier: int | None = None,
        note: str | None = None,
        submitted_at: datetime | None = None,
        listing_images: Sequence[str] = (),
    ) -> SubmitOutcome:
        """File an APK that was already parsed (in the background, by a FactsPool), with the developer's
        store-listing images when given."""
        if not facts.ok:
            return SubmitOutcome(facts.file, False, facts.error, facts=facts)
        try:
            self._check_submit(kind, developer, tier)
        except ReviewError as exc:
            return SubmitOutcome(facts.file, False, str(exc), facts=facts)
        submitted_at = submitted_at or self.clock()
        effective_tier = tier if tier is not None else (self.store.developer_tier(developer) or 3)
        deadline = self.sla.deadline(submitted_at, effective_tier)
        approved = self.store.approved_facts(facts.package) if facts.package else None
        flags = red_flags(facts, compare_versions(ApkFacts.from_json(approved) if approved else None, facts))
        from reviewer_app.review.devices import DeviceImportError, read_listing_images

        try:
            listing, listing_files = read_listing_images(listing_images)
        except DeviceImportError as exc:
            return SubmitOutcome(facts.file, False, str(exc), facts=facts)
        try:
            submission_id = self.store.add_submission(
                kind=kind,
                developer=developer,
                tier=tier if tier is not None else effective_tier,
                submitted_at=submitted_at,
                deadline=deadline,
                facts=facts.to_json(),
                red_flags=flags,
                jobs=("scan", "clones") if self.settings.scanning.engines else ("clones",),
                apk_path=apk_path,
                icon_png=facts.icon_png,
                note=note,
                listing=listing,
                listing_files=listing_files,
            )
        except (OSError, ValueError) as exc:
            return SubmitOutcome(facts.file, False, f"could not store the APK ({exc})", facts=facts)
        return SubmitOutcome(facts.file, True, None, submission_id, deadline, facts)

    def submit(
        self,
        paths: Iterable[str],
        *,
        kind: str,
        developer: str,
        tier: int | None = None,
        note: str | None = None,
        listing_images: Sequence[str] = (),
    ) -> Iterator[SubmitOutcome]:
        """Parse each file in a capped worker process, then file it; one outcome per file, in order."""
        from reviewer_app.apk.pool import FactsPool

        paths = list(paths)
        try:
            self._check_submit(kind, developer, tier)
        except ReviewError as exc:
            for path in paths:
                yield SubmitOutcome(path, False, str(exc))
            return
        with FactsPool(workers=self.settings.parse_workers, limits=self.settings.limits) as pool:
            for path, facts in zip(paths, pool.inspect(paths), strict=True):
                yield self.submit_facts(facts, path, kind=kind, developer=developer, tier=tier, note=note,
                                        listing_images=listing_images)  # fmt: skip

    @staticmethod
    def _check_submit(kind: str, developer: str, tier: int | None) -> None:
        if kind not in KINDS:
            raise ReviewError(f"unknown kind {kind!r} (use one of {', '.join(KINDS)})")
        if not developer or not developer.strip():
            raise ReviewError("a developer name is required")
        if tier is not None and not 1 <= tier <= 5:
            raise ReviewError(f"tier must be 1 to 5, not {tier}")

    # -- queue -----------------------------------------------------------------------------------

    @property
    def role(self) -> str:
        if self._role is None:
            self._role = self.store.role_of(self.reviewer)
        return self._role

    @property
    def work_statuses(self) -> tuple[str, ...]:
        """What this user works on: escalations go to leads."""
        return OPEN_STATUSES if self.role in ("lead", "admin") else ("pending",)

    def queue(self, kinds: Sequence[str] | None = None, statuses: Sequence[str] | None = None) -> list[QueueRow]:
        """Open submissions, most urgent first; by default those this user works on."""
        return self.store.queue(statuses=statuses or self.work_statuses, kinds=kinds)

    def queue_ids(self, kinds: Sequence[str] | None = None, statuses: Sequence[str] | None = None) -> list[int]:
        return self.store.queue_ids(statuses=statuses or self.work_statuses, kinds=kinds)

    def queue_count(
        self, kinds: Sequence[str] | None = None, statuses: Sequence[str] | None = None, exclude: Iterable[int] = ()
    ) -> int:
        """How many submissions `queue_ids` would give, leaving out the ids in `exclude`."""
        return self.store.queue_count(statuses=statuses or self.work_statuses, kinds=kinds, exclude=exclude)

    def queue_page(
        self,
        kinds: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        after: Any = None,
        limit: int = 10_000,
    ) -> tuple[list[int], Any]:
        """`queue_ids` a page at a time: (ids, key). Pass the key back as `after` for the next page; it is
        None after the last one. A submission whose deadline changed meanwhile may come twice or not at all."""
        return self.store.queue_page(statuses=statuses or self.work_statuses, kinds=kinds, after=after, limit=limit)

    def queue_rows(self, ids: Sequence[int]) -> list[QueueRow]:
        return self.store.queue_rows(ids)

    def queue_stats(self) -> dict[str, Any]:
        return self.store.queue_stats(self.clock())

    def artifact_path(self, sha256: str) -> Path:
        """Where the blob store keeps this APK (it may be missing where blobs are not shared)."""
        return self.store.blobs.path(sha256)

    def view(self, submission_id: int) -> SubmissionView:
        detail = self.store.detail(submission_id)
        facts = ApkFacts.from_json(detail.facts, detail.icon_png) if detail.facts else None
        previous = ApkFacts.from_json(detail.previous_facts) if detail.previous_facts else None
        return SubmissionView(detail, facts, previous)

    # -- scans, blocklist, recalls ---------------------------------------------------------------

    def request_scan(self, submission_id: int) -> int | None:
        """Ask the workers for a new scan of this submission's package (the Scans panel's re-scan); the job's
        id, or None when one already waits."""
        detail = self.store.detail(submission_id)
        if detail.artifact_sha256 is None:
            raise ReviewError(f"submission {submission_id} has no package to scan")
        return self.store.enqueue_job(
            "scan", "requested", artifact_sha256=detail.artifact_sha256, submission_id=submission_id,
            created_by=self.reviewer, now=self.clock(),
        )  # fmt: skip

    def protected_names(self) -> list[ProtectedNameEntry]:
        return self.store.protected_names()

    def protect_name(self, name: str, developer: str, package: str | None = None) -> bool:
        """Put an app name in the brand registry (leads): only `developer` may use it, or one like it."""
        name, developer = (name or "").strip(), (developer or "").strip()
        if not name or not developer:
            raise ReviewError("a protected name needs the name and its owner")
        return self.store.protect_name(name, developer, (package or "").strip() or None, self.reviewer, self.clock())

    def unprotect_name(self, name: str) -> bool:
        return self.store.unprotect_name((name or "").strip(), self.reviewer)

    def catalog_icons(self, catalog_ids: Sequence[int]) -> dict[int, bytes]:
        """The icons of catalog apps (the Clones panel's candidates), as PNG."""
        return self.store.catalog_icons(catalog_ids)

    def scan_job_counts(self) -> dict[str, int]:
        return self.store.job_counts(("scan",))

    def blocklist(self) -> list[BlocklistEntry]:
        return self.store.blocklist()

    def block(self, kind: str, value: str, reason: str) -> bool:
        """Put an APK's or a certificate's SHA-256 on the blocklist (leads); the workers then re-scan every
        live app with the new list. False when it was there already."""
        value = (value or "").strip().lower().replace(":", "")
        if kind not in BLOCKLIST_KINDS:
            raise ReviewError(f"unknown blocklist kind {kind!r} (use {' or '.join(BLOCKLIST_KINDS)})")
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ReviewError(f"{value!r} is not a SHA-256 (64 hexadecimal digits)")
        if not (reason or "").strip():
            raise ReviewError("a reason is required")
        return self.store.add_to_blocklist(kind, value, reason.strip(), self.reviewer, self.clock())

    def unblock(self, kind: str, value: str) -> bool:
        return self.store.remove_from_blocklist(kind, (value or "").strip().lower().replace(":", ""), self.reviewer)

    def recall_cases(self, include_closed: bool = False) -> list[RecallCase]:
        return self.store.recall_cases(None if include_closed else ("open",))

    def recall_app(self, case_id: int, reason: str) -> RecallCase:
        """Close a recall case by recalling the app: it is withdrawn from the store (leads)."""
        if not (reason or "").strip():
            raise ReviewError("a reason is required to recall an app")
        return self.store.close_recall_case(case_id, "recalled", self.reviewer, reason.strip(), self.clock())

    def recall_live_app(self, package: str, reason: str) -> RecallCase:
        """A lead pulls a live app from the store (a recall case of their own, closed as recalled)."""
        return self.store.recall_live_app((package or "").strip(), reason or "", self.reviewer, self.clock())

    def rollback(self, package: str, reason: str) -> Rollback:
        """A lead withdraws the live version of an app; the version approved before it is live again."""
        return self.store.rollback_app((package or "").strip(), reason or "", self.reviewer, self.clock())

    def dismiss_recall(self, case_id: int, note: str) -> RecallCase:
        """Close a recall case and keep the app live (the detection was wrong, say)."""
        return self.store.close_recall_case(case_id, "dismissed", self.reviewer, (note or "").strip(), self.clock())

    # -- the audit trail ---------------------------------------------------------------------------

    def verify_trail(self) -> TrailCheck:
        """Whether any event of the audit trail was changed, removed or reordered (review/trail.py)."""
        return trail.verify(self.store)

    def trail(
        self,
        since: datetime | None = None,
        actor: str | None = None,
        actions: Sequence[str] = (),
        subject: str | None = None,
        limit: int | None = None,
    ) -> Iterator[AuditEvent]:
        """The events of the audit trail that match, oldest first, read a page at a time."""
        return trail.events(self.store, since=since, actor=actor, actions=actions, subject=subject, limit=limit)

    # -- claims ----------------------------------------------------------------------------------

    def claim_next(
        self, kinds: Sequence[str] | None = None, include_escalated: bool | None = None
    ) -> ClaimRecord | None:
        """The most urgent submission this user works on (leads: escalations too), or the one they hold;
        never one whose decision waits in this workstation's journal (in its undo window, or for the
        database): that is decided, whatever the database says yet."""
        if include_escalated is None:
            statuses = self.work_statuses
        else:
            statuses = OPEN_STATUSES if include_escalated else ("pending",)
        waiting = {entry.submission_id for entry in self.journal.pending(self.journal_key)}
        return self.store.claim_next(
            self.reviewer, self.clock(), self.lease, kinds=kinds, statuses=statuses, exclude=waiting
        )

    def claim(self, submission_id: int) -> ClaimRecord:
        return self.store.claim(submission_id, self.reviewer, self.clock(), self.lease)

    def renew(self, submission_id: int) -> bool:
        return self.store.renew(submission_id, self.reviewer, self.clock(), self.lease)

    def release(self, submission_id: int) -> bool:
        return self.store.release(submission_id, self.reviewer)

    # -- decide ----------------------------------------------------------------------------------

    def decide(
        self,
        submission_id: int,
        verdict: str,
        reasons: Sequence[str] = (),
        message: str | None = None,
        decision_id: str | None = None,
        hold: float = 0.0,
    ) -> DecideOutcome:
        """Record a decision: journaled first, then sent. `hold` seconds > 0 keep it back in the journal for
        that long, so that `undo` can take it back (the window does; a script sends at once). A held
        decision is checked against the database first (it claims the submission), so that one decided or
        held by someone else is refused now, not seconds later."""
        reasons = clean_reasons(reasons)
        message = clean_message(message)
        problem = decision_problem(verdict, reasons, message)
        if problem is not None:
            return DecideOutcome(submission_id, False, problem.text())
        now = self.clock()
        send_after = None
        if hold > 0:
            refused = self._claim_before_holding(submission_id, now)
            if refused is not None:
                return refused
            send_after = now + timedelta(seconds=hold)
        entry = JournalEntry(
            decision_id=decision_id or str(uuid.uuid4()),
            database=self.journal_key,
            submission_id=submission_id,
            reviewer=self.reviewer,
            verdict=verdict,
            reason_codes=reasons,
            message=message,
            decided_at=now,
            send_after=send_after,
        )
        self.journal.append(entry)  # kept before anything else can fail
        if send_after is None:
            self._push_pending()
            return self._outcome(entry.decision_id, submission_id)
        self.journal.make_durable()  # the reviewer is told it is saved now
        return DecideOutcome(
            submission_id,
            True,
            None,
            entry.decision_id,
            "held",
            queued=not self.online,
            undo_until=send_after,
        )

    def _claim_before_holding(self, submission_id: int, now: datetime) -> DecideOutcome | None:
        """Take (or keep) the claim; the refusal to return now, or None to go on (also when the database
        does not answer: the decision then waits in the journal like any other)."""
        try:
            self.store.claim(submission_id, self.reviewer, now, self.lease)
        except DatabaseUnavailable as exc:
            self.offline_error = exc
            return None
        except StoreError as exc:
            kind, by, at, _verdict = _conflict_facts(exc)
            conflict = kind in ("decided", "held")
            return DecideOutcome(
                submission_id,
                False,
                str(exc),
                conflict=conflict,
                conflict_kind=kind if conflict else None,
                conflict_by=by,
                conflict_at=at,
            )
        self.offline_error = None
        return None

    def undo(self, decision_id: str) -> UndoOutcome:
        """Take back a decision still in its undo window; once it is sent only a lead can reopen it."""
        entry = self.journal.entry(decision_id)
        if entry is None:
            return UndoOutcome(None, False, "this computer kept no such decision", "missing")
        sid = entry.submission_id
        now = self.clock()
        if entry.state == "pending" and entry.send_after is not None and now < entry.send_after:
            if self.journal.undo(decision_id, now):  # its event for the audit trail journaled with it
                self._push_pending()  # the event goes now, after what is due before it; else with the next flush
                return UndoOutcome(sid, True)
            entry = self.journal.entry(decision_id) or entry
        refusals = {
            "pushed": ("already sent to the database: only a lead can reopen it", "sent"),
            "conflict": ("the database refused it: someone else got there first", "conflict"),
            "dismissed": ("the database refused it: someone else got there first", "conflict"),
            "undone": ("already undone", "undone"),
        }
        error, code = refusals.get(
            entry.state, ("too late to undo: it is sent as soon as the database answers", "late")
        )
        return UndoOutcome(sid, False, error, code)

    def _push_undo(self, undo: UndoEvent) -> None:
        """One undo to the audit trail (the undo itself is done: nothing was sent), at most once there however
        often it is sent; raises DatabaseUnavailable to stop the flush, and the journal keeps it for the next."""
        try:
            self.store.record_undo(undo.submission_id, undo.decision_id, undo.verdict, undo.undone_at)
        except DatabaseUnavailable as exc:
            self.offline_error = exc
            raise
        except StoreError as exc:
            self.journal.mark_undo(undo.decision_id, "refused", str(exc))  # kept for the record, not sent again
        else:
            self.journal.mark_undo(undo.decision_id, "sent")
        self.offline_error = None

    def _push(self, entry: JournalEntry) -> None:
        """One journal entry to the database, with the evidence the submission has now (review/evidence.py:
        a decision made offline is frozen when it is sent); raises DatabaseUnavailable to stop the flush."""
        from reviewer_app.review.evidence import evidence_to_send

        now = self.clock()
        try:
            evidence = evidence_to_send(self, entry.submission_id, entry.decided_at)
            self._pushed[entry.decision_id] = self.store.record_decision(
                decision_id=entry.decision_id,
                submission_id=entry.submission_id,
                reviewer=entry.reviewer,
                verdict=entry.verdict,
                reason_codes=entry.reason_codes,
                message=entry.message,
                now=now,
                lease=self.lease,
                decided_at=entry.decided_at,
                evidence=evidence,
            )
        except DatabaseUnavailable as exc:
            self.offline_error = exc
            raise
        except StoreError as exc:
            kind, by, at, verdict = _conflict_facts(exc)
            self.journal.mark_conflict(entry.decision_id, str(exc), kind, by, at, verdict)
            self.journal.make_durable()  # the reviewer must still find it after a power cut
        else:
            self.journal.mark_pushed(entry.decision_id)
        self.offline_error = None

    def _push_pending(self, held_too: bool = False) -> bool:
        """Push waiting decisions in the order they were made, except those still in their undo window
        (all of them with `held_too`), and the undos the audit trail has not heard of, each after the decisions
        journaled before it; stop at the first unreachable moment. What could not be pushed is made durable
        locally before anybody is told it is saved. True when there was something to push."""
        now = self.clock()
        due = [
            entry
            for entry in self.journal.pending(self.journal_key)
            if held_too or entry.send_after is None or entry.send_after <= now
        ]
        undos = self.journal.pending_undos(self.journal_key)
        waiting = [*undos]
        try:
            for entry in due:
                while waiting and waiting[0].after_seq < (entry.seq or 0):
                    self._push_undo(waiting.pop(0))
                self._push(entry)
            for undo in waiting:
                self._push_undo(undo)
        except DatabaseUnavailable:  # _push and _push_undo noted why
            self.journal.make_durable()
        return bool(due or undos)

    def flush_journal(self, held_too: bool = False) -> JournalStatus:
        """Push what waits (`held_too`: decisions in their undo window as well, when the window closes);
        with nothing to push, still find out whether the database answers."""
        if not self._push_pending(held_too):
            try:
                self.store.ping()
                self.offline_error = None
            except DatabaseUnavailable as exc:
                self.offline_error = exc
        return self.journal_status()

    def journal_status(self) -> JournalStatus:
        return _journal_status(self.journal, self.journal_key, self.online, self.offline_error, self.clock())

    def watch(
        self,
        on_change: Callable[[set[int] | None], None],
        stop: threading.Event,
        interval: float = 1.0,
        on_recalls: Callable[[], None] | None = None,
    ) -> None:
        """Block until `stop` is set, calling `on_change` when other workstations change the queue
        (the changed submission ids, or None for "reload") and `on_recalls` when the recall cases change.
        Run it on a thread of its own."""
        from reviewer_app.store.watch import watch_changes

        watch_changes(self.settings.database_url, on_change, stop, interval, self.password, on_recalls)

    def dismiss_conflict(self, decision_id: str) -> None:
        self.journal.dismiss(decision_id)

    def _outcome(self, decision_id: str, submission_id: int) -> DecideOutcome:
        entry = self.journal.entry(decision_id)
        if entry is None or entry.state == "pending":
            return DecideOutcome(submission_id, True, None, decision_id, "queued", queued=True)
        if entry.state == "conflict" and entry.conflict_kind == "missing":
            # No such submission (a mistyped id): nobody got there first and nothing is lost, so the caller
            # hears it now and the journal does not keep it as a conflict. One sent later (decided offline,
            # the submission gone meanwhile) stays a conflict for the reviewer to see.
            self.journal.dismiss(decision_id)
            return DecideOutcome(submission_id, False, entry.error, decision_id)
        if entry.state == "conflict":
            return DecideOutcome(
                submission_id,
                False,
                entry.error,
                decision_id,
                conflict=True,
                conflict_kind=entry.conflict_kind,
                conflict_by=entry.conflict_by,
                conflict_at=entry.conflict_at,
            )
        pushed: tuple[DecisionRecord | None, str | None] | None = self._pushed.pop(decision_id, None)
        if pushed is None:  # pushed earlier (the same decision sent again)
            decision = self.store.decision(decision_id)
            pushed = (decision, self.store.submission_status(submission_id))
        return DecideOutcome(submission_id, True, None, decision_id, pushed[1], pushed[0])
