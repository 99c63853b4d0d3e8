"""The small question asked before APK files are filed: what kind of submission, whose, which tier."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import KINDS
from reviewer_app.review.imports import short_name
from reviewer_app.ui.text import kind_name, stars


class ImportDialog(QDialog):
    """Non-blocking: open() it and connect `accepted`; `kind`, `developer`, `tier` hold the answers."""

    def __init__(self, paths: Sequence[str], parent: QWidget | None = None, developer: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import APK files"))
        self.paths = list(paths)
        layout = QVBoxLayout(self)
        if len(self.paths) == 1:
            intro = self.tr("File %1 as a new submission.").replace("%1", short_name(self.paths[0]))
        else:
            intro = self.tr("File %1 APK files as new submissions.").replace("%1", str(len(self.paths)))
        self.intro_label = QLabel(intro, self)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)

        form = QFormLayout()
        self.kind_combo = QComboBox(self)
        for kind in KINDS:
            self.kind_combo.addItem(kind_name(kind), kind)
        self.developer_edit = QLineEdit(self)
        self.developer_edit.setPlaceholderText(self.tr("Developer or company name"))
        self.developer_edit.setText(developer)
        self.tier_combo = QComboBox(self)
        self.tier_combo.addItem(self.tr("Keep the developer's tier"), None)
        for tier in range(1, 6):
            self.tier_combo.addItem(f"{stars(tier)}  ({tier})", tier)
        form.addRow(self.tr("&Kind"), self.kind_combo)
        form.addRow(self.tr("&Developer"), self.developer_edit)
        form.addRow(self.tr("&Tier"), self.tier_combo)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.developer_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.developer_edit.setFocus()

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    @property
    def developer(self) -> str:
        return self.developer_edit.text().strip()

    @property
    def tier(self) -> int | None:
        return self.tier_combo.currentData()

    def set_values(self, kind: str | None = None, developer: str | None = None, tier: int | None = None) -> None:
        if kind is not None:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        if developer is not None:
            self.developer_edit.setText(developer)
        if tier is not None:
            self.tier_combo.setCurrentIndex(max(0, self.tier_combo.findData(tier)))

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.developer))
