"""The queue model: lazy rows, 100,000 submissions, urgency marks, refresh and removal."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from reviewer_app.review import QueueRow, ReviewService
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.queue_columns import (
    COL_CLAIMED,
    COL_DEADLINE,
    COL_LABEL,
    COL_TIME_LEFT,
    COLUMN_COUNT,
    OVERDUE_COLOR,
    SOON_COLOR,
    QueueRowRole,
    UrgencyRole,
)
from reviewer_app.ui.queue_model import PLACEHOLDER, SubmissionQueueModel
from reviewer_app.ui.queue_state import QueueState, diff_runs

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class StubQueueService:
    """A queue of `count` submissions in plain Python: the thing under test is the model's laziness."""

    def __init__(self, count: int, first_deadline: datetime = T0 + timedelta(hours=1)) -> None:
        self.ids = list(range(1, count + 1))
        self.first_deadline = first_deadline
        self.row_calls: list[list[int]] = []
        self.page_calls: list[tuple[object, int]] = []
        self.count_calls = 0
        self.threads: set[threading.Thread] = set()
        self.lock = threading.Lock()

    def queue_ids(self, kinds=None, statuses=None):
        with self.lock:
            self.threads.add(threading.current_thread())
        return list(self.ids)

    def queue_count(self, kinds=None, statuses=None, exclude=()):
        with self.lock:
            self.threads.add(threading.current_thread())
            self.count_calls += 1
        left_out = set(exclude)
        return sum(1 for i in self.ids if i not in left_out)

    def queue_page(self, kinds=None, statuses=None, after=None, limit=10_000):
        """Pages by position in `ids` (the key is the position after the page)."""
        with self.lock:
            self.threads.add(threading.current_thread())
            self.page_calls.append((after, limit))
        start = after or 0
        page = self.ids[start : start + limit]
        end = start + len(page)
        return list(page), end if end < len(self.ids) else None

    def queue_rows(self, ids):
        with self.lock:
            self.threads.add(threading.current_thread())
            self.row_calls.append(list(ids))
        return [self.row(i) for i in ids if i in set(self.ids)]

    def row(self, sid: int) -> QueueRow:
        return QueueRow(
            submission_id=sid,
            kind="update" if sid % 3 else "new",
            package=f"com.example.app{sid}",
            label=f"App {sid}",
            developer=f"Developer {sid % 97}",
            tier=1 + sid % 5,
            submitted_at=T0 - timedelta(hours=1),
            deadline=self.first_deadline + timedelta(seconds=sid),
            status="pending",
            claimed_by=None,
            lease_until=None,
            version_code=sid,
            version_name=f"1.{sid}",
        )

    @property
    def fetched(self) -> list[int]:
        with self.lock:
            return [i for call in self.row_calls for i in call]

    def close(self) -> None:
        pass


@pytest.fixture
def jobs_for():
    """jobs_for(service): a real database worker thread around any service object; stopped at the end."""
    made = []

    def make(service):
        jobs = DbJobs(lambda: service)
        made.append(jobs)
        return jobs

    yield make
    for jobs in made:
        assert jobs.shutdown()


def test_qtmodeltester_on_the_queue_model_with_a_real_database(
    qtbot, qtmodeltester, service, file_submission, jobs_for
):
    for n in range(5):
        file_submission(label=f"App {n}", due_in=timedelta(minutes=20 * n - 30))
    model = SubmissionQueueModel(jobs_for(ReviewService(service.settings)), service.clock)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=10_000)
    qtmodeltester.check(model, force_py=True)
    qtbot.waitUntil(lambda: all(model.queue_row(r) is not None for r in range(5)), timeout=10_000)
    qtmodeltester.check(model, force_py=True)


