"""The Devices panel, given device runs as the store keeps them and real screenshot files: the matrix, the
gallery with thumbnails decoded off the GUI thread, two screenshots side by side, the states of a run and
the work its buttons ask for."""

from __future__ import annotations

import functools
import threading

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPixmap, QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from reviewer_app.review import RedFlag
from reviewer_app.review.devices import cancel_capture, enqueue_capture, enqueue_import
from reviewer_app.ui.evidence import DevicesPanel, panel_classes
from reviewer_app.ui.evidence import device_images as images
from reviewer_app.ui.evidence.device_gallery import GalleryModel
from reviewer_app.ui.evidence.device_images import ImageLoader, decode_image
from reviewer_app.ui.evidence.device_models import (
    BAD_COLOR,
    COL_ANDROID,
    COL_CRASHED,
    COL_DEVICE,
    COL_FLAGS,
    COL_INSTALLED,
    COL_LAUNCHED,
    COL_OUTCOME,
    COL_SCREENSHOTS,
    GOOD_COLOR,
    DeviceMatrixModel,
    compare_choices,
    matching_screenshot,
    screenshot_entries,
)
from reviewer_app.ui.submission_view import SubmissionView
from tests.ui.device_runs import NPE_STACK, Screens, crash, device, review_detail, run


@pytest.fixture
def screens(tmp_path) -> Screens:
    return Screens(tmp_path / "shots")


@pytest.fixture
def panel(qtbot):
    widget = DevicesPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.loader.shutdown()


def matrix_rows(panel) -> list[list[str]]:
    model = panel.matrix.model()
    return [
        [model.index(row, col).data() or "" for col in range(model.columnCount())] for row in range(model.rowCount())
    ]


def thumbnails_in(panel) -> bool:
    return panel.gallery.model.waiting() == 0 and not panel.loader.busy


def three_devices(screens: Screens):
    """A device that did fine, one that crashed (with the system's dialog on screen), one the results say
    little about (an emulator whose launch and crash are not known)."""
    fine = device("walleye", os_version="9", api_level=28, screenshots=screens.shots(3))
    crashed = device(
        "Pixel 7",
        "failure",
        crashed=True,
        crashes=(crash(),),
        flags=("crash", "crash_dialog"),
        messages=("testLaunch failed: the app crashed",),
        screenshots=(
            screens.shot("launch-1.png"),
            screens.shot("launch-2.png", flags=("crash_dialog",), kind="crash_dialog"),
        ),
    )
    vague = device("Nexus5X", "inconclusive", brand=None, os_version=None, api_level=None, virtual=True, launched=None, crashed=None,
                   screenshots=screens.shots(1))  # fmt: skip
    return fine, crashed, vague


def test_the_panel_is_registered_between_scans_and_clones():
    keys = [cls.key for cls in panel_classes()]
    assert keys.index("scan") < keys.index("devices") < keys.index("clones")
    assert DevicesPanel.title() == "Devices"
    assert DevicesPanel.sources == ("devices",)


# -- the matrix ------------------------------------------------------------------------------------


def test_the_matrix_shows_each_device_with_the_flagged_ones_first(panel, screens):
    fine, crashed, vague = three_devices(screens)
    panel.show_detail(review_detail([run(1, [fine, crashed, vague])], device_files=screens.files))

    rows = matrix_rows(panel)
    assert [row[COL_DEVICE] for row in rows] == ["Pixel 7 (Google)", "Nexus5X (emulator)", "walleye (Google)"]
    pixel, nexus, walleye = rows
    assert pixel[COL_OUTCOME] == "failure"
    assert (pixel[COL_INSTALLED], pixel[COL_LAUNCHED], pixel[COL_CRASHED]) == ("✓ yes", "✓ yes", "✗ yes")
    assert pixel[COL_FLAGS] == "crash, crash dialog"
    assert pixel[COL_SCREENSHOTS] == "2"
    # What the results do not say shows as unknown, not as a yes or a no.
    assert (nexus[COL_ANDROID], nexus[COL_LAUNCHED], nexus[COL_CRASHED]) == ("—", "—", "—")
    assert nexus[COL_OUTCOME] == "inconclusive"
    assert walleye[COL_ANDROID] == "9 · API 28"
    assert walleye[COL_CRASHED] == "✓ no" and walleye[COL_FLAGS] == ""

    model = panel.matrix.model()
    crashed_cell = model.index(0, COL_CRASHED)
    assert crashed_cell.data(Qt.ItemDataRole.ForegroundRole).color() == BAD_COLOR
    assert model.index(2, COL_CRASHED).data(Qt.ItemDataRole.ForegroundRole).color() == GOOD_COLOR
    assert model.index(1, COL_CRASHED).data(Qt.ItemDataRole.AccessibleTextRole) == "not known"
    assert "testLaunch failed: the app crashed" in model.index(0, COL_DEVICE).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.matrix.isVisible()
    assert panel.matrix.horizontalHeader().sectionSize(COL_FLAGS) > 40  # the flags keep room to be read


