"""A device run as read from a results folder or captured from adb, before the store keeps it: the per-device
results with their screenshots' hashes and flags, and the files to put in the blob store.

The store takes an `ImportedRun` whole, in one transaction (nothing half-imported); the review layer adds
what needs the database (the comparison with the last approved version's screenshots) before filing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reviewer_app.domain import DeviceResult

# The JSON manifest for clouds other than Test Lab, and what an adb capture writes (devices/folder.py reads it):
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "reviewer-app-device-results/1"


@dataclass(frozen=True)
class ImportedRun:
    source: str  # domain.DEVICE_SOURCES
    label: str  # the folder's name, or what was captured
    results: tuple[DeviceResult, ...]
    # Screenshot sha256 -> the bytes to keep, or the checked file holding exactly them.
    files: dict[str, bytes | Path] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # files left out, one line each ("walleye-28-en-portrait/artifacts/a.png: ...")
    package: str | None = None  # the package the results say they are for, when they say
