"""The leads' view of the audit trail: every action (claims, decisions, undos, recalls, rollbacks, blocklist
and user changes...) with who, when and what, filtered by period, person and action, exported as CSV, and
checked link by link (`audit verify`) on demand.

A self-contained widget that the lead window puts in a tab. It reads nothing itself: `run(fn, on_done,
on_error)` (the window's `DbJobs.run`) runs the reads, the check and the export on the database worker.
Only the latest request's answer is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import AUDIT_ACTIONS
from reviewer_app.review.trail import write_csv
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.text import local_time_text

RunJob = Callable[[Callable[[Any], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]
MAX_SHOWN = 5000  # events a view holds; narrow the filters (or export) for more
COL_ID, COL_AT, COL_ACTOR, COL_ACTION, COL_SUBJECT, COL_DETAILS = range(6)


class TrailModel(QAbstractTableModel):
    """Events as rows (plain AuditEvent records in, nothing computed on the database)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("TrailViewer", "#"),
        QT_TRANSLATE_NOOP("TrailViewer", "When"),
        QT_TRANSLATE_NOOP("TrailViewer", "Who"),
        QT_TRANSLATE_NOOP("TrailViewer", "Action"),
        QT_TRANSLATE_NOOP("TrailViewer", "Subject"),
        QT_TRANSLATE_NOOP("TrailViewer", "Details"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._events: list[Any] = []

    def set_events(self, events: list[Any]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def events(self) -> list[Any]:
        return list(self._events)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("TrailViewer", str(self.HEADERS[section]))
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        event = self._events[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return event.event_id if column in (COL_ID, COL_AT) else self.data(index)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DETAILS:
            return json.dumps(event.details, ensure_ascii=False, indent=1)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == COL_ID:
            return str(event.event_id)
        if column == COL_AT:
            return local_time_text(event.at)
        if column == COL_ACTOR:
            return event.actor
        if column == COL_ACTION:
            return event.action
        if column == COL_SUBJECT:
            return event.subject
        return ", ".join(f"{key}: {value}" for key, value in event.details.items())


class TrailViewer(QWidget):
    """Filters over the table of events, with Export CSV… and Verify."""

    sig_loaded = QtSignal(int)  # events shown
    sig_checked = QtSignal(object)  # TrailCheck
    sig_exported = QtSignal(str, str)  # path, "" or the error

    def __init__(self, run: RunJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trailViewer")
        self._run = run
        self._request = 0
        layout = QVBoxLayout(self)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("From:"), self))
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-7), self)
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setObjectName("trailSince")
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel(self.tr("Who:"), self))
        self.actor_edit = QLineEdit(self)
        self.actor_edit.setObjectName("trailActor")
        self.actor_edit.setPlaceholderText(self.tr("anyone"))
        self.actor_edit.setMaximumWidth(160)
        filters.addWidget(self.actor_edit)
        filters.addWidget(QLabel(self.tr("Action:"), self))
        self.action_combo = QComboBox(self)
        self.action_combo.setObjectName("trailAction")
        self.action_combo.addItem(self.tr("every action"), "")
        for action in AUDIT_ACTIONS:
            self.action_combo.addItem(action, action)
        filters.addWidget(self.action_combo)
        filters.addWidget(QLabel(self.tr("Subject:"), self))
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setObjectName("trailSubject")
        self.subject_edit.setPlaceholderText(self.tr("submission:12"))
        self.subject_edit.setMaximumWidth(160)
        filters.addWidget(self.subject_edit)
        self.show_button = QPushButton(self.tr("Show"), self)
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        filters.addWidget(self.show_button)
        filters.addStretch(1)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(self.ask_export)
        filters.addWidget(self.export_button)
        self.verify_button = QPushButton(self.tr("Verify the trail"), self)
        self.verify_button.setToolTip(
            self.tr("Check every event's hash and link: an event changed, removed or reordered is found.")
        )
        self.verify_button.clicked.connect(self.verify)
        filters.addWidget(self.verify_button)
        layout.addLayout(filters)
        for edit in (self.actor_edit, self.subject_edit):
            edit.returnPressed.connect(self.refresh)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("trailStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.model = TrailModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setObjectName("trailTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((COL_ID, 60), (COL_AT, 140), (COL_ACTOR, 110), (COL_ACTION, 110), (COL_SUBJECT, 150)):
            header.resizeSection(column, width)
        layout.addWidget(self.table, 1)
        self._loaded = False

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    # -- what the filters ask for ------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        day = self.since_edit.date().toPython()  # local midnight of that day, as UTC
        since = datetime.combine(day, time()).astimezone(UTC)  # type: ignore[arg-type]
        action = self.action_combo.currentData() or ""
        return {
            "since": since,
            "actor": self.actor_edit.text().strip() or None,
            "actions": (action,) if action else (),
            "subject": self.subject_edit.text().strip() or None,
        }

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        wanted = self.filters()
        self.status_label.setText(self.tr("Reading the trail…"))

        def read(service: Any) -> list[Any]:
            return list(service.trail(limit=MAX_SHOWN + 1, **wanted))

        self._run(read, lambda events: self._on_events(request, events), lambda exc: self._on_failed(request, exc))

    def _on_events(self, request: int, events: list[Any]) -> None:
        if request != self._request:
            return  # an answer to filters no longer on show
        shown = events[:MAX_SHOWN]
        self.model.set_events(shown)
        if len(events) > MAX_SHOWN:
            text = self.tr("The first %1 events that match; narrow the filters or export them all.")
            self.status_label.setText(text.replace("%1", str(MAX_SHOWN)))
        else:
            self.status_label.setText(self.tr("%1 events").replace("%1", str(len(shown))))
        self.sig_loaded.emit(len(shown))

    def _on_failed(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            self.status_label.setText(self.tr("The trail could not be read: %1").replace("%1", one_line(exc)))

    def blank(self) -> None:
        """Show nothing (lead mode does it while a blind audit is open: the trail names who decided what);
        the next refresh reads the events again."""
        self._request += 1  # an answer on its way is dropped
        self.model.set_events([])
        self.status_label.clear()

    # -- export and check --------------------------------------------------------------------------

    def ask_export(self) -> None:
        path, _kind = QFileDialog.getSaveFileName(self, self.tr("Export the trail"), "audit-trail.csv",
                                                  self.tr("CSV files (*.csv)"))  # fmt: skip
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        """Every event that matches the filters (not only those shown), written on the database worker."""
        wanted = self.filters()

        def write(service: Any) -> int:
            return write_csv(service.trail(**wanted), path)

        def done(count: int) -> None:
            self.status_label.setText(self.tr("%1 events written to %2").replace("%1", str(count)).replace("%2", path))
            self.sig_exported.emit(path, "")

        def failed(exc: BaseException) -> None:
            self.status_label.setText(
                self.tr("Could not write %1: %2").replace("%1", path).replace("%2", one_line(exc))
            )
            self.sig_exported.emit(path, one_line(exc))

        self._run(write, done, failed)

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.status_label.setText(self.tr("Checking every event of the trail…"))

        def done(check: Any) -> None:
            self.verify_button.setEnabled(True)
            if check.ok:
                text = self.tr("The trail is intact: %1 events, every hash and link checked.")
                self.status_label.setText(text.replace("%1", str(check.events)))
                self.status_label.setStyleSheet("")
            else:
                text = self.tr("The trail was tampered with: event %1 was changed, removed or reordered.")
                self.status_label.setText(text.replace("%1", str(check.first_bad_event)))
                self.status_label.setStyleSheet("QLabel { color: #c62828; font-weight: bold; }")
            self.sig_checked.emit(check)

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.status_label.setText(self.tr("The trail could not be checked: %1").replace("%1", one_line(exc)))

        self._run(lambda service: service.verify_trail(), done, failed)