def test_the_matrix_sorts_by_a_column_and_back_to_flagged_first(panel, screens):
    fine, crashed, vague = three_devices(screens)
    panel.show_detail(review_detail([run(1, [fine, crashed, vague])], device_files=screens.files))
    panel.matrix.sortByColumn(COL_DEVICE, Qt.SortOrder.AscendingOrder)
    assert [row[COL_DEVICE] for row in matrix_rows(panel)] == [
        "Nexus5X (emulator)",
        "Pixel 7 (Google)",
        "walleye (Google)",
    ]
    panel.matrix.sortByColumn(COL_CRASHED, Qt.SortOrder.AscendingOrder)  # crashed first, unknown, then fine
    assert [row[COL_CRASHED] for row in matrix_rows(panel)] == ["✗ yes", "—", "✓ no"]
    panel.matrix.sortByColumn(COL_FLAGS, Qt.SortOrder.AscendingOrder)
    assert matrix_rows(panel)[0][COL_DEVICE] == "Pixel 7 (Google)"


def test_qtmodeltester_on_the_matrix_and_the_gallery(qtmodeltester, qtbot, screens):
    fine, crashed, vague = three_devices(screens)
    matrix = DeviceMatrixModel()
    qtmodeltester.check(matrix, force_py=True)
    matrix.set_results([fine, crashed, vague])
    qtmodeltester.check(matrix, force_py=True)
    loader = ImageLoader()
    gallery = GalleryModel(loader)
    qtmodeltester.check(gallery, force_py=True)
    gallery.set_entries(screenshot_entries([fine, crashed, vague], screens.files))
    qtmodeltester.check(gallery, force_py=True)
    qtbot.waitUntil(lambda: gallery.waiting() == 0, timeout=10_000)
    qtmodeltester.check(gallery, force_py=True)
    loader.shutdown()


def test_selecting_a_device_shows_its_crash_and_narrows_the_gallery_to_it(panel, screens, qtbot):
    fine, crashed, vague = three_devices(screens)
    listing = screens.listing(2)
    panel.show_detail(
        review_detail([run(1, [fine, crashed, vague])], device_files=screens.files, listing_files=listing)
    )
    assert len(panel.gallery.shown_entries()) == 3 + 2 + 1 + 2
    assert not panel.details.isVisible()

    panel.matrix.setFocus()  # focus alone selects nothing: the gallery stays whole
    assert panel.selected_device() is None and len(panel.gallery.shown_entries()) == 8
    first_row = panel.matrix.visualRect(panel.matrix.model().index(0, COL_DEVICE)).center()
    qtbot.mouseClick(panel.matrix.viewport(), Qt.MouseButton.LeftButton, pos=first_row)  # the crashed Pixel 7
    assert panel.selected_device() == 1
    shown = panel.gallery.shown_entries()
    assert [(e.device, e.name) for e in shown if e.kind == "screenshot"] == [
        ("Pixel 7", "launch-1.png"),
        ("Pixel 7", "launch-2.png"),
    ]
    assert [e.path for e in shown if e.kind == "listing"] == list(listing)  # the listing stays beside them
    text = panel.details.toPlainText()
    assert "Crash in com.example.notes" in text
    assert all(line.strip() in text for line in NPE_STACK)
    assert "testLaunch failed: the app crashed" in text
    assert panel.details.isVisible() and panel.details.isReadOnly()
    assert panel.details.font().fixedPitch() or panel.details.fontInfo().fixedPitch()
    assert panel.gallery.all_button.isVisible()

    qtbot.mouseClick(panel.gallery.all_button, Qt.MouseButton.LeftButton)
    assert panel.selected_device() is None
    assert len(panel.gallery.shown_entries()) == 8
    assert not panel.details.isVisible()

    qtbot.keyClick(panel.matrix, Qt.Key.Key_Down)  # the keyboard selects too: the first row
    assert panel.selected_device() == 1
    qtbot.keyClick(panel.matrix, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the last: walleye
    assert panel.selected_device() == 0
    assert "No crash, ANR or message on this device." in panel.details.toPlainText()
    assert {e.device for e in panel.gallery.shown_entries() if e.kind == "screenshot"} == {"walleye"}


def test_only_flagged_keeps_the_flagged_screenshots_and_marks_them_with_a_badge(panel, screens, qtbot):
    fine, crashed, vague = three_devices(screens)
    panel.show_detail(review_detail([run(1, [fine, crashed, vague])], device_files=screens.files))
    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    flagged = next(e for e in panel.gallery.shown_entries() if e.flags)

    view = panel.gallery.view
    picture = view.viewport().grab().toImage()

    def has_red_badge(entry) -> bool:
        rect = view.visualRect(panel.gallery.index_of(entry))
        band = [
            picture.pixelColor(x, y)
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.top() + 16)
        ]
        return any(abs(c.red() - 0xC6) < 16 and c.green() < 0x50 and c.blue() < 0x50 for c in band)

    assert has_red_badge(flagged)
    assert not any(has_red_badge(e) for e in panel.gallery.shown_entries() if not e.flags)

    panel.gallery.only_flagged.setChecked(True)
    assert [(e.device, e.name) for e in panel.gallery.shown_entries()] == [("Pixel 7", "launch-2.png")]
    assert panel.select_device(0)  # walleye: nothing flagged
    assert panel.gallery.shown_entries() == []
    assert panel.gallery.empty_label.text() == "No flagged screenshots here."


