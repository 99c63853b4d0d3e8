"""Errors that reach a person as one line (the CLI prints them; the GUI shows them)."""

from reviewer_app.credentials import CredentialStoreError
from reviewer_app.domain import StoreError
from reviewer_app.review.service import ReviewError

# StoreError covers every database failure (the store translates them), bad URLs and role errors.
USER_ERRORS: tuple[type[Exception], ...] = (ReviewError, StoreError, CredentialStoreError, OSError)
