"""Errors that reach a person as one line (the CLI prints them; the GUI shows them)."""

from reviewer_app.credentials import CredentialStoreError
from reviewer_app.review.service import ReviewError
from reviewer_app.store import DatabaseError, DatabaseUrlError, StoreError
from reviewer_app.store.roles import RoleError

USER_ERRORS: tuple[type[Exception], ...] = (
    ReviewError,
    StoreError,
    DatabaseUrlError,
    DatabaseError,
    RoleError,
    CredentialStoreError,
    OSError,
)