# -- thumbnails off the GUI thread -----------------------------------------------------------------


def test_thumbnails_are_decoded_on_another_thread_and_arrive_by_themselves(panel, screens, qtbot, monkeypatch):
    decoded_on: list[int] = []

    def recording(path, box):
        decoded_on.append(threading.get_ident())
        return decode_image(path, box)

    monkeypatch.setattr(images, "decode_image", recording)
    fine, crashed, vague = three_devices(screens)
    listing = Screens(screens.folder / "listing", (200, 100)).listing(1)
    panel.show_detail(
        review_detail([run(1, [fine, crashed, vague])], device_files=screens.files, listing_files=listing)
    )
    model = panel.gallery.model
    placeholder = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(placeholder, QPixmap)
    assert model.waiting() == 7  # nothing decoded on the GUI thread while showing: every one is on its way

    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    assert len(decoded_on) == 7
    assert threading.main_thread().ident not in decoded_on
    sizes = {(p.width(), p.height()) for p in (model.index(r).data(Qt.ItemDataRole.DecorationRole) for r in range(6))}
    assert sizes == {(72, 156)}  # 108 x 234 into the 72 x 156 box, aspect kept
    listing_pixmap = model.index(6).data(Qt.ItemDataRole.DecorationRole)
    assert (listing_pixmap.width(), listing_pixmap.height()) == (72, 36)
    assert model.index(0).data(Qt.ItemDataRole.DecorationRole).cacheKey() != placeholder.cacheKey()

    panel.show_detail(review_detail([run(1, [fine, crashed, vague])], device_files=screens.files))
    assert model.waiting() == 0  # shown again: from the cache, nothing decoded twice
    assert len(decoded_on) == 7


def test_a_thumbnail_of_a_previous_submission_arriving_late_is_dropped(panel, tmp_path, qtbot, monkeypatch):
    first_screens, second_screens = Screens(tmp_path / "first"), Screens(tmp_path / "second")
    first = review_detail([run(1, [device("walleye", screenshots=first_screens.shots(4))])],
                          device_files=first_screens.files, submission_id=1)  # fmt: skip
    second = review_detail([run(2, [device("Pixel 7", screenshots=second_screens.shots(2))])],
                           device_files=second_screens.files, submission_id=2)  # fmt: skip
    release, started = threading.Event(), threading.Event()

    def slow_for_the_first(path, box):
        if path in first_screens.files.values():
            started.set()
            release.wait(10)
        return decode_image(path, box)

    monkeypatch.setattr(images, "decode_image", slow_for_the_first)
    arrived: list[str] = []
    panel.loader.sig_ready.connect(lambda key: arrived.append(key.path))

    panel.show_detail(first)
    assert started.wait(5)
    panel.show_detail(second)  # the reviewer moved on while the first one's thumbnails were decoding
    release.set()
    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    panel.loader.pool.waitForDone(5000)
    qtbot.waitUntil(lambda: panel.loader.dropped >= 1, timeout=5000)
    QApplication.processEvents()

    old = set(first_screens.files.values())
    assert not old & set(arrived)
    assert not any(panel.loader.thumbnail_cached(path) for path in old)
    assert {e.device for e in panel.gallery.shown_entries()} == {"Pixel 7"}
    assert sorted(arrived) == sorted(second_screens.files.values())


