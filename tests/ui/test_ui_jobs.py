"""The background bridge: one database thread, ordered jobs, errors reported, clean shutdown."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QObject, Signal

from reviewer_app.ui.jobs import DbJobs, ParseJobs, ServiceUnavailable


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []
        self.threads: set[threading.Thread] = set()
        self.closed = False

    def work(self, value):
        self.threads.add(threading.current_thread())
        self.calls.append(("work", value))
        return value * 2

    def close(self):
        self.closed = True


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def jobs(recorder):
    bridge = DbJobs(lambda: recorder)
    yield bridge
    bridge.shutdown()


def test_jobs_run_in_order_on_one_worker_thread_and_answer_on_the_main_thread(qtbot, jobs, recorder):
    results, callback_threads = [], set()

    def done(value):
        callback_threads.add(threading.current_thread())
        results.append(value)

    for n in range(50):
        jobs.run(lambda s, n=n: s.work(n), on_success=done)
    qtbot.waitUntil(lambda: len(results) == 50, timeout=10_000)
    assert results == [n * 2 for n in range(50)]
    assert [v for _, v in recorder.calls] == list(range(50))
    assert len(recorder.threads) == 1 and threading.main_thread() not in recorder.threads
    assert callback_threads == {threading.main_thread()}
    assert jobs.idle


def test_an_exception_in_a_job_is_reported_not_raised(qtbot, jobs):
    failures = []
    with qtbot.waitSignal(jobs.sig_job_failed, timeout=10_000) as reported:
        jobs.run(lambda s: 1 / 0, label="divide")
    assert reported.args[0] == "divide" and "division by zero" in reported.args[1]

    jobs.run(lambda s: {}["missing"], on_failure=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=10_000)
    assert isinstance(failures[0], KeyError)

    # The worker keeps going after failures.
    answers = []
    jobs.run(lambda s: s.work(21), on_success=answers.append)
    qtbot.waitUntil(lambda: answers == [42], timeout=10_000)


def test_an_exception_in_a_callback_is_reported(qtbot, jobs):
    def broken(_value):
        raise RuntimeError("callback broke")

    with qtbot.waitSignal(jobs.sig_job_failed, timeout=10_000) as reported:
        jobs.run(lambda s: 1, on_success=broken, label="cb")
    assert "callback broke" in reported.args[1]


def test_a_database_that_cannot_open_fails_every_job_with_its_reason(qtbot):
    def factory():
        raise OSError("disk on fire")

    bridge = DbJobs(factory)
    try:
        failures = []
        bridge.run(lambda s: 1, on_failure=failures.append)
        bridge.run(lambda s: 2, on_failure=failures.append)
        qtbot.waitUntil(lambda: len(failures) == 2, timeout=10_000)
        assert all(isinstance(f, ServiceUnavailable) and "disk on fire" in str(f) for f in failures)
    finally:
        assert bridge.shutdown()


def test_cancelled_jobs_do_not_call_back(qtbot, jobs):
    gate = threading.Event()
    answers = []
    jobs.run(lambda s: gate.wait(5))
    job = jobs.run(lambda s: s.work(1), on_success=answers.append)
    job.cancel()
    jobs.run(lambda s: s.work(2), on_success=answers.append)
    gate.set()
    qtbot.waitUntil(lambda: jobs.idle, timeout=10_000)
    assert answers == [4]


def test_shutdown_finishes_queued_work_closes_the_service_and_joins_the_thread(qtbot, recorder):
    bridge = DbJobs(lambda: recorder)
    for n in range(5):
        bridge.run(lambda s, n=n: s.work(n))
    assert bridge.shutdown()
    assert not bridge.worker_thread.isRunning()
    assert len(recorder.calls) == 5 and recorder.closed
    late = bridge.run(lambda s: s.work(9))
    assert late.cancelled


class FakeFuture:
    def __init__(self, value):
        import concurrent.futures

        self.future = concurrent.futures.Future()
        self.future.set_result(value)


class FakePool:
    """FactsPool's interface without processes: returns the given facts per path."""

    def __init__(self, answers):
        self.answers = answers
        self.closed = False

    def submit(self, path, name=None, *, classes=False):
        return FakeFuture(self.answers[path]).future

    def result(self, future, name):
        return future.result()

    def close(self):
        self.closed = True


