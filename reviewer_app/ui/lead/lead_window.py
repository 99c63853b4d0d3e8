"""Lead mode: a window of its own with one tab per part of a lead's work, shown only to leads and admins.

`LeadWindow.add_tab(widget, title)` is how a part joins it (the audit queue is the first; the recall
list, the quality dashboard and the trail viewer add theirs the same way). `LeadMode` owns the main
window's *Lead* menu (lead mode itself, the recall cases, recalling or rolling back a live app) and a
status-bar button, keeps them hidden from reviewers, and refreshes the tabs when the window is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QToolButton, QVBoxLayout, QWidget

from reviewer_app.ui.code_compare import CodeComparison
from reviewer_app.ui.evidence import badge_icon
from reviewer_app.ui.layout import fitting_size
from reviewer_app.ui.lead.audit_queue import AuditQueueTab
from reviewer_app.ui.lead.recalls_tab import RecallsTab
from reviewer_app.ui.quality import QualityDashboard
from reviewer_app.ui.trail_viewer import TrailViewer

LEAD_ROLES = ("lead", "admin")
RECALLS_INTERVAL_MS = 60_000  # how often lead mode reads the recall cases again
RECALLS_GATHER_MS = 1_000  # news of changed recall cases that arrive this close together cost one read


class LeadWindow(QWidget):
    """The tabs of lead mode; a top-level window owned by the main window (it closes with it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("leadWindow")
        self.setWindowTitle(self.tr("Lead mode"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("leadTabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        width, height = fitting_size()
        self.resize(max(900, width - 60), max(600, height - 60))

    def add_tab(self, widget: QWidget, title: str) -> int:
        """A part of lead mode as one more tab; its index. A widget with a `refresh()` is refreshed
        whenever the window is shown."""
        return self.tabs.addTab(widget, title)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def refresh(self) -> None:
        for index in range(self.tabs.count()):
            if not self.tabs.isTabEnabled(index):
                continue  # emptied while a blind audit is open
            refresh = getattr(self.tabs.widget(index), "refresh", None)
            if callable(refresh):
                refresh()


class LeadMode(QObject):
    """The lead window in the main window: a *Lead* menu and a status-bar button, for leads only."""

    sig_log = Signal(str, bool)
    sig_queue_changed = Signal()  # a lead put a submission back into the review queue

    def __init__(
        self, jobs: Any, window: QMainWindow, settings: Any = None, code: CodeComparison | None = None
    ) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.role = ""
        self.lead_window = LeadWindow(window)
        self.audit_tab = AuditQueueTab(jobs, settings, self.lead_window, code=code)
        self.lead_window.add_tab(self.audit_tab, self.tr("Audit queue"))
        self.audit_tab.sig_log.connect(self.sig_log)
        self.audit_tab.sig_queue_changed.connect(self.sig_queue_changed)
        self.recalls_tab = RecallsTab(jobs, self.lead_window)
        self.lead_window.add_tab(self.recalls_tab, self.tr("Recalls"))
        self.recalls_tab.sig_log.connect(self.sig_log)
        self.recalls_tab.sig_loaded.connect(self._on_recalls_loaded)
        self.audit_tab.sig_recalled.connect(self.recalls_tab.refresh)
        # Cases the workers' re-scans open and other leads close reach the Lead menu's count and the tab,
        # whether or not lead mode is open: within seconds when the database says so (`recalls_changed`,
        # from the live updates), within a minute otherwise (a notification lost while reconnecting).
        self.recall_timer = QTimer(self)
        self.recall_timer.setInterval(RECALLS_INTERVAL_MS)
        self.recall_timer.timeout.connect(lambda: self.recalls_tab.refresh(quiet=True))
        self._recalls_due = QTimer(self)
        self._recalls_due.setSingleShot(True)
        self._recalls_due.setInterval(RECALLS_GATHER_MS)
        self._recalls_due.timeout.connect(lambda: self.recalls_tab.refresh(quiet=True))

        def run(fn: Any, on_done: Any, on_error: Any) -> Any:
            return jobs.run(fn, on_done, on_error)

        self.quality_tab = QualityDashboard(run, self.lead_window)
        self.lead_window.add_tab(self.quality_tab, self.tr("Quality"))
        self.trail_tab = TrailViewer(run, self.lead_window)
        self.lead_window.add_tab(self.trail_tab, self.tr("Audit trail"))
        self.audit_tab.sig_blind.connect(self._set_blind)
        self.blind = False
        self.menu = self._build_menu(window)
        self.button = QToolButton(window)
        self.button.setObjectName("leadModeButton")
        self.button.setText(self.tr("Lead mode"))
        self.button.setToolTip(self.tr("Audit queue and the other parts of a lead's work (Ctrl+Shift+L)"))
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.show)
        window.statusBar().addPermanentWidget(self.button)
        self.set_role("")

    def _build_menu(self, window: QMainWindow) -> QMenu:
        menu = window.menuBar().addMenu(self.tr("&Lead"))
        self.action: QAction = menu.addAction(self.tr("&Lead mode…"))
        self.action.setObjectName("leadModeAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.action.triggered.connect(self.show)
        self.recalls_action: QAction = menu.addAction(self.tr("&Recall cases…"))
        self.recalls_action.setObjectName("recallCasesAction")
        self.recalls_action.triggered.connect(self.show_recalls)
        menu.addSeparator()
        self.recall_action: QAction = menu.addAction(self.tr("Recall a live app…"))
        self.recall_action.triggered.connect(lambda: self.recalls_tab.ask_recall_app(window))
        self.rollback_action: QAction = menu.addAction(self.tr("Roll back an app…"))
        self.rollback_action.triggered.connect(lambda: self.recalls_tab.ask_rollback(window))
        menu.menuAction().setVisible(False)
        return menu

    @property
    def is_lead(self) -> bool:
        return self.role in LEAD_ROLES

    def add_tab(self, widget: QWidget, title: str) -> int:
        return self.lead_window.add_tab(widget, title)

    def set_role(self, role: str) -> None:
        self.role = role
        self.menu.menuAction().setVisible(self.is_lead)
        self.action.setVisible(self.is_lead)
        self.action.setEnabled(self.is_lead)
        self.button.setVisible(self.is_lead)
        if self.is_lead:
            self.recalls_tab.refresh()  # how many cases are open: the menu and the tab say so
            self.recall_timer.start()
        else:
            self.recall_timer.stop()
            self._recalls_due.stop()
            self.recalls_tab.close_dialogs()
            self.lead_window.hide()

    def recalls_changed(self) -> None:
        """Another workstation opened or closed a recall case: read them again soon (once for a burst)."""
        if self.is_lead and not self._recalls_due.isActive():
            self._recalls_due.start()

    def show(self) -> None:
        if not self.is_lead:
            return
        self.lead_window.show()
        self.lead_window.raise_()
        self.lead_window.activateWindow()
        self.lead_window.refresh()

    def show_recalls(self) -> None:
        """The lead window on its recall list (the audit stays in front while a blind one is open)."""
        self.show()
        tabs = self.lead_window.tabs
        if self.is_lead and tabs.isTabEnabled(tabs.indexOf(self.recalls_tab)):
            tabs.setCurrentWidget(self.recalls_tab)

    def _on_recalls_loaded(self, open_cases: int) -> None:
        text = self.tr("&Recall cases…")
        self.recalls_action.setText(f"{text} ({open_cases})" if open_cases else text)
        tabs = self.lead_window.tabs
        tabs.setTabIcon(tabs.indexOf(self.recalls_tab), badge_icon(open_cases, True) if open_cases else QIcon())

    def _set_blind(self, blind: bool) -> None:
        """While an audit is blind, the tabs that name reviewers and their verdicts (the quality figures,
        the trail's decide events, the recall cases: one on the audited app says it was approved, and
        names who recalled it) are emptied and disabled; they come back once the audit is recorded."""
        if blind == self.blind:
            return
        self.blind = blind
        self.recalls_tab.blind = blind  # its own actions and the Lead menu's do not fill it meanwhile
        tabs = self.lead_window.tabs
        for widget in (self.recalls_tab, self.quality_tab, self.trail_tab):
            index = tabs.indexOf(widget)
            tabs.setTabEnabled(index, not blind)
            tabs.setTabToolTip(index, self.tr("Record the blind audit first: this names reviewers.") if blind else "")
            if blind:
                widget.blank()
            elif self.lead_window.isVisible():
                widget.refresh()

    def shutdown(self) -> None:
        self.recall_timer.stop()
        self._recalls_due.stop()
        if self.audit_tab.dialog is not None:
            self.audit_tab.dialog.close()
        self.recalls_tab.close_dialogs()
        self.lead_window.close()