def test_images_that_cannot_be_shown_give_a_reason_and_nothing_else_breaks(
    panel, screens, qtbot, monkeypatch, tmp_path
):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert isinstance(decode_image(str(broken), None), str)
    assert "cannot be read" in decode_image(str(tmp_path / "missing.png"), None)
    good = screens.shot("launch-1.png")
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    assert "too many pixels (108 × 234)" in decode_image(screens.files[good.sha256], None)
    monkeypatch.undo()

    shots = (good, screens.shot("launch-2.png"))
    missing = screens.shot("monkey-3.png")
    files = dict(screens.files)
    files[shots[1].sha256] = str(broken)  # the file on record is not an image
    files.pop(missing.sha256)  # and this one's file is not on this workstation
    panel.show_detail(review_detail([run(1, [device("walleye", screenshots=(*shots, missing))])], device_files=files))
    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    model = panel.gallery.model
    assert "Cannot show it: " in model.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert "not available on this workstation" in model.index(2).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0).data(Qt.ItemDataRole.DecorationRole).size().height() == 156
    panel.open_in_compare(panel.gallery.shown_entries()[1])
    qtbot.waitUntil(lambda: "Cannot show it" in panel.compare.left.message.text(), timeout=10_000)


# -- side by side ----------------------------------------------------------------------------------


def compared_runs(tmp_path):
    """This version on walleye (Android 9) and Pixel 7, the last approved one on walleye (9 and 10)."""
    now, before = Screens(tmp_path / "now"), Screens(tmp_path / "before", (216, 468))
    current = run(2, [device("walleye", os_version="9", screenshots=now.shots(3)),
                      device("Pixel 7", screenshots=now.shots(3))])  # fmt: skip
    previous = run(1, [device("walleye", os_version="10", screenshots=before.shots(3)),
                       device("walleye", os_version="9", screenshots=(before.shot("launch-1.png"),
                                                                      before.shot("welcome.png"),
                                                                      before.shot("launch-2.png")))],
                   artifact_sha256="0e" * 32)  # fmt: skip
    return current, previous, {**now.files, **before.files}


def test_double_click_opens_the_last_approved_version_of_the_same_device_beside_it(panel, tmp_path, qtbot):
    current, previous, files = compared_runs(tmp_path)
    panel.show_detail(review_detail([current], previous=previous, device_files=files))
    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    entry = next(e for e in panel.gallery.shown_entries() if e.device == "walleye" and e.name == "launch-2.png")
    view = panel.gallery.view
    index = panel.gallery.index_of(entry)
    view.scrollTo(index)
    where = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)

    assert panel.views.currentWidget() is panel.compare
    compare = panel.compare
    assert compare.left_entry == entry
    right = compare.right_entry
    # The same model on the same Android, and the screenshot of the same name (third there, second here).
    assert right.kind == "previous" and right.device == "walleye" and right.os_version == "9"
    assert right.path == files[previous.results[1].screenshots[2].sha256]
    assert compare.right_choice.currentText().startswith("Last approved version: walleye — Android 9")
    choices = [c.kind for c in compare.choices()]
    assert choices == ["previous", "screenshot"]  # then Pixel 7's matching screenshot
    qtbot.waitUntil(lambda: compare.left.has_image() and compare.right.has_image(), timeout=10_000)
    assert compare.right.item.pixmap().width() == 216  # the full image, not the thumbnail

    compare.right_choice.setCurrentIndex(1)
    assert compare.right_entry.device == "Pixel 7" and compare.right_entry.name == "launch-2.png"


