"""Lead mode: a window of its own with one tab per part of a lead's work, shown only to leads and admins.

`LeadWindow.add_tab(widget, title)` is how a part joins it (the audit queue is the first; the quality
dashboard and the trail viewer add theirs the same way). `LeadMode` puts the window in the main window's
*Lead* menu and status bar, keeps it hidden from reviewers, and refreshes its tabs when it is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QToolButton, QVBoxLayout, QWidget

from reviewer_app.ui.code_compare import CodeComparison
from reviewer_app.ui.layout import fitting_size
from reviewer_app.ui.lead.audit_queue import AuditQueueTab
from reviewer_app.ui.quality import QualityDashboard
from reviewer_app.ui.trail_viewer import TrailViewer

LEAD_ROLES = ("lead", "admin")


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
    """The lead window in the main window: a *Lead* menu entry and a status-bar button, for leads only."""

    sig_log = Signal(str, bool)
    sig_queue_changed = Signal()  # a lead put a submission back into the review queue

    def __init__(
        self, jobs: Any, window: QMainWindow, menu: QMenu, settings: Any = None, code: CodeComparison | None = None
    ) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.role = ""
        self.lead_window = LeadWindow(window)
        self.audit_tab = AuditQueueTab(jobs, settings, self.lead_window, code=code)
        self.lead_window.add_tab(self.audit_tab, self.tr("Audit queue"))
        self.audit_tab.sig_log.connect(self.sig_log)
        self.audit_tab.sig_queue_changed.connect(self.sig_queue_changed)

        def run(fn: Any, on_done: Any, on_error: Any) -> Any:
            return jobs.run(fn, on_done, on_error)

        self.quality_tab = QualityDashboard(run, self.lead_window)
        self.lead_window.add_tab(self.quality_tab, self.tr("Quality"))
        self.trail_tab = TrailViewer(run, self.lead_window)
        self.lead_window.add_tab(self.trail_tab, self.tr("Audit trail"))
        self.audit_tab.sig_blind.connect(self._set_blind)
        self.blind = False
        self.action: QAction = menu.addAction(self.tr("&Lead mode…"))
        self.action.setObjectName("leadModeAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.action.triggered.connect(self.show)
        self.button = QToolButton(window)
        self.button.setObjectName("leadModeButton")
        self.button.setText(self.tr("Lead mode"))
        self.button.setToolTip(self.tr("Audit queue and the other parts of a lead's work (Ctrl+Shift+L)"))
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.show)
        window.statusBar().addPermanentWidget(self.button)
        self.set_role("")

    @property
    def is_lead(self) -> bool:
        return self.role in LEAD_ROLES

    def add_tab(self, widget: QWidget, title: str) -> int:
        return self.lead_window.add_tab(widget, title)

    def set_role(self, role: str) -> None:
        self.role = role
        self.action.setVisible(self.is_lead)
        self.action.setEnabled(self.is_lead)
        self.button.setVisible(self.is_lead)
        if not self.is_lead:
            self.lead_window.hide()

    def show(self) -> None:
        if not self.is_lead:
            return
        self.lead_window.show()
        self.lead_window.raise_()
        self.lead_window.activateWindow()
        self.lead_window.refresh()

    def _set_blind(self, blind: bool) -> None:
        """While an audit is blind, the tabs that name reviewers and their verdicts (the quality figures,
        the trail's decide events) are emptied and disabled; they come back once the audit is recorded."""
        if blind == self.blind:
            return
        self.blind = blind
        tabs = self.lead_window.tabs
        for widget in (self.quality_tab, self.trail_tab):
            index = tabs.indexOf(widget)
            tabs.setTabEnabled(index, not blind)
            tabs.setTabToolTip(index, self.tr("Record the blind audit first: this names reviewers.") if blind else "")
            if blind:
                widget.blank()
            elif self.lead_window.isVisible():
                widget.refresh()

    def shutdown(self) -> None:
        if self.audit_tab.dialog is not None:
            self.audit_tab.dialog.close()
        self.lead_window.close()
