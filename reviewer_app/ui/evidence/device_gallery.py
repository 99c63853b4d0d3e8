"""The screenshot gallery: a thumbnail per screenshot, labelled with its device and step, a badge on the
flagged ones, and the developer's store-listing images after them.

Thumbnails come from the panel's `ImageLoader` (decoded off the GUI thread). The gallery shows one
device's screenshots when the matrix has one selected, and only the flagged ones when asked.
Double-click or Enter opens a thumbnail in the side-by-side view (`sig_open`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.evidence.device_images import ImageKey, ImageLoader
from reviewer_app.ui.evidence.device_models import (
    MUTED_COLOR,
    SEVERE_FLAGS,
    EntryRole,
    GalleryEntry,
    device_flag_name,
    device_flag_tip,
    entry_caption,
    entry_label,
)

SEVERE_BADGE = QColor("#c62828")
LOOK_BADGE = QColor("#b26a00")
LISTING_BADGE = QColor("#1565c0")
LIVE_BADGE = QColor("#546e7a")  # the live version's screenshots, beside a listing change
FRAME_COLOR = QColor("#b0b6bb")
LABEL_LINES = 2


class GalleryModel(QAbstractListModel):
    """The thumbnails: a screenshot per row (its device and step as text), then the listing images.

    The pixmaps come from the loader's cache; a placeholder shows until the loader says one is in."""

    def __init__(self, loader: ImageLoader, parent=None) -> None:
        super().__init__(parent)
        self.loader = loader
        self._entries: list[GalleryEntry] = []
        self._labels: list[str] = []
        self._rows_of_path: dict[str, list[int]] = {}
        self._changed: set[int] = set()
        self._outstanding: set[str] = set()  # files whose thumbnail has not come in
        self._placeholders: dict[str, QPixmap] = {}
        # Thumbnails come in one by one; the view hears of them in batches, once a frame at most.
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(16)
        self._flush_timer.timeout.connect(self._flush)
        loader.sig_ready.connect(self._on_image)
        loader.sig_failed.connect(self._on_image)

    def set_entries(self, entries: Sequence[GalleryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._labels = [entry_label(entry) for entry in self._entries]
        self._rows_of_path = {}
        for row, entry in enumerate(self._entries):
            if entry.path:
                self._rows_of_path.setdefault(entry.path, []).append(row)
        self._changed.clear()
        self._outstanding = set()
        self.endResetModel()
        for entry in self._entries:  # in the gallery's order, so the first rows fill first
            known = entry.path and self.loader.error(ImageKey(entry.path)) is not None
            if entry.path and not known and self.loader.thumbnail_cached(entry.path) is None:
                self._outstanding.add(entry.path)
                self.loader.request(ImageKey(entry.path))

    def entries(self) -> list[GalleryEntry]:
        return list(self._entries)

    def entry(self, row: int) -> GalleryEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def waiting(self) -> int:
        """Thumbnails not in yet (neither decoded nor failed)."""
        return len(self._outstanding)

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
            return self._labels[index.row()]
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(entry)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._tooltip(entry)
        if role == EntryRole:
            return entry
        return None

    def _pixmap(self, entry: GalleryEntry) -> QPixmap:
        if not entry.path:
            return self._placeholder("∅")
        pixmap = self.loader.thumbnail(entry.path)  # asks for it again if the cache let it go
        if pixmap is not None:
            return pixmap
        return self._placeholder("✕" if self.loader.error(ImageKey(entry.path)) else "…")

    def _tooltip(self, entry: GalleryEntry) -> str:
        lines = [entry_caption(entry)]
        if entry.width and entry.height:
            lines.append(f"{entry.width} × {entry.height}")
        lines.extend(f"⚠ {device_flag_tip(flag)}" for flag in entry.flags)
        if not entry.path:
            lines.append(
                QCoreApplication.translate("DeviceGallery", "The image file is not available on this workstation.")
            )
        else:
            error = self.loader.error(ImageKey(entry.path))
            if error:
                lines.append(QCoreApplication.translate("DeviceGallery", "Cannot show it: %1").replace("%1", error))
        return "\n".join(lines)

    def _placeholder(self, mark: str) -> QPixmap:
        """A grey card the size of a thumbnail: "…" while decoding, "✕" when it cannot be shown."""
        if mark not in self._placeholders:
            size = self.loader.thumb_size
            width, height = size.width() * 2 // 3, size.height() * 2 // 3
            pixmap = QPixmap(width, height)
            pixmap.fill(QColor("#eceff1"))
            painter = QPainter(pixmap)
            painter.setPen(MUTED_COLOR)
            painter.drawRect(0, 0, width - 1, height - 1)
            painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, mark)
            painter.end()
            self._placeholders[mark] = pixmap
        return self._placeholders[mark]

    def _on_image(self, key: ImageKey, *_reason: Any) -> None:
        if key.full:
            return
        self._outstanding.discard(key.path)
        rows = self._rows_of_path.get(key.path)
        if rows:
            self._changed.update(rows)
            if not self._flush_timer.isActive():
                self._flush_timer.start()

    def _flush(self) -> None:
        """One dataChanged per row: a view repaints just that cell (a range would repaint all it shows)."""
        rows = sorted(row for row in self._changed if row < len(self._entries))
        self._changed.clear()
        roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole]
        for row in rows:
            index = self.index(row)
            self.dataChanged.emit(index, index, roles)


