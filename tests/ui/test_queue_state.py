"""The plain-Python parts of the queue model: the ids and their index (QueueState), the reading of the
ids page by page and the comparison of a reload with what is shown (done on the database worker)."""

from __future__ import annotations

import random

import pytest

from reviewer_app.ui import queue_state
from reviewer_app.ui.queue_state import (
    IdStream,
    QueueState,
    diff_runs,
    dismantle,
    finish_reload,
    id_array,
    plan_runs,
    position_in,
    positions,
)


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of 7 ids, so that a few dozen ids cross piece boundaries."""
    monkeypatch.setattr(queue_state, "PIECE", 7)


def apply_plan(old, new, plan):
    out = list(old)
    removals, insertions = plan
    for first, last in removals:  # last run first: positions before it stay valid
        del out[first : last + 1]
    for first, last in insertions:
        out[first:first] = new[first : last + 1]
    return out


def test_positions_come_in_pieces_and_continue_a_partial_one(small_pieces):
    index = positions([10, 11, 12, 13, 14], start=0)
    positions([15, 16, 17, 18, 19, 20], start=5, index=index)
    assert [len(piece) for piece in index] == [7, 4]
    assert [position_in(index, sid) for sid in range(10, 21)] == list(range(11))
    assert position_in(index, 99) is None


def test_row_of_follows_appends_and_removals_without_rebuilding_the_index(small_pieces):
    rng = random.Random(7)
    state = QueueState(block_size=5)
    reference: list[int] = []
    next_id, position = 1000, 0
    for _ in range(40):
        page = [next_id + i for i in range(rng.randint(0, 9))]
        next_id += len(page) + rng.randint(0, 3)
        state.append(page, positions(page, position), position)
        position += len(page)
        reference += page
        for _ in range(rng.randint(0, 2)):
            if reference:
                row = rng.randrange(len(reference))
                assert state.remove_at(row, row) == [reference.pop(row)]
        built = state._index
        assert list(state.ids) == reference
        assert all(state.row_of(sid) == row for row, sid in enumerate(reference))
        assert state._index is built, "the index was rebuilt"
    assert state.row_of(999) == -1
    assert len(state.removed_ids) > 10


def test_a_removed_id_has_no_row_and_its_neighbours_move_up():
    state = QueueState()
    state.install(id_array([5, 6, 7, 8]), positions([5, 6, 7, 8]))
    state.remove_at(1, 2)
    assert [state.row_of(sid) for sid in (5, 6, 7, 8)] == [0, -1, -1, 1]
    assert state.removed_ids == (6, 7)


def test_awaited_rows_are_counted_until_their_ids_arrive():
    state = QueueState()
    state.install(id_array([1, 2]), positions([1, 2]), awaiting=3)
    assert (len(state), state.row_count) == (2, 5)
    state.append([3, 4], positions([3, 4], 2), 2)
    assert (len(state), state.row_count) == (4, 5)
    state.append([5, 6], positions([5, 6], 4), 4)  # one more than counted
    assert (len(state), state.row_count) == (6, 6)
    assert state.row_of(6) == 5


def test_an_index_out_of_step_is_never_trusted():
    state = QueueState()
    state.install(id_array([1, 2, 3]), positions([1, 2, 3]))
    state.append([4, 5], positions([4, 5], 7), 7)  # positions that do not continue the ids
    assert [state.row_of(sid) for sid in (1, 2, 3, 4, 5)] == [0, 1, 2, 3, 4]


def test_plan_runs_agrees_with_a_plain_comparison_on_random_changes():
    rng = random.Random(11)
    for _ in range(300):
        old = rng.sample(range(10_000), rng.randint(0, 60))
        kept = [sid for sid in old if rng.random() > 0.15]
        new = list(kept)
        for sid in rng.sample(range(10_000, 11_000), rng.randint(0, 8)):
            new.insert(rng.randint(0, len(new)), sid)
        if len(kept) > 1 and rng.random() < 0.2:
            a, b = rng.sample(range(len(new)), 2)
            new[a], new[b] = new[b], new[a]
        plan = plan_runs(id_array(old), id_array(new), set(new), set(old))
        expected = naive_plan(old, new)
        assert plan == expected, (old, new)
        if plan is not None:
            assert apply_plan(old, new, plan) == new


def naive_plan(old, new):
    """The comparison as it was done on the GUI thread before (every id looked at)."""
    new_set, old_set = set(new), set(old)
    if [i for i in old if i in new_set] != [i for i in new if i in old_set]:
        return None
    removals = queue_state.runs(i for i, sid in enumerate(old) if sid not in new_set)
    removals.reverse()
    return removals, queue_state.runs(i for i, sid in enumerate(new) if sid not in old_set)


def test_plan_runs_gives_up_on_too_many_runs_or_changes():
    old = list(range(0, 100, 2))
    new = [sid for sid in old if sid % 10] + [1000, 1001]
    assert plan_runs(old, new, set(new), set(old)) is not None
    assert plan_runs(old, new, set(new), set(old), max_runs=3) is None
    assert plan_runs(old, new, set(new), set(old), max_changes=5) is None
    assert diff_runs([1, 2, 3], [1, 2, 3]) == ([], [])


def test_plan_runs_on_a_million_ids_with_a_few_changes():
    old = id_array(range(1_000_000))
    new = id_array(old)
    del new[999_000]
    del new[500_000:500_003]
    new.insert(10, 5_000_000)
    plan = plan_runs(old, new, set(new), set(old), max_runs=10)
    assert plan == ([(999_000, 999_000), (500_000, 500_002)], [(10, 10)])


class PagedService:
    """queue_page over a list; `moves` changes the list between two pages (a deadline moved)."""

    def __init__(self, ids, moves=None):
        self.ids = list(ids)
        self.moves = moves or {}
        self.calls = 0

    def queue_page(self, kinds=None, statuses=None, after=None, limit=10):
        self.calls += 1
        if self.calls in self.moves:
            self.moves[self.calls](self.ids)
        start = 0 if after is None else self.ids.index(after) + 1
        page = self.ids[start : start + limit]
        return page, (page[-1] if len(page) == limit else None)


def read_all(stream, service, limit, withheld=frozenset()):
    while not stream.done:
        stream.read(service, limit, withheld)


def test_a_stream_drops_repeats_and_withheld_ids(small_pieces):
    def move_3_to_the_end(ids):
        ids.remove(3)
        ids.append(3)

    service = PagedService(range(1, 31), moves={2: move_3_to_the_end})
    stream = IdStream(None)
    read_all(stream, service, 5, withheld=frozenset({7, 29}))
    assert list(stream.ids) == [i for i in range(1, 31) if i not in (7, 29)]
    assert [position_in(stream.index, sid) for sid in stream.ids] == list(range(len(stream.ids)))
    assert all(len(piece) <= 7 for piece in stream.index)


def test_finish_reload_compares_with_what_is_shown_less_what_was_removed():
    shown_ids = id_array(range(1, 101))
    shown = (shown_ids, positions(shown_ids))
    database = [i for i in range(1, 101) if i not in (10, 11, 50)] + [200]
    database.insert(0, 300)
    stream = IdStream(None)
    read_all(stream, PagedService(database), 30)

    result = finish_reload(stream, shown, removed=[50], withheld=frozenset({200}), max_runs=10, edits=4)
    gui_ids = [i for i in range(1, 101) if i != 50]  # 50 was decided here and removed from the model
    assert result.plan is not None and result.shown is None and result.edits == 4
    assert apply_plan(gui_ids, list(result.ids), result.plan) == list(result.ids)
    assert list(result.ids) == [i for i in database if i != 200]  # withheld after its page was read
    assert [position_in(result.index, sid) for sid in result.ids] == list(range(len(result.ids)))

    reordered = finish_reload(
        stream, (id_array(reversed(shown_ids)), positions(shown_ids[::-1])), [], frozenset(), 10, 0
    )
    assert reordered.plan is None and list(reordered.shown) == list(stream.ids)
    assert reordered.shown is not stream.ids  # a copy: the model edits the ids it shows
    incomplete = finish_reload(stream, None, [], frozenset(), 10, 0)
    assert incomplete.plan is None


def test_dismantle_empties_the_dicts_it_is_given():
    a, b = {1: 2}, {3: 4}
    dismantle(([a], (id_array([1]), [b])), None)
    assert a == {} and b == {}
