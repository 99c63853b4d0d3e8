"""The store's tests run on both back ends: an empty database of each, not migrated yet."""

from __future__ import annotations

import pytest

from reviewer_app.store import database


@pytest.fixture(params=["sqlite", "postgresql"])
def engines(request, tmp_path):
    if request.param == "postgresql":
        pg_server = request.getfixturevalue("pg_server")
        url = pg_server.url(database=pg_server.create_database())
    else:
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    reader, writer = database.make_engines(url)
    yield reader, writer
    reader.dispose()
    writer.dispose()
