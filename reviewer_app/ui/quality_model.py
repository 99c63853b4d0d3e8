"""The quality table: a Qt model over the report's rows, and the words and numbers its cells show (the PDF
prints the same texts)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from reviewer_app.review.quality import QualityReport, QualityRow
from reviewer_app.ui.text import kind_name

(
    COL_REVIEWER,
    COL_KIND,
    COL_DECISIONS,
    COL_FINAL,
    COL_ESCALATIONS,
    COL_AUDITED,
    COL_AGREEMENT,
    COL_KAPPA,
    COL_MEDIAN,
    COL_MISSES,
) = range(10)
COLUMN_COUNT = 10
SortRole = Qt.ItemDataRole.UserRole + 1
HANDLED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        SortRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)
MISS_COLOR = QColor("#b00020")
MISS_BACKGROUND = QColor("#fde7e9")
DASH = "—"
ModelIndex = QModelIndex | QPersistentModelIndex


translate = QCoreApplication.translate


def column_titles() -> list[str]:
    return [
        translate("Quality", "Reviewer"),
        translate("Quality", "Kind"),
        translate("Quality", "Decisions"),
        translate("Quality", "Final"),
        translate("Quality", "Escalations"),
        translate("Quality", "Audited"),
        translate("Quality", "Agreement"),
        translate("Quality", "Kappa"),
        translate("Quality", "Median time"),
        translate("Quality", "SLA misses"),
    ]


def column_tips() -> list[str]:
    return [
        "",
        "",
        translate("Quality", "Decisions made in the period"),
        translate("Quality", "Approvals and rejections"),
        translate("Quality", "Escalations to a lead: steps, not decisions"),
        translate("Quality", "Decisions with at least one audit"),
        translate("Quality", "Share of audits whose outcome is agree"),
        translate("Quality", "Cohen's kappa between the reviewer's and the auditor's verdicts"),
        translate("Quality", "Median time from submission to the first approval or rejection (hours:minutes)"),
        translate("Quality", "First approvals or rejections after the deadline"),
    ]


def percent_text(value: float | None) -> str:
    return DASH if value is None else QLocale().toString(value * 100.0, "f", 1) + " %"


def kappa_text(value: float | None) -> str:
    return DASH if value is None else QLocale().toString(value, "f", 2)


def minutes_text(minutes: float | None) -> str:
    """h:mm, hours past 24 as they are (a median of 30 hours reads 30:00)."""
    if minutes is None:
        return DASH
    total = round(minutes)
    return f"{total // 60}:{total % 60:02d}"


def group_text(row: QualityRow, by: tuple[str, ...]) -> str:
    """The row's group in words: a reviewer's name, a kind's, or both."""
    parts = [(row.reviewer or "") if name == "reviewer" else kind_name(row.kind or "") for name in by]
    return " · ".join(parts)


def cell_text(row: QualityRow, column: int) -> str:
    if column == COL_REVIEWER:
        return row.reviewer or ""
    if column == COL_KIND:
        return kind_name(row.kind) if row.kind else ""
    if column == COL_AGREEMENT:
        return percent_text(row.agreement)
    if column == COL_KAPPA:
        return kappa_text(row.kappa)
    if column == COL_MEDIAN:
        return minutes_text(row.median_minutes)
    return QLocale().toString(_count(row, column))


def _count(row: QualityRow, column: int) -> int:
    return {
        COL_DECISIONS: row.decisions,
        COL_FINAL: row.final_decisions,
        COL_ESCALATIONS: row.escalations,
        COL_AUDITED: row.audited,
        COL_MISSES: row.sla_misses,
    }[column]


def sort_value(row: QualityRow, column: int) -> Any:
    """What a column sorts by: names as text, numbers as numbers, undefined values below every number."""
    if column == COL_REVIEWER:
        return (row.reviewer or "").casefold()
    if column == COL_KIND:
        return kind_name(row.kind or "").casefold()
    value = {
        COL_AGREEMENT: row.agreement,
        COL_KAPPA: row.kappa,
        COL_MEDIAN: row.median_minutes,
    }.get(column)
    if column in (COL_AGREEMENT, COL_KAPPA, COL_MEDIAN):
        return float("-inf") if value is None else float(value)
    return float(_count(row, column))


def visible_columns(by: tuple[str, ...]) -> list[int]:
    hidden = {COL_KIND} if "kind" not in by else set()
    if "reviewer" not in by:
        hidden.add(COL_REVIEWER)
    return [c for c in range(COLUMN_COUNT) if c not in hidden]


class QualityTableModel(QAbstractTableModel):
    """One row per group of the report (the team's row is shown apart, not sorted with them)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: tuple[QualityRow, ...] = ()
        # The cells' texts and sort keys, made once: views ask for them very often.
        self._texts: list[list[str]] = []
        self._sort_keys: list[list[Any]] = []
        self._titles = column_titles()
        self._tips = column_tips()

    def set_report(self, report: QualityReport | None) -> None:
        self.beginResetModel()
        self._rows = report.rows if report is not None else ()
        self._texts = [[cell_text(row, column) for column in range(COLUMN_COUNT)] for row in self._rows]
        self._sort_keys = [[sort_value(row, column) for column in range(COLUMN_COUNT)] for row in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> QualityRow:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[section] or None
        return None

    def column_texts(self, column: int) -> list[str]:
        return [texts[column] for texts in self._texts]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in HANDLED_ROLES or not index.isValid():
            return None
        r, column = index.row(), index.column()
        if r >= len(self._rows) or not 0 <= column < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[r][column]
        if role == SortRole:
            return self._sort_keys[r][column]
        row = self._rows[r]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (COL_REVIEWER, COL_KIND):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        missed = column == COL_MISSES and row.sla_misses > 0
        if role == Qt.ItemDataRole.ForegroundRole and missed:
            return QBrush(MISS_COLOR)
        if role == Qt.ItemDataRole.BackgroundRole and missed:
            return QBrush(MISS_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and missed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column)
        return None

    @staticmethod
    def _tip(row: QualityRow, column: int) -> str | None:
        if column == COL_AGREEMENT and row.audits:
            return (
                translate("Quality", "%1 of %2 audits agree")
                .replace("%1", str(row.agreements))
                .replace("%2", str(row.audits))
            )
        if column == COL_KAPPA:
            return translate("Quality", "Over %1 audits with the auditor's own verdict").replace(
                "%1", str(row.kappa_audits)
            )
        if column == COL_MEDIAN and row.timed:
            return translate("Quality", "Over %1 first decisions").replace("%1", str(row.timed))
        return None


def team_text(report: QualityReport) -> str:
    """The team's row in one line, with the open submissions past their deadline."""
    team = report.team
    text = (
        translate(
            "Quality",
            "Team: %1 decisions (%2 escalations), %3 audited, agreement %4, kappa %5, median time %6, %7 SLA misses",
        )
        .replace("%1", QLocale().toString(team.decisions))
        .replace("%2", QLocale().toString(team.escalations))
        .replace("%3", QLocale().toString(team.audited))
        .replace("%4", percent_text(team.agreement))
        .replace("%5", kappa_text(team.kappa))
        .replace("%6", minutes_text(team.median_minutes))
        .replace("%7", QLocale().toString(team.sla_misses))
    )
    if report.open_overdue:
        text += " " + translate("Quality", "(%1 of them still open past the deadline)").replace(
            "%1", QLocale().toString(report.open_overdue)
        )
    return text
