"""The Devices panel: does the package install, start and render on the phones our users have?

On top what is happening (nothing to run without a package, no run yet, waiting for a worker, "3 of 5
devices" while a capture runs, why a run failed or stopped), the run on show (a picker when there are
several) and the buttons that ask a worker for a run: import a results folder, capture on the devices
connected to it, stop. Below, in a splitter: the compatibility matrix (a row per device, flagged ones
first), the selected device's crashes and messages, and the screenshots, as a gallery or two side by
side. Selecting a device narrows the gallery to it; double-clicking a thumbnail opens it on the left of
the side-by-side view, with the same device in the last approved version on the right when there is one.

Images are decoded off the GUI thread (device_images.py); the matrix and gallery models are plain
adapters (device_models.py). Device names, messages and stacks come from untrusted results folders:
they are shown as plain text only.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.devices import cancel_capture, enqueue_capture, enqueue_import
from reviewer_app.ui.evidence.base import EvidencePanel, register_panel
from reviewer_app.ui.evidence.device_compare import CompareView
from reviewer_app.ui.evidence.device_gallery import DeviceGallery
from reviewer_app.ui.evidence.device_images import ImageLoader
from reviewer_app.ui.evidence.device_models import (
    COL_DEVICE,
    COL_FLAGS,
    DeviceIndexRole,
    DeviceMatrixModel,
    GalleryEntry,
    KeptView,
    ResultRole,
    SortRole,
    compare_choices,
    device_details,
    listing_entries,
    screenshot_entries,
    source_name,
)
from reviewer_app.ui.evidence.widgets import (
    BANNER_STYLE,
    ERROR_BANNER_STYLE,
    WARNING_STYLE,
    plain_label,
)
from reviewer_app.ui.text import local_time_text

JOB_WAITING = ("queued", "running")
RETRY_MS = 15_000  # a button clicked is offered again after this if the submission never comes back
DEVICE_WIDTH = 130  # the device column's widest; longer names are elided (the tooltip has them)
MATRIX_ROWS = 6  # rows the matrix shows before it scrolls, when the panel has the room


@register_panel
class DevicesPanel(EvidencePanel):
    """The device runs of the package: a matrix per device, the screenshots, two of them side by side."""

    key: ClassVar[str] = "devices"
    order: ClassVar[int] = 25
    sources: ClassVar[tuple[str, ...]] = ("devices",)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("DevicesPanel", "Devices")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesPanel")
        self._runs: tuple[Any, ...] = ()
        self._kept: KeptView | None = None
        self._natural_widths: list[int] = []  # of the matrix's columns, for the rows on show
        self.loader = ImageLoader(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)

        # No package, no run yet, waiting for a worker; and why the run on show failed or stopped.
        self.state_label = plain_label(self, selectable=True)
        self.state_label.setObjectName("deviceState")
        self.state_label.setStyleSheet(BANNER_STYLE)
        layout.addWidget(self.state_label)
        self.error_label = plain_label(self, selectable=True)
        self.error_label.setObjectName("deviceError")
        self.error_label.setStyleSheet(ERROR_BANNER_STYLE)
        layout.addWidget(self.error_label)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        self.run_selector = QComboBox(self)
        self.run_selector.setObjectName("deviceRunSelector")
        self.run_selector.setAccessibleName(self.tr("Device run on show"))
        self.run_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_selector.setMinimumContentsLength(4)
        self.run_selector.setToolTip(self.tr("The device run on show"))
        self.run_selector.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.run_selector.currentIndexChanged.connect(self._on_run_chosen)
        controls.addWidget(self.run_selector, 3)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("deviceProgressText")
        controls.addWidget(self.progress_label)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("deviceProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setAccessibleName(self.tr("Devices finished"))
        controls.addWidget(self.progress_bar)
        controls.addStretch(1)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopDevices")
        self.stop_button.setToolTip(self.tr("Stop the run; the devices finished so far are kept."))
        self.stop_button.clicked.connect(self.request_stop)
        controls.addWidget(self.stop_button)
        self.import_button = QPushButton(self.tr("Import results folder…"), self)
        self.import_button.setObjectName("importDeviceResults")
        self.import_button.clicked.connect(self.choose_import_folder)
        controls.addWidget(self.import_button)
        self.capture_button = QPushButton(self.tr("Capture on connected devices"), self)
        self.capture_button.setObjectName("captureDevices")
        self.capture_button.clicked.connect(self.request_capture)
        controls.addWidget(self.capture_button)
        layout.addLayout(controls)

        # The run on show in a line, and the files it left out, folded behind a button at its end.
        info_row = QHBoxLayout()
        info_row.setContentsMargins(0, 0, 0, 0)
        self.info_label = plain_label(self)
        self.info_label.setObjectName("deviceRunInfo")
        self.info_label.setStyleSheet("QLabel { color: #555555; }")
        info_row.addWidget(self.info_label, 1)
        self.warnings_toggle = QToolButton(self)
        self.warnings_toggle.setObjectName("deviceWarningsToggle")
        self.warnings_toggle.setCheckable(True)
        self.warnings_toggle.setAutoRaise(True)
        self.warnings_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.warnings_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.warnings_toggle.setStyleSheet("QToolButton { color: #6d4300; }")
        self.warnings_toggle.toggled.connect(self._on_warnings_toggled)
        info_row.addWidget(self.warnings_toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(info_row)
        self.warnings_label = plain_label(self, selectable=True)
        self.warnings_label.setObjectName("deviceWarnings")
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        layout.addWidget(self.warnings_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("deviceSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.matrix_model = DeviceMatrixModel(self)
        self.matrix_proxy = QSortFilterProxyModel(self)
        self.matrix_proxy.setSourceModel(self.matrix_model)
        self.matrix_proxy.setSortRole(SortRole)
        self.matrix = self._build_matrix()
        self.splitter.addWidget(self.matrix)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("deviceDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName(self.tr("Crashes and messages of the selected device"))
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.splitter.addWidget(self.details)
        self.views = QTabWidget(self)
        self.views.setObjectName("deviceViews")
        self.views.setDocumentMode(True)
        self.gallery = DeviceGallery(self.loader, self.views)
        self.gallery.sig_open.connect(self.open_in_compare)
        self.gallery.sig_all_devices.connect(self.show_all_devices)
        self.compare = CompareView(self.loader, self.views)
        self.views.addTab(self.gallery, self.tr("Screenshots"))
        self.views.addTab(self.compare, self.tr("Side by side"))
        self.views.currentChanged.connect(lambda _index: self._fit_splitter())
        self.splitter.addWidget(self.views)
        for index, stretch in enumerate((0, 0, 1)):
            self.splitter.setStretchFactor(index, stretch)
        layout.addWidget(self.splitter, 1)
        layout.addStretch(0)  # takes the room when there is nothing to show below the controls
        self.setFocusProxy(self.matrix)

        self.empty_timer = QTimer(self)
        self.empty_timer.setSingleShot(True)
        self.empty_timer.setInterval(0)
        self.empty_timer.timeout.connect(self._hide_if_empty)

        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self._show_buttons)
        self.clear()

    def _build_matrix(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("deviceMatrix")
        table.setModel(self.matrix_proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setAccessibleName(self.tr("Devices the package ran on, flagged ones first"))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the flags take the room left
        header.setMinimumSectionSize(30)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the model's order: flagged first
        table.setSortingEnabled(True)
        table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 2 + header.sizeHint().height() + 4)
        table.selectionModel().selectionChanged.connect(self._on_device_changed)
        return table

    # -- reading ---------------------------------------------------------------------------------

    @property
    def submission_id(self) -> int | None:
        return self.detail.submission_id if self.detail is not None else None

    def runs(self) -> tuple[Any, ...]:
        return self._runs

    def shown_run(self) -> Any:
        """The run whose devices are on show (the newest unless another was chosen)."""
        index = self.run_selector.currentIndex()
        return self._runs[index] if 0 <= index < len(self._runs) else None

    def selected_device(self) -> int | None:
        """The index in the run's results of the device selected in the matrix (None: none)."""
        rows = self.matrix.selectionModel().selectedRows()
        value = rows[0].data(DeviceIndexRole) if rows else None
        return int(value) if value is not None else None

    def select_device(self, device_index: int) -> bool:
        row = self.matrix_model.row_of_device(device_index)
        if row < 0:
            return False
        index = self.matrix_proxy.mapFromSource(self.matrix_model.index(row, 0))
        self.matrix.selectRow(index.row())
        self.matrix.setCurrentIndex(index)
        return True

    # -- states ----------------------------------------------------------------------------------

    def clear(self) -> None:
        self._remember()
        super().clear()
        self.retry_timer.stop()
        self.loader.cancel_queued()
        self._runs = ()
        self.run_selector.blockSignals(True)
        self.run_selector.clear()
        self.run_selector.blockSignals(False)
        for widget in (self.state_label, self.error_label, self.run_selector, self.info_label,
                       self.progress_label, self.progress_bar, self.warnings_toggle, self.warnings_label,
                       self.stop_button, self.import_button, self.capture_button):  # fmt: skip
            widget.hide()
        # The window clears a panel and shows the next submission at once: hiding the matrix and the
        # gallery only to show them again would lay out and polish them twice. Hidden later, if still empty.
        self.empty_timer.start()
        self.matrix_model.set_results(())
        self.details.clear()
        self.gallery.set_device(None)
        self.gallery.set_entries(())
        self.compare.clear()
        self.views.setCurrentIndex(0)

    def _hide_if_empty(self) -> None:
        if self.detail is None:
            self.splitter.hide()

    def _remember(self) -> None:
        """What the reviewer was looking at, for when the same submission is shown again (the window clears
        every panel before it shows a submission again, after a live update say)."""
        if self.detail is None:
            return
        run = self.shown_run()
        self._kept = KeptView(
            self.detail.submission_id,
            run.run_id if run is not None else None,
            self.selected_device(),
            self.views.currentWidget() is self.compare,
            self.compare.left_entry,
            self.compare.right_entry,
        )

    def show_detail(self, detail: Any, now: datetime | None = None) -> None:
        self.clear()
        kept = self._kept if self._kept is not None and self._kept.submission_id == detail.submission_id else None
        self._kept = None
        self.detail = detail
        self.loader.set_owner(detail.submission_id)
        record = detail.view.detail
        self._runs = tuple(getattr(record, "device_runs", ()) or ())
        job = getattr(record, "device_job", None)
        has_package = record.artifact_sha256 is not None
        self._show_state(has_package, job)
        self._show_buttons()
        if not self._runs:
            self._show_listing_only()
            return
        self.run_selector.blockSignals(True)
        for index, run in enumerate(self._runs):
            self.run_selector.addItem(self._run_title(run, index == 0), run.run_id)
        keep = next((i for i, r in enumerate(self._runs) if kept is not None and r.run_id == kept.run_id), 0)
        self.run_selector.setCurrentIndex(keep)
        self.run_selector.blockSignals(False)
        several = len(self._runs) > 1
        self.run_selector.setVisible(several)
        self._show_run(self._runs[keep])
        if kept is not None:
            self._restore(kept)

    def _restore(self, kept: KeptView) -> None:
        if kept.device is not None:
            self.select_device(kept.device)
        if kept.comparing and kept.left is not None and kept.left in self.gallery.model.entries():
            self.open_in_compare(kept.left)
            if kept.right is not None and kept.right in self.compare.choices():
                self.compare.set_right(self.compare.choices().index(kept.right))

    def _show_state(self, has_package: bool, job: str | None) -> None:
        """What is happening, or cannot happen, beside the runs on record."""
        newest = self._runs[0] if self._runs else None
        text = ""
        if not has_package:
            text = self.tr("No package: this submission changes the listing or the account, so there is "
                           "nothing to run on devices.")  # fmt: skip
        elif newest is None:
            if job == "queued":
                text = self.tr("Waiting for a worker…")
            elif job == "running":
                text = self.tr("A worker started the run; its first devices appear here as they finish.")
            else:
                text = self.tr("Not tested on devices yet. Import the results folder of a device cloud, or "
                               "capture on the devices connected to a worker.")  # fmt: skip
        elif job == "queued" and newest.state != "running":
            text = self.tr("Waiting for a worker… Below, the last run.")
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))

    def _busy(self) -> bool:
        """A run waits or runs for the package: no new one until it ends."""
        record = self.detail.view.detail if self.detail is not None else None
        if record is None:
            return False
        running = bool(self._runs) and self._runs[0].state == "running"
        return getattr(record, "device_job", None) in JOB_WAITING or running

    def _show_buttons(self) -> None:
        if self.detail is None:
            return
        """Import and capture while nothing waits or runs for the package; Stop, in their place, while
        something does."""
        has_package = self.detail.view.detail.artifact_sha256 is not None
        busy = self._busy()
        self.stop_button.setVisible(has_package and busy)
        self.stop_button.setEnabled(busy)
        for button in (self.import_button, self.capture_button):
            button.setVisible(has_package and not busy)
            button.setEnabled(has_package and not busy)
        self.import_button.setToolTip(self.tr("Ask a worker to import a device cloud's results folder "
                                              "(Firebase Test Lab's layout, or a manifest)."))  # fmt: skip
        self.capture_button.setToolTip(self.tr("Ask a worker to install, start and screenshot the package "
                                               "on every device connected to it."))  # fmt: skip

    def _run_title(self, run: Any, latest: bool) -> str:
        source = source_name(run.source)
        title = f"{source} {run.label}, {local_time_text(run.created_at)}"
        if latest:
            title = self.tr("latest — %1").replace("%1", title)
        if run.state == "running":
            title += " — " + self.tr("running")
        elif run.state == "failed":
            title += " — " + self.tr("failed")
        elif run.state == "cancelled":
            title += " — " + self.tr("stopped")
        return title

    def _on_run_chosen(self, index: int) -> None:
        if 0 <= index < len(self._runs):
            self._show_run(self._runs[index])

    def _show_run(self, run: Any) -> None:
        """The progress, error, warnings, matrix and gallery of one run."""
        self.run_selector.setToolTip(self.run_selector.currentText())
        results = tuple(run.results)
        if run.state == "running":
            total = max(int(run.devices_total or 0), len(results))
            self.progress_label.setText(self.tr("%1 of %n device(s)", "", total).replace("%1", str(len(results))))
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(len(results))
        self.progress_label.setVisible(run.state == "running")
        self.progress_bar.setVisible(run.state == "running")
        if run.state in ("failed", "cancelled"):
            headline = self.tr("The run failed: %1") if run.state == "failed" else self.tr("The run was stopped: %1")
            reason = run.error or (self.tr("no reason given") if run.state == "failed" else self.tr("by a reviewer"))
            self.error_label.setText("✕ " + headline.replace("%1", reason))
        self.error_label.setVisible(run.state in ("failed", "cancelled"))
        self.info_label.setText(self._run_info(run))
        self.info_label.show()
        warnings = [str(w) for w in run.warnings]
        self.warnings_label.setText("\n".join(warnings))
        self.warnings_toggle.setText(self.tr("%n file(s) left out", "", len(warnings)))
        self.warnings_toggle.setToolTip(self.tr("Files of the results the import could not use"))
        self.warnings_toggle.setVisible(bool(warnings))
        self.warnings_label.setVisible(bool(warnings) and self.warnings_toggle.isChecked())
        self.matrix_model.set_results(results)
        self.matrix.setVisible(bool(results))
        self._fit_columns()
        self.details.clear()
        self.details.hide()
        self.gallery.set_device(None)
        entries = screenshot_entries(results, self.detail.device_files) if self.detail is not None else []
        self.gallery.set_entries(entries + self._listing())
        self.compare.clear()
        self.splitter.show()
        self._fit_splitter()

    def _show_listing_only(self) -> None:
        """No run: the developer's listing images, when there are any, are still worth a look, beside the
        live version's screenshots from real devices (does the new listing show the app as it is?)."""
        listing = self._listing()
        previous = getattr(self.detail.view.detail, "previous_device_run", None) if self.detail else None
        if listing and previous is not None:
            listing += screenshot_entries(previous.results, self.detail.device_files, kind="previous")
        self.gallery.set_entries(listing)
        self.matrix.hide()
        self.details.hide()
        self.splitter.setVisible(bool(listing))

    def _listing(self) -> list[GalleryEntry]:
        return listing_entries(tuple(getattr(self.detail, "listing_files", ()) or ())) if self.detail else []

    def _run_info(self, run: Any) -> str:
        source = source_name(run.source)
        parts = [
            self.tr("%1 “%2”").replace("%1", source).replace("%2", str(run.label)),
            self.tr("%1 by %2").replace("%1", local_time_text(run.created_at)).replace("%2", str(run.created_by)),
            self.tr("%n device(s)", "", len(run.results)),
        ]
        previous = getattr(self.detail.view.detail, "previous_device_run", None) if self.detail else None
        if previous is not None:
            parts.append(self.tr("the last approved version ran on %n device(s)", "", len(previous.results)))
        return " · ".join(parts)

    def _on_warnings_toggled(self, shown: bool) -> None:
        self.warnings_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.warnings_label.setVisible(shown and bool(self.warnings_label.text()))

    def _fit_columns(self) -> None:
        """Each column as wide as its widest text (not the room a sort arrow would take on every one)."""
        table, model = self.matrix, self.matrix_model
        bold_font = QFont(table.font())
        bold_font.setBold(True)
        cell, bold, heading = table.fontMetrics(), QFontMetrics(bold_font), table.horizontalHeader().fontMetrics()
        self._natural_widths = []
        for column in range(model.columnCount()):
            width = heading.horizontalAdvance(str(model.headerData(column, Qt.Orientation.Horizontal))) + 14
            for row in range(model.rowCount()):
                index = model.index(row, column)
                metrics = bold if index.data(Qt.ItemDataRole.FontRole) is not None else cell
                width = max(width, metrics.horizontalAdvance(str(index.data() or "")) + 12)
            self._natural_widths.append(width)
        self._share_width()

    def _share_width(self) -> None:
        """The device's name gets what the flags (last, stretched) do not need, never less than DEVICE_WIDTH
        (longer names are elided; the tooltip has them): at 1280 pixels wide every column is in view."""
        widths = self._natural_widths
        if len(widths) != self.matrix_model.columnCount():
            return
        header = self.matrix.horizontalHeader()
        others = sum(w for column, w in enumerate(widths) if column not in (COL_DEVICE, COL_FLAGS))
        room = self.matrix.viewport().width() - others - widths[COL_FLAGS]
        header.resizeSection(COL_DEVICE, min(widths[COL_DEVICE], max(DEVICE_WIDTH, room)))
        for column, width in enumerate(widths):
            if column not in (COL_DEVICE, COL_FLAGS):
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_width()
        if event.oldSize().height() != event.size().height() and self.splitter.isVisible():
            self._fit_splitter()  # the rows the matrix shows follow the panel's height

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.splitter.isVisible():
            self._fit_splitter()  # shown in a tab that was hidden when the run arrived: sizes were guesses

    def _fit_splitter(self) -> None:
        """A row of thumbnails (or the two screenshots) first; the crash text a few lines; the matrix as
        tall as its rows in what is left, up to MATRIX_ROWS (two while screenshots are side by side)."""
        table = self.matrix
        total = sum(self.splitter.sizes()) or self.splitter.height() or 480
        row_height = max(table.verticalHeader().defaultSectionSize(), 1)
        header = table.horizontalHeader()
        chrome = max(header.height(), header.sizeHint().height()) + 2 * table.frameWidth() + 4
        line = self.details.fontMetrics().lineSpacing()
        details = 0 if self.details.isHidden() else 5 * line + 2 * self.details.frameWidth() + 8
        details += self.details.horizontalScrollBar().sizeHint().height() if details else 0
        comparing = self.views.currentWidget() is self.compare
        gallery = self.views.tabBar().sizeHint().height() + self.gallery.minimum_height()
        room = (total - details - gallery - chrome) // row_height
        limit = 2 if comparing else max(2, min(MATRIX_ROWS, room))
        rows = min(max(self.matrix_model.rowCount(), 1), limit)
        matrix = 0 if table.isHidden() else rows * row_height + chrome
        self.splitter.setSizes([matrix, details, max(total - matrix - details, 1)])

    # -- a device ----------------------------------------------------------------------------------

    def _on_device_changed(self, *_selection: Any) -> None:
        """A device selected (by click or keyboard): its crashes and messages, and only its screenshots."""
        rows = self.matrix.selectionModel().selectedRows()
        result = rows[0].data(ResultRole) if rows else None
        device_index = rows[0].data(DeviceIndexRole) if rows else None
        if result is None or device_index is None:
            self.gallery.set_device(None)
            self.details.clear()
            self.details.hide()
            return
        self.gallery.set_device(int(device_index), str(result.device))
        self.details.setPlainText(device_details(result))
        if self.details.isHidden():
            self.details.show()
            self._fit_splitter()

    def show_all_devices(self) -> None:
        self.matrix.clearSelection()
        self.matrix.setCurrentIndex(QModelIndex())
        self.gallery.set_device(None)
        self.details.hide()

    # -- side by side ------------------------------------------------------------------------------

    def open_in_compare(self, entry: GalleryEntry) -> None:
        """`entry` on the left; on the right the best choice (the same device in the last approved version
        when it ran there, else another device's matching screenshot, else a listing image)."""
        if self.detail is None:
            return
        run = self.shown_run()
        previous = getattr(self.detail.view.detail, "previous_device_run", None)
        choices = compare_choices(
            entry,
            tuple(run.results) if run is not None else (),
            tuple(previous.results) if previous is not None else (),
            tuple(getattr(self.detail, "listing_files", ()) or ()),
            self.detail.device_files,
        )
        self.compare.show_pair(entry, choices, 0)
        self.views.setCurrentWidget(self.compare)

    # -- actions -----------------------------------------------------------------------------------

    def choose_import_folder(self) -> None:
        if self.submission_id is None or not self.import_button.isEnabled():
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Results folder of a device run"))
        if folder:
            self.request_import(folder)

    def request_import(self, folder: str) -> None:
        """Ask a worker to import this results folder (review's `enqueue_import`, on the database worker)."""
        submission_id = self.submission_id
        if submission_id is None:
            return
        self._hold_buttons()
        fn = functools.partial(enqueue_import, submission_id=submission_id, folder=str(folder))
        self.run_in_background(fn, self.tr("Import device results"))

    def request_capture(self) -> None:
        submission_id = self.submission_id
        if submission_id is None or not self.capture_button.isEnabled():
            return
        self._hold_buttons()
        self.run_in_background(functools.partial(enqueue_capture, submission_id=submission_id),
                               self.tr("Capture on connected devices"))  # fmt: skip

    def request_stop(self) -> None:
        submission_id = self.submission_id
        if submission_id is None or not self.stop_button.isEnabled():
            return
        self.stop_button.setEnabled(False)
        self.retry_timer.start()
        self.run_in_background(functools.partial(cancel_capture, submission_id=submission_id),
                               self.tr("Stop the device run"))  # fmt: skip

    def _hold_buttons(self) -> None:
        """Until the submission comes back with its job (or a while has passed), no second request."""
        self.import_button.setEnabled(False)
        self.capture_button.setEnabled(False)
        self.retry_timer.start()
