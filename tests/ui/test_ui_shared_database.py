"""The window on a shared database: decisions while the server is down, conflicts, live updates, passwords.

PostgreSQL tests run against the tests' own server (tests/pg_server.py), which some of them stop; every
test that stops it starts it again in a `finally`, because the server is shared by the whole session.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox

from reviewer_app import credentials
from reviewer_app.config import Settings
from reviewer_app.review import ReviewService
from reviewer_app.ui.queue_columns import COL_CLAIMED
from tests.pg_server import PASSWORD_USER
from tests.review.conftest import Clock, Team

WAIT = 15_000  # generous for a loaded machine; the waits end as soon as the condition holds
BACK = 8_000  # less than the 10 s journal sync: what is faster than that came from the reconnect itself


def make_team(backend: str, tmp_path, pg_server=None) -> Team:
    return Team(backend, tmp_path, Clock(datetime.now(UTC)), pg_server)


@pytest.fixture
def pg_team(tmp_path, pg_server):
    team = make_team("postgresql", tmp_path, pg_server)
    yield team
    team.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_team(request, tmp_path):
    pg_server = request.getfixturevalue("pg_server") if request.param == "postgresql" else None
    team = make_team(request.param, tmp_path, pg_server)
    yield team
    team.close()


def team_window(make_window, team: Team, name: str, **options):
    """`name`'s workstation: their own database user on PostgreSQL, their own data folder and journal."""
    settings = team.settings(name)
    return make_window(settings=settings, **options)


def rows_cached(window) -> bool:
    return all(window.model.queue_row(r) is not None for r in range(window.model.rowCount()))


def stored(team: Team, tmp_path) -> list[tuple[int, str, str]]:
    """The decisions the database holds, read through a fresh service of its own."""
    check = ReviewService(Settings(data_dir=tmp_path / "check", db_url=team.url("adam"), reviewer="adam"))
    try:
        return sorted((d.submission_id, d.reviewer, d.verdict) for d in check.store.decisions())
    finally:
        check.close()


def banner(window) -> str:
    """The banner above the evidence, as shown ("" when hidden)."""
    label = window.submission_view.header.status_label
    return label.text() if label.isVisibleTo(window.submission_view) else ""


def open_dialogs() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, (QDialog, QMessageBox)) and w.isVisible()]


# -- offline -------------------------------------------------------------------------------------------


def test_decisions_made_while_the_server_is_down_wait_and_are_sent_when_it_answers(
    qtbot, make_window, pg_team, select_and_load, wait_idle, tmp_path
):
    server = pg_team.pg_server
    ids = [pg_team.file(f"com.offline.p{i}", tier=3, minutes_ago=10 - i) for i in range(3)]
    window = team_window(make_window, pg_team, "alice", expect_rows=3)
    qtbot.waitUntil(lambda: rows_cached(window), timeout=WAIT)
    select_and_load(window, 2)  # read before the server goes: its evidence stays readable offline
    assert select_and_load(window, 0) == ids[0]
    wait_idle(window)
    assert window.connection_label.text() == "Online"
    try:
        server.stop("fast")
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WAIT)
        assert window.current_submission_id() == ids[1]
        qtbot.waitUntil(lambda: window.submission_view.submission_id == ids[1], timeout=WAIT)
        assert "Offline" in banner(window)  # never loaded: says so, no dialog
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT)

        assert window.current_submission_id() == ids[2]
        qtbot.waitUntil(
            lambda: window.submission_view.data is not None and window.submission_view.submission_id == ids[2],
            timeout=WAIT,
        )
        assert window.submission_view.header.title_label.text() == "com.offline.p2"  # the cached evidence
        assert "Offline" in banner(window)
        assert window.connection_label.text() == "Offline — 2 decisions waiting"
        assert window.pending_decisions == 2 and not window.online
        assert "kept on this computer" in window.statusBar().currentMessage()
        wait_idle(window)
        window.refresh()  # F5 while offline: a failed load more, still no dialog and no new log line
        wait_idle(window)
        assert open_dialogs() == []
        offline_lines = [line for line in window.log_lines() if "does not answer" in line]
        assert len(offline_lines) == 1, window.log_lines()
    finally:
        server.start()

    # The watcher reconnects, a load reaches the database, the journal is flushed at once.
    qtbot.waitUntil(lambda: window.connection_label.text() == "Online", timeout=BACK)
    assert window.pending_decisions == 0 and window.online
    assert stored(pg_team, tmp_path) == [(ids[0], "alice", "approve"), (ids[1], "alice", "approve")]
    assert any("Sent 2 decisions" in line for line in window.log_lines())
    # Back online, the selected submission is read (and claimed) again instead of the cached copy.
    qtbot.waitUntil(lambda: "Offline" not in banner(window), timeout=WAIT)


