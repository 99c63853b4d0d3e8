"""The queue's plain-Python state and the work on its ids, for `queue_model.SubmissionQueueModel`.

`QueueState` holds the ordered ids, the index of their positions behind `row_of`, the bounded cache of
rows and what is in flight. `IdStream`, `finish_reload` and the helpers beside them are the work done on
the database worker: reading the ids page by page, comparing a reload's ids with those shown, and freeing
old structures a piece at a time, so that the GUI thread never does work in proportion to the queue.
No Qt here: it is tested as plain Python (tests/ui/test_queue_state.py).
"""

from __future__ import annotations

import bisect
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Any

NEVER = 1 << 62

# Ids are kept in arrays of 64-bit integers, not lists: a list of a million ids is a million objects
# that every full garbage collection walks (tens of milliseconds with the interpreter lock held, on
# whichever thread it happens), an array is one block of memory that it does not look into; an array
# is also compared and copied with one memcmp/memcpy, and takes 8 bytes an id instead of 36.
Ids = array  # array("q")
Index = list[dict[int, int]]  # {id: position}, in pieces of at most PIECE ids (see `positions`)
PIECE = 1 << 16


def id_array(ids: Iterable[int] = ()) -> Ids:
    return array("q", ids)


class QueueState:
    """Ordered ids plus a bounded cache of their rows; knows which rows are missing or on their way.

    `row_of` is a dict lookup in an index of positions that is built on the database worker and handed
    over ready (`install`, `append`); removing rows does not rebuild it, it records the positions taken
    out and corrects lookups by them (a bisect), so nothing here costs time in proportion to the queue
    on the GUI thread. Rows the count promised whose ids have not arrived yet are `awaiting`: they are
    shown after the ids, as placeholders without an id.
    """

    def __init__(self, block_size: int = 100, max_cached_rows: int = 5000) -> None:
        if block_size < 1:
            raise ValueError("block_size must be positive")
        self.block_size = block_size
        self.max_cached_rows = max(max_cached_rows, block_size * 4)
        self.ids: Ids = id_array()
        self.awaiting = 0
        self._index: Index | None = []  # id -> position when the index was built, in pieces
        self._removed: list[int] = []  # positions (as indexed) taken out since, sorted
        self._removed_ids: list[int] = []
        self._next_position = 0  # indexed position of the next id appended
        self._editing = False  # rows are being inserted and removed: the index is not valid meanwhile
        self.edits = 0  # counts changes to the ids (a plan made against older ids is stale)
        self._rows: OrderedDict[int, tuple[int, Any]] = OrderedDict()  # id -> (generation, QueueRow)
        self._pending: set[int] = set()
        self._gone: set[int] = set()  # asked for, not returned: decided or deleted since
        self.generation = 0

    # -- ids -------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def row_count(self) -> int:
        """Rows to show: the ids, then the placeholders of those still awaited."""
        return len(self.ids) + self.awaiting

    def set_ids(self, ids: Iterable[int]) -> None:
        """Replace the ids; the index is built on the first lookup (small lists: the model uses `install`)."""
        self.install(id_array(ids), None)

    def install(self, ids: Ids, index: Index | None, awaiting: int = 0) -> tuple[Ids, Index | None]:
        """Take over `ids` (not copied) and its index of positions (None: built when first needed).

        Returns the ids and index replaced, for the caller to free where it does not hold up the GUI.
        """
        old = (self.ids, self._index)
        self.ids = ids
        self._index = index
        self._removed, self._removed_ids = [], []
        self._next_position = len(ids)
        self.awaiting = max(0, awaiting)
        self._gone.clear()
        self.edits += 1
        return old

    def append(self, ids: Sequence[int], index: Index, start: int) -> None:
        """Ids that arrived after those shown, with their positions (from `start`); they fill awaited rows."""
        self.ids.extend(ids)
        if self._index is not None and start == self._next_position:
            for piece in index:  # a page at a time into pieces of up to PIECE ids (fewer dicts to look in)
                if self._index and len(self._index[-1]) + len(piece) <= PIECE:
                    self._index[-1].update(piece)
                else:
                    self._index.append(piece)
        else:
            self._index = None  # out of step: rebuilt from the ids when next looked up
        self._next_position = start + len(ids)
        self.awaiting = max(0, self.awaiting - len(ids))
        self.edits += 1

    def replace_index(self, index: Index) -> Index | None:
        """The same positions in other pieces (one dict instead of many); removals recorded stay valid."""
        old, self._index = self._index, index
        return old

    def begin_edit(self) -> Index | None:
        """Rows are about to be inserted and removed in place (`end_edit` installs the new index)."""
        self._editing = True
        old, self._index = self._index, None
        return old

    def end_edit(self, index: Index | None) -> None:
        self._editing = False
        self._index = index
        self._removed, self._removed_ids = [], []
        self._next_position = len(self.ids)

    @property
    def removed_ids(self) -> tuple[int, ...]:
        """Ids removed since the index was installed (what sets the ids apart from those it was built for)."""
        return tuple(self._removed_ids)

    def row_of(self, submission_id: int) -> int:
        if self._editing:
            try:
                return self.ids.index(submission_id)
            except ValueError:
                return -1
        position = self._position(submission_id)
        if position is None:
            return -1
        if self._removed:
            before = bisect.bisect_left(self._removed, position)
            if before < len(self._removed) and self._removed[before] == position:
                return -1
            position -= before
        if position < len(self.ids) and self.ids[position] == submission_id:
            return position
        # Out of step (a bug, not a state the model makes): a wrong row here could get the wrong
        # submission decided, so look it up the slow way and build the index again.
        self._index = None
        try:
            return self.ids.index(submission_id)
        except ValueError:
            return -1

    def _position(self, submission_id: int) -> int | None:
        if self._index is None:
            self._index = positions(self.ids)
            self._removed, self._removed_ids = [], []
            self._next_position = len(self.ids)
        for piece in self._index:
            position = piece.get(submission_id)
            if position is not None:
                return position
        return None

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def remove_at(self, first: int, last: int) -> list[int]:
        removed = self.ids[first : last + 1].tolist()
        if not self._editing and self._index is not None:
            for sid in removed:
                position = self._position(sid)
                if position is not None:
                    bisect.insort(self._removed, position)
                    self._removed_ids.append(sid)
        del self.ids[first : last + 1]
        for sid in removed:
            self._rows.pop(sid, None)
        self.edits += 1
        return removed

    def insert_at(self, first: int, ids: Sequence[int]) -> None:
        self.ids[first:first] = id_array(ids)
        if not self._editing:
            self._index = None  # rebuilt when next looked up
        self.edits += 1

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


