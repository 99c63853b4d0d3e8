"""Lead mode's Recalls tab in the real window, on a real database: the cases a workers' re-scan opened and
a lead's own recall in one list, closing cases and pulling apps from the tab (each change reaches the
database, the list and the review queue), and a refusal said in one line."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from reviewer_app.config import ScanSettings
from reviewer_app.review.worker import run_worker
from reviewer_app.ui.lead.recall_list import (
    COL_APP,
    COL_OPENED,
    COL_OPENED_BY,
    COL_PACKAGE,
    COL_SOURCE,
    COL_STATE,
    COL_VERSION,
    COL_WHY,
)
from reviewer_app.ui.text import local_time_text
from tests.conftest import DEMO_APKS

APKS = Path(__file__).resolve().parents[1] / "data" / "apks"
FAST = ScanSettings(engines=("yara", "android_rules"))


def file(service, path: Path, kind: str = "new") -> int:
    (outcome,) = service.submit([str(path)], kind=kind, developer="Acme Apps")
    assert outcome.ok, outcome.error
    return outcome.submission_id


def approve(service, settings, path: Path) -> int:
    sid = file(service, path)
    run_worker(replace(settings, scanning=FAST), threading.Event(), once=True, poll_seconds=0.1)
    service.claim(sid)
    assert service.decide(sid, "approve").ok
    return sid


def rescan_with_new_rules(settings, tmp_path) -> None:
    """New YARA rules that match every APK: the workers' re-scan of the live apps opens a case on each."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yar").write_text('rule Store_Dropper { strings: $m = "AndroidManifest.xml" condition: $m }\n')
    newer = replace(settings, scanning=replace(FAST, yara=replace(FAST.yara, rules_dir=str(rules))))
    run_worker(newer, threading.Event(), once=True, poll_seconds=0.1)


def open_recalls(qtbot, window, cases: int):
    lead_mode = window.lead_mode
    qtbot.waitUntil(lambda: lead_mode.is_lead, timeout=10_000)
    lead_mode.show_recalls()
    qtbot.waitExposed(lead_mode.lead_window)
    tab = lead_mode.recalls_tab
    assert lead_mode.lead_window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: window.jobs.idle and len(tab.view.cases()) == cases, timeout=10_000)
    return tab


def rows(tab) -> list[dict[str, str]]:
    table = tab.view.table
    names = {"opened": COL_OPENED, "app": COL_APP, "package": COL_PACKAGE, "version": COL_VERSION, "why": COL_WHY,
             "source": COL_SOURCE, "by": COL_OPENED_BY, "state": COL_STATE}  # fmt: skip
    return [{name: table.topLevelItem(i).text(col) for name, col in names.items()}
            for i in range(table.topLevelItemCount())]  # fmt: skip


