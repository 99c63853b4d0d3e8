"""SQLAlchemy schema, repositories, migrations (Alembic) and the blob folder. The only package that knows SQL."""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError

from reviewer_app.store import database, roles
from reviewer_app.store.blobs import BlobStore
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
from reviewer_app.store.schema import KINDS, OPEN_STATUSES, STATUSES, VERDICTS

__all__ = [
    "KINDS",
    "OPEN_STATUSES",
    "STATUSES",
    "VERDICTS",
    "AlreadyDecided",
    "BlobStore",
    "ClaimRecord",
    "CredentialsRequired",
    "DatabaseError",
    "DatabaseUnavailable",
    "DatabaseUrlError",
    "DecisionRecord",
    "HeldByOther",
    "NotClaimable",
    "NotFound",
    "PermissionDenied",
    "QueueRow",
    "Store",
    "StoreError",
    "SubmissionDetail",
    "database",
    "iso_utc",
    "roles",
]