# -- work done on the database worker -------------------------------------------------------------
#
# What follows is plain Python that runs in jobs on the database worker: it reads the ids page by page
# and builds what the GUI thread takes over as it is (arrays of ids, the index of positions, the plan of
# row insertions and removals). The worker shares the interpreter lock with the GUI thread, so it avoids
# two things: one C call over a million items (it holds the lock for tens of milliseconds), and long
# loops in Python (the GUI thread waits for the lock at every call Qt makes into the model). Hence the
# index of positions in pieces of at most PIECE ids (built, searched and freed a piece per C call), and
# comparisons of whole slices of arrays (one memcmp each) rather than of ids one by one.


def positions(ids: Sequence[int], start: int = 0, index: Index | None = None) -> Index:
    """{id: start + its index} for these ids, added to `index` (pieces of at most PIECE ids)."""
    index = [] if index is None else index
    done = 0
    while done < len(ids):
        if not index or len(index[-1]) >= PIECE:
            index.append({})
        piece = index[-1]
        part = ids[done : done + PIECE - len(piece)]
        piece.update(zip(part, range(start + done, start + done + len(part)), strict=True))
        done += len(part)
    return index


def position_in(index: Index, sid: int) -> int | None:
    for piece in index:
        position = piece.get(sid)
        if position is not None:
            return position
    return None


