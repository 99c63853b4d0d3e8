"""The status bar: time left on the selection, open and overdue counts, the undo of the last decision,
import progress, decision conflicts, the connection (online / offline with N waiting), the reviewer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from reviewer_app.ui.text import time_left_text

OFFLINE_STYLE = "QLabel { background: #fff4e0; color: #6d4300; border: 1px solid #f0b552; padding: 0 6px; }"
ONLINE_STYLE = "QLabel { color: #1b5e20; padding: 0 6px; }"
NOT_CONNECTED_STYLE = "QLabel { color: #b71c1c; font-weight: bold; padding: 0 6px; }"
CONFLICTS_STYLE = "QToolButton { color: #b71c1c; font-weight: bold; }"
UNDO_STYLE = "QToolButton { color: #0d3c84; font-weight: bold; }"
OVERDUE_STYLE = "QLabel { color: #c62828; font-weight: bold; }"
CONNECTION_STYLES = {"online": ONLINE_STYLE, "offline": OFFLINE_STYLE, "down": NOT_CONNECTED_STYLE, "": ""}


class StatusBarParts(QObject):
    """Owns the permanent widgets of the window's status bar; the window feeds them."""

    sig_undo = Signal()
    sig_show_conflicts = Signal()
    sig_cancel_import = Signal()

    def __init__(self, bar: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.bar = bar
        self.undo_button = QToolButton(parent)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAutoRaise(True)
        self.undo_button.setStyleSheet(UNDO_STYLE)
        self.undo_button.clicked.connect(self.sig_undo)
        self.undo_button.hide()
        self.progress_bar = QProgressBar(parent)
        self.progress_bar.setObjectName("importProgress")
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.cancel_import_button = QToolButton(parent)
        self.cancel_import_button.setText(self.tr("Cancel import"))
        self.cancel_import_button.setAutoRaise(True)
        self.cancel_import_button.clicked.connect(self.sig_cancel_import)
        self.cancel_import_button.hide()
        self.sla_label = self._label(parent, "slaLabel")
        self.open_label = self._label(parent, "openLabel")
        self.overdue_label = self._label(parent, "overdueLabel")
        self.conflicts_button = QToolButton(parent)
        self.conflicts_button.setObjectName("conflictsButton")
        self.conflicts_button.setAutoRaise(True)
        self.conflicts_button.setStyleSheet(CONFLICTS_STYLE)
        self.conflicts_button.setToolTip(self.tr("Decisions the database refused because someone else got there first"))
        self.conflicts_button.clicked.connect(self.sig_show_conflicts)
        self.conflicts_button.hide()
        self.connection_label = self._label(parent, "connectionLabel")
        self.reviewer_label = self._label(parent, "reviewerLabel")
        for widget in (
            self.undo_button,
            self.progress_bar,
            self.cancel_import_button,
            self.sla_label,
            self.open_label,
            self.overdue_label,
            self.conflicts_button,
            self.connection_label,
            self.reviewer_label,
        ):
            bar.addPermanentWidget(widget)

    @staticmethod
    def _label(parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def message(self, text: str, ms: int = 8000) -> None:
        self.bar.showMessage(text, ms)

    def set_time_left(self, deadline: datetime | None, now: datetime) -> None:
        if deadline is None:
            self.sla_label.setText("")
            self.sla_label.setStyleSheet("")
            return
        left = deadline - now
        if left.total_seconds() < 0:
            self.sla_label.setText(self.tr("Selected: overdue by %1").replace("%1", time_left_text(-left)))
            self.sla_label.setStyleSheet(OVERDUE_STYLE)
        else:
            self.sla_label.setText(self.tr("Selected: %1 left").replace("%1", time_left_text(left)))
            self.sla_label.setStyleSheet("")

    def set_stats(self, stats: dict[str, Any]) -> None:
        self.open_label.setText(self.tr("Open: %1").replace("%1", str(stats.get("open", 0))))
        overdue = int(stats.get("overdue", 0) or 0)
        self.overdue_label.setText(self.tr("Overdue: %1").replace("%1", str(overdue)))
        self.overdue_label.setStyleSheet(OVERDUE_STYLE if overdue else "")

    def set_connection(self, text: str, kind: str, tip: str) -> None:
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(CONNECTION_STYLES.get(kind, ""))
        self.connection_label.setToolTip(tip)

    def set_conflicts(self, count: int) -> None:
        self.conflicts_button.setText(self.tr("Conflicts: %1").replace("%1", str(count)))
        self.conflicts_button.setVisible(count > 0)

    def set_reviewer(self, name: str, role: str = "") -> None:
        text = self.tr("Reviewer: %1").replace("%1", name) if name else ""
        if name and role == "lead":
            text = self.tr("Lead: %1").replace("%1", name)
        self.reviewer_label.setText(text)

    def set_undo(self, text: str) -> None:
        """The undo offer for the last decision ("" hides it)."""
        self.undo_button.setText(text)
        self.undo_button.setToolTip(self.tr("Take the decision back before it is sent (Ctrl+Z)") if text else "")
        self.undo_button.setVisible(bool(text))

    def set_import_progress(self, done: int, parsed: int, total: int) -> None:
        if total <= 0:
            self.progress_bar.hide()
            self.cancel_import_button.hide()
            return
        self.progress_bar.setMaximum(max(total * 2, 1))
        self.progress_bar.setValue(parsed + done)
        self.progress_bar.setFormat(self.tr("Importing %1/%2").replace("%1", str(done)).replace("%2", str(total)))
        self.progress_bar.show()
        self.cancel_import_button.show()
