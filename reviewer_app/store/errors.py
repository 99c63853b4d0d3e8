"""Database errors as the domain's: the server's own words in a StoreError, never an SQLAlchemy exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError

from reviewer_app.domain import (
    CredentialsRequired,
    DatabaseError,
    DatabaseUnavailable,
    NotClaimable,
    PermissionDenied,
)


class IntegrityViolation(DatabaseError):
    """The schema refused a row: a key written at the same moment elsewhere (the caller may look again), or
    a value its constraints do not allow."""


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


AUTH_HINTS = ("password authentication failed", "no password supplied", "password is required")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Database errors become the domain's StoreErrors with the server's own words: no SQLAlchemy
    exception leaves the store."""
    try:
        yield
    except DBAPIError as exc:
        sqlstate = getattr(exc.orig, "sqlstate", None)
        message = _first_line(exc)
        if sqlstate == "42501":
            raise PermissionDenied(f"the database refused: {message}") from None
        if "already decided" in message:
            raise NotClaimable(message) from None
        if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
            if any(hint in message for hint in AUTH_HINTS):
                raise CredentialsRequired(f"the database wants a password: {message}") from None
            raise DatabaseUnavailable(f"database unavailable: {message}") from None
        if isinstance(exc, IntegrityError):
            raise IntegrityViolation(f"database error: {message}") from exc
        raise DatabaseError(f"database error: {message}") from exc
    except SQLAlchemyError as exc:
        raise DatabaseError(f"database error: {_first_line(exc)}") from exc
