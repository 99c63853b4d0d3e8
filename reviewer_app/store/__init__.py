"""SQLAlchemy schema, repositories, migrations (Alembic) and the blob folder. The only package that knows SQL."""

from reviewer_app.store.blobs import BlobStore
from reviewer_app.store import database, roles
from reviewer_app.store.database import DatabaseUrlError
from reviewer_app.store.records import (
    AlreadyDecided,
    ClaimRecord,
    CredentialsRequired,
    DatabaseUnavailable,
    DecisionRecord,
    HeldByOther,
    NotClaimable,
    NotFound,
    PermissionDenied,
    QueueRow,
    StoreError,
    SubmissionDetail,
    iso_utc,
)
from reviewer_app.store.repository import Store

from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # noqa: E402  (callers catch it without knowing SQL)
from reviewer_app.store.schema import KINDS, OPEN_STATUSES, STATUSES, VERDICTS

__all__ = [
    "AlreadyDecided",
    "BlobStore",
    "ClaimRecord",
    "CredentialsRequired",
    "DatabaseUnavailable",
    "DatabaseError",
    "DatabaseUrlError",
    "DecisionRecord",
    "HeldByOther",
    "KINDS",
    "NotClaimable",
    "NotFound",
    "OPEN_STATUSES",
    "PermissionDenied",
    "QueueRow",
    "STATUSES",
    "Store",
    "StoreError",
    "SubmissionDetail",
    "VERDICTS",
    "iso_utc",
]
