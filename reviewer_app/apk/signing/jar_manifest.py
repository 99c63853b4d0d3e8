"""JAR manifests (META-INF/MANIFEST.MF and the .SF files), and which of their digests Android checks.

A port of apksig's ManifestParser: the raw offsets of each section are kept, since a .SF file signs the
manifest's sections byte for byte.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from reviewer_app.apk.signing.sdk import INT_MAX, SDK_GINGERBREAD, SDK_JELLY_BEAN_MR2

MANIFEST_NAME = "META-INF/MANIFEST.MF"


@dataclass
class _Section:
    start: int
    size: int
    attrs: list[tuple[str, str]]

    def get(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.attrs:
            if key.lower() == lowered:
                return value
        return None

    @property
    def name(self) -> str | None:
        return self.get("Name")


_NEWLINE = re.compile(rb"\r\n|\r|\n")


class _ManifestParser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        # Line boundaries: (line start, line end without terminator, offset after terminator)
        lines: list[tuple[int, int, int]] = []
        pos = 0
        end = len(data)
        for match in _NEWLINE.finditer(data):
            lines.append((pos, match.start(), match.end()))
            pos = match.end()
        if pos < end:
            lines.append((pos, end, end))
        self.lines = lines
        self.line_index = 0
        self.offset = 0
        self.buffered: bytes | None = None

    def _read_line(self) -> bytes | None:
        if self.line_index >= len(self.lines):
            return None
        start, stop, after = self.lines[self.line_index]
        self.line_index += 1
        self.offset = after
        return self.data[start:stop]

    def _read_attribute_bytes(self) -> bytes | None:
        if self.buffered is not None and len(self.buffered) == 0:
            self.buffered = None
            return b""
        line = self._read_line()
        if line is None:
            if self.buffered is not None:
                result, self.buffered = self.buffered, None
                return result
            return None
        if not line:
            if self.buffered is not None:
                result, self.buffered = self.buffered, b""
                return result
            return b""
        if self.buffered is None:
            attr = line
        else:
            if line[:1] != b" ":
                result, self.buffered = self.buffered, line
                return result
            attr = self.buffered + line[1:]
            self.buffered = None
        while True:
            line = self._read_line()
            if line is None:
                return attr
            if not line:
                self.buffered = b""
                return attr
            if line[:1] == b" ":
                attr += line[1:]
            else:
                self.buffered = line
                return attr

    def read_section(self) -> _Section | None:
        while True:
            start = self.offset
            attr = self._read_attribute_bytes()
            if attr is None:
                return None
            if attr:
                break
        attrs = [_parse_attr(attr)]
        while True:
            attr = self._read_attribute_bytes()
            if not attr:
                break
            attrs.append(_parse_attr(attr))
        return _Section(start, self.offset - start, attrs)

    def read_all(self) -> list[_Section]:
        sections: list[_Section] = []
        while True:
            section = self.read_section()
            if section is None:
                return sections
            sections.append(section)


def _parse_attr(raw: bytes) -> tuple[str, str]:
    text = raw.decode("utf-8", "replace")
    index = text.find(": ")
    if index == -1:
        return text, ""
    return text[:index], text[index + 2 :]


_CANONICAL_MANIFEST_DIGEST = {
    "MD5": "MD5",
    "SHA": "SHA-1",
    "SHA1": "SHA-1",
    "SHA-1": "SHA-1",
    "SHA-256": "SHA-256",
    "SHA-384": "SHA-384",
    "SHA-512": "SHA-512",
}
_MANIFEST_DIGEST_MIN_SDK = {"MD5": 0, "SHA-1": 0, "SHA-256": 0, "SHA-384": SDK_GINGERBREAD, "SHA-512": SDK_GINGERBREAD}
_JB_MR2_DIGESTS = ("SHA-512", "SHA-384", "SHA-256", "SHA-1")


def _b64(text: str) -> bytes | None:
    text = text.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _digests_to_verify(section: _Section, suffix: str, min_sdk: int, max_sdk: int) -> list[tuple[str, bytes | None]]:
    """apksig's getDigestsToVerify: the digest attributes Android checks on these platform versions."""
    result: list[tuple[str, bytes | None]] = []
    if min_sdk < SDK_JELLY_BEAN_MR2:
        algs = section.get("Digest-Algorithms")
        if algs is None:
            algs = "SHA SHA1"
        for alg in algs.split():
            value = section.get(alg + suffix)
            if value is None:
                continue
            canonical = _CANONICAL_MANIFEST_DIGEST.get(alg.upper())
            if canonical is None or _MANIFEST_DIGEST_MIN_SDK.get(canonical, INT_MAX) > min_sdk:
                continue
            result.append((canonical, _b64(value)))
            break
        if not result:
            return result
    if max_sdk >= SDK_JELLY_BEAN_MR2:
        for alg in _JB_MR2_DIGESTS:
            name = ("SHA1" if alg == "SHA-1" else alg) + suffix
            value = section.get(name)
            if value is None:
                continue
            digest = _b64(value)
            existing = next((d for a, d in result if a == alg), None)
            if existing is None or existing != digest:
                result.append((alg, digest))
            break
    return result
