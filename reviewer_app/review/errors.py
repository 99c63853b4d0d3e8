"""Errors that reach a person as one line (the CLI prints them; the GUI shows them)."""

from reviewer_app.credentials import CredentialStoreError
from reviewer_app.devices.adb import AdbError
from reviewer_app.devices.results import ResultsError
from reviewer_app.domain import DeviceImportError, StoreError
from reviewer_app.review.service import ReviewError

# StoreError covers every database failure (the store translates them), bad URLs and role errors.
# ResultsError, DeviceImportError and AdbError: a device results folder or an adb server that cannot be used.
USER_ERRORS: tuple[type[Exception], ...] = (ReviewError, StoreError, CredentialStoreError, OSError, ResultsError,
                                            DeviceImportError, AdbError)  # fmt: skip