class GalleryFilter(QSortFilterProxyModel):
    """One device's screenshots (the listing images stay), and only the flagged ones when asked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.device_index: int | None = None
        self.only_flagged = False

    def set_device(self, device_index: int | None) -> None:
        if device_index != self.device_index:
            self._refilter(lambda: setattr(self, "device_index", device_index))

    def set_only_flagged(self, only: bool) -> None:
        if only != self.only_flagged:
            self._refilter(lambda: setattr(self, "only_flagged", only))

    def _refilter(self, change: Callable[[], None]) -> None:
        """Change what passes, the way this Qt wants it said (begin/endFilterChange from 6.10 on)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        entry = model.data(model.index(source_row, 0, source_parent), EntryRole) if model is not None else None
        if not isinstance(entry, GalleryEntry):
            return False
        if self.only_flagged and not entry.flags:
            return False
        return self.device_index is None or entry.kind == "listing" or entry.device_index == self.device_index


class ThumbnailDelegate(QStyledItemDelegate):
    """A thumbnail in a thin frame (a blank white screen is still a screen), its two lines of label under
    it, and a badge on its corner naming a screenshot's flags (red for a blank screen or a crash dialog,
    amber for a difference) or marking a store-listing image.

    Painted here rather than by the style: every cell has the size of a full thumbnail box whatever the
    image's own size (a placeholder, a landscape listing image), so the grid does not move as thumbnails
    come in, and a repaint of dozens of cells stays cheap."""

    def __init__(self, thumb_size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb_size = QSize(thumb_size)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(self.thumb_size.width() + 20, self.thumb_size.height() + LABEL_LINES * line + 10)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect = option.rect
        box = QRect(rect.left() + (rect.width() - self.thumb_size.width()) // 2, rect.top() + 4,
                    self.thumb_size.width(), self.thumb_size.height())  # fmt: skip
        painter.save()
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        image = box
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            size = pixmap.deviceIndependentSize().toSize().boundedTo(box.size())
            image = QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter, size, box)
            painter.drawPixmap(image, pixmap)
            painter.setPen(FRAME_COLOR)
            painter.drawRect(image.adjusted(-1, -1, 0, 0))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(
            option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        )
        metrics = option.fontMetrics
        top = box.bottom() + 4
        for line in str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")[:LABEL_LINES]:
            text = metrics.elidedText(line, Qt.TextElideMode.ElideMiddle, rect.width() - 4)
            painter.drawText(QRect(rect.left() + 2, top, rect.width() - 4, metrics.lineSpacing()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)  # fmt: skip
            top += metrics.lineSpacing()
        entry = index.data(EntryRole)
        badge = self._badge(entry) if isinstance(entry, GalleryEntry) else None
        if badge is not None:
            self._draw_badge(painter, option, image, *badge)
        painter.restore()
        if option.state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionFocusRect()
            focus.rect, focus.state, focus.palette = rect, option.state, option.palette
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, widget)

    def _badge(self, entry: GalleryEntry) -> tuple[str, QColor] | None:
        if entry.kind == "listing":
            return self.tr("listing"), LISTING_BADGE
        if entry.kind == "previous":
            return self.tr("live version"), LIVE_BADGE
        if not entry.flags:
            return None
        names = [device_flag_name(flag) for flag in entry.flags]
        text = names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}"
        return text, SEVERE_BADGE if any(flag in SEVERE_FLAGS for flag in entry.flags) else LOOK_BADGE

    @staticmethod
    def _draw_badge(painter: QPainter, option: QStyleOptionViewItem, image: QRect, text: str, color: QColor) -> None:
        font = QFont(option.font)
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 6.0))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = min(metrics.horizontalAdvance(text) + 8, option.rect.width() - 4)
        left = max(option.rect.left() + 2, image.left() - 4)
        badge = QRect(left, image.top() + 2, width, metrics.height() + 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(QColor("white"))
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, badge.width() - 6)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, elided)


