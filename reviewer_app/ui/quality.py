"""The leads' quality dashboard: per reviewer and per kind over a period, as a table and as charts, with
CSV and PDF export. A self-contained widget that the lead window puts in a tab.

It computes nothing itself: `run(fn, on_done, on_error)` (the window's `DbJobs.run`) runs
`quality(service, ...)` on the database worker and calls back on the GUI thread. Only the latest request's
answer is shown, so changing the period twice quickly never shows the first period's figures under the
second's name. Export files are written on a thread of Qt's pool, not on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, QRunnable, QSortFilterProxyModel, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.quality import QualityReport, quality, report_csv
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.quality_charts import BarChart, BarData, LineChart, LineData, bar_data, line_data
from reviewer_app.ui.quality_model import COLUMN_COUNT, QualityTableModel, SortRole, team_text, visible_columns

RunJob = Callable[[Callable[[Any], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]
PRESET_DAYS = (7, 30, 90)
CUSTOM = len(PRESET_DAYS)
GROUPINGS = (("reviewer",), ("kind",), ("reviewer", "kind"))


class _FileWrite(QRunnable):
    """Writes bytes to a file on a pool thread and says how it went through `signals`."""

    def __init__(self, path: Path, data: bytes, signals: _WriteSignals) -> None:
        super().__init__()
        self.path = path
        self.data = data
        self.signals = signals

    def run(self) -> None:
        try:
            self.path.write_bytes(self.data)
        except OSError as exc:
            self.signals.sig_done.emit(str(self.path), one_line(exc))
        else:
            self.signals.sig_done.emit(str(self.path), "")


class _WriteSignals(QObject):
    sig_done = Signal(str, str)  # path, "" or the error


class QualityDashboard(QWidget):
    """Period, grouping, the table, the charts, and the exports."""

    sig_report = Signal(object)  # a QualityReport, once shown
    sig_failed = Signal(str)  # why a report could not be made
    sig_exported = Signal(str, str)  # path, "" or the error

    def __init__(self, run: RunJob, parent: QWidget | None = None, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setObjectName("qualityDashboard")
        self._run = run
        self._today = today
        self._request = 0
        self._pending = 0
        self.report: QualityReport | None = None
        self._writes = _WriteSignals(self)
        self._writes.sig_done.connect(self._on_written)
        self._writing: list[_FileWrite] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self._controls())
        self.status_label = QLabel(self)
        self.status_label.setObjectName("qualityStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        self.team_label = QLabel(self)
        self.team_label.setObjectName("qualityTeam")
        self.team_label.setWordWrap(True)
        self.team_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.team_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self.model = QualityTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(self.splitter)
        self.table.setObjectName("qualityTable")
        self.table.setAccessibleName(self.tr("Review quality per group"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # widths set by _fit_columns
        charts = QSplitter(Qt.Orientation.Horizontal, self.splitter)
        charts.setChildrenCollapsible(False)
        self.bars = BarChart()
        self.bar_scroll = QScrollArea(charts)
        self.bar_scroll.setWidgetResizable(True)
        self.bar_scroll.setWidget(self.bars)
        self.lines = LineChart(charts)
        charts.setStretchFactor(0, 3)
        charts.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._on_period_changed()
        self._show_columns()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(self.tr("Period:"), self)
        row.addWidget(caption)
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("qualityPeriod")
        self.period_combo.addItem(self.tr("Last 7 days"))
        self.period_combo.addItem(self.tr("Last 30 days"))
        self.period_combo.addItem(self.tr("Last 90 days"))
        self.period_combo.addItem(self.tr("Custom"))
        self.period_combo.setCurrentIndex(1)
        caption.setBuddy(self.period_combo)
        row.addWidget(self.period_combo)
        self.from_edit = QDateEdit(self)
        self.from_edit.setObjectName("qualityFrom")
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.from_edit.setAccessibleName(self.tr("From"))
        self.to_edit = QDateEdit(self)
        self.to_edit.setObjectName("qualityTo")
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setDisplayFormat("yyyy-MM-dd")
        self.to_edit.setAccessibleName(self.tr("To"))
        today = self._qdate(self._today())
        self.from_edit.setDate(today.addDays(-29))
        self.to_edit.setDate(today)
        row.addWidget(QLabel(self.tr("from"), self))
        row.addWidget(self.from_edit)
        row.addWidget(QLabel(self.tr("to"), self))
        row.addWidget(self.to_edit)
        group_caption = QLabel(self.tr("Group by:"), self)
        row.addWidget(group_caption)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("qualityGrouping")
        self.group_combo.addItem(self.tr("Reviewer"))
        self.group_combo.addItem(self.tr("Kind"))
        self.group_combo.addItem(self.tr("Reviewer and kind"))
        group_caption.setBuddy(self.group_combo)
        row.addWidget(self.group_combo)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("qualityRefresh")
        row.addWidget(self.refresh_button)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.csv_button.setObjectName("qualityCsv")
        row.addWidget(self.csv_button)
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)
        self.pdf_button.setObjectName("qualityPdf")
        row.addWidget(self.pdf_button)
        self.csv_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        self.period_combo.currentIndexChanged.connect(self.refresh)
        self.from_edit.dateChanged.connect(self._on_custom_date)
        self.to_edit.dateChanged.connect(self._on_custom_date)
        self.group_combo.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self.ask_export_csv)
        self.pdf_button.clicked.connect(self.ask_export_pdf)
        return row

    # -- what to compute -------------------------------------------------------------------------

    @staticmethod
    def _qdate(day: date) -> QDate:
        return QDate(day.year, day.month, day.day)

    def grouping(self) -> tuple[str, ...]:
        return GROUPINGS[self.group_combo.currentIndex()]

    def set_grouping(self, by: tuple[str, ...]) -> None:
        self.group_combo.setCurrentIndex(GROUPINGS.index(by))

    def set_period(self, days: int | None = None, start: date | None = None, end: date | None = None) -> None:
        """The last `days` days (7, 30 or 90), or the days from `start` to `end`, both included."""
        if days is not None:
            index = PRESET_DAYS.index(days)
            if self.period_combo.currentIndex() == index:
                self.refresh()
            else:
                self.period_combo.setCurrentIndex(index)  # refreshes
            return
        if start is None or end is None:
            raise ValueError("a custom period needs its first and last day")
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(CUSTOM)
        self.period_combo.blockSignals(False)
        self._on_period_changed()
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(self._qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def days(self) -> tuple[date, date]:
        """The first and the last day of the period, in the workstation's time zone."""
        index = self.period_combo.currentIndex()
        if index == CUSTOM:
            return self.from_edit.date().toPython(), self.to_edit.date().toPython()  # type: ignore[return-value]
        today = self._today()
        return today - timedelta(days=PRESET_DAYS[index] - 1), today

    def period(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnight of the first day to local midnight after the last."""
        first, last = self.days()
        start = datetime.combine(first, time()).astimezone()
        end = datetime.combine(last + timedelta(days=1), time()).astimezone()
        return start, end

    @staticmethod
    def report_days(report: QualityReport) -> tuple[date, date]:
        """The first and the last day a report covers, in the workstation's time zone."""
        return report.start.astimezone().date(), (report.end - timedelta(microseconds=1)).astimezone().date()

    def period_text(self, report: QualityReport | None = None) -> str:
        """What a report covers (the one shown), in words: its days and its grouping."""
        report = report or self.report
        first, last = self.report_days(report) if report is not None else self.days()
        by = report.by if report is not None else self.grouping()
        names: dict[tuple[str, ...], str] = {("reviewer",): self.tr("per reviewer"), ("kind",): self.tr("per kind")}
        return (
            self.tr("Decisions from %1 to %2, %3")
            .replace("%1", first.isoformat())
            .replace("%2", last.isoformat())
            .replace("%3", names.get(by, self.tr("per reviewer and kind")))
        )

    def _on_period_changed(self) -> None:
        custom = self.period_combo.currentIndex() == CUSTOM
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)

    def _on_custom_date(self) -> None:
        if self.period_combo.currentIndex() == CUSTOM:
            self.refresh()

    # -- computing -------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.report is None and not self._pending:
            self.refresh()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def refresh(self) -> None:
        """Compute the report for the period and grouping shown, on the database worker."""
        first, last = self.days()
        if last < first:
            self.status_label.setText(self.tr("The period ends before it starts: choose a later end."))
            return
        start, end = self.period()
        by = self.grouping()
        offset = int((start.utcoffset() or timedelta()).total_seconds() // 60)
        self._request += 1
        request = self._request
        self._pending += 1
        self.status_label.setText(self.tr("Computing…"))

        def compute(service: Any) -> QualityReport:
            return quality(service, start, end, by, offset)

        self._run(compute, lambda report: self._on_report(request, report), lambda exc: self._on_error(request, exc))

    def _on_report(self, request: int, report: QualityReport) -> None:
        self._pending -= 1
        if request != self._request:
            return  # a later request is on its way
        self.show_report(report)

    def _on_error(self, request: int, exc: BaseException) -> None:
        self._pending -= 1
        if request != self._request:
            return
        message = self.tr("The quality report could not be made: %1").replace("%1", one_line(exc))
        self.status_label.setText(message)
        self.sig_failed.emit(message)

    def blank(self) -> None:
        """Show nothing (lead mode does it while a blind audit is open: the figures name reviewers); the next
        refresh computes them again."""
        self._request += 1  # an answer on its way is dropped
        self.report = None
        self.model.set_report(None)
        self.team_label.clear()
        self.bars.set_data(BarData("", (), ()))
        self.lines.set_data(LineData("", (), ()))
        self.status_label.clear()
        self.csv_button.setEnabled(False)
        self.pdf_button.setEnabled(False)

    def show_report(self, report: QualityReport) -> None:
        """Show a report (the table, the team's line and the charts)."""
        self.report = report
        self.model.set_report(report)
        self._show_columns(report.by)
        self._fit_columns()
        self.team_label.setText(team_text(report))
        self.bars.set_data(bar_data(report))
        self.lines.set_data(line_data(report.days))
        self.status_label.setText(self.period_text())
        self.csv_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.sig_report.emit(report)

    def _fit_columns(self) -> None:
        """Each column as wide as its longest text, measured here: asking the view to fit them asks the model
        for a dozen roles of every cell, which takes a second for 800 rows."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(self.table.font()), QFontMetrics(bold)
        arrow = self.table.horizontalHeader().style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        for column in range(COLUMN_COUNT):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max((bold_metrics.horizontalAdvance(t) for t in self.model.column_texts(column)), default=0)
            width = max(widest, metrics.horizontalAdvance(title) + 2 * arrow)
            self.table.setColumnWidth(column, min(width + 24, 400))

    def _show_columns(self, by: tuple[str, ...] | None = None) -> None:
        shown = visible_columns(by or self.grouping())
        for column in range(COLUMN_COUNT):
            self.table.setColumnHidden(column, column not in shown)

    # -- exports ---------------------------------------------------------------------------------

    def ask_export_csv(self) -> None:
        self._ask_export(self.tr("Export CSV"), self.tr("CSV files (*.csv)"), ".csv", self.export_csv)

    def ask_export_pdf(self) -> None:
        self._ask_export(self.tr("Export PDF"), self.tr("PDF files (*.pdf)"), ".pdf", self.export_pdf)

    def _ask_export(self, title: str, filters: str, suffix: str, export: Callable[[str], None]) -> None:
        if self.report is None:
            return
        first, last = self.report_days(self.report)
        name = f"quality-{first.isoformat()}-{last.isoformat()}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        if path:
            export(path if path.lower().endswith(suffix) else path + suffix)

    def export_csv(self, path: str) -> None:
        """Write the shown report as CSV (on a pool thread; sig_exported says when it is written)."""
        if self.report is not None:
            self._write(Path(path), report_csv(self.report).encode("utf-8"))

    def export_pdf(self, path: str) -> None:
        """Paint the shown report as a PDF (here: a few pages, in memory) and write it on a pool thread."""
        if self.report is not None:
            from reviewer_app.ui.quality_pdf import report_pdf

            self._write(Path(path), report_pdf(self.report, self.period_text()))

    def _write(self, path: Path, data: bytes) -> None:
        job = _FileWrite(path, data, self._writes)
        job.setAutoDelete(False)
        self._writing.append(job)
        QThreadPool.globalInstance().start(job)

    @Slot(str, str)
    def _on_written(self, path: str, error: str) -> None:
        self._writing = [job for job in self._writing if str(job.path) != path]
        if error:
            self.status_label.setText(self.tr("Could not write %1: %2").replace("%1", path).replace("%2", error))
        else:
            self.status_label.setText(self.tr("Saved %1").replace("%1", path))
        self.sig_exported.emit(path, error)
