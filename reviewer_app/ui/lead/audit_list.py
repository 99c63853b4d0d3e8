"""The audit queue as a list: what each sampled decision was about, why it was sampled and where its audit
stands. Never who decided it or how: the lead audits it blind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from reviewer_app.ui.text import kind_name, short_time_text

COL_SUBMISSION, COL_KIND, COL_STATE, COL_WHY, COL_SAMPLED = range(5)
ItemIdRole = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#777777")
OPEN_COLOR = QColor("#0d3c84")
DISAGREE_COLOR = QColor("#b71c1c")
AGREE_COLOR = QColor("#1b5e20")

WHY_NAMES = {
    "rate": QT_TRANSLATE_NOOP("AuditReasons", "Sampled share"),
    "stratum": QT_TRANSLATE_NOOP("AuditReasons", "One per reviewer and kind"),
    "new_reviewer": QT_TRANSLATE_NOOP("AuditReasons", "New reviewer"),
}


def why_name(why: str) -> str:
    return QCoreApplication.translate("AuditReasons", str(WHY_NAMES[why])) if why in WHY_NAMES else why


class AuditList(QTreeWidget):
    """Sampled decisions, oldest sample first; `sig_chosen(item)` on a double click or Enter."""

    sig_chosen = Signal(object)  # AuditQueueItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditList")
        self._items: dict[int, Any] = {}
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHeaderLabels([self.tr("Submission"), self.tr("Kind"), self.tr("State"), self.tr("Why"),
                              self.tr("Sampled")])  # fmt: skip
        self.setAccessibleName(self.tr("Audit queue"))
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SUBMISSION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_SUBMISSION, 170)  # what the submission is comes first; the rest scrolls
        header.setStretchLastSection(False)
        self.itemActivated.connect(lambda item, _column: self._chosen(item))

    def show_items(self, items: Sequence[Any], me: str) -> None:
        """Fill the list; the selected entry stays selected when it is still there."""
        selected = self.selected_item()
        self.blockSignals(True)
        self.clear()
        self._items = {item.item_id: item for item in items}
        for item in items:
            self.addTopLevelItem(self._row(item, me))
        self.blockSignals(False)
        if selected is not None:
            self.select_item(selected.item_id)
        self.itemSelectionChanged.emit()

    def items(self) -> list[Any]:
        return list(self._items.values())

    def selected_item(self) -> Any:
        chosen = self.selectedItems()
        return self._items.get(chosen[0].data(COL_SAMPLED, ItemIdRole)) if chosen else None

    def select_item(self, item_id: int) -> bool:
        for index in range(self.topLevelItemCount()):
            row = self.topLevelItem(index)
            if row is not None and row.data(COL_SAMPLED, ItemIdRole) == item_id:
                self.setCurrentItem(row)
                row.setSelected(True)
                return True
        return False

    def next_open(self, after: int | None = None) -> Any:
        """The first open entry this user may audit (after `after`, else from the top)."""
        found = [i for i in self._items.values() if i.state == "open" and not i.by_you]
        later = [i for i in found if after is None or i.item_id > after]
        return (later or found or [None])[0]

    def _chosen(self, row: QTreeWidgetItem) -> None:
        item = self._items.get(row.data(COL_SAMPLED, ItemIdRole))
        if item is not None:
            self.sig_chosen.emit(item)

    def state_text(self, item: Any, me: str) -> str:
        if item.state == "done":
            if item.outcome == "agree":
                return self.tr("Audited: agrees")
            return self.tr("Audited: disagrees") if item.outcome == "disagree" else self.tr("Audited")
        if item.by_you:
            return self.tr("Your own decision")
        if item.claimed_by == me:
            return self.tr("Yours to audit")
        if item.claimed_by:
            return self.tr("Being audited by %1").replace("%1", item.claimed_by)
        return self.tr("Open")

    def _row(self, item: Any, me: str) -> QTreeWidgetItem:
        subject = f"#{item.submission_id}  {item.label or item.package or ''}".rstrip()
        texts = [subject, kind_name(item.kind), self.state_text(item, me), why_name(item.why),
                 short_time_text(item.sampled_at)]  # fmt: skip
        row = QTreeWidgetItem(texts)
        row.setData(COL_SAMPLED, ItemIdRole, item.item_id)
        if item.package:
            row.setToolTip(COL_SUBMISSION, item.package)
        row.setToolTip(COL_WHY, self.tr("Seed %1, share %2").replace("%1", str(item.seed))
                       .replace("%2", f"{item.rate * 100:g} %"))  # fmt: skip
        color = (
            (AGREE_COLOR if item.outcome == "agree" else DISAGREE_COLOR)
            if item.state == "done"
            else MUTED
            if item.by_you or (item.claimed_by and item.claimed_by != me)
            else OPEN_COLOR
        )
        row.setForeground(COL_STATE, QBrush(color))
        return row
