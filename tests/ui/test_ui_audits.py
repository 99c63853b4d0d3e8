"""Lead mode's audit queue, in a real window on a real database: shown to leads only; the blind audit shows
nothing of the original decision in any widget (texts, tooltips, item models) until the lead has recorded a
verdict, then both side by side with the differences; reopen, recall, and a note that the reviewer reads in
their own window."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from reviewer_app.review.audits import take_sample
from reviewer_app.ui.lead.audit_queue import PAGE_AUDIT
from reviewer_app.ui.text import reason_title, recall_source_name, verdict_name

MESSAGE = "Sends premium SMS to 1066 without asking: not allowed."
ROLES = [r.value if hasattr(r, "value") else int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole,
)] + list(range(Qt.ItemDataRole.UserRole.value, Qt.ItemDataRole.UserRole.value + 8))  # fmt: skip


def columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model's columnCount is private in PySide: one column
        return 1


def model_texts(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()) -> list[str]:
    found = []
    for row in range(model.rowCount(parent)):
        for column in range(columns(model, parent)):
            index = model.index(row, column, parent)
            found += [str(model.data(index, role)) for role in ROLES if model.data(index, role) is not None]
            if model.rowCount(index) > 0:
                found += model_texts(model, index)
    for column in range(columns(model, parent)):
        for role in ROLES[:2]:
            value = model.headerData(column, Qt.Orientation.Horizontal, role)
            if value is not None:
                found.append(str(value))
    return found


def all_texts(root: QWidget, skip_models: tuple = ()) -> list[str]:
    """Every text a widget under `root` shows or carries: labels, buttons, editors, titles, tooltips,
    accessible names, tab texts, combo items and the data of every item model."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        found += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.whatsThis(),
                  widget.windowTitle(), widget.statusTip()]  # fmt: skip
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            found.append(widget.text())
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            found.append(widget.toPlainText())
        if isinstance(widget, QGroupBox):
            found.append(widget.title())
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())]
            found += [widget.tabToolTip(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None and widget.model() not in skip_models:
            found += model_texts(widget.model())
    return [text for text in found if text]


@pytest.fixture
def lead_settings(settings):
    return dataclasses.replace(settings, reviewer="lena")


@pytest.fixture
def rejected(service, file_submission, lead_settings):
    """alice rejected one submission with a reason and a message; lena sampled it."""
    sid = file_submission(label="Sky Notes", package="com.sky.notes")
    outcome = service.decide(sid, "reject", ["fee_deduction"], MESSAGE)
    assert outcome.ok, outcome.error
    return sid, outcome.decision_id


def sample_as_lead(lead_settings) -> None:
    from reviewer_app.review import ReviewService

    lena = ReviewService(lead_settings)
    try:
        assert take_sample(lena, 1.0, seed=4, new_reviewer_first_n=0)
    finally:
        lena.close()


def open_lead_window(qtbot, window):
    lead = window.lead_mode
    qtbot.waitUntil(lambda: lead.is_lead, timeout=10_000)
    lead.show()
    qtbot.waitExposed(lead.lead_window)
    tab = lead.audit_tab
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() > 0, timeout=10_000)
    return tab


def audit_first(qtbot, tab):
    tab.list.select_item(tab.list.items()[0].item_id)
    qtbot.mouseClick(tab.audit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.stack.currentIndex() == PAGE_AUDIT and tab.evidence_view.data is not None,
                    timeout=10_000)  # fmt: skip


def test_lead_mode_is_for_leads_only(qtbot, make_window, service, settings, lead_settings):
    service.store.set_user_role("alice", "reviewer")
    service.store.set_user_role("lena", "lead")
    reviewer = make_window()
    qtbot.waitUntil(lambda: reviewer.connected, timeout=10_000)
    qtbot.wait(50)
    assert not reviewer.lead_mode.action.isVisible() and not reviewer.lead_mode.button.isVisible()
    assert not reviewer.lead_mode.menu.menuAction().isVisible()  # no Lead menu: no recall cases, no pulling apps
    reviewer.lead_mode.show()
    reviewer.lead_mode.show_recalls()
    assert not reviewer.lead_mode.lead_window.isVisible()
    reviewer.close()
    lead = make_window(settings=lead_settings)
    qtbot.waitUntil(lambda: lead.lead_mode.is_lead, timeout=10_000)
    assert lead.lead_mode.action.isVisible() and lead.lead_mode.button.isVisible()
    assert lead.lead_mode.menu.menuAction().isVisible()
    assert lead.lead_mode.lead_window.tab_titles() == ["Audit queue", "Recalls", "Quality", "Audit trail"]
    extra = QWidget()
    assert lead.lead_mode.add_tab(extra, "Extra") == 4
    assert lead.lead_mode.lead_window.tab_titles() == ["Audit queue", "Recalls", "Quality", "Audit trail", "Extra"]


def test_the_blind_audit_shows_nothing_of_the_decision_until_the_lead_has_recorded(
    qtbot, make_window, rejected, lead_settings, wait_idle, service
):
    sid, decision_id = rejected
    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    audit_first(qtbot, tab)
    assert tab.evidence_view.data.view.row.submission_id == sid
    assert tab.evidence_view.header.title_label.text() == "Sky Notes"
    wait_idle(window)

    texts = all_texts(tab.window(), skip_models=(tab.form.reason_model,))
    leaks = [t for t in texts if "alice" in t or MESSAGE[:20] in t or verdict_name("reject") in t
             or reason_title("fee_deduction") in t or decision_id in t]  # fmt: skip
    assert leaks == []
    assert tab.form.reasons() == [] and tab.form.verdict() == ""  # nothing of the original pre-filled
    assert not tab.comparison.isVisible() and tab.comparison.comparison is None
    # the lead-mode tabs that name reviewers and their verdicts wait until the audit is recorded
    lead_mode, tabs = window.lead_mode, window.lead_mode.lead_window.tabs
    for other in (lead_mode.recalls_tab, lead_mode.quality_tab, lead_mode.trail_tab):
        assert not tabs.isTabEnabled(tabs.indexOf(other))

    tab.form.approve_radio.setChecked(True)
    qtbot.mouseClick(tab.form.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.comparison.comparison is not None, timeout=10_000)
    assert tab.bottom.currentIndex() == 1
    for other in (lead_mode.recalls_tab, lead_mode.quality_tab, lead_mode.trail_tab):
        assert tabs.isTabEnabled(tabs.indexOf(other))
    qtbot.waitUntil(lambda: lead_mode.trail_tab.model.rowCount() > 0, timeout=10_000)  # read again
    mine, theirs = tab.comparison.cells["verdict"]
    assert (mine.text(), theirs.text()) == (verdict_name("approve"), verdict_name("reject"))
    assert tab.comparison.cells["who"][1].text().startswith("alice, ")
    assert tab.comparison.cells["words"][1].text() == MESSAGE
    assert f"− {reason_title('fee_deduction')}" in tab.comparison.cells["reasons"][1].text()
    assert tab.comparison.differing() == ["verdict", "reasons"]
    assert "disagree" in tab.comparison.outcome_label.text()
    assert tab.comparison.reopen_button.isEnabled() and not tab.comparison.recall_button.isEnabled()
    (kept,) = service.store.audits(decision_id)
    assert (kept.auditor, kept.verdict, kept.outcome) == ("lena", "approve", "disagree")
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 0, timeout=10_000)  # nothing left to audit
    tab.filter_combo.setCurrentIndex(1)  # audited ones too
    qtbot.waitUntil(lambda: "Audited: disagrees" in all_texts(tab.list), timeout=10_000)


