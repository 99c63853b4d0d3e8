"""The data directory, database, journal and blobs hold decisions and packages under review: they are readable
by their user only (0700 folders, 0600 files), whatever the umask, and an older workspace is tightened."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from reviewer_app.apk.reader import read_apk
from reviewer_app.paths import private_dir, private_file
from reviewer_app.review import ReviewService

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Sets the process umask for one test (the most permissive one by default) and restores it."""
    previous = os.umask(0)
    yield os.umask
    os.umask(previous)


def every_path(root: Path) -> list[Path]:
    return [root, *sorted(root.rglob("*"))]


def file_and_decide(settings, demo_apk: Path) -> ReviewService:
    service = ReviewService(settings)
    outcome = service.submit_facts(read_apk(demo_apk), demo_apk, kind="new", developer="Acme", tier=3)
    assert outcome.ok, outcome.error
    assert service.decide(outcome.submission_id, "approve").ok
    return service


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o002], ids=["umask-000", "umask-022", "umask-002"])
def test_a_fresh_workspace_is_readable_by_its_user_only(settings, demo_apk, umask, mask):
    umask(mask)
    data = settings.data_dir
    assert not data.exists()
    service = file_and_decide(settings, demo_apk)
    try:
        database = data / "reviewer.sqlite3"
        journal = settings.journal_path
        blob = service.store.blobs.path(service.store.blobs.put_file(demo_apk))
        expected_files = [database, journal, blob]
        # SQLite's own files, made by SQLite while the service is open, take the database file's mode.
        sidecars = [p.with_name(p.name + s) for p in (database, journal) for s in ("-wal", "-shm")]
        assert all(p.is_file() for p in expected_files + sidecars)
        found = every_path(data)
        assert set(expected_files + sidecars) <= set(found)
        assert {blob.parent, settings.blob_dir} <= set(found)
        modes = {p.relative_to(data.parent).as_posix(): oct(mode(p)) for p in found}
        assert modes == {p.relative_to(data.parent).as_posix(): oct(0o700 if p.is_dir() else 0o600) for p in found}, (
            modes
        )
    finally:
        service.close()


def test_an_older_workspace_is_tightened_when_opened(settings, demo_apk, umask):
    umask(0o022)
    file_and_decide(settings, demo_apk).close()
    data = settings.data_dir
    database = data / "reviewer.sqlite3"
    # What an earlier version left: everything open to others, and SQLite files of a session that died.
    leftover = sqlite3.connect(database)
    leftover.execute("PRAGMA journal_mode=WAL")
    leftover.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
    for path in every_path(data):
        path.chmod(0o755 if path.is_dir() else 0o644)
    wal, shm = database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")
    assert mode(wal) == mode(shm) == 0o644
    try:
        service = ReviewService(settings)
        try:
            assert [row.status for row in service.queue(statuses=["approved"])] == ["approved"]
            for path in [data, database, wal, shm, settings.journal_path, settings.blob_dir]:
                assert mode(path) == (0o700 if path.is_dir() else 0o600), path
            shards = [p for p in settings.blob_dir.iterdir() if p.is_dir()]
            assert shards and all(mode(p) == 0o700 for p in shards)
        finally:
            service.close()
    finally:
        leftover.close()


def test_a_database_in_a_folder_of_the_users_choice_leaves_the_folder_alone(tmp_path, settings, umask):
    """The database URL may name a file in any folder (a shared one, the user's documents): its file is
    private, the folder keeps its mode; a folder it has to create is private."""
    from dataclasses import replace

    umask(0o022)
    documents = tmp_path / "documents"
    documents.mkdir(mode=0o755)
    for folder in (documents, tmp_path / "new" / "folder"):
        database = folder / "review.sqlite3"
        service = ReviewService(replace(settings, db_url=f"sqlite:///{database}"))
        service.close()
        assert mode(database) == 0o600
    assert mode(documents) == 0o755
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "folder") == 0o700


def test_private_helpers_refuse_what_is_not_theirs_to_make(tmp_path, umask):
    umask(0o077)
    afile = tmp_path / "file"
    afile.write_bytes(b"x")
    with pytest.raises(NotADirectoryError):
        private_dir(afile)
    with pytest.raises(NotADirectoryError):
        private_dir(afile / "below")
    made = private_file(tmp_path / "f")
    assert made.read_bytes() == b"" and mode(made) == 0o600
    made.write_bytes(b"kept")
    made.chmod(0o640)
    assert private_file(made).read_bytes() == b"kept" and mode(made) == 0o600
