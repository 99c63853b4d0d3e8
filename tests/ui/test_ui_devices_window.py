"""The Devices panel in the real window, on a real database: a reviewer asks for a results folder to be
imported, a worker files it, and the open submission shows the run without a reload."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from reviewer_app.config import ScanSettings
from reviewer_app.review.worker import run_worker
from tests.conftest import DEMO_APKS
from tests.review.test_device_runs import LOGCAT_CRASH, LOGCAT_FINE, results_folder


def test_an_import_asked_for_in_the_panel_arrives_in_the_open_submission(
    qtbot, make_window, select_and_load, service, settings, tmp_path, monkeypatch
):
    (outcome,) = service.submit([str(DEMO_APKS / "com.example.wallet_120.apk")], kind="sensitive", developer="Acme")
    assert outcome.ok, outcome.error
    folder = results_folder(Path(tmp_path) / "results", {
        "cheetah-33-zh_CN-portrait": (LOGCAT_FINE.replace("notes", "wallet"), [1, 2]),
        "starqlteue-29-zh_CN-portrait": (LOGCAT_CRASH.replace("notes", "wallet"), [None]),
    })  # fmt: skip
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    panel = window.submission_view.panel("devices")
    window.submission_view.set_current_panel("devices")
    assert "Not tested on devices yet" in panel.state_label.text()
    assert panel.import_button.isVisible()

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    panel.import_button.click()
    qtbot.waitUntil(lambda: "Waiting for a worker" in panel.state_label.text(), timeout=10_000)

    worker = threading.Thread(
        target=run_worker,
        args=(replace(settings, scanning=ScanSettings(engines=())), threading.Event()),
        kwargs={"once": True, "poll_seconds": 0.1},
    )
    worker.start()
    worker.join(60)
    qtbot.waitUntil(lambda: panel.matrix_model.rowCount() == 2, timeout=15_000)
    # the crashed phone first, its flags in the queue's risk column and on the tab
    assert "starqlteue" in str(panel.matrix_model.index(0, 0).data())
    assert {"device_crash", "device_blank_screen"} <= {f.code for f in panel.attention()}
    row = window.model.cached_row(outcome.submission_id)
    assert {"device_crash", "device_blank_screen"} <= {f.code for f in row.red_flags}
    qtbot.waitUntil(lambda: len(panel.gallery.shown_entries()) == 3, timeout=10_000)
