"""The review queue as a Qt table model that opens fast at any size (a million rows and more).

The model holds only the ordered submission ids (earliest deadline first, loaded in the background).
Rows are built lazily: when a view asks `data()` for a row that is not cached, the model shows a
placeholder and asks the database worker for the block of rows around it; when they arrive it emits
`dataChanged`. Blocks in flight are not asked for twice, and the cache of rows is bounded (LRU).

The ids come in pages (`SubmissionQueueModel` explains the first answer and the pages after it). Work in
proportion to the size of the queue (reading the ids, the index of positions behind `row_of`, comparing
the ids of a reload with those shown, even freeing the old lists) runs on the database worker, which
hands plain-Python structures over ready; the GUI thread does work in proportion to a page at most.

`QueueState` is the plain-Python part (ids, positions, row cache, in-flight bookkeeping); `IdStream`,
`finish_reload` and the helpers beside them are the plain-Python work done on the worker;
`SubmissionQueueModel` adapts them to Qt and never calls the service itself.

While the database does not answer the model can be paused: rows it holds stay shown, missing ones keep
their placeholder instead of being asked for again and again. Changes made on other workstations come in
through `refresh_rows` (rows to fetch again now) and `reload` (ids again).
"""

from __future__ import annotations

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
from reviewer_app.ui.queue_columns import (
    COL_DEADLINE,
    COL_RISK,
    COL_TIME_LEFT,
    COLUMN_COUNT,
    OVERDUE_COLOR,
    SOON_COLOR,
    QueueRowRole,
    SubmissionIdRole,
    UrgencyRole,
    cell_text,
    header_tip,
    header_title,
    risk_data,
    urgency_text,
)
from reviewer_app.ui.queue_state import (
    NEVER,
    Ids,
    IdStream,
    Index,
    Load,
    QueueState,
    Reloaded,
    finish_reload,
    id_array,
    positions,
    released_on_worker,
    runs,
    weakly,
)
from reviewer_app.ui.text import (
    local_time_text,
)

PLACEHOLDER = "…"
# Asked for every cell painted: combining the flags each time costs more than the rest of data().
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
# The roles data() answers; any other is None at once. A role data() starts answering (a decoration
# for a risk column, say) goes in here too.
_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        SubmissionIdRole,
        QueueRowRole,
        UrgencyRole,
    )
)


