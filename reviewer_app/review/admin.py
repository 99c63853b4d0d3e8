"""Database administration used by `reviewer-app db ...`."""

from __future__ import annotations

from contextlib import contextmanager

from reviewer_app.store import database


@contextmanager
def _engines(url: str):
    reader, writer = database.make_engines(url)
    try:
        yield reader, writer
    finally:
        reader.dispose()
        writer.dispose()


def upgrade_database(url: str) -> tuple[str | None, str | None]:
    with _engines(url) as (_, writer):
        return database.upgrade(writer)


def current_revision(url: str) -> str | None:
    with _engines(url) as (reader, _):
        return database.current_revision(reader)
