"""A keyring backend for tests: this machine has no desktop session, hence no Secret Service.

Selected with PYTHON_KEYRING_BACKEND=tests.support.keyring_backend.TestKeyring; keeps its secrets in the
JSON file named by REVIEWER_APP_TEST_KEYRING so that subprocesses see what the test stored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class TestKeyring(KeyringBackend):
    priority = 1

    @property
    def _path(self) -> Path | None:
        name = os.environ.get("REVIEWER_APP_TEST_KEYRING")
        return Path(name) if name else None

    def _load(self) -> dict:
        path = self._path
        return json.loads(path.read_text()) if path is not None and path.exists() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}\0{username}"] = password
        self._path.write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        if data.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path.write_text(json.dumps(data))