def test_100k_rows_are_built_lazily_and_never_on_the_gui_thread(qtbot, jobs_for):
    stub = StubQueueService(100_000)
    model = SubmissionQueueModel(jobs_for(stub), FakeClock(), block_size=100)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.verticalHeader().setDefaultSectionSize(24)
    view.show()
    qtbot.waitExposed(view)

    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 100_000

    # The first screen arrives: the first block only.
    qtbot.waitUntil(lambda: model.queue_row(0) is not None, timeout=10_000)
    assert set(stub.fetched) <= set(range(1, 101))

    # Asking data() for an uncached row returns a placeholder at once and does not call the service.
    calls = len(stub.row_calls)
    assert model.data(model.index(50_000, COL_LABEL)) == PLACEHOLDER
    assert len(stub.row_calls) == calls

    # Scrolling to the end fetches the blocks that become visible, nothing in between.
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.queue_row(99_999) is not None, timeout=10_000)
    qtbot.waitUntil(lambda: model.state.pending == frozenset(), timeout=10_000)
    fetched = set(stub.fetched)
    assert len(fetched) <= 400
    middle = {i for i in fetched if 201 <= i <= 99_700} - {50_001}
    assert not middle - set(range(50_001, 50_101)), "rows fetched that were never on screen"
    assert model.data(model.index(99_999, COL_LABEL)) == "App 100000"
    assert model.fetch_count <= 4

    assert threading.main_thread() not in stub.threads
    assert len(stub.threads) == 1  # the one database worker


def test_blocks_in_flight_are_not_asked_for_twice(qtbot, jobs_for):
    stub = StubQueueService(1_000)
    model = SubmissionQueueModel(jobs_for(stub), FakeClock(), block_size=50)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    for _ in range(3):
        for row in range(50):
            model.data(model.index(row, COL_LABEL))
    qtbot.waitUntil(lambda: model.queue_row(49) is not None, timeout=10_000)
    assert stub.row_calls == [list(range(1, 51))]


def test_the_row_cache_is_bounded():
    state = QueueState(block_size=10, max_cached_rows=40)
    state.set_ids(range(1, 1001))
    stub = StubQueueService(1000)
    for start in range(0, 1000, 10):
        ids = state.block_for(start + 1)
        state.store(ids, stub.queue_rows(ids), state.generation)
    assert len(state.cached_ids()) == 40
    assert state.row(1000) is not None and state.row(1) is None


def test_overdue_and_soon_rows_are_marked(qtbot, jobs_for):
    clock = FakeClock()
    stub = StubQueueService(3, first_deadline=T0)
    overdue, soon, later = (stub.row(i) for i in (1, 2, 3))
    rows = {
        1: QueueRow(**{**overdue.__dict__, "deadline": T0 - timedelta(hours=2, minutes=5)}),
        2: QueueRow(**{**soon.__dict__, "deadline": T0 + timedelta(minutes=12)}),
        3: QueueRow(**{**later.__dict__, "deadline": T0 + timedelta(hours=5)}),
    }
    stub.row = rows.__getitem__
    model = SubmissionQueueModel(jobs_for(stub), clock)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    model.data(model.index(0, 0))
    qtbot.waitUntil(lambda: model.queue_row(2) is not None, timeout=10_000)

    def role(row, r, col=COL_TIME_LEFT):
        return model.data(model.index(row, col), r)

    assert role(0, Qt.ItemDataRole.DisplayRole) == "-2h 05m"
    assert role(0, UrgencyRole) == "overdue"
    assert role(0, Qt.ItemDataRole.ForegroundRole).color() == OVERDUE_COLOR
    assert role(0, Qt.ItemDataRole.ForegroundRole, COL_LABEL).color() == OVERDUE_COLOR  # the whole row
    assert role(0, Qt.ItemDataRole.FontRole).bold()
    assert "Overdue" in role(0, Qt.ItemDataRole.ToolTipRole)
    assert "Overdue" in role(0, Qt.ItemDataRole.AccessibleTextRole)

    assert role(1, UrgencyRole) == "soon"
    assert role(1, Qt.ItemDataRole.ForegroundRole).color() == SOON_COLOR
    assert not role(1, Qt.ItemDataRole.FontRole)
    assert role(1, Qt.ItemDataRole.DisplayRole) == "12m"

    assert role(2, UrgencyRole) == "ok"
    assert role(2, Qt.ItemDataRole.ForegroundRole) is None
    assert role(2, Qt.ItemDataRole.DisplayRole) == "5h 00m"
    assert role(2, Qt.ItemDataRole.DisplayRole, COL_DEADLINE)  # local time, to the minute


