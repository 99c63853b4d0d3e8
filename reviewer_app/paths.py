"""Where the files shipped beside the code live (reviewer_app.resources once installed, resources/ in a checkout),
and how the user's private files are made."""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

import reviewer_app


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    from importlib.util import find_spec

    try:
        spec = find_spec("reviewer_app.resources")  # a folder without __init__.py: a namespace package
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return Path(reviewer_app.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


# -- the user's private files ------------------------------------------------------------------------
# The data directory, the database, the offline journal and the blob folder hold decisions and packages
# under review: readable by their user only, whatever the umask, and tightened when a previous version
# left them open to others.

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def _tighten(path: Path) -> None:
    """Take the group's and others' rights away from a file or folder of this user's (best effort: a folder
    on a read-only disk, or one someone else owns, is left as it is)."""
    if os.name != "posix":
        return
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(st.st_mode) & ~0o077)
    except OSError:
        pass


def private_dir(path: str | os.PathLike[str], *, tighten: bool = True) -> Path:
    """Make `path` a folder readable by this user only: missing folders (parents too, as the XDG base
    directory specification asks) are created 0700; an existing one is tightened unless `tighten` is false
    (a folder the user chose for a file of ours, which may hold other things)."""
    path = Path(path)
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by another process: tightened below like any existing folder
        if os.name == "posix":
            folder.chmod(PRIVATE_DIR)  # mkdir's mode goes through the umask
    if not path.is_dir():
        raise NotADirectoryError(f"not a folder: {path}")
    if tighten and path not in missing:
        _tighten(path)
    return path


def private_file(path: str | os.PathLike[str]) -> Path:
    """Make `path` a file readable by this user only: created empty (0600) when missing, else tightened."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path)
    else:
        try:
            if os.name == "posix":
                os.fchmod(fd, PRIVATE_FILE)  # the mode given to open() goes through the umask
        finally:
            os.close(fd)
    return path


def private_sqlite_file(path: str | os.PathLike[str]) -> Path:
    """A private SQLite database file, made before SQLite opens it: SQLite gives the -wal, -shm and -journal
    files it creates the database file's mode. Leftovers of an earlier version are tightened too."""
    path = private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        _tighten(path.with_name(path.name + suffix))  # nothing to do where there is none
    return path
