"""Class names of an APK's DEX files, for "what code changed since the last version".

Only the class definitions are read (androguard's DEX parser); nothing is decompiled or run. The archive's
caps (SafeZip) bound what is decompressed, the worker process bounds time and memory.
"""

from __future__ import annotations

import re

from loguru import logger

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip

logger.disable("androguard")

from androguard.core.dex import DEX  # noqa: E402  (after silencing its logger)

# Android loads classes.dex, classes2.dex, classes3.dex ... from the root of the archive, stopping at the
# first number that is missing.
DEX_NAME = re.compile(r"^classes([2-9]|[1-9][0-9]+)?\.dex$")
MAX_DEX_FILES = 200


def dex_files(zf: SafeZip) -> list[str]:
    """The DEX entries Android would load, in its order."""
    present = {name for name in zf.namelist() if DEX_NAME.match(name)}
    found: list[str] = []
    if "classes.dex" not in present:
        return found
    found.append("classes.dex")
    n = 2
    while f"classes{n}.dex" in present:
        if len(found) >= MAX_DEX_FILES:
            raise LimitExceeded(f"more than {MAX_DEX_FILES} DEX files")
        found.append(f"classes{n}.dex")
        n += 1
    return found


def java_name(descriptor: str) -> str:
    """`Lcom/example/Main$1;` -> `com.example.Main$1`."""
    if descriptor.startswith("L") and descriptor.endswith(";"):
        descriptor = descriptor[1:-1]
    return descriptor.replace("/", ".")


def class_names(zf: SafeZip, limits: ParseLimits | None = None) -> list[str]:
    """Sorted Java names of every class defined in the DEX files Android would load.

    Raises ValueError with a one-line reason for a DEX file that cannot be read.
    """
    limits = limits or zf.limits
    names: set[str] = set()
    for entry in dex_files(zf):
        data = zf.read(entry, max_size=limits.max_entry_size)
        if data[:4] != b"dex\n":
            raise ValueError(f"{entry} is not a DEX file")
        try:
            dex = DEX(data)
            found = dex.get_classes_names()
        except (LimitExceeded, MemoryError, RecursionError):
            raise
        except Exception as exc:  # a file crafted against the parser: one reason, not a crash
            raise ValueError(f"{entry} is not a readable DEX file ({type(exc).__name__})") from None
        names.update(java_name(str(descriptor)) for descriptor in found)
    return sorted(names)