def test_the_timer_refreshes_the_time_left_column_only(qtbot, jobs_for):
    clock = FakeClock()
    stub = StubQueueService(300, first_deadline=T0 + timedelta(minutes=31))
    model = SubmissionQueueModel(jobs_for(stub), clock, block_size=100)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    for row in range(3):
        model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole)
    qtbot.waitUntil(lambda: model.queue_row(2) is not None, timeout=10_000)
    for row in range(3):
        model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole)  # painted once: urgency seen

    changes = []
    model.dataChanged.connect(lambda tl, br, roles=(): changes.append((tl.row(), tl.column(), br.row(), br.column())))
    model.tick()  # nothing crossed a threshold
    assert changes == [(0, COL_TIME_LEFT, 299, COL_TIME_LEFT)]

    changes.clear()
    clock.now = T0 + timedelta(minutes=2)  # the first rows are now due within 30 minutes
    model.tick()
    assert changes[0] == (0, COL_TIME_LEFT, 299, COL_TIME_LEFT)
    assert (0, 0, 2, COLUMN_COUNT - 1) in changes[1:]  # rows that turned amber repaint whole
    assert model.data(model.index(0, COL_TIME_LEFT), UrgencyRole) == "soon"


def test_reload_keeps_rows_and_applies_removals_and_insertions(qtbot, jobs_for, qtmodeltester):
    stub = StubQueueService(10)
    model = SubmissionQueueModel(jobs_for(stub), FakeClock())
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    qtmodeltester.check(model, force_py=True)
    removed, inserted = [], []
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    resets = []
    model.modelReset.connect(lambda: resets.append(True))

    stub.ids = [0, 1, 2, 5, 6, 7, 8, 11, 9, 10]  # 3, 4 gone; 0 and 11 new
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    assert [model.submission_id(r) for r in range(model.rowCount())] == stub.ids
    assert removed == [(2, 3)] and inserted == [(0, 0), (7, 7)] and not resets
    assert model.row_of(11) == 7 and model.row_of(3) == -1

    stub.ids = [10, 9, 8]  # reordered: a reset
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    assert resets and [model.submission_id(r) for r in range(3)] == [10, 9, 8]


def test_remove_submission_and_lookups(qtbot, jobs_for):
    stub = StubQueueService(5)
    model = SubmissionQueueModel(jobs_for(stub), FakeClock())
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    assert model.row_of(3) == 2 and model.submission_id(2) == 3
    assert model.remove_submission(3) == 2
    assert model.rowCount() == 4 and model.row_of(3) == -1 and model.row_of(4) == 2
    assert model.remove_submission(3) == -1
    assert model.submission_id(99) is None
    assert model.data(model.index(0, 0), QueueRowRole) is None or model.queue_row(0).submission_id == 1
    assert model.index(0, 0, model.index(0, 0)) == QModelIndex()


def test_diff_runs():
    assert diff_runs([1, 2, 3, 4], [1, 4, 5]) == ([(1, 2)], [(2, 2)])
    assert diff_runs([1, 2, 3], [3, 2, 1]) is None
    assert diff_runs([], [1, 2]) == ([], [(0, 1)])


def test_refresh_keeps_the_selection_on_the_same_submission(qtbot, make_window, file_submission, select_and_load):
    a = file_submission(label="A", due_in=timedelta(hours=1))
    b = file_submission(label="B", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2)
    assert select_and_load(window, 1) == b

    earlier = file_submission(label="Earlier", due_in=timedelta(minutes=-5))
    with qtbot.waitSignal(window.model.sig_loaded, timeout=10_000):
        window.window_actions.refresh_action.trigger()  # F5
    assert [window.model.submission_id(r) for r in range(3)] == [earlier, a, b]
    assert window.current_submission_id() == b
    assert window.submission_view.submission_id == b


