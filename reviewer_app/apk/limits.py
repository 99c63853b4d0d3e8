"""Caps applied to every untrusted APK before and while it is parsed."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    max_file_size: int = 1024 * MiB
    max_entries: int = 65_535
    max_entry_size: int = 256 * MiB
    # Everything decompressed while reading one APK (v1 signature checks read every entry).
    # No cap on the compression ratio: Android installs an APK whatever its entries' ratios (a file of zeros
    # deflates 1000:1), and these two caps already bound what a zip bomb costs.
    max_total_size: int = 2048 * MiB
    max_image_pixels: int = 16_000_000
    timeout_seconds: float = 30.0
    # Address-space cap of the parsing subprocess, on top of what the interpreter needs.
    memory_bytes: int = 2048 * MiB


class LimitExceeded(Exception):
    """A cap of ParseLimits was hit; the message is the one-line reason shown to people."""
