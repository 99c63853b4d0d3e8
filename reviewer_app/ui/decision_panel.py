"""Approve, reject with reasons and a message, or escalate: the decision controls under the evidence.

The panel validates with the domain's rules (review/decisions.py) and emits `sig_decide(verdict,
reason_codes, message)`; the window runs the decision on the database worker and reports back with
`show_status`. The reject/escalate form folds away while it is not needed, so that the evidence keeps the
room on a small screen. `ApproveConfirmation` is the question asked before approving a submission that
carries red flags.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import REASONS, RedFlag, worst_first
from reviewer_app.review.decisions import decision_problem
from reviewer_app.ui.text import flag_text, problem_text, reason_description, reason_title

STATUS_STYLES = {
    "info": "QLabel { color: #333333; }",
    "ok": "QLabel { color: #1b5e20; }",
    "error": "QLabel { color: #b71c1c; font-weight: bold; }",
    "busy": "QLabel { color: #555555; font-style: italic; }",
}


def form_problem(verdict: str, reasons: list[str], message: str) -> str | None:
    """Why a decision cannot be sent as it stands, in the reviewer's language, or None."""
    problem = decision_problem(verdict, reasons, message.strip() or None)
    return problem_text(problem) if problem is not None else None


def is_confirm_key(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


class ReasonListModel(QAbstractListModel):
    """The reason codes of a rejection as a checkable list, titles translated."""

    CodeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, reasons=REASONS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reasons = list(reasons)
        self._checked: set[str] = set()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._reasons)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._reasons) or index.column() != 0:
            return None
        reason = self._reasons[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return reason_title(reason.code)
        if role == Qt.ItemDataRole.ToolTipRole:
            return reason_description(reason.code)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if reason.code in self._checked else Qt.CheckState.Unchecked
        if role == self.CodeRole:
            return reason.code
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or not 0 <= index.row() < len(self._reasons):
            return False
        code = self._reasons[index.row()].code
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if checked:
            self._checked.add(code)
        else:
            self._checked.discard(code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def checked_codes(self) -> list[str]:
        """Ticked codes, in the order of REASONS."""
        return [r.code for r in self._reasons if r.code in self._checked]

    def set_checked(self, code: str, checked: bool = True) -> None:
        for row, reason in enumerate(self._reasons):
            if reason.code == code:
                self.setData(
                    self.index(row, 0),
                    Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked,
                    Qt.ItemDataRole.CheckStateRole,
                )

    def clear(self) -> None:
        if not self._checked:
            return
        self._checked.clear()
        if self._reasons:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._reasons) - 1, 0), [Qt.ItemDataRole.CheckStateRole]
            )


