"""The reviewer's window: a shell that composes the parts and wires their signals.

    queue (queue_view)  |  submission (submission_view: header over evidence tabs)
                        |  decision controls (decision_panel)
    status bar (status_bar), activity log dock (activity_log)

Work on the database goes through `DbJobs` (one worker thread that owns the ReviewService); APK parsing
through `ParseJobs`. The parts: `session` (connection, password, offline state, journal sync),
`loader` (the selected submission, claimed and read), `code_comparison` (an update's code against the last
approved version, for the loader and the lead's audits), `decisions` (deciding, confirming, undoing),
`imports`, `lead_mode` (the lead window, for leads), `notes` (leads' notes to the reviewer). Which submission the reviewer holds is `review.claims.ClaimTracker`'s to say. Other
workstations' changes arrive through a watcher thread of its own (`live.QueueWatcher`), throttled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from reviewer_app.review import utc_now
from reviewer_app.review.claims import ClaimTracker
from reviewer_app.review.session import Session, SyncResult
from reviewer_app.ui.actions import WindowActions
from reviewer_app.ui.activity_log import ActivityLog, activity_dock
from reviewer_app.ui.code_compare import CodeComparison
from reviewer_app.ui.decision_panel import DecisionPanel
from reviewer_app.ui.decisions import DecisionController
from reviewer_app.ui.detail_loader import DetailLoader
from reviewer_app.ui.imports import ImportController
from reviewer_app.ui.jobs import DbJobs, ParseJobs
from reviewer_app.ui.layout import APPLICATION, ORGANIZATION, app_settings, fitting_size, restore_layout, save_layout
from reviewer_app.ui.layout import reset_layout as reset_window_layout
from reviewer_app.ui.lead import LeadMode
from reviewer_app.ui.live import LiveUpdates
from reviewer_app.ui.notes import ReviewerNotes
from reviewer_app.ui.queue_model import SubmissionQueueModel
from reviewer_app.ui.queue_view import QueuePane
from reviewer_app.ui.session import SessionController
from reviewer_app.ui.status_bar import StatusBarParts
from reviewer_app.ui.submission_view import SubmissionView

__all__ = ["APPLICATION", "ORGANIZATION", "MainWindow", "app_settings"]


class MainWindow(QMainWindow):
    sig_detail_loaded = Signal(int)  # submission id shown in the submission view
    sig_decided = Signal(int, str)  # submission id, verdict: the decision is kept (and sent, or held for undo)
    sig_decision_refused = Signal(int, str)  # submission id, one-line reason (conflict or invalid)
    sig_import_finished = Signal(int, int, int)  # import id, filed, failed
    sig_stats = Signal(dict)
    sig_connected = Signal(str)  # the service is open: the reviewer's name
    sig_journal = Signal(int, int)  # decisions waiting in the journal, conflicts to show
    sig_undone = Signal(int)  # a decision on this submission was taken back

    DETAIL_DELAY_MS = 80  # J/K held down does not load every row it passes
    SCAN_POLL_MS = 1500  # while the submission on show waits for its scan, it is read again this often

    def __init__(
        self,
        jobs: DbJobs,
        parser: ParseJobs,
        settings: Any = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        renew_ms: int | None = None,
        stats_ms: int = 30_000,
        refresh_ms: int = 60_000,
        sync_ms: int = 10_000,
        live_updates: bool = True,
        watch_interval: float = 1.0,
        reload_throttle_ms: int = 1000,
        restore: bool = True,
        undo_seconds: float | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.jobs, self.parser, self.settings, self._clock = jobs, parser, settings, clock
        self._closed = False
        self._reviewer = str(getattr(settings, "reviewer_name", "") or "")
        self._header_restored = False
        self._live = live_updates
        self.claims = ClaimTracker()
        self.model = SubmissionQueueModel(jobs, clock, self)
        self._build()
        self.session = SessionController(jobs, settings, self, live=live_updates, sync_ms=sync_ms)
        self.code_comparison = CodeComparison(parser, self)  # the queue's updates and the lead's audits
        self.loader = DetailLoader(jobs, self.code_comparison, self.submission_view, self.claims, clock, self)
        undo = undo_seconds if undo_seconds is not None else float(getattr(settings, "undo_seconds", 10.0))
        self.decisions = DecisionController(jobs, self.claims, self.queue_pane, self.loader, self, undo_seconds=undo)
        self.imports = ImportController(jobs, parser, self, app_settings())
        self.window_actions = WindowActions(self)
        self.lead_mode = LeadMode(jobs, self, settings, code=self.code_comparison)
        self.notes = ReviewerNotes(jobs, self)
        self.live = LiveUpdates(self.model, self.claims, lambda: not self._closed and self.session.connected,
                                self._after_live_reload, self, interval=watch_interval,
                                throttle_ms=reload_throttle_ms)  # fmt: skip
        self.watcher, self._reloads = self.live.watcher, self.live.reloads
        self._wire()
        self._timers(settings, renew_ms, stats_ms, refresh_ms)
        self.resize(*fitting_size())
        self.reset_layout()
        if restore:
            self._header_restored = "queue/header" in restore_layout(self)
        self._update_title()
        self.session.open_connection()

    # -- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.queue_pane = QueuePane(self.model, self)
        self.queue_view = self.queue_pane.view
        self.submission_view = SubmissionView(self)
        self.decision_panel = DecisionPanel(self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.submission_view, 1)
        right_layout.addWidget(self.decision_panel)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.queue_pane)
        self.main_splitter.addWidget(right)
        self.main_splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_splitter)
        self.log_view = ActivityLog(self)
        self.log_dock = activity_dock(self.log_view, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_dock.hide()
        self.status = StatusBarParts(self.statusBar(), self)
        for name in ("sla_label", "open_label", "overdue_label", "connection_label", "conflicts_button",
                     "reviewer_label", "progress_bar", "undo_button"):  # fmt: skip
            setattr(self, name, getattr(self.status, name))
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):  # confirms a pending reject/escalate anywhere here
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.decision_panel.confirm)

    def _wire(self) -> None:
        view, model, session, decisions = self.queue_view, self.model, self.session, self.decisions
        view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        view.sig_approve.connect(self.decision_panel.approve)
        view.sig_reject.connect(self.decision_panel.begin_reject)
        view.sig_escalate.connect(self.decision_panel.begin_escalate)
        view.sig_confirm.connect(self.decision_panel.confirm)
        self.decision_panel.sig_decide.connect(self.decide)
        self.decision_panel.sig_cancelled.connect(self.queue_pane.focus)
        self.queue_pane.sig_left_queue.connect(self._on_left_queue)
        self.queue_pane.sig_emptied.connect(self._on_selection_changed)
        model.sig_loaded.connect(self._on_queue_loaded)
        model.sig_complete.connect(self._on_queue_loaded)  # what the first screen did not have yet
        model.sig_error.connect(lambda text: self._on_job_failed("queue", text))
        model.sig_rows_refreshed.connect(lambda rows: self.loader.rows_changed(rows, self._reviewer))
        model.sig_rows_refreshed.connect(lambda _rows: self._update_time_left())
        model.sig_rows_arrived.connect(self._on_rows_arrived)
        model.dataChanged.connect(lambda *_args: self._update_time_left())
        self.jobs.sig_job_failed.connect(self._on_job_failed)
        self.jobs.sig_reachability.connect(self._on_reachability)
        for part in (session, decisions, self.imports):
            part.sig_log.connect(self.log)
            part.sig_message.connect(self.status.message)
        session.sig_connected.connect(self._on_connected)
        session.sig_journal.connect(self._on_journal)
        session.sig_connection.connect(self.status.set_connection)
        session.sig_stats.connect(self._on_stats)
        decisions.sig_busy.connect(self.decision_panel.set_busy)
        decisions.sig_status.connect(self.decision_panel.show_status)
        decisions.sig_conflict_said.connect(session.announced)
        decisions.sig_journal.connect(session.apply)
        decisions.sig_recorded.connect(self.sig_decided)
        decisions.sig_refused.connect(self.sig_decision_refused)
        decisions.sig_undone.connect(lambda sid, _text: self.sig_undone.emit(sid))
        decisions.sig_changed_queue.connect(self.refresh_stats)
        decisions.sig_undo_offer.connect(self.status.set_undo)
        decisions.sig_password_refused.connect(lambda why: session.credentials_refused(why))
        self.status.sig_undo.connect(self.undo)
        self.status.sig_show_conflicts.connect(self.show_conflicts)
        self.status.sig_cancel_import.connect(self.imports.cancel)
        self.imports.sig_progress.connect(self.status.set_import_progress)
        self.imports.sig_finished.connect(self._on_import_finished)
        self.loader.sig_loaded.connect(self._on_detail_loaded)
        self.lead_mode.sig_log.connect(self.log)
        self.lead_mode.sig_queue_changed.connect(self.refresh)
        self.notes.sig_log.connect(self.log)
        self.submission_view.sig_run.connect(self._run_for_panel)
        self.submission_view.sig_reject.connect(self.decision_panel.begin_reject)
        self.loader.sig_released.connect(self.model.invalidate)
        self.loader.sig_lapsed.connect(self._on_lapsed)
        self.loader.sig_claimed_next.connect(self._on_claimed_next)
        self.loader.sig_failed.connect(lambda sid, text: self.log(self.tr("Submission %1: %2").replace(
            "%1", str(sid)).replace("%2", text), True))  # fmt: skip
        self.watcher.sig_failed.connect(lambda text: self.log(
            self.tr("Live updates stopped: %1. Press F5 to refresh the queue.").replace("%1", text), True))  # fmt: skip
        self.watcher.sig_recalls.connect(self.lead_mode.recalls_changed)

    def _timers(self, settings: Any, renew_ms: int | None, stats_ms: int, refresh_ms: int) -> None:
        lease_ms = int(float(getattr(settings, "lease_minutes", 15.0) or 15.0) * 60_000)
        self._detail_timer = self._timer(self.DETAIL_DELAY_MS, self._load_current, single=True)
        renew = renew_ms or max(30_000, min(5 * 60_000, lease_ms // 3))
        self._renew_timer = self._timer(renew, lambda: self.loader.renew(self.session.online))
        self._stats_timer = self._timer(stats_ms, self._tick)
        self._refresh_timer = self._timer(refresh_ms, self._auto_refresh)
        self._scan_timer = self._timer(self.SCAN_POLL_MS, self._poll_scan, single=True)

    def _timer(self, ms: int, slot: Callable[[], Any], single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        if not single:
            timer.start()
        return timer

    def reset_layout(self) -> None:
        reset_window_layout(self)
        self._header_restored = False

    # -- state for the outside -------------------------------------------------------------------

    connected = property(lambda self: self.session.connected, doc="the service is open")
    online = property(lambda self: self.session.online, doc="connected, and the database answers")
    pending_decisions = property(lambda self: self.session.pending, doc="decisions the database has not taken")
    conflict_count = property(lambda self: self.session.conflict_count)
    password_dialog = property(lambda self: self.session.password_dialog)
    conflicts_dialog = property(lambda self: self.session.conflicts_dialog)
    importing = property(lambda self: self.imports.importing)
    closed = property(lambda self: self._closed)
    facts_panel = property(lambda self: self.submission_view.panel("facts"))

    def log(self, text: str, error: bool = False) -> None:
        self.log_view.add(text, error)

    def log_lines(self) -> list[str]:
        return self.log_view.lines()

    def current_submission_id(self) -> int | None:
        return self.queue_pane.current_submission_id()

    def select_submission(self, submission_id: int) -> bool:
        if not self.queue_pane.select_submission(submission_id):
            return False
        self.queue_pane.focus()
        return True

    def import_files(self, paths: Sequence[str], *, kind: str, developer: str, tier: int | None = None) -> int:
        return self.imports.start(paths, kind=kind, developer=developer, tier=tier)

    def ask_import(self, paths: Sequence[str]) -> Any:
        return self.imports.ask(paths)

    def show_conflicts(self) -> Any:
        return self.session.show_conflicts()

    def sync_now(self) -> None:
        self.session.sync_now()

    # -- the session -----------------------------------------------------------------------------

    def _on_connected(self, session: Session) -> None:
        self._reviewer = session.reviewer
        self.status.set_reviewer(session.reviewer, session.role)
        self.lead_mode.set_role(session.role)
        self.notes.refresh()
        self._update_title()
        if session.watch is not None and self._live:
            self.watcher.start(session.watch)
        self.model.reload()
        self.refresh_stats()
        self.sig_connected.emit(session.reviewer)

    def _on_journal(self, result: SyncResult) -> None:
        self.model.set_withheld(result.waiting)
        self.decisions.set_held(result.held)
        self.status.set_conflicts(len(result.conflicts))
        self.sig_journal.emit(result.unsent, len(result.conflicts))

    def _on_reachability(self, reachable: bool, _why: str) -> None:
        self.model.set_paused(not reachable)
        if not reachable:
            return
        if self.session.connected:
            self.model.reload()
            self.refresh_stats()
            if self.loader.shown_id is not None and self.loader.offline:
                self._load_current(force=True)

    def refresh(self) -> None:
        """F5: the queue's ids again (the selection stays on the same submission) and the counts; not
        connected, connect (asking for a password if the database wants one)."""
        if self.session.refresh():
            self.model.reload()
            self.refresh_stats()

    def _auto_refresh(self) -> None:
        if self.session.online and not self.model.loading:
            self.model.reload()

    def refresh_stats(self) -> None:
        if self.session.connected:
            self.jobs.run(lambda service: service.queue_stats(), on_success=self._on_stats, label="queue stats")

    def _tick(self) -> None:
        self._update_time_left()
        if self.session.online:
            self.refresh_stats()
            self.notes.refresh()

    def _on_stats(self, stats: dict) -> None:
        self.status.set_stats(stats)
        self.sig_stats.emit(dict(stats))

    def _on_job_failed(self, label: str, text: str) -> None:
        message = self.tr("Background task failed: %1").replace("%1", text)
        self.log(message, error=True)
        self.status.message(message, 10000)

    def _update_title(self) -> None:
        title = self.tr("Reviewer workstation")
        self.setWindowTitle(f"{title} — {self._reviewer}" if self._reviewer else title)

    # -- live updates ----------------------------------------------------------------------------

    def _after_live_reload(self) -> None:
        if self.session.online:
            self.refresh_stats()

    # -- the queue and the selection -------------------------------------------------------------

    def on_kinds_changed(self) -> None:
        kinds = self.window_actions.checked_kinds()
        self.queue_pane.set_filtered(kinds is not None)
        self.model.set_kinds(kinds)

    def _on_rows_arrived(self, _count: int) -> None:
        if not self._header_restored:  # the reviewer's own column widths win
            QTimer.singleShot(0, self._fit_columns)  # once the view has laid the new rows out

    def _fit_columns(self) -> None:
        if not self._header_restored and not self._closed and self.queue_view.fit_columns():
            self._header_restored = True

    def _on_queue_loaded(self) -> None:
        self.queue_pane.after_load(self.loader.shown_id, self.claims.is_decided)
        self._update_time_left()

    def _on_left_queue(self, sid: int) -> None:
        text = self.tr("Submission %1 left the queue: it was decided elsewhere or withdrawn.").replace("%1", str(sid))
        self.decision_panel.show_status(text)

    def _on_selection_changed(self, *_args: Any) -> None:
        sid = self.queue_pane.note_selection()
        self.decision_panel.set_submission(sid, self.queue_pane.caption(sid))
        self._update_time_left()
        self._detail_timer.start()

    def _load_current(self, force: bool = False) -> None:
        """Debounced: show the selected submission (claim it, read it) and let go of the one before."""
        sid = self.current_submission_id()
        if not force and sid == self.loader.shown_id and (sid is None or self.submission_view.submission_id == sid):
            return
        self.loader.show(sid, self.session.online, self.model.cached_row(sid) if sid is not None else None)

    def _on_detail_loaded(self, detail: Any) -> None:
        self.model.update_row(detail.view.row)
        self.decision_panel.subject_label.setText(self.queue_pane.caption(detail.submission_id))
        self._update_time_left()
        self.sig_detail_loaded.emit(detail.submission_id)
        stored = detail.view.detail
        scanning = stored.scan_job is not None or (stored.scans and stored.scans[0].state == "running")
        testing = stored.device_job is not None or (stored.device_runs and stored.device_runs[0].state == "running")
        if scanning or testing:
            self._scan_timer.start()  # verdicts arrive engine by engine, devices one by one: show them as they come

    def _poll_scan(self) -> None:
        if not self._closed and self.loader.shown_id is not None and self.session.online:
            self.loader.reload()

    def _run_for_panel(self, fn: Callable[[Any], Any], label: str) -> None:
        """What an evidence panel asked for, on the database worker; then the submission as it is now."""
        self.jobs.run(fn, on_success=lambda _result: self.loader.reload(), label=label)

    def _update_time_left(self) -> None:
        sid = self.current_submission_id()
        row = self.model.cached_row(sid) if sid is not None else None
        now = self._clock()
        self.status.set_time_left(row.deadline if row is not None else None, now)
        self.submission_view.tick(now)

    # -- claims ----------------------------------------------------------------------------------

    def _on_lapsed(self, sid: int) -> None:
        text = self.tr("Your claim on this submission has lapsed: someone else may be deciding it.")
        self.decision_panel.show_status(text, "error")
        self.model.invalidate(sid)

    def get_next(self) -> None:
        """Claim the most urgent submission (Ctrl+N) and select it."""
        if not self.session.online:
            text = (
                self.tr("Get next needs the database, which does not answer now.")
                if self.session.connected
                else self.tr("Not connected")
            )
            self.status.message(text, 8000)
            self.decision_panel.show_status(text, "error")
            return
        self.loader.claim_next()

    def _on_claimed_next(self, claim: Any) -> None:
        if claim is None:
            text = self.tr("Nothing to claim: the queue is empty or everything is claimed.")
            self.status.message(text, 8000)
            self.decision_panel.show_status(text)
            return
        sid = claim.submission_id
        if sid == self.loader.shown_id:
            self.queue_pane.focus()
        elif not self.select_submission(sid):
            self.queue_pane.select_after_load = sid
            self.model.reload()

    # -- deciding --------------------------------------------------------------------------------

    def decide(self, verdict: str, reasons: Sequence[str] = (), message: str = "") -> bool:
        """Decide the selected submission (approving one with red flags asks first)."""
        return self.decisions.decide_selected(verdict, reasons, message)

    def undo(self) -> None:
        self.decisions.undo()

    # -- imports ---------------------------------------------------------------------------------

    def _on_import_finished(self, import_id: int, filed: int, failed: int) -> None:
        if failed:
            self.log_dock.show()
        if filed:
            self.model.reload()
            self.refresh_stats()
        self.sig_import_finished.emit(import_id, filed, failed)

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            save_layout(self)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop timers and the live-updates watcher, send the decisions held for undo, give back the
        claim, let the worker finish and join the threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._detail_timer, self._renew_timer, self._stats_timer, self._refresh_timer, self._scan_timer):
            timer.stop()
        self.live.stop()
        self.lead_mode.shutdown()
        self.notes.shutdown()
        self.decisions.shutdown()
        self.session.shutdown()
        self.model.stop_timers()
        self.loader.on_close()
        self.parser.shutdown()
        self.jobs.shutdown()
