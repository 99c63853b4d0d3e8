"""The blind audit of an update shows the code comparison its reviewer saw: the same text, computed on the
parsing thread from the two blobs the frozen evidence names (not from today's last approved version), with
nothing in it that tells whose decision it was; a blob missing from the store is one line, not a failure."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from PySide6.QtCore import Qt

from reviewer_app.apk import read_apk
from reviewer_app.apk.diff import diff_versions
from reviewer_app.ui.lead.audit_queue import PAGE_AUDIT
from reviewer_app.ui.text import reason_title, verdict_name
from tests.corpus import need_corpus
from tests.ui.test_ui_audits import all_texts, open_lead_window, sample_as_lead

MESSAGE = "The new version sends the contact list to a server it does not name."


@pytest.fixture
def lead_settings(settings):
    return dataclasses.replace(settings, reviewer="lena")


def audit_submission(qtbot, tab, submission_id: int) -> None:
    """Press Audit on the sampled decision about this submission; wait for its evidence."""
    (item,) = [i for i in tab.list.items() if i.submission_id == submission_id]
    tab.list.select_item(item.item_id)
    qtbot.mouseClick(tab.audit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.stack.currentIndex() == PAGE_AUDIT and tab.evidence_view.data is not None,
                    timeout=10_000)  # fmt: skip
    assert tab.evidence_view.data.submission_id == submission_id


def code_label(tab):
    return tab.evidence_view.panel("facts").code_label


def test_the_audit_of_an_update_shows_the_code_changes_its_reviewer_saw(
    qtbot, make_window, service, service_as, lead_settings, select_and_load, wait_idle
):
    corpus = need_corpus()
    v3, v5, v6 = (corpus / f"com.politedroid_{n}.apk" for n in (3, 5, 6))
    (approved,) = service.submit([v3], kind="new", developer="Polite", tier=3)
    assert service.decide(approved.submission_id, "approve").ok
    (update,) = service.submit([v6], kind="update", developer="Polite", tier=3)
    expected = diff_versions(read_apk(v3, classes=True), read_apk(v6, classes=True))
    assert (len(expected.classes_added), len(expected.classes_removed)) == (4, 3)

    # What alice's window says of the update while she reviews it.
    reviewer = make_window(expect_rows=1)
    assert select_and_load(reviewer, 0) == update.submission_id
    label = reviewer.facts_panel.code_label
    qtbot.waitUntil(lambda: "classes added" in label.text(), timeout=30_000)
    seen = label.text()
    assert "classes added 4, removed 3." in seen and "a.a (2)" in seen
    reviewer.close()
    decided = service.decide(update.submission_id, "reject", ["privacy"], MESSAGE)
    assert decided.ok, decided.error

    # Later, version 5 is approved: today the last approved version of the app is 5, not 3.
    (later,) = service.submit([v5], kind="update", developer="Polite", tier=3)
    assert service_as("bob").decide(later.submission_id, "approve").ok
    today = diff_versions(read_apk(v5, classes=True), read_apk(v6, classes=True))
    assert (len(today.classes_added), len(today.classes_removed)) != (4, 3)

    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    audit_submission(qtbot, tab, update.submission_id)
    audited = code_label(tab)
    qtbot.waitUntil(lambda: "classes added" in audited.text(), timeout=30_000)
    assert audited.text() == seen  # the very text the reviewer had, from the same two blobs
    assert audited.isVisible()
    assert window.code_comparison.cached(tab.audit.detail.code_paths) == seen
    wait_idle(window)

    # Still blind: the code comparison names nobody, and nothing else leaks while it is on show.
    texts = all_texts(tab.window(), skip_models=(tab.form.reason_model,))
    leaks = [t for t in texts if "alice" in t or "bob" in t or MESSAGE[:20] in t or verdict_name("reject") in t
             or reason_title("privacy") in t or decided.decision_id in t]  # fmt: skip
    assert leaks == []
    assert tab.form.verdict() == "" and tab.comparison.comparison is None


@pytest.mark.parametrize("gone", [0, 1], ids=["approved-version", "update"])
def test_a_blob_missing_from_the_store_is_one_line_in_the_audit(
    qtbot, make_window, service, demo_apks, lead_settings, gone
):
    (approved,) = service.submit([demo_apks["com.example.notes_1.apk"]], kind="new", developer="Acme", tier=3)
    assert service.decide(approved.submission_id, "approve").ok
    (update,) = service.submit([demo_apks["com.example.notes_2.apk"]], kind="update", developer="Acme", tier=3)
    assert service.decide(update.submission_id, "approve").ok
    detail = service.view(update.submission_id).detail
    blob = service.artifact_path((detail.previous_artifact_sha256, detail.artifact_sha256)[gone])
    kept = blob.with_name("kept-aside")
    shutil.move(blob, kept)

    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    audit_submission(qtbot, tab, update.submission_id)
    label = code_label(tab)
    qtbot.waitUntil(lambda: "not in the blob store" in label.text(), timeout=30_000)
    missing = ("the last approved version's APK", "this version's APK")[gone]
    assert label.text() == f"Code not compared with the last approved version: {missing} is not in the blob store"
    assert "\n" not in label.text() and label.isVisible()
    assert tab.evidence_view.panel("facts").banner.isVisible()  # the rest of the evidence is there
    assert tab.message_label.text() == "" and not any("Traceback" in line for line in window.log_lines())

    # The blob is back (a share that was not mounted, say): the next look compares, nothing stale kept.
    shutil.move(kept, blob)
    assert window.code_comparison.cached(tab.audit.detail.code_paths) is None
    tab.close_audit()
    audit_submission(qtbot, tab, update.submission_id)
    qtbot.waitUntil(lambda: label.text() == "Neither version has DEX code.", timeout=30_000)
    tab.form.approve_radio.setChecked(True)  # and the audit goes on as any other
    tab.form.record()
    qtbot.waitUntil(lambda: tab.comparison.comparison is not None, timeout=10_000)
    assert "agree" in tab.comparison.outcome_label.text()