class DecisionPanel(QWidget):
    """Buttons and the reject/escalate form. Keyboard: see the main window's queue view."""

    sig_decide = Signal(str, list, str)  # verdict, reason codes, message
    sig_cancelled = Signal()  # the reviewer left the form (Esc): focus goes back to the queue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionPanel")
        self._pending: str | None = None
        self._submission_id: int | None = None
        self._form_for: int | None = None  # the submission the typed reasons and message belong to
        self._busy = False
        self._error_shown = False
        self._keep_status = False  # the next selection keeps the status line (what was just decided)
        self._build()
        self.set_submission(None)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)

        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("&Approve"), self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setToolTip(self.tr("Approve the selected submission (A in the queue)"))
        self.approve_button.setStyleSheet("QPushButton { color: #1b5e20; font-weight: bold; padding: 4px 14px; }")
        self.reject_button = QPushButton(self.tr("&Reject…"), self)
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.setToolTip(self.tr("Reject with reasons and a message (R in the queue)"))
        self.reject_button.setStyleSheet("QPushButton { color: #b71c1c; font-weight: bold; padding: 4px 14px; }")
        self.escalate_button = QPushButton(self.tr("&Escalate…"), self)
        self.escalate_button.setObjectName("escalateButton")
        self.escalate_button.setToolTip(self.tr("Send to a lead, with an optional note (E in the queue)"))
        self.escalate_button.setStyleSheet("QPushButton { padding: 4px 14px; }")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.begin_reject)
        self.escalate_button.clicked.connect(self.begin_escalate)
        for b in (self.approve_button, self.reject_button, self.escalate_button):
            buttons.addWidget(b)
        self.subject_label = QLabel(self)
        self.subject_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subject_label.setStyleSheet("QLabel { color: #555555; }")
        buttons.addSpacing(8)
        buttons.addWidget(self.subject_label, 1)
        layout.addLayout(buttons)

        self.form = QWidget(self)
        self.form.setObjectName("decisionForm")
        form = QHBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(10)
        self.reasons_box = QGroupBox(self.tr("Reasons for a rejection"), self.form)
        reasons_layout = QVBoxLayout(self.reasons_box)
        reasons_layout.setContentsMargins(6, 6, 6, 6)
        self.reason_model = ReasonListModel(parent=self)
        self.reason_view = QListView(self.reasons_box)
        self.reason_view.setObjectName("reasonList")
        self.reason_view.setModel(self.reason_model)
        self.reason_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reason_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.reason_view.setAccessibleName(self.tr("Reasons for a rejection"))
        self.reason_view.setUniformItemSizes(True)
        self.reason_view.setMinimumWidth(200)
        self.reason_view.clicked.connect(self._toggle_reason)
        self.reason_model.dataChanged.connect(self._on_reasons_changed)
        reasons_layout.addWidget(self.reason_view)
        form.addWidget(self.reasons_box, 2)

        self.message_box = QGroupBox(self.tr("Message to the developer"), self.form)
        message_layout = QVBoxLayout(self.message_box)
        message_layout.setContentsMargins(6, 6, 6, 6)
        self.message_edit = QPlainTextEdit(self.message_box)
        self.message_edit.setObjectName("messageEdit")
        self.message_edit.setPlaceholderText(
            self.tr(
                "Required for a rejection: what is wrong and what the developer should change. "
                "Optional note for an escalation."
            )
        )
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setAccessibleName(self.tr("Message to the developer"))
        self.message_edit.textChanged.connect(self._on_message_changed)
        message_layout.addWidget(self.message_edit)
        form.addWidget(self.message_box, 3)
        self.form.setFixedHeight(170)
        layout.addWidget(self.form)

        confirm_row = QHBoxLayout()
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton(self.tr("Cancel (Esc)"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        confirm_row.addWidget(self.confirm_button)
        confirm_row.addWidget(self.cancel_button)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("decisionStatus")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        confirm_row.addWidget(self.status_label, 1)
        layout.addLayout(confirm_row)

        for widget in (self.reason_view, self.message_edit):
            widget.installEventFilter(self)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel)
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------------

    @property
    def pending(self) -> str | None:
        """The decision being prepared: 'reject', 'escalate' or None."""
        return self._pending

    @property
    def submission_id(self) -> int | None:
        return self._submission_id

    @property
    def form_open(self) -> bool:
        return not self.form.isHidden()

    def set_submission(self, submission_id: int | None, caption: str = "") -> None:
        """Another submission is selected: the form starts empty.

        A moment without a selection (the queue reloading) keeps what was typed: the form is cleared
        only when a different submission is selected.
        """
        self._submission_id = submission_id
        self.subject_label.setText(caption)
        if submission_id is not None and submission_id != self._form_for:
            self._form_for = submission_id
            self.reset_form()
            if not self._keep_status:
                self.show_status("")
        self._keep_status = False
        self._update_buttons()

    def reset_form(self) -> None:
        self._pending = None
        self.reason_model.clear()
        self.message_edit.clear()
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def show_status(self, text: str, kind: str = "info", keep: bool = False) -> None:
        """`keep`: the line stays when the selection moves on next (a decision says what it did)."""
        self._keep_status = keep
        self._error_shown = kind == "error" and bool(text)
        self.status_label.setStyleSheet(STATUS_STYLES.get(kind, STATUS_STYLES["info"]))
        self.status_label.setText(text)

    def status_text(self) -> str:
        return self.status_label.text()

    def _update_buttons(self) -> None:
        has = self._submission_id is not None and not self._busy
        for b in (self.approve_button, self.reject_button, self.escalate_button):
            b.setEnabled(has)
        self.confirm_button.setEnabled(has and self._pending is not None)
        self.cancel_button.setEnabled(self._pending is not None)
        self.confirm_button.setVisible(self._pending is not None)
        self.cancel_button.setVisible(self._pending is not None)
        if self._pending == "escalate":
            self.confirm_button.setText(self.tr("Confirm escalation (Ctrl+Enter)"))
        else:
            self.confirm_button.setText(self.tr("Confirm rejection (Ctrl+Enter)"))
        # The form shows while a rejection or an escalation is prepared (a reason ticked counts).
        self.form.setVisible(self._pending is not None)
        self.reasons_box.setVisible(self._pending != "escalate")
        self.reasons_box.setEnabled(self._submission_id is not None)
        self.message_box.setEnabled(self._submission_id is not None)

    def _clear_stale_error(self) -> None:
        """An error about the form goes as soon as the reviewer acts on it."""
        if self._error_shown:
            self.show_status("")

    def _on_reasons_changed(self, *_args: Any) -> None:
        if self.reason_model.checked_codes():
            self._clear_stale_error()

    def _on_message_changed(self) -> None:
        if self._error_shown and self.message_edit.toPlainText().strip():
            self._clear_stale_error()

    # -- actions ---------------------------------------------------------------------------------

    def approve(self) -> None:
        if self._submission_id is None:
            self.show_status(self.tr("Select a submission first."), "error")
            return
        if self._busy:
            return
        self._pending = None
        self._update_buttons()
        self.sig_decide.emit("approve", [], "")

    def begin_reject(self, reasons: tuple[str, ...] = ()) -> None:
        """Open the reject form; `reasons` are ticked already (an evidence panel suggests them)."""
        if self._submission_id is None:
            return
        for code in reasons if isinstance(reasons, tuple) else ():
            self.reason_model.set_checked(code, True)
        self._pending = "reject"
        self._update_buttons()
        self.show_status(self.tr("Tick the reasons (Space), write a message, then press Ctrl+Enter."))
        self.reason_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.reason_view.currentIndex().isValid() and self.reason_model.rowCount():
            self.reason_view.setCurrentIndex(self.reason_model.index(0, 0))

    def begin_escalate(self) -> None:
        if self._submission_id is None:
            return
        self._pending = "escalate"
        self._update_buttons()
        self.show_status(self.tr("Add an optional note for the lead, then press Ctrl+Enter."))
        self.message_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def confirm(self) -> bool:
        """Send the pending reject or escalate; refuses with an inline message when the form is incomplete."""
        if self._submission_id is None or self._busy:
            return False
        verdict = self._pending
        reasons = self.reason_model.checked_codes()
        if verdict is None:
            if not reasons:
                self.show_status(self.tr("Press R to reject or E to escalate first."), "error")
                return False
            verdict = "reject"
            self._pending = verdict
        message = self.message_edit.toPlainText().strip()
        problem = form_problem(verdict, reasons, message)
        if problem:
            self.show_status(problem, "error")
            if verdict == "reject" and not reasons:
                self.reason_view.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.message_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.sig_decide.emit(verdict, reasons if verdict == "reject" else [], message)
        return True

    def cancel(self) -> None:
        was = self._pending
        self._pending = None
        self._update_buttons()
        if was is not None:
            self.show_status("")
        self.sig_cancelled.emit()

    def _toggle_reason(self, index: QModelIndex) -> None:
        # Ticking a reason means a rejection is being prepared.
        if self._pending is None:
            self._pending = "reject"
            self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and is_confirm_key(event):
            self.confirm()
            return True
        if (
            watched is self.reason_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and self._pending is None
        ):
            self._pending = "reject"
            self._update_buttons()
        return super().eventFilter(watched, event)


class ApproveConfirmation(QMessageBox):
    """Asked before approving a submission that carries red flags; names each one, worst first.

    Window-modal and not blocking: connect `sig_confirmed` and call `open()`. Cancel is the default
    button, so that a key pressed out of habit approves nothing.
    """

    sig_confirmed = Signal(int)  # submission id

    def __init__(self, submission_id: int, caption: str, flags: list[RedFlag], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approveConfirmation")
        self.submission_id = submission_id
        self.flags = list(worst_first(flags))
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Approve despite red flags?"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(self.tr("%1 carries %n red flag(s):", "", len(self.flags)).replace("%1", caption))
        self.setInformativeText("\n".join(f"• {flag_text(flag)}" for flag in self.flags))
        self.approve_button = self.addButton(self.tr("&Approve anyway"), QMessageBox.ButtonRole.AcceptRole)
        self.approve_button.setObjectName("approveAnywayButton")
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet("QLabel { min-width: 440px; }")  # flag texts are sentences: room to read them
        self.buttonClicked.connect(self._clicked)

    def flag_texts(self) -> list[str]:
        return [flag_text(flag) for flag in self.flags]

    def _clicked(self, button: Any) -> None:
        if button is self.approve_button:
            self.sig_confirmed.emit(self.submission_id)