def test_parse_jobs_post_results_in_batches_and_stop(qtbot):
    answers = {f"/tmp/{n}.apk": f"facts {n}" for n in range(60)}
    pools = []

    def factory():
        pools.append(FakePool(answers))
        return pools[-1]

    parser = ParseJobs(factory)
    batches = []
    parser.sig_parsed.connect(lambda import_id, batch: batches.append(batch))
    try:
        with qtbot.waitSignal(parser.sig_finished, timeout=10_000) as finished:
            import_id = parser.start(list(answers))
        assert finished.args == [import_id, ""]
        got = sorted((p.index, p.path, p.facts) for batch in batches for p in batch)
        assert got == [(n, f"/tmp/{n}.apk", f"facts {n}") for n in range(60)]
        assert 1 <= len(batches) < 60  # batched, not one signal per file
        assert pools[0].closed
    finally:
        assert parser.shutdown()
    assert not parser.worker_thread.isRunning()


def test_a_broken_parser_pool_is_reported_for_the_import(qtbot):
    def factory():
        raise RuntimeError("no worker processes")

    parser = ParseJobs(factory)
    try:
        with qtbot.waitSignal(parser.sig_finished, timeout=10_000) as finished:
            parser.start(["/tmp/a.apk"])
        assert "no worker processes" in finished.args[1]
    finally:
        parser.shutdown()


class Emitter(QObject):
    sig_value = Signal(object)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12 on")
def test_the_installed_binding_keeps_true_alive_across_many_emits():
    """PySide6 6.12.0 drops a reference to True per emit and aborts the interpreter after a few thousand;
    pyproject.toml excludes it and run_gui refuses it. This fails (or aborts) on such a binding."""
    emitter = Emitter()
    emitter.sig_value.connect(lambda value: None)
    before = sys.getrefcount(True)
    for n in range(200):
        emitter.sig_value.emit(n)
    assert sys.getrefcount(True) >= before


def test_reopen_opens_the_service_again_with_the_password_given(qtbot):
    from reviewer_app.domain import CredentialsRequired
    from reviewer_app.ui.jobs import open_error

    attempts = []

    def factory(password=None):
        attempts.append(password)
        if password != "right":
            raise CredentialsRequired("the database wants a password: fe_sendauth: no password supplied")
        return Recorder()

    bridge = DbJobs(factory)
    try:
        failures, answers = [], []
        bridge.run(lambda s: 1, on_failure=failures.append)
        qtbot.waitUntil(lambda: len(failures) == 1, timeout=10_000)
        assert isinstance(failures[0], ServiceUnavailable)
        assert isinstance(open_error(failures[0]), CredentialsRequired)
        bridge.reopen("right")
        bridge.run(lambda s: s.work(2), on_success=answers.append)
        qtbot.waitUntil(lambda: answers == [4], timeout=10_000)
        assert attempts == [None, "right"]
        bridge.reopen()  # again, keeping the password it has
        bridge.run(lambda s: s.work(3), on_success=answers.append)
        qtbot.waitUntil(lambda: answers == [4, 6], timeout=10_000)
        assert attempts == [None, "right", "right"]
    finally:
        assert bridge.shutdown()


def test_reachability_follows_the_jobs_that_need_the_database(qtbot, jobs):
    from reviewer_app.review import DatabaseUnavailable

    def down(_service):
        raise DatabaseUnavailable("database unavailable: connection refused")

    changes, failed, unreachable, done = [], [], [], []
    jobs.sig_reachability.connect(lambda ok, why: changes.append((ok, why)))
    jobs.sig_job_failed.connect(lambda label, text: failed.append(label))
    jobs.sig_job_unreachable.connect(lambda label, text: unreachable.append(label))

    jobs.run(down, label="load")
    jobs.run(down, label="load again")
    qtbot.waitUntil(lambda: len(unreachable) == 2, timeout=10_000)
    assert changes == [(False, "database unavailable: connection refused")]  # told once, on the change
    assert failed == [] and not jobs.reachable  # not reported as a failure to show

    jobs.run(lambda s: s.work(1), on_success=done.append, local=True)  # the journal, say: proves nothing
    qtbot.waitUntil(lambda: done == [2], timeout=10_000)
    assert changes == [(False, "database unavailable: connection refused")]
    jobs.run(lambda s: s.work(2), on_success=done.append)
    qtbot.waitUntil(lambda: done == [2, 4], timeout=10_000)
    assert changes[-1] == (True, "") and jobs.reachable