def test_screenshots_are_matched_by_name_then_by_place(tmp_path):
    current, previous, files = compared_runs(tmp_path)
    walleye_before = previous.results[1]
    assert matching_screenshot("launch-2.png", 1, walleye_before)[0] == 2  # by name
    assert matching_screenshot("monkey-3.png", 1, walleye_before)[0] == 1  # no such name: the same place
    assert matching_screenshot("monkey-9.png", 7, walleye_before) is None
    entries = screenshot_entries(current.results, files)
    pixel = next(e for e in entries if e.device == "Pixel 7")
    # Pixel 7 has no run in the last approved version: no "previous" choice for it.
    assert [c.kind for c in compare_choices(pixel, current.results, previous.results, ("a.png",), files)] == [
        "screenshot",
        "listing",
    ]


def test_zoom_applies_to_both_sides(panel, tmp_path, qtbot):
    current, previous, files = compared_runs(tmp_path)
    panel.show_detail(review_detail([current], previous=previous, device_files=files))
    view = panel.gallery.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter opens a thumbnail as a double-click does
    compare = panel.compare
    assert panel.views.currentWidget() is compare and compare.left_entry == panel.gallery.shown_entries()[0]
    qtbot.waitUntil(lambda: compare.left.has_image() and compare.right.has_image(), timeout=10_000)
    left_fit, right_fit = compare.left.fit_scale(), compare.right.fit_scale()
    assert right_fit == pytest.approx(left_fit / 2, rel=0.02)  # the last approved run's screens are twice as big

    qtbot.mouseClick(compare.zoom_in_button, Qt.MouseButton.LeftButton)
    assert compare.left.scale_factor() == pytest.approx(left_fit * 1.25)
    assert compare.right.scale_factor() == pytest.approx(right_fit * 1.25)

    # Ctrl+wheel over the right side zooms both.
    wheel = QWheelEvent(QPointF(20, 20), QPointF(20, 20), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(compare.right.viewport(), wheel)
    assert compare.zoom == pytest.approx(1.25**2)
    assert compare.left.scale_factor() == pytest.approx(left_fit * 1.25**2)

    compare.left.setFocus()
    qtbot.keyClick(compare.left, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert compare.zoom == pytest.approx(1.25)
    qtbot.keyClick(compare.left, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert compare.zoom == 1.0 and compare.zoom_label.text() == "fit"
    assert compare.right.scale_factor() == pytest.approx(right_fit)


def test_panning_one_side_pans_the_other_in_proportion(panel, tmp_path, qtbot):
    current, previous, files = compared_runs(tmp_path)
    panel.show_detail(review_detail([current], previous=previous, device_files=files))
    panel.open_in_compare(panel.gallery.shown_entries()[0])
    compare = panel.compare
    qtbot.waitUntil(lambda: compare.left.has_image() and compare.right.has_image(), timeout=10_000)
    compare.set_zoom(4.0)
    left, right = compare.left.verticalScrollBar(), compare.right.verticalScrollBar()
    assert left.maximum() > 0 and right.maximum() > 0

    left.setValue(left.minimum() + (left.maximum() - left.minimum()) // 2)
    fraction = (right.value() - right.minimum()) / (right.maximum() - right.minimum())
    assert fraction == pytest.approx(0.5, abs=0.02)
    right.setValue(right.maximum())
    assert left.value() == left.maximum()
    compare.right.horizontalScrollBar().setValue(0)
    assert compare.left.horizontalScrollBar().value() == compare.left.horizontalScrollBar().minimum()


# -- states and buttons ----------------------------------------------------------------------------


def test_without_a_package_there_is_nothing_to_run_on_devices(panel, screens):
    panel.show_detail(review_detail(artifact_sha256=None))
    assert panel.state_label.isVisible()
    assert "nothing to run on devices" in panel.state_label.text()
    for button in (panel.import_button, panel.capture_button, panel.stop_button):
        assert not button.isVisible()
    assert not panel.splitter.isVisible()

    listing = screens.listing(2)  # a listing change: its images are still worth a look
    panel.show_detail(review_detail(artifact_sha256=None, listing_files=listing))
    assert panel.splitter.isVisible() and not panel.matrix.isVisible()
    assert [e.kind for e in panel.gallery.shown_entries()] == ["listing", "listing"]

    # beside the live version's screenshots from real devices, when it ran on some: does the listing show the app?
    live = device("cheetah", screenshots=(screens.shot("01-launch.png"),))
    panel.show_detail(
        review_detail(artifact_sha256=None, listing_files=listing, previous=run(4, [live]), device_files=screens.files)
    )
    shown = panel.gallery.shown_entries()
    assert [e.kind for e in shown] == ["listing", "listing", "previous"]
    assert shown[2].path == screens.files[live.screenshots[0].sha256]
    assert "live version" in panel.gallery.scope_label.text()


def test_before_any_run_the_panel_offers_an_import_and_a_capture(panel, qtbot, monkeypatch, tmp_path):
    panel.show_detail(review_detail())
    assert "Not tested on devices yet" in panel.state_label.text()
    assert panel.import_button.isVisible() and panel.import_button.isEnabled()
    assert panel.capture_button.isVisible() and panel.capture_button.isEnabled()
    assert not panel.stop_button.isVisible() and not panel.splitter.isVisible()

    folder = str(tmp_path / "walleye-results")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: folder))
    with qtbot.waitSignal(panel.sig_run) as blocker:
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    fn, label = blocker.args
    assert isinstance(fn, functools.partial) and fn.func is enqueue_import
    assert fn.keywords == {"submission_id": 9, "folder": folder} and not fn.args
    assert label == "Import device results"
    assert not panel.capture_button.isEnabled()  # until the submission comes back with its job

    panel.show_detail(review_detail())
    with qtbot.waitSignal(panel.sig_run) as blocker:
        qtbot.mouseClick(panel.capture_button, Qt.MouseButton.LeftButton)
    fn, _label = blocker.args
    assert fn.func is enqueue_capture and fn.keywords == {"submission_id": 9}

    panel.show_detail(review_detail())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: ""))
    with qtbot.assertNotEmitted(panel.sig_run):
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)  # the dialog was cancelled


