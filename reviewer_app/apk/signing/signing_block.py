"""The APK Signing Block: where it is, its id-value pairs, and the digests of the contents around it.

The block sits right before the central directory; apksig's rules for locating it decide whether Android
sees a v2/v3 signature at all, so a block that Android cannot use is reported with the reason rather than
read anyway. Content digests cover the APK with the block left out, as signed.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from reviewer_app.apk.safezip import SafeZip
from reviewer_app.apk.signing.sdk import INT_MAX

V2_BLOCK_ID = 0x7109871A
V3_BLOCK_ID = 0xF05368C0
V31_BLOCK_ID = 0x1B93AD61

APK_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
APK_SIG_BLOCK_MIN_SIZE = 32
CHUNK_SIZE = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Length-prefixed structures of the APK Signing Block
# ---------------------------------------------------------------------------------------------


class _Malformed(Exception):
    pass


class _Reader:
    __slots__ = ("end", "mv", "pos")

    def __init__(self, mv: memoryview) -> None:
        self.mv = mv
        self.pos = 0
        self.end = len(mv)

    def remaining(self) -> int:
        return self.end - self.pos

    def u32(self) -> int:
        if self.pos + 4 > self.end:
            raise _Malformed("truncated")
        (value,) = struct.unpack_from("<I", self.mv, self.pos)
        self.pos += 4
        return value

    def i32(self) -> int:
        if self.pos + 4 > self.end:
            raise _Malformed("truncated")
        (value,) = struct.unpack_from("<i", self.mv, self.pos)
        self.pos += 4
        return value

    def prefixed(self) -> memoryview:
        """A uint32-length-prefixed slice (apksig's getLengthPrefixedSlice)."""
        if self.remaining() < 4:
            raise _Malformed("remaining buffer too short to contain length of length-prefixed field")
        length = self.u32()
        if length > self.remaining():
            raise _Malformed("length-prefixed field longer than remaining buffer")
        value = self.mv[self.pos : self.pos + length]
        self.pos += length
        return value

    def rest(self) -> memoryview:
        value = self.mv[self.pos : self.end]
        self.pos = self.end
        return value


@dataclass
class _SigningBlock:
    offset: int  # start of the APK Signing Block in the file
    pairs: memoryview  # the id-value pairs section


def _find_signing_block(zf: SafeZip) -> tuple[_SigningBlock | None, str | None]:
    """The APK Signing Block right before the central directory, as apksig finds it.

    Returns (block, None), (None, None) when there is none, or (None, reason) when a block is there but
    Android cannot use it.
    """
    data = zf.data
    layout = zf.layout
    cd_offset = layout.cd_offset
    if cd_offset + layout.cd_size != layout.eocd_offset:
        if cd_offset >= 24 and data[cd_offset - 16 : cd_offset] == APK_SIG_BLOCK_MAGIC:
            return None, "central directory is not immediately followed by its end record"
        return None, None
    if cd_offset < APK_SIG_BLOCK_MIN_SIZE:
        return None, None
    if data[cd_offset - 16 : cd_offset] != APK_SIG_BLOCK_MAGIC:
        return None, None
    (size_footer,) = struct.unpack_from("<Q", data, cd_offset - 24)
    if size_footer < 24 or size_footer > INT_MAX - 8:
        return None, f"APK Signing Block size out of range: {size_footer}"
    block_offset = cd_offset - (size_footer + 8)
    if block_offset < 0:
        return None, f"APK Signing Block offset out of range: {block_offset}"
    (size_header,) = struct.unpack_from("<Q", data, block_offset)
    if size_header != size_footer:
        return None, "APK Signing Block sizes in header and footer do not match"
    mv = memoryview(data)
    return _SigningBlock(block_offset, mv[block_offset + 8 : cd_offset - 24]), None


def _find_scheme_block(block: _SigningBlock, block_id: int) -> tuple[memoryview | None, str | None]:
    """The value of the first pair with this id, the way apksig walks the pairs."""
    pairs = block.pairs
    pos, end, count = 0, len(pairs), 0
    while pos < end:
        count += 1
        if end - pos < 8:
            return None, f"APK Signing Block entry #{count}: insufficient data to read its size"
        (length,) = struct.unpack_from("<Q", pairs, pos)
        pos += 8
        if length < 4 or length > INT_MAX or length > end - pos:
            return None, f"APK Signing Block entry #{count} size out of range: {length}"
        (pair_id,) = struct.unpack_from("<I", pairs, pos)
        if pair_id == block_id:
            return pairs[pos + 4 : pos + length], None
        pos += length
    return None, None


def _block_ids(block: _SigningBlock) -> list[int]:
    pairs = block.pairs
    pos, end, ids = 0, len(pairs), []
    while end - pos >= 12:
        (length,) = struct.unpack_from("<Q", pairs, pos)
        if length < 4 or length > end - pos - 8:
            break
        ids.append(struct.unpack_from("<I", pairs, pos + 8)[0])
        pos += 8 + length
    return ids


# ---------------------------------------------------------------------------------------------
# Content digests (computed once per algorithm per APK)
# ---------------------------------------------------------------------------------------------


class _ContentDigests:
    def __init__(self, zf: SafeZip, block_offset: int) -> None:
        data = zf.data
        layout = zf.layout
        mv = memoryview(data)
        eocd = bytearray(mv[layout.eocd_offset :])
        struct.pack_into("<I", eocd, 16, block_offset & 0xFFFFFFFF)
        self.sections = (mv[:block_offset], mv[layout.cd_offset : layout.eocd_offset], memoryview(bytes(eocd)))
        self._cache: dict[str, bytes] = {}

    def get(self, algorithm: str) -> bytes | None:
        if algorithm not in self._cache:
            if algorithm == "CHUNKED_SHA256":
                self._cache[algorithm] = self._chunked(hashlib.sha256)
            elif algorithm == "CHUNKED_SHA512":
                self._cache[algorithm] = self._chunked(hashlib.sha512)
            else:
                return None
        return self._cache[algorithm]

    def _chunked(self, new) -> bytes:
        digests = []
        for section in self.sections:
            size = len(section)
            for start in range(0, size, CHUNK_SIZE):
                chunk = section[start : start + CHUNK_SIZE]
                h = new(b"\xa5" + struct.pack("<I", len(chunk)))
                h.update(chunk)
                digests.append(h.digest())
        top = new(b"\x5a" + struct.pack("<I", len(digests)))
        top.update(b"".join(digests))
        return top.digest()
