"""What each column of the queue shows: titles, cell texts, colours and tooltips of a QueueRow.

The words are translated in the queue model's context (SubmissionQueueModel), where they have always been.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from reviewer_app.review import Urgency, worst_first
from reviewer_app.ui.text import (
    flag_text,
    kind_name,
    short_time_text,
    stars,
    status_name,
    time_left_text,
    version_text,
)

COL_TIME_LEFT, COL_RISK, COL_KIND, COL_LABEL, COL_PACKAGE, COL_VERSION = range(6)
COL_DEVELOPER, COL_TIER, COL_STATUS, COL_CLAIMED, COL_DEADLINE = range(6, 11)
COLUMN_COUNT = 11

SubmissionIdRole = Qt.ItemDataRole.UserRole + 1  # int
QueueRowRole = Qt.ItemDataRole.UserRole + 2  # QueueRow or None while loading
UrgencyRole = Qt.ItemDataRole.UserRole + 3  # "overdue" | "soon" | "ok" | None while loading

OVERDUE_COLOR = QColor("#c62828")
SOON_COLOR = QColor("#b26a00")
CRITICAL_FLAG_COLOR = QColor("#c62828")
SERIOUS_FLAG_COLOR = QColor("#b26a00")

CONTEXT = "SubmissionQueueModel"
TITLES = (
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Time left"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Risk"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Kind"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "App"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Package"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Version"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Developer"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Tier"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Status"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Held by"),
    QT_TRANSLATE_NOOP("SubmissionQueueModel", "Deadline"),
)


def _tr(text: object, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, str(text), None, n)


def header_title(column: int) -> str:
    return _tr(TITLES[column]) if 0 <= column < len(TITLES) else ""


def header_tip(column: int) -> str | None:
    if column == COL_TIME_LEFT:
        return QCoreApplication.translate(
            "SubmissionQueueModel",
            "Time until the promised decision deadline. The queue is ordered by deadline, the most urgent first.",
        )
    if column == COL_RISK:
        return QCoreApplication.translate(
            "SubmissionQueueModel",
            "Red flags found when it was filed: what must not be approved without a second look.",
        )
    if column == COL_TIER:
        return QCoreApplication.translate(
            "SubmissionQueueModel", "Developer tier: 4 or 5 stars get the fast decision deadline."
        )
    return None


def cell_text(row: Any, column: int, now: datetime) -> str:
    if column == COL_TIME_LEFT:
        return time_left_text(row.deadline - now)
    if column == COL_RISK:
        return f"⚑ {len(row.red_flags)}" if row.red_flags else ""
    if column == COL_KIND:
        return kind_name(row.kind)
    if column == COL_LABEL:
        if getattr(row, "recalled", False):
            return QCoreApplication.translate("SubmissionQueueModel", "%1 (recalled)").replace("%1", row.label or "")
        return row.label or ""
    if column == COL_PACKAGE:
        return row.package or ""
    if column == COL_VERSION:
        return version_text(row.version_name, row.version_code)
    if column == COL_DEVELOPER:
        return row.developer or ""
    if column == COL_TIER:
        return stars(row.tier)
    if column == COL_STATUS:
        return status_name(row.status)
    if column == COL_CLAIMED:
        if row.claimed_by and (row.lease_until is None or row.lease_until >= now):
            return str(row.claimed_by)
        return ""
    if column == COL_DEADLINE:
        return short_time_text(row.deadline)
    return ""


def risk_data(row: Any, role: int) -> Any:
    """The risk column: red when a flag is critical, amber otherwise; the flags worst first on hover."""
    flags = row.red_flags
    if not flags:
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(CRITICAL_FLAG_COLOR if flags[0].severity >= 2 else SERIOUS_FLAG_COLOR)
    if role == Qt.ItemDataRole.ToolTipRole:
        lines = [
            QCoreApplication.translate("SubmissionQueueModel", "Red flags, worst first:"),
            *(f"• {flag_text(flag)}" for flag in worst_first(flags)),
        ]
        return "\n".join(lines)
    return None


def urgency_text(row: Any, level: Urgency, now: datetime) -> str:
    left = row.deadline - now
    if level == Urgency.OVERDUE:
        return QCoreApplication.translate("SubmissionQueueModel", "Overdue by %1").replace("%1", time_left_text(-left))
    if level == Urgency.SOON:
        return QCoreApplication.translate("SubmissionQueueModel", "Due soon: %1 left").replace(
            "%1", time_left_text(left)
        )
    return QCoreApplication.translate("SubmissionQueueModel", "%1 left").replace("%1", time_left_text(left))
