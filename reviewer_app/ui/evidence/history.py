"""The History panel: decisions already taken on this submission, and the other versions of the same
app with how they were decided (a developer whose last three versions were rejected for fee deduction is
worth knowing about)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from reviewer_app.review.detail import ReviewDetail
from reviewer_app.ui.evidence.base import EvidencePanel, register_panel
from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.text import kind_name, local_time_text, reason_title, status_name, verdict_name, version_text

REJECTED_COLOR = QColor("#b71c1c")


@register_panel
class HistoryPanel(EvidencePanel):
    key: ClassVar[str] = "history"
    order: ClassVar[int] = 90

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("HistoryPanel", "History")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        self.decisions_caption = self._caption(self.tr("Decisions on this submission"))
        layout.addWidget(self.decisions_caption)
        self.decisions_label = plain_label(self, selectable=True)
        self.decisions_label.setObjectName("decisionHistory")
        layout.addWidget(self.decisions_label)
        self.versions_caption = self._caption(self.tr("Other submissions of this app"))
        layout.addWidget(self.versions_caption)
        self.versions_tree = QTreeWidget(self)
        self.versions_tree.setObjectName("versionHistory")
        self.versions_tree.setRootIsDecorated(False)
        self.versions_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_tree.setHeaderLabels(
            [self.tr("Submission"), self.tr("Version"), self.tr("Kind"), self.tr("Status"), self.tr("Decided by")]
        )
        self.versions_tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.versions_tree.header().setStretchLastSection(True)
        layout.addWidget(self.versions_tree, 1)
        self.empty_label = plain_label(self)
        self.empty_label.setStyleSheet("QLabel { color: #555555; }")
        layout.addWidget(self.empty_label)
        self.clear()

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def clear(self) -> None:
        super().clear()
        self.decisions_label.clear()
        self.versions_tree.clear()
        for widget in (self.decisions_caption, self.decisions_label, self.versions_caption, self.versions_tree):
            widget.hide()
        self.empty_label.hide()

    def show_detail(self, detail: ReviewDetail, now: datetime | None = None) -> None:
        self.clear()
        self.detail = detail
        record = detail.view.detail
        if record.decisions:
            self.decisions_label.setText("\n".join(self._decision_line(d) for d in record.decisions))
            self.decisions_caption.show()
            self.decisions_label.show()
        if record.versions:
            for version in record.versions:
                self.versions_tree.addTopLevelItem(self._version_item(version))
            self.versions_caption.show()
            self.versions_tree.show()
        if not record.decisions and not record.versions:
            self.empty_label.setText(self.tr("No decisions yet, and no other submission of this app."))
            self.empty_label.show()

    def _decision_line(self, d: Any) -> str:
        line = f"{local_time_text(d.decided_at)}  {d.reviewer}: {verdict_name(d.verdict)}"
        if d.reason_codes:
            line += " (" + ", ".join(reason_title(c) for c in d.reason_codes) + ")"
        if d.message:
            line += "\n    " + d.message
        return line

    def _version_item(self, version: Any) -> QTreeWidgetItem:
        decided = ""
        if version.decided_by:
            decided = f"{version.decided_by}  {local_time_text(version.decided_at)}"
        item = QTreeWidgetItem(
            [
                f"#{version.submission_id}  {local_time_text(version.submitted_at)}",
                version_text(version.version_name, version.version_code),
                kind_name(version.kind),
                status_name(version.status),
                decided,
            ]
        )
        if version.status == "rejected":
            item.setForeground(3, QBrush(REJECTED_COLOR))
        withdrawn_at = getattr(version, "withdrawn_at", None)
        if withdrawn_at is not None:  # rolled back: the version approved before it is live again
            item.setText(3, self.tr("%1, rolled back").replace("%1", status_name(version.status)))
            item.setForeground(3, QBrush(REJECTED_COLOR))
            tip = self.tr("Withdrawn on %1: %2").replace("%1", local_time_text(withdrawn_at))
            item.setToolTip(3, tip.replace("%2", version.withdrawn_reason or ""))
        return item
