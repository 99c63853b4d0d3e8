"""The review queue as a Qt table model that stays fast at 100,000 rows.

The model holds only the ordered submission ids (earliest deadline first, loaded in the background).
Rows are built lazily: when a view asks `data()` for a row that is not cached, the model shows a
placeholder and asks the database worker for the block of rows around it; when they arrive it emits
`dataChanged`. Blocks in flight are not asked for twice, and the cache of rows is bounded (LRU).

`QueueState` is the plain-Python part (ids, positions, row cache, in-flight bookkeeping);
`SubmissionQueueModel` adapts it to Qt and never calls the service itself.

While the database does not answer the model can be paused: rows it holds stay shown, missing ones keep
their placeholder instead of being asked for again and again. Changes made on other workstations come in
through `refresh_rows` (rows to fetch again now) and `reload` (ids again).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from reviewer_app.review import OPEN_STATUSES, Urgency, urgency, utc_now
from reviewer_app.review.session import is_unreachable
from reviewer_app.ui.text import (
    kind_name,
    local_time_text,
    short_time_text,
    stars,
    status_name,
    time_left_text,
    version_text,
)

COL_TIME_LEFT, COL_KIND, COL_LABEL, COL_PACKAGE, COL_VERSION = range(5)
COL_DEVELOPER, COL_TIER, COL_STATUS, COL_CLAIMED, COL_DEADLINE = range(5, 10)
COLUMN_COUNT = 10

SubmissionIdRole = Qt.ItemDataRole.UserRole + 1  # int
QueueRowRole = Qt.ItemDataRole.UserRole + 2  # QueueRow or None while loading
UrgencyRole = Qt.ItemDataRole.UserRole + 3  # "overdue" | "soon" | "ok" | None while loading

OVERDUE_COLOR = QColor("#c62828")
SOON_COLOR = QColor("#b26a00")
PLACEHOLDER = "…"


class QueueState:
    """Ordered ids plus a bounded cache of their rows; knows which rows are missing or on their way."""

    def __init__(self, block_size: int = 100, max_cached_rows: int = 5000) -> None:
        if block_size < 1:
            raise ValueError("block_size must be positive")
        self.block_size = block_size
        self.max_cached_rows = max(max_cached_rows, block_size * 4)
        self.ids: list[int] = []
        self._pos: dict[int, int] | None = {}
        self._rows: OrderedDict[int, tuple[int, Any]] = OrderedDict()  # id -> (generation, QueueRow)
        self._pending: set[int] = set()
        self._gone: set[int] = set()  # asked for, not returned: decided or deleted since
        self.generation = 0

    # -- ids -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def set_ids(self, ids: Iterable[int]) -> None:
        self.ids = list(ids)
        self._pos = None
        self._gone.clear()

    def row_of(self, submission_id: int) -> int:
        if self._pos is None:
            self._pos = {sid: i for i, sid in enumerate(self.ids)}
        return self._pos.get(submission_id, -1)

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def remove_at(self, first: int, last: int) -> list[int]:
        removed = self.ids[first : last + 1]
        del self.ids[first : last + 1]
        self._pos = None
        for sid in removed:
            self._rows.pop(sid, None)
        return removed

    def insert_at(self, first: int, ids: Sequence[int]) -> None:
        self.ids[first:first] = list(ids)
        self._pos = None

    # -- rows ------------------------------------------------------------------------------------

    def row(self, submission_id: int) -> Any:
        entry = self._rows.get(submission_id)
        if entry is None:
            return None
        self._rows.move_to_end(submission_id)
        return entry[1]

    def is_fresh(self, submission_id: int) -> bool:
        entry = self._rows.get(submission_id)
        return entry is not None and entry[0] == self.generation

    def is_gone(self, submission_id: int) -> bool:
        return submission_id in self._gone

    def needs_fetch(self, submission_id: int) -> bool:
        return not (self.is_fresh(submission_id) or submission_id in self._pending or submission_id in self._gone)

    def mark_stale(self) -> None:
        """Rows stay shown but are fetched again the next time they are looked at."""
        self.generation += 1

    def invalidate(self, submission_id: int) -> None:
        entry = self._rows.get(submission_id)
        if entry is not None:
            self._rows[submission_id] = (-1, entry[1])
        self._gone.discard(submission_id)

    def block_for(self, submission_id: int) -> list[int]:
        """Ids of the block holding this id that still need fetching; marks them in flight."""
        row = self.row_of(submission_id)
        if row < 0:
            return []
        start = (row // self.block_size) * self.block_size
        wanted = [sid for sid in self.ids[start : start + self.block_size] if self.needs_fetch(sid)]
        self._pending.update(wanted)
        return wanted

    def store(self, requested: Sequence[int], rows: Iterable[Any], generation: int) -> list[int]:
        """Cache fetched rows; returns the ids whose row changed (to repaint)."""
        got: list[int] = []
        for row in rows:
            sid = row.submission_id
            self._rows[sid] = (generation, row)
            self._rows.move_to_end(sid)
            got.append(sid)
        returned = set(got)
        for sid in requested:
            self._pending.discard(sid)
            if sid not in returned:
                self._gone.add(sid)
                got.append(sid)
        self._evict()
        return got

    def forget_pending(self, requested: Iterable[int]) -> None:
        for sid in requested:
            self._pending.discard(sid)

    def put(self, row: Any) -> None:
        self._rows[row.submission_id] = (self.generation, row)
        self._rows.move_to_end(row.submission_id)
        self._gone.discard(row.submission_id)
        self._evict()

    def cached_ids(self) -> list[int]:
        return list(self._rows)

    @property
    def pending(self) -> frozenset[int]:
        return frozenset(self._pending)

    def _evict(self) -> None:
        while len(self._rows) > self.max_cached_rows:
            self._rows.popitem(last=False)


def diff_runs(old: Sequence[int], new: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """How to turn `old` into `new` with removals then insertions, or None when the order changed.

    Returns (removals as (first, last) positions in `old`, last run first; insertions as (first, last)
    positions in `new`, first run first).
    """
    new_set = set(new)
    old_set = set(old)
    kept_old = [i for i in old if i in new_set]
    kept_new = [i for i in new if i in old_set]
    if kept_old != kept_new:
        return None
    removals = _runs(i for i, sid in enumerate(old) if sid not in new_set)
    removals.reverse()
    insertions = _runs(i for i, sid in enumerate(new) if sid not in old_set)
    return removals, insertions


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for pos in positions:
        if runs and runs[-1][1] == pos - 1:
            runs[-1] = (runs[-1][0], pos)
        else:
            runs.append((pos, pos))
    return runs


class SubmissionQueueModel(QAbstractTableModel):
    """The open submissions, most urgent first; rows arrive from the database worker as they are needed.

    `jobs` is the database worker bridge (`DbJobs`): `jobs.run(fn, on_success, on_failure, label)`.
    """

    sig_loaded = Signal()  # ids (re)loaded
    sig_rows_arrived = Signal(int)  # how many rows one fetch brought
    sig_error = Signal(str)
    sig_unreachable = Signal(str)  # a fetch failed because the database does not answer
    sig_rows_refreshed = Signal(object)  # list of QueueRow whose holder or status changed (refresh_rows)
    sig_left = Signal(object)  # set of ids that left the queue or changed their order (refresh_rows): reload

    MAX_INCREMENTAL_RUNS = 200

    def __init__(
        self,
        jobs: Any,
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
        *,
        block_size: int = 100,
        max_cached_rows: int = 5000,
        kinds: Sequence[str] | None = None,
        tick_ms: int = 30_000,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._clock = clock
        self._kinds = list(kinds) if kinds else None
        self._state = QueueState(block_size, max_cached_rows)
        self._wanted: list[int] = []
        self._flush_scheduled = False
        self._loading = None
        self._reload_again = False
        self._loaded_once = False
        self._paused = False
        self._now = clock()
        self._urgency_seen: dict[int, Urgency] = {}
        self._withheld: set[int] = set()
        self.fetch_count = 0  # fetches sent to the worker (for diagnostics and tests)
        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self.tick)
        self._tick.start()
        self._bold = QFont()
        self._bold.setBold(True)

    # -- public API ------------------------------------------------------------------------------

    @property
    def state(self) -> QueueState:
        return self._state

    @property
    def loaded(self) -> bool:
        return self._loaded_once

    @property
    def loading(self) -> bool:
        return self._loading is not None

    def set_withheld(self, submission_ids: Iterable[int]) -> None:
        """Keep these submissions out of the ids that loads bring, whatever the database says: they were
        decided here and the decisions still wait in the offline journal (a load that reaches the database
        before the journal is sent would bring them back). Rows already shown are the caller's to remove."""
        self._withheld = set(submission_ids)

    @property
    def withheld(self) -> frozenset[int]:
        return frozenset(self._withheld)

    def reload(self) -> None:
        """Ask the worker for the ids again. Rows stay shown and are fetched again when looked at."""
        if self._loading is not None:
            self._reload_again = True
            return
        kinds = self._kinds
        self._loading = self._jobs.run(
            lambda service: service.queue_ids(kinds=kinds),
            on_success=self._on_ids,
            on_failure=self._on_ids_failed,
            label="queue ids",
        )

    refresh = reload

    def set_kinds(self, kinds: Sequence[str] | None) -> None:
        self._kinds = list(kinds) if kinds else None
        self.reload()

    @property
    def kinds(self) -> list[str] | None:
        return list(self._kinds) if self._kinds else None

    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """Paused: rows are not asked for (the database does not answer); cached ones stay shown.

        Resuming asks again for every row that is looked at (they may have changed meanwhile).
        """
        if paused == self._paused:
            return
        self._paused = paused
        if not paused:
            self._state.mark_stale()
            if self._state.ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._state.ids) - 1, COLUMN_COUNT - 1))

    def refresh_rows(self, submission_ids: Iterable[int]) -> list[int]:
        """Fetch these rows again now, if they are in the queue and cached (changed on another workstation).

        Rows still open come back into the cache (`sig_rows_refreshed` lists those whose holder or status
        changed); ids that left the queue (decided, filtered out, gone) are reported by `sig_left`, for the
        caller to reload the ids. Returns the ids asked for.
        """
        ids = [
            sid
            for sid in dict.fromkeys(submission_ids)
            if self._state.row_of(sid) >= 0 and self._state.row(sid) is not None
        ]
        if not ids or self._paused:
            return []
        self.fetch_count += 1
        self._jobs.run(
            lambda service: service.queue_rows(ids),
            on_success=lambda rows: self._on_refreshed(ids, rows),
            on_failure=self._on_refresh_failed,
            label="queue rows",
        )
        return ids

    def _on_refreshed(self, ids: list[int], rows: list[Any]) -> None:
        kinds = set(self._kinds) if self._kinds else None
        changed, left = [], set(ids) - {row.submission_id for row in rows}
        for row in rows:
            sid = row.submission_id
            if self._state.row_of(sid) < 0:
                continue
            if row.status not in OPEN_STATUSES or (kinds is not None and row.kind not in kinds):
                left.add(sid)
                continue
            old = self._state.row(sid)
            if old is not None and old.deadline != row.deadline:
                left.add(sid)  # the order changed: only a reload puts it in its place
            if old is None or (old.claimed_by, old.lease_until, old.status) != (
                row.claimed_by,
                row.lease_until,
                row.status,
            ):
                changed.append(row)
            self._state.put(row)
        self._emit_rows_changed(row.submission_id for row in rows)
        if changed:
            self.sig_rows_refreshed.emit(changed)
        if left:
            self.sig_left.emit(left)

    def _on_refresh_failed(self, exc: BaseException) -> None:
        self._report_failure(exc)

    def row_of(self, submission_id: int) -> int:
        return self._state.row_of(submission_id)

    def submission_id(self, row: int) -> int | None:
        return self._state.id_at(row)

    def queue_row(self, row: int) -> Any:
        """The cached QueueRow at this position, or None while it is loading (never asks the worker)."""
        sid = self._state.id_at(row)
        return self._state.row(sid) if sid is not None else None

    def cached_row(self, submission_id: int) -> Any:
        return self._state.row(submission_id)

    def remove_submission(self, submission_id: int) -> int:
        """Drop a decided submission; returns the row it had, or -1."""
        row = self._state.row_of(submission_id)
        if row < 0:
            return -1
        self.beginRemoveRows(QModelIndex(), row, row)
        self._state.remove_at(row, row)
        self._urgency_seen.pop(submission_id, None)
        self.endRemoveRows()
        return row

    def invalidate(self, submission_id: int) -> None:
        """Fetch this row again (its claim or status changed)."""
        self._state.invalidate(submission_id)
        self._emit_rows_changed([submission_id])

    def update_row(self, row: Any) -> None:
        """Put a fresher QueueRow in the cache (from a detail view that was just loaded)."""
        if self._state.row_of(row.submission_id) < 0:
            return
        self._state.put(row)
        self._emit_rows_changed([row.submission_id])

    def now(self) -> datetime:
        return self._now

    def tick(self) -> None:
        """Every 30 s: the time-left column changes; rows that crossed a threshold repaint whole."""
        self._now = self._clock()
        if not self._state.ids:
            return
        last = len(self._state.ids) - 1
        self.dataChanged.emit(
            self.index(0, COL_TIME_LEFT),
            self.index(last, COL_TIME_LEFT),
            [
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.AccessibleTextRole,
                Qt.ItemDataRole.ForegroundRole,
                Qt.ItemDataRole.FontRole,
                UrgencyRole,
            ],
        )
        crossed = []
        for sid, seen in list(self._urgency_seen.items()):
            row = self._state.row(sid) if self._state.row_of(sid) >= 0 else None
            if row is None:
                self._urgency_seen.pop(sid, None)
                continue
            level = urgency(row.deadline, self._now)
            if level != seen:
                self._urgency_seen[sid] = level
                crossed.append(sid)
        self._emit_rows_changed(crossed)

    def stop_timers(self) -> None:
        self._tick.stop()

    # -- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._state.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return COLUMN_COUNT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.rowCount():
                return str(section + 1)
            return None
        if not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header_titles()[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_TIME_LEFT:
            return self.tr(
                "Time until the promised decision deadline. The queue is ordered by deadline, the most urgent first."
            )
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_TIER:
            return self.tr("Developer tier: 4 or 5 stars get the fast decision deadline.")
        return None

    def _header_titles(self) -> list[str]:
        return [
            self.tr("Time left"),
            self.tr("Kind"),
            self.tr("App"),
            self.tr("Package"),
            self.tr("Version"),
            self.tr("Developer"),
            self.tr("Tier"),
            self.tr("Status"),
            self.tr("Held by"),
            self.tr("Deadline"),
        ]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        r, col = index.row(), index.column()
        if not (0 <= r < len(self._state.ids) and 0 <= col < COLUMN_COUNT):
            return None
        sid = self._state.ids[r]
        if role == SubmissionIdRole:
            return sid
        row = self._state.row(sid)
        if not self._paused and self._state.needs_fetch(sid):
            self._want(sid)
        if role == QueueRowRole:
            return row
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return PLACEHOLDER if not self._state.is_gone(sid) else ""
            if role == Qt.ItemDataRole.ToolTipRole and not self._state.is_gone(sid):
                return self.tr("Loading…")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#888888"))
            return None
        level = urgency(row.deadline, self._now)
        if role == UrgencyRole:
            return level.value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if sid not in self._urgency_seen:
                self._urgency_seen[sid] = level
                if len(self._urgency_seen) > self._state.max_cached_rows:
                    self._urgency_seen.pop(next(iter(self._urgency_seen)))
            if level == Urgency.OVERDUE:
                return QBrush(OVERDUE_COLOR)
            if level == Urgency.SOON:
                return QBrush(SOON_COLOR)
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if level == Urgency.OVERDUE else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_DEADLINE:
                return local_time_text(row.deadline)
            return self._urgency_text(row, level)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(row, col)
            if col == COL_TIME_LEFT and level != Urgency.OK:
                return f"{self._urgency_text(row, level)}: {text}"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_TIME_LEFT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: Any, col: int) -> str:
        if col == COL_TIME_LEFT:
            return time_left_text(row.deadline - self._now)
        if col == COL_KIND:
            return kind_name(row.kind)
        if col == COL_LABEL:
            return row.label or ""
        if col == COL_PACKAGE:
            return row.package or ""
        if col == COL_VERSION:
            return version_text(row.version_name, row.version_code)
        if col == COL_DEVELOPER:
            return row.developer or ""
        if col == COL_TIER:
            return stars(row.tier)
        if col == COL_STATUS:
            return status_name(row.status)
        if col == COL_CLAIMED:
            if row.claimed_by and (row.lease_until is None or row.lease_until >= self._now):
                return row.claimed_by
            return ""
        if col == COL_DEADLINE:
            return short_time_text(row.deadline)
        return ""

    def _urgency_text(self, row: Any, level: Urgency) -> str:
        left = row.deadline - self._now
        if level == Urgency.OVERDUE:
            return self.tr("Overdue by %1").replace("%1", time_left_text(-left))
        if level == Urgency.SOON:
            return self.tr("Due soon: %1 left").replace("%1", time_left_text(left))
        return self.tr("%1 left").replace("%1", time_left_text(left))

    # -- lazy fetching ---------------------------------------------------------------------------

    def _want(self, submission_id: int) -> None:
        self._wanted.append(submission_id)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        wanted, self._wanted = self._wanted, []
        if self._paused:
            return
        for sid in dict.fromkeys(wanted):
            if not self._state.needs_fetch(sid):
                continue
            ids = self._state.block_for(sid)
            if ids:
                self._fetch(ids)

    def _fetch(self, ids: list[int]) -> None:
        generation = self._state.generation
        self.fetch_count += 1
        self._jobs.run(
            lambda service: service.queue_rows(ids),
            on_success=lambda rows: self._on_rows(ids, rows, generation),
            on_failure=lambda exc: self._on_rows_failed(ids, exc),
            label="queue rows",
        )

    def _on_rows(self, ids: list[int], rows: list[Any], generation: int) -> None:
        changed = self._state.store(ids, rows, generation)
        self._emit_rows_changed(changed)
        self.sig_rows_arrived.emit(len(rows))

    def _on_rows_failed(self, ids: list[int], exc: BaseException) -> None:
        self._state.forget_pending(ids)
        self._report_failure(exc)

    def _report_failure(self, exc: BaseException) -> None:
        if is_unreachable(exc):
            self.sig_unreachable.emit(str(exc))
        else:
            self.sig_error.emit(str(exc))

    def _emit_rows_changed(self, submission_ids: Iterable[int]) -> None:
        rows = sorted({r for r in (self._state.row_of(sid) for sid in submission_ids) if r >= 0})
        for first, last in _runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))

    # -- reloading ids ---------------------------------------------------------------------------

    def _on_ids(self, ids: list[int]) -> None:
        self._loading = None
        self._now = self._clock()
        self._apply_ids([sid for sid in ids if sid not in self._withheld])
        self._loaded_once = True
        self.sig_loaded.emit()
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def _on_ids_failed(self, exc: BaseException) -> None:
        self._loading = None
        self._reload_again = False
        self._report_failure(exc)

    def _apply_ids(self, new: list[int]) -> None:
        old = self._state.ids
        self._state.mark_stale()
        plan = diff_runs(old, new) if old else None
        if plan is not None and len(plan[0]) + len(plan[1]) <= self.MAX_INCREMENTAL_RUNS:
            removals, insertions = plan
            for first, last in removals:
                self.beginRemoveRows(QModelIndex(), first, last)
                self._state.remove_at(first, last)
                self.endRemoveRows()
            for first, last in insertions:
                self.beginInsertRows(QModelIndex(), first, last)
                self._state.insert_at(first, new[first : last + 1])
                self.endInsertRows()
            if self._state.ids:
                # Rows already shown are fetched again (claims and statuses change).
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._state.ids) - 1, COLUMN_COUNT - 1))
            return
        self.beginResetModel()
        self._state.set_ids(new)
        self._urgency_seen.clear()
        self.endResetModel()
