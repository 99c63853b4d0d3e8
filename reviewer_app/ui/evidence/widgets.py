"""Widgets the evidence panels share: foldable sections, lists as tall as their rows, plain-text labels,
and the permission list with its flags.

Everything that comes from an APK is untrusted text: it is shown as plain text, never as rich text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.detail import PermissionEntry

DANGER_COLOR = QColor("#c62828")
ADDED_COLOR = QColor("#1565c0")
WARNING_STYLE = (
    "QLabel { background: #fff4e0; color: #6d4300; border: 1px solid #f0b552; border-radius: 4px; padding: 6px; }"
)
BANNER_STYLE = (
    "QLabel { background: #e8f0fe; color: #0d3c84; border: 1px solid #a8c4f0; border-radius: 4px; padding: 6px; }"
)
ERROR_BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #eca3a3; border-radius: 4px; padding: 6px; }"
)


class PermissionListModel(QAbstractListModel):
    """Permissions with their flags: dangerous ones bold red with a marker, new ones marked."""

    NameRole = Qt.ItemDataRole.UserRole + 1
    DangerousRole = Qt.ItemDataRole.UserRole + 2
    AddedRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[PermissionEntry] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[PermissionEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[PermissionEntry]:
        return list(self._entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries) or index.column() != 0:
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            marks = []
            if entry.dangerous:
                marks.append(self.tr("dangerous"))
            if entry.added:
                marks.append(self.tr("new"))
            if entry.max_sdk is not None:
                marks.append(self.tr("up to SDK %1").replace("%1", str(entry.max_sdk)))
            prefix = "⚠ " if entry.dangerous else "    "
            return prefix + entry.name + (f"  — {', '.join(marks)}" if marks else "")
        if role == Qt.ItemDataRole.ToolTipRole or role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [entry.name]
            if entry.dangerous:
                parts.append(self.tr("Dangerous permission: check that the app needs it."))
            if entry.added:
                parts.append(self.tr("Not requested by the last approved version."))
            if entry.implied:
                parts.append(self.tr("Implied by Android because of the app's old target SDK."))
            return "\n".join(parts)
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.dangerous:
                return QBrush(DANGER_COLOR)
            if entry.added:
                return QBrush(ADDED_COLOR)
            if entry.implied:
                return QBrush(QColor("#666666"))
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if entry.dangerous or entry.added else None
        if role == self.NameRole:
            return entry.name
        if role == self.DangerousRole:
            return entry.dangerous
        if role == self.AddedRole:
            return entry.added
        return None


class FittedListView(QListView):
    """A list that is as tall as its rows (the panel scrolls, not the list)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def sizeHint(self) -> QSize:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        height = self.sizeHintForRow(0) if rows else 0
        return QSize(super().sizeHint().width(), max(rows * max(height, 1), 0) + 2 * self.frameWidth() + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class CollapsibleSection(QWidget):
    """A titled section whose body folds away under an arrow button."""

    def __init__(self, title: str, body: QWidget, expanded: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(expanded)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self._on_toggled)
        self.body = body
        body.setVisible(expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.toggle)
        layout.addWidget(body)

    def set_title(self, title: str) -> None:
        self.toggle.setText(title)

    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)


def plain_label(parent: QWidget, selectable: bool = False, mono: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setCursor(Qt.CursorShape.IBeamCursor)
    if mono:
        label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return label
