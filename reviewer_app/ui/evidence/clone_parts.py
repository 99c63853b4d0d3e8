"""Pieces of the Clones panel that stand on their own: a name comparison as rich text with the differing
characters marked (HTML-escaped: names come from untrusted APKs), icons decoded within caps, and a tree that
is as tall as its rows."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QSizePolicy, QTreeWidget, QWidget

# The characters in which two names differ, in the rich text of the name rows.
HIGHLIGHT_STYLE = "color:#c62828; background-color:#fde0dc; font-weight:bold;"
ICON_SIZE = 64
MAX_ICON_BYTES = 2 * 1024 * 1024  # a catalog icon is a small PNG; anything larger is not decoded
MAX_ICON_SIDE = 4096
ANDROID_PERMISSION = "android.permission."


def name_diff_html(diff: Any, side: str) -> str:
    """One side's name ("submission" or "candidate") as rich text from the clone search's `name_diff`
    ([op, submission text, candidate text], op: equal/replace/insert/delete), the characters that differ
    from the other side marked. Every piece of text is HTML-escaped."""
    parts = []
    for step in diff if isinstance(diff, list | tuple) else ():
        if not isinstance(step, list | tuple) or len(step) < 3:
            continue
        op, mine = str(step[0]), step[1] if side == "submission" else step[2]
        text = str(mine or "")
        if not text:
            continue
        if op == "equal":
            parts.append(html.escape(text))
        else:
            parts.append(f'<span style="{HIGHLIGHT_STYLE}">{html.escape(text)}</span>')
    return "".join(parts)


def diff_text(diff: Any, side: str) -> str:
    """The name a `name_diff` spells on one side ("submission" or "candidate")."""
    steps = diff if isinstance(diff, list | tuple) else ()
    index = 1 if side == "submission" else 2
    return "".join(str(s[index] or "") for s in steps if isinstance(s, list | tuple) and len(s) >= 3)


def plain_html(text: str) -> str:
    return html.escape(text or "")


def decode_icon(data: Any, size: int = ICON_SIZE) -> QPixmap | None:
    """A candidate's PNG bytes as a pixmap of `size`, or None when they are missing, too large or not an image."""
    if not isinstance(data, bytes | bytearray) or not data or len(data) > MAX_ICON_BYTES:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(bytes(data)))
    if not buffer.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    reader = QImageReader(buffer)
    declared = reader.size()
    if declared.isValid() and (declared.width() > MAX_ICON_SIDE or declared.height() > MAX_ICON_SIDE):
        return None
    image = reader.read()
    buffer.close()
    return scaled_pixmap(image, size)


def scaled_pixmap(image: Any, size: int = ICON_SIZE) -> QPixmap | None:
    if not isinstance(image, QImage) or image.isNull():
        return None
    scaled = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return QPixmap.fromImage(scaled)


def short_permission(name: str) -> str:
    return name[len(ANDROID_PERMISSION) :] if name.startswith(ANDROID_PERMISSION) else name


class FittedTree(QTreeWidget):
    """A tree as tall as its rows (the panel scrolls, not the tree)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def sizeHint(self) -> QSize:
        rows = self.topLevelItemCount()
        row_height = max(self.sizeHintForRow(0), 1) if rows else 0
        header = self.header().sizeHint().height() if not self.isHeaderHidden() else 0
        return QSize(super().sizeHint().width(), rows * row_height + header + 2 * self.frameWidth() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.sizeHint().height())
