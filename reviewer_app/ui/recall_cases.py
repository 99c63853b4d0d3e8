"""The leads' recall cases in the window: a dock with the list (`RecallListView`), filled and acted on
through the database worker, and a *Lead* menu that only leads and admins see, from which a lead also
recalls a live app or rolls one back to the version approved before (`PullAppDialog` asks which and why)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.lead.recall_list import RecallListView

LEAD_ROLES = ("lead", "admin")


class PullAppDialog(QDialog):
    """Which live app (its package) and why: both required, the button says what will happen."""

    def __init__(self, title: str, explanation: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(explanation, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.package_edit = QLineEdit(self)
        self.package_edit.setObjectName("pullPackage")
        self.package_edit.setPlaceholderText("com.example.app")
        form.addRow(self.tr("Package:"), self.package_edit)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("pullReason")
        self.reason_edit.setPlaceholderText(self.tr("Why, for the record and for the developer"))
        self.reason_edit.setFixedHeight(90)
        form.addRow(self.tr("Reason:"), self.reason_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button: QPushButton = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.package_edit.textChanged.connect(self._update_ok)
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def package(self) -> str:
        return self.package_edit.text().strip()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.package() and self.reason()))


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
        self.menu.addSeparator()
        self.recall_action = self.menu.addAction(self.tr("Recall a live app…"))
        self.recall_action.triggered.connect(self.ask_recall_app)
        self.rollback_action = self.menu.addAction(self.tr("Roll back an app…"))
        self.rollback_action.triggered.connect(self.ask_rollback)
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

    def ask_recall_app(self) -> PullAppDialog:
        dialog = PullAppDialog(
            self.tr("Recall a live app"),
            self.tr(
                "The app is withdrawn from the store at once, with your reason; the recall joins the list of "
                "recall cases."
            ),
            self.tr("Recall app"),
            self.window,
        )
        dialog.accepted.connect(lambda: self.recall_app(dialog.package(), dialog.reason()))
        dialog.open()
        return dialog

    def ask_rollback(self) -> PullAppDialog:
        dialog = PullAppDialog(
            self.tr("Roll back an app"),
            self.tr(
                "The live version is withdrawn with your reason, and the version approved before it is live "
                "again (a broken release)."
            ),
            self.tr("Roll back"),
            self.window,
        )
        dialog.accepted.connect(lambda: self.rollback(dialog.package(), dialog.reason()))
        dialog.open()
        return dialog

    def recall_app(self, package: str, reason: str) -> None:
        def succeeded(case: Any) -> None:
            self.sig_log.emit(self.tr("%1 is recalled and withdrawn from the store.").replace("%1", case.package),
                              False)  # fmt: skip
            self.refresh()

        self.jobs.run(lambda service: service.recall_live_app(package, reason), on_success=succeeded,
                      on_failure=lambda exc: self._failed(package, exc), label="recall")  # fmt: skip

    def rollback(self, package: str, reason: str) -> None:
        def succeeded(done: Any) -> None:
            text = self.tr("%1: version %2 withdrawn; version %3 is live again.").replace("%1", done.package)
            self.sig_log.emit(text.replace("%2", done.withdrawn_version or "?").replace("%3", done.live_version or "?"),
                              False)  # fmt: skip
            self.refresh()

        self.jobs.run(lambda service: service.rollback(package, reason), on_success=succeeded,
                      on_failure=lambda exc: self._failed(package, exc), label="rollback")  # fmt: skip

    def _failed(self, package: str, exc: BaseException) -> None:
        self.sig_log.emit(self.tr("%1: %2").replace("%1", package).replace("%2", one_line(exc)), True)

    def _close(self, case_id: int, fn: Any, done: str) -> None:
        def failed(exc: BaseException) -> None:
            self.sig_log.emit(self.tr("Recall case %1: %2").replace("%1", str(case_id)).replace("%2", one_line(exc)),
                              True)  # fmt: skip
            self.refresh()

        def succeeded(_case: Any) -> None:
            self.sig_log.emit(done.replace("%1", str(case_id)), False)
            self.refresh()

        self.jobs.run(fn, on_success=succeeded, on_failure=failed, label="recall case")
