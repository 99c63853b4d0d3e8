"""A window's connection to the review database, and the offline journal kept moving.

The functions here run on the database worker with the service: `open_session` is the first job of a
window (it opens the service, so it fails when the database wants a password the keyring does not have),
`sync_journal` sends the decisions that waited and says whether the database answers now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.credentials import account
from reviewer_app.domain import CredentialsRequired, DatabaseUnavailable

__all__ = [
    "Session",
    "SyncResult",
    "account",
    "dismiss_conflict",
    "is_unreachable",
    "needs_password",
    "one_line",
    "open_session",
    "sync_journal",
]


def is_unreachable(exc: BaseException | None) -> bool:
    """True for the errors that mean "the database does not answer" (work may be retried later)."""
    return isinstance(exc, DatabaseUnavailable)


def needs_password(exc: BaseException | None) -> bool:
    """True when the server wants a password that we lack, or refused the one we have."""
    return isinstance(exc, CredentialsRequired)


def one_line(exc: BaseException | None) -> str:
    """An exception as one line for a person: its message, or its type when it has none."""
    if exc is None:
        return ""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


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
    held: tuple[Any, ...] = ()  # decisions still in their undo window (HeldDecision)
    role: str = "reviewer"
    undos: int = 0  # undos journaled here that the audit trail has not heard of yet


@dataclass(frozen=True)
class SyncResult:
    pending: int
    conflicts: tuple[Any, ...]
    online: bool
    stats: dict[str, Any] | None = field(default=None)
    password_refused: str | None = None  # the server's words, when it is the password it refuses
    waiting: tuple[int, ...] = ()  # submissions decided here whose decisions wait in the journal
    held: tuple[Any, ...] = ()  # decisions still in their undo window (HeldDecision)
    undos: int = 0  # undos journaled here that the audit trail has not heard of yet (sent with the decisions)

    @property
    def unsent(self) -> int:
        return self.pending - len(self.held)


def _status_result(status: Any, **changes: Any) -> SyncResult:
    values = {
        "pending": status.pending,
        "conflicts": tuple(status.conflicts),
        "online": bool(status.online),
        "waiting": tuple(status.waiting),
        "held": tuple(status.held),
        "undos": int(getattr(status, "undos", 0)),
    }
    values.update(changes)
    return SyncResult(**values)


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
    status = service.journal_status()
    watch = getattr(service, "watch", None) if live else None
    return Session(
        service.reviewer,
        watch,
        status.pending,
        tuple(status.conflicts),
        bool(status.online),
        keyring_error,
        tuple(status.waiting),
        tuple(status.held),
        service.role,
        status.undos,
    )


def sync_journal(service: Any, probe: bool = False, held_too: bool = False) -> SyncResult:
    """On the worker: push waiting decisions in order; find out whether the database answers.

    Decisions past their undo window that are still in the journal after the flush mean the database
    stopped answering. With nothing to send the flush may not have needed the database at all, so when the
    window believes it is offline (`probe`) or the service last saw it unreachable, one cheap query asks
    (its counts refresh the status bar). `held_too`: send the decisions in their undo window as well.
    """
    status = service.flush_journal(held_too)
    online = bool(status.online)
    offline_error = getattr(status, "offline_error", None)
    stats = None
    if status.unsent or status.undos:  # the flush sends both: what is left, the database did not take
        online = False
    elif probe or not online:
        try:
            stats = service.queue_stats()
            online, offline_error = True, None
        except DatabaseUnavailable as exc:
            online, offline_error = False, exc
    refused = one_line(offline_error) if not online and needs_password(offline_error) else None
    return _status_result(status, online=online, stats=stats, password_refused=refused)


def dismiss_conflict(service: Any, decision_id: str) -> SyncResult:
    """On the worker: the reviewer has seen this conflict; the journal as it is now."""
    service.dismiss_conflict(decision_id)
    return _status_result(service.journal_status())
