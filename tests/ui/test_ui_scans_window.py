"""The Scans panel and the recall cases in the real window, on a real database, with a real worker running
the shipped YARA rules and the built-in Android rules on the project's purpose-built APKs."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from reviewer_app.config import ScanSettings
from reviewer_app.review.worker import BackgroundWorker, run_worker

APKS = Path(__file__).resolve().parents[1] / "data" / "apks"
FAST = ScanSettings(engines=("yara", "android_rules"))


def submit(service, name: str) -> int:
    (outcome,) = service.submit([str(APKS / name)], kind="new", developer="dev")
    assert outcome.ok, outcome.error
    return outcome.submission_id


def run_jobs(settings) -> None:
    run_worker(replace(settings, scanning=FAST), threading.Event(), once=True, poll_seconds=0.1)


def test_verdicts_arrive_in_the_open_submission_without_a_reload(
    qtbot, make_window, select_and_load, service, settings
):
    sid = submit(service, "sms-premium.apk")
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    panel = window.submission_view.panel("scan")
    assert "Not scanned yet" in panel.state_label.text()
    assert not panel.rescan_button.isEnabled()  # a scan already waits

    worker = threading.Thread(target=run_jobs, args=(settings,))
    worker.start()
    qtbot.waitUntil(lambda: not panel.gate_banner.isHidden() and "Blocked" in panel.gate_banner.text(), timeout=30_000)
    worker.join(30)
    assert panel.tree.topLevelItemCount() == 2
    engines = {panel.tree.topLevelItem(i).text(0) for i in range(2)}
    assert engines == {"yara", "android_rules"}
    # the tab carries the scan's red flags, the header counts them, the queue's risk column too
    attention = {flag.code for flag in panel.attention()}
    assert {"scan_blocked", "fee_deduction"} <= attention
    row = window.model.cached_row(sid)
    assert {"scan_blocked", "fee_deduction"} <= {flag.code for flag in row.red_flags}
    assert panel.rescan_button.isEnabled()

    panel.rescan_button.click()
    qtbot.waitUntil(lambda: service.scan_job_counts()["queued"] == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "waiting for a worker" in panel.state_label.text(), timeout=10_000)


def test_a_lead_recalls_an_app_from_the_recall_cases_in_lead_mode(
    qtbot, make_window, select_and_load, service, settings, tmp_path
):
    sid = submit(service, "plain.apk")
    run_jobs(settings)
    service.claim(sid)
    assert service.decide(sid, "approve").ok
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yar").write_text('rule Store_Dropper { strings: $m = "AndroidManifest.xml" condition: $m }\n')
    newer = replace(settings, scanning=replace(FAST, yara=replace(FAST.yara, rules_dir=str(rules))))
    run_worker(newer, threading.Event(), once=True, poll_seconds=0.1)  # the re-scan finds it: a case opens

    window = make_window(expect_rows=0)
    lead_mode = window.lead_mode
    controller = lead_mode.recalls_tab
    assert lead_mode.menu.menuAction().isVisible()  # the single user of a workstation is its lead
    qtbot.waitUntil(lambda: controller.open_count == 1, timeout=10_000)
    assert lead_mode.recalls_action.text().endswith("(1)")  # the Lead menu says a case waits
    lead_mode.recalls_action.trigger()
    assert lead_mode.lead_window.isVisible() and lead_mode.lead_window.tabs.currentWidget() is controller
    view = controller.view
    qtbot.waitUntil(lambda: view.table.topLevelItemCount() == 1, timeout=10_000)
    view.table.setCurrentItem(view.table.topLevelItem(0))
    case = view.selected_case()
    assert case is not None and case.submission_id == sid and case.evidence[0].engine == "yara"

    view.sig_recall.emit(case.case_id, "a dropper found by the new rules")
    qtbot.waitUntil(lambda: controller.open_count == 0, timeout=10_000)
    detail = service.view(sid).detail
    assert detail.withdrawn_at is not None and detail.withdrawn_reason == "a dropper found by the new rules"
    assert any("recalled" in line for line in window.log_lines())


def test_the_workstations_own_worker_scans_and_stops_when_asked(qtbot, service, settings):
    sid = submit(service, "plain.apk")
    worker = BackgroundWorker(replace(settings, scanning=FAST), poll_seconds=0.1)
    worker.start()
    try:
        qtbot.waitUntil(lambda: bool(service.view(sid).detail.scans) and service.view(sid).detail.scans[0].state == "done",
                        timeout=30_000)  # fmt: skip
    finally:
        worker.stop()
    assert not worker.running and worker.error is None
    assert service.view(sid).detail.scans[0].gate == "pass"


def test_a_lead_rolls_back_a_broken_release_and_recalls_an_app_from_the_lead_menu(
    qtbot, make_window, service, settings
):
    from tests.conftest import DEMO_APKS

    ids = []
    for name in ("com.example.notes_1.apk", "com.example.notes_2.apk"):
        (outcome,) = service.submit([str(DEMO_APKS / name)], kind="new", developer="Acme Apps")
        service.claim(outcome.submission_id)
        assert service.decide(outcome.submission_id, "approve").ok
        ids.append(outcome.submission_id)
    window = make_window(expect_rows=0)
    controller = window.lead_mode.recalls_tab

    dialog = controller.ask_rollback(window)
    assert not dialog.ok_button.isEnabled()  # a package and a reason, both
    dialog.package_edit.setText("com.example.notes")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setPlainText("crashes on start since Friday's release")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: any("is live again" in line for line in window.log_lines()), timeout=10_000)
    assert service.store.approved_facts("com.example.notes")["version_code"] == 1

    dialog = controller.ask_recall_app(window)
    dialog.package_edit.setText("com.example.nope")
    dialog.reason_edit.setPlainText("malware")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: any("com.example.nope: no app" in line for line in window.log_lines()), timeout=10_000)
    dialog = controller.ask_recall_app(window)
    dialog.package_edit.setText("com.example.notes")
    dialog.reason_edit.setPlainText("steals contacts")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: service.view(ids[0]).detail.withdrawn_at is not None, timeout=10_000)
    qtbot.waitUntil(lambda: any(c.source == "lead" for c in controller.view.cases()), timeout=10_000)