def test_overdue_rows_in_the_window_and_the_status_bar(qtbot, make_window, file_submission, select_and_load, wait_idle):
    late = file_submission(label="Late", due_in=timedelta(hours=-3))
    file_submission(label="Fine", due_in=timedelta(hours=20))
    window = make_window(expect_rows=2)
    qtbot.waitUntil(lambda: window.model.queue_row(0) is not None)
    index = window.model.index(0, COL_TIME_LEFT)
    assert window.model.data(index, UrgencyRole) == "overdue"
    assert window.model.data(window.model.index(1, 0), UrgencyRole) == "ok"
    qtbot.waitUntil(lambda: "Overdue: 1" in window.overdue_label.text(), timeout=10_000)
    assert "Open: 2" in window.open_label.text()
    assert select_and_load(window, 0) == late
    assert "overdue" in window.sla_label.text()
    wait_idle(window)
    assert window.model.data(window.model.index(0, COL_CLAIMED)) == "alice"


# -- the ids stream in: a real SQLite database behind the real worker -------------------------------------

KINDS = ("new", "update", "metadata", "sensitive")


def file_bulk(service, count: int, *, first: int = 0, ties: int = 3, minutes: int = 0) -> None:
    """`count` open submissions, several of them sharing a deadline (the id breaks those ties)."""
    now = service.clock()
    service.store.add_submissions_bulk(
        [
            {
                "kind": KINDS[n % 4],
                "developer": f"Developer {n % 7}",
                "tier": 1 + n % 5,
                "package": f"com.bulk.app{n}",
                "label": f"Bulk {n}",
                "submitted_at": now - timedelta(minutes=5),
                "deadline": now + timedelta(minutes=minutes + (n * 7919 // ties) % 5000),
            }
            for n in range(first, first + count)
        ]
    )


class GatedService:
    """A real ReviewService whose pages of ids after the first `free` wait until `gate` is set."""

    def __init__(self, service: ReviewService) -> None:
        self._service = service
        self.gate = threading.Event()
        self.pages = 0
        self.free = 1  # the first answer's page

    def queue_page(self, *args, **kwargs):
        self.pages += 1
        if self.pages > self.free:
            assert self.gate.wait(20), "the test never let the pages through"
        return self._service.queue_page(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._service, name)


@pytest.fixture
def gated(service):
    made = []

    def make() -> GatedService:
        gated = GatedService(ReviewService(service.settings))
        made.append(gated)
        return gated

    yield make
    for gated in made:
        gated.gate.set()  # a worker still waiting must be able to finish before its thread is joined


def ids_of(model) -> list[int | None]:
    return [model.submission_id(r) for r in range(model.rowCount())]


def test_the_first_screen_paints_from_the_first_answer_before_the_other_ids_arrive(
    qtbot, qtmodeltester, service, gated, jobs_for
):
    file_bulk(service, 3000)
    expected = service.queue_ids()  # alice leads an unconfigured workstation: pending and escalated, merged
    source = gated()
    model = SubmissionQueueModel(jobs_for(source), service.clock, block_size=50, head_size=200, page_size=500)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)

    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    # The whole queue is counted, the first page of ids is in place with the rows of its first block.
    assert model.rowCount() == 3000
    assert model.loading and not model.complete
    assert ids_of(model)[:200] == expected[:200]
    assert all(model.queue_row(r) is not None for r in range(50))
    assert model.fetch_count == 1  # those rows came with the first answer
    # Rows whose ids are still on their way show a placeholder and have no id yet.
    assert model.submission_id(200) is None and model.submission_id(2999) is None
    assert model.data(model.index(2999, COL_LABEL)) == PLACEHOLDER
    assert model.data(model.index(2999, COL_LABEL), QueueRowRole) is None
    assert model.row_of(expected[2999]) == -1
    qtmodeltester.check(model, force_py=True)
    view.scrollToBottom()
    qtbot.wait(50)
    assert source.pages == 2  # the second page waits at the gate: nothing else was read

    with qtbot.waitSignal(model.sig_complete, timeout=20_000):
        source.gate.set()
    assert ids_of(model) == expected
    assert model.row_of(expected[2999]) == 2999 and model.complete and not model.loading
    qtbot.waitUntil(lambda: model.queue_row(2999) is not None, timeout=10_000)  # the bottom rows came too
    qtmodeltester.check(model, force_py=True)


def test_a_reload_asked_for_while_the_ids_stream_in_ends_with_the_database_order(
    qtbot, service, service_as, gated, jobs_for
):
    file_bulk(service, 2000)
    source = gated()
    model = SubmissionQueueModel(jobs_for(source), service.clock, head_size=100, page_size=300)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    first = model.submission_id(0)

    # Meanwhile: more work comes in (some of it the most urgent), another reviewer decides two.
    file_bulk(service, 40, first=5000, minutes=-10_000)  # overdue: before all the others
    bob = service_as("bob")
    for sid in service.queue_ids()[700:702]:
        bob.claim(sid)
        assert bob.decide(sid, "approve").ok
    model.reload()  # comes after the load in flight
    source.gate.set()
    qtbot.waitUntil(lambda: model.complete, timeout=20_000)
    assert ids_of(model) == service.queue_ids()
    assert model.row_of(first) == 40


def test_withheld_ids_are_never_shown_even_when_withheld_while_the_ids_stream_in(qtbot, service, gated, jobs_for):
    file_bulk(service, 2000)
    expected = service.queue_ids()
    # `later` is read by the page in flight when it is withheld; `late` by a page asked for after that.
    early, late, later = expected[5], expected[1500], expected[250]
    source = gated()
    model = SubmissionQueueModel(jobs_for(source), service.clock, head_size=100, page_size=300)
    model.set_withheld({early, late})
    shown: set[int] = set()

    def seen(top_left, bottom_right, roles=()):
        shown.update(model.submission_id(r) for r in range(top_left.row(), bottom_right.row() + 1))

    model.dataChanged.connect(seen)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 1998  # counted without them
    assert early not in ids_of(model)
    qtbot.waitUntil(lambda: source.pages == 2, timeout=10_000)  # the second page waits at the gate
    model.set_withheld({early, late, later})  # a decision made here while the ids come
    source.gate.set()
    qtbot.waitUntil(lambda: model.complete, timeout=20_000)
    assert ids_of(model) == [sid for sid in expected if sid not in (early, late, later)]
    assert model.row_of(later) == -1 and model.rowCount() == 1997
    assert not shown & {early, late, later}


def test_the_kind_filter_changed_while_the_ids_stream_in(qtbot, qtmodeltester, service, gated, jobs_for):
    file_bulk(service, 2000)
    source = gated()
    model = SubmissionQueueModel(jobs_for(source), service.clock, head_size=100, page_size=300)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    model.set_kinds(["update", "sensitive"])  # the load in flight is for all kinds: dropped
    source.gate.set()
    qtbot.waitUntil(lambda: model.complete, timeout=20_000)
    assert ids_of(model) == service.queue_ids(kinds=["update", "sensitive"])
    assert len(ids_of(model)) == 1000
    qtmodeltester.check(model, force_py=True)

    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.set_kinds(["new"])
    assert ids_of(model) == service.queue_ids(kinds=["new"])


def test_the_order_is_the_databases_with_escalations_and_shared_deadlines(qtbot, service, service_as, jobs_for):
    file_bulk(service, 1500, ties=40)
    bob = service_as("bob")
    for sid in service.queue_ids()[::97]:
        bob.claim(sid)
        assert bob.decide(sid, "escalate").ok
    model = SubmissionQueueModel(jobs_for(ReviewService(service.settings)), service.clock, page_size=64)
    with qtbot.waitSignal(model.sig_complete, timeout=20_000):
        model.reload()
    assert ids_of(model) == service.queue_ids() == service.queue_ids(statuses=("pending", "escalated"))
    assert len(ids_of(model)) == 1500


def test_removing_rows_while_the_ids_stream_in_keeps_every_lookup_right(qtbot, service, gated, jobs_for):
    file_bulk(service, 1500)
    expected = service.queue_ids()
    source = gated()
    model = SubmissionQueueModel(jobs_for(source), service.clock, head_size=100, page_size=200)
    with qtbot.waitSignal(model.sig_loaded, timeout=10_000):
        model.reload()
    removed = []
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    assert model.remove_submission(expected[3]) == 3 and model.remove_submission(expected[50]) == 49
    assert model.rowCount() == 1498
    source.gate.set()
    qtbot.waitUntil(lambda: model.complete, timeout=20_000)
    rest = [sid for sid in expected if sid not in (expected[3], expected[50])]
    assert ids_of(model) == rest and removed == [(3, 3), (49, 49)]
    assert all(model.row_of(sid) == row for row, sid in enumerate(rest))


def test_a_reload_with_a_few_changes_at_size_moves_rows_and_keeps_the_selection(qtbot, service, service_as, jobs_for):
    file_bulk(service, 5000)
    model = SubmissionQueueModel(jobs_for(ReviewService(service.settings)), service.clock, page_size=1000)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    with qtbot.waitSignal(model.sig_complete, timeout=20_000):
        model.reload()
    before = service.queue_ids()
    chosen = before[2500]
    view.selectRow(2500)
    model.remove_submission(before[10])  # decided here: already out of the model

    bob = service_as("bob")
    for sid in (before[10], before[100], before[4000], before[4001]):
        bob.claim(sid)
        assert bob.decide(sid, "approve").ok
    file_bulk(service, 2, first=9000, minutes=-10_000)
    resets, inserted, removed = [], [], []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    with qtbot.waitSignal(model.sig_loaded, timeout=20_000):
        model.reload()
    assert ids_of(model) == service.queue_ids()
    # Rows as the model had them (before[10] already gone): removals last first, then insertions.
    assert not resets and removed == [(3999, 4000), (99, 99)] and inserted == [(0, 1)]
    assert view.selectionModel().selectedRows()[0].row() == model.row_of(chosen) == 2500 - 2 + 2


def test_a_row_removed_while_a_reload_reads_the_ids_is_not_compared_against(qtbot, service, gated, jobs_for):
    file_bulk(service, 1200)
    source = gated()
    source.gate.set()
    model = SubmissionQueueModel(jobs_for(source), service.clock, head_size=100, page_size=5000)
    with qtbot.waitSignal(model.sig_complete, timeout=20_000):
        model.reload()
    expected = service.queue_ids()
    source.gate.clear()
    source.pages, source.free = 0, 0
    file_bulk(service, 3, first=7000, minutes=-10_000)
    model.reload()  # one page, and the comparison in the same job: it waits at the gate
    qtbot.waitUntil(lambda: source.pages == 1, timeout=10_000)
    model.remove_submission(expected[600])  # decided here meanwhile; the database still lists it
    source.gate.set()
    with qtbot.waitSignal(model.sig_loaded, timeout=20_000):
        pass
    database = service.queue_ids()
    assert ids_of(model) == database and expected[600] in database  # shown again: nothing withholds it
    assert all(model.row_of(sid) == row for row, sid in enumerate(database))


def test_the_ids_stream_in_from_postgresql_too(qtbot, qtmodeltester, pg_server, tmp_path, jobs_for):
    from reviewer_app.config import Settings

    url = pg_server.url(database=pg_server.create_database())
    settings = Settings(data_dir=tmp_path / "pg", db_url=url, reviewer="postgres")
    intake = ReviewService(settings)
    try:
        file_bulk(intake, 1500, ties=20)
        for sid in intake.queue_ids()[::101]:
            intake.claim(sid)
            assert intake.decide(sid, "escalate").ok
        expected = intake.queue_ids()
        model = SubmissionQueueModel(jobs_for(ReviewService(settings)), intake.clock, head_size=100, page_size=250)
        with qtbot.waitSignal(model.sig_loaded, timeout=20_000):
            model.reload()
        assert model.rowCount() == len(expected) == 1500
        qtbot.waitUntil(lambda: model.complete, timeout=20_000)
        assert ids_of(model) == expected
        with qtbot.waitSignal(model.sig_loaded, timeout=20_000):
            model.set_kinds(["metadata"])
        assert ids_of(model) == intake.queue_ids(kinds=["metadata"])
        qtmodeltester.check(model, force_py=True)
    finally:
        intake.close()
