"""The reviewer's window: the queue on the left, the evidence and the decision form on the right.

All work on the database goes through `DbJobs` (one worker thread that owns the ReviewService); APK
parsing goes through `ParseJobs` (its own thread and worker processes). Callbacks come back on the GUI
thread; results for a submission that is no longer selected are dropped.

The shared database may stop answering. Decisions then go to the local journal (the service does that)
and count as made: the row leaves the queue, the status bar says how many wait, the journal is flushed
every few seconds and as soon as any job reaches the database again. The window keeps working on what it
holds (cached rows, details it loaded before). A journaled decision that someone else beat on the server
is listed in the Decision conflicts dialog until the reviewer dismisses it. Other workstations' changes
arrive through a watcher thread of their own (`live.QueueWatcher`), throttled. When the database wants a
password, the window asks for it, keeps it in the system keyring and opens the service again.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTime, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolButton,
    QWidget,
)

from reviewer_app.credentials import account
from reviewer_app.review import KINDS, OPEN_STATUSES, local_journal_status, utc_now
from reviewer_app.ui.conflicts import ConflictFacts, ConflictsDialog, conflict_items, describe_conflicts, outcome_text
from reviewer_app.ui.connection import (
    Session,
    SyncResult,
    dismiss_conflict,
    needs_password,
    open_session,
    password_dialog,
    sync_journal,
)
from reviewer_app.ui.decision_panel import DecisionPanel, is_confirm_key
from reviewer_app.ui.detail_panel import DetailData, SubmissionDetailPanel, load_detail
from reviewer_app.ui.import_dialog import ImportDialog
from reviewer_app.ui.jobs import DbJobs, Job, ParsedFile, ParseJobs, is_unreachable, one_line, open_error
from reviewer_app.ui.live import ChangeThrottle, QueueWatcher
from reviewer_app.ui.queue_model import (
    COL_CLAIMED,
    COL_DEADLINE,
    COL_DEVELOPER,
    COL_KIND,
    COL_LABEL,
    COL_PACKAGE,
    COL_STATUS,
    COL_TIER,
    COL_TIME_LEFT,
    COL_VERSION,
    OVERDUE_COLOR,
    SubmissionQueueModel,
)
from reviewer_app.ui.text import kind_name, local_time_text, time_left_text, verdict_name, warning_text
from reviewer_app.ui.viewdata import CodeChanges, ImportProgress, code_changes, short_name

log = logging.getLogger(__name__)

ORGANIZATION = "reviewer-app"
APPLICATION = "reviewer-app"

# Initial column widths (pixels); the reviewer's own widths are restored from QSettings.
COLUMN_WIDTHS = {
    COL_TIME_LEFT: 64,
    COL_KIND: 74,
    COL_LABEL: 104,
    COL_PACKAGE: 146,
    COL_VERSION: 86,
    COL_DEVELOPER: 102,
    COL_TIER: 64,
    COL_STATUS: 66,
    COL_CLAIMED: 62,
    COL_DEADLINE: 84,
}


OFFLINE_STYLE = "QLabel { background: #fff4e0; color: #6d4300; border: 1px solid #f0b552; padding: 0 6px; }"
ONLINE_STYLE = "QLabel { color: #1b5e20; padding: 0 6px; }"
NOT_CONNECTED_STYLE = "QLabel { color: #b71c1c; font-weight: bold; padding: 0 6px; }"
CONFLICTS_STYLE = "QToolButton { color: #b71c1c; font-weight: bold; }"


def app_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


class QueueView(QTableView):
    """The queue table. Keys while it has focus: A approve, R reject, E escalate, J/K next/previous."""

    sig_approve = Signal()
    sig_reject = Signal()
    sig_escalate = Signal()
    sig_confirm = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setSortingEnabled(False)
        self.setTabKeyNavigation(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vheader = self.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hheader = self.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hheader.setStretchLastSection(True)
        hheader.setHighlightSections(False)
        hheader.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hheader.setSectionsClickable(False)
        hheader.setMinimumSectionSize(40)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_confirm_key(event):
            self.sig_confirm.emit()
            event.accept()
            return
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.NoModifier:
            key = event.key()
            if key == Qt.Key.Key_A:
                self.sig_approve.emit()
                event.accept()
                return
            if key == Qt.Key.Key_R:
                self.sig_reject.emit()
                event.accept()
                return
            if key == Qt.Key.Key_E:
                self.sig_escalate.emit()
                event.accept()
                return
            if key in (Qt.Key.Key_J, Qt.Key.Key_K):
                self.move_selection(1 if key == Qt.Key.Key_J else -1)
                event.accept()
                return
        super().keyPressEvent(event)

    def move_selection(self, delta: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex()
        selected = self.selectionModel().selectedRows() if self.selectionModel() is not None else []
        if not current.isValid():
            row = 0
        elif not selected:
            row = current.row()  # focus put the cursor on a row without selecting it: take that one first
        else:
            row = max(0, min(model.rowCount() - 1, current.row() + delta))
        self.select_row(row)

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        column = max(self.currentIndex().column(), 0)
        index = model.index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)


class MainWindow(QMainWindow):
    """Queue | (evidence / decision). Owns the background bridges and shuts them down when it closes."""

    sig_detail_loaded = Signal(int)  # submission id shown in the detail panel
    sig_decided = Signal(int, str)  # submission id, verdict: the store accepted the decision
    sig_decision_refused = Signal(int, str)  # submission id, one-line reason (conflict or invalid)
    sig_import_finished = Signal(int, int, int)  # import id, filed, failed
    sig_stats = Signal(dict)
    sig_connected = Signal(str)  # the service is open: the reviewer's name
    sig_journal = Signal(int, int)  # decisions waiting in the journal, conflicts to show

    DETAIL_DELAY_MS = 80  # J/K held down does not load every row it passes
    MAX_LOG_LINES = 2000
    MAX_CACHED_DETAILS = 200  # what the reviewer can still read while the database does not answer

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
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.jobs = jobs
        self.parser = parser
        self.settings = settings
        self._clock = clock
        self._closed = False
        self._reviewer = getattr(settings, "reviewer_name", "") if settings is not None else ""
        self._tokens = itertools.count(1)
        self._detail_token = 0
        self._shown_id: int | None = None
        self._selected_id: int | None = None  # the last submission the reviewer selected
        self._held: int | None = None  # claim asked for (released when the reviewer moves on)
        self._decided: set[int] = set()
        self._deciding: set[int] = set()
        self._keep_status_once = False
        self._select_after_load: int | None = None
        self._imports: dict[int, dict[str, Any]] = {}
        self._stats: dict[str, Any] = {}
        self._last_developer = ""
        self._first_load_done = False
        # connection, journal and live updates
        self._live = live_updates
        self._connected = False
        self._connecting = False
        self._retry_connect = False  # the database did not answer when opening: try again every sync
        self._password_given = False
        self._password_declined = False  # refused mid-session, and the reviewer cancelled the new prompt
        self.password_dialog: Any = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self._online = True
        self._pending = 0
        self._conflict_entries: list[Any] = []
        self._conflict_facts: dict[str, ConflictFacts] = {}
        self._conflicts_announced: set[str] = set()
        self._describing: set[str] = set()
        self._sync_job: Job | None = None
        self._release_later: set[int] = set()
        self._details: OrderedDict[int, tuple[DetailData, datetime]] = OrderedDict()
        # Code comparisons of updates with their approved version, on the parsing thread.
        self._code_jobs: dict[int, tuple[int, list[ParsedFile]]] = {}  # parse id -> (submission id, files so far)
        self._code_texts: OrderedDict[int, str] = OrderedDict()  # submission id -> what was found
        self._detail_offline = False

        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(self.DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._load_current)

        self.model = SubmissionQueueModel(jobs, clock, self)
        self._build_ui()
        self._build_actions()
        self._build_status_bar()
        self.setAcceptDrops(True)
        self.resize(1400, 850)
        self._set_default_layout()
        if restore:
            self.restore_layout()

        self.jobs.sig_job_failed.connect(self._on_job_failed)
        self.jobs.sig_job_unreachable.connect(self._on_job_unreachable)
        self.jobs.sig_reachability.connect(self._on_reachability)
        self.jobs.sig_credentials_refused.connect(self._on_credentials_refused)
        self.model.sig_loaded.connect(self._on_queue_loaded)
        self.model.sig_error.connect(lambda text: self._on_job_failed("queue", text))
        self.model.sig_unreachable.connect(lambda text: self._on_job_unreachable("queue", text))
        self.model.sig_rows_refreshed.connect(self._on_rows_refreshed)
        self.model.sig_left.connect(lambda _ids: self._reloads.add(None))
        self.model.dataChanged.connect(self._on_model_data_changed)
        self.parser.sig_parsed.connect(self._on_parsed)
        self.parser.sig_finished.connect(self._on_parse_finished)

        lease_ms = int(float(getattr(settings, "lease_minutes", 15.0) or 15.0) * 60_000)
        self._renew_timer = QTimer(self)
        self._renew_timer.setInterval(renew_ms or max(30_000, min(5 * 60_000, lease_ms // 3)))
        self._renew_timer.timeout.connect(self._renew_claim)
        self._renew_timer.start()
        self._stats_timer = QTimer(self)
        self._stats_timer.setInterval(stats_ms)
        self._stats_timer.timeout.connect(self._tick)
        self._stats_timer.start()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(refresh_ms)
        self._refresh_timer.timeout.connect(self._auto_refresh)
        self._refresh_timer.start()
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(sync_ms)
        self._sync_timer.timeout.connect(self._sync_tick)
        self._sync_timer.start()

        self.watcher = QueueWatcher(self, interval=watch_interval)
        self.watcher.sig_changed.connect(self._on_remote_change)
        self.watcher.sig_failed.connect(self._on_watch_failed)
        self._changes = ChangeThrottle(reload_throttle_ms, self)  # changed ids, gathered
        self._changes.sig_due.connect(self._apply_remote_changes)
        self._reloads = ChangeThrottle(reload_throttle_ms, self)  # at most one queue reload per interval
        self._reloads.sig_due.connect(lambda _ids: self._live_reload())

        self._update_title()
        self._update_connection_label()
        self._connect()

    # -- construction ----------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.queue_view = QueueView(self)
        self.queue_view.setModel(self.model)
        self.queue_view.setAccessibleName(self.tr("Review queue"))
        metrics = self.queue_view.fontMetrics()
        widest_time = metrics.horizontalAdvance(time_left_text(-timedelta(hours=23, minutes=59)))
        for column, width in COLUMN_WIDTHS.items():
            if column == COL_TIME_LEFT:
                width = max(width, widest_time + 14)  # translated units can be wider
            self.queue_view.setColumnWidth(column, width)
        self.queue_view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.queue_view.sig_approve.connect(self.approve_selected)
        self.queue_view.sig_reject.connect(self.begin_reject)
        self.queue_view.sig_escalate.connect(self.begin_escalate)
        self.queue_view.sig_confirm.connect(self.confirm_pending)

        self.detail_panel = SubmissionDetailPanel(self)
        self.decision_panel = DecisionPanel(self)
        self.decision_panel.sig_decide.connect(self.decide)
        self.decision_panel.sig_cancelled.connect(self._focus_queue)

        self.right_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(self.detail_panel)
        self.right_splitter.addWidget(self.decision_panel)
        self.right_splitter.setChildrenCollapsible(False)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.queue_view)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.setStretchFactor(0, 11)
        self.main_splitter.setStretchFactor(1, 9)
        self.setCentralWidget(self.main_splitter)

        self.log_view = QListWidget(self)
        self.log_view.setObjectName("activityLog")
        self.log_view.setAccessibleName(self.tr("Activity log"))
        self.log_view.setWordWrap(False)
        self.log_view.setUniformItemSizes(True)
        self.log_dock = QDockWidget(self.tr("Activity"), self)
        self.log_dock.setObjectName("activityDock")
        self.log_dock.setWidget(self.log_view)
        self.log_dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_dock.hide()

        # Ctrl+Enter confirms a pending reject/escalate wherever the focus is in this window.
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.confirm_pending)

    def _build_actions(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(self.tr("&File"))
        self.import_action = QAction(self.tr("&Import APKs…"), self)
        self.import_action.setShortcut(QKeySequence.StandardKey.Open)
        self.import_action.setStatusTip(self.tr("Parse APK files in the background and file them as submissions"))
        self.import_action.triggered.connect(self.choose_files_to_import)
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setStatusTip(self.tr("Load the queue again"))
        self.refresh_action.triggered.connect(self.refresh)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        review_menu = menu_bar.addMenu(self.tr("Re&view"))
        self.next_action = QAction(self.tr("Get &next"), self)
        self.next_action.setShortcut(QKeySequence("Ctrl+N"))
        self.next_action.setToolTip(self.tr("Claim the most urgent submission and show it (Ctrl+N)"))
        self.next_action.triggered.connect(self.get_next)
        review_menu.addAction(self.next_action)
        review_menu.addSeparator()
        # The single-letter keys work in the queue only (so typing a message never decides anything);
        # the menu shows them after a tab without registering them as shortcuts.
        approve = review_menu.addAction(self.tr("&Approve selected") + "\tA")
        approve.triggered.connect(self.approve_selected)
        reject = review_menu.addAction(self.tr("&Reject selected…") + "\tR")
        reject.triggered.connect(self.begin_reject)
        escalate = review_menu.addAction(self.tr("&Escalate selected…") + "\tE")
        escalate.triggered.connect(self.begin_escalate)

        view_menu = menu_bar.addMenu(self.tr("Vie&w"))
        self.toolbar = self.addToolBar(self.tr("Main toolbar"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.next_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.refresh_action)
        self.toolbar.addAction(self.import_action)
        view_menu.addAction(self.toolbar.toggleViewAction())
        self.log_action = self.log_dock.toggleViewAction()
        self.log_action.setText(self.tr("&Activity log"))
        view_menu.addAction(self.log_action)
        view_menu.addSeparator()
        kinds_menu = view_menu.addMenu(self.tr("Show &kinds"))
        self.kind_actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = kinds_menu.addAction(kind_name(kind))
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._on_kinds_changed)
            self.kind_actions[kind] = action
        self.conflicts_action = view_menu.addAction(self.tr("Decision &conflicts…"))
        self.conflicts_action.triggered.connect(self.show_conflicts)
        view_menu.addSeparator()
        reset_layout = view_menu.addAction(self.tr("Reset &layout"))
        reset_layout.triggered.connect(self._set_default_layout)

        help_menu = menu_bar.addMenu(self.tr("&Help"))
        keys = help_menu.addAction(self.tr("&Keyboard shortcuts"))
        keys.triggered.connect(self.show_shortcuts)
        about = help_menu.addAction(self.tr("&About"))
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.cancel_import_button = QToolButton(self)
        self.cancel_import_button.setText(self.tr("Cancel import"))
        self.cancel_import_button.setAutoRaise(True)
        self.cancel_import_button.clicked.connect(self.cancel_imports)
        self.cancel_import_button.hide()
        self.sla_label = QLabel(self)
        self.sla_label.setObjectName("slaLabel")
        self.sla_label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_label = QLabel(self)
        self.open_label.setObjectName("openLabel")
        self.overdue_label = QLabel(self)
        self.overdue_label.setObjectName("overdueLabel")
        self.reviewer_label = QLabel(self)
        self.reviewer_label.setObjectName("reviewerLabel")
        self.reviewer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.conflicts_button = QToolButton(self)
        self.conflicts_button.setObjectName("conflictsButton")
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setStyleSheet(CONFLICTS_STYLE)
        self.conflicts_button.setToolTip(self.tr("Decisions the database refused because someone else got there first"))
        self.conflicts_button.clicked.connect(self.show_conflicts)
        self.conflicts_button.hide()
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("connectionLabel")
        self.connection_label.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (
            self.progress_bar,
            self.cancel_import_button,
            self.sla_label,
            self.open_label,
            self.overdue_label,
            self.conflicts_button,
            self.connection_label,
            self.reviewer_label,
        ):
            bar.addPermanentWidget(widget)
        self._update_reviewer_label()

    # -- layout persistence ----------------------------------------------------------------------

    def _set_default_layout(self) -> None:
        width = max(self.width(), 900)
        queue_width = int(width * 0.62)
        self.main_splitter.setSizes([queue_width, width - queue_width])
        height = max(self.height() - 90, 500)
        self.right_splitter.setSizes([height - 265, 265])

    def save_layout(self) -> None:
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/mainSplitter", self.main_splitter.saveState())
        settings.setValue("window/rightSplitter", self.right_splitter.saveState())
        settings.setValue("queue/header", self.queue_view.horizontalHeader().saveState())
        settings.sync()

    def restore_layout(self) -> bool:
        settings = app_settings()
        restored = False
        for key, restore in (
            ("window/geometry", self.restoreGeometry),
            ("window/state", self.restoreState),
            ("window/mainSplitter", self.main_splitter.restoreState),
            ("window/rightSplitter", self.right_splitter.restoreState),
            ("queue/header", self.queue_view.horizontalHeader().restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, (QByteArray, bytes)) and value:
                restored = restore(QByteArray(value)) or restored
        return restored

    # -- queue -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """F5: ids of the queue again (the selection stays on the same submission), counts again.

        Not connected: try to connect again (asking for a password if the database wants one).
        """
        if not self._connected:
            if not self._connecting and self.password_dialog is None:
                self._connect(reopen=True)
            return
        if self._password_declined:
            self._password_declined = False
            self._ask_password()
            return
        if not self._online:
            self.sync_now()
        self.model.reload()
        self.refresh_stats()

    def _auto_refresh(self) -> None:
        if self._connected and self._online and not self.model.loading:
            self.model.reload()

    def refresh_stats(self) -> None:
        if not self._connected:
            return
        self.jobs.run(lambda service: service.queue_stats(), on_success=self._on_stats, label="queue stats")

    def _tick(self) -> None:
        self._update_sla_label()
        if self._online:
            self.refresh_stats()

    # -- connecting ------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """The service is open (the database answered at least once, with the right password)."""
        return self._connected

    @property
    def online(self) -> bool:
        """Connected, and the database answered the last time it was needed."""
        return self._connected and self._online

    @property
    def pending_decisions(self) -> int:
        return self._pending

    @property
    def conflict_count(self) -> int:
        return len(self._conflict_entries)

    def _database_url(self) -> str:
        return str(getattr(self.settings, "database_url", "") or "")

    def _connect(self, *, reopen: bool = False, password: str | None = None) -> None:
        """Open the service on the worker (its first job); a password, when given, is tried and kept."""
        if self._closed or self._connecting:
            return
        self._connecting = True
        if password is not None:
            self.jobs.reopen(password)
        elif reopen:
            self.jobs.reopen()
        url = self._database_url() if password is not None else None
        live = self._live

        def connect(service):
            return open_session(service, live=live, url=url, password=password)

        self.jobs.run(connect, on_success=self._on_connected, on_failure=self._on_connect_failed, label="connect")
        self._update_connection_label()

    def _on_connected(self, session: Session) -> None:
        self._connecting = False
        self._connected = True
        self._retry_connect = False
        self._password_declined = False
        self._on_reviewer(session.reviewer)
        if session.keyring_error:
            text = self.tr(
                "The password works but could not be kept in the system keyring (%1); it is used until the window closes."
            ).replace("%1", session.keyring_error)
            self.log(text, error=True)
            self.statusBar().showMessage(text, 15000)
        self._apply_journal(session.pending, session.conflicts, session.waiting)
        if session.watch is not None and self._live:
            self.watcher.start(session.watch)
        if session.pending:
            self.sync_now()  # before the queue's ids: the worker sends what waits first
        self.model.reload()
        self.refresh_stats()
        self._update_connection_label()
        self.sig_connected.emit(session.reviewer)

    def _on_connect_failed(self, exc: BaseException) -> None:
        self._connecting = False
        self._connected = False
        reason = open_error(exc) or exc
        text = one_line(reason)
        url = self._database_url()
        if needs_password(reason) and account(url):
            tried = self._password_given or "authentication failed" in text
            self._ask_password(text if tried else "")
            return
        if is_unreachable(reason):
            if not self._retry_connect:
                self.log(self.tr("Not connected: %1. Trying again every few seconds.").replace("%1", text), error=True)
                self._count_waiting()
            self._retry_connect = True
        else:
            self.log(self.tr("Not connected: %1").replace("%1", text), error=True)
        self.statusBar().showMessage(self.tr("Not connected: %1").replace("%1", text), 15000)
        self._update_connection_label()

    def _count_waiting(self) -> None:
        """Not connected: still say how many decisions this computer keeps (from an earlier session)."""
        settings = self.settings
        if not hasattr(settings, "journal_path"):
            return

        def counted(waiting: int) -> None:
            if not self._connected:
                self._pending = int(waiting)
                self._update_connection_label()

        self.jobs.run(
            lambda _none: local_journal_status(settings).pending,
            on_success=counted,
            label="count waiting decisions",
            local=True,
            needs_service=False,
        )

    def _ask_password(self, problem: str = "") -> None:
        if self._closed or self.password_dialog is not None:
            return
        dialog = password_dialog(self, account(self._database_url()) or self._database_url(), problem)
        dialog.textValueSelected.connect(self._on_password_given)
        dialog.rejected.connect(self._on_password_cancelled)
        self.password_dialog = dialog
        self._update_connection_label()
        dialog.open()

    def _on_password_given(self, password: str) -> None:
        self.password_dialog = None
        if self._closed:
            return
        self._password_given = True
        self._connect(password=password)

    def _on_credentials_refused(self, why: str) -> None:
        """Mid-session the server stopped taking the password (it was changed, and the connection had to
        be made again): ask for the new one instead of waiting, offline, for an answer that never comes."""
        if (
            self._closed
            or not self._connected
            or self._connecting
            or self.password_dialog is not None
            or self._password_declined
            or not account(self._database_url())
        ):
            return  # not connected yet: the connect job asks; declined: F5 asks again
        self._ask_password(why)

    def _on_password_cancelled(self) -> None:
        self.password_dialog = None
        if self._closed:
            return
        if self._connected:
            self._password_declined = True
            text = self.tr(
                "The database refused the password. Decisions are kept on this computer; press F5 to enter the password again."
            )
            self.log(text, error=True)
            self.statusBar().showMessage(text, 15000)
            self._update_connection_label()
            return
        self.log(self.tr("Not connected: no password given. Press F5 to try again."), error=True)
        self.statusBar().showMessage(self.tr("Not connected: no password given. Press F5 to try again."), 15000)
        self._update_connection_label()

    # -- the offline journal ---------------------------------------------------------------------

    def _sync_tick(self) -> None:
        if self._closed:
            return
        if not self._connected:
            if self._retry_connect and not self._connecting and self.password_dialog is None:
                self._connect(reopen=True)
            return
        self.sync_now()

    def sync_now(self) -> None:
        """Push the decisions that wait in the journal (on the worker) and find out whether the database answers."""
        if self._closed or not self._connected:
            return
        if self._sync_job is not None:
            return
        probe = not self._online
        self._sync_job = self.jobs.run(
            lambda service: sync_journal(service, probe),
            on_success=self._on_synced,
            on_failure=self._on_sync_failed,
            label="send waiting decisions",
            local=True,
        )

    def _on_synced(self, result: SyncResult) -> None:
        try:
            self.jobs.set_reachable(result.online)
            self._apply_journal(result.pending, result.conflicts, result.waiting)
        finally:
            self._sync_job = None
        if result.stats is not None:
            self._on_stats(result.stats)
        self._update_connection_label()
        if result.password_refused:
            self._on_credentials_refused(result.password_refused)

    def _on_sync_failed(self, exc: BaseException) -> None:
        self._sync_job = None
        if not is_unreachable(exc) and open_error(exc) is None:
            self._on_job_failed("send waiting decisions", one_line(exc))

    def _apply_journal(self, pending: int, conflicts: Sequence[Any], waiting: Sequence[int] = ()) -> None:
        """What the journal holds now: decisions waiting (their rows stay out of the queue), conflicts to show."""
        before, self._pending = self._pending, int(pending)
        self.model.set_withheld(waiting)
        if self._online and self._pending < before:
            sent = before - self._pending
            self.log(
                self.tr("Sent 1 decision that waited.")
                if sent == 1
                else self.tr("Sent %1 decisions that waited.").replace("%1", str(sent))
            )
        self._conflict_entries = list(conflicts)
        present = {entry.decision_id for entry in self._conflict_entries}
        new = [entry for entry in self._conflict_entries if entry.decision_id not in self._conflicts_announced]
        for entry in new:
            self._conflicts_announced.add(entry.decision_id)
            text = (
                self.tr(
                    "Your decision on submission %1 (%2) was refused: someone else got there first. See Decision conflicts."
                )
                .replace("%1", str(entry.submission_id))
                .replace("%2", verdict_name(entry.verdict))
            )
            self.log(text, error=True)
            self.statusBar().showMessage(text, 15000)
        for decision_id in list(self._conflict_facts):
            if decision_id not in present:
                del self._conflict_facts[decision_id]
        self._describe_conflicts()
        self._update_conflicts()
        self._update_connection_label()
        self.sig_journal.emit(self._pending, len(self._conflict_entries))

    def _describe_conflicts(self) -> None:
        """Find out, on the worker, who got there first for each conflict not described yet (the
        stored error text shows meanwhile, and for good if the database cannot tell)."""
        todo = [
            entry
            for entry in self._conflict_entries
            if entry.decision_id not in self._conflict_facts and entry.decision_id not in self._describing
        ]
        if not todo or not self.online:
            return
        asked = {entry.decision_id for entry in todo}
        self._describing |= asked

        def described(facts: dict[str, ConflictFacts]) -> None:
            self._describing -= asked
            present = {entry.decision_id for entry in self._conflict_entries}
            self._conflict_facts.update({k: v for k, v in facts.items() if k in present})
            self._update_conflicts()

        def failed(_exc: BaseException) -> None:
            self._describing -= asked  # asked again with the next journal status

        self.jobs.run(
            lambda service: describe_conflicts(service, todo),
            on_success=described,
            on_failure=failed,
            label="describe conflicts",
        )

    def _update_conflicts(self) -> None:
        count = len(self._conflict_entries)
        self.conflicts_button.setText(self.tr("Conflicts: %1").replace("%1", str(count)))
        self.conflicts_button.setVisible(count > 0)
        if self.conflicts_dialog is not None:
            self.conflicts_dialog.set_items(conflict_items(self._conflict_entries, self._conflict_facts))

    def show_conflicts(self) -> ConflictsDialog:
        """The non-modal list of refused decisions, each with a Dismiss button."""
        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self)
            self.conflicts_dialog.sig_dismiss.connect(self.dismiss_conflict)
        self.conflicts_dialog.set_items(conflict_items(self._conflict_entries, self._conflict_facts))
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()
        self.conflicts_dialog.activateWindow()
        return self.conflicts_dialog

    def dismiss_conflict(self, decision_id: str) -> None:
        def failed(exc: BaseException) -> None:
            if self.conflicts_dialog is not None:
                self.conflicts_dialog.dismiss_failed(decision_id)
            self.log(self.tr("Could not dismiss the conflict: %1").replace("%1", one_line(exc)), error=True)

        self.jobs.run(
            lambda service: dismiss_conflict(service, decision_id),
            on_success=lambda result: self._apply_journal(result.pending, result.conflicts, result.waiting),
            on_failure=failed,
            label="dismiss conflict",
            local=True,
        )

    def _on_reachability(self, reachable: bool, why: str) -> None:
        """DbJobs saw the database stop answering, or answer again."""
        self._online = reachable
        self.model.set_paused(not reachable)
        if reachable:
            self.log(self.tr("The database answers again."))
            self.sync_now()
            for sid in list(self._release_later):
                self._release_later.discard(sid)
                if sid != self._held and sid not in self._decided:
                    self.jobs.run(lambda service, sid=sid: service.release(sid), label="release claim")
            if self._connected:
                self.model.reload()
                self.refresh_stats()
                if self._shown_id is not None and self._detail_offline:
                    self._load_current(force=True)
        else:
            text = (
                self.tr(
                    "The database does not answer (%1). Decisions are kept on this computer and sent when it answers again."
                ).replace("%1", why)
                if why
                else self.tr(
                    "The database does not answer. Decisions are kept on this computer and sent when it answers again."
                )
            )
            self.log(text, error=True)
        self._update_connection_label()

    def _offline_text(self) -> str:
        if self._pending == 1:
            return self.tr("Offline — 1 decision waiting")
        return self.tr("Offline — %1 decisions waiting").replace("%1", str(self._pending))

    def _update_connection_label(self) -> None:
        label = self.connection_label
        if not self._connected:
            if self._connecting:
                text, style = self.tr("Connecting…"), ""
            elif self.password_dialog is not None:
                text, style = self.tr("Waiting for the password"), ""
            elif self._pending > 0:
                text, style = self._offline_text(), OFFLINE_STYLE
            else:
                text, style = self.tr("Not connected"), NOT_CONNECTED_STYLE
            tip = self.tr("Not connected to the review database. Press F5 to try again.")
        elif not self._online or self._pending > 0:
            text, style = self._offline_text(), OFFLINE_STYLE
            tip = self.tr(
                "The database does not answer. Your decisions are kept on this computer and sent, in order, when it answers again."
            )
        else:
            text, style = self.tr("Online"), ONLINE_STYLE
            tip = self.tr("Connected to the review database.")
        label.setText(text)
        label.setStyleSheet(style)
        label.setToolTip(tip)

    def _on_job_unreachable(self, label: str, text: str) -> None:
        """A background load failed because the database does not answer: the reachability line in the
        activity log says so once for the whole spell; no line per failure."""
        log.info("%s: %s (offline)", label, text)
        self._update_connection_label()

    # -- live updates ----------------------------------------------------------------------------

    def _on_remote_change(self, ids: Any) -> None:
        if not self._closed:
            self._changes.add(ids)

    def _on_watch_failed(self, text: str) -> None:
        self.log(self.tr("Live updates stopped: %1. Press F5 to refresh the queue.").replace("%1", text), error=True)

    def _apply_remote_changes(self, ids: set[int] | None) -> None:
        """Throttled: rows changed on other workstations are fetched again; the ids only when needed."""
        if self._closed or not self._connected:
            return
        if ids is None:
            self._reloads.add(None)
            return
        unknown = {sid for sid in ids if self.model.row_of(sid) < 0} - self._decided - self._deciding
        if unknown:
            self._reloads.add(None)  # new or reopened submissions: their place comes with the ids
        self.model.refresh_rows(sid for sid in ids if sid not in unknown)

    def _live_reload(self) -> None:
        if self._closed or not self._connected:
            return
        self.model.reload()
        if self._online:
            self.refresh_stats()

    def _on_rows_refreshed(self, rows: list[Any]) -> None:
        for row in rows:
            if row.submission_id == self._shown_id and row.claimed_by != self._reviewer and not self._detail_offline:
                self.reload_detail()  # someone else holds it now: the banner says so
        self._update_sla_label()

    def _on_stats(self, stats: dict) -> None:
        self._stats = dict(stats)
        self.open_label.setText(self.tr("Open: %1").replace("%1", str(stats.get("open", 0))))
        overdue = int(stats.get("overdue", 0) or 0)
        self.overdue_label.setText(self.tr("Overdue: %1").replace("%1", str(overdue)))
        self.overdue_label.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }" if overdue else "")
        self.sig_stats.emit(self._stats)

    def _on_kinds_changed(self) -> None:
        kinds = [kind for kind, action in self.kind_actions.items() if action.isChecked()]
        self.model.set_kinds(kinds if len(kinds) != len(KINDS) else None)

    def _on_queue_loaded(self) -> None:
        first_load, self._first_load_done = not self._first_load_done, True
        if self._select_after_load is not None:
            sid, self._select_after_load = self._select_after_load, None
            if self.select_submission(sid):
                return
        if self._shown_id is not None:
            row = self.model.row_of(self._shown_id)
            # A reset loses the selection: put it back on the submission the reviewer chose last (which
            # may not be shown yet). A selection that survived the reload is the reviewer's: left alone.
            wanted = self._selected_id if self._selected_id is not None else self._shown_id
            if self.current_submission_id() is None and self.model.row_of(wanted) >= 0:
                self.queue_view.select_row(self.model.row_of(wanted))
            if row < 0 and self._shown_id not in self._decided:
                # Decided on another workstation (or withdrawn): go on with the one that took its place.
                gone = self._shown_id
                if self.current_submission_id() is None and self.model.rowCount():
                    current = self.queue_view.currentIndex()
                    self.queue_view.select_row(
                        min(current.row(), self.model.rowCount() - 1) if current.isValid() else 0
                    )
                self.decision_panel.show_status(
                    self.tr("Submission %1 left the queue: it was decided elsewhere or withdrawn.").replace(
                        "%1", str(gone)
                    )
                )
        elif first_load and self.current_submission_id() is None and self.model.rowCount():
            # Opening the window shows the most urgent submission, ready for the keyboard.
            self.queue_view.select_row(0)
            self._focus_queue()
        self._update_sla_label()

    def _on_model_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        if self._shown_id is None:
            return
        row = self.model.row_of(self._shown_id)
        if top_left.row() <= row <= bottom_right.row():
            self._update_sla_label()

    def current_submission_id(self) -> int | None:
        selection = self.queue_view.selectionModel()
        if selection is None:
            return None
        rows = selection.selectedRows()
        if not rows:
            return None
        return self.model.submission_id(rows[0].row())

    def select_submission(self, submission_id: int) -> bool:
        row = self.model.row_of(submission_id)
        if row < 0:
            return False
        self.queue_view.select_row(row)
        self._focus_queue()
        return True

    def _focus_queue(self) -> None:
        self.queue_view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the selected submission -----------------------------------------------------------------

    def _on_selection_changed(self, *_args) -> None:
        sid = self.current_submission_id()
        if sid is not None:
            self._selected_id = sid
        caption = self._caption(sid)
        if self._keep_status_once:
            self._set_panel_keep_status(sid, caption)
        else:
            self.decision_panel.set_submission(sid, caption)
        self._update_sla_label()
        self._detail_timer.start()

    def _set_panel_keep_status(self, sid: int | None, caption: str) -> None:
        text, style = self.decision_panel.status_text(), self.decision_panel.status_label.styleSheet()
        self.decision_panel.set_submission(sid, caption)
        self.decision_panel.status_label.setStyleSheet(style)
        self.decision_panel.status_label.setText(text)

    def _caption(self, sid: int | None) -> str:
        if sid is None:
            return ""
        row = self.model.cached_row(sid)
        name = (row.label or row.package) if row is not None else None
        return f"#{sid}  {name}" if name else f"#{sid}"

    def _load_current(self, force: bool = False) -> None:
        """Debounced: show the selected submission (claim it, read it) and let go of the one before.

        While the database does not answer, a submission loaded before shows as it was then.
        """
        sid = self.current_submission_id()
        if not force and sid == self._shown_id and (sid is None or self.detail_panel.submission_id == sid):
            return
        self._release_held(except_id=sid)
        self._shown_id = sid
        token = self._detail_token = next(self._tokens)
        if sid is None:
            self._detail_offline = False
            self.detail_panel.show_empty()
            return
        if not self.online:
            self._show_offline_detail(sid)
            return
        self._detail_offline = False
        self.detail_panel.show_loading(sid, self.model.cached_row(sid))
        self._held = sid
        self.jobs.run(
            lambda service: load_detail(service, sid),
            on_success=partial(self._on_detail, token),
            on_failure=partial(self._on_detail_failed, token, sid),
            label="submission detail",
        )

    def reload_detail(self) -> None:
        sid = self._shown_id
        if sid is None:
            return
        token = self._detail_token = next(self._tokens)
        self.jobs.run(
            lambda service: load_detail(service, sid, claim=False),
            on_success=partial(self._on_detail, token),
            on_failure=partial(self._on_detail_failed, token, sid),
            label="submission detail",
        )

    def _remember_detail(self, data: DetailData) -> None:
        sid = data.view.row.submission_id
        self._details[sid] = (data, self._clock())
        self._details.move_to_end(sid)
        while len(self._details) > self.MAX_CACHED_DETAILS:
            self._details.popitem(last=False)

    def cached_detail(self, submission_id: int) -> DetailData | None:
        entry = self._details.get(submission_id)
        return entry[0] if entry is not None else None

    def _show_offline_detail(self, sid: int) -> None:
        """The database does not answer: show what was loaded before, or say why there is nothing."""
        self._detail_offline = True
        if self._held == sid:
            self._held = None
        cached = self._details.get(sid)
        if cached is None:
            self.detail_panel.show_loading(sid, self.model.cached_row(sid))
            self.detail_panel.show_error(
                sid,
                self.tr(
                    "Offline: submission %1 was not loaded before the database stopped answering. "
                    "A decision on it is kept on this computer and sent when the database answers again."
                ).replace("%1", str(sid)),
            )
            return
        data, loaded_at = cached
        self.detail_panel.show_detail(data, self._clock())
        self._compare_code(data)  # the APKs are files: no database needed
        self.detail_panel.add_notice(
            self.tr("Offline: shown as loaded at %1; it may have changed since.").replace(
                "%1", local_time_text(loaded_at)
            )
        )
        self.decision_panel.subject_label.setText(self._caption(sid))
        self._update_sla_label()
        self.sig_detail_loaded.emit(sid)

    def _on_detail(self, token: int, data: DetailData) -> None:
        row = data.view.row
        self.model.update_row(row)
        self._remember_detail(data)
        if token != self._detail_token or row.submission_id != self._shown_id:
            return  # the reviewer has moved on
        self._detail_offline = False
        self.detail_panel.show_detail(data, self._clock())
        self._compare_code(data)
        self.decision_panel.subject_label.setText(self._caption(row.submission_id))
        if data.claim_error and self._held == row.submission_id:
            self._held = None  # not ours: nothing to renew or release
        self._update_sla_label()
        self.sig_detail_loaded.emit(row.submission_id)

    # -- code comparison of an update --------------------------------------------------------------

    def _compare_code(self, data: DetailData) -> None:
        """Read the classes of the update and of its approved version on the parsing thread (it takes a
        second for a large app); the panel says what is new when that is done."""
        sid = data.view.row.submission_id
        if data.code_paths is None:
            return
        if sid in self._code_texts:
            self.detail_panel.show_code_changes(sid, self._code_texts[sid])
            return
        self.detail_panel.show_code_changes(sid, self.tr("Comparing the code with the last approved version…"))
        if any(job_sid == sid for job_sid, _ in self._code_jobs.values()):
            return
        parse_id = self.parser.start(list(data.code_paths), classes=True)
        self._code_jobs[parse_id] = (sid, [])

    def _on_code_parsed(self, parse_id: int, error: str) -> None:
        sid, parts = self._code_jobs.pop(parse_id)
        parts = sorted(parts, key=lambda part: part.index)
        facts = [part.facts for part in parts]
        unread = next((f for f in facts if not getattr(f, "ok", False) or f.classes is None), None)
        if error or len(facts) != 2 or unread is not None:
            reason = error or self.tr("the classes could not be read")
            if unread is not None and getattr(unread, "error", None):
                reason = warning_text(unread.error, unread.error_code)
            text = self.tr("Code not compared with the last approved version: %1").replace("%1", reason)
        else:
            text = self._code_text(
                code_changes(facts[0].classes, facts[1].classes), bool(facts[0].classes or facts[1].classes)
            )
        self._code_texts[sid] = text
        while len(self._code_texts) > self.MAX_CACHED_DETAILS:
            self._code_texts.popitem(last=False)
        self.detail_panel.show_code_changes(sid, text)

    def _code_text(self, changes: CodeChanges, any_code: bool) -> str:
        if not any_code:
            return self.tr("Neither version has DEX code.")
        if not changes.added and not changes.removed:
            return self.tr("Code: the same classes as the last approved version.")
        lines = [
            self.tr("Code since the last approved version: classes added %1, removed %2.")
            .replace("%1", str(changes.added))
            .replace("%2", str(changes.removed))
        ]
        if changes.new_packages:
            default = self.tr("(default package)")
            shown = ", ".join(f"{package or default} ({count})" for package, count in changes.new_packages[:8])
            more = len(changes.new_packages) - 8
            lines.append(
                self.tr("New packages: %1").replace("%1", shown)
                + (self.tr(" and %1 more").replace("%1", str(more)) if more > 0 else "")
            )
        return "\n".join(lines)

    def _on_detail_failed(self, token: int, sid: int, exc: BaseException) -> None:
        if self._held == sid:
            self._held = None
        if token != self._detail_token:
            return
        if is_unreachable(exc):
            self._show_offline_detail(sid)
            return
        self.detail_panel.show_error(
            sid, self.tr("Could not load submission %1: %2").replace("%1", str(sid)).replace("%2", one_line(exc))
        )
        self.log(self.tr("Submission %1: %2").replace("%1", str(sid)).replace("%2", one_line(exc)), error=True)

    def _release_held(self, except_id: int | None = None) -> None:
        held = self._held
        if held is None or held == except_id:
            return
        self._held = None
        if held in self._decided or held in self._deciding:
            return
        if not self.online:
            self._release_later.add(held)  # let go when the database answers again
            return

        def released_failed(exc: BaseException) -> None:
            if is_unreachable(exc):
                self._release_later.add(held)
            else:
                self._on_job_failed("release claim", one_line(exc))

        self.jobs.run(
            lambda service: service.release(held),
            on_success=lambda _released: self.model.invalidate(held),
            on_failure=released_failed,
            label="release claim",
        )

    def _renew_claim(self) -> None:
        held = self._held
        if held is None or held in self._deciding or not self.online:
            return
        self.jobs.run(
            lambda service: service.renew(held),
            on_success=partial(self._on_renewed, held),
            label="renew claim",
        )

    def _on_renewed(self, sid: int, still_held: bool) -> None:
        if still_held or sid != self._held:
            return
        self._held = None
        self.decision_panel.show_status(
            self.tr("Your claim on this submission has lapsed: someone else may be deciding it."), "error"
        )
        self.model.invalidate(sid)
        self.reload_detail()

    def _update_sla_label(self) -> None:
        sid = self.current_submission_id()
        row = self.model.cached_row(sid) if sid is not None else None
        if row is None or row.deadline is None:
            self.sla_label.setText("")
            self.sla_label.setStyleSheet("")
            return
        left = row.deadline - self._clock()
        if left.total_seconds() < 0:
            self.sla_label.setText(self.tr("Selected: overdue by %1").replace("%1", time_left_text(-left)))
            self.sla_label.setStyleSheet(f"QLabel {{ color: {OVERDUE_COLOR.name()}; font-weight: bold; }}")
        else:
            self.sla_label.setText(self.tr("Selected: %1 left").replace("%1", time_left_text(left)))
            self.sla_label.setStyleSheet("")

    # -- getting work ----------------------------------------------------------------------------

    def get_next(self) -> None:
        """Claim the most urgent submission (Ctrl+N) and select it."""
        if not self.online:
            text = (
                self.tr("Get next needs the database, which does not answer now.")
                if self._connected
                else self.tr("Not connected")
            )
            self.statusBar().showMessage(text, 8000)
            self.decision_panel.show_status(text, "error")
            return
        held = self._held if self._held not in self._decided else None

        def claim_next(service):
            if held is not None:
                service.release(held)
            return service.claim_next()

        self.jobs.run(claim_next, on_success=self._on_claimed_next, label="get next")

    def _on_claimed_next(self, claim: Any) -> None:
        if claim is None:
            self.statusBar().showMessage(
                self.tr("Nothing to claim: the queue is empty or everything is claimed."), 8000
            )
            self.decision_panel.show_status(self.tr("Nothing to claim: the queue is empty or everything is claimed."))
            return
        sid = claim.submission_id
        if sid == self._shown_id:
            self._held = sid
            self._focus_queue()
            return
        self._held = None  # the old one was released with the claim
        if not self.select_submission(sid):
            self._select_after_load = sid
            self.model.reload()

    # -- deciding --------------------------------------------------------------------------------

    def approve_selected(self) -> None:
        if self.current_submission_id() is None:
            self.decision_panel.show_status(self.tr("Select a submission first."), "error")
            return
        self.decision_panel.approve()

    def begin_reject(self) -> None:
        if self.current_submission_id() is not None:
            self.decision_panel.begin_reject()

    def begin_escalate(self) -> None:
        if self.current_submission_id() is not None:
            self.decision_panel.begin_escalate()

    def confirm_pending(self) -> None:
        self.decision_panel.confirm()

    def decide(self, verdict: str, reasons: Sequence[str] = (), message: str = "") -> bool:
        """Record a decision on the selected submission, on the database worker."""
        sid = self.current_submission_id()
        if sid is None:
            self.decision_panel.show_status(self.tr("Select a submission first."), "error")
            return False
        if sid in self._deciding:
            return False
        reasons = list(reasons)
        caption = self._caption(sid)
        self._deciding.add(sid)
        self.decision_panel.set_busy(True)
        self.decision_panel.show_status(self.tr("Saving…"), "busy")

        def run_decision(service):
            outcome = service.decide(sid, verdict, reasons, message or None)
            status = service.journal_status() if hasattr(service, "journal_status") else None
            return outcome, status

        self.jobs.run(
            run_decision,
            on_success=partial(self._on_decided, sid, verdict, caption),
            on_failure=partial(self._on_decide_failed, sid),
            label="decide",
            local=True,  # a decision kept in the journal succeeds without the database: the outcome says
        )
        return True

    def _on_decided(self, sid: int, verdict: str, caption: str, result: Any) -> None:
        outcome, status = result if isinstance(result, tuple) else (result, None)
        self._deciding.discard(sid)
        self.decision_panel.set_busy(False)
        if outcome.ok and outcome.queued:
            self.jobs.set_reachable(False)
        elif outcome.ok or outcome.conflict:
            self.jobs.set_reachable(True)
        if outcome.conflict and outcome.decision_id:
            self._conflicts_announced.add(outcome.decision_id)  # said below, where the reviewer looks; once
        if status is not None:
            self._apply_journal(status.pending, status.conflicts, status.waiting)
            refused = getattr(status, "offline_error", None)
            if outcome.queued and needs_password(refused):
                self._on_credentials_refused(one_line(refused))
        if outcome.ok:
            self._decided.add(sid)
            self._release_later.discard(sid)
            if self._held == sid:
                self._held = None
            text = self.tr("%1: %2").replace("%1", verdict_name(verdict)).replace("%2", caption)
            if outcome.queued:
                text = self.tr("%1 (kept on this computer; sent when the database answers)").replace("%1", text)
            self.log(text)
            self.statusBar().showMessage(text, 6000)
            self.decision_panel.show_status(text, "ok")
            self._remove_and_advance(sid)
            if not outcome.queued:
                self.refresh_stats()
            self.sig_decided.emit(sid, verdict)
            return
        error = outcome_text(outcome) if outcome.conflict else (outcome.error or "")
        text = self.tr("Not recorded: %1").replace("%1", error)
        self.decision_panel.show_status(text, "error")
        self.log(f"{caption}: {text}", error=True)
        self.sig_decision_refused.emit(sid, error)
        if not outcome.conflict:
            return
        self.statusBar().showMessage(text, 10000)
        kind = getattr(outcome, "conflict_kind", None)
        if kind == "decided":
            # Somebody else decided it: it leaves this queue, the error stays on screen.
            self._decided.add(sid)
            if self._held == sid:
                self._held = None
            self._remove_and_advance(sid, keep_status=True)
            self.refresh_stats()
        elif kind == "held":
            # Somebody else holds it: the row says who, the detail banner too.
            if self._held == sid:
                self._held = None
            row = self.model.cached_row(sid)
            if row is not None:
                self.model.update_row(
                    dataclasses.replace(row, claimed_by=outcome.conflict_by, lease_until=outcome.conflict_at)
                )
            if sid == self._shown_id:
                self.reload_detail()
        else:
            self.jobs.run(
                lambda service: service.view(sid),
                on_success=partial(self._after_conflict, sid),
                on_failure=lambda _exc: self._remove_and_advance(sid, keep_status=True),
                label="refresh after conflict",
            )
            self.model.reload()
            self.refresh_stats()

    def _after_conflict(self, sid: int, view: Any) -> None:
        """A conflict without structured facts: the submission as the database has it now tells."""
        row = view.row
        if row.status not in OPEN_STATUSES:
            self._decided.add(sid)
            if self._held == sid:
                self._held = None
            self._remove_and_advance(sid, keep_status=True)
        else:
            self.model.update_row(row)
            if sid == self._shown_id:
                self.reload_detail()

    def _on_decide_failed(self, sid: int, exc: BaseException) -> None:
        self._deciding.discard(sid)
        self.decision_panel.set_busy(False)
        text = self.tr("Not recorded: %1").replace("%1", one_line(exc))
        self.decision_panel.show_status(text, "error")
        self.log(text, error=True)
        self.sig_decision_refused.emit(sid, one_line(exc))

    def _remove_and_advance(self, sid: int, keep_status: bool = True) -> None:
        """Take a decided submission out of the queue and select the one that took its place."""
        was_current = self.current_submission_id() == sid
        row = self.model.row_of(sid)
        if row < 0:
            return
        self._keep_status_once = keep_status and was_current
        try:
            self.model.remove_submission(sid)
            if was_current:
                count = self.model.rowCount()
                if count:
                    self.queue_view.select_row(min(row, count - 1))
                else:
                    self.queue_view.clearSelection()
                    self._on_selection_changed()
                self._focus_queue()
        finally:
            self._keep_status_once = False

    # -- importing APKs --------------------------------------------------------------------------

    def choose_files_to_import(self) -> None:
        settings = app_settings()
        start = str(settings.value("import/lastDir", str(Path.home())))
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Import APK files"), start, self.tr("Android packages (*.apk);;All files (*)")
        )
        if paths:
            settings.setValue("import/lastDir", str(Path(paths[0]).parent))
            self.ask_import(paths)

    def ask_import(self, paths: Sequence[str]) -> ImportDialog:
        """Ask kind, developer and tier (a window-modal dialog that does not block), then import."""
        dialog = ImportDialog([str(p) for p in paths], self, developer=self._last_developer)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.import_files(dialog.paths, kind=dialog.kind, developer=dialog.developer, tier=dialog.tier)
        )
        dialog.open()
        return dialog

    def import_files(self, paths: Sequence[str], *, kind: str, developer: str, tier: int | None = None) -> int:
        """Parse in the background, file each good APK on the database worker; returns the import id."""
        paths = [str(p) for p in paths]
        self._last_developer = developer
        import_id = self.parser.start(paths)
        self._imports[import_id] = {
            "progress": ImportProgress(total=len(paths)),
            "kind": kind,
            "developer": developer,
            "tier": tier,
            "paths": paths,
            "seen": set(),
        }
        self.log(self.tr("Importing %1 file(s) for %2…").replace("%1", str(len(paths))).replace("%2", developer))
        self._update_import_progress()
        return import_id

    def cancel_imports(self) -> None:
        for import_id in list(self._imports):
            self.parser.cancel(import_id)
        self.statusBar().showMessage(self.tr("Cancelling the import…"), 4000)

    def _on_parsed(self, import_id: int, batch: list[ParsedFile]) -> None:
        if import_id in self._code_jobs:
            self._code_jobs[import_id][1].extend(batch)
            return
        job = self._imports.get(import_id)
        if job is None:
            return
        progress: ImportProgress = job["progress"]
        good: list[ParsedFile] = []
        for parsed in batch:
            job["seen"].add(parsed.index)
            progress.parsed += 1
            facts = parsed.facts
            if facts is not None and getattr(facts, "ok", False):
                good.append(parsed)
            else:
                error = getattr(facts, "error", None)
                error = (
                    warning_text(error, getattr(facts, "error_code", None)) if error else self.tr("not a readable APK")
                )
                self._import_failure(progress, parsed.path, error)
        if good:
            progress.filing += len(good)
            kind, developer, tier = job["kind"], job["developer"], job["tier"]

            def file_all(service, good=good):
                return [service.submit_facts(p.facts, p.path, kind=kind, developer=developer, tier=tier) for p in good]

            self.jobs.run(
                file_all,
                on_success=partial(self._on_filed, import_id, good),
                on_failure=partial(self._on_file_failed, import_id, good),
                label="file submissions",
            )
        self._update_import_progress()

    def _import_failure(self, progress: ImportProgress, path: str, error: str) -> None:
        progress.fail(path, error)
        name, reason = progress.failures[-1]
        self.log(
            self.tr("%1: not imported: %2").replace("%1", name).replace("%2", reason or self.tr("unknown error")),
            error=True,
        )

    def _on_filed(self, import_id: int, good: list[ParsedFile], outcomes: list[Any]) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        progress: ImportProgress = job["progress"]
        progress.filing -= len(good)
        for parsed, outcome in zip(good, outcomes, strict=True):
            if outcome.ok:
                progress.filed += 1
                progress.filed_ids.append(outcome.submission_id)
                facts = parsed.facts
                name = facts.label or facts.package or short_name(parsed.path)
                self.log(
                    self.tr("Filed %1 as submission %2").replace("%1", name).replace("%2", str(outcome.submission_id))
                )
            else:
                self._import_failure(progress, parsed.path, outcome.error or "")
        self._update_import_progress()
        self._finish_import_if_done(import_id)

    def _on_file_failed(self, import_id: int, good: list[ParsedFile], exc: BaseException) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        progress: ImportProgress = job["progress"]
        progress.filing -= len(good)
        for parsed in good:
            self._import_failure(progress, parsed.path, one_line(exc))
        self._update_import_progress()
        self._finish_import_if_done(import_id)

    def _on_parse_finished(self, import_id: int, error: str) -> None:
        if import_id in self._code_jobs:
            self._on_code_parsed(import_id, error)
            return
        job = self._imports.get(import_id)
        if job is None:
            return
        progress: ImportProgress = job["progress"]
        progress.parse_done = True
        missing = [p for i, p in enumerate(job["paths"]) if i not in job["seen"]]
        for path in missing:
            self._import_failure(progress, path, error or self.tr("cancelled"))
        self._update_import_progress()
        self._finish_import_if_done(import_id)

    def _finish_import_if_done(self, import_id: int) -> None:
        job = self._imports.get(import_id)
        if job is None or not job["progress"].finished:
            return
        del self._imports[import_id]
        progress: ImportProgress = job["progress"]
        text = (
            self.tr("Import finished: %1 of %2 filed, %3 failed.")
            .replace("%1", str(progress.filed))
            .replace("%2", str(progress.total))
            .replace("%3", str(progress.failed))
        )
        self.log(text, error=bool(progress.failed))
        self.statusBar().showMessage(text, 15000)
        if progress.failed:
            self.log_dock.show()
        self._update_import_progress()
        if progress.filed:
            self.model.reload()
            self.refresh_stats()
        self.sig_import_finished.emit(import_id, progress.filed, progress.failed)

    def _update_import_progress(self) -> None:
        if not self._imports:
            self.progress_bar.hide()
            self.cancel_import_button.hide()
            return
        total = sum(job["progress"].total for job in self._imports.values())
        parsed = sum(job["progress"].parsed for job in self._imports.values())
        done = sum(job["progress"].done for job in self._imports.values())
        self.progress_bar.setMaximum(max(total * 2, 1))
        self.progress_bar.setValue(parsed + done)
        self.progress_bar.setFormat(self.tr("Importing %1/%2").replace("%1", str(done)).replace("%2", str(total)))
        self.progress_bar.show()
        self.cancel_import_button.show()

    @property
    def importing(self) -> bool:
        return bool(self._imports)

    # -- drag and drop ---------------------------------------------------------------------------

    @staticmethod
    def _apk_paths(urls: list[QUrl]) -> list[str]:
        return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".apk")]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self._apk_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self._apk_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._apk_paths(event.mimeData().urls()) if event.mimeData().hasUrls() else []
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Ask after the drop has finished, so the source application is not kept waiting.
        QTimer.singleShot(0, lambda: self.ask_import(paths))

    # -- messages --------------------------------------------------------------------------------

    def log(self, text: str, error: bool = False) -> None:
        """One line in the activity log (errors in red)."""
        stamp = QTime.currentTime().toString("HH:mm:ss")
        item = QListWidgetItem(f"{stamp}  {text}")
        if error:
            item.setForeground(QBrush(QColor("#b71c1c")))
        self.log_view.addItem(item)
        while self.log_view.count() > self.MAX_LOG_LINES:
            self.log_view.takeItem(0)
        self.log_view.scrollToBottom()

    def log_lines(self) -> list[str]:
        return [self.log_view.item(i).text() for i in range(self.log_view.count())]

    def _on_job_failed(self, label: str, text: str) -> None:
        message = self.tr("Background task failed: %1").replace("%1", text)
        self.log(message, error=True)
        self.statusBar().showMessage(message, 10000)

    def _on_reviewer(self, name: str) -> None:
        self._reviewer = name
        self._update_reviewer_label()
        self._update_title()

    def _update_reviewer_label(self) -> None:
        self.reviewer_label.setText(self.tr("Reviewer: %1").replace("%1", self._reviewer) if self._reviewer else "")

    def _update_title(self) -> None:
        title = self.tr("Reviewer workstation")
        self.setWindowTitle(f"{title} — {self._reviewer}" if self._reviewer else title)

    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr(
                "In the queue:\n"
                "A  approve the selected submission\n"
                "R  reject: tick reasons (Space), write a message, Ctrl+Enter\n"
                "E  escalate: optional note, Ctrl+Enter\n"
                "J / K or Down / Up  next / previous submission\n"
                "Esc  leave the form, back to the queue\n\n"
                "Ctrl+N  get the most urgent submission\n"
                "Ctrl+O  import APK files\n"
                "F5  refresh the queue"
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()

    def show_about(self) -> None:
        from reviewer_app import __version__

        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("Reviewer workstation %1\nEvidence side by side; decisions to the shared review database.").replace(
                "%1", __version__
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()

    # -- closing ---------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self.save_layout()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop timers and the live-updates watcher, give back the claim, let the worker finish and join
        the threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._detail_timer, self._renew_timer, self._stats_timer, self._refresh_timer, self._sync_timer):
            timer.stop()
        self._changes.stop()
        self._reloads.stop()
        self.watcher.stop()
        for dialog in (self.password_dialog, self.conflicts_dialog):
            if dialog is not None:
                dialog.close()
        self.password_dialog = None
        self.model.stop_timers()
        held = self._held
        if held is not None and held not in self._decided and held not in self._deciding:
            self.jobs.run(lambda service: service.release(held), label="release claim")
        self._held = None
        self.parser.shutdown()
        self.jobs.shutdown()

    @property
    def closed(self) -> bool:
        return self._closed
