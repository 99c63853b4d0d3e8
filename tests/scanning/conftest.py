"""Real scanners for the engine tests: yara-x, on APKs built here from the project's demo APKs.

Without yara-x the tests that need it are skipped with the reason, and fail under CI=true
(tests/corpus.py's missing_reference). Nothing here runs anything from an APK."""

from __future__ import annotations

import hashlib
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from tests.corpus import missing_reference


def build_apk(source: Path, target: Path, entries: dict[str, bytes], *, stored: bool = False) -> Path:
    """A copy of `source` with `entries` added (deflated, or stored as they are)."""
    shutil.copyfile(source, target)
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "a", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def _uleb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def build_dex(strings: list[str]) -> bytes:
    """A real (minimal) DEX file whose string table holds `strings` (text of the Basic Multilingual Plane):
    header, string ids, string data and map list, with its checksum and SHA-1 signature, as Android's
    dx/d8 lay them out. No classes: what the rules read of a DEX is its strings."""
    texts = sorted(set(strings))  # string ids are sorted by UTF-16 code units (= code points in the BMP)
    header_size, n = 0x70, len(texts)
    ids_off = header_size
    data_off = ids_off + 4 * n
    data = bytearray()
    offsets = []
    for text in texts:
        offsets.append(data_off + len(data))
        data += _uleb128(len(text)) + text.encode("utf-8") + b"\0"  # MUTF-8 = UTF-8 in the BMP without NUL
    data += bytes(-len(data) % 4)
    map_off = data_off + len(data)
    items = [(0x0000, 1, 0)] + ([(0x0001, n, ids_off), (0x2002, n, data_off)] if n else []) + [(0x1000, 1, map_off)]
    map_list = struct.pack("<I", len(items)) + b"".join(struct.pack("<HHII", t, 0, size, off) for t, size, off in items)
    file_size = map_off + len(map_list)
    header = bytearray(header_size)
    header[0:8] = b"dex\n035\0"
    struct.pack_into("<IIIIII", header, 32, file_size, header_size, 0x12345678, 0, 0, map_off)
    struct.pack_into("<II", header, 56, n, ids_off if n else 0)  # string ids; types, protos ... classes: none
    struct.pack_into("<II", header, 104, file_size - data_off, data_off)
    dex = bytearray(header) + b"".join(struct.pack("<I", off) for off in offsets) + data + map_list
    dex[12:32] = hashlib.sha1(bytes(dex[32:])).digest()
    dex[8:12] = struct.pack("<I", zlib.adler32(bytes(dex[12:])))
    return bytes(dex)


def need_yara_x():
    try:
        import yara_x
    except ImportError:
        missing_reference("yara-x is not installed (pip install yara-x)")
    return yara_x
