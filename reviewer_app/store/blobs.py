"""Content-addressed blob folder: APKs, icons and screenshots are kept once, under their SHA-256.

Packages under review are private: the folder, its shard folders and its files are readable by their user
only (0700/0600, whatever the umask); folders an earlier version left open are tightened when opened."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from reviewer_app.paths import PRIVATE_FILE, private_dir


class BlobStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        if self.root.is_dir():
            private_dir(self.root)
            for shard in os.scandir(self.root):
                if shard.is_dir(follow_symlinks=False):
                    private_dir(shard.path)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if sha not in self:
            self._write(sha, [data])
        return sha

    def put_file(self, source: str | os.PathLike[str], sha256: str | None = None) -> str:
        """Copy a file in; the hash is checked while copying so a changed file is never filed wrongly."""
        digest = hashlib.sha256()
        with open(source, "rb") as fh:
            chunks = iter(lambda: fh.read(1024 * 1024), b"")
            target_tmp = self._tmp()
            try:
                with os.fdopen(target_tmp[0], "wb") as out:
                    for chunk in chunks:
                        digest.update(chunk)
                        out.write(chunk)
                sha = digest.hexdigest()
                if sha256 is not None and sha != sha256:
                    raise ValueError(f"{source} changed while it was being stored")
                final = self.path(sha)
                if final.is_file():
                    os.unlink(target_tmp[1])
                else:
                    private_dir(final.parent)
                    os.replace(target_tmp[1], final)
                return sha
            except BaseException:
                if os.path.exists(target_tmp[1]):
                    os.unlink(target_tmp[1])
                raise

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def _tmp(self) -> tuple[int, str]:
        private_dir(self.root)
        fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)  # mkstemp's 0600 goes through the umask
        return fd, tmp

    def _write(self, sha: str, chunks: list[bytes]) -> None:
        fd, tmp = self._tmp()
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            final = self.path(sha)
            private_dir(final.parent)
            os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
