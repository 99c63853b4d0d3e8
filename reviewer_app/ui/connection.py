"""Connecting to the review database and keeping the offline journal moving.

The functions here run on the database worker (`fn(service)` jobs): `open_session` is the first job of a
window (it opens the service, so it fails when the database wants a password the keyring does not have),
`sync_journal` pushes the decisions that waited while the database did not answer and says whether it
answers now. `password_dialog` builds the question asked on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from reviewer_app.ui.jobs import needs_password, one_line


@dataclass(frozen=True)
class Session:
    """What the window needs once the service is open."""

    reviewer: str
    watch: Callable[..., None] | None  # the service's blocking `watch`, for the watcher thread
    pending: int = 0
    conflicts: tuple[Any, ...] = ()
    online: bool = True
    keyring_error: str | None = None  # the password works but could not be kept in the keyring
    waiting: tuple[int, ...] = ()  # submissions decided here whose decisions wait in the journal


@dataclass(frozen=True)
class SyncResult:
    pending: int
    conflicts: tuple[Any, ...]
    online: bool
    stats: dict[str, Any] | None = field(default=None)
    password_refused: str | None = None  # the server's words, when it is the password it refuses
    waiting: tuple[int, ...] = ()  # submissions decided here whose decisions wait in the journal


def open_session(service: Any, *, live: bool = True, url: str | None = None, password: str | None = None) -> Session:
    """On the worker, as the first job: the service is open (or this raised). Keeps a password that
    worked in the system keyring when `url` and `password` are given."""
    keyring_error = None
    if url is not None and password is not None:
        from reviewer_app.credentials import CredentialStoreError, save_password

        try:
            save_password(url, password)
        except CredentialStoreError as exc:
            keyring_error = one_line(exc)
    pending, conflicts, online, waiting = 0, (), True, ()
    if hasattr(service, "journal_status"):
        status = service.journal_status()
        pending, conflicts, online, waiting = (
            status.pending,
            tuple(status.conflicts),
            bool(status.online),
            status.waiting,
        )
    watch = getattr(service, "watch", None) if live else None
    return Session(service.reviewer, watch, pending, conflicts, online, keyring_error, waiting)


def sync_journal(service: Any, probe: bool = False) -> SyncResult:
    """On the worker: push waiting decisions in order; find out whether the database answers.

    A non-empty journal after the flush means the database stopped answering. With an empty journal the
    flush may not have needed the database at all, so when the window believes it is offline (`probe`)
    or the service last saw it unreachable, one cheap query asks (its counts refresh the status bar).
    """
    from reviewer_app.review import DatabaseUnavailable

    if not hasattr(service, "flush_journal"):
        return SyncResult(0, (), True, None)
    status = service.flush_journal()
    online = bool(status.online)
    offline_error = getattr(status, "offline_error", None)
    stats = None
    if status.pending:
        online = False
    elif probe or not online:
        try:
            stats = service.queue_stats()
            online, offline_error = True, None
        except DatabaseUnavailable as exc:
            online, offline_error = False, exc
    refused = one_line(offline_error) if not online and needs_password(offline_error) else None
    return SyncResult(status.pending, tuple(status.conflicts), online, stats, refused, status.waiting)


def dismiss_conflict(service: Any, decision_id: str) -> SyncResult:
    """On the worker: the reviewer has seen this conflict; the journal as it is now."""
    service.dismiss_conflict(decision_id)
    status = service.journal_status()
    return SyncResult(status.pending, tuple(status.conflicts), bool(status.online), waiting=status.waiting)


def password_dialog(parent: QWidget, account: str, problem: str = "") -> QInputDialog:
    """A window-modal password question naming the keyring account (user@host:port/database).

    Not shown yet: the caller connects `textValueSelected` / `rejected` and calls `open()`.
    """
    dialog = QInputDialog(parent)
    dialog.setObjectName("passwordDialog")
    dialog.setWindowTitle(QCoreApplication.translate("Connection", "Database password"))
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    text = QCoreApplication.translate("Connection", "Password for %1:").replace("%1", account)
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