class SubmissionQueueModel(QAbstractTableModel):
    """The open submissions, most urgent first; rows arrive from the database worker as they are needed.

    `jobs` is the database worker bridge (`DbJobs`): `jobs.run(fn, on_success, on_failure, label)`.

    Loading the ids never waits for all of them. The first answer is small: the count, the first page of
    ids and the rows of the first block, so the first screen paints at once; the other ids follow a page
    per job (other work runs between pages), each appended in one step. A reload of a queue already
    shown reads all pages first, and the worker compares them with what is shown: the GUI applies a
    ready plan of row removals and insertions (the selection stays), or swaps the whole list in.
    """

    sig_loaded = Signal()  # ids (re)loaded: the first screen of a first load, or every id of a reload
    sig_complete = Signal()  # every id of the load is in place (after sig_loaded; at once for a reload)
    sig_rows_arrived = Signal(int)  # how many rows one fetch brought
    sig_error = Signal(str)
    sig_unreachable = Signal(str)  # a fetch failed because the database does not answer
    sig_rows_refreshed = Signal(object)  # list of QueueRow whose holder or status changed (refresh_rows)
    sig_left = Signal(object)  # set of ids that left the queue or changed their order (refresh_rows): reload

    MAX_INCREMENTAL_RUNS = 200
    # Each run inserted or removed moves the rows after it (in the list and in the views): above this
    # many rows moved in all, a reload resets the model instead (the window puts the selection back).
    MAX_INCREMENTAL_MOVES = 20_000_000
    HEAD_SIZE = 1_000  # ids in the first answer
    PAGE_SIZE = 5_000  # ids per page after it (one short job on the database worker each)

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
        head_size: int | None = None,
        page_size: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._clock = clock
        self._kinds = list(kinds) if kinds else None
        self._state = QueueState(block_size, max_cached_rows)
        self._head_size = max(head_size or self.HEAD_SIZE, block_size)
        self._page_size = max(1, page_size or self.PAGE_SIZE)
        self._wanted: list[int] = []
        self._flush_scheduled = False
        self._load: Load | None = None
        self._load_job: Any = None  # its job in flight (never kept after: it refers to the model)
        self._seen_awaited = (NEVER, -1)  # the first and last awaited rows a view asked for (see _on_page)
        self._complete = True  # the ids shown are those of a whole load (else: a fresh load stopped half way)
        # The ids as last installed, and their positions (see finish_reload): the worker's to read.
        self._shown: tuple[Ids, Index] | None = (id_array(), [])
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
        """Ids are on their way (also while the rest of a first load streams in after sig_loaded)."""
        return self._load is not None

    @property
    def complete(self) -> bool:
        """Every id of the last load is in place (rows still come as they are looked at)."""
        return self._load is None and self._complete

    @property
    def reload_pending(self) -> bool:
        """Another load follows the one that just ended (a reload was asked for while it ran)."""
        return self._reload_again

    def set_withheld(self, submission_ids: Iterable[int]) -> None:
        """Keep these submissions out of the ids that loads bring, whatever the database says: they were
        decided here and the decisions still wait in the offline journal (a load that reaches the database
        before the journal is sent would bring them back). Rows already shown are the caller's to remove."""
        self._withheld = set(submission_ids)

    @property
    def withheld(self) -> frozenset[int]:
        return frozenset(self._withheld)

    def reload(self) -> None:
        """Ask the worker for the ids again. Rows stay shown and are fetched again when looked at.

        While a load is in flight, another follows it."""
        if self._load is not None:
            self._reload_again = True
            return
        state = self._state
        fresh = state.row_count == 0 or not self._complete
        load = Load(IdStream(self._kinds), fresh, state.row_count == 0, frozenset(self._withheld))
        self._load = load
        if fresh:
            self._request_head(load)
        else:
            self._request_page(load)

    refresh = reload

    def set_kinds(self, kinds: Sequence[str] | None) -> None:
        """Show these kinds only (None: all). A load in flight for the old ones is dropped."""
        self._kinds = list(kinds) if kinds else None
        if self._load is not None:
            self._drop_load()
            self._reload_again = False
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
            self._emit_all_changed()

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
            on_success=weakly(self._on_refreshed, ids),
            on_failure=weakly(self._on_refresh_failed),
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
        low, high = self._seen_awaited
        if high >= 0:  # the awaited rows move up with the others
            self._seen_awaited = (low - 1, high - 1)
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
        if not self._state.row_count:
            return
        last = self._state.row_count - 1
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
        return self._state.row_count

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
            return header_title(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return header_tip(section)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every cell painted: roles never answered go first, the rest are
        # compared as plain ints (the table's indexes have no parent to check).
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        r, col = index.row(), index.column()
        if not (0 <= r < len(self._state.ids) + self._state.awaiting and 0 <= col < COLUMN_COUNT):
            return None
        if r >= len(self._state.ids):  # counted, its id not read yet
            self._seen_awaited = (min(r, self._seen_awaited[0]), max(r, self._seen_awaited[1]))
            return self._awaited_data(role)
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
            return cell_text(row, col, self._now)
        if col == COL_RISK and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole):
            return risk_data(row, role)
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
            return urgency_text(row, level, self._now)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = cell_text(row, col, self._now)
            if col == COL_RISK:
                return self.tr("%n red flag(s)", "", len(row.red_flags))
            if col == COL_TIME_LEFT and level != Urgency.OK:
                return f"{urgency_text(row, level, self._now)}: {text}"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_TIME_LEFT:
                return _ALIGN_RIGHT
            return _ALIGN_LEFT
        return None

    def _awaited_data(self, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return PLACEHOLDER
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Loading…")
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#888888"))
        return None

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
            on_success=weakly(self._on_rows, ids, generation),
            on_failure=weakly(self._on_rows_failed, ids),
            label="queue rows",
        )

    def _on_rows(self, ids: list[int], generation: int, rows: list[Any]) -> None:
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
        for first, last in runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))

    def _emit_all_changed(self) -> None:
        if self._state.row_count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._state.row_count - 1, COLUMN_COUNT - 1))

    # -- loading ids -----------------------------------------------------------------------------

    def _request_head(self, load: Load) -> None:
        """The first answer of a fresh load: count, first page of ids, rows of the first block."""
        stream, withheld, limit, block = load.stream, load.withheld, self._head_size, self._state.block_size

        def head(service: Any) -> tuple[int, Ids, Index, list[Any]]:
            total = service.queue_count(kinds=stream.kinds, exclude=withheld)
            ids, start = stream.read(service, limit, withheld)
            rows = service.queue_rows(ids[:block]) if ids else []
            return total, id_array(ids), positions(ids, start), rows

        self.fetch_count += 1  # the rows of the first block come with it
        self._load_job = self._jobs.run(
            head,
            on_success=weakly(self._on_head, load),
            on_failure=weakly(self._on_load_failed, load),
            label="queue ids",
        )

    def _request_page(self, load: Load) -> None:
        """The next page. A fresh load shows it; a reload keeps it on the worker, and after the last page
        compares there what it read with what is shown (in the same job: a short queue reloads in one)."""
        stream, withheld, limit, fresh = load.stream, frozenset(self._withheld), self._page_size, load.fresh
        load.withheld = withheld
        finish = None if fresh else self._finisher(load)

        def page(service: Any) -> tuple[list[int], Index | None, int, Reloaded | None]:
            ids, start = stream.read(service, limit, withheld)
            if fresh:
                return ids, positions(ids, start), start, None
            return ids, None, start, finish() if finish is not None and stream.done else None

        self._load_job = self._jobs.run(
            page,
            on_success=weakly(self._on_page, load),
            on_failure=weakly(self._on_load_failed, load),
            label="queue ids",
        )

    def _finisher(self, load: Load) -> Callable[[], Reloaded]:
        """finish_reload for this load, with the model's ids as they are now (see Reloaded.edits)."""
        state = self._state
        stream, shown, removed = load.stream, self._shown if self._complete else None, state.removed_ids
        withheld, edits = frozenset(self._withheld), state.edits
        max_runs = min(self.MAX_INCREMENTAL_RUNS, self.MAX_INCREMENTAL_MOVES // max(1, state.row_count))
        return lambda: finish_reload(stream, shown, removed, withheld, max_runs, edits)

    def _request_finish(self, load: Load) -> None:
        """Compare (again) on the worker the ids read with those shown."""
        finish = self._finisher(load)
        self._load_job = self._jobs.run(
            lambda _service: finish(),
            on_success=weakly(self._on_finished, load),
            on_failure=weakly(self._on_load_failed, load),
            label="queue ids",
            needs_service=False,
        )

    def _on_head(self, load: Load, result: tuple[int, Ids, Index, list[Any]]) -> None:
        if load is not self._load:
            return
        self._load_job = None
        total, ids, index, rows = result
        state = self._state
        self._now = self._clock()
        self.beginResetModel()
        state.mark_stale()
        old = state.install(ids, index, 0 if load.stream.done else total - len(ids))
        self._urgency_seen.clear()
        self._seen_awaited = (NEVER, -1)
        self.endResetModel()
        self._complete = False
        self._release(old, self._shown)
        self._shown = None
        state.store(ids[: state.block_size], rows, state.generation)
        self.sig_rows_arrived.emit(len(rows))
        self._remove_late_withheld(load, ids)
        if load.announce:
            self._loaded_once = True
            self.sig_loaded.emit()
        if load is self._load:  # a slot above may have changed the kinds
            self._after_page(load)

    def _on_page(self, load: Load, result: tuple[list[int], Index | None, int, Reloaded | None]) -> None:
        if load is not self._load:
            return
        self._load_job = None
        ids, index, start, finished = result
        if finished is not None:
            self._on_finished(load, finished)
            return
        if index is None:  # a reload: pages are kept on the worker until all are read
            self._after_page(load)
            return
        state = self._state
        first = len(state.ids)
        filled = min(len(ids), state.awaiting)
        if len(ids) > filled:  # more than the count said: rows are added at the end
            self.beginInsertRows(QModelIndex(), first + filled, first + len(ids) - 1)
            state.append(ids, index, start)
            self.endInsertRows()
        else:
            state.append(ids, index, start)
        # Rows that got their id repaint if a view has shown them (a view repaints all it shows for
        # a change of many rows: once a page, that would be all the time while the ids stream in).
        low, high = max(first, self._seen_awaited[0]), min(first + filled - 1, self._seen_awaited[1])
        if low <= high:
            self.dataChanged.emit(self.index(low, 0), self.index(high, COLUMN_COUNT - 1))
        self._seen_awaited = (max(first + filled, self._seen_awaited[0]), self._seen_awaited[1])
        self._remove_late_withheld(load, ids)
        self._after_page(load)

    def _after_page(self, load: Load) -> None:
        if not load.stream.done:
            self._request_page(load)
        elif not load.fresh:
            self._request_finish(load)
        else:
            self._finish_fresh(load)

    def _finish_fresh(self, load: Load) -> None:
        state = self._state
        if state.awaiting:  # fewer than the count said
            first = len(state.ids)
            self.beginRemoveRows(QModelIndex(), first, first + state.awaiting - 1)
            state.awaiting = 0
            self.endRemoveRows()
        # The same positions in the worker's pieces (held once for the GUI and the next comparison);
        # ids removed meanwhile stay recorded.
        self._release(state.replace_index(list(load.stream.index)))
        self._shown = (load.stream.ids, load.stream.index)
        self._complete = True
        self._end_load(load, announce=not load.announce)

    def _on_finished(self, load: Load, result: Reloaded) -> None:
        if load is not self._load:
            return
        self._load_job = None
        state = self._state
        if result.edits != state.edits or not load.withheld >= self._withheld:
            # Rows were removed, or more withheld, since the comparison started: compare again.
            load.withheld = frozenset(self._withheld)
            late = result.index is not load.stream.index
            self._release(result.shown, *((result.ids, result.index) if late else ()))
            self._request_finish(load)
            return
        self._now = self._clock()
        state.mark_stale()
        if result.plan is not None:
            removals, insertions = result.plan
            old_index = state.begin_edit()
            for first, last in removals:
                self.beginRemoveRows(QModelIndex(), first, last)
                state.remove_at(first, last)
                self.endRemoveRows()
            for first, last in insertions:
                self.beginInsertRows(QModelIndex(), first, last)
                state.insert_at(first, result.ids[first : last + 1])
                self.endInsertRows()
            state.end_edit(list(result.index))
            self._release(old_index, self._shown)
            # Rows already shown are fetched again (claims and statuses change).
            self._emit_all_changed()
        else:
            assert result.shown is not None
            self.beginResetModel()
            old = state.install(result.shown, list(result.index))
            self._urgency_seen.clear()
            self.endResetModel()
            self._release(old, self._shown)
        if result.index is not load.stream.index:  # ids withheld late: the stream's lists are not used
            self._release(load.stream.ids, load.stream.index)
        self._shown = (result.ids, result.index)
        self._complete = True
        self._end_load(load, announce=True)

    def _end_load(self, load: Load, announce: bool) -> None:
        self._load = None
        if announce:
            self._loaded_once = True
            self.sig_loaded.emit()
        self.sig_complete.emit()
        if self._reload_again and self._load is None:
            self._reload_again = False
            self.reload()

    def _remove_late_withheld(self, load: Load, ids: Sequence[int]) -> None:
        """Ids withheld after their page was asked for (the window removed the rows it had already)."""
        late = self._withheld - load.withheld
        if late:
            for sid in late.intersection(ids):
                self.remove_submission(sid)

    def _on_load_failed(self, load: Load, exc: BaseException) -> None:
        if load is not self._load:
            return
        self._load_job = None
        self._drop_load()
        self._reload_again = False
        self._report_failure(exc)

    def _drop_load(self) -> None:
        """Forget the load in flight; a fresh one stopped half way leaves the ids read so far shown."""
        load, self._load = self._load, None
        if load is None:
            return
        if self._load_job is not None:
            self._load_job.cancel()
            self._load_job = None
        if load.fresh:
            self._complete = False
            state = self._state
            if state.awaiting:
                first = len(state.ids)
                self.beginRemoveRows(QModelIndex(), first, first + state.awaiting - 1)
                state.awaiting = 0
                self.endRemoveRows()
        stream = load.stream
        self._jobs.run(lambda _service: stream.release(), label="queue ids", local=True, needs_service=False)

    def _release(self, *objects: Any) -> None:
        """Free big lists and dicts that nothing uses any more, on the worker, a slice at a time (see
        `dismantle`): the last reference to each is handed over in the job, none stays here."""
        box = [obj for obj in objects if obj]
        if box:
            self._jobs.run(released_on_worker(box), label="queue ids", local=True, needs_service=False)
