"""The quality report as a PDF: A4 landscape, the period and the team on top, the table over as many pages as
it needs, then the charts (at most 50 groups a chart, so that every bar and name stays readable)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from reviewer_app.review.quality import QualityReport
from reviewer_app.ui.quality_charts import BarData, bar_data, line_data, paint_bars, paint_lines
from reviewer_app.ui.quality_model import (
    COL_KIND,
    COL_MISSES,
    COL_REVIEWER,
    MISS_BACKGROUND,
    MISS_COLOR,
    cell_text,
    column_titles,
    team_text,
    visible_columns,
)

translate = QCoreApplication.translate
RESOLUTION = 96  # dots per inch: the charts' pixel sizes mean the same as on screen
GROUPS_PER_CHART = 50


def report_pdf(report: QualityReport, period_text: str) -> bytes:
    """The PDF file's bytes (painted in memory; the caller writes them where the lead chose)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(translate("Quality", "Review quality"))
    writer.setCreator("reviewer-app")
    painter = QPainter(writer)
    try:
        page = QRectF(writer.pageLayout().paintRectPixels(RESOLUTION))
        page.moveTo(0, 0)  # the painter's origin is the paint rectangle's corner
        font = QFont(painter.font())
        font.setPointSizeF(9)
        painter.setFont(font)
        y = _heading(painter, page, report, period_text)
        _table(painter, writer, page, report, y)
        # Two charts a page: the bars, up to 50 groups each, then the days.
        bars = [
            _slice(bar_data(report), start, start + GROUPS_PER_CHART)
            for start in range(0, max(1, len(report.rows)), GROUPS_PER_CHART)
        ]
        half = page.height() / 2
        for n, chart in enumerate([*bars, None]):
            if n % 2 == 0:
                writer.newPage()
            area = QRectF(page.left(), page.top() + (n % 2) * half, page.width(), half - 10)
            if chart is None:
                paint_lines(painter, area, line_data(report.days))
            else:
                paint_bars(painter, area, chart)
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())


def _slice(data: BarData, start: int, end: int) -> BarData:
    if len(data.labels) <= GROUPS_PER_CHART:
        return data
    last = min(end, len(data.labels))
    title = f"{data.title} ({start + 1}–{last} / {len(data.labels)})"
    series = tuple(type(s)(s.name, s.color, s.values[start:end]) for s in data.series)
    return BarData(title, data.labels[start:end], series)


def _heading(painter: QPainter, page: QRectF, report: QualityReport, period_text: str) -> float:
    title_font = QFont(painter.font())
    title_font.setPointSizeF(15)
    title_font.setBold(True)
    painter.save()
    painter.setFont(title_font)
    height = QFontMetricsF(title_font).height()
    painter.drawText(QRectF(page.left(), page.top(), page.width(), height), translate("Quality", "Review quality"))
    painter.restore()
    y = page.top() + height + 4
    line = QFontMetricsF(painter.font()).height()
    for text in (period_text, team_text(report)):
        rect = QRectF(page.left(), y, page.width(), line * 3)
        bounds = painter.boundingRect(rect, int(Qt.TextFlag.TextWordWrap), text)
        painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), text)
        y += bounds.height() + 4
    return y + line / 2


def _table(painter: QPainter, writer: QPdfWriter, page: QRectF, report: QualityReport, y: float) -> None:
    columns = visible_columns(report.by)
    titles = column_titles()
    metrics = QFontMetricsF(painter.font())
    row_height = metrics.height() * 1.5
    names = [c for c in columns if c in (COL_REVIEWER, COL_KIND)]
    numbers = [c for c in columns if c not in names]
    name_width = page.width() * (0.22 if len(names) == 1 else 0.17)
    number_width = (page.width() - name_width * len(names)) / max(1, len(numbers))
    widths = {c: name_width if c in names else number_width for c in columns}
    bold = QFont(painter.font())
    bold.setBold(True)

    def header(top: float) -> float:
        painter.save()
        painter.setFont(bold)
        painter.fillRect(QRectF(page.left(), top, page.width(), row_height), QColor("#eeeeee"))
        x = page.left()
        for c in columns:
            align = Qt.AlignmentFlag.AlignLeft if c in names else Qt.AlignmentFlag.AlignRight
            painter.drawText(QRectF(x + 4, top, widths[c] - 8, row_height), align | Qt.AlignmentFlag.AlignVCenter,
                             titles[c])  # fmt: skip
            x += widths[c]
        painter.restore()
        return top + row_height

    y = header(y)
    for index, row in enumerate(report.rows):
        if y + row_height > page.bottom():
            writer.newPage()
            y = header(page.top())
        if index % 2:
            painter.fillRect(QRectF(page.left(), y, page.width(), row_height), QColor("#f7f7f7"))
        x = page.left()
        for c in columns:
            missed = c == COL_MISSES and row.sla_misses > 0
            cell = QRectF(x + 4, y, widths[c] - 8, row_height)
            if missed:
                painter.fillRect(QRectF(x, y, widths[c], row_height), MISS_BACKGROUND)
            painter.save()
            if missed:
                painter.setPen(MISS_COLOR)
                painter.setFont(bold)
            align = Qt.AlignmentFlag.AlignLeft if c in names else Qt.AlignmentFlag.AlignRight
            text = metrics.elidedText(cell_text(row, c), Qt.TextElideMode.ElideRight, cell.width())
            painter.drawText(cell, align | Qt.AlignmentFlag.AlignVCenter, text)
            painter.restore()
            x += widths[c]
        y += row_height
    if not report.rows:
        painter.drawText(QRectF(page.left(), y, page.width(), row_height), Qt.AlignmentFlag.AlignVCenter,
                         translate("Quality", "No decisions in this period"))  # fmt: skip
