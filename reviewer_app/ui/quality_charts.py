"""The quality dashboard's two charts, drawn with QPainter: agreement and kappa per group (bars) and the
decisions per day (lines).

PySide6-Essentials has no QtCharts (it is in PySide6-Addons, a far larger wheel the app does not otherwise
need), and two plain charts are little code. Each chart paints into any rectangle of any paint device, so
the widgets on screen and the PDF export draw them the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from reviewer_app.review.quality import DayPoint, QualityReport
from reviewer_app.ui.quality_model import group_text, kappa_text, percent_text

translate = QCoreApplication.translate

AGREEMENT_COLOR = QColor("#2e7d32")
KAPPA_COLOR = QColor("#1565c0")
DECISIONS_COLOR = QColor("#1565c0")
ESCALATIONS_COLOR = QColor("#ef6c00")
AXIS_COLOR = QColor("#555555")
GRID_COLOR = QColor("#dddddd")
MIN_SLOT = 14.0  # pixels per group on screen: more groups scroll


@dataclass(frozen=True)
class Series:
    name: str
    color: QColor
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class BarData:
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class LineData:
    title: str
    days: tuple[date, ...]
    series: tuple[Series, ...]


def bar_data(report: QualityReport) -> BarData:
    """Agreement and kappa of each group of the report, in the report's order."""
    titles: dict[tuple[str, ...], str] = {
        ("reviewer",): translate("Quality", "Agreement and kappa per reviewer"),
        ("kind",): translate("Quality", "Agreement and kappa per kind"),
    }
    title = titles.get(report.by, translate("Quality", "Agreement and kappa per reviewer and kind"))
    return BarData(
        title,
        tuple(group_text(row, report.by) for row in report.rows),
        (
            Series(translate("Quality", "Agreement"), AGREEMENT_COLOR, tuple(r.agreement for r in report.rows)),
            Series(translate("Quality", "Kappa"), KAPPA_COLOR, tuple(r.kappa for r in report.rows)),
        ),
    )


def line_data(days: Sequence[DayPoint]) -> LineData:
    return LineData(
        translate("Quality", "Decisions per day"),
        tuple(d.day for d in days),
        (
            Series(translate("Quality", "Decisions"), DECISIONS_COLOR, tuple(float(d.decisions) for d in days)),
            Series(translate("Quality", "Escalations"), ESCALATIONS_COLOR, tuple(float(d.escalations) for d in days)),
        ),
    )


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(1, ticks)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _header(painter: QPainter, rect: QRectF, title: str, series: Sequence[Series]) -> float:
    """Title and legend on one line at the top; returns the height used."""
    metrics = QFontMetricsF(painter.font())
    height = metrics.height() * 1.6
    bold = QFont(painter.font())
    bold.setBold(True)
    painter.save()
    painter.setFont(bold)
    painter.setPen(QColor("#222222"))
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), height), Qt.AlignmentFlag.AlignVCenter, title)
    title_width = QFontMetricsF(bold).horizontalAdvance(title)
    painter.restore()
    x = rect.left() + title_width + metrics.height() * 2
    box = metrics.height() * 0.7
    for s in series:
        painter.fillRect(QRectF(x, rect.top() + (height - box) / 2, box, box), s.color)
        x += box + metrics.height() * 0.3
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x, rect.top(), rect.width(), height), Qt.AlignmentFlag.AlignVCenter, s.name)
        x += metrics.horizontalAdvance(s.name) + metrics.height()
    return height


