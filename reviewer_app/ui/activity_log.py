"""The activity log: one line per thing that happened in this window (decisions, imports, connection
changes, errors in red), in a dock the reviewer can show from the View menu."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

ERROR_COLOR = QColor("#b71c1c")


class ActivityLog(QListWidget):
    MAX_LINES = 2000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityLog")
        self.setAccessibleName(self.tr("Activity log"))
        self.setWordWrap(False)
        self.setUniformItemSizes(True)

    def add(self, text: str, error: bool = False) -> None:
        """One line, stamped with the time (errors in red); the oldest lines go past MAX_LINES."""
        item = QListWidgetItem(f"{QTime.currentTime().toString('HH:mm:ss')}  {text}")
        if error:
            item.setForeground(QBrush(ERROR_COLOR))
        self.addItem(item)
        while self.count() > self.MAX_LINES:
            self.takeItem(0)
        self.scrollToBottom()

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


def activity_dock(log: ActivityLog, parent: QWidget) -> QDockWidget:
    dock = QDockWidget(parent.tr("Activity"), parent)
    dock.setObjectName("activityDock")
    dock.setWidget(log)
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
    return dock