def test_reopen_puts_the_submission_back_in_the_queue(qtbot, make_window, rejected, lead_settings, service):
    sid, _ = rejected
    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    audit_first(qtbot, tab)
    tab.form.approve_radio.setChecked(True)
    tab.form.record()
    qtbot.waitUntil(lambda: tab.comparison.reopen_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(tab.comparison.reopen_button, Qt.MouseButton.LeftButton)
    assert tab.dialog is not None
    tab.dialog.text_edit.setPlainText("The SMS is the app's feature: look again.")
    tab.dialog.accept()
    qtbot.waitUntil(lambda: "Back in the queue" in tab.comparison.status_label.text(), timeout=10_000)
    assert sid in service.queue_ids()
    qtbot.waitUntil(lambda: sid in [window.model.cached_row(i).submission_id for i in [sid]
                                    if window.model.cached_row(i) is not None], timeout=10_000)  # fmt: skip
    qtbot.waitUntil(lambda: not tab.comparison.reopen_button.isEnabled(), timeout=10_000)  # pending now


def test_recall_withdraws_the_approved_app(qtbot, make_window, service, file_submission, lead_settings):
    sid = file_submission(label="Wallet", package="com.sky.wallet")
    assert service.decide(sid, "approve").ok
    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    audit_first(qtbot, tab)
    tab.form.reject_radio.setChecked(True)
    tab.form.reason_model.set_checked("fee_deduction")
    tab.form.record()
    qtbot.waitUntil(lambda: tab.comparison.recall_button.isEnabled(), timeout=10_000)
    tab.ask_recall()
    assert not tab.dialog.ok_button.isEnabled()  # a reason is required
    tab.dialog.text_edit.setPlainText("Premium SMS found in the audit.")
    tab.dialog.accept()
    qtbot.waitUntil(lambda: "Recalled" in tab.comparison.status_label.text(), timeout=10_000)
    detail = service.view(sid).detail
    assert detail.withdrawn_at is not None and detail.withdrawn_reason == "Premium SMS found in the audit."
    qtbot.waitUntil(lambda: not tab.comparison.recall_button.isEnabled(), timeout=10_000)


def test_a_note_shows_in_the_reviewers_window_and_is_marked_read(
    qtbot, make_window, rejected, settings, lead_settings, service
):
    sample_as_lead(lead_settings)
    lead = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, lead)
    audit_first(qtbot, tab)
    tab.form.approve_radio.setChecked(True)
    tab.form.record()
    qtbot.waitUntil(lambda: tab.comparison.note_button.isEnabled(), timeout=10_000)
    tab.ask_note()
    tab.dialog.text_edit.setPlainText("The SMS is how the app pays: please read its description again.")
    tab.dialog.accept()
    qtbot.waitUntil(lambda: "Note sent to alice" in tab.comparison.status_label.text(), timeout=10_000)
    lead.close()

    reviewer = make_window(settings=settings)
    notes = reviewer.notes
    qtbot.waitUntil(lambda: notes.button.isVisible(), timeout=10_000)
    assert notes.button.text().endswith(": 1")
    assert any("lead wrote to you" in line for line in reviewer.log_lines())
    dialog = notes.show_notes()
    text = dialog.text_view.toPlainText()
    assert "From lena" in text and "please read its description again" in text
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not notes.button.isVisible(), timeout=10_000)
    assert service.store.reviewer_notes("alice") == []
    assert service.store.reviewer_notes("alice", unread_only=False)[0].read_at is not None


