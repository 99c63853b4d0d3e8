"""The main window: layout persistence, importing APKs by drag and drop, bad files, clean shutdown."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from reviewer_app.ui.import_dialog import ImportDialog
from reviewer_app.ui.main_window import app_settings
from reviewer_app.ui.queue_columns import COL_PACKAGE

IMPORT_TIMEOUT = 120_000  # the first import starts the parser's worker processes


def test_geometry_and_splitters_persist_across_windows(qtbot, make_window, isolated_qsettings):
    first = make_window()
    first.resize(770, 630)  # the offscreen screen is 800 x 800: a restored window must fit on it
    first.main_splitter.setSizes([300, 470])
    first.queue_view.setColumnWidth(2, 201)
    first.submission_view.set_current_panel("history")
    main_sizes = first.main_splitter.sizes()
    first.close()
    assert any(isolated_qsettings.rglob("*.conf")) or any(isolated_qsettings.rglob("*.ini"))
    assert app_settings().value("window/mainSplitter") is not None

    second = make_window()
    assert (second.width(), second.height()) == (770, 630)
    assert second.main_splitter.sizes() == main_sizes
    assert second.queue_view.columnWidth(2) == 201  # the reviewer's own widths win over fitting to content
    assert second.submission_view.current_panel_key() == "history"


def test_first_start_has_sensible_proportions(qtbot, make_window, file_submission, select_and_load):
    file_submission(label="A", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    queue, right = window.main_splitter.sizes()
    assert 0.4 < queue / (queue + right) < 0.7
    # The evidence keeps the room; the decision controls take what their buttons need until a form opens.
    evidence, decision = window.submission_view.height(), window.decision_panel.height()
    assert evidence > 3 * decision and decision < 120
    window.decision_panel.begin_reject()
    qtbot.waitUntil(lambda: window.decision_panel.height() > 150)
    assert window.submission_view.height() > window.decision_panel.height()


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(300, 300), *args)
    QApplication.sendEvent(window, enter)
    accepted = enter.isAccepted()
    drop = QDropEvent(QPointF(300, 300), *args)
    QApplication.sendEvent(window, drop)
    return accepted


def _answer_dialog(qtbot, window, developer="Sky Soft", kind="update", tier=4):
    qtbot.waitUntil(lambda: window.findChild(ImportDialog) is not None, timeout=5_000)
    dialog = window.findChild(ImportDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()  # a developer name is required
    dialog.set_values(kind=kind, developer=developer, tier=tier)
    assert ok.isEnabled()
    return dialog


def test_dropping_an_apk_imports_it_in_the_background(qtbot, make_window, demo_apks, service, wait_idle):
    window = make_window(expect_rows=0)
    apk = demo_apks["com.example.weather_30.apk"]
    assert _drop(window, [apk])
    dialog = _answer_dialog(qtbot, window)
    with qtbot.waitSignal(window.sig_import_finished, timeout=IMPORT_TIMEOUT) as finished:
        dialog.accept()
        assert window.progress_bar.isVisible()  # progress shows while it parses
        assert window.importing
    assert finished.args[1:] == [1, 0]
    assert not window.progress_bar.isVisible()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.model.queue_row(0) is not None, timeout=10_000)
    row = window.model.queue_row(0)
    assert (row.package, row.kind, row.developer, row.tier) == ("com.example.weather", "update", "Sky Soft", 4)
    assert window.model.data(window.model.index(0, COL_PACKAGE)) == "com.example.weather"
    assert any("Weather" in line for line in window.log_lines())
    wait_idle(window)
    assert service.view(row.submission_id).facts.package == "com.example.weather"


def test_dropping_something_else_is_refused(qtbot, make_window, tmp_path):
    window = make_window()
    text = tmp_path / "notes.txt"
    text.write_text("not an apk")
    assert not _drop(window, [text])
    assert window.findChild(ImportDialog) is None


def test_a_corrupt_file_gets_one_line_and_the_good_one_is_still_filed(qtbot, make_window, demo_apks, tmp_path):
    window = make_window(expect_rows=0)
    bad = tmp_path / "bad.apk"
    bad.write_bytes(os.urandom(4096))
    good = demo_apks["com.example.smshelper_23.apk"]
    with qtbot.waitSignal(window.sig_import_finished, timeout=IMPORT_TIMEOUT) as finished:
        window.import_files([bad, good], kind="new", developer="Quick Tools", tier=2)
    assert finished.args[1:] == [1, 1]
    errors = [line for line in window.log_lines() if "bad.apk" in line]
    assert len(errors) == 1 and "not imported" in errors[0]
    assert "\n" not in errors[0]
    assert window.log_dock.isVisible()  # failures open the activity log
    assert "1 failed" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.queue_row(0) is not None, timeout=10_000)
    assert window.model.queue_row(0).package == "com.example.smshelper"


class GatedPool:
    """FactsPool's interface; every parse waits until the test opens the gate (a slow import)."""

    def __init__(self, facts_by_path, gate):
        self.facts_by_path = facts_by_path
        self.gate = gate
        self.executor = ThreadPoolExecutor(max_workers=2)

    def submit(self, path, name=None, *, classes=False):
        return self.executor.submit(lambda: (self.gate.wait(30), self.facts_by_path[str(path)])[1])

    def result(self, future, name):
        return future.result()

    def close(self):
        self.gate.set()
        self.executor.shutdown(wait=True)


