"""The Scans panel, given plain data: the gate, progress, engine rows with evidence, earlier scans, re-scan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from reviewer_app.domain import SubmissionDetail
from reviewer_app.review import QueueRow, RedFlag, ScanEngineRow, ScanRecord, SubmissionView
from reviewer_app.review.detail import ReviewDetail
from reviewer_app.ui.evidence import ScansPanel, panel_classes
from reviewer_app.ui.evidence.scan_rows import (
    COL_DETECTIONS,
    COL_ENGINE,
    COL_ENGINE_VERSION,
    COL_SECONDS,
    COL_SIGNATURES,
    COL_VERDICT,
    EvidenceRole,
)

SHA = "ab" * 32
T0 = datetime(2026, 11, 29, 18, 2, tzinfo=UTC)


def engine(name: str, verdict: str = "clean", **changes) -> ScanEngineRow:
    values = {
        "engine": name,
        "engine_version": f"{name} 1.0",
        "signatures_version": "2026-11-29",
        "verdict": verdict,
        "seconds": 1.25,
    }
    values.update(changes)
    return ScanEngineRow(**values)


SMS_EVIDENCE = (
    {"rule": "premium_sms", "kind": "string", "value": "1066 8888", "detail": "sends to a premium short code"},
    {"rule": "premium_sms", "kind": "call", "value": "SmsManager.sendTextMessage", "detail": ""},
)


def scan(scan_id: int = 1, gate: str | None = "pass", **changes) -> ScanRecord:
    values = {
        "scan_id": scan_id,
        "artifact_sha256": SHA,
        "state": "done",
        "reason": "submitted",
        "policy": "any_clean",
        "gate": gate,
        "gate_reason": "2 of 2 engines clean",
        "engines": (engine("clamav"), engine("yara")),
        "engines_expected": 2,
        "started_at": T0,
        "finished_at": T0 + timedelta(seconds=14),
        "worker": "worker-1",
    }
    values.update(changes)
    return ScanRecord(**values)


def review_detail(
    scans=(), scan_job=None, artifact_sha256: str | None = SHA, red_flags=(), submission_id: int = 7
) -> ReviewDetail:
    row = QueueRow(
        submission_id=submission_id,
        kind="new" if artifact_sha256 else "metadata",
        package="com.example.notes",
        label="Notes",
        developer="Acme Apps",
        tier=3,
        submitted_at=T0 - timedelta(hours=1),
        deadline=T0 + timedelta(hours=5),
        status="pending",
        claimed_by="alice",
        lease_until=None,
    )
    record = SubmissionDetail(
        row=row,
        artifact_sha256=artifact_sha256,
        facts=None,
        icon_png=None,
        note=None,
        row_version=1,
        scans=tuple(scans),
        scan_job=scan_job,
    )
    return ReviewDetail(view=SubmissionView(record, None, None), red_flags=tuple(red_flags))


@pytest.fixture
def panel(qtbot):
    widget = ScansPanel()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def engine_rows(panel):
    tree = panel.tree
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def test_the_panel_is_registered_between_facts_and_history():
    keys = [cls.key for cls in panel_classes()]
    assert keys.index("facts") < keys.index("scan") < keys.index("history")
    assert ScansPanel.title() == "Scans"


@pytest.mark.parametrize(
    ("gate", "words", "color"),
    [
        ("pass", "Passed: may go on to review", "#e6f4ea"),
        ("block", "Blocked: an engine found malware", "#fdecea"),
        ("hold", "a person must look", "#fff4e0"),
    ],
)
def test_the_gate_banner_says_and_colours_the_gate(panel, gate, words, color):
    panel.show_detail(review_detail([scan(gate=gate, gate_reason="the reason stored with it")]))
    banner = panel.gate_banner
    assert banner.isVisible()
    assert words in banner.text()
    assert "Policy: any_clean" in banner.text() and "the reason stored with it" in banner.text()
    assert color in banner.styleSheet()
    assert banner.property("gate") == gate
    assert not panel.after_pass_label.isVisible()
    assert not panel.progress_row.isVisible()
    assert not panel.state_label.isVisible()


def test_malware_found_after_the_gate_passed_is_named_in_red(panel):
    later = scan(
        gate="pass",
        engines=(engine("clamav", "malicious", detections=("Andr.Trojan.SmsPay",)), engine("yara")),
        malware_after_pass=("clamav",),
    )
    panel.show_detail(review_detail([later]))
    assert panel.after_pass_label.isVisible()
    assert "clamav" in panel.after_pass_label.text()
    assert "#c62828" in panel.after_pass_label.styleSheet()


def test_a_running_scan_shows_how_many_engines_answered_and_blocks_nothing(panel):
    running = scan(
        gate=None,
        state="running",
        finished_at=None,
        engines=(engine("clamav"), engine("yara", "suspicious", detections=("dex_loader",))),
        engines_expected=4,
    )
    panel.show_detail(review_detail([running], scan_job="running"))
    assert panel.progress_row.isVisible()
    assert panel.progress_label.text() == "2 of 4 engines answered"
    assert (panel.progress_bar.value(), panel.progress_bar.maximum()) == (2, 4)
    assert not panel.gate_banner.isVisible()  # no verdict yet
    assert len(engine_rows(panel)) == 2  # the rows that arrived are there already
    assert not panel.rescan_button.isEnabled()


def test_a_running_scan_with_a_provisional_gate_shows_both(panel):
    running = scan(gate="hold", state="running", finished_at=None, engines=(engine("clamav"),), engines_expected=3)
    panel.show_detail(review_detail([running], scan_job="running"))
    assert panel.gate_banner.isVisible() and panel.progress_row.isVisible()
    assert panel.progress_label.text() == "1 of 3 engines answered"


@pytest.mark.parametrize(
    ("scan_job", "artifact", "words"),
    [
        ("queued", SHA, "Not scanned yet: a worker will scan it."),
        ("running", SHA, "Scanning…"),
        (None, None, "No package to scan"),
        (None, SHA, "Not scanned yet"),
    ],
)
def test_without_a_scan_the_panel_says_why(panel, scan_job, artifact, words):
    panel.show_detail(review_detail([], scan_job=scan_job, artifact_sha256=artifact))
    assert panel.state_label.isVisible()
    assert words in panel.state_label.text()
    assert not panel.tree.isVisible() and not panel.gate_banner.isVisible()
    assert not panel.scan_selector.isVisible()
    # A running job with nothing on record yet: a busy bar, without counts.
    assert panel.progress_row.isVisible() == (scan_job == "running")
    if scan_job == "running":
        assert panel.progress_bar.maximum() == 0
    assert panel.rescan_button.isEnabled() == (scan_job is None and artifact is not None)


def test_a_failed_scan_shows_its_error(panel):
    failed = scan(gate=None, state="failed", error="clamd did not answer on /run/clamd.sock", engines=())
    panel.show_detail(review_detail([failed]))
    assert panel.gate_banner.isVisible()
    assert "The scan failed: clamd did not answer on /run/clamd.sock" in panel.gate_banner.text()
    assert "#fdecea" in panel.gate_banner.styleSheet()
    assert panel.rescan_button.isEnabled()


def test_a_row_per_engine_with_the_verdict_coloured_and_the_evidence_below(panel):
    rows = (
        engine(
            "yara",
            "malicious",
            detections=("premium_sms", "dex_loader"),
            evidence=SMS_EVIDENCE,
            engine_version="4.5.2",
            signatures_version="rules 2026.11.28",
            seconds=0.42,
        ),
        engine("clamav", "clean", seconds=1.2),
        engine("heuristics", "suspicious", detections=("obfuscated",), evidence=(SMS_EVIDENCE[1],)),
        engine("cloud", "timeout", error="no answer within 30 s"),
    )
    panel.show_detail(review_detail([scan(gate="block", engines=rows)]))
    items = engine_rows(panel)
    assert [item.text(COL_ENGINE) for item in items] == ["yara", "clamav", "heuristics", "cloud"]
    yara, clamav, heuristics, cloud = items
    assert yara.text(COL_VERDICT) == "malicious"
    assert yara.text(COL_DETECTIONS) == "premium_sms, dex_loader"
    assert yara.text(COL_ENGINE_VERSION) == "4.5.2" and yara.text(COL_SIGNATURES) == "rules 2026.11.28"
    assert yara.text(COL_SECONDS) == "0.4 s" and clamav.text(COL_SECONDS) == "1.2 s"
    assert cloud.text(COL_VERDICT) == "timed out"
    colours = [item.foreground(COL_VERDICT).color().name() for item in items]
    assert colours == ["#c62828", "#2e7d32", "#b26a00", "#6b6b6b"]
    # Evidence as child rows; findings open, the rest folded.
    assert yara.childCount() == 2 and yara.isExpanded()
    first = yara.child(0)
    assert first.data(0, EvidenceRole)["value"] == "1066 8888"
    assert "premium_sms" in first.text(0) and "string: 1066 8888" in first.text(0)
    assert "sends to a premium short code" in first.text(0)
    assert heuristics.isExpanded() and clamav.childCount() == 0
    # The error: a tooltip on the row and a child row.
    assert cloud.toolTip(COL_ENGINE) == "no answer within 30 s"
    assert cloud.childCount() == 1 and "no answer within 30 s" in cloud.child(0).text(0)
    assert not cloud.isExpanded()


def test_the_selector_shows_an_earlier_scan(panel):
    first = scan(1, gate="pass", reason="submitted", started_at=T0 - timedelta(days=3))
    latest = scan(
        2,
        gate="block",
        reason="rescan",
        started_at=T0,
        engines=(engine("clamav", "malicious", detections=("Andr.Trojan.SmsPay",)),),
        engines_expected=1,
        malware_after_pass=("clamav",),
    )
    panel.show_detail(review_detail([latest, first]))
    selector = panel.scan_selector
    assert selector.isVisible() and selector.count() == 2
    assert selector.itemText(0).startswith("latest — re-scan, ")
    assert selector.itemText(0).endswith("blocked")
    assert selector.itemText(1).startswith("submitted, ") and selector.itemText(1).endswith("passed")
    assert [item.text(COL_ENGINE) for item in engine_rows(panel)] == ["clamav"]
    assert panel.after_pass_label.isVisible()

    selector.setCurrentIndex(1)
    assert panel.shown_scan() is first
    assert [item.text(COL_ENGINE) for item in engine_rows(panel)] == ["clamav", "yara"]
    assert "Passed" in panel.gate_banner.text()
    assert not panel.after_pass_label.isVisible()

    # Shown again (a live update of the same submission): the earlier scan stays chosen.
    panel.show_detail(review_detail([latest, first]))
    assert panel.shown_scan() == first
    # Another submission starts at its latest scan.
    panel.show_detail(review_detail([latest, first], submission_id=8))
    assert panel.shown_scan() == latest


def test_a_single_scan_needs_no_selector(panel):
    panel.show_detail(review_detail([scan()]))
    assert not panel.scan_selector.isVisible()
    assert panel.shown_scan() is not None


class Recorder:
    def __init__(self) -> None:
        self.asked: list[int] = []

    def request_scan(self, submission_id: int) -> str:
        self.asked.append(submission_id)
        return "queued"


def test_rescan_asks_the_service_for_this_submission(panel, qtbot):
    panel.show_detail(review_detail([scan()], submission_id=42))
    assert panel.rescan_button.isEnabled()
    with qtbot.waitSignal(panel.sig_run, timeout=1000) as blocker:
        qtbot.mouseClick(panel.rescan_button, Qt.MouseButton.LeftButton)
    fn, label = blocker.args
    assert label == "Re-scan"
    recorder = Recorder()
    assert fn(recorder) == "queued"
    assert recorder.asked == [42]
    # No second request before the submission is shown again with its job...
    assert not panel.rescan_button.isEnabled()
    panel.show_detail(review_detail([scan()], scan_job="queued", submission_id=42))
    assert not panel.rescan_button.isEnabled() and not panel.rescan_timer.isActive()


def test_rescan_is_offered_again_when_the_request_came_to_nothing(panel, qtbot):
    panel.rescan_timer.setInterval(50)
    panel.show_detail(review_detail([scan()]))
    with qtbot.waitSignal(panel.sig_run, timeout=1000):
        panel.request_rescan()
    assert not panel.rescan_button.isEnabled()
    # The job failed (offline, say): the submission is not shown again, and the button comes back.
    qtbot.waitUntil(panel.rescan_button.isEnabled, timeout=2000)


@pytest.mark.parametrize("scan_job", ["queued", "running"])
def test_rescan_is_disabled_while_a_scan_job_waits_or_runs(panel, qtbot, scan_job):
    panel.show_detail(review_detail([scan()], scan_job=scan_job))
    assert not panel.rescan_button.isEnabled()
    assert "already" in panel.rescan_button.toolTip()
    assert panel.state_label.isVisible()  # the last scan is shown, and that a new one is coming
    with qtbot.assertNotEmitted(panel.sig_run):
        qtbot.mouseClick(panel.rescan_button, Qt.MouseButton.LeftButton)
        panel.request_rescan()


def test_rescan_is_disabled_without_a_package(panel):
    panel.show_detail(review_detail([], artifact_sha256=None))
    assert not panel.rescan_button.isEnabled()


def test_attention_is_the_scan_red_flags(panel):
    flags = (
        RedFlag("scan_malicious", 2, "scan", {"engine": "clamav"}),
        RedFlag("scan_held", 1, "scan"),
        RedFlag("signer_changed", 2, "update"),
    )
    assert panel.attention() == ()
    panel.show_detail(review_detail([scan(gate="block")], red_flags=flags))
    assert [flag.code for flag in panel.attention()] == ["scan_malicious", "scan_held"]
    panel.clear()
    assert panel.attention() == ()
    assert not panel.tree.isVisible() and not panel.gate_banner.isVisible()


def test_clear_forgets_the_scans(panel):
    panel.show_detail(review_detail([scan(2), scan(1)]))
    panel.clear()
    assert panel.scans() == () and panel.shown_scan() is None
    assert panel.scan_selector.count() == 0 and not panel.rescan_button.isEnabled()
