"""The window's session with the review database: connecting (and asking for a password), knowing whether
the database answers, keeping the offline journal moving, and the decision conflicts it finds.

The shared database may stop answering. Decisions then stay in the local journal and count as made; the
journal is flushed on the beat of `review.sync.JournalSyncPolicy` (when an undo window ends, every few
seconds, and as soon as any job reaches the database again). A journaled decision that someone else beat
on the server is listed in the Decision conflicts dialog until the reviewer dismisses it. When the
database wants a password, the window asks for it, keeps it in the system keyring and opens the service
again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from reviewer_app.review import local_journal_status, utc_now
from reviewer_app.review.conflicts import ConflictFacts, conflict_items, describe_conflicts
from reviewer_app.review.session import (
    Session,
    SyncResult,
    account,
    dismiss_conflict,
    is_unreachable,
    needs_password,
    one_line,
    open_session,
    sync_journal,
)
from reviewer_app.review.sync import JournalSyncPolicy
from reviewer_app.ui.conflicts import ConflictsDialog
from reviewer_app.ui.jobs import DbJobs, Job, open_error
from reviewer_app.ui.text import verdict_name


def password_dialog(parent: QWidget, who: str, problem: str = "") -> QInputDialog:
    """A window-modal password question naming the keyring account (user@host:port/database).

    Not shown yet: the caller connects `textValueSelected` / `rejected` and calls `open()`.
    """
    dialog = QInputDialog(parent)
    dialog.setObjectName("passwordDialog")
    dialog.setWindowTitle(QCoreApplication.translate("Connection", "Database password"))
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    text = QCoreApplication.translate("Connection", "Password for %1:").replace("%1", who)
    if problem:
        refused = QCoreApplication.translate("Connection", "The database refused the password: %1")
        text = refused.replace("%1", problem) + "\n\n" + text
    else:
        text = QCoreApplication.translate("Connection", "The review database wants a password.") + "\n" + text
    text += "\n" + QCoreApplication.translate("Connection", "It is kept in the system keyring, not in a file.")
    dialog.setLabelText(text)
    dialog.setOkButtonText(QCoreApplication.translate("Connection", "&Connect"))
    dialog.setCancelButtonText(QCoreApplication.translate("Connection", "&Cancel"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


class SessionController(QObject):
    sig_connected = Signal(object)  # Session
    sig_journal = Signal(object)  # SyncResult: what the journal holds now (after a flush, a decision, an undo)
    sig_log = Signal(str, bool)  # activity log line, is an error
    sig_message = Signal(str, int)  # status bar message, milliseconds
    sig_connection = Signal(str, str, str)  # text, kind ("online" | "offline" | "down" | ""), tooltip
    sig_stats = Signal(dict)  # counts a probe brought back

    def __init__(
        self,
        jobs: DbJobs,
        settings: Any,
        window: QWidget,
        *,
        live: bool = True,
        sync_ms: int = 10_000,
        clock: Callable[[], Any] = utc_now,
    ) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.settings = settings
        self.window = window
        self.live = live
        self.policy = JournalSyncPolicy(interval=sync_ms / 1000)
        self._clock = clock  # real time: undo windows are the journal's, in real seconds
        self._closed = False
        self.connected = False
        self.connecting = False
        self._retry_connect = False  # the database did not answer when opening: try again on the beat
        self._password_given = False
        self._password_declined = False  # refused mid-session, and the reviewer cancelled the new prompt
        self.password_dialog: QInputDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self.online_flag = True
        self.journal = SyncResult(0, (), True)
        self._conflict_facts: dict[str, ConflictFacts] = {}
        self._announced: set[str] = set()
        self._describing: set[str] = set()
        self._sync_job: Job | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._beat)
        jobs.sig_reachability.connect(self._on_reachability)
        jobs.sig_credentials_refused.connect(self.credentials_refused)

    # -- state -----------------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        """Connected, and the database answered the last time it was needed."""
        return self.connected and self.online_flag

    @property
    def pending(self) -> int:
        """Decisions past their undo window that the database has not taken yet."""
        return self.journal.unsent

    @property
    def conflict_count(self) -> int:
        return len(self.journal.conflicts)

    def url(self) -> str:
        return str(getattr(self.settings, "database_url", "") or "")

    # -- connecting ------------------------------------------------------------------------------

    def open_connection(self, *, reopen: bool = False, password: str | None = None) -> None:
        """Open the service on the worker (its first job); a password, when given, is tried and kept."""
        if self._closed or self.connecting:
            return
        self.connecting = True
        if password is not None:
            self.jobs.reopen(password)
        elif reopen:
            self.jobs.reopen()
        url = self.url() if password is not None else None
        live = self.live

        def connect(service: Any) -> Session:
            return open_session(service, live=live, url=url, password=password)

        self.jobs.run(connect, on_success=self._on_connected, on_failure=self._on_connect_failed, label="connect")
        self._update_label()

    def refresh(self) -> bool:
        """F5: connect (or ask for the password) when that is what is missing; True when connected and
        the caller may reload."""
        if not self.connected:
            if not self.connecting and self.password_dialog is None:
                self.open_connection(reopen=True)
            return False
        if self._password_declined:
            self._password_declined = False
            self._ask_password()
            return False
        if not self.online_flag:
            self.sync_now()
        return True

    def _on_connected(self, session: Session) -> None:
        self.connecting = False
        self.connected = True
        self._retry_connect = False
        self._password_declined = False
        if session.keyring_error:
            text = self.tr(
                "The password works but could not be kept in the system keyring (%1); it is used until the window closes."
            ).replace("%1", session.keyring_error)
            self.sig_log.emit(text, True)
            self.sig_message.emit(text, 15000)
        self.apply(
            SyncResult(
                session.pending,
                session.conflicts,
                session.online,
                waiting=session.waiting,
                held=session.held,
                undos=session.undos,
            )
        )
        self.sig_connected.emit(session)
        if session.pending or session.undos:
            self.sync_now()  # before the queue's ids: the worker sends what waits first
        self._update_label()
        self._schedule()

    def _on_connect_failed(self, exc: BaseException) -> None:
        self.connecting = False
        self.connected = False
        reason = open_error(exc) or exc
        text = one_line(reason)
        if needs_password(reason) and account(self.url()):
            tried = self._password_given or "authentication failed" in text
            self._ask_password(text if tried else "")
            return
        if is_unreachable(reason):
            if not self._retry_connect:
                self.sig_log.emit(
                    self.tr("Not connected: %1. Trying again every few seconds.").replace("%1", text), True
                )
                self._count_waiting()
            self._retry_connect = True
            self._schedule()
        else:
            self.sig_log.emit(self.tr("Not connected: %1").replace("%1", text), True)
        self.sig_message.emit(self.tr("Not connected: %1").replace("%1", text), 15000)
        self._update_label()

    def _count_waiting(self) -> None:
        """Not connected: still say how many decisions this computer keeps (from an earlier session)."""
        settings = self.settings
        if not hasattr(settings, "journal_path"):
            return

        def counted(status: Any) -> None:
            if not self.connected:
                self.journal = SyncResult(
                    status.pending, tuple(status.conflicts), False, waiting=status.waiting, undos=status.undos
                )
                self._update_label()

        self.jobs.run(
            lambda _none: local_journal_status(settings),
            on_success=counted,
            label="count waiting decisions",
            local=True,
            needs_service=False,
        )

    def _ask_password(self, problem: str = "") -> None:
        if self._closed or self.password_dialog is not None:
            return
        dialog = password_dialog(self.window, account(self.url()) or self.url(), problem)
        dialog.textValueSelected.connect(self._on_password_given)
        dialog.rejected.connect(self._on_password_cancelled)
        self.password_dialog = dialog
        self._update_label()
        dialog.open()

    def _on_password_given(self, password: str) -> None:
        self.password_dialog = None
        if self._closed:
            return
        self._password_given = True
        self.open_connection(password=password)

    def credentials_refused(self, why: str) -> None:
        """Mid-session the server stopped taking the password (it was changed, and the connection had to
        be made again): ask for the new one instead of waiting, offline, for an answer that never comes."""
        if (
            self._closed
            or not self.connected
            or self.connecting
            or self.password_dialog is not None
            or self._password_declined
            or not account(self.url())
        ):
            return  # not connected yet: the connect job asks; declined: F5 asks again
        self._ask_password(why)

    def _on_password_cancelled(self) -> None:
        self.password_dialog = None
        if self._closed:
            return
        if self.connected:
            self._password_declined = True
            text = self.tr(
                "The database refused the password. Decisions are kept on this computer; press F5 to enter the password again."
            )
        else:
            text = self.tr("Not connected: no password given. Press F5 to try again.")
        self.sig_log.emit(text, True)
        self.sig_message.emit(text, 15000)
        self._update_label()

    # -- the journal -----------------------------------------------------------------------------

    def _schedule(self) -> None:
        """Arm the next beat: when an undo window ends, or after the policy's interval."""
        if self._closed:
            return
        held = [h.send_after for h in self.journal.held]
        wait = self.policy.next_flush_in(self._clock(), held, busy=self._sync_job is not None)
        self._timer.start(max(1, int(wait * 1000) + (50 if held else 0)))

    def _beat(self) -> None:
        if self._closed:
            return
        if not self.connected:
            if self.policy.reconnect(
                self.connected, self._retry_connect, self.connecting, self.password_dialog is not None
            ):
                self.open_connection(reopen=True)
            self._schedule()
            return
        self.sync_now()
        self._schedule()

    def sync_now(self, held_too: bool = False) -> None:
        """Send the decisions that wait (on the worker) and find out whether the database answers."""
        if self._closed or not self.connected or (self._sync_job is not None and not held_too):
            return
        probe = self.policy.probe(self.online_flag)
        self._sync_job = self.jobs.run(
            lambda service: sync_journal(service, probe, held_too),
            on_success=self._on_synced,
            on_failure=self._on_sync_failed,
            label="send waiting decisions",
            local=True,
        )

    def _on_synced(self, result: SyncResult) -> None:
        try:
            self.jobs.set_reachable(result.online)
            self.apply(result)
        finally:
            self._sync_job = None
        if result.stats is not None:
            self.sig_stats.emit(result.stats)
        self._update_label()
        if result.password_refused:
            self.credentials_refused(result.password_refused)
        self._schedule()

    def _on_sync_failed(self, exc: BaseException) -> None:
        self._sync_job = None
        if not is_unreachable(exc) and open_error(exc) is None:
            text = self.tr("Background task failed: %1").replace("%1", one_line(exc))
            self.sig_log.emit(text, True)
        self._schedule()

    def apply(self, result: SyncResult) -> None:
        """What the journal holds now: decisions waiting or held (their rows stay out of the queue),
        conflicts to show. Says in the log what was sent and what was refused."""
        before = self.journal.unsent
        self.journal = result
        if self.online_flag and result.unsent < before:
            self.sig_log.emit(self.tr("Sent %n decision(s) that waited.", "", before - result.unsent), False)
        present = {entry.decision_id for entry in result.conflicts}
        for entry in result.conflicts:
            if entry.decision_id in self._announced:
                continue
            self._announced.add(entry.decision_id)
            text = (
                self.tr(
                    "Your decision on submission %1 (%2) was refused: someone else got there first. See Decision conflicts."
                )
                .replace("%1", str(entry.submission_id))
                .replace("%2", verdict_name(entry.verdict))
            )
            self.sig_log.emit(text, True)
            self.sig_message.emit(text, 15000)
        for decision_id in list(self._conflict_facts):
            if decision_id not in present:
                del self._conflict_facts[decision_id]
        self._describe_conflicts()
        self._refresh_conflicts_dialog()
        self._update_label()
        self.sig_journal.emit(result)
        self._schedule()

    def announced(self, decision_id: str) -> None:
        """The reviewer was told of this conflict where they looked: not again in the log."""
        self._announced.add(decision_id)

    def _describe_conflicts(self) -> None:
        """Find out, on the worker, who got there first for each conflict not described yet (the stored
        error text shows meanwhile, and for good if the database cannot tell)."""
        todo = [
            entry
            for entry in self.journal.conflicts
            if entry.decision_id not in self._conflict_facts and entry.decision_id not in self._describing
        ]
        if not todo or not self.online:
            return
        asked = {entry.decision_id for entry in todo}
        self._describing |= asked

        def described(facts: dict[str, ConflictFacts]) -> None:
            self._describing -= asked
            present = {entry.decision_id for entry in self.journal.conflicts}
            self._conflict_facts.update({k: v for k, v in facts.items() if k in present})
            self._refresh_conflicts_dialog()

        def failed(_exc: BaseException) -> None:
            self._describing -= asked  # asked again with the next journal status

        self.jobs.run(
            lambda service: describe_conflicts(service, todo),
            on_success=described,
            on_failure=failed,
            label="describe conflicts",
        )

    def _refresh_conflicts_dialog(self) -> None:
        if self.conflicts_dialog is not None:
            self.conflicts_dialog.set_items(conflict_items(self.journal.conflicts, self._conflict_facts))

    def show_conflicts(self) -> ConflictsDialog:
        """The non-modal list of refused decisions, each with a Dismiss button."""
        if self.conflicts_dialog is None:
            self.conflicts_dialog = ConflictsDialog(self.window)
            self.conflicts_dialog.sig_dismiss.connect(self.dismiss_conflict)
        self._refresh_conflicts_dialog()
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()
        self.conflicts_dialog.activateWindow()
        return self.conflicts_dialog

    def dismiss_conflict(self, decision_id: str) -> None:
        def failed(exc: BaseException) -> None:
            if self.conflicts_dialog is not None:
                self.conflicts_dialog.dismiss_failed(decision_id)
            self.sig_log.emit(self.tr("Could not dismiss the conflict: %1").replace("%1", one_line(exc)), True)

        self.jobs.run(
            lambda service: dismiss_conflict(service, decision_id),
            on_success=self.apply,
            on_failure=failed,
            label="dismiss conflict",
            local=True,
        )

    # -- reachability ----------------------------------------------------------------------------

    def _on_reachability(self, reachable: bool, why: str) -> None:
        """DbJobs saw the database stop answering, or answer again."""
        self.online_flag = reachable
        if reachable:
            self.sig_log.emit(self.tr("The database answers again."), False)
            self.sync_now()
        elif why:
            text = self.tr(
                "The database does not answer (%1). Decisions are kept on this computer and sent when it answers again."
            ).replace("%1", why)
            self.sig_log.emit(text, True)
        else:
            text = self.tr(
                "The database does not answer. Decisions are kept on this computer and sent when it answers again."
            )
            self.sig_log.emit(text, True)
        self._update_label()

    def _update_label(self) -> None:
        unsent, undos = self.journal.unsent, self.journal.undos
        if unsent > 0 or not undos:
            offline = self.tr("Offline — %n decision(s) waiting", "", unsent)
        else:  # only undos wait: they are what the reviewer needs to know is not on the server yet
            offline = self.tr("Offline — %n undo(s) waiting", "", undos)
        if not self.connected:
            if self.connecting:
                text, kind = self.tr("Connecting…"), ""
            elif self.password_dialog is not None:
                text, kind = self.tr("Waiting for the password"), ""
            elif unsent > 0 or undos > 0:
                text, kind = offline, "offline"
            else:
                text, kind = self.tr("Not connected"), "down"
            tip = self.tr("Not connected to the review database. Press F5 to try again.")
        elif not self.online_flag or unsent > 0 or undos > 0:
            text, kind = offline, "offline"
            tip = self.tr(
                "The database does not answer. Your decisions are kept on this computer and sent, in order, when it answers again."
            )
        else:
            text, kind = self.tr("Online"), "online"
            tip = self.tr("Connected to the review database.")
        if undos and kind != "online":
            tip += "\n" + self.tr(
                "%n undo(s) of your decisions wait to be written to the audit trail; they are sent with the decisions.",
                "",
                undos,
            )
        self.sig_connection.emit(text, kind, tip)

    # -- closing ---------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the beat; send what the journal keeps back (the undo windows end with the window)."""
        if self._closed:
            return
        if self.connected and self.journal.held:
            self.sync_now(held_too=True)
        self._closed = True
        self._timer.stop()
        for dialog in (self.password_dialog, self.conflicts_dialog):
            if dialog is not None:
                dialog.close()
        self.password_dialog = None
