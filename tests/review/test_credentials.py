"""Database passwords: asked once, kept in the system keyring, never in a plain-text config file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reviewer_app import credentials
from reviewer_app.config import ConfigError, load_settings
from tests.conftest import ROOT
from tests.pg_server import PASSWORD_USER


def test_a_password_in_the_config_file_is_refused(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('db = "postgresql+psycopg://alice:hunter2@db.example/review"\n')
    with pytest.raises(ConfigError, match="keyring"):
        load_settings(config_file=config, env={})


def test_keyring_account_names_user_host_port_and_database():
    assert credentials.account("postgresql+psycopg://alice@db.example:6543/review") == "alice@db.example:6543/review"
    assert credentials.account("sqlite:////tmp/x.sqlite3") is None
    assert credentials.without_password("postgresql://a:pw@h/db") == "postgresql://a@h/db"


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "reviewer_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_login_stores_the_password_in_the_keyring_and_later_commands_use_it(pg_server, tmp_path, test_keyring):
    database = pg_server.create_database()
    pg_server.psql(
        f"DROP ROLE IF EXISTS {PASSWORD_USER}; CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD 'correct horse'"
    )
    url = pg_server.url(user=PASSWORD_USER, database=database)
    data = str(tmp_path / "ws")

    without = run_cli("--db", url, "--data-dir", data, "queue", "--json")
    assert without.returncode == 2 and "password" in without.stderr and "Traceback" not in without.stderr

    wrong = run_cli("--db", url, "--data-dir", data, "db", "login", "--password-stdin", stdin="wrong\n")
    assert wrong.returncode == 2 and "password" in wrong.stderr
    assert credentials.load_password(url) is None  # a wrong password is not kept

    good = run_cli("--db", url, "--data-dir", data, "db", "login", "--password-stdin", stdin="correct horse\n")
    assert good.returncode == 0, good.stderr
    assert credentials.load_password(url) == "correct horse"
    assert "correct horse" not in "".join(
        p.read_text()
        for p in (tmp_path / "ws").rglob("*")
        if p.is_file() and p.suffix in (".toml", ".ini", ".json", ".conf")
    )

    queue = run_cli("--db", url, "--data-dir", data, "queue", "--json")
    assert queue.returncode == 0, queue.stderr
