"""A small, strict DER reader: definite-length TLVs and object identifiers.

Distinguished names and the signed attributes of JAR signatures are read with it, byte for byte, where
a general ASN.1 library would normalise what apksigner prints or checks.
"""

from __future__ import annotations


class _DerError(ValueError):
    pass


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag byte, content start, content end) of the TLV at pos."""
    if pos + 2 > end:
        raise _DerError("truncated ASN.1 value")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise _DerError("unsupported ASN.1 tag")
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise _DerError("unsupported ASN.1 length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise _DerError("ASN.1 value runs past its container")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, content start, content end, element start) of each TLV in [start, end)."""
    out = []
    pos = start
    while pos < end:
        tag, cstart, cend = _tlv(data, pos, end)
        out.append((tag, cstart, cend, pos))
        pos = cend
    return out


def _decode_oid(content: bytes) -> str:
    if not content:
        raise _DerError("empty OBJECT IDENTIFIER")
    parts: list[int] = []
    value = 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if content[-1] & 0x80:
        raise _DerError("truncated OBJECT IDENTIFIER")
    first = parts[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(p) for p in head + parts[1:])
