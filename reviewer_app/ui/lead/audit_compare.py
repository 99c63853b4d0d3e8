"""After an audit is recorded: the auditor's verdict beside the original decision, differences marked, and
what the lead may do next (keep the decision, reopen the submission, recall the app, write the reviewer a
note). Filled only from an `AuditComparison`, which the review layer gives once the audit is recorded."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.text import local_time_text, reason_title, verdict_name

DIFFERS_STYLE = "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #eca3a3; padding: 2px 4px; }"
SAME_STYLE = "QLabel { background: #edf7ed; color: #1b5e20; border: 1px solid #a5d6a7; padding: 2px 4px; }"
CELL_STYLE = "QLabel { padding: 2px 4px; }"
AGREE_STYLE = "QLabel { color: #1b5e20; font-weight: bold; }"
DISAGREE_STYLE = "QLabel { color: #b71c1c; font-weight: bold; }"


def reasons_text(codes: tuple[str, ...], marked: tuple[str, ...], mark: str) -> str:
    """One reason a line, those in `marked` with `mark` before them; a dash when there are none."""
    if not codes:
        return "—"
    return "\n".join(f"{mark} {reason_title(c)}" if c in marked else f"   {reason_title(c)}" for c in codes)


class AuditComparisonView(QWidget):
    """Two columns, the audit and the original; rows that differ are red, rows that match green."""

    sig_keep = Signal()
    sig_reopen = Signal()
    sig_recall = Signal()
    sig_note = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditComparison")
        self.comparison: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.outcome_label = plain_label(self)
        self.outcome_label.setObjectName("auditOutcome")
        self.outcome_label.setWordWrap(False)
        head.addWidget(self.outcome_label)
        self.subject_label = plain_label(self, selectable=True)
        self.subject_label.setObjectName("auditSubject")
        self.subject_label.setStyleSheet("QLabel { color: #555555; }")
        head.addWidget(self.subject_label, 1)
        layout.addLayout(head)
        self.buttons_row = QHBoxLayout()
        layout.addLayout(self.buttons_row)

        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for column, text in ((1, self.tr("Your audit")), (2, self.tr("Original decision"))):
            header = QLabel(text, frame)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            grid.addWidget(header, 0, column)
        self.cells: dict[str, tuple[QLabel, QLabel]] = {}
        rows = (
            ("verdict", self.tr("Verdict")),
            ("reasons", self.tr("Reasons")),
            ("words", self.tr("Note / message")),
            ("who", self.tr("By, when")),
        )
        for row, (key, caption) in enumerate(rows, start=1):
            title = QLabel(caption, frame)
            title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(title, row, 0)
            mine, theirs = plain_label(frame, selectable=True), plain_label(frame, selectable=True)
            mine.setObjectName(f"audit_{key}")
            theirs.setObjectName(f"original_{key}")
            mine.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            theirs.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(mine, row, 1)
            grid.addWidget(theirs, row, 2)
            self.cells[key] = (mine, theirs)
        layout.addWidget(frame)
        self.legend_label = plain_label(self)
        self.legend_label.setStyleSheet("QLabel { color: #555555; }")
        self.legend_label.setText(
            self.tr("+ a reason you gave that the reviewer did not;  − a reason the reviewer gave that you did not.")
        )
        layout.addWidget(self.legend_label)

        buttons = self.buttons_row
        self.keep_button = QPushButton(self.tr("&Agree"), self)
        self.keep_button.setObjectName("auditKeep")
        self.keep_button.setToolTip(self.tr("The decision stands: on to the next decision to audit"))
        self.reopen_button = QPushButton(self.tr("Re&open…"), self)
        self.reopen_button.setObjectName("auditReopen")
        self.reopen_button.setToolTip(self.tr("The submission goes back to the queue, pending, with a fresh deadline"))
        self.recall_button = QPushButton(self.tr("Re&call app…"), self)
        self.recall_button.setObjectName("auditRecall")
        self.recall_button.setToolTip(self.tr("Withdraw the approved app from the store through a recall case"))
        self.note_button = QPushButton(self.tr("&Note to reviewer…"), self)
        self.note_button.setToolTip(self.tr("A note the reviewer sees in their window"))
        self.note_button.setObjectName("auditNoteToReviewer")
        for button, signal in (
            (self.keep_button, self.sig_keep),
            (self.reopen_button, self.sig_reopen),
            (self.recall_button, self.sig_recall),
            (self.note_button, self.sig_note),
        ):
            button.clicked.connect(signal)
            buttons.addWidget(button)
        self.status_label = plain_label(self)
        self.status_label.setObjectName("auditActionStatus")
        self.status_label.setStyleSheet("QLabel { color: #0d3c84; }")
        buttons.addWidget(self.status_label, 1)
        layout.addStretch(1)
        self.clear()

    def clear(self) -> None:
        """Nothing shown: what is not recorded yet must not be on screen, even hidden."""
        self.comparison = None
        self.outcome_label.clear()
        self.subject_label.clear()
        self.status_label.clear()
        for mine, theirs in self.cells.values():
            for label in (mine, theirs):
                label.clear()
                label.setStyleSheet(CELL_STYLE)
        for button in (self.keep_button, self.reopen_button, self.recall_button, self.note_button):
            button.setEnabled(False)

    def show_comparison(self, comparison: Any, subject: str = "") -> None:
        self.clear()
        self.comparison = comparison
        audit, original = comparison.audit, comparison.original
        if comparison.agree:
            self.outcome_label.setText(self.tr("You agree with the reviewer's verdict."))
            self.outcome_label.setStyleSheet(AGREE_STYLE)
        else:
            self.outcome_label.setText(self.tr("You disagree with the reviewer's verdict."))
            self.outcome_label.setStyleSheet(DISAGREE_STYLE)
        self.subject_label.setText(subject)
        self._pair("verdict", verdict_name(audit.verdict or ""), verdict_name(original.verdict),
                   comparison.verdict_differs)  # fmt: skip
        self._pair(
            "reasons",
            reasons_text(audit.reason_codes, comparison.reasons_added, "+"),
            reasons_text(original.reason_codes, comparison.reasons_removed, "−"),
            bool(comparison.reasons_added or comparison.reasons_removed),
        )
        self._pair("words", audit.note or "—", original.message or "—", None)
        self._pair("who", f"{audit.auditor}, {local_time_text(audit.audited_at)}",
                   f"{original.reviewer}, {local_time_text(original.decided_at)}", None)  # fmt: skip
        self.keep_button.setEnabled(True)
        self.note_button.setEnabled(True)
        self.reopen_button.setEnabled(comparison.submission_status in ("approved", "rejected"))
        self.recall_button.setEnabled(bool(comparison.can_recall))

    def _pair(self, key: str, mine: str, theirs: str, differs: bool | None) -> None:
        mine_label, theirs_label = self.cells[key]
        mine_label.setText(mine)
        theirs_label.setText(theirs)
        style = CELL_STYLE if differs is None else DIFFERS_STYLE if differs else SAME_STYLE
        mine_label.setStyleSheet(style)
        theirs_label.setStyleSheet(style)

    def differing(self) -> list[str]:
        """The rows marked as different (for tests and accessibility)."""
        return [key for key, (mine, _) in self.cells.items() if mine.styleSheet() == DIFFERS_STYLE]

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
