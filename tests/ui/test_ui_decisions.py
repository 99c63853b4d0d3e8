"""Deciding from the keyboard: approve, reject, escalate, refusals and conflicts, stored for real."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import stored_decisions


def three_submissions(file_submission):
    return [
        file_submission(label="First", due_in=timedelta(hours=1)),
        file_submission(label="Second", due_in=timedelta(hours=2)),
        file_submission(label="Third", due_in=timedelta(hours=3)),
    ]


def test_a_approves_the_selected_submission_and_selects_the_next(
    qtbot, make_window, file_submission, settings, select_and_load
):
    first, second, _third = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    assert window.model.submission_id(0) == first  # earliest deadline first

    assert select_and_load(window, 0) == first
    with qtbot.waitSignal(window.sig_decided, timeout=10_000) as decided:
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert decided.args == [first, "approve"]

    stored = stored_decisions(settings, first)
    assert [(d.verdict, d.reviewer) for d in stored] == [("approve", "alice")]
    assert window.model.rowCount() == 2
    assert window.model.row_of(first) == -1
    assert window.current_submission_id() == second  # the next one took its place
    assert window.queue_view.hasFocus()
    qtbot.waitUntil(lambda: window.submission_view.submission_id == second and window.submission_view.data is not None)
    assert "First" in window.decision_panel.status_text()


def test_j_and_k_move_the_selection(qtbot, make_window, file_submission):
    first, second, third = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    # Opening the window selects the most urgent submission, ready for the keyboard.
    qtbot.waitUntil(lambda: window.current_submission_id() == first)
    qtbot.keyClick(window.queue_view, Qt.Key.Key_J)
    assert window.current_submission_id() == second
    qtbot.keyClick(window.queue_view, Qt.Key.Key_J)
    qtbot.keyClick(window.queue_view, Qt.Key.Key_J)  # stays on the last
    assert window.current_submission_id() == third
    qtbot.keyClick(window.queue_view, Qt.Key.Key_K)
    assert window.current_submission_id() == second
    qtbot.keyClick(window.queue_view, Qt.Key.Key_Up)
    assert window.current_submission_id() == first


def test_r_then_reasons_message_and_ctrl_enter_rejects(qtbot, make_window, file_submission, settings, select_and_load):
    first, second, _third = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    panel = window.decision_panel

    qtbot.keyClick(window.queue_view, Qt.Key.Key_R)
    assert panel.pending == "reject"
    assert panel.reason_view.hasFocus()
    # Space ticks the reason under the cursor (the first one), Down + Space the third.
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Space)
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Space)
    assert panel.reason_model.checked_codes() == ["malware", "counterfeit"]
    panel.message_edit.setFocus()
    qtbot.keyClicks(panel.message_edit, "Copies the Notes app of Acme.")

    with qtbot.waitSignal(window.sig_decided, timeout=10_000) as decided:
        qtbot.keyClick(panel.message_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert decided.args == [first, "reject"]

    [stored] = stored_decisions(settings, first)
    assert stored.verdict == "reject"
    assert stored.reason_codes == ("malware", "counterfeit")
    assert stored.message == "Copies the Notes app of Acme."
    assert window.model.row_of(first) == -1
    assert window.current_submission_id() == second
    assert panel.reason_model.checked_codes() == []  # the form starts empty for the next one
    assert panel.message_edit.toPlainText() == ""


def test_reject_without_a_reason_is_refused_and_nothing_is_stored(
    qtbot, make_window, file_submission, settings, select_and_load, wait_idle
):
    first, *_ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    panel = window.decision_panel

    qtbot.keyClick(window.queue_view, Qt.Key.Key_R)
    qtbot.keyClicks(panel.message_edit, "Something is wrong.")
    qtbot.keyClick(panel.message_edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    wait_idle(window)

    assert "reason" in panel.status_text().lower()
    assert stored_decisions(settings, first) == []
    assert window.model.row_of(first) == 0
    assert window.current_submission_id() == first


def test_reject_without_a_message_is_refused(qtbot, make_window, file_submission, settings, select_and_load, wait_idle):
    first, *_ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    panel = window.decision_panel

    qtbot.keyClick(window.queue_view, Qt.Key.Key_R)
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Space)
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(window)

    assert "message" in panel.status_text().lower()
    assert stored_decisions(settings, first) == []
    assert window.model.rowCount() == 3


def test_e_escalates_with_an_optional_note(qtbot, make_window, file_submission, settings, select_and_load):
    first, second, _ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    panel = window.decision_panel

    qtbot.keyClick(window.queue_view, Qt.Key.Key_E)
    assert panel.pending == "escalate"
    assert panel.message_edit.hasFocus()
    qtbot.keyClicks(panel.message_edit, "Lead: is this a clone?")
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(panel.message_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    [stored] = stored_decisions(settings, first)
    assert (stored.verdict, stored.message, stored.reason_codes) == ("escalate", "Lead: is this a clone?", ())
    # Escalated submissions leave this reviewer's list; the next is selected.
    assert window.current_submission_id() == second


def test_letters_typed_in_the_message_box_decide_nothing(
    qtbot, make_window, file_submission, settings, select_and_load, wait_idle
):
    first, *_ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    panel = window.decision_panel
    qtbot.keyClick(window.queue_view, Qt.Key.Key_E)  # the form opens, the focus is in the message box
    assert panel.form_open
    qtbot.keyClicks(panel.message_edit, "AREJK are letters")
    wait_idle(window)
    assert panel.message_edit.toPlainText() == "AREJK are letters"
    assert stored_decisions(settings, first) == []
    assert window.current_submission_id() == first


def test_conflict_names_the_other_reviewer_and_the_row_leaves(
    qtbot, make_window, file_submission, settings, service_as, wait_idle
):
    _first, second, third = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    qtbot.waitUntil(lambda: window.model.queue_row(1) is not None)  # the row is on screen, as it was
    wait_idle(window)  # the first row is open (and claimed) here; the second is nobody's yet

    bob = service_as("bob")
    assert bob.decide(second, "approve").ok  # decided on another workstation meanwhile

    window.queue_view.setFocus()
    window.queue_view.select_row(1)
    with qtbot.waitSignal(window.sig_decision_refused, timeout=10_000) as refused:
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert refused.args[0] == second
    assert "bob" in refused.args[1]

    qtbot.waitUntil(lambda: window.model.row_of(second) == -1, timeout=10_000)
    wait_idle(window)
    assert "bob" in window.decision_panel.status_text()  # the error stays on screen
    # told from the structured conflict (who, when, translated), not the service's English sentence
    assert "Already decided by bob at " in window.decision_panel.status_text()
    assert window.current_submission_id() == third
    assert [(d.reviewer, d.verdict) for d in stored_decisions(settings, second)] == [("bob", "approve")]
    refusals = [line for line in window.log_lines() if "refused" in line or "Not recorded" in line]
    assert len(refusals) == 1 and "Already decided by bob" in refusals[0], refusals  # said once
    assert window.conflict_count == 1  # and kept with the other refused decisions


def test_a_submission_held_by_someone_else_is_refreshed_not_removed(
    qtbot, make_window, file_submission, settings, service_as, select_and_load, wait_idle
):
    first, *_ = three_submissions(file_submission)
    bob = service_as("bob")
    bob.claim(first)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    assert "bob" in window.submission_view.header.status_label.text()

    with qtbot.waitSignal(window.sig_decision_refused, timeout=10_000) as refused:
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert "bob" in refused.args[1]
    assert refused.args[1].startswith("Held by bob until ")
    wait_idle(window)
    assert window.model.row_of(first) == 0
    assert window.model.queue_row(0).claimed_by == "bob"
    assert stored_decisions(settings, first) == []


def test_claim_follows_the_selection_and_is_released(
    qtbot, make_window, file_submission, settings, service, select_and_load, wait_idle
):
    first, second, _ = three_submissions(file_submission)
    window = make_window(expect_rows=3, renew_ms=100)
    select_and_load(window, 0)
    wait_idle(window)
    assert service.store.held_by("alice", service.clock()) == [first]
    assert window.model.queue_row(0).claimed_by == "alice"

    lease_before = service.view(first).row.lease_until
    qtbot.waitUntil(lambda: service.view(first).row.lease_until > lease_before, timeout=5_000)  # renewed

    select_and_load(window, 1)
    wait_idle(window)
    assert service.store.held_by("alice", service.clock()) == [second]

    window.close()
    assert service.store.held_by("alice", service.clock()) == []


def test_get_next_claims_the_most_urgent(qtbot, make_window, file_submission, service, wait_idle):
    first, second, _ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    window.window_actions.next_action.trigger()
    qtbot.waitUntil(lambda: window.current_submission_id() == first, timeout=10_000)
    qtbot.waitUntil(lambda: window.submission_view.submission_id == first and window.submission_view.data is not None)
    wait_idle(window)
    assert service.store.held_by("alice", service.clock()) == [first]

    newer = file_submission(label="Urgent", due_in=timedelta(minutes=-10))  # arrived after the queue loaded
    window.select_submission(second)
    qtbot.waitUntil(lambda: window.submission_view.submission_id == second and window.submission_view.data is not None)
    window.window_actions.next_action.trigger()
    qtbot.waitUntil(lambda: window.current_submission_id() == newer, timeout=10_000)
    assert window.model.row_of(newer) == 0


def test_a_submission_decided_elsewhere_leaves_on_refresh(
    qtbot, make_window, file_submission, service_as, select_and_load, settings
):
    first, second, _ = three_submissions(file_submission)
    window = make_window(expect_rows=3)
    select_and_load(window, 0)
    bob = service_as("bob")
    bob.store.release(first, "alice")  # alice's claim lapsed (simulated), bob takes it and decides
    assert bob.decide(first, "reject", ["ads"], "Full-screen ads on start").ok

    with qtbot.waitSignal(window.model.sig_loaded, timeout=10_000):
        window.refresh()
    assert window.model.row_of(first) == -1
    assert window.current_submission_id() == second
    assert str(first) in window.decision_panel.status_text()
    qtbot.waitUntil(lambda: window.submission_view.submission_id == second and window.submission_view.data is not None)
