"""The byte budgets of what the rules read beyond the manifest and the DEX files (payloads, nested
archives, native code, resource XML, evidence shown per rule), and the reading of caps from engine options.

The APK is hostile: every read past SafeZip's and dexrefs' own caps is bounded by a number here. The
engine's `parse_limits` / `dex_limits` options come as objects or as settings tables (`caps_from_option`).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TypeVar

from reviewer_app.apk.limits import ParseLimits
from reviewer_app.scanning.dexrefs import DexLimits

MiB = 1024 * 1024


# Byte budgets for what is read beyond the manifest and the DEX files.
MAX_PAYLOAD_ENTRIES = 2000  # entries of assets/ and res/raw whose first bytes are looked at
MAX_NESTED_ZIP = 64 * MiB  # an embedded zip read to list its entries
MAX_PAYLOAD_CODE = 64 * MiB  # embedded DEX, JAR and APK files whose code is read, in all
MAX_NATIVE_BYTES = 16 * MiB  # of each ELF file searched for root commands
MAX_NATIVE_TOTAL = 128 * MiB
MAX_RES_XML = 64 * 1024  # a res/*.xml looked at for device-admin policies
MAX_RES_XML_FILES = 5000
MAX_EVIDENCE = 12  # items of evidence shown per rule


L = TypeVar("L", ParseLimits, DexLimits)


def caps_from_option(value: object, kind: type[L]) -> L | None:
    """Caps from an engine option: the object itself, or a table of its fields (unknown names refused)."""
    if value is None or isinstance(value, kind):
        return value
    if isinstance(value, dict):
        known = {f.name for f in fields(kind)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {kind.__name__} fields: {', '.join(unknown)}")
        return kind(**value)
    raise ValueError(f"{kind.__name__} option must be a table, not {type(value).__name__}")