def _empty(painter: QPainter, rect: QRectF, text: str) -> None:
    painter.setPen(AXIS_COLOR)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _y_axis(painter: QPainter, plot: QRectF, low: float, high: float, step: float, fmt) -> None:
    metrics = QFontMetricsF(painter.font())
    value = low
    while value <= high + step / 1000:
        y = plot.bottom() - (value - low) / (high - low) * plot.height()
        painter.setPen(QPen(GRID_COLOR if abs(value) > 1e-9 else AXIS_COLOR, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(AXIS_COLOR)
        label = fmt(value)
        painter.drawText(
            QRectF(plot.left() - metrics.horizontalAdvance(label) - 6, y - metrics.height() / 2, 200, metrics.height()),
            label,
        )
        value += step


def paint_bars(painter: QPainter, rect: QRectF, data: BarData) -> None:
    """Bars of each series per group on one scale (shares and kappa: 0 to 1, below 0 when a kappa is)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    top = _header(painter, rect, data.title, data.series)
    metrics = QFontMetricsF(painter.font())
    body = QRectF(rect.left(), rect.top() + top, rect.width(), rect.height() - top)
    if not data.labels:
        _empty(painter, body, translate("Quality", "No decisions in this period"))
        painter.restore()
        return
    values = [v for s in data.series for v in s.values if v is not None]
    low = min(0.0, math.floor(min(values, default=0.0) * 4) / 4)
    high = 1.0
    longest = max(metrics.horizontalAdvance(label) for label in data.labels)
    label_space = min(longest + 8, body.height() * 0.35)
    left = metrics.horizontalAdvance("-0.75") + 10
    plot = QRectF(body.left() + left, body.top() + 4, body.width() - left - 4, body.height() - label_space - 8)
    _y_axis(painter, plot, low, high, 0.25, lambda v: f"{v:.2f}")
    slot = plot.width() / len(data.labels)
    bar = slot * 0.8 / len(data.series)
    zero = plot.bottom() - (0 - low) / (high - low) * plot.height()
    for i in range(len(data.labels)):
        x = plot.left() + i * slot + slot * 0.1
        for s in data.series:
            value = s.values[i]
            if value is not None:
                y = plot.bottom() - (value - low) / (high - low) * plot.height()
                painter.fillRect(QRectF(x, min(y, zero), max(bar, 1.0), max(abs(zero - y), 1.0)), s.color)
            x += bar
    # Group names under their bars, turned to read upwards; every k-th when they would overlap.
    every = max(1, math.ceil(metrics.height() / slot))
    painter.setPen(QColor("#222222"))
    for i in range(0, len(data.labels), every):
        label = metrics.elidedText(data.labels[i], Qt.TextElideMode.ElideRight, label_space)
        painter.save()
        painter.translate(plot.left() + (i + 0.5) * slot + metrics.ascent() / 2 - 1, plot.bottom() + 6)
        painter.rotate(-90)
        painter.drawText(QPointF(-metrics.horizontalAdvance(label), 0), label)
        painter.restore()
    painter.restore()


def paint_lines(painter: QPainter, rect: QRectF, data: LineData) -> None:
    """One line per series over the days; a point per day when there are few days."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(data.days) <= 120)  # smooth lines cost
    top = _header(painter, rect, data.title, data.series)
    metrics = QFontMetricsF(painter.font())
    body = QRectF(rect.left(), rect.top() + top, rect.width(), rect.height() - top)
    if not data.days:
        _empty(painter, body, translate("Quality", "No days in this period"))
        painter.restore()
        return
    peak = max((v for s in data.series for v in s.values if v is not None), default=0.0)
    step = max(1.0, math.ceil(_nice_step(max(peak, 1.0))))  # counts: whole steps, no "2, 2, 1" on a small axis
    high = step * max(1, math.ceil(max(peak, 1.0) / step))
    left = metrics.horizontalAdvance(f"{high:,.0f}") + 10
    plot = QRectF(body.left() + left, body.top() + 4, body.width() - left - 8, body.height() - metrics.height() - 12)
    _y_axis(painter, plot, 0.0, high, step, lambda v: f"{v:,.0f}")
    n = len(data.days)
    x_of = (lambda i: plot.center().x()) if n == 1 else (lambda i: plot.left() + i * plot.width() / (n - 1))
    label_width = metrics.horizontalAdvance("00-00") + 12
    every = max(1, math.ceil(label_width * n / max(plot.width(), 1)))
    painter.setPen(AXIS_COLOR)
    for i in range(0, n, every):
        label = data.days[i].strftime("%m-%d")
        x = x_of(i)
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
        left = min(max(x - label_width / 2, body.left()), body.right() - label_width)  # the ends stay inside
        painter.drawText(QRectF(left, plot.bottom() + 4, label_width, metrics.height()),
                         Qt.AlignmentFlag.AlignHCenter, label)  # fmt: skip
    for s in data.series:
        points = [QPointF(x_of(i), plot.bottom() - (v or 0.0) / high * plot.height()) for i, v in enumerate(s.values)]
        painter.setPen(QPen(s.color, 2))
        painter.drawPolyline(QPolygonF(points))
        if n <= 45:
            path = QPainterPath()
            for point in points:
                path.addEllipse(point, 2.5, 2.5)
            painter.fillPath(path, s.color)
    painter.restore()


class BarChart(QWidget):
    """Agreement and kappa per group; wide enough to give each group a few pixels (put it in a scroll area)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qualityBars")
        self.setAccessibleName(translate("Quality", "Agreement and kappa chart"))
        self.data = BarData("", (), ())
        self.setMinimumHeight(220)

    def set_data(self, data: BarData) -> None:
        self.data = data
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(max(400, int(len(self.data.labels) * MIN_SLOT) + 80), 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(max(300, int(len(self.data.labels) * MIN_SLOT) + 80), 220)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        paint_bars(painter, QRectF(self.rect()).adjusted(6, 4, -6, -4), self.data)
        painter.end()

    def group_at(self, x: float) -> int | None:
        """The group under the x coordinate (for the tooltip), by the same layout as paint_bars."""
        n = len(self.data.labels)
        if not n:
            return None
        metrics = QFontMetricsF(self.font())
        left = 6 + metrics.horizontalAdvance("-0.75") + 10
        width = self.width() - 12 - (metrics.horizontalAdvance("-0.75") + 10) - 4
        index = math.floor((x - left) / (width / n)) if width > 0 else -1
        return index if 0 <= index < n else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.group_at(event.pos().x())
            if index is None:
                QToolTip.hideText()
            else:
                agreement, kappa = (s.values[index] for s in self.data.series)
                QToolTip.showText(
                    event.globalPos(),
                    translate("Quality", "%1: agreement %2, kappa %3")
                    .replace("%1", self.data.labels[index])
                    .replace("%2", percent_text(agreement))
                    .replace("%3", kappa_text(kappa)),
                    self,
                )
            return True
        return super().event(event)


class LineChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qualityDays")
        self.setAccessibleName(translate("Quality", "Decisions per day chart"))
        self.data = LineData("", (), ())
        self.setMinimumSize(300, 200)

    def set_data(self, data: LineData) -> None:
        self.data = data
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(500, 300)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        paint_lines(painter, QRectF(self.rect()).adjusted(6, 4, -6, -4), self.data)
        painter.end()