def test_a_decision_beaten_on_the_server_while_offline_is_listed_until_dismissed(
    qtbot, make_window, pg_team, select_and_load, wait_idle, tmp_path
):
    server = pg_team.pg_server
    ids = [pg_team.file(f"com.conflict.p{i}", tier=3, minutes_ago=10 - i) for i in range(2)]
    window = team_window(make_window, pg_team, "alice", expect_rows=2)
    qtbot.waitUntil(lambda: rows_cached(window), timeout=WAIT)
    assert select_and_load(window, 0) == ids[0]
    wait_idle(window)
    try:
        server.stop("fast")
        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT)
        wait_idle(window)
        assert window.pending_decisions == 1
    finally:
        server.start()
    # Before alice's workstation notices the server is back (no events run until the next wait), her
    # claim lapses and bob decides the same submission.
    server.psql(f"UPDATE submissions SET claimed_by = NULL, lease_until = NULL WHERE id = {ids[0]}", pg_team.database)
    assert pg_team["bob"].decide(ids[0], "reject", ["malware"], "found a trojan").ok

    qtbot.waitUntil(lambda: window.conflict_count == 1, timeout=BACK)
    assert window.pending_decisions == 0
    assert window.conflicts_button.isVisible() and window.conflicts_button.text() == "Conflicts: 1"
    assert any("was refused" in line for line in window.log_lines())

    qtbot.mouseClick(window.conflicts_button, Qt.MouseButton.LeftButton)
    dialog = window.conflicts_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.windowTitle() == "Decision conflicts"
    # Told from who decided, in the reviewer's language ("Rejected" is the translated verdict; the
    # journal's stored English error says "(reject)").
    qtbot.waitUntil(
        lambda: "Rejected" in dialog.row_texts()[0][3] and "com.conflict.p0" in dialog.row_texts()[0][0], timeout=WAIT
    )
    [(subject, verdict, _when, what)] = dialog.row_texts()
    assert subject.startswith(f"#{ids[0]}") and "com.conflict.p0" in subject
    assert verdict == "Approved"
    assert what.startswith("Already decided by bob (Rejected) at ")
    assert [(sid, who) for sid, who, _ in stored(pg_team, tmp_path)] == [(ids[0], "bob")]

    with qtbot.waitSignal(window.sig_journal, timeout=WAIT):
        qtbot.mouseClick(dialog.dismiss_button(0), Qt.MouseButton.LeftButton)
    assert window.conflict_count == 0
    assert dialog.row_texts() == [] and dialog.empty_label.isVisible()
    assert not window.conflicts_button.isVisible()
    window.close()
    again = ReviewService(pg_team.settings("alice"))  # the same workstation's journal, opened afresh
    try:
        assert again.journal_status().conflicts == () and again.journal_status().pending == 0
    finally:
        again.close()


# -- live updates --------------------------------------------------------------------------------------


def test_claims_and_decisions_of_other_reviewers_show_up_without_any_action(qtbot, make_window, any_team, wait_idle):
    team = any_team
    ids = [team.file(f"com.live.p{i}", tier=3, minutes_ago=10 - i) for i in range(3)]
    window = team_window(make_window, team, "alice", expect_rows=3)
    qtbot.waitUntil(lambda: rows_cached(window) and window.watcher.running, timeout=WAIT)
    qtbot.waitUntil(lambda: window.current_submission_id() == ids[0], timeout=WAIT)
    wait_idle(window)

    bob = team["bob"]
    bob.claim(ids[2])

    def held_by_bob() -> bool:
        row = window.model.row_of(ids[2])
        cached = window.model.queue_row(row)
        return cached is not None and cached.claimed_by == "bob"

    qtbot.waitUntil(held_by_bob, timeout=WAIT)
    assert window.model.data(window.model.index(window.model.row_of(ids[2]), COL_CLAIMED)) == "bob"

    assert bob.decide(ids[2], "approve").ok
    qtbot.waitUntil(lambda: window.model.row_of(ids[2]) == -1, timeout=WAIT)
    assert window.model.rowCount() == 2
    assert window.current_submission_id() == ids[0]  # the reviewer's own selection is left alone

    newcomer = team.file("com.live.new", tier=3, minutes_ago=30)  # the most urgent now
    qtbot.waitUntil(lambda: window.model.row_of(newcomer) == 0, timeout=WAIT)
    assert window.current_submission_id() == ids[0]
    assert window._reloads.emitted <= 10  # throttled: a handful of reloads, not one per notification


