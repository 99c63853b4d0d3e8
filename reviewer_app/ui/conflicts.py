"""Decision conflicts: decisions the shared database refused because someone else got there first.

A decision made while the database did not answer waits in the local journal; when it is pushed later,
another reviewer may have decided the submission (or hold it) meanwhile. Such a decision is never dropped:
the journal keeps it as a conflict until the reviewer has seen it and dismissed it. `ConflictsDialog`
lists them (non-modal) with a Dismiss button each; the window runs the dismissal on the database worker.

What happened is told in the reviewer's language from structured facts (who decided, when, what): from
the journal entry when it carries them, else from the submission as the database has it now
(`describe_conflicts`, on the worker); the journal's stored English error text is the last resort.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

from reviewer_app.review import OPEN_STATUSES
from reviewer_app.ui.text import local_time_text, verdict_name


@dataclass(frozen=True)
class ConflictFacts:
    """Who got there first: `kind` "decided" (by, at = decision time, verdict) or "held" (by, at = lease end)."""

    kind: str | None
    by: str | None = None
    at: datetime | None = None
    verdict: str | None = None
    caption: str | None = None  # the app's name or package, when known


@dataclass(frozen=True)
class ConflictItem:
    """One row of the dialog: the reviewer's own decision and what happened to it."""

    decision_id: str
    submission_id: int
    verdict: str
    decided_at: datetime | None
    text: str  # what happened, in the reviewer's language where the facts allow
    caption: str = ""


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


def entry_facts(entry: Any) -> ConflictFacts | None:
    """Structured facts a journal entry carries itself (newer journals), else None."""
    kind = getattr(entry, "conflict_kind", None)
    if not kind:
        return None
    return ConflictFacts(
        kind,
        getattr(entry, "conflict_by", None),
        getattr(entry, "conflict_at", None),
        getattr(entry, "conflict_verdict", None),
    )


def describe_conflicts(service: Any, entries: Iterable[Any]) -> dict[str, ConflictFacts]:
    """On the database worker: facts for each conflicting journal entry, read from the database.

    A decision is final, so "decided by X at T" read now is what refused the entry. A submission that is
    still open and held by someone else was held then too (or again). Anything else is left unexplained
    (the stored error text shows). One unreadable submission does not stop the others.
    """
    from reviewer_app.review import DatabaseUnavailable, StoreError

    facts: dict[str, ConflictFacts] = {}
    for entry in entries:
        own = entry_facts(entry)
        try:
            view = service.view(entry.submission_id)
        except DatabaseUnavailable:
            raise
        except StoreError:
            if own is not None:
                facts[entry.decision_id] = own
            continue
        row = view.row
        caption = row.label or row.package or None
        if own is not None:
            facts[entry.decision_id] = ConflictFacts(own.kind, own.by, own.at, own.verdict, caption)
            continue
        others = [d for d in view.detail.decisions if d.decision_id != entry.decision_id]
        if row.status not in OPEN_STATUSES and others:
            last = max(others, key=lambda d: d.decided_at)
            facts[entry.decision_id] = ConflictFacts("decided", last.reviewer, last.decided_at, last.verdict, caption)
        elif row.claimed_by and row.claimed_by != getattr(entry, "reviewer", None):
            facts[entry.decision_id] = ConflictFacts("held", row.claimed_by, row.lease_until, None, caption)
        else:
            facts[entry.decision_id] = ConflictFacts(None, caption=caption)
    return facts


def conflict_items(entries: Sequence[Any], facts: dict[str, ConflictFacts]) -> list[ConflictItem]:
    items = []
    for entry in entries:
        known = facts.get(entry.decision_id) or entry_facts(entry)
        if known is not None and known.kind:
            text = conflict_text(known.kind, known.by, known.at, known.verdict, entry.error)
        else:
            text = conflict_text(None, None, None, error=getattr(entry, "error", None))
        items.append(
            ConflictItem(
                decision_id=entry.decision_id,
                submission_id=entry.submission_id,
                verdict=entry.verdict,
                decided_at=getattr(entry, "decided_at", None),
                text=text,
                caption=(known.caption if known is not None and known.caption else ""),
            )
        )
    return items


class ConflictsDialog(QDialog):
    """Non-modal list of refused decisions; `sig_dismiss(decision_id)` when the reviewer dismisses one."""

    sig_dismiss = Signal(str)

    COL_SUBMISSION, COL_VERDICT, COL_WHEN, COL_WHAT, COL_ACTION = range(5)

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
            rows.append([self.table.item(r, c).text() if self.table.item(r, c) else "" for c in range(4)])
        return rows

    def dismiss_button(self, row: int) -> QPushButton | None:
        widget = self.table.cellWidget(row, self.COL_ACTION)
        return widget if isinstance(widget, QPushButton) else None

    def _refresh(self) -> None:
        self.table.setRowCount(len(self._items))
        for r, item in enumerate(self._items):
            subject = f"#{item.submission_id}  {item.caption}" if item.caption else f"#{item.submission_id}"
            values = [subject, verdict_name(item.verdict), local_time_text(item.decided_at), item.text]
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
