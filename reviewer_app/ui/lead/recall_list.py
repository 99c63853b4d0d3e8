"""The leads' recall list: live apps that a later scan found malicious (or that a lead chose to pull).

A table of cases (open ones, or all): when, which app and version, why (what the engines found, or the
lead's reason), who opened it and how it stands; under it the selected case's evidence, engine by engine,
in the same tree as the Scans panel. For an open case a lead recalls the app (a reason is required) or
dismisses the case (a note is optional): the view asks for the words and emits a signal; the window
does the work through the review service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import RecallCase
from reviewer_app.ui.evidence.scan_rows import MALICIOUS_COLOR, MUTED_COLOR, ScanEngineTree
from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.text import local_time_text, recall_source_name, recall_state_name

COL_OPENED, COL_APP, COL_PACKAGE, COL_VERSION, COL_WHY, COL_SOURCE, COL_OPENED_BY, COL_STATE = range(8)
CaseIdRole = Qt.ItemDataRole.UserRole + 1
STATE_COLORS = {"open": MALICIOUS_COLOR, "recalled": QColor("#555555"), "dismissed": MUTED_COLOR}
FILTER_OPEN, FILTER_ALL = 0, 1


def found_text(case: RecallCase) -> str:
    """What the engines found: their detections, each once, in the order of the evidence rows."""
    seen: dict[str, None] = {}
    for row in case.evidence:
        for detection in row.detections:
            seen.setdefault(detection, None)
    return ", ".join(seen)


def why_text(case: RecallCase) -> str:
    """Why the case was opened: what the engines found, or (a lead's case) the lead's reason."""
    return found_text(case) or ((case.note or "") if case.source == "lead" else "")


def open_dialog(owner: Any, dialog: QDialog, accepted: Callable[[], None]) -> None:
    """Open `dialog` window-modal (no nested event loop) as `owner.dialog`, closing the one `owner` had open,
    and forget it once it is finished: one question at a time per tab."""
    if owner.dialog is not None:
        owner.dialog.close()
    owner.dialog = dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(accepted)

    def finished() -> None:
        if owner.dialog is dialog:
            owner.dialog = None

    dialog.finished.connect(finished)
    dialog.open()


class ReasonDialog(QDialog):
    """Asks for a reason or a note; with `required`, OK stays disabled (and refuses) while it is empty."""

    def __init__(self, title: str, prompt: str, ok_text: str, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("reasonDialog")
        self.required = required
        layout = QVBoxLayout(self)
        self.prompt_label = plain_label(self)
        self.prompt_label.setText(prompt)
        layout.addWidget(self.prompt_label)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("reasonText")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName(title)
        self.prompt_label.setBuddy(self.text_edit)
        layout.addWidget(self.text_edit, 1)
        self.hint_label = plain_label(self)
        self.hint_label.setStyleSheet("QLabel { color: #8a1c1c; }")
        self.hint_label.setText(self.tr("A reason is required."))
        self.hint_label.setVisible(False)
        layout.addWidget(self.hint_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(440, 240)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _update_ok(self) -> None:
        empty = not self.text()
        self.ok_button.setEnabled(not (self.required and empty))
        self.hint_label.setVisible(self.required and empty)

    def accept(self) -> None:
        if self.required and not self.text():
            self.hint_label.show()
            return
        super().accept()


class RecallListView(QWidget):
    """Recall cases, the selected one's evidence, and what a lead may do with an open case."""

    sig_recall = Signal(int, str)  # case_id, reason
    sig_dismiss = Signal(int, str)  # case_id, note
    sig_refresh = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recallListView")
        self._cases: tuple[RecallCase, ...] = ()
        self._filled = False  # shown once: until then even no cases are news (the empty list says so)
        self.reason_dialog: ReasonDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)

        self.top_bar = top = QHBoxLayout()  # lead mode adds its buttons here
        self.filter_caption = QLabel(self.tr("Show:"), self)
        top.addWidget(self.filter_caption)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("recallFilter")
        self.filter_combo.addItem(self.tr("Open cases"))
        self.filter_combo.addItem(self.tr("All cases"))
        self.filter_caption.setBuddy(self.filter_combo)
        self.filter_combo.currentIndexChanged.connect(self._refill)
        top.addWidget(self.filter_combo)
        top.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshRecalls")
        self.refresh_button.clicked.connect(self.sig_refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        list_page = QWidget(self.splitter)
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTreeWidget(list_page)
        self.table.setObjectName("recallTable")
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setHeaderLabels(
            [
                self.tr("Opened"),
                self.tr("App"),
                self.tr("Package"),
                self.tr("Version"),
                self.tr("Why"),
                self.tr("Source"),
                self.tr("Opened by"),
                self.tr("State"),
            ]
        )
        self.table.setAccessibleName(self.tr("Recall cases"))
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)  # elided; in full below
        header.setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        list_layout.addWidget(self.table, 1)
        self.empty_label = plain_label(list_page)
        self.empty_label.setObjectName("recallEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("QLabel { color: #555555; padding: 12px; }")
        list_layout.addWidget(self.empty_label)

        detail_page = QWidget(self.splitter)
        detail_layout = QVBoxLayout(detail_page)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.case_label = plain_label(detail_page, selectable=True)
        self.case_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.case_label.setObjectName("recallCaseText")
        detail_layout.addWidget(self.case_label)
        self.evidence_tree = ScanEngineTree(detail_page)
        self.evidence_tree.setObjectName("recallEvidence")
        detail_layout.addWidget(self.evidence_tree, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.recall_button = QPushButton(self.tr("Recall app…"), detail_page)
        self.recall_button.setObjectName("recallButton")
        self.recall_button.clicked.connect(self.ask_recall)
        actions.addWidget(self.recall_button)
        self.dismiss_button = QPushButton(self.tr("Dismiss…"), detail_page)
        self.dismiss_button.setObjectName("dismissButton")
        self.dismiss_button.clicked.connect(self.ask_dismiss)
        actions.addWidget(self.dismiss_button)
        detail_layout.addLayout(actions)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._refill()

    # -- data ------------------------------------------------------------------------------------

    def show_cases(self, cases: Sequence[RecallCase]) -> None:
        """Show these cases (newest first, as given); the selected case stays selected if it is still listed.
        The same cases again (lead mode reads them whenever the database says something changed) leave
        the list as the lead has it: where it is scrolled to, what they look at."""
        cases = tuple(cases)
        if self._filled and cases == self._cases:
            return
        self._cases = cases
        self._refill()

    def cases(self) -> tuple[RecallCase, ...]:
        return self._cases

    def open_only(self) -> bool:
        return self.filter_combo.currentIndex() == FILTER_OPEN

    def set_open_only(self, open_only: bool) -> None:
        self.filter_combo.setCurrentIndex(FILTER_OPEN if open_only else FILTER_ALL)

    def listed_cases(self) -> list[RecallCase]:
        """The cases the table lists, top to bottom."""
        by_id = {case.case_id: case for case in self._cases}
        return [by_id[item.data(COL_OPENED, CaseIdRole)] for item in self._items()]

    def selected_case(self) -> RecallCase | None:
        items = self.table.selectedItems()
        if not items:
            return None
        case_id = items[0].data(COL_OPENED, CaseIdRole)
        return next((case for case in self._cases if case.case_id == case_id), None)

    def select_case(self, case_id: int) -> bool:
        item = self._item_of(case_id)
        if item is None:
            return False
        self.table.setCurrentItem(item)
        item.setSelected(True)
        return True

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _item_of(self, case_id: int | None) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if item.data(COL_OPENED, CaseIdRole) == case_id), None)

    def _refill(self) -> None:
        self._filled = True
        selected = self.selected_case()
        top = self.table.itemAt(0, 0)  # the case at the top of the view: it stays there, new cases or not
        top_id = top.data(COL_OPENED, CaseIdRole) if top is not None else None
        self.table.blockSignals(True)
        self.table.clear()
        shown = [case for case in self._cases if case.state == "open" or not self.open_only()]
        for case in shown:
            self.table.addTopLevelItem(self._case_item(case))
        self.table.blockSignals(False)
        if not shown:
            if self._cases and self.open_only():
                self.empty_label.setText(self.tr("No open recall cases"))
            else:
                self.empty_label.setText(self.tr("No recall cases"))
        self.empty_label.setVisible(not shown)
        self.table.setVisible(bool(shown))
        if selected is None or not self.select_case(selected.case_id):
            self.table.clearSelection()
        if (top := self._item_of(top_id)) is not None:  # selecting may have scrolled: the lead's place wins
            self.table.scrollToItem(top, QAbstractItemView.ScrollHint.PositionAtTop)
        self._on_selection_changed()

    def _case_item(self, case: RecallCase) -> QTreeWidgetItem:
        texts = [""] * 8
        texts[COL_OPENED] = local_time_text(case.opened_at)
        texts[COL_APP] = case.label or ""
        texts[COL_PACKAGE] = case.package
        texts[COL_VERSION] = case.version_name or ""
        texts[COL_WHY] = " ".join(why_text(case).split())  # one line; in full below
        texts[COL_SOURCE] = recall_source_name(case.source)
        texts[COL_OPENED_BY] = case.opened_by
        texts[COL_STATE] = recall_state_name(case.state)
        item = QTreeWidgetItem(texts)
        item.setData(COL_OPENED, CaseIdRole, case.case_id)
        item.setForeground(COL_STATE, QBrush(STATE_COLORS.get(case.state, MUTED_COLOR)))
        if case.evidence:
            item.setToolTip(COL_WHY, found_text(case).replace(", ", "\n"))
        elif texts[COL_WHY]:
            item.setToolTip(COL_WHY, why_text(case))
        return item

    # -- the selected case -----------------------------------------------------------------------

    def _on_selection_changed(self) -> None:
        case = self.selected_case()
        if case is None:
            self.case_label.setText(self.tr("Select a case to see its evidence.") if self.listed_cases() else "")
            self.evidence_tree.show_rows(())
        else:
            self.case_label.setText(self._case_text(case))
            self.evidence_tree.show_rows(case.evidence)
        self.evidence_tree.setVisible(case is None or bool(case.evidence))  # a lead's case has none: the text says so
        is_open = case is not None and case.state == "open"
        self.recall_button.setEnabled(is_open)
        self.dismiss_button.setEnabled(is_open)

    def _case_text(self, case: RecallCase) -> str:
        version = f" {case.version_name}" if case.version_name else ""
        app = f"{case.label} ({case.package})" if case.label else case.package
        lines = [
            self.tr("Case %1: %2, opened %3 by %4 (%5)")
            .replace("%1", str(case.case_id))
            .replace("%2", app + version)
            .replace("%3", local_time_text(case.opened_at))
            .replace("%4", case.opened_by)
            .replace("%5", recall_source_name(case.source))
        ]
        if case.artifact_sha256:
            lines.append("SHA-256 " + case.artifact_sha256)
        if case.state != "open":
            closed = self.tr("Dismissed by %1, %2") if case.state == "dismissed" else self.tr("Recalled by %1, %2")
            lines.append(closed.replace("%1", case.closed_by or "?").replace("%2", local_time_text(case.closed_at)))
        if case.note:
            lines.append(self.tr("Note: %1").replace("%1", case.note))
        if not case.evidence:
            lines.append(self.tr("No engine evidence: a lead opened this case."))
        return "\n".join(lines)

    # -- actions ---------------------------------------------------------------------------------

    def ask_recall(self) -> None:
        """Ask for the reason, then emit sig_recall (nothing on cancel)."""
        case = self.selected_case()
        if case is None or case.state != "open":
            return
        dialog = ReasonDialog(
            self.tr("Recall app"),
            self.tr("Why is %1 recalled? The reason is kept with the case and the app's withdrawal.").replace(
                "%1", case.package
            ),
            self.tr("Recall app"),
            True,
            self,
        )
        self._open_dialog(dialog, case.case_id, self.sig_recall)

    def ask_dismiss(self) -> None:
        """Ask for a note (it may be empty), then emit sig_dismiss (nothing on cancel)."""
        case = self.selected_case()
        if case is None or case.state != "open":
            return
        dialog = ReasonDialog(
            self.tr("Dismiss case"),
            self.tr("Why does %1 stay live? (optional)").replace("%1", case.package),
            self.tr("Dismiss case"),
            False,
            self,
        )
        self._open_dialog(dialog, case.case_id, self.sig_dismiss)

    def _open_dialog(self, dialog: ReasonDialog, case_id: int, signal: SignalInstance) -> None:
        if self.reason_dialog is not None:
            self.reason_dialog.close()
        self.reason_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            signal.emit(case_id, dialog.text())

        def finished() -> None:
            if self.reason_dialog is dialog:
                self.reason_dialog = None

        dialog.accepted.connect(accepted)
        dialog.finished.connect(finished)
        dialog.open()  # window-modal, without a nested event loop
