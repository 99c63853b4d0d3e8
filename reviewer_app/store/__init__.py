"""SQLAlchemy schema, repositories, migrations (Alembic) and the blob folder. The only package that knows SQL.

It speaks the domain's words (`reviewer_app.domain`): records in, records out, and the domain's errors
for whatever the database says; no SQLAlchemy object or exception leaves it.
"""

from reviewer_app.store import database, roles
from reviewer_app.store.blobs import BlobStore
from reviewer_app.store.repository import Store

__all__ = ["BlobStore", "Store", "database", "roles"]