def test_the_window_answers_while_an_import_runs(
    qtbot, make_window, demo_apks, demo_facts, file_submission, select_and_load, settings
):
    waiting = file_submission(label="Waiting", due_in=timedelta(hours=1))
    gate = threading.Event()
    facts = {str(path): demo_facts[name] for name, path in demo_apks.items()}
    window = make_window(expect_rows=1, pool_factory=lambda: GatedPool(facts, gate))
    window.import_files(list(demo_apks.values()), kind="new", developer="Many", tier=3)
    assert window.importing and window.progress_bar.isVisible()

    # While the parser is busy the reviewer reads and decides.
    assert select_and_load(window, 0) == waiting
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert window.importing

    with qtbot.waitSignal(window.sig_import_finished, timeout=IMPORT_TIMEOUT) as finished:
        gate.set()
    assert finished.args[1:] == [len(demo_apks), 0]
    qtbot.waitUntil(lambda: window.model.rowCount() == len(demo_apks), timeout=10_000)


def test_closing_the_window_stops_both_threads(qtbot, make_window):
    window = make_window()
    db_thread, parse_thread = window.jobs.worker_thread, window.parser.worker_thread
    assert db_thread.isRunning() and parse_thread.isRunning()
    window.close()
    assert not db_thread.isRunning() and not parse_thread.isRunning()
    window.close()  # twice is fine


def test_the_kind_filter_of_the_view_menu(qtbot, make_window, file_submission):
    new = file_submission(label="Brand new", kind="new", due_in=timedelta(hours=1))
    update = file_submission(label="An update", kind="update", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2)
    with qtbot.waitSignal(window.model.sig_loaded, timeout=10_000):
        window.window_actions.kind_actions["new"].setChecked(False)
    assert [window.model.submission_id(r) for r in range(window.model.rowCount())] == [update]
    with qtbot.waitSignal(window.model.sig_loaded, timeout=10_000):
        window.window_actions.kind_actions["new"].setChecked(True)
    assert window.model.row_of(new) == 0


def test_a_queue_reload_keeps_what_the_reviewer_typed(qtbot, make_window, file_submission, select_and_load):
    file_submission(label="A", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    panel = window.decision_panel
    panel.begin_reject()
    panel.reason_model.set_checked("ads")
    panel.message_edit.setPlainText("Half written")
    window.queue_view.clearSelection()  # what a model reset does for a moment
    window.queue_view.select_row(0)
    assert panel.message_edit.toPlainText() == "Half written"
    assert panel.reason_model.checked_codes() == ["ads"]


def test_run_gui_opens_the_window_and_exits_cleanly(qtbot, qapp, settings, file_submission):
    from PySide6.QtCore import QTimer

    from reviewer_app.ui.app import run_gui
    from reviewer_app.ui.main_window import MainWindow

    file_submission(label="Waiting", due_in=timedelta(hours=1))
    seen = {}

    def close_when_loaded():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and not w.closed]
        if windows and windows[0].model.rowCount() == 1:
            seen["window"] = windows[0]
            windows[0].close()
        else:
            QTimer.singleShot(50, close_when_loaded)

    QTimer.singleShot(0, close_when_loaded)
    QTimer.singleShot(30_000, qapp.quit)  # never hang the test run
    assert run_gui(settings) == 0
    window = seen["window"]
    assert window.closed
    assert not window.jobs.worker_thread.isRunning() and not window.parser.worker_thread.isRunning()


def test_the_queue_columns_fit_what_they_show(qtbot, make_window, file_submission):
    package = "com.example.quite.long.package.name"  # wider than the default column, narrower than the cap
    file_submission(package=package, label="Long", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1)
    needed = window.queue_view.fontMetrics().horizontalAdvance(package)
    qtbot.waitUntil(lambda: window.queue_view.columnWidth(COL_PACKAGE) >= needed, timeout=10_000)
    assert window.queue_view.columnWidth(COL_PACKAGE) < needed + 60  # fitted, not merely wide
