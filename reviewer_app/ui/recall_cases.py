"""The leads' recall cases in the window: a dock with the list (`RecallListView`), filled and acted on
through the database worker, and a *Lead* menu that only leads and admins see."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.recalls import RecallListView

LEAD_ROLES = ("lead", "admin")


class RecallCasesController(QObject):
    """Loads every recall case (the view filters open / all), recalls or dismisses one, and says how many
    are open in the menu, so a lead sees new ones without opening the list."""

    sig_log = Signal(str, bool)  # text, error
    sig_loaded = Signal(int)  # open cases

    def __init__(self, jobs: Any, window: QMainWindow) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.window = window
        self.view = RecallListView()
        self.dock = QDockWidget(self.tr("Recall cases"), window)
        self.dock.setObjectName("recallDock")
        self.dock.setWidget(self.view)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.menu = window.menuBar().addMenu(self.tr("&Lead"))
        self.action: QAction = self.menu.addAction(self.tr("&Recall cases…"))
        self.action.triggered.connect(self.show)
        self.menu.menuAction().setVisible(False)
        self.open_count = 0
        self.view.sig_refresh.connect(self.refresh)
        self.view.sig_recall.connect(self.recall)
        self.view.sig_dismiss.connect(self.dismiss)

    def set_role(self, role: str) -> None:
        lead = role in LEAD_ROLES
        self.menu.menuAction().setVisible(lead)
        if lead:
            self.refresh()
        else:
            self.dock.hide()

    def show(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.refresh()

    def refresh(self) -> None:
        self.jobs.run(
            lambda service: service.recall_cases(include_closed=True),
            on_success=self._on_cases,
            on_failure=lambda exc: self.sig_log.emit(
                self.tr("Recall cases could not be read: %1").replace("%1", one_line(exc)), True
            ),
            label="recall cases",
        )

    def _on_cases(self, cases: list[Any]) -> None:
        self.view.show_cases(cases)
        self.open_count = sum(1 for case in cases if case.state == "open")
        text = self.tr("&Recall cases…")
        self.action.setText(f"{text} ({self.open_count})" if self.open_count else text)
        self.sig_loaded.emit(self.open_count)

    def recall(self, case_id: int, reason: str) -> None:
        self._close(case_id, lambda service: service.recall_app(case_id, reason),
                    self.tr("Recall case %1: the app is recalled and withdrawn from the store."))  # fmt: skip

    def dismiss(self, case_id: int, note: str) -> None:
        self._close(case_id, lambda service: service.dismiss_recall(case_id, note),
                    self.tr("Recall case %1 dismissed: the app stays live."))  # fmt: skip

    def _close(self, case_id: int, fn: Any, done: str) -> None:
        def failed(exc: BaseException) -> None:
            self.sig_log.emit(self.tr("Recall case %1: %2").replace("%1", str(case_id)).replace("%2", one_line(exc)),
                              True)  # fmt: skip
            self.refresh()

        def succeeded(_case: Any) -> None:
            self.sig_log.emit(done.replace("%1", str(case_id)), False)
            self.refresh()

        self.jobs.run(fn, on_success=succeeded, on_failure=failed, label="recall case")
