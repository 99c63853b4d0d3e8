"""Lead mode's *Recalls* tab: every recall case (those the workers' re-scans open and those leads open),
the selected case's evidence, and what a lead does about them: recall the app or dismiss the case, recall
a live app at once or roll one back to the version approved before (`PullAppDialog` asks which and why).

Every read and write runs on the database worker (`DbJobs`); after each change the list is read again,
and `sig_changed` says that something changed. While a blind audit is open lead mode sets `blind`: the
list is emptied and not read again until the audit is recorded (a case on the audited app would say how
its reviewer decided).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.lead.recall_list import RecallListView, open_dialog

ERROR_STYLE = "QLabel { color: #b71c1c; }"
DONE_STYLE = "QLabel { color: #1e5e2a; }"


class PullAppDialog(QDialog):
    """Which live app (its package) and why: both required, the button says what will happen."""

    def __init__(self, title: str, explanation: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("pullAppDialog")
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
        self.reason_edit.setTabChangesFocus(True)
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

    def accept(self) -> None:
        if self.package() and self.reason():  # Enter in the package field with no reason yet: nothing
            super().accept()


class RecallsTab(QWidget):
    """The recall list in lead mode; `sig_loaded(open cases)` after each read, `sig_changed` after a
    recall, a dismissal or a rollback done from here, `sig_log(text, error)` for the activity log."""

    sig_log = Signal(str, bool)
    sig_loaded = Signal(int)
    sig_changed = Signal()

    def __init__(self, jobs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recallsTab")
        self.jobs = jobs
        self.blind = False  # set by lead mode while a blind audit is open
        self.open_count = 0
        self.dialog: PullAppDialog | None = None
        self._request = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = RecallListView(self)
        layout.addWidget(self.view)
        top = self.view.top_bar
        self.message_label = plain_label(self)  # what the last action did: a line of its own, under the buttons
        self.message_label.setObjectName("recallMessage")
        self.message_label.hide()
        view_layout = self.view.layout()
        assert isinstance(view_layout, QVBoxLayout)
        view_layout.insertWidget(1, self.message_label)
        self.recall_app_button = QPushButton(self.tr("Recall a &live app…"), self)
        self.recall_app_button.setObjectName("recallLiveApp")
        self.recall_app_button.setToolTip(self.tr("Withdraw a live app from the store at once, with your reason"))
        self.recall_app_button.clicked.connect(lambda: self.ask_recall_app())
        self.rollback_button = QPushButton(self.tr("Roll &back an app…"), self)
        self.rollback_button.setObjectName("rollbackApp")
        self.rollback_button.setToolTip(self.tr("Withdraw the live version; the version approved before is live again"))
        self.rollback_button.clicked.connect(lambda: self.ask_rollback())
        for button in (self.recall_app_button, self.rollback_button):
            top.insertWidget(top.indexOf(self.view.refresh_button), button)
        self.view.sig_refresh.connect(self.refresh)
        self.view.sig_recall.connect(self.recall)
        self.view.sig_dismiss.connect(self.dismiss)

    # -- the list --------------------------------------------------------------------------------

    def refresh(self, quiet: bool = False) -> None:
        """Read every case again (the view filters open / all); nothing while a blind audit is open.
        `quiet`: a failure is said on the tab only, not in the window's log (lead mode's periodic read)."""
        if self.blind:
            return
        self._request += 1
        request = self._request

        def failed(exc: BaseException) -> None:
            if request == self._request:
                text = self.tr("Recall cases could not be read: %1").replace("%1", one_line(exc))
                self._say(text, True, log=not quiet)

        self.jobs.run(lambda service: service.recall_cases(include_closed=True),
                      on_success=lambda cases: self._on_cases(request, cases), on_failure=failed,
                      label="recall cases")  # fmt: skip

    def _on_cases(self, request: int, cases: list[Any]) -> None:
        if request != self._request or self.blind:
            return  # a newer read is on its way, or the list was emptied meanwhile
        self.view.show_cases(cases)
        self.open_count = sum(1 for case in cases if case.state == "open")
        self.sig_loaded.emit(self.open_count)

    def blank(self) -> None:
        """Show nothing (lead mode does it while a blind audit is open); the next refresh reads again."""
        self._request += 1  # an answer on its way is dropped
        self.close_dialogs()
        self.view.show_cases(())
        self.message_label.clear()
        self.message_label.hide()

    def close_dialogs(self) -> None:
        for dialog in (self.view.reason_dialog, self.dialog):
            if dialog is not None:
                dialog.close()

    # -- a case ----------------------------------------------------------------------------------

    def recall(self, case_id: int, reason: str) -> None:
        """Close an open case by recalling its app (it is withdrawn from the store)."""
        self._close(case_id, lambda service: service.recall_app(case_id, reason),
                    self.tr("Recall case %1: the app is recalled and withdrawn from the store."))  # fmt: skip

    def dismiss(self, case_id: int, note: str) -> None:
        """Close an open case and keep the app live."""
        self._close(case_id, lambda service: service.dismiss_recall(case_id, note),
                    self.tr("Recall case %1 dismissed: the app stays live."))  # fmt: skip

    def _close(self, case_id: int, fn: Callable[[Any], Any], done: str) -> None:
        def failed(exc: BaseException) -> None:
            self._say(self.tr("Recall case %1: %2").replace("%1", str(case_id)).replace("%2", one_line(exc)), True)
            self.refresh()  # closed by someone else meanwhile, say: show how it stands

        self.jobs.run(fn, on_success=lambda _case: self._done(done.replace("%1", str(case_id))), on_failure=failed,
                      label="recall case")  # fmt: skip

    # -- pulling a live app ----------------------------------------------------------------------

    def ask_recall_app(self, parent: QWidget | None = None) -> PullAppDialog:
        """Ask which app and why, then recall it (over `parent`, this tab by default)."""
        dialog = PullAppDialog(
            self.tr("Recall a live app"),
            self.tr(
                "The app is withdrawn from the store at once, with your reason; the recall joins the list of "
                "recall cases."
            ),
            self.tr("Recall app"),
            parent or self,
        )
        return self._open(dialog, lambda: self.recall_app(dialog.package(), dialog.reason()))

    def ask_rollback(self, parent: QWidget | None = None) -> PullAppDialog:
        dialog = PullAppDialog(
            self.tr("Roll back an app"),
            self.tr(
                "The live version is withdrawn with your reason, and the version approved before it is live "
                "again (a broken release)."
            ),
            self.tr("Roll back"),
            parent or self,
        )
        return self._open(dialog, lambda: self.rollback(dialog.package(), dialog.reason()))

    def recall_app(self, package: str, reason: str) -> None:
        def succeeded(case: Any) -> None:
            self._done(self.tr("%1 is recalled and withdrawn from the store.").replace("%1", case.package))

        self.jobs.run(lambda service: service.recall_live_app(package, reason), on_success=succeeded,
                      on_failure=lambda exc: self._failed(package, exc), label="recall")  # fmt: skip

    def rollback(self, package: str, reason: str) -> None:
        def succeeded(done: Any) -> None:
            text = self.tr("%1: version %2 withdrawn; version %3 is live again.").replace("%1", done.package)
            self._done(text.replace("%2", done.withdrawn_version or "?").replace("%3", done.live_version or "?"))

        self.jobs.run(lambda service: service.rollback(package, reason), on_success=succeeded,
                      on_failure=lambda exc: self._failed(package, exc), label="rollback")  # fmt: skip

    def _open(self, dialog: PullAppDialog, accepted: Callable[[], None]) -> PullAppDialog:
        open_dialog(self, dialog, accepted)
        return dialog

    # -- what happened ---------------------------------------------------------------------------

    def _done(self, text: str) -> None:
        self._say(text, False)
        self.sig_changed.emit()
        self.refresh()

    def _failed(self, package: str, exc: BaseException) -> None:
        self._say(self.tr("%1: %2").replace("%1", package or "?").replace("%2", one_line(exc)), True)

    def _say(self, text: str, error: bool, log: bool = True) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else DONE_STYLE)
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        if log:
            self.sig_log.emit(text, error)
