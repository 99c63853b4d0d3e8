"""The auditor's own verdict on the frozen evidence: approve or reject, the reasons, a note for the record.

It knows nothing of the decision under audit (the re-review is blind) and emits `sig_record(verdict,
reasons, note)` when the auditor records it; the tab runs the recording on the database worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.decision_panel import ReasonListModel
from reviewer_app.ui.evidence.widgets import plain_label

HINT_STYLE = "QLabel { color: #555555; }"


class AuditForm(QWidget):
    """Verdict, reasons and note of an audit, and the button that records them."""

    sig_record = Signal(str, list, str)  # verdict, reason codes, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditForm")
        self._busy = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(10)

        verdicts = QGroupBox(self.tr("Your verdict"), self)
        verdict_layout = QVBoxLayout(verdicts)
        self.approve_radio = QRadioButton(self.tr("&Approve"), verdicts)
        self.approve_radio.setObjectName("auditApprove")
        self.reject_radio = QRadioButton(self.tr("Re&ject"), verdicts)
        self.reject_radio.setObjectName("auditReject")
        self.verdict_group = QButtonGroup(self)
        for radio in (self.approve_radio, self.reject_radio):
            self.verdict_group.addButton(radio)
            verdict_layout.addWidget(radio)
        verdict_layout.addStretch(1)
        layout.addWidget(verdicts)

        reasons = QGroupBox(self.tr("Reasons"), self)
        reasons_layout = QVBoxLayout(reasons)
        reasons_layout.setContentsMargins(6, 6, 6, 6)
        self.reason_model = ReasonListModel(parent=self)
        self.reason_view = QListView(reasons)
        self.reason_view.setObjectName("auditReasons")
        self.reason_view.setModel(self.reason_model)
        self.reason_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reason_view.setUniformItemSizes(True)
        self.reason_view.setAccessibleName(self.tr("Reasons of your verdict"))
        self.reason_view.setMinimumWidth(220)
        self.reason_view.setMaximumHeight(120)
        reasons_layout.addWidget(self.reason_view)
        layout.addWidget(reasons, 1)

        side = QVBoxLayout()
        self.note_caption = QLabel(self.tr("&Note for the record (optional):"), self)
        side.addWidget(self.note_caption)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("auditNote")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(90)
        self.note_edit.setAccessibleName(self.tr("Note for the record"))
        self.note_caption.setBuddy(self.note_edit)
        side.addWidget(self.note_edit)
        row = QHBoxLayout()
        self.problem_label = plain_label(self)
        self.problem_label.setObjectName("auditProblem")
        self.problem_label.setStyleSheet(HINT_STYLE)
        row.addWidget(self.problem_label, 1)
        self.record_button = QPushButton(self.tr("&Record audit"), self)
        self.record_button.setObjectName("recordAudit")
        self.record_button.setToolTip(self.tr("Keep your verdict; the original decision is shown after that"))
        self.record_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.record_button.clicked.connect(self.record)
        row.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignBottom)
        side.addLayout(row)
        layout.addLayout(side, 2)
        self.verdict_group.buttonToggled.connect(lambda *_: self._update())
        self.reason_model.dataChanged.connect(lambda *_: self._update())
        self.reset()

    def reset(self) -> None:
        """An empty form: no verdict chosen (the auditor must choose), no reasons, no note."""
        self.verdict_group.setExclusive(False)
        for radio in (self.approve_radio, self.reject_radio):
            radio.setChecked(False)
        self.verdict_group.setExclusive(True)
        self.reason_model.clear()
        self.note_edit.clear()
        self.set_busy(False)
        self._update()

    def verdict(self) -> str:
        if self.approve_radio.isChecked():
            return "approve"
        if self.reject_radio.isChecked():
            return "reject"
        return ""

    def reasons(self) -> list[str]:
        return self.reason_model.checked_codes()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def suggest_reject(self, reasons: Sequence[str]) -> None:
        """A panel's suggested rejection (the Clones panel's "Reject as counterfeit…"): chosen, not recorded."""
        self.reject_radio.setChecked(True)
        for code in reasons:
            self.reason_model.set_checked(code)

    def problem(self) -> str:
        verdict = self.verdict()
        if not verdict:
            return self.tr("Choose approve or reject.")
        if verdict == "reject" and not self.reasons():
            return self.tr("A rejection needs at least one reason.")
        return ""

    def _update(self) -> None:
        self.problem_label.setText(self.problem())
        self.record_button.setEnabled(not self.problem() and not self._busy)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.approve_radio, self.reject_radio, self.reason_view, self.note_edit):
            widget.setEnabled(not busy)
        self.record_button.setEnabled(not busy and not self.problem())

    def record(self) -> None:
        if self.problem() or self._busy:
            self._update()
            return
        self.set_busy(True)
        self.sig_record.emit(self.verdict(), self.reasons(), self.note())
