"""The Clones panel in the real window: a worker's clone search of a real counterfeit shows the original side
by side, counts as a red flag, and rejecting from the panel ticks "Counterfeit / impersonation"."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from reviewer_app.config import ScanSettings
from reviewer_app.review.catalog import add_apks
from reviewer_app.review.worker import run_worker

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "apks"


def test_a_counterfeit_is_shown_beside_its_original_and_rejected_as_one(
    qtbot, make_window, select_and_load, service, settings
):
    assert all(ok for _p, ok, _e, _a in add_apks(service, [str(DEMO / "com.example.notes_1.apk")], "Acme Apps"))
    (outcome,) = service.submit([str(DEMO / "com.exampel.notes_1.apk")], kind="new", developer="Shady Labs")
    run_worker(replace(settings, scanning=ScanSettings(engines=())), threading.Event(), once=True, poll_seconds=0.1)

    window = make_window(expect_rows=1)
    assert select_and_load(window, 0) == outcome.submission_id
    panel = window.submission_view.panel("clones")
    assert "Counterfeit suspected" in panel.verdict_banner.text()
    assert "com.example.notes" in panel.verdict_banner.text() and "Acme Apps" in panel.verdict_banner.text()
    assert {flag.code for flag in panel.attention()} == {"counterfeit_suspected"}
    assert "counterfeit_suspected" in {f.code for f in window.model.cached_row(outcome.submission_id).red_flags}
    assert not panel.cand_icon.pixmap().isNull()  # the original's icon, from the blob store

    panel.reject_button.click()
    decision = window.decision_panel
    assert decision.reason_model.checked_codes() == ["counterfeit"]
    assert "Tick the reasons" in decision.status_label.text()


def test_a_name_in_the_brand_registry_is_shown_as_such(qtbot, make_window, select_and_load, service, settings):
    assert service.protect_name("Notes", "Acme Apps", "com.example.notes")  # the single user is the lead
    assert all(
        o.ok for o in service.submit([str(DEMO / "com.exampel.notes_1.apk")], kind="new", developer="Shady Labs")
    )
    run_worker(replace(settings, scanning=ScanSettings(engines=())), threading.Event(), once=True, poll_seconds=0.1)
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    panel = window.submission_view.panel("clones")
    assert "Counterfeit suspected" in panel.verdict_banner.text()
    assert "brand registry" in panel.withdrawn_label.text() and "Acme Apps" in panel.withdrawn_label.text()