def diff_runs(old: Sequence[int], new: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """How to turn `old` into `new` with removals then insertions, or None when the order changed.

    Returns (removals as (first, last) positions in `old`, last run first; insertions as (first, last)
    positions in `new`, first run first).
    """
    return plan_runs(old, new, set(new), set(old))


Plan = tuple[list[tuple[int, int]], list[tuple[int, int]]]


def plan_runs(
    old: Sequence[int],
    new: Sequence[int],
    in_new: Container[int],
    in_old: Container[int],
    max_runs: int | None = None,
    max_changes: int | None = None,
) -> Plan | None:
    """`diff_runs` for long lists that differ in a few places, with the ids' memberships given.

    Walks both lists at once; runs that agree are skipped by comparing growing slices (one memcmp each
    for arrays), so the Python work is in proportion to the changes, not to the lists. None also when
    more than `max_runs` runs or `max_changes` ids change (showing the new list whole is cheaper then).
    """
    if len(old) == len(new) and old == new:
        return [], []
    removals: list[tuple[int, int]] = []
    insertions: list[tuple[int, int]] = []
    changes, i, j = 0, 0, 0
    while i < len(old) and j < len(new):
        same = _common_run(old, i, new, j)
        i, j = i + same, j + same
        if i >= len(old) or j >= len(new):
            break
        if old[i] not in in_new:
            _add_to_runs(removals, i)
            i += 1
        elif new[j] not in in_old:
            _add_to_runs(insertions, j)
            j += 1
        else:
            return None  # both stay, in another order
        changes += 1
        if (max_changes is not None and changes > max_changes) or (
            max_runs is not None and len(removals) + len(insertions) > max_runs
        ):
            return None
    if i < len(old):
        removals.append((i, len(old) - 1))
    if j < len(new):
        insertions.append((j, len(new) - 1))
    if max_runs is not None and len(removals) + len(insertions) > max_runs:
        return None
    removals.reverse()
    return removals, insertions


def _common_run(old: Sequence[int], i: int, new: Sequence[int], j: int) -> int:
    """How many ids agree from old[i] and new[j] on: slices that double while they agree, then halve."""
    left = min(len(old) - i, len(new) - j)
    done, step = 0, 16
    while done < left:
        size = min(step, left - done)
        if old[i + done : i + done + size] != new[j + done : j + done + size]:
            low, high = 0, size  # the first difference is in [low, high)
            while high - low > 1:
                middle = (low + high) // 2
                if old[i + done + low : i + done + middle] == new[j + done + low : j + done + middle]:
                    low = middle
                else:
                    high = middle
            return done + low
        done += size
        step *= 2
    return left


def _add_to_runs(runs: list[tuple[int, int]], position: int) -> None:
    if runs and runs[-1][1] == position - 1:
        runs[-1] = (runs[-1][0], position)
    else:
        runs.append((position, position))


def runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for position in indices:
        _add_to_runs(runs, position)
    return runs


def _without(ids: Ids, index: Index, gone: Iterable[int]) -> Ids:
    """`ids` less a few of them (found by their positions in `index`): copied in slices around them."""
    cuts = sorted(p for p in (position_in(index, sid) for sid in set(gone)) if p is not None)
    if not cuts:
        return ids
    out, start = id_array(), 0
    for cut in cuts:
        out.extend(ids[start:cut])
        start = cut + 1
    out.extend(ids[start:])
    return out


class IdStream:
    """One reading of the queue's ids, a page at a time, on the database worker.

    Keeps every id read once, in order (a submission whose deadline moved between two pages can come
    twice: the second is dropped), and their positions: the index the GUI takes over when the reading
    is complete. Only jobs on the database worker call its methods; the GUI thread reads `ids` and
    `index` only once `done`, when nothing changes them any more.
    """

    def __init__(self, kinds: Sequence[str] | None) -> None:
        self.kinds = list(kinds) if kinds else None
        self.after: Any = None
        self.done = False
        self.ids = id_array()
        self.index: Index = []

    def read(self, service: Any, limit: int, withheld: frozenset[int] = frozenset()) -> tuple[list[int], int]:
        """The next page: (ids new to this reading and not withheld, the position of the first)."""
        page, self.after = service.queue_page(kinds=self.kinds, after=self.after, limit=limit)
        self.done = self.after is None
        index = self.index
        kept = page
        if not (withheld.isdisjoint(page) and all(piece.keys().isdisjoint(page) for piece in index)):
            kept = [sid for sid in page if sid not in withheld and position_in(index, sid) is None]
        start = len(self.ids)
        self.ids.extend(kept)
        positions(kept, start, index)
        return kept, start

    def release(self) -> None:
        """Free what was read (a stream that was given up: nothing else holds its lists)."""
        index, self.ids, self.index = self.index, id_array(), []
        dismantle(index)


class Reloaded:
    """The end of a reload, ready for the GUI: either a plan of runs to remove and insert (the ids shown
    then equal `ids`) or, when there is none, the ids to show instead (`shown`, a copy: the model edits
    the list it shows, and `ids` stays as it was for the next comparison)."""

    __slots__ = ("edits", "ids", "index", "plan", "shown")

    def __init__(
        self,
        ids: Ids,
        index: Index,
        plan: Plan | None,
        shown: Ids | None,
        edits: int,
    ) -> None:
        self.ids = ids
        self.index = index
        self.plan = plan
        self.shown = shown
        self.edits = edits


def finish_reload(
    stream: IdStream,
    shown: tuple[Ids, Index] | None,
    removed: Iterable[int],
    withheld: frozenset[int],
    max_runs: int,
    edits: int,
) -> Reloaded:
    """Compare the ids read with those shown and say how the GUI gets from one to the other.

    `shown`: the ids as last installed and their positions, before `removed` were taken out; None when
    what is shown is incomplete (a fresh load that stopped half way): then the new ids replace it whole.
    """
    ids, index = stream.ids, stream.index
    late = [sid for sid in withheld if position_in(index, sid) is not None]
    if late:  # withheld after the pages were read
        ids = _without(ids, index, late)
        index = positions(ids)
    plan = None
    if shown is not None:
        shown_ids, shown_index = shown
        gone = frozenset(removed)
        old = _without(shown_ids, shown_index, gone)
        plan = plan_runs(old, ids, _Members(index), _Members(shown_index, gone), max_runs, max(1_000, len(ids) // 10))
    return Reloaded(ids, index, plan, None if plan is not None else ids[:], edits)


class _Members:
    """`id in members`: in the index, and not one of those taken out since."""

    __slots__ = ("gone", "index")

    def __init__(self, index: Index, gone: frozenset[int] = frozenset()) -> None:
        self.index, self.gone = index, gone

    def __contains__(self, sid: object) -> bool:
        return isinstance(sid, int) and sid not in self.gone and position_in(self.index, sid) is not None


def weakly(method: Callable[..., None], *args: Any) -> Callable[[Any], None]:
    """A job's callback: `method(*args, value)`, while the object of the method lives. It holds no
    reference to that object, so a model whose job is in flight is freed (on the GUI thread) as soon as
    nothing else holds it: a model kept alive by a reference cycle through its job is freed by the
    garbage collector on whatever thread it runs, and a QObject must not be deleted off its thread."""
    ref = weakref.WeakMethod(method)

    def call(value: Any) -> None:
        bound = ref()
        if bound is not None:
            bound(*args, value)

    return call


def dismantle(*objects: Any) -> None:
    """Empty these dicts (and those in tuples and lists of them) one at a time.

    Freeing an index of a million ids at once is one C call that frees two million ints: the interpreter
    lock is held for tens of milliseconds, on whichever thread drops the last reference. A piece at a
    time (PIECE ids) it is a few milliseconds per call. Only for objects nothing else uses any more.
    """
    for obj in objects:
        if isinstance(obj, (list, tuple)):
            dismantle(*obj)
        elif isinstance(obj, dict):
            obj.clear()


def released_on_worker(box: list[Any]) -> Callable[[Any], None]:
    def release(_service: Any) -> None:
        objects = tuple(box)
        box.clear()
        dismantle(*objects)

    return release


class Load:
    """One load of the ids in flight: `fresh` ones show pages as they come (the model had nothing to keep),
    the others replace what is shown once every id is read."""

    __slots__ = ("announce", "fresh", "stream", "withheld")

    def __init__(self, stream: IdStream, fresh: bool, announce: bool, withheld: frozenset[int]) -> None:
        self.stream = stream
        self.fresh = fresh
        self.announce = announce  # sig_loaded as soon as the first page is shown (else: when complete)
        self.withheld = withheld  # as the pages now read were asked for
