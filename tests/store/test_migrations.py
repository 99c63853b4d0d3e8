"""Migrations build the schema from empty, match the models, and run again without harm, on both back ends."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from reviewer_app.store import database
from reviewer_app.store.schema import Base


def test_upgrade_from_empty_creates_every_table(engines):
    reader, writer = engines
    assert database.current_revision(reader) is None
    before, after = database.upgrade(writer)
    assert before is None and after == database.head_revision()
    tables = set(inspect(reader).get_table_names())
    assert {"developers", "apps", "artifacts", "submissions", "decisions", "alembic_version"} <= tables


def test_schema_after_migrations_matches_the_models(engines):
    reader, writer = engines
    database.upgrade(writer)
    with reader.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_twice_is_a_no_op(engines):
    _, writer = engines
    database.upgrade(writer)
    before, after = database.upgrade(writer)
    assert before == after == database.head_revision()


def test_downgrade_to_base_and_up_again(engines):
    from alembic import command

    reader, writer = engines
    database.upgrade(writer)
    cfg = database._alembic_config()
    with writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(reader).get_table_names()) <= {"alembic_version"}
    database.upgrade(writer)
    assert database.current_revision(reader) == database.head_revision()


def test_the_head_read_from_the_migrations_is_alembics_and_a_revision_is_read_as_alembic_keeps_it(engines):
    from alembic.script import ScriptDirectory

    reader, writer = engines
    assert database.head_revision() == ScriptDirectory.from_config(database._alembic_config()).get_current_head()
    database.upgrade(writer, "0016")
    assert database.current_revision(reader) == "0016"
    with reader.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0016"
    database.upgrade(writer)
    assert database.current_revision(reader) == database.head_revision()


def test_opening_a_database_that_is_up_to_date_does_not_load_alembic(tmp_path):
    """Alembic takes a third of a second to import: every command and window would pay it on opening."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    _, writer = database.make_engines(url)
    database.upgrade(writer)
    writer.dispose()
    script = (
        "import sys\n"
        "from reviewer_app.store import Store\n"
        f"store = Store({url!r}, {str(tmp_path / 'blobs')!r})\n"
        "store.close()\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_decisions_are_append_only_and_move_their_submission_even_with_raw_sql(tmp_path):
    _, writer = database.make_engines(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    database.upgrade(writer)
    writer.dispose()
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO developers (name, tier, created_at) VALUES ('d', 3, '2026-01-01')")
    conn.execute(
        "INSERT INTO submissions (kind, developer_id, submitted_at, deadline, status, row_version) "
        "VALUES ('new', 1, '2026-01-01', '2026-01-02', 'pending', 1)"
    )
    conn.execute(
        "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
        "VALUES ('x', 1, 'alice', '2026-01-01', 'approve', '[]')"
    )
    conn.commit()
    assert conn.execute("SELECT status, row_version FROM submissions").fetchone() == ("approved", 2)
    with pytest.raises(sqlite3.IntegrityError, match="already decided"):
        conn.execute(
            "INSERT INTO decisions (id, submission_id, reviewer, decided_at, verdict, reason_codes) "
            "VALUES ('y', 1, 'bob', '2026-01-01', 'reject', '[]')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE decisions SET verdict = 'reject'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM decisions")
    conn.close()
