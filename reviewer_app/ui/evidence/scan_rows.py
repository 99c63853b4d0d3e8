"""The engines' verdicts as a tree: a row per engine (verdict coloured), its evidence as child rows.

Shared by the Scans panel and the leads' recall list. Names, detections and evidence come from scanners
reading an untrusted APK: they are shown as plain text in item views, never as rich text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from reviewer_app.review import ScanEngineRow
from reviewer_app.ui.text import scan_verdict_name

MALICIOUS_COLOR = QColor("#c62828")
SUSPICIOUS_COLOR = QColor("#b26a00")  # amber dark enough to read on white
CLEAN_COLOR = QColor("#2e7d32")
MUTED_COLOR = QColor("#6b6b6b")  # error, timeout, unsupported: no verdict
EVIDENCE_COLOR = QColor("#444444")

VERDICT_COLORS = {
    "malicious": MALICIOUS_COLOR,
    "suspicious": SUSPICIOUS_COLOR,
    "clean": CLEAN_COLOR,
}

# Columns: what a reviewer reads first comes first; the versions last (they matter for a dispute).
COL_ENGINE, COL_VERDICT, COL_DETECTIONS, COL_SECONDS, COL_ENGINE_VERSION, COL_SIGNATURES = range(6)

EngineRole = Qt.ItemDataRole.UserRole + 1  # on an engine's row: the engine's name
EvidenceRole = Qt.ItemDataRole.UserRole + 2  # on an evidence row: its dict


def verdict_color(verdict: str) -> QColor:
    return VERDICT_COLORS.get(verdict, MUTED_COLOR)


def seconds_text(seconds: float) -> str:
    return QCoreApplication.translate("ScanEngineTree", "%1 s").replace("%1", f"{seconds:.1f}")


def evidence_text(evidence: dict[str, str]) -> str:
    """One line for one piece of evidence: "rule — kind: value — detail" (missing parts left out)."""
    rule, kind = evidence.get("rule") or "", evidence.get("kind") or ""
    value, detail = evidence.get("value") or "", evidence.get("detail") or ""
    what = f"{kind}: {value}" if kind and value else kind or value
    return " — ".join(part for part in (rule, what, detail) if part)


class ScanEngineTree(QTreeWidget):
    """A row per engine, with its evidence (and its error) as child rows; rows with a finding open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanEngineTree")
        self.setColumnCount(6)
        self.setHeaderLabels(
            [
                self.tr("Engine"),
                self.tr("Verdict"),
                self.tr("Detections"),
                self.tr("Time"),
                self.tr("Engine version"),
                self.tr("Signatures"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setAlternatingRowColors(True)
        self.setAccessibleName(self.tr("Verdicts of the scanning engines"))
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        self._bold = QFont(self.font())
        self._bold.setBold(True)

    def show_rows(self, rows: Sequence[ScanEngineRow]) -> None:
        self.clear()
        for row in rows:
            item = self._engine_item(row)
            self.addTopLevelItem(item)
            for child in self._child_items(row):
                item.addChild(child)
                child.setFirstColumnSpanned(True)
            item.setExpanded(row.verdict in ("malicious", "suspicious") and item.childCount() > 0)

    def engine_item(self, engine: str) -> QTreeWidgetItem | None:
        """The top-level row of an engine (None if it is not shown)."""
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(COL_ENGINE, EngineRole) == engine:
                return item
        return None

    def _engine_item(self, row: ScanEngineRow) -> QTreeWidgetItem:
        texts = [""] * 6
        texts[COL_ENGINE] = row.engine
        texts[COL_VERDICT] = scan_verdict_name(row.verdict)
        if row.verdict == "clean" and not row.vouches:
            texts[COL_VERDICT] = self.tr("not listed")
        texts[COL_DETECTIONS] = ", ".join(row.detections)
        texts[COL_SECONDS] = seconds_text(row.seconds)
        texts[COL_ENGINE_VERSION] = row.engine_version
        texts[COL_SIGNATURES] = row.signatures_version
        item = QTreeWidgetItem(texts)
        item.setData(COL_ENGINE, EngineRole, row.engine)
        color = QBrush(verdict_color(row.verdict) if row.vouches else MUTED_COLOR)
        item.setForeground(COL_VERDICT, color)
        if not row.vouches:
            item.setToolTip(COL_VERDICT, self.tr("A lookup that found nothing: it says nothing about the package "
                                                 "and does not pass the gate."))  # fmt: skip
        if row.verdict in ("malicious", "suspicious"):
            item.setFont(COL_VERDICT, self._bold)
            item.setFont(COL_DETECTIONS, self._bold)
            item.setForeground(COL_DETECTIONS, color)
        item.setTextAlignment(COL_SECONDS, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if row.detections:
            item.setToolTip(COL_DETECTIONS, "\n".join(row.detections))
        if row.error:
            for column in range(6):
                item.setToolTip(column, row.error)
        return item

    def _child_items(self, row: ScanEngineRow) -> list[QTreeWidgetItem]:
        children = []
        if row.error:
            child = QTreeWidgetItem([self.tr("Error: %1").replace("%1", row.error)])
            child.setForeground(0, QBrush(MUTED_COLOR))
            child.setToolTip(0, row.error)
            children.append(child)
        for evidence in row.evidence:
            text = evidence_text(evidence)
            child = QTreeWidgetItem([text])
            child.setData(0, EvidenceRole, dict(evidence))
            child.setForeground(0, QBrush(EVIDENCE_COLOR))
            child.setToolTip(0, "\n".join(f"{key}: {value}" for key, value in evidence.items() if value))
            children.append(child)
        return children
