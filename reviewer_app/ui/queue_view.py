"""The queue on the left: the table of open submissions, most urgent first, driven from the keyboard, and
what it says when there is nothing in it.

Keys while the table has focus: A approve, R reject, E escalate, J/K next/previous, Ctrl+Enter confirm.
Single letters work here only, so that typing a message never decides anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedLayout,
    QTableView,
    QWidget,
)

from reviewer_app.ui.decision_panel import is_confirm_key
from reviewer_app.ui.queue_columns import COL_TIME_LEFT
from reviewer_app.ui.queue_model import SubmissionQueueModel
from reviewer_app.ui.text import time_left_text

MAX_COLUMN_WIDTH = 360  # a very long package name is cut (with …) rather than pushing the rest away
PADDING = 18
WIDEST_TIME_LEFT = timedelta(hours=23, minutes=59)


class QueueView(QTableView):
    """The queue table."""

    sig_approve = Signal()
    sig_reject = Signal()
    sig_escalate = Signal()
    sig_confirm = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setSortingEnabled(False)
        self.setTabKeyNavigation(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vheader = self.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hheader = self.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hheader.setStretchLastSection(True)
        hheader.setHighlightSections(False)
        hheader.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        hheader.setSectionsClickable(False)
        hheader.setMinimumSectionSize(36)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_confirm_key(event):
            self.sig_confirm.emit()
            event.accept()
            return
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers == Qt.KeyboardModifier.NoModifier:
            key = event.key()
            signals = {Qt.Key.Key_A: self.sig_approve, Qt.Key.Key_R: self.sig_reject, Qt.Key.Key_E: self.sig_escalate}
            signal = signals.get(Qt.Key(key))
            if signal is not None:
                signal.emit()
                event.accept()
                return
            if key in (Qt.Key.Key_J, Qt.Key.Key_K):
                self.move_selection(1 if key == Qt.Key.Key_J else -1)
                event.accept()
                return
        super().keyPressEvent(event)

    def move_selection(self, delta: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex()
        selected = self.selectionModel().selectedRows() if self.selectionModel() is not None else []
        if not current.isValid():
            row = 0
        elif not selected:
            row = current.row()  # focus put the cursor on a row without selecting it: take that one first
        else:
            row = max(0, min(model.rowCount() - 1, current.row() + delta))
        self.select_row(row)

    def select_row(self, row: int) -> None:
        model = self.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        column = max(self.currentIndex().column(), 0)
        index = model.index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def visible_rows(self) -> range:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return range(0)
        first = max(self.rowAt(0), 0)
        last = self.rowAt(self.viewport().height() - 1)
        last = model.rowCount() - 1 if last < 0 else last
        return range(first, last + 1)

    def fit_columns(self) -> int:
        """Each column as wide as its title and the rows on screen need (a long package is cut at
        MAX_COLUMN_WIDTH); only rows already loaded are measured, none is fetched for it. Returns how many
        rows were measured (none: nothing to fit yet)."""
        model = self.model()
        if not isinstance(model, SubmissionQueueModel):
            return 0
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        rows = [r for r in self.visible_rows() if model.queue_row(r) is not None]
        if not rows:
            return 0
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = header_metrics.horizontalAdvance(title) + PADDING
            for row in rows:
                text = model.data(model.index(row, column))
                if text:
                    width = max(width, metrics.horizontalAdvance(str(text)) + PADDING)
            if column == COL_TIME_LEFT:  # the widest a time left gets, in the reviewer's language
                width = max(width, metrics.horizontalAdvance(time_left_text(-WIDEST_TIME_LEFT)) + PADDING)
            self.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))
        return len(rows)


class QueuePane(QWidget):
    """The table, or a sentence when the queue is empty (and why it may be); keeps the selection on the
    submission the reviewer chose across reloads, and moves on when one is decided."""

    sig_left_queue = Signal(int)  # the submission on show left the queue (decided elsewhere, withdrawn)
    sig_emptied = Signal()  # the last row was decided: nothing is selected any more

    def __init__(self, model: SubmissionQueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePane")
        self.model = model
        self.selected_id: int | None = None  # the last submission the reviewer selected
        self.select_after_load: int | None = None  # to select once the next load brings it
        self._loaded_once = False
        self.view = QueueView(self)
        self.view.setModel(model)
        self.view.setAccessibleName(self.tr("Review queue"))
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("queueEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("QLabel { color: #555555; padding: 24px; }")
        self.empty_label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        self._filtered = False
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.sig_loaded):
            signal.connect(self.update_empty)
        self.update_empty()

    @property
    def showing_empty(self) -> bool:
        return self._stack.currentWidget() is self.empty_label

    def set_filtered(self, filtered: bool) -> None:
        """Some kinds are hidden from the queue (View > Show kinds): an empty queue says so."""
        self._filtered = filtered
        self.update_empty()

    def update_empty(self, *_args: object) -> None:
        empty = self.model.loaded and self.model.rowCount() == 0
        if empty:
            text = self.tr("No submissions are waiting for you.")
            if self._filtered:
                text += "\n" + self.tr("Some kinds are hidden: View ▸ Show kinds.")
            text += "\n\n" + self.tr("New submissions appear here as they are filed. Ctrl+O imports APK files.")
            self.empty_label.setText(text)
        had_focus = self.view.hasFocus()
        self._stack.setCurrentWidget(self.empty_label if empty else self.view)
        if not empty and had_focus:
            self.view.setFocus()

    def current_submission_id(self) -> int | None:
        selection = self.view.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        return self.model.submission_id(rows[0].row()) if rows else None

    def select_submission(self, submission_id: int) -> bool:
        row = self.model.row_of(submission_id)
        if row < 0:
            return False
        self.view.select_row(row)
        return True

    def current_index(self) -> QModelIndex:
        return self.view.currentIndex()

    def focus(self) -> None:
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def caption(self, submission_id: int | None) -> str:
        """'#12  Notes': how the decision form and the log name a submission."""
        if submission_id is None:
            return ""
        row = self.model.cached_row(submission_id)
        name = (row.label or row.package) if row is not None else None
        return f"#{submission_id}  {name}" if name else f"#{submission_id}"

    def note_selection(self) -> int | None:
        sid = self.current_submission_id()
        if sid is not None:
            self.selected_id = sid
        return sid

    def after_load(self, shown: int | None, decided_here: Callable[[int], bool]) -> None:
        """The ids were (re)loaded: select what the reviewer asked for, or put the selection back on the
        submission they chose last; the first load selects the most urgent one, ready for the keyboard."""
        first_load, self._loaded_once = not self._loaded_once, True
        complete = self.model.complete  # a first load paints before its last ids arrive (sig_complete)
        if self.select_after_load is not None:
            if self.select_submission(self.select_after_load):
                self.select_after_load = None
                self.focus()
                return
            if complete and not self.model.reload_pending:
                # Not in the queue after all. (A load that began before the request, say before an undo
                # brought the submission back, does not decide that: the load asked for since follows.)
                self.select_after_load = None
        if shown is not None:
            # A reset loses the selection; a selection that survived the reload is the reviewer's.
            wanted = self.selected_id if self.selected_id is not None else shown
            if self.current_submission_id() is None and self.model.row_of(wanted) >= 0:
                self.view.select_row(self.model.row_of(wanted))
            if complete and self.model.row_of(shown) < 0 and not decided_here(shown):
                # Decided on another workstation (or withdrawn): go on with the one that took its place.
                if self.current_submission_id() is None and self.model.rowCount():
                    current = self.current_index()
                    last = self.model.rowCount() - 1
                    self.view.select_row(min(current.row(), last) if current.isValid() else 0)
                self.sig_left_queue.emit(shown)
        elif first_load and self.current_submission_id() is None and self.model.rowCount():
            self.view.select_row(0)
            self.focus()

    def remove_and_advance(self, submission_id: int) -> bool:
        """Take a decided submission out and select the one that took its place; False when not listed."""
        was_current = self.current_submission_id() == submission_id
        row = self.model.row_of(submission_id)
        if row < 0:
            return False
        self.model.remove_submission(submission_id)
        if was_current:
            count = self.model.rowCount()
            if count:
                self.view.select_row(min(row, count - 1))
            else:
                self.view.clearSelection()
                self.sig_emptied.emit()
            self.focus()
        return True