def test_a_queued_job_waits_for_a_worker_and_can_be_stopped(panel, qtbot):
    panel.show_detail(review_detail(device_job="queued"))
    assert panel.state_label.text() == "Waiting for a worker…"
    assert not panel.import_button.isVisible() and not panel.capture_button.isVisible()  # Stop in their place
    assert panel.stop_button.isVisible() and panel.stop_button.isEnabled()
    with qtbot.waitSignal(panel.sig_run) as blocker:
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    fn, _label = blocker.args
    assert fn.func is cancel_capture and fn.keywords == {"submission_id": 9}
    assert not panel.stop_button.isEnabled()


def test_a_running_capture_shows_its_progress_and_the_devices_so_far(panel, screens):
    done = [device("walleye", screenshots=screens.shots(1)), device("Pixel 7"), device("a10")]
    capture = run(3, done, source="adb", state="running", devices_total=5, label="emulator-5554, R58M")
    panel.show_detail(review_detail([capture], device_job="running", device_files=screens.files))
    assert panel.progress_label.isVisible() and panel.progress_label.text().startswith("3 of 5 device")
    assert (panel.progress_bar.value(), panel.progress_bar.maximum()) == (3, 5)
    assert len(matrix_rows(panel)) == 3
    assert panel.stop_button.isVisible() and panel.stop_button.isEnabled()
    assert not panel.capture_button.isVisible()
    assert not panel.error_label.isVisible()


@pytest.mark.parametrize(
    ("state", "error", "words"),
    [
        ("failed", "adb: no devices connected", "The run failed: adb: no devices connected"),
        ("cancelled", None, "The run was stopped: by a reviewer"),
    ],
)
def test_a_failed_or_stopped_run_says_why(panel, state, error, words):
    panel.show_detail(review_detail([run(4, [device("walleye")], state=state, error=error)]))
    assert panel.error_label.isVisible()
    assert words in panel.error_label.text()
    assert panel.import_button.isEnabled()  # another run may be asked for
    assert len(matrix_rows(panel)) == 1


