"""The leads' recall list, given plain RecallCase values: the filter, the selection, the evidence, the
reason dialog and the signals."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from reviewer_app.review import RecallCase, ScanEngineRow
from reviewer_app.ui.evidence.scan_rows import COL_ENGINE, COL_VERDICT, EvidenceRole
from reviewer_app.ui.lead.recall_list import COL_PACKAGE, COL_SOURCE, COL_STATE, COL_WHY, RecallListView

T0 = datetime(2026, 11, 29, 18, 2, tzinfo=UTC)

SMS = ScanEngineRow(
    engine="yara",
    engine_version="4.5.2",
    signatures_version="rules 2026.11.28",
    verdict="malicious",
    detections=("premium_sms", "dex_loader"),
    seconds=0.4,
    evidence=({"rule": "premium_sms", "kind": "string", "value": "1066 8888", "detail": "premium short code"},),
)
CLAM = ScanEngineRow(
    engine="clamav",
    engine_version="ClamAV 1.4.1",
    signatures_version="daily 27463",
    verdict="malicious",
    detections=("Andr.Trojan.SmsPay", "premium_sms"),
    seconds=3.1,
)


def case(case_id: int, state: str = "open", source: str = "rescan", **changes) -> RecallCase:
    values = {
        "case_id": case_id,
        "package": f"com.example.app{case_id}",
        "submission_id": 100 + case_id,
        "artifact_sha256": f"{case_id:02d}" * 32,
        "version_name": "1.2",
        "opened_at": T0 - timedelta(hours=case_id),
        "opened_by": "worker-1" if source == "rescan" else "carol",
        "source": source,
        "evidence": (SMS, CLAM) if source == "rescan" else (),
        "state": state,
    }
    values.update(changes)
    return RecallCase(**values)


CASES = [
    case(1),
    case(2, source="lead", note="reported by a bank"),
    case(3, state="recalled", closed_by="dave", closed_at=T0, note="fee fraud"),
    case(4, state="dismissed", closed_by="dave", closed_at=T0),
]


@pytest.fixture
def view(qtbot):
    widget = RecallListView()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def listed_ids(view):
    return [c.case_id for c in view.listed_cases()]


def test_an_empty_list_says_so(view):
    assert view.empty_label.isVisible() and view.empty_label.text() == "No recall cases"
    assert not view.table.isVisible()
    assert not view.recall_button.isEnabled() and not view.dismiss_button.isEnabled()
    view.show_cases([CASES[2]])  # only a closed case, and the filter shows open ones
    assert view.empty_label.text() == "No open recall cases"
    view.set_open_only(False)
    assert not view.empty_label.isVisible() and listed_ids(view) == [3]


def test_the_table_lists_open_cases_or_all(view):
    view.show_cases(CASES)
    assert view.open_only()
    assert listed_ids(view) == [1, 2]
    first = view.table.topLevelItem(0)
    assert first.text(COL_PACKAGE) == "com.example.app1"
    assert first.text(COL_SOURCE) == "re-scan"
    assert first.text(COL_WHY) == "premium_sms, dex_loader, Andr.Trojan.SmsPay"  # each detection once
    assert first.text(COL_STATE) == "open"
    assert view.table.topLevelItem(1).text(COL_SOURCE) == "lead"
    view.set_open_only(False)
    assert listed_ids(view) == [1, 2, 3, 4]
    assert view.table.topLevelItem(2).text(COL_STATE) == "recalled"
    assert view.table.topLevelItem(3).text(COL_STATE) == "dismissed"


def test_the_selected_case_shows_its_evidence_in_the_scan_tree(view):
    view.show_cases(CASES)
    assert view.selected_case() is None
    assert not view.recall_button.isEnabled()
    assert view.select_case(1)
    assert view.selected_case() == CASES[0]
    tree = view.evidence_tree
    assert [tree.topLevelItem(i).text(COL_ENGINE) for i in range(tree.topLevelItemCount())] == ["yara", "clamav"]
    yara = tree.topLevelItem(0)
    assert yara.text(COL_VERDICT) == "malicious" and yara.isExpanded()
    assert yara.child(0).data(0, EvidenceRole)["value"] == "1066 8888"
    assert "Case 1: com.example.app1 1.2" in view.case_label.text()
    assert view.recall_button.isEnabled() and view.dismiss_button.isEnabled()

    assert view.evidence_tree.isVisible()
    assert view.select_case(2)  # a lead's case: no engine rows, and no empty tree for them
    assert view.evidence_tree.topLevelItemCount() == 0 and not view.evidence_tree.isVisible()
    assert "reported by a bank" in view.case_label.text()


def test_a_closed_case_cannot_be_recalled_or_dismissed_again(view):
    view.set_open_only(False)
    view.show_cases(CASES)
    assert view.select_case(3)
    assert "Recalled by dave" in view.case_label.text() and "fee fraud" in view.case_label.text()
    assert not view.recall_button.isEnabled() and not view.dismiss_button.isEnabled()
    view.ask_recall()
    assert view.reason_dialog is None


def test_the_selection_is_kept_when_the_same_case_is_still_there(view):
    view.show_cases(CASES)
    view.select_case(2)
    view.show_cases([case(5), *CASES])  # a new case on top, after a refresh
    assert view.selected_case().case_id == 2
    assert listed_ids(view) == [5, 1, 2]
    # The case's own values are the new ones.
    view.show_cases([dataclasses.replace(CASES[1], note="new note"), CASES[0]])
    assert view.selected_case().note == "new note" and "new note" in view.case_label.text()
    # Closed elsewhere: it leaves the open-only list, and nothing is selected.
    view.show_cases([CASES[0], dataclasses.replace(CASES[1], state="dismissed")])
    assert view.selected_case() is None
    assert not view.recall_button.isEnabled()
    # The filter keeps the selection too.
    view.select_case(1)
    view.set_open_only(False)
    assert view.selected_case().case_id == 1


def test_reading_the_cases_again_keeps_the_leads_place_in_a_long_list(view):
    """Lead mode reads the cases whenever the database says something changed: the list stays where the lead
    scrolled it, on the case they look at."""
    many = [case(i) for i in range(1, 61)]
    view.show_cases(many)
    bar = view.table.verticalScrollBar()
    assert bar.maximum() > 0
    view.select_case(3)  # near the top
    bar.setValue(bar.maximum())  # and the lead reads the oldest
    view.show_cases(list(many))  # the same cases again
    assert bar.value() == bar.maximum() and view.selected_case().case_id == 3
    top = view.table.itemAt(0, 0).text(COL_PACKAGE)
    view.show_cases([case(61), *many])  # one more on top: the same cases stay in view
    assert view.table.itemAt(0, 0).text(COL_PACKAGE) == top and view.selected_case().case_id == 3
    assert listed_ids(view)[:2] == [61, 1]


def test_recall_asks_for_a_reason_and_refuses_an_empty_one(view, qtbot):
    view.show_cases(CASES)
    view.select_case(1)
    qtbot.mouseClick(view.recall_button, Qt.MouseButton.LeftButton)
    dialog = view.reason_dialog
    assert dialog is not None and dialog.isVisible()
    assert "com.example.app1" in dialog.prompt_label.text()
    assert not dialog.ok_button.isEnabled()
    with qtbot.assertNotEmitted(view.sig_recall):
        dialog.text_edit.setPlainText("   \n ")
        assert not dialog.ok_button.isEnabled()
        dialog.accept()  # Enter, or anything else that accepts: refused
        assert dialog.isVisible() and dialog.hint_label.isVisible()
    dialog.text_edit.setPlainText("  Sends premium SMS without consent.  ")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(view.sig_recall, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1, "Sends premium SMS without consent."]
    assert view.reason_dialog is None


def test_cancel_does_nothing(view, qtbot):
    view.show_cases(CASES)
    view.select_case(2)
    with qtbot.assertNotEmitted(view.sig_recall), qtbot.assertNotEmitted(view.sig_dismiss):
        view.ask_recall()
        view.reason_dialog.text_edit.setPlainText("a reason")
        view.reason_dialog.reject()
        view.ask_dismiss()
        view.reason_dialog.buttons.rejected.emit()
    assert view.reason_dialog is None


def test_dismiss_takes_an_optional_note(view, qtbot):
    view.show_cases(CASES)
    view.select_case(2)
    qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    dialog = view.reason_dialog
    assert dialog.ok_button.isEnabled()  # a note is not required
    with qtbot.waitSignal(view.sig_dismiss, timeout=1000) as blocker:
        dialog.accept()
    assert blocker.args == [2, ""]
    view.ask_dismiss()
    view.reason_dialog.text_edit.setPlainText("False positive: the engine's rule was withdrawn.")
    with qtbot.waitSignal(view.sig_dismiss, timeout=1000) as blocker:
        view.reason_dialog.accept()
    assert blocker.args == [2, "False positive: the engine's rule was withdrawn."]


def test_refresh_asks_for_the_cases_again(view, qtbot):
    with qtbot.waitSignal(view.sig_refresh, timeout=1000):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
