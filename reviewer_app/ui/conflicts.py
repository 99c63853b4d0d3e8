"""Decision conflicts, as the reviewer reads them: a non-modal list of the decisions the database refused
because someone else got there first, each with a Dismiss button (review/conflicts.py finds the facts;
this module says them in the reviewer's language).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.conflicts import ConflictItem
from reviewer_app.ui.text import local_time_text, verdict_name


def conflict_text(
    kind: str | None, by: str | None, at: datetime | None, verdict: str | None = None, error: str | None = None
) -> str:
    """What happened, translated; the stored error text when the facts are not known."""
    if kind == "decided" and by:
        if verdict and at is not None:
            return (
                QCoreApplication.translate("Conflicts", "Already decided by %1 (%2) at %3.")
                .replace("%1", by)
                .replace("%2", verdict_name(verdict))
                .replace("%3", local_time_text(at))
            )
        if at is not None:
            text = QCoreApplication.translate("Conflicts", "Already decided by %1 at %2.")
            return text.replace("%1", by).replace("%2", local_time_text(at))
        return QCoreApplication.translate("Conflicts", "Already decided by %1.").replace("%1", by)
    if kind == "held" and by:
        if at is not None:
            text = QCoreApplication.translate("Conflicts", "Held by %1 until %2.")
            return text.replace("%1", by).replace("%2", local_time_text(at))
        return QCoreApplication.translate("Conflicts", "Held by %1.").replace("%1", by)
    if error:
        return error
    return QCoreApplication.translate("Conflicts", "Refused by the database.")


def outcome_text(outcome: Any) -> str:
    """A refused DecideOutcome as one translated line (structured conflict fields first)."""
    kind = getattr(outcome, "conflict_kind", None)
    if kind:
        return conflict_text(
            kind,
            getattr(outcome, "conflict_by", None),
            getattr(outcome, "conflict_at", None),
            error=getattr(outcome, "error", None),
        )
    return getattr(outcome, "error", None) or conflict_text(None, None, None)


def item_text(item: ConflictItem) -> str:
    facts = item.facts
    return conflict_text(facts.kind, facts.by, facts.at, facts.verdict, item.error)


class ConflictsDialog(QDialog):
    """Non-modal list of refused decisions; `sig_dismiss(decision_id)` when the reviewer dismisses one."""

    sig_dismiss = Signal(str)

    COL_WHAT, COL_ACTION = 3, 4  # after submission, verdict, when

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(self.tr("Decision conflicts"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._items: list[ConflictItem] = []
        self._dismissing: set[str] = set()

        layout = QVBoxLayout(self)
        self.intro_label = QLabel(
            self.tr(
                "These decisions were made while the database did not answer. When they were sent, someone "
                "else had already decided the submission or held it, so the database kept theirs. Yours are "
                "kept here until you dismiss them."
            ),
            self,
        )
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro_label)

        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Submission"), self.tr("Your decision"), self.tr("Decided at"), self.tr("What happened"), ""]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_WHAT, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("Decision conflicts"))
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel(self.tr("No conflicts."), self)
        self.empty_label.setObjectName("conflictsEmpty")
        layout.addWidget(self.empty_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(760, 320)
        self._refresh()

    @property
    def items(self) -> list[ConflictItem]:
        return list(self._items)

    def set_items(self, items: Sequence[ConflictItem]) -> None:
        self._items = list(items)
        self._dismissing &= {item.decision_id for item in self._items}
        self._refresh()

    def row_texts(self) -> list[list[str]]:
        """What each row shows, column by column (for tests and accessibility checks)."""
        rows = []
        for r in range(self.table.rowCount()):
            cells = (self.table.item(r, c) for c in range(4))
            rows.append([cell.text() if cell is not None else "" for cell in cells])
        return rows

    def dismiss_button(self, row: int) -> QPushButton | None:
        widget = self.table.cellWidget(row, self.COL_ACTION)
        return widget if isinstance(widget, QPushButton) else None

    def _refresh(self) -> None:
        self.table.setRowCount(len(self._items))
        for r, item in enumerate(self._items):
            subject = f"#{item.submission_id}  {item.caption}" if item.caption else f"#{item.submission_id}"
            values = [subject, verdict_name(item.verdict), local_time_text(item.decided_at), item_text(item)]
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(r, c, cell)
            button = QPushButton(self.tr("Dismiss"), self.table)
            button.setToolTip(self.tr("I have seen it: stop showing this conflict"))
            button.setEnabled(item.decision_id not in self._dismissing)
            button.clicked.connect(lambda _checked=False, did=item.decision_id: self._dismiss(did))
            self.table.setCellWidget(r, self.COL_ACTION, button)
        self.table.resizeRowsToContents()
        self.empty_label.setVisible(not self._items)
        self.table.setVisible(bool(self._items))

    def _dismiss(self, decision_id: str) -> None:
        if decision_id in self._dismissing:
            return
        self._dismissing.add(decision_id)
        for r, item in enumerate(self._items):
            if item.decision_id == decision_id:
                button = self.dismiss_button(r)
                if button is not None:
                    button.setEnabled(False)
        self.sig_dismiss.emit(decision_id)

    def dismiss_failed(self, decision_id: str) -> None:
        self._dismissing.discard(decision_id)
        self._refresh()
