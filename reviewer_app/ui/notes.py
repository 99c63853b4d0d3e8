"""Notes from leads about the reviewer's decisions (after an audit): a status-bar button says how many are
unread; it opens them, and the reviewer marks them read. Read and marked on the database worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import audits
from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.text import local_time_text

BUTTON_STYLE = "QToolButton { color: #0d3c84; font-weight: bold; }"


class NotesDialog(QDialog):
    """The unread notes, newest first, as plain text; accepting it marks them read."""

    def __init__(self, notes: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesDialog")
        self.setWindowTitle(self.tr("Notes from your leads"))
        self.notes = tuple(notes)
        layout = QVBoxLayout(self)
        intro = plain_label(self)
        intro.setText(self.tr("Leads audited some of your decisions and wrote to you:"))
        layout.addWidget(intro)
        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("notesText")
        self.text_view.setReadOnly(True)
        self.text_view.setPlainText("\n\n".join(self.note_text(note) for note in self.notes))
        layout.addWidget(self.text_view, 1)
        self.buttons = QDialogButtonBox(self)
        self.read_button: QPushButton = self.buttons.addButton(self.tr("&Mark as read"),
                                                               QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.later_button: QPushButton = self.buttons.addButton(self.tr("&Later"),
                                                                QDialogButtonBox.ButtonRole.RejectRole)  # fmt: skip
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 340)

    def note_text(self, note: Any) -> str:
        about = (
            self.tr("about submission %1").replace("%1", str(note.submission_id))
            if note.submission_id is not None
            else ""
        )
        head = self.tr("From %1, %2").replace("%1", note.from_reviewer).replace("%2", local_time_text(note.created_at))
        return f"{head} {about}".rstrip() + f":\n{note.text}"


class ReviewerNotes(QObject):
    """Polls for unread notes (on connecting and with the window's statistics) and shows them."""

    sig_log = Signal(str, bool)
    sig_count = Signal(int)

    def __init__(self, jobs: Any, window: QMainWindow) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.window = window
        self.notes: tuple[Any, ...] = ()
        self.dialog: NotesDialog | None = None
        self._announced: set[int] = set()
        self._asking = False
        self.button = QToolButton(window)
        self.button.setObjectName("notesButton")
        self.button.setAutoRaise(True)
        self.button.setStyleSheet(BUTTON_STYLE)
        self.button.clicked.connect(self.show_notes)
        self.button.hide()
        window.statusBar().addPermanentWidget(self.button)

    def refresh(self) -> None:
        if self._asking:
            return
        self._asking = True

        def failed(exc: BaseException) -> None:
            self._asking = False
            self.sig_log.emit(self.tr("Notes from leads could not be read: %1").replace("%1", one_line(exc)), True)

        self.jobs.run(audits.unread_notes, on_success=self._on_notes, on_failure=failed, label="reviewer notes")

    def _on_notes(self, notes: list[Any]) -> None:
        self._asking = False
        self.notes = tuple(notes)
        count = len(self.notes)
        self.button.setText(self.tr("✉ Notes from leads: %1").replace("%1", str(count)))
        self.button.setToolTip(self.tr("Leads wrote to you about your decisions: click to read"))
        self.button.setVisible(count > 0)
        fresh = [note for note in self.notes if note.note_id not in self._announced]
        if fresh:
            self._announced |= {note.note_id for note in fresh}
            self.sig_log.emit(self.tr("A lead wrote to you about a decision: see the notes in the status bar."), False)
        self.sig_count.emit(count)

    def show_notes(self) -> NotesDialog | None:
        if not self.notes:
            return None
        if self.dialog is not None:
            self.dialog.close()
        dialog = NotesDialog(self.notes, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        ids = [note.note_id for note in self.notes]
        dialog.accepted.connect(lambda: self.mark_read(ids))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()
        return dialog

    def mark_read(self, note_ids: Sequence[int]) -> None:
        ids = list(note_ids)
        self.jobs.run(lambda service: audits.mark_notes_read(service, ids), on_success=lambda _n: self.refresh(),
                      on_failure=lambda exc: self.sig_log.emit(one_line(exc), True), label="notes read")  # fmt: skip

    def shutdown(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
