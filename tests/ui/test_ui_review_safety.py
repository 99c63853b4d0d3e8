"""Review made safe: approving a flagged submission asks first, a decision can be undone until it is
sent, an empty queue says so, a form error goes once it is acted on."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reviewer_app.ui.decision_panel import ApproveConfirmation
from tests.ui.conftest import stored_decisions

JANUS = {"warnings": ["janus"], "warning_codes": {"janus": {"code": "janus_v1_only", "params": {"first": "5.0", "last": "7.0"}}}}  # fmt: skip


def confirmation(window) -> ApproveConfirmation | None:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ApproveConfirmation) and w.isVisible()]
    return dialogs[0] if dialogs else window.decisions.confirmation


def test_approving_a_flagged_submission_asks_first_and_names_the_flags(
    qtbot, make_window, file_submission, settings, select_and_load, wait_idle
):
    flagged = file_submission(label="Old Tool", due_in=timedelta(hours=1), **JANUS)
    clean = file_submission(label="Clean", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2)
    assert select_and_load(window, 0) == flagged
    assert window.model.queue_row(0).red_flags[0].code == "janus_v1_only"  # stored when it was filed
    facts_tab = window.submission_view.tabs.indexOf(window.facts_panel)
    assert window.submission_view.tabs.tabText(facts_tab) == "Facts (1)"
    assert not window.submission_view.tabs.tabIcon(facts_tab).isNull()  # the badge

    qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: confirmation(window) is not None and confirmation(window).isVisible(), timeout=5_000)
    dialog = confirmation(window)
    assert "Janus" in "\n".join(dialog.flag_texts()) and "Janus" in dialog.informativeText()
    assert dialog.defaultButton() is dialog.cancel_button  # Enter out of habit approves nothing
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    wait_idle(window)
    assert stored_decisions(settings, flagged) == []
    assert window.model.row_of(flagged) == 0

    qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: confirmation(window) is not None and confirmation(window).isVisible(), timeout=5_000)
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        confirmation(window).approve_button.click()
    assert [d.verdict for d in stored_decisions(settings, flagged)] == ["approve"]

    # A clean one approves on one key, no question asked.
    assert select_and_load(window, 0) == clean
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert window.decisions.confirmation is None
    assert [d.verdict for d in stored_decisions(settings, clean)] == ["approve"]


def test_a_decision_undone_in_its_window_never_reaches_the_database(
    qtbot, make_window, file_submission, settings, select_and_load, wait_idle
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2, undo_seconds=3)
    assert select_and_load(window, 0) == first
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert window.model.row_of(first) == -1  # it leaves the queue at once
    assert window.current_submission_id() == second
    qtbot.waitUntil(lambda: window.undo_button.isVisible(), timeout=5_000)
    assert "First" in window.undo_button.text() and " s)" in window.undo_button.text()
    assert window.connection_label.text() == "Online"  # held back for undo is not "offline, waiting"

    with qtbot.waitSignal(window.sig_undone, timeout=10_000) as undone:
        qtbot.keyClick(window.queue_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert undone.args == [first]
    qtbot.waitUntil(lambda: window.model.row_of(first) == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.current_submission_id() == first, timeout=10_000)  # back, selected
    assert not window.undo_button.isVisible()
    qtbot.wait(3_500)  # past the window: nothing is sent
    wait_idle(window)
    assert stored_decisions(settings, first) == []
    assert any("Undone" in line for line in window.log_lines())


def test_after_its_window_a_decision_is_sent_and_undo_is_refused(
    qtbot, make_window, file_submission, settings, select_and_load, wait_idle
):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    file_submission(label="Second", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2, undo_seconds=0.5, sync_ms=60_000)
    select_and_load(window, 0)
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert stored_decisions(settings, first) == []  # held back...
    qtbot.waitUntil(lambda: len(stored_decisions(settings, first)) == 1, timeout=10_000)  # ...sent when it ends
    qtbot.waitUntil(lambda: not window.undo_button.isVisible(), timeout=5_000)

    qtbot.keyClick(window.queue_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(window)
    assert "Nothing to undo" in window.statusBar().currentMessage()
    assert [d.verdict for d in stored_decisions(settings, first)] == ["approve"]
    assert window.model.row_of(first) == -1


def test_closing_the_window_sends_what_it_kept_back(qtbot, make_window, file_submission, settings, select_and_load):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1, undo_seconds=60)
    select_and_load(window, 0)
    with qtbot.waitSignal(window.sig_decided, timeout=10_000):
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
    assert stored_decisions(settings, first) == []
    window.close()
    assert [d.verdict for d in stored_decisions(settings, first)] == ["approve"]


def test_an_empty_queue_says_so_and_nothing_can_be_decided(qtbot, make_window, file_submission, wait_idle):
    window = make_window(expect_rows=0)
    wait_idle(window)
    assert window.queue_pane.showing_empty
    assert "No submissions are waiting for you." in window.queue_pane.empty_label.text()
    panel = window.decision_panel
    assert not panel.approve_button.isEnabled() and not panel.reject_button.isEnabled()
    assert not panel.escalate_button.isEnabled()
    assert window.submission_view.header.title_label.text() == "No submission selected"

    window.window_actions.kind_actions["update"].setChecked(False)
    qtbot.waitUntil(lambda: "Some kinds are hidden" in window.queue_pane.empty_label.text(), timeout=5_000)

    file_submission(label="Arrived", kind="new", due_in=timedelta(hours=1))
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.queue_pane.showing_empty, timeout=10_000)


def test_a_form_error_goes_once_a_reason_is_ticked(qtbot, make_window, file_submission, select_and_load):
    file_submission(label="First", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    panel = window.decision_panel
    assert not panel.form_open  # folded away until it is needed
    qtbot.keyClick(window.queue_view, Qt.Key.Key_R)
    assert panel.form_open
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.status_text() == "Choose at least one reason before rejecting."
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Space)
    assert panel.status_text() == ""
    qtbot.keyClick(panel.reason_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.status_text() == "Write a message to the developer before rejecting."
    qtbot.keyClicks(panel.message_edit, "Please fix")
    assert panel.status_text() == ""


def test_the_risk_column_counts_the_red_flags_worst_first_on_hover(qtbot, make_window, file_submission, wait_idle):
    from reviewer_app.ui.queue_columns import COL_RISK, CRITICAL_FLAG_COLOR, SERIOUS_FLAG_COLOR

    janus_dex = {
        "warnings": ["janus", "dex"],
        "warning_codes": {
            "janus": {"code": "janus_v1_only", "params": {"first": "5.0", "last": "7.0"}},
            "dex": {"code": "prepended_dex", "params": {"size": "112"}},
        },
    }
    both = file_submission(label="Both", due_in=timedelta(hours=1), **janus_dex)
    serious = file_submission(label="Serious", due_in=timedelta(hours=2), **JANUS)
    clean = file_submission(label="Clean", due_in=timedelta(hours=3))
    window = make_window(expect_rows=3)
    model = window.model
    qtbot.waitUntil(lambda: all(model.queue_row(r) is not None for r in range(3)), timeout=10_000)
    assert [model.submission_id(r) for r in range(3)] == [both, serious, clean]
    assert model.headerData(COL_RISK, Qt.Orientation.Horizontal) == "Risk"
    cell = [model.index(r, COL_RISK) for r in range(3)]
    assert [model.data(c) for c in cell] == ["⚑ 2", "⚑ 1", ""]
    tip = model.data(cell[0], Qt.ItemDataRole.ToolTipRole).splitlines()
    assert tip[0] == "Red flags, worst first:"
    assert "DEX code before the zip archive" in tip[1] and "Janus" in tip[2]  # critical before serious
    assert model.data(cell[0], Qt.ItemDataRole.ForegroundRole).color() == CRITICAL_FLAG_COLOR
    assert model.data(cell[1], Qt.ItemDataRole.ForegroundRole).color() == SERIOUS_FLAG_COLOR
    assert model.data(cell[2], Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(cell[0], Qt.ItemDataRole.AccessibleTextRole) == "2 red flags"
    assert window.queue_view.columnWidth(COL_RISK) >= window.queue_view.fontMetrics().horizontalAdvance("⚑ 2")