def test_the_run_picker_and_the_warnings_of_a_run(panel, screens, qtbot):
    newer = run(2, [device("walleye"), device("Pixel 7", "failure", flags=("crash",))],
                warnings=("Pixel 7/artifacts/video.mp4: not an image, left out",))  # fmt: skip
    older = run(1, [device("SM-G960F", brand="samsung")], label="matrix-2026-11-28")
    panel.show_detail(review_detail([newer, older]))
    assert panel.run_selector.isVisible() and panel.run_selector.count() == 2
    assert panel.run_selector.itemText(0).startswith("latest — Test Lab results matrix-2026-11-29")
    assert matrix_rows(panel)[0][COL_DEVICE] == "Pixel 7 (Google)"

    assert panel.warnings_toggle.isVisible() and "1 file" in panel.warnings_toggle.text()
    assert not panel.warnings_label.isVisible()
    qtbot.mouseClick(panel.warnings_toggle, Qt.MouseButton.LeftButton)
    assert panel.warnings_label.isVisible()
    assert "video.mp4: not an image" in panel.warnings_label.text()

    panel.run_selector.setCurrentIndex(1)
    assert [row[COL_DEVICE] for row in matrix_rows(panel)] == ["SM-G960F (samsung)"]
    assert not panel.warnings_toggle.isVisible()
    panel.select_device(0)
    panel.show_detail(review_detail([newer, older]))  # the same submission again (a live update)
    assert panel.shown_run().run_id == 1 and panel.selected_device() == 0

    panel.show_detail(review_detail([run(7, [device("a10")])], submission_id=10))
    assert not panel.run_selector.isVisible() and panel.shown_run().run_id == 7


def test_showing_the_same_submission_again_keeps_what_was_on_show(panel, tmp_path, qtbot):
    """The window clears every panel, then shows the submission again (after a live update, say)."""
    current, previous, files = compared_runs(tmp_path)
    older = run(1, [device("walleye", os_version="9")], label="matrix-2026-11-01")
    detail = review_detail([current, older], previous=previous, device_files=files)
    panel.show_detail(detail)
    assert panel.select_device(1)  # Pixel 7
    walleye = next(e for e in panel.gallery.model.entries() if e.device == "walleye")
    panel.open_in_compare(walleye)
    panel.compare.set_right(1)  # Pixel 7's, not the last approved version's
    left, right = panel.compare.left_entry, panel.compare.right_entry
    assert right is not None and right.device == "Pixel 7"

    panel.clear()
    panel.show_detail(review_detail([current, older], previous=previous, device_files=files))
    assert panel.selected_device() == 1
    assert panel.views.currentWidget() is panel.compare
    assert (panel.compare.left_entry, panel.compare.right_entry) == (left, right)

    panel.clear()
    panel.show_detail(review_detail([current], device_files=files, submission_id=10))  # another submission
    assert panel.selected_device() is None and panel.views.currentWidget() is panel.gallery


def test_the_tab_badge_counts_the_red_flags_of_the_devices(qtbot):
    view = SubmissionView()
    qtbot.addWidget(view)
    flags = (
        RedFlag("device_crash", 1, "devices", {"devices": "Pixel 7"}),
        RedFlag("device_blank_screen", 1, "devices", {"devices": "SM-G960F"}),
        RedFlag("signer_changed", 2, "update"),
    )
    view.show_detail(review_detail([run(1, [device("Pixel 7", flags=("crash",))])], red_flags=flags))
    panel = view.panel("devices")
    assert [flag.code for flag in panel.attention()] == ["device_crash", "device_blank_screen"]
    tabs = view.tabs
    index = tabs.indexOf(panel)
    assert tabs.tabText(index) == "Devices (2)"
    assert not tabs.tabIcon(index).isNull()
    assert "crashed on Pixel 7" in tabs.tabToolTip(index)
    panel.loader.shutdown()


def test_at_the_size_it_gets_in_a_1280_by_800_window_nothing_is_cut_off(panel, screens, qtbot):
    """Every column of the matrix within its width, and a whole row of thumbnails with their labels."""
    fine, crashed, vague = three_devices(screens)
    others = [device(f"SM-A52{n}", brand="samsung", screenshots=screens.shots(2)) for n in range(6)]
    panel.resize(638, 565)  # what the window gives the panel at 1280 x 800
    panel.show_detail(review_detail([run(1, [fine, crashed, vague, *others])], device_files=screens.files))
    qtbot.waitUntil(lambda: thumbnails_in(panel), timeout=10_000)
    panel.select_device(1)  # the crash text takes its part of the height too
    QApplication.processEvents()
    header = panel.matrix.horizontalHeader()
    assert header.sectionViewportPosition(COL_FLAGS) + header.sectionSize(COL_FLAGS) <= panel.matrix.viewport().width()
    assert header.sectionSize(COL_FLAGS) >= 60
    assert panel.matrix.viewport().height() >= 2 * panel.matrix.rowHeight(0)
    view = panel.gallery.view
    first = view.visualRect(view.model().index(0, 0))
    assert first.height() > 0 and first.bottom() <= view.viewport().height()
