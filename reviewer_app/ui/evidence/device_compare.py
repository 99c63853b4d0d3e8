"""Two screenshots side by side: two devices, this version and the last approved one on the same device,
or a real screenshot and a store-listing image.

Each side is a QGraphicsView. Zoom is one factor for both, relative to each side's fit (so two screens of
different resolutions show at the same size): Ctrl+wheel, the −/+/Fit buttons, or Ctrl+plus, Ctrl+minus
and Ctrl+0 (plus and minus alone on a focused side). Panning one side pans the other to the same place
in proportion. The full images are decoded by the panel's `ImageLoader`, off the GUI thread; a side says
"Loading…" until its image is in.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPixmap, QShortcut, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.evidence.device_images import ImageKey, ImageLoader
from reviewer_app.ui.evidence.device_models import GalleryEntry, entry_caption
from reviewer_app.ui.evidence.widgets import plain_label

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 16.0


class ImagePane(QGraphicsView):
    """One side: an image scaled to `fit_scale() * zoom`, dragged to pan; a line of text while it has none."""

    sig_zoom_step = Signal(int)  # +1 in, -1 out (Ctrl+wheel, or + and − on the keyboard)
    sig_resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor("#f4f4f4"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(120, 120))
        self.message = QLabel(self.viewport())
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("QLabel { color: #555555; }")
        self.message.hide()

    def set_pixmap(self, pixmap: QPixmap | None, message: str = "") -> None:
        self.item.setPixmap(pixmap if pixmap is not None else QPixmap())
        self.scene().setSceneRect(self.item.boundingRect())
        self.message.setText(message)
        self.message.setVisible(pixmap is None and bool(message))
        self._place_message()

    def has_image(self) -> bool:
        return not self.item.pixmap().isNull()

    def fit_scale(self) -> float:
        """The scale at which the whole image fits the side."""
        pixmap = self.item.pixmap()
        if pixmap.isNull():
            return 1.0
        area = self.viewport().size()
        return max(min(area.width() / pixmap.width(), area.height() / pixmap.height()), 1e-3)

    def apply_zoom(self, zoom: float) -> None:
        scale = self.fit_scale() * zoom
        self.setTransform(QTransform.fromScale(scale, scale))

    def scale_factor(self) -> float:
        return self.transform().m11()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.sig_zoom_step.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.sig_zoom_step.emit(1)
        elif event.key() == Qt.Key.Key_Minus:
            self.sig_zoom_step.emit(-1)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_message()
        self.sig_resized.emit()

    def _place_message(self) -> None:
        self.message.setGeometry(self.viewport().rect().adjusted(8, 8, -8, -8))


class CompareView(QWidget):
    """Two panes, their captions, what goes on the right, and the zoom controls for both."""

    sig_right_chosen = Signal(int)  # the index of the right side's choice

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceCompare")
        self.loader = loader
        self.zoom = 1.0  # relative to each side's fit
        self.left_entry: GalleryEntry | None = None
        self.right_entry: GalleryEntry | None = None
        self._choices: list[GalleryEntry] = []
        self._syncing = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.zoom_out_button = self._tool_button("−", self.tr("Zoom out (Ctrl+minus)"), "zoomOut")
        self.zoom_in_button = self._tool_button("+", self.tr("Zoom in (Ctrl+plus)"), "zoomIn")
        self.fit_button = self._tool_button(self.tr("Fit"), self.tr("Fit both images (Ctrl+0)"), "zoomFit")
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button.clicked.connect(self.fit)
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setMinimumWidth(44)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.zoom_label):
            bar.addWidget(widget)
        bar.addSpacing(6)
        self.right_caption = QLabel(self.tr("Right side:"), self)
        bar.addWidget(self.right_caption)
        self.right_choice = QComboBox(self)
        self.right_choice.setObjectName("compareChoice")
        self.right_choice.setAccessibleName(self.tr("What the right side shows"))
        self.right_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.right_choice.setMinimumContentsLength(8)
        self.right_choice.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.right_caption.setBuddy(self.right_choice)
        self.right_choice.currentIndexChanged.connect(self._on_right_chosen)
        bar.addWidget(self.right_choice, 1)
        layout.addLayout(bar)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.left_label = plain_label(self, selectable=True)
        self.left_label.setObjectName("compareLeftCaption")
        self.right_label = plain_label(self, selectable=True)
        self.right_label.setObjectName("compareRightCaption")
        self.left = ImagePane(self)
        self.left.setObjectName("compareLeft")
        self.left.setAccessibleName(self.tr("Left image"))
        self.right = ImagePane(self)
        self.right.setObjectName("compareRight")
        self.right.setAccessibleName(self.tr("Right image"))
        grid.addWidget(self.left_label, 0, 0)
        grid.addWidget(self.right_label, 0, 1)
        grid.addWidget(self.left, 1, 0)
        grid.addWidget(self.right, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        layout.addLayout(grid, 1)

        for pane, other in ((self.left, self.right), (self.right, self.left)):
            pane.sig_zoom_step.connect(self.zoom_by)
            pane.sig_resized.connect(self._reapply_zoom)
            self._link(pane.horizontalScrollBar(), other.horizontalScrollBar())
            self._link(pane.verticalScrollBar(), other.verticalScrollBar())
        shortcuts = [
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence("Ctrl+="), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence("Ctrl+0"), self.fit),
        ]
        for keys, slot in shortcuts:
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        loader.sig_ready.connect(self._on_image)
        loader.sig_failed.connect(self._on_image)
        self.clear()

    def _tool_button(self, text: str, tip: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setObjectName(name)
        return button

    # -- what is on show -------------------------------------------------------------------------

    def clear(self) -> None:
        self.left_entry = self.right_entry = None
        self._choices = []
        self.right_choice.blockSignals(True)
        self.right_choice.clear()
        self.right_choice.blockSignals(False)
        self.right_choice.setEnabled(False)
        self.left_label.setText(self.tr("Double-click a screenshot to open it here."))
        self.right_label.clear()
        self.left.set_pixmap(None)
        self.right.set_pixmap(None)
        self.zoom = 1.0
        self._show_zoom()

    def show_pair(self, left: GalleryEntry, choices: Sequence[GalleryEntry], chosen: int = 0) -> None:
        """`left` on the left; `choices` offered for the right, `chosen` of them shown (none: empty)."""
        self.left_entry = left
        self._choices = list(choices)
        self._set_side(self.left, self.left_label, left)
        self.right_choice.blockSignals(True)
        self.right_choice.clear()
        for choice in self._choices:
            self.right_choice.addItem(entry_caption(choice))
            self.right_choice.setItemData(
                self.right_choice.count() - 1, entry_caption(choice), Qt.ItemDataRole.ToolTipRole
            )
        self.right_choice.setEnabled(bool(self._choices))
        if not self._choices:
            self.right_choice.addItem(self.tr("nothing to compare it with"))
        self.right_choice.setCurrentIndex(chosen if 0 <= chosen < len(self._choices) else 0)
        self.right_choice.blockSignals(False)
        self.set_right(self.right_choice.currentIndex() if self._choices else -1)

    def set_right(self, index: int) -> None:
        """Show choice `index` on the right (-1: nothing)."""
        entry = self._choices[index] if 0 <= index < len(self._choices) else None
        self.right_entry = entry
        if entry is None:
            self.right_label.clear()
            self.right.set_pixmap(None)
            return
        if self.right_choice.currentIndex() != index:
            self.right_choice.setCurrentIndex(index)  # comes back here through _on_right_chosen
            return
        self._set_side(self.right, self.right_label, entry)

    def choices(self) -> list[GalleryEntry]:
        return list(self._choices)

    def _on_right_chosen(self, index: int) -> None:
        self.set_right(index)
        self.sig_right_chosen.emit(index)

    def _set_side(self, pane: ImagePane, caption: QLabel, entry: GalleryEntry) -> None:
        caption.setText(entry_caption(entry))
        caption.setToolTip(entry.path or "")
        if not entry.path:
            pane.set_pixmap(None, self.tr("The image file is not available on this workstation."))
            return
        key = ImageKey(entry.path, True)
        pixmap = self.loader.full_image(entry.path)  # asks the pool for it when it is not cached
        error = self.loader.error(key)
        if pixmap is not None:
            pane.set_pixmap(pixmap)
        elif error:
            pane.set_pixmap(None, self.tr("Cannot show it: %1").replace("%1", error))
        else:
            pane.set_pixmap(None, self.tr("Loading…"))
        self._reapply_zoom()

    def _on_image(self, key: ImageKey, *_reason: object) -> None:
        if not key.full:
            return
        for pane, caption, entry in ((self.left, self.left_label, self.left_entry),
                                     (self.right, self.right_label, self.right_entry)):  # fmt: skip
            if entry is not None and entry.path == key.path:
                self._set_side(pane, caption, entry)

    # -- zoom and pan ----------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.zoom_by(1)

    def zoom_out(self) -> None:
        self.zoom_by(-1)

    def zoom_by(self, steps: int) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP**steps)

    def fit(self) -> None:
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float) -> None:
        """One zoom for both sides (1: each fits); the right follows the left's place."""
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._reapply_zoom()
        self._show_zoom()

    def _reapply_zoom(self) -> None:
        for pane in (self.left, self.right):
            pane.apply_zoom(self.zoom)
        self._follow(self.left.horizontalScrollBar(), self.right.horizontalScrollBar())
        self._follow(self.left.verticalScrollBar(), self.right.verticalScrollBar())

    def _show_zoom(self) -> None:
        self.zoom_label.setText(self.tr("fit") if abs(self.zoom - 1.0) < 1e-6 else f"{round(self.zoom * 100)}%")
        self.zoom_out_button.setEnabled(self.zoom > MIN_ZOOM + 1e-9)
        self.zoom_in_button.setEnabled(self.zoom < MAX_ZOOM - 1e-9)

    def _link(self, source: QScrollBar, target: QScrollBar) -> None:
        source.valueChanged.connect(lambda _value: self._follow(source, target))

    def _follow(self, source: QScrollBar, target: QScrollBar) -> None:
        """Scroll `target` to where `source` is, in proportion to each one's range."""
        if self._syncing:
            return
        span = source.maximum() - source.minimum()
        other = target.maximum() - target.minimum()
        if span <= 0 or other <= 0:
            return
        self._syncing = True
        try:
            fraction = (source.value() - source.minimum()) / span
            target.setValue(target.minimum() + round(fraction * other))
        finally:
            self._syncing = False