def test_a_window_opened_while_the_server_is_down_says_what_waits_and_sends_it_when_it_answers(
    qtbot, make_window, pg_team, tmp_path
):
    server = pg_team.pg_server
    sid = pg_team.file("com.restart.offline", tier=3)
    alice = pg_team["alice"]
    alice.claim(sid)
    try:
        server.stop("fast")
        assert alice.decide(sid, "approve").queued  # decided, then the workstation was restarted
        alice.close()
        del pg_team.services["alice"]
        window = team_window(make_window, pg_team, "alice", wait_loaded=False)
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline — 1 decision waiting", timeout=WAIT)
        assert not window.connected and window.pending_decisions == 1
    finally:
        server.start()
    qtbot.waitUntil(lambda: window.connected and window.connection_label.text() == "Online", timeout=WAIT)
    assert window.pending_decisions == 0
    assert stored(pg_team, tmp_path) == [(sid, "alice", "approve")]


def test_an_undo_the_audit_trail_has_not_heard_of_is_said_in_the_status_bar_until_it_is_sent(
    qtbot, make_window, pg_team, tmp_path
):
    server = pg_team.pg_server
    sid = pg_team.file("com.restart.undo", tier=3)
    alice = pg_team["alice"]
    alice.claim(sid)
    try:
        server.stop("fast")
        held = alice.decide(sid, "reject", ["privacy"], "Remove READ_CONTACTS", hold=10.0)
        assert held.ok and alice.undo(held.decision_id).ok  # undone here; its audit event waits
        alice.close()
        del pg_team.services["alice"]
        window = team_window(make_window, pg_team, "alice", wait_loaded=False)
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline — 1 undo waiting", timeout=WAIT)
        assert "1 undo of your decisions waits to be written to the audit trail" in window.connection_label.toolTip()
        assert window.pending_decisions == 0
    finally:
        server.start()
    qtbot.waitUntil(lambda: window.connected and window.connection_label.text() == "Online", timeout=WAIT)
    assert "audit trail" not in window.connection_label.toolTip()
    trail = [e for e in pg_team["adam"].store.audit_events() if e.action == "undo"]
    assert [(e.actor, e.subject) for e in trail] == [("alice", f"submission:{sid}")]


# -- passwords -----------------------------------------------------------------------------------------


PASSWORD = "window horse battery"


@pytest.fixture
def password_settings(pg_server, tmp_path) -> Settings:
    """A database that PASSWORD_USER (scram on loopback) may only enter with PASSWORD, one submission in it.

    The schema belongs to the superuser, so the password user owns nothing another test would trip on.
    """
    database = pg_server.create_database()
    owner = Settings(data_dir=tmp_path / "owner", db_url=pg_server.url(database=database), reviewer="postgres")
    intake = ReviewService(owner)
    try:
        now = datetime.now(UTC)
        intake.store.add_submission(
            kind="new",
            developer="Acme",
            tier=3,
            submitted_at=now,
            deadline=intake.sla.deadline(now, 3),
            package="com.password.only",
        )
    finally:
        intake.close()
    pg_server.psql(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_USER}') THEN "
        f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER; END IF; END $$; "
        f"ALTER ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'"
    )
    return Settings(data_dir=tmp_path / "ws", db_url=pg_server.url(user=PASSWORD_USER, database=database))


def wait_for_password_dialog(qtbot, window) -> QInputDialog:
    qtbot.waitUntil(lambda: window.password_dialog is not None and window.password_dialog.isVisible(), timeout=WAIT)
    dialog = window.password_dialog
    assert isinstance(dialog, QInputDialog)
    assert dialog.textEchoMode() == QLineEdit.EchoMode.Password
    return dialog