def test_ones_own_decisions_cannot_be_audited_from_the_window(qtbot, make_window, service, file_submission,
                                                               lead_settings):  # fmt: skip
    from reviewer_app.review import ReviewService

    lena = ReviewService(lead_settings)
    try:
        sid = file_submission(label="Own", package="com.own.work")
        assert lena.decide(sid, "approve").ok
        assert take_sample(lena, 1.0, seed=1, new_reviewer_first_n=0)
    finally:
        lena.close()
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    (item,) = tab.list.items()
    assert item.by_you
    tab.list.select_item(item.item_id)
    assert not tab.audit_button.isEnabled()
    assert "Your own decision" in all_texts(tab.list)


def test_the_recall_cases_wait_until_the_blind_audit_is_recorded(
    qtbot, make_window, service, settings, lead_settings, tmp_path, wait_idle
):
    """A re-scan opened a case on the app whose approval is audited: the case alone would say that its
    reviewer approved it (cases are opened on live apps only), so the Recalls tab waits like the others."""
    from tests.ui.test_ui_lead_recalls import APKS, approve, rescan_with_new_rules

    sid = approve(service, settings, APKS / "plain.apk")  # alice approves; the new rules find it later
    rescan_with_new_rules(settings, tmp_path)
    sample_as_lead(lead_settings)
    window = make_window(settings=lead_settings)
    tab = open_lead_window(qtbot, window)
    lead_mode, tabs = window.lead_mode, window.lead_mode.lead_window.tabs
    recalls = lead_mode.recalls_tab
    qtbot.waitUntil(lambda: len(recalls.view.cases()) == 1, timeout=10_000)
    (case,) = recalls.view.cases()
    assert case.submission_id == sid and case.state == "open"
    tabs.setCurrentWidget(recalls)
    assert recalls.view.select_case(case.case_id)  # the lead was looking at it
    tabs.setCurrentWidget(tab)

    audit_first(qtbot, tab)
    assert tab.evidence_view.data.view.row.submission_id == sid
    assert not tabs.isTabEnabled(tabs.indexOf(recalls))
    assert recalls.view.cases() == () and recalls.view.table.topLevelItemCount() == 0
    recalls.refresh()  # asked again while blind (after a recall from the Lead menu, say): nothing is read
    lead_mode.recalls_action.trigger()  # the Lead menu's entry: the audit stays in front
    wait_idle(window)
    assert recalls.view.cases() == () and tabs.currentWidget() is tab
    texts = all_texts(lead_mode.lead_window, skip_models=(tab.form.reason_model,))
    leaks = [t for t in texts if "Store_Dropper" in t or recall_source_name("rescan") in t
             or f"Case {case.case_id}:" in t or "alice" in t or verdict_name("approve") in t]  # fmt: skip
    assert leaks == []

    tab.form.approve_radio.setChecked(True)
    tab.form.record()
    qtbot.waitUntil(lambda: tab.comparison.comparison is not None, timeout=10_000)
    assert tabs.isTabEnabled(tabs.indexOf(recalls))
    qtbot.waitUntil(lambda: [c.case_id for c in recalls.view.cases()] == [case.case_id], timeout=10_000)
