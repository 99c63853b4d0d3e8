"""Bounded reading of an untrusted ZIP archive, the way Android's libziparchive sees it.

Python's zipfile guesses around damaged archives (it re-bases offsets when data is prepended) and
decompresses without limits. Android trusts the offsets of the end-of-central-directory record, refuses
duplicate and malformed names, and the APK signature schemes are defined over those exact offsets, so the
workstation reads archives the same way and caps every byte it decompresses.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.warnings import ApkWarning

EOCD_SIG = b"PK\x05\x06"
CD_SIG = b"PK\x01\x02"
LFH_SIG = b"PK\x03\x04"
EOCD_SIZE = 22
MAX_COMMENT = 0xFFFF
CHUNK = 64 * 1024


class ZipFormatError(Exception):
    """The archive cannot be read; the message is a one-line reason."""


@dataclass(frozen=True)
class ZipEntryInfo:
    name: str
    method: int
    flags: int
    crc32: int
    compressed_size: int
    uncompressed_size: int
    local_header_offset: int


@dataclass(frozen=True)
class ZipLayout:
    """Offsets that the APK signature schemes are computed over."""

    cd_offset: int
    cd_size: int
    eocd_offset: int
    entry_count: int


class SafeZip:
    """Central directory of an in-memory archive, with capped decompression of its entries."""

    def __init__(self, data: bytes, limits: ParseLimits | None = None) -> None:
        self.data = data
        self.limits = limits or ParseLimits()
        self.warnings: list[str] = []
        self.decompressed_total = 0
        self.layout = self._find_layout()
        self.prepended = 0
        self.entries: dict[str, ZipEntryInfo] = {}
        self.duplicates: list[str] = []
        self._parse_central_directory()

    # -- structure -------------------------------------------------------------------------------

    def _find_layout(self) -> ZipLayout:
        data = self.data
        if len(data) < EOCD_SIZE:
            raise ZipFormatError(ApkWarning("not_zip"))
        start = max(0, len(data) - EOCD_SIZE - MAX_COMMENT)
        pos = data.rfind(EOCD_SIG, start)
        while pos != -1:
            (comment_len,) = struct.unpack_from("<H", data, pos + 20)
            if pos + EOCD_SIZE + comment_len <= len(data):
                break
            pos = data.rfind(EOCD_SIG, start, pos)
        if pos == -1:
            raise ZipFormatError(ApkWarning("not_zip"))
        disk, cd_disk, n_disk, n_total, cd_size, cd_offset = struct.unpack_from("<HHHHII", data, pos + 4)
        if n_total == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
            raise ZipFormatError("ZIP64 archives are not supported")
        if disk != 0 or cd_disk != 0 or n_disk != n_total:
            raise ZipFormatError("multi-disk zip archives are not supported")
        if cd_offset + cd_size > pos:
            raise ZipFormatError("not a zip archive: central directory overlaps its end record")
        if n_total == 0:
            raise ZipFormatError(ApkWarning("empty_zip"))
        return ZipLayout(cd_offset=cd_offset, cd_size=cd_size, eocd_offset=pos, entry_count=n_total)

    def _parse_central_directory(self) -> None:
        data, layout, limits = self.data, self.layout, self.limits
        if layout.entry_count > limits.max_entries:
            raise LimitExceeded(ApkWarning("too_many_entries", count=layout.entry_count, limit=limits.max_entries))
        pos, end = layout.cd_offset, layout.cd_offset + layout.cd_size
        declared_total = 0
        for index in range(layout.entry_count):
            if pos + 46 > end or data[pos : pos + 4] != CD_SIG:
                raise ZipFormatError(f"not a zip archive: central directory entry {index} is damaged")
            (flags, method, _time, _date, crc, csize, usize, nlen, xlen, clen) = struct.unpack_from(
                "<HHHHIIIHHH", data, pos + 8
            )
            (lfh_offset,) = struct.unpack_from("<I", data, pos + 42)
            raw_name = data[pos + 46 : pos + 46 + nlen]
            pos += 46 + nlen + xlen + clen
            if pos > end:
                raise ZipFormatError(f"not a zip archive: central directory entry {index} is truncated")
            name = self._decode_name(raw_name, flags, index)
            if usize > limits.max_entry_size:
                raise LimitExceeded(ApkWarning("decompressed_too_large"))
            declared_total += usize
            if declared_total > limits.max_total_size:
                raise LimitExceeded(ApkWarning("decompressed_too_large"))
            info = ZipEntryInfo(name, method, flags, crc, csize, usize, lfh_offset)
            if name in self.entries:
                self.duplicates.append(name)
                continue  # the first one is what a reader that stops at the first match sees
            self.entries[name] = info
        if self.duplicates:
            shown = ", ".join(sorted(set(self.duplicates))[:5])
            self.warnings.append(ApkWarning("duplicate_entries", names=shown))
        self._check_prepended_data()

    def _decode_name(self, raw: bytes, flags: int, index: int) -> str:
        if not raw:
            raise ZipFormatError(f"invalid zip entry name at entry {index}: empty")
        if b"\x00" in raw:
            raise ZipFormatError(f"invalid zip entry name at entry {index}: contains NUL")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            if flags & 0x800:
                raise ZipFormatError(f"invalid zip entry name at entry {index}: not UTF-8") from None
            return raw.decode("cp437")

    def _check_prepended_data(self) -> None:
        """Spot data placed before the archive (Janus, CVE-2017-13156) and read around it."""
        first = min((e.local_header_offset for e in self.entries.values()), default=0)
        if self.data[first : first + 4] == LFH_SIG:
            if first > 0 and self.data[:4] == b"dex\n":
                self._warn_janus(first)
            return
        shift = self.layout.eocd_offset - self.layout.cd_size - self.layout.cd_offset
        if shift > 0 and self.data[first + shift : first + shift + 4] == LFH_SIG:
            self.prepended = shift
            if self.data[:4] == b"dex\n":
                self._warn_janus(shift)
            else:
                self.warnings.append(ApkWarning("prepended_data", size=shift))

    def _warn_janus(self, size: int) -> None:
        self.warnings.append(ApkWarning("prepended_dex", size=size))

    # -- entries ---------------------------------------------------------------------------------

    def namelist(self) -> list[str]:
        return list(self.entries)

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def data_span(self, name: str) -> tuple[ZipEntryInfo, int]:
        """Entry info and the offset of its (compressed) data."""
        info = self.entries[name]
        off = info.local_header_offset + self.prepended
        data = self.data
        if off + 30 > len(data) or data[off : off + 4] != LFH_SIG:
            raise ZipFormatError(f"zip entry {name}: local header missing")
        nlen, xlen = struct.unpack_from("<HH", data, off + 26)
        if data[off + 30 : off + 30 + nlen] != name.encode("utf-8", "surrogateescape") and nlen:
            self._warn_once(f"zip entry {name}: local header name differs from the central directory")
        start = off + 30 + nlen + xlen
        if start + info.compressed_size > len(data):
            raise ZipFormatError(f"zip entry {name}: data runs past the end of the file")
        return info, start

    def iter_chunks(self, name: str, max_size: int | None = None) -> Iterator[bytes]:
        """Decompressed bytes of an entry, in chunks, counted against the caps."""
        info, start = self.data_span(name)
        cap = min(self.limits.max_entry_size, max_size or self.limits.max_entry_size)
        raw = memoryview(self.data)[start : start + info.compressed_size]
        method = info.method
        if method not in (0, 8):
            self._warn_once(ApkWarning("compression_method", name=name, method=method))
            method = 0 if info.compressed_size == info.uncompressed_size else 8
        produced = 0
        if method == 0:
            for i in range(0, len(raw), CHUNK):
                chunk = bytes(raw[i : i + CHUNK])
                produced += len(chunk)
                self._count(produced, cap, len(chunk))
                yield chunk
            return
        inflater = zlib.decompressobj(-15)
        try:
            for i in range(0, len(raw), CHUNK):
                buf: memoryview | bytes = raw[i : i + CHUNK]
                while buf:
                    out = inflater.decompress(buf, CHUNK)
                    buf = inflater.unconsumed_tail
                    if out:
                        produced += len(out)
                        self._count(produced, cap, len(out))
                        yield out
                    if inflater.eof:
                        return
            out = inflater.flush()
            if out:
                produced += len(out)
                self._count(produced, cap, len(out))
                yield out
        except zlib.error as exc:
            raise ZipFormatError(f"zip entry {name}: corrupt compressed data ({exc})") from None

    def read(self, name: str, max_size: int | None = None) -> bytes:
        return b"".join(self.iter_chunks(name, max_size))

    def _count(self, produced: int, cap: int, added: int) -> None:
        self.decompressed_total += added
        if produced > cap or self.decompressed_total > self.limits.max_total_size:
            raise LimitExceeded(ApkWarning("decompressed_too_large"))

    def _warn_once(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)
