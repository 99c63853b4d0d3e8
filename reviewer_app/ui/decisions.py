"""Deciding: approve (asking first when the submission carries red flags), reject, escalate, and undo.

A decision runs on the database worker. The window keeps it in the local journal for the undo window
(`undo_seconds`, 10 s by default) before it is sent: the row leaves the queue at once, the status bar
offers Undo with a countdown, Ctrl+Z takes the last one back. Once sent, only a lead can reopen it.
A decision the database refuses (someone else decided it, or holds it) is said where the reviewer looks,
and the queue follows: a decided row leaves it (the next one is selected), a held one shows its holder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from reviewer_app.review import OPEN_STATUSES, RedFlag, utc_now
from reviewer_app.review.claims import ClaimTracker
from reviewer_app.review.decisions import needs_confirmation
from reviewer_app.review.session import SyncResult, needs_password, one_line
from reviewer_app.ui.conflicts import outcome_text
from reviewer_app.ui.decision_panel import ApproveConfirmation
from reviewer_app.ui.detail_loader import DetailLoader
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.queue_view import QueuePane
from reviewer_app.ui.text import verdict_name


def _status_result(status: Any) -> SyncResult | None:
    if status is None:
        return None
    return SyncResult(
        status.pending,
        tuple(status.conflicts),
        bool(status.online),
        waiting=status.waiting,
        held=status.held,
        undos=status.undos,
    )


class DecisionController(QObject):
    sig_busy = Signal(bool)
    # Text for the decision form, kind ("ok", "error", "busy", "info"), kept when the selection moves on.
    sig_status = Signal(str, str, bool)
    sig_recorded = Signal(int, str)  # submission id, verdict: kept (sent, or held for undo)
    sig_refused = Signal(int, str)  # submission id, one line
    sig_changed_queue = Signal()  # counts changed: the status bar asks again
    sig_journal = Signal(object)  # SyncResult after a decision or an undo
    sig_conflict_said = Signal(str)  # decision id of a refusal said here: the journal need not say it again
    sig_undone = Signal(int, str)  # submission id, what the log says
    sig_undo_offer = Signal(str)  # the status bar's undo button text ("" hides it)
    sig_message = Signal(str, int)
    sig_log = Signal(str, bool)
    sig_password_refused = Signal(str)

    def __init__(
        self,
        jobs: DbJobs,
        claims: ClaimTracker,
        queue: QueuePane,
        loader: DetailLoader,
        window: QWidget,
        undo_seconds: float = 10.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.claims = claims
        self.queue = queue
        self.model = queue.model
        self.loader = loader
        self.window = window
        self.undo_seconds = max(0.0, float(undo_seconds))
        self._clock = clock  # real time, like the journal's undo windows
        self._held: list[Any] = []  # HeldDecision, oldest first
        self._captions: dict[str, tuple[str, str]] = {}  # decision id -> (verdict, caption)
        self.confirmation: ApproveConfirmation | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._offer_undo)

    # -- deciding --------------------------------------------------------------------------------

    def red_flags_of(self, submission_id: int) -> tuple[RedFlag, ...] | None:
        """What approving it must confirm: the evidence on show, else what the queue knows (None: not
        loaded yet)."""
        view = self.loader.view
        if view.submission_id == submission_id and view.data is not None:
            return view.red_flags()
        row = self.model.cached_row(submission_id)
        return row.red_flags if row is not None else None

    def decide_selected(self, verdict: str, reasons: Sequence[str], message: str) -> bool:
        sid = self.queue.current_submission_id()
        if sid is None:
            self.sig_status.emit(self.tr("Select a submission first."), "error", False)
            return False
        return self.request(sid, verdict, reasons, message, self.queue.caption(sid), self.red_flags_of(sid))

    def request(
        self,
        submission_id: int,
        verdict: str,
        reasons: Sequence[str],
        message: str,
        caption: str,
        flags: Sequence[RedFlag] | None,
    ) -> bool:
        """Decide, asking first when approving a submission with red flags. `flags` None: not known yet
        (the submission has not loaded), so an approval waits."""
        if verdict == "approve" and flags is None:
            self.sig_status.emit(self.tr("Wait until the submission has loaded, then approve."), "error", False)
            return False
        if needs_confirmation(verdict, list(flags or ())):
            self.ask_before_approving(submission_id, caption, list(flags or ()))
            return False
        return self.decide(submission_id, verdict, reasons, message, caption)

    def ask_before_approving(self, submission_id: int, caption: str, flags: list[RedFlag]) -> ApproveConfirmation:
        if self.confirmation is not None:
            self.confirmation.close()
        dialog = ApproveConfirmation(submission_id, caption, flags, self.window)
        dialog.sig_confirmed.connect(lambda sid: self.decide(sid, "approve", [], "", caption))
        dialog.finished.connect(lambda _result: self._forget_confirmation(dialog))
        self.confirmation = dialog
        dialog.open()
        return dialog

    def _forget_confirmation(self, dialog: ApproveConfirmation) -> None:
        if self.confirmation is dialog:
            self.confirmation = None

    def decide(self, submission_id: int, verdict: str, reasons: Sequence[str], message: str, caption: str) -> bool:
        """Record the decision on the database worker (kept back for the undo window)."""
        if not self.claims.deciding(submission_id):
            return False
        reasons = list(reasons)
        hold = self.undo_seconds
        self.sig_busy.emit(True)
        self.sig_status.emit(self.tr("Saving…"), "busy", False)

        def run_decision(service: Any) -> tuple[Any, Any]:
            outcome = service.decide(submission_id, verdict, reasons, message or None, hold=hold)
            return outcome, service.journal_status()

        self.jobs.run(
            run_decision,
            on_success=partial(self._on_decided, submission_id, verdict, caption),
            on_failure=partial(self._on_failed, submission_id),
            label="decide",
            local=True,  # a decision kept in the journal succeeds without the database: the outcome says
        )
        return True

    def _on_decided(self, sid: int, verdict: str, caption: str, result: tuple[Any, Any]) -> None:
        outcome, status = result
        self.sig_busy.emit(False)
        if outcome.ok and outcome.queued:
            self.jobs.set_reachable(False)
        elif outcome.ok or outcome.conflict:
            self.jobs.set_reachable(True)
        journal = _status_result(status)
        if outcome.ok:
            self.claims.decided(sid)
            if outcome.decision_id:
                self._captions[outcome.decision_id] = (verdict, caption)
        else:
            self.claims.not_decided(sid)
        if outcome.conflict and outcome.decision_id:
            self.sig_conflict_said.emit(outcome.decision_id)  # said below, where the reviewer looks; once
        if journal is not None:
            self.sig_journal.emit(journal)
            refused = getattr(status, "offline_error", None)
            if outcome.queued and needs_password(refused):
                self.sig_password_refused.emit(one_line(refused))
        if outcome.ok:
            text = self.tr("%1: %2").replace("%1", verdict_name(verdict)).replace("%2", caption)
            if outcome.queued:
                text = self.tr("%1 (kept on this computer; sent when the database answers)").replace("%1", text)
            self.sig_log.emit(text, False)
            self.sig_message.emit(text, 6000)
            self.sig_status.emit(text, "ok", True)
            self.queue.remove_and_advance(sid)
            self.sig_changed_queue.emit()
            self.sig_recorded.emit(sid, verdict)
            return
        error = outcome_text(outcome) if outcome.conflict else (outcome.error or "")
        text = self.tr("Not recorded: %1").replace("%1", error)
        decided_elsewhere = outcome.conflict and outcome.conflict_kind == "decided"
        self.sig_status.emit(text, "error", decided_elsewhere)
        self.sig_log.emit(f"{caption}: {text}", True)
        if outcome.conflict:
            self.sig_message.emit(text, 10000)
        self.sig_refused.emit(sid, error)
        if outcome.conflict:
            self._follow_conflict(sid, outcome)

    def _follow_conflict(self, sid: int, outcome: Any) -> None:
        """The queue as the database has it now: decided elsewhere leaves it, held elsewhere says who."""
        if outcome.conflict_kind == "decided":
            self.claims.decided(sid)
            self.queue.remove_and_advance(sid)
            self.sig_changed_queue.emit()
        elif outcome.conflict_kind == "held":
            self.claims.not_held(sid)
            row = self.model.cached_row(sid)
            if row is not None:
                self.model.update_row(
                    dataclasses.replace(row, claimed_by=outcome.conflict_by, lease_until=outcome.conflict_at)
                )
            if sid == self.loader.shown_id:
                self.loader.reload()
        else:
            self.jobs.run(
                lambda service: service.view(sid),
                on_success=partial(self._after_conflict, sid),
                on_failure=partial(self._remove_anyway, sid),
                label="refresh after conflict",
            )
            self.model.reload()
            self.sig_changed_queue.emit()

    def _remove_anyway(self, sid: int, _exc: BaseException) -> None:
        self.queue.remove_and_advance(sid)

    def _after_conflict(self, sid: int, view: Any) -> None:
        """A conflict without structured facts: the submission as the database has it now tells."""
        if view.row.status not in OPEN_STATUSES:
            self.claims.decided(sid)
            self.queue.remove_and_advance(sid)
        else:
            self.model.update_row(view.row)
            if sid == self.loader.shown_id:
                self.loader.reload()

    def _on_failed(self, sid: int, exc: BaseException) -> None:
        self.claims.not_decided(sid)
        self.sig_busy.emit(False)
        text = self.tr("Not recorded: %1").replace("%1", one_line(exc))
        self.sig_status.emit(text, "error", False)
        self.sig_log.emit(text, True)
        self.sig_refused.emit(sid, one_line(exc))

    # -- undo ------------------------------------------------------------------------------------

    def set_held(self, held: Sequence[Any]) -> None:
        """The decisions the journal keeps back now (from every journal status)."""
        self._held = list(held)
        waiting = {h.decision_id for h in self._held}
        self._captions = {k: v for k, v in self._captions.items() if k in waiting}
        self._offer_undo()

    def undoable(self) -> Any:
        """The most recent decision still in its undo window, or None."""
        now = self._clock()
        live = [h for h in self._held if h.send_after > now]
        return live[-1] if live else None

    def _offer_undo(self) -> None:
        last = self.undoable()
        if last is None:
            self._countdown.stop()
            self.sig_undo_offer.emit("")
            return
        seconds = max(1, int((last.send_after - self._clock()).total_seconds() + 0.999))
        verdict, caption = self._captions.get(last.decision_id, (last.verdict, f"#{last.submission_id}"))
        text = (
            self.tr("Undo %1: %2 (%3 s)")
            .replace("%1", verdict_name(verdict))
            .replace("%2", caption)
            .replace("%3", str(seconds))
        )
        self.sig_undo_offer.emit(text)
        if not self._countdown.isActive():
            self._countdown.start()

    def undo(self) -> bool:
        """Ctrl+Z: take back the last decision still in its undo window."""
        last = self.undoable()
        if last is None:
            self.sig_message.emit(
                self.tr(
                    "Nothing to undo: decisions are sent %1 s after they are made; after that only a lead can reopen them."
                ).replace("%1", f"{self.undo_seconds:g}"),
                8000,
            )
            return False
        decision_id = last.decision_id

        def run_undo(service: Any) -> tuple[Any, Any]:
            return service.undo(decision_id), service.journal_status()

        self.jobs.run(run_undo, on_success=partial(self._on_undo, decision_id), label="undo", local=True)
        return True

    def _on_undo(self, decision_id: str, result: tuple[Any, Any]) -> None:
        outcome, status = result
        verdict, caption = self._captions.pop(decision_id, ("", ""))
        if outcome.ok:
            self.claims.undone(outcome.submission_id)
        journal = _status_result(status)
        if journal is not None:
            self.sig_journal.emit(journal)
        if outcome.ok:
            text = self.tr("Undone: %1 %2").replace("%1", verdict_name(verdict)).replace("%2", caption)
            self.sig_log.emit(text, False)
            self.sig_message.emit(text, 6000)
            self.sig_status.emit(text, "ok", True)
            # Back in the queue (the journal no longer keeps it out), selected: theirs to decide again.
            self.queue.select_after_load = outcome.submission_id
            self.model.reload()
            self.sig_changed_queue.emit()
            self.sig_undone.emit(outcome.submission_id, text)
            return
        reasons = {
            "sent": self.tr("Too late to undo: the decision was sent. Only a lead can reopen it."),
            "late": self.tr("Too late to undo: the decision is sent as soon as the database answers."),
            "conflict": self.tr("Nothing to undo: the database refused that decision."),
            "undone": self.tr("That decision was already undone."),
        }
        text = reasons.get(outcome.code or "", outcome.error or "")
        self.sig_message.emit(text, 8000)
        self.sig_log.emit(text, True)

    def shutdown(self) -> None:
        self._countdown.stop()
        if self.confirmation is not None:
            self.confirmation.close()
            self.confirmation = None