class DeviceGallery(QWidget):
    """Thumbnails with an "Only flagged" switch; one device's or all devices'."""

    sig_open = Signal(object)  # the GalleryEntry to open in the side-by-side view
    sig_all_devices = Signal()  # the reviewer asked to see every device again

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceGalleryPage")
        self.model = GalleryModel(loader, self)
        self.filter = GalleryFilter(self)
        self.filter.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("galleryScope")
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_label.setWordWrap(True)  # never what keeps the panel from getting narrower
        bar.addWidget(self.scope_label, 1)
        self.all_button = QPushButton(self.tr("All devices"), self)
        self.all_button.setObjectName("allDevices")
        self.all_button.setToolTip(self.tr("Show the screenshots of every device"))
        self.all_button.clicked.connect(self.sig_all_devices)
        bar.addWidget(self.all_button)
        self.only_flagged = QCheckBox(self.tr("Only flagged"), self)
        self.only_flagged.setObjectName("onlyFlagged")
        self.only_flagged.setToolTip(self.tr("Only screenshots the checks flagged (blank, crash dialog, differences)"))
        self.only_flagged.toggled.connect(self._on_only_flagged)
        bar.addWidget(self.only_flagged)
        layout.addLayout(bar)

        self.view = QListView(self)
        self.view.setObjectName("deviceGallery")
        self.view.setModel(self.filter)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWrapping(True)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setIconSize(loader.thumb_size)
        line = self.view.fontMetrics().lineSpacing()
        self.view.setGridSize(
            QSize(loader.thumb_size.width() + 28, loader.thumb_size.height() + LABEL_LINES * line + 14)
        )
        self.view.setItemDelegate(ThumbnailDelegate(loader.thumb_size, self.view))
        self.view.setAccessibleName(self.tr("Screenshots of the devices, and the store-listing images"))
        self.view.activated.connect(self._on_activated)
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("galleryEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("QLabel { color: #555555; }")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.empty_label, 1)
        self.setFocusProxy(self.view)
        self._device_name = ""
        self._update_scope()

    def minimum_height(self) -> int:
        """Room for the switches and one row of thumbnails with their labels."""
        bar = max(self.only_flagged.sizeHint().height(), self.all_button.sizeHint().height())
        return bar + self.view.gridSize().height() + 2 * self.view.frameWidth() + 8

    def set_entries(self, entries: Sequence[GalleryEntry]) -> None:
        self.model.set_entries(entries)
        self._update_scope()

    def set_device(self, device_index: int | None, name: str = "") -> None:
        self._device_name = name
        self.filter.set_device(device_index)
        self._update_scope()

    def shown_entries(self) -> list[GalleryEntry]:
        """The thumbnails on show, in order."""
        entries = []
        for row in range(self.filter.rowCount()):
            entry = self.filter.index(row, 0).data(EntryRole)
            if isinstance(entry, GalleryEntry):
                entries.append(entry)
        return entries

    def index_of(self, entry: GalleryEntry) -> QModelIndex:
        for row in range(self.filter.rowCount()):
            index = self.filter.index(row, 0)
            if index.data(EntryRole) == entry:
                return index
        return QModelIndex()

    def _on_only_flagged(self, only: bool) -> None:
        self.filter.set_only_flagged(only)
        self._update_scope()

    def _on_activated(self, index: QModelIndex) -> None:
        entry = index.data(EntryRole)
        if isinstance(entry, GalleryEntry):
            self.sig_open.emit(entry)

    def _update_scope(self) -> None:
        entries = self.model.entries()
        shots = [e for e in entries if e.kind == "screenshot"]
        listings = sum(e.kind == "listing" for e in entries)
        live = sum(e.kind == "previous" for e in entries)
        filtered = self.filter.device_index is not None
        if filtered:
            mine = [e for e in shots if e.device_index == self.filter.device_index]
            text = self.tr("%1: %n screenshot(s)", "", len(mine)).replace("%1", self._device_name)
        elif shots:
            devices = len({e.device_index for e in shots})
            text = self.tr("%n screenshot(s)", "", len(shots)) + " · " + self.tr("%n device(s)", "", devices)
        else:
            text = ""
        if listings:
            listing_text = self.tr("%n store-listing image(s)", "", listings)
            text = f"{text} · {listing_text}" if text else listing_text
        if live:
            live_text = self.tr("%n screenshot(s) of the live version", "", live)
            text = f"{text} · {live_text}" if text else live_text
        self.scope_label.setText(text if entries else "")
        self.all_button.setVisible(filtered)
        shown = self.filter.rowCount()
        if not entries:
            empty = self.tr("No screenshots.")
        elif not shown and self.filter.only_flagged:
            empty = self.tr("No flagged screenshots here.")
        elif not shown:
            empty = self.tr("This device took no screenshots.")
        else:
            empty = ""
        self.empty_label.setText(empty)
        self.empty_label.setVisible(bool(empty))
        self.view.setVisible(shown > 0)
