"""Shared fixtures: real APKs (our own; the external corpus and the reference tools are in tests/corpus.py),
PostgreSQL servers, and an isolated environment."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

# The corpus fixtures (aapt_badging, apksigner_verdicts), for every test.
pytest_plugins = ["tests.corpus"]

ROOT = Path(__file__).resolve().parents[1]
DEMO_APKS = ROOT / "resources" / "demo" / "apks"
TEST_APKS = ROOT / "tests" / "data" / "apks"


@pytest.fixture(scope="session")
def demo_index() -> list[dict]:
    return json.loads((DEMO_APKS / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def test_apk_index() -> list[dict]:
    return json.loads((TEST_APKS / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's settings, data or database."""
    home = tmp_path_factory.mktemp("home")
    for name in ("REVIEWER_APP_DB", "REVIEWER_APP_DATA", "REVIEWER_APP_REVIEWER", "REVIEWER_APP_LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REVIEWER_APP_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield


@pytest.fixture
def settings(tmp_path):
    from reviewer_app.config import Settings

    return Settings(data_dir=tmp_path / "data", reviewer="alice")


@pytest.fixture(scope="session")
def demo_apk() -> Path:
    """A small real APK the project builds itself (resources/demo/apks)."""
    path = DEMO_APKS / "com.example.notes_1.apk"
    if not path.exists():
        candidates = sorted(DEMO_APKS.glob("*.apk"))
        assert candidates, f"no demo APKs in {DEMO_APKS}"
        path = candidates[0]
    return path


def _pg_server():
    from tests.corpus import missing_reference
    from tests.pg_server import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        missing_reference("PostgreSQL server binaries (pg_ctl, initdb) are not installed (Debian package postgresql)")
    server = PgServer(bindir)
    server.start()
    return server


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of the tests' own (skipped without server binaries, a failure in CI)."""
    server = _pg_server()
    yield server
    server.destroy()


@pytest.fixture
def own_pg_server():
    """A server for one test alone: for what is cluster-wide (roles) and must start from nothing."""
    server = _pg_server()
    yield server
    server.destroy()


@pytest.fixture
def test_keyring(tmp_path, monkeypatch):
    """The system keyring, as a file this test owns (no desktop session here, hence no Secret Service);
    subprocesses use it too, through PYTHON_KEYRING_BACKEND."""
    import keyring

    from tests.support.keyring_backend import TestKeyring

    previous = keyring.get_keyring()
    monkeypatch.setenv("REVIEWER_APP_TEST_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.keyring_backend.TestKeyring")
    keyring.set_keyring(TestKeyring())
    yield tmp_path / "keyring.json"
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def demo_apks() -> dict[str, Path]:
    """The project's own demo APKs (resources/demo/apks), by file name."""
    apks = {p.name: p for p in sorted(DEMO_APKS.glob("*.apk"))}
    assert apks, f"no demo APKs in {DEMO_APKS}"
    return apks


@pytest.fixture(scope="session")
def demo_facts(demo_apks):
    """Parsed facts of every demo APK (parsed once per session, in this process)."""
    from reviewer_app.apk.reader import read_apk

    facts = {name: read_apk(str(path)) for name, path in demo_apks.items()}
    bad = {name: f.error for name, f in facts.items() if not f.ok}
    assert not bad, f"demo APKs do not parse: {bad}"
    return facts


def open_service(settings, password=None):
    from reviewer_app.review import ReviewService

    return ReviewService(settings, password=password)


@pytest.fixture
def service(settings):
    """A ReviewService on a temporary SQLite database, reviewer 'alice'."""
    svc = open_service(settings)
    yield svc
    svc.close()


@pytest.fixture
def service_as(settings):
    """Open more services on the same database as other reviewers: service_as('bob')."""
    opened = []

    def make(reviewer: str):
        svc = open_service(dataclasses.replace(settings, reviewer=reviewer))
        opened.append(svc)
        return svc

    yield make
    for svc in opened:
        svc.close()