def test_the_tab_lists_a_rescans_case_and_a_leads_recall(qtbot, make_window, service, settings, tmp_path):
    plain = approve(service, settings, APKS / "plain.apk")
    rescan_with_new_rules(settings, tmp_path)
    notes = approve(service, settings, DEMO_APKS / "com.example.notes_1.apk")
    update = file(service, DEMO_APKS / "com.example.notes_2.apk", kind="update")
    window = make_window(expect_rows=1)
    tab = open_recalls(qtbot, window, cases=1)
    (rescan,) = rows(tab)
    (case,) = tab.view.cases()
    plain_detail = service.view(plain).detail
    assert rescan == {
        "opened": local_time_text(case.opened_at),
        "app": plain_detail.row.label,
        "package": plain_detail.row.package,
        "version": case.version_name,
        "why": "r:Store_Dropper",  # what the engine found: the rule, by its file
        "source": "re-scan",
        "by": case.opened_by,
        "state": "open",
    }
    assert case.opened_by != "alice"  # a worker opened it
    qtbot.waitUntil(lambda: window.lead_mode.recalls_action.text().endswith("(1)"), timeout=10_000)

    # The tab's own button: which app, and why.
    qtbot.mouseClick(tab.recall_app_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok_button.isEnabled()
    dialog.package_edit.setText("com.example.notes")
    dialog.reason_edit.setPlainText("Uploads the user's contacts (reports from two banks).")
    with qtbot.waitSignal(tab.sig_changed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert service.view(notes).detail.withdrawn_reason == "Uploads the user's contacts (reports from two banks)."
    assert "com.example.notes is recalled" in tab.message_label.text()
    assert any("com.example.notes is recalled" in line for line in window.log_lines())
    qtbot.waitUntil(lambda: len(tab.view.cases()) == 2, timeout=10_000)
    assert [r["package"] for r in rows(tab)] == [plain_detail.row.package]  # open ones: the lead's is closed
    tab.view.set_open_only(False)
    lead, rescanned = rows(tab)  # newest first
    assert (lead["app"], lead["package"], lead["version"]) == ("Notes", "com.example.notes", "1.0")
    assert lead["why"] == "Uploads the user's contacts (reports from two banks)."
    assert (lead["source"], lead["by"], lead["state"]) == ("lead", "alice", "recalled")
    assert rescanned["state"] == "open"
    # The pending update of the recalled app says so in the review queue (through the live updates).
    qtbot.waitUntil(lambda: window.model.cached_row(update) is not None and window.model.cached_row(update).recalled,
                    timeout=10_000)  # fmt: skip


def test_a_case_is_dismissed_or_recalled_from_the_tab(qtbot, make_window, service, settings, tmp_path):
    ids = [approve(service, settings, APKS / name) for name in ("plain.apk", "label-literal.apk")]
    rescan_with_new_rules(settings, tmp_path)
    window = make_window(expect_rows=0)
    tab = open_recalls(qtbot, window, cases=2)
    by_submission = {case.submission_id: case for case in tab.view.cases()}
    dismissed, recalled = by_submission[ids[0]], by_submission[ids[1]]

    assert tab.view.select_case(dismissed.case_id)
    qtbot.mouseClick(tab.view.dismiss_button, Qt.MouseButton.LeftButton)
    tab.view.reason_dialog.text_edit.setPlainText("The rule matches every APK: withdrawn.")
    tab.view.reason_dialog.accept()
    qtbot.waitUntil(lambda: len(tab.view.listed_cases()) == 1, timeout=10_000)
    (stored,) = [c for c in service.recall_cases(include_closed=True) if c.case_id == dismissed.case_id]
    assert (stored.state, stored.closed_by, stored.note) == (
        "dismissed",
        "alice",
        "The rule matches every APK: withdrawn.",
    )
    assert service.view(ids[0]).detail.withdrawn_at is None  # the app stays live
    assert "dismissed" in tab.message_label.text()

    assert tab.view.select_case(recalled.case_id)
    qtbot.mouseClick(tab.view.recall_button, Qt.MouseButton.LeftButton)
    tab.view.reason_dialog.text_edit.setPlainText("A dropper after all.")
    qtbot.mouseClick(tab.view.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.view.listed_cases() == [], timeout=10_000)
    assert tab.view.empty_label.text() == "No open recall cases"
    assert service.view(ids[1]).detail.withdrawn_reason == "A dropper after all."
    assert service.recall_cases() == []
    qtbot.waitUntil(lambda: window.lead_mode.recalls_action.text() == "&Recall cases…", timeout=10_000)


def test_a_case_closed_elsewhere_meanwhile_is_refused_in_one_line(qtbot, make_window, service, settings, tmp_path):
    sid = approve(service, settings, APKS / "plain.apk")
    rescan_with_new_rules(settings, tmp_path)
    window = make_window(expect_rows=0)
    tab = open_recalls(qtbot, window, cases=1)
    (case,) = tab.view.cases()
    service.dismiss_recall(case.case_id, "false positive")  # another lead, on another workstation
    assert tab.view.select_case(case.case_id)
    tab.view.sig_recall.emit(case.case_id, "malware")
    qtbot.waitUntil(lambda: "already dismissed" in tab.message_label.text(), timeout=10_000)
    text = tab.message_label.text()
    assert "\n" not in text and "Traceback" not in text and text.startswith(f"Recall case {case.case_id}: ")
    assert any(text in line for line in window.log_lines())
    qtbot.waitUntil(lambda: tab.view.listed_cases() == [], timeout=10_000)  # read again: closed
    assert service.view(sid).detail.withdrawn_at is None


def test_a_rollback_from_the_tab_reads_the_list_again(qtbot, make_window, service, settings):
    for name in ("com.example.notes_1.apk", "com.example.notes_2.apk"):
        approve(service, settings, DEMO_APKS / name)
    window = make_window(expect_rows=0)
    tab = open_recalls(qtbot, window, cases=0)
    assert tab.view.empty_label.isVisible()
    qtbot.mouseClick(tab.rollback_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    dialog.package_edit.setText("com.example.notes")
    dialog.reason_edit.setPlainText("Crashes on start since Friday's release.")
    with qtbot.waitSignal(tab.sig_loaded, timeout=10_000):  # read again after the rollback
        dialog.ok_button.click()
    assert "version 1.1 withdrawn; version 1.0 is live again" in tab.message_label.text()
    assert service.store.approved_facts("com.example.notes")["version_code"] == 1


def test_a_case_opened_while_the_window_is_up_reaches_the_lead_menu_without_opening_lead_mode(
    qtbot, make_window, service, settings, tmp_path
):
    approve(service, settings, APKS / "plain.apk")
    window = make_window(expect_rows=0)
    lead_mode = window.lead_mode
    qtbot.waitUntil(lambda: lead_mode.is_lead and lead_mode.recall_timer.isActive(), timeout=10_000)
    qtbot.waitUntil(lambda: lead_mode.recalls_tab.open_count == 0 and not lead_mode.recalls_tab.view.cases(),
                    timeout=10_000)  # fmt: skip
    assert lead_mode.recalls_action.text() == "&Recall cases…"
    window.watcher.stop()  # the live updates miss it (a reconnect): the minute's read still finds it
    rescan_with_new_rules(settings, tmp_path)  # a worker elsewhere opens a case
    lead_mode.recall_timer.setInterval(200)  # (a minute in use)
    qtbot.waitUntil(lambda: lead_mode.recalls_action.text() == "&Recall cases… (1)", timeout=10_000)
    assert not lead_mode.lead_window.isVisible()
    assert [case.source for case in lead_mode.recalls_tab.view.cases()] == ["rescan"]
    # Leaving the lead role stops the reads.
    lead_mode.set_role("reviewer")
    assert not lead_mode.recall_timer.isActive()


def test_a_recall_by_another_lead_reaches_the_open_tab_within_seconds_on_postgresql(qtbot, make_window, pg_server,
                                                                                    tmp_path):  # fmt: skip
    from datetime import UTC, datetime

    from tests.review.conftest import Clock, Team
    from tests.review.test_device_runs import submit_demo
    from tests.review.test_scan_jobs import worker_settings

    team = Team("postgresql", tmp_path, Clock(datetime.now(UTC)), pg_server)
    try:
        worker = worker_settings(team, FAST)
        ids = submit_demo(team, "com.example.notes_1.apk", "com.example.weather_30.apk")
        run_worker(worker, threading.Event(), once=True, poll_seconds=0.1)  # scanned, then approved
        assert all(team["lena"].decide(sid, "approve").ok for sid in ids)
        window = make_window(settings=team.settings("lena"))
        tab = open_recalls(qtbot, window, cases=0)
        lead_mode = window.lead_mode
        assert lead_mode.recall_timer.interval() == 60_000  # not what brings it: the waits below end sooner
        # lena again, from another workstation (the command line): not through this window
        team["lena"].recall_live_app("com.example.notes", "steals contacts (user reports)")
        qtbot.waitUntil(lambda: len(tab.view.cases()) == 1, timeout=10_000)
        (case,) = team["lena"].recall_cases(include_closed=True)
        assert lead_mode.recalls_action.text() == "&Recall cases…"  # closed at once: nothing open
        assert case.state == "recalled" and tab.view.cases()[0].state == "recalled"
        # a case a worker's re-scan opens is counted as it comes (the weather app: the notes are recalled)
        rescan_with_new_rules(worker, tmp_path)
        qtbot.waitUntil(lambda: lead_mode.recalls_action.text() == "&Recall cases… (1)", timeout=10_000)
        assert [c.package for c in tab.view.cases() if c.state == "open"] == ["com.example.weather"]
    finally:
        team.close()
