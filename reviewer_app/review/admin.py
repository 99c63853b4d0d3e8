"""Database administration used by `reviewer-app db ...` and `reviewer-app user ...`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from reviewer_app.config import Settings
from reviewer_app.credentials import load_password
from reviewer_app.domain import RoleError
from reviewer_app.store import Store, database, roles
from reviewer_app.store.errors import translate_errors


@contextmanager
def _writer(settings: Settings, password: str | None) -> Iterator:
    url = settings.database_url
    reader, writer = database.make_engines(url, password if password is not None else load_password(url))
    try:
        with translate_errors():
            yield writer
    finally:
        reader.dispose()
        writer.dispose()


def upgrade_database(settings: Settings, password: str | None = None) -> tuple[str | None, str | None]:
    with _writer(settings, password) as writer:
        return database.upgrade(writer)


def current_revision(settings: Settings, password: str | None = None) -> str | None:
    with _writer(settings, password) as writer:
        return database.current_revision(writer)


def create_roles(settings: Settings, password: str | None = None) -> None:
    with _writer(settings, password) as writer:
        database.upgrade(writer)
        roles.create_roles(writer)


def add_user(settings: Settings, name: str, role: str, user_password: str | None, password: str | None = None) -> str:
    """Returns where the user now lives, for the message printed to the administrator."""
    with _writer(settings, password) as writer:
        if writer.dialect.name == "postgresql":
            database.upgrade(writer)  # the user's addition goes in the audit trail (a no-op when up to date)
            roles.add_user(writer, name, role, user_password)
            return f"login role {name} in group {roles.GROUPS[role]}"
    if role not in roles.GROUPS:
        raise RoleError(f"unknown role {role!r} (use reviewer, lead, admin or worker)")
    store = open_store(settings, password)
    try:
        store.set_user_role(name, role)
    finally:
        store.close()
    return f"user {name} ({role}) in the local database (SQLite has no database users; roles are advisory)"


def check_login(settings: Settings, password: str | None) -> str:
    """Connect once with this password; returns the database user the server sees."""
    store = open_store(settings, password, migrate=False)
    try:
        return store.whoami()
    finally:
        store.close()


def open_store(settings: Settings, password: str | None = None, migrate: bool = True) -> Store:
    url = settings.database_url
    return Store(
        url,
        settings.blob_dir,
        reviewer=settings.reviewer_name,
        migrate=migrate,
        password=password if password is not None else load_password(url),
    )