def test_the_window_asks_for_the_password_keeps_it_in_the_keyring_and_asks_again_when_wrong(
    qtbot, make_window, password_settings, test_keyring
):
    url = password_settings.database_url
    window = make_window(settings=password_settings, wait_loaded=False)
    dialog = wait_for_password_dialog(qtbot, window)
    assert credentials.account(url) in dialog.labelText()
    assert "refused" not in dialog.labelText()
    assert not window.connected and window.model.rowCount() == 0

    dialog.setTextValue("not the password")
    dialog.accept()
    again = wait_for_password_dialog(qtbot, window)  # asked once more, with the server's words
    assert "password authentication failed" in again.labelText()
    assert credentials.load_password(url) is None  # a wrong password is not kept

    again.setTextValue(PASSWORD)
    again.accept()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.queue_row(0) is not None, timeout=WAIT)
    assert window.model.queue_row(0).package == "com.password.only"
    assert window.connected and window.connection_label.text() == "Online"
    assert window.password_dialog is None
    assert credentials.load_password(url) == PASSWORD
    assert PASSWORD not in "".join(
        p.read_text(errors="replace") for p in password_settings.data_dir.rglob("*") if p.is_file()
    )
    qtbot.waitUntil(lambda: window.watcher.running, timeout=WAIT)  # live updates log in with it too


def test_a_password_changed_mid_session_is_asked_for_again_and_nothing_waits_for_ever(
    qtbot, make_window, password_settings, test_keyring, select_and_load, wait_idle, pg_server
):
    url = password_settings.database_url
    window = make_window(settings=password_settings, wait_loaded=False)
    dialog = wait_for_password_dialog(qtbot, window)
    dialog.setTextValue(PASSWORD)
    dialog.accept()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.queue_row(0) is not None, timeout=WAIT)
    select_and_load(window, 0)
    wait_idle(window)
    changed = PASSWORD + " rotated"
    try:
        pg_server.psql(f"ALTER ROLE {PASSWORD_USER} PASSWORD '{changed}'")
        pg_server.restart()  # every connection has to log in again, with the old password

        qtbot.keyClick(window.queue_view, Qt.Key.Key_A)  # decided while the password is refused
        asked = wait_for_password_dialog(qtbot, window)
        assert "password authentication failed" in asked.labelText()
        asked.reject()
        qtbot.waitUntil(lambda: window.pending_decisions == 1, timeout=WAIT)
        assert any("refused the password" in line for line in window.log_lines())
        window.sync_now()  # the journal's next attempt: refused again, and no new prompt for it
        wait_idle(window)
        assert window.password_dialog is None and window.pending_decisions == 1 and window.connected

        window.refresh()  # F5 asks again
        again = wait_for_password_dialog(qtbot, window)
        again.setTextValue(changed)
        again.accept()
        qtbot.waitUntil(
            lambda: window.pending_decisions == 0 and window.connection_label.text() == "Online", timeout=WAIT
        )
        assert credentials.load_password(url) == changed
        check = ReviewService(
            Settings(
                data_dir=password_settings.data_dir.parent / "check",
                db_url=pg_server.url(database=url.rsplit("/", 1)[1]),
            )
        )
        try:
            assert [(d.reviewer, d.verdict) for d in check.store.decisions()] == [(PASSWORD_USER, "approve")]
        finally:
            check.close()
    finally:
        pg_server.psql(f"ALTER ROLE {PASSWORD_USER} PASSWORD '{PASSWORD}'")


def test_cancelling_the_password_leaves_the_window_not_connected(qtbot, make_window, password_settings, test_keyring):
    window = make_window(settings=password_settings, wait_loaded=False)
    dialog = wait_for_password_dialog(qtbot, window)
    dialog.reject()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Not connected", timeout=WAIT)
    assert window.password_dialog is None and not window.connected
    assert window.model.rowCount() == 0
    assert any("no password given" in line for line in window.log_lines())
    window.window_actions.next_action.trigger()  # nothing to do without a database, and nothing breaks
    window.refresh()  # F5 asks again
    wait_for_password_dialog(qtbot, window).reject()
    qtbot.waitUntil(lambda: window.connection_label.text() == "Not connected", timeout=WAIT)


def test_without_a_usable_keyring_the_password_still_works_for_the_session(
    qtbot, make_window, password_settings, test_keyring
):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the fixture puts the previous backend back
    window = make_window(settings=password_settings, wait_loaded=False)
    dialog = wait_for_password_dialog(qtbot, window)
    dialog.setTextValue(PASSWORD)
    dialog.accept()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT)
    assert window.connected
    problems = [line for line in window.log_lines() if "could not be kept in the system keyring" in line]
    assert len(problems) == 1 and "\n" not in problems[0]
