"""The files an APK carries beyond its manifest and classes*.dex: what each file of assets/ and res/raw is
by its first bytes (a DEX, JAR or APK payload, an encrypted file named as code, an ELF program), root
commands in native code, and the app's device-admin policies.

Every read here is bounded by a byte budget (limits.py); a damaged entry costs that entry only, with a note.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterator

from reviewer_app.apk import axml
from reviewer_app.apk.dex import DEX_NAME
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.scanning.android_rules.facts import AppFacts, Payload
from reviewer_app.scanning.android_rules.limits import (
    MAX_NATIVE_BYTES,
    MAX_NATIVE_TOTAL,
    MAX_NESTED_ZIP,
    MAX_PAYLOAD_ENTRIES,
    MAX_RES_XML,
    MAX_RES_XML_FILES,
)
from reviewer_app.scanning.android_rules.tables import CODE_SUFFIXES, ENCRYPTED_ENTROPY, SU_BYTES, SYSTEM_WRITE_BYTES


def _first_bytes(zf: SafeZip, name: str, size: int = 64 * 1024) -> bytes:
    return b"".join(_capped(zf.iter_chunks(name), size))


def _entropy(data: bytes) -> float:
    if not data:
        return 0.0
    counts = [0] * 256
    for byte in data:
        counts[byte] += 1
    total = len(data)
    return -sum(c / total * math.log2(c / total) for c in counts if c)


def _code_zip(zf: SafeZip, name: str) -> tuple[str, bytes] | None:
    """("apk" or "jar", its bytes) when an embedded zip holds DEX code (classes.dex); ("too large", b"") when it
    is past the byte budget; else None."""
    if zf.entries[name].uncompressed_size > MAX_NESTED_ZIP:
        return ("too large", b"")
    try:
        data = zf.read(name, max_size=MAX_NESTED_ZIP)
        names = SafeZip(data, ParseLimits(max_total_size=MAX_NESTED_ZIP)).namelist()
    except LimitExceeded:
        return ("too large", b"")
    except (ZipFormatError, ValueError, struct.error):
        return None
    if not any(DEX_NAME.match(n) for n in names):
        return None
    return ("apk" if "AndroidManifest.xml" in names else "jar"), data


def read_files(zf: SafeZip, app: AppFacts) -> None:
    """Payloads, executables outside lib/, and root commands in native code."""
    candidates = [
        n
        for n in zf.namelist()
        if not n.endswith("/")
        and (n.startswith(("assets/", "res/raw")) or ("/" not in n and not DEX_NAME.match(n)))
        and n not in ("AndroidManifest.xml", "resources.arsc")
    ]
    if len(candidates) > MAX_PAYLOAD_ENTRIES:
        app.notes.append(f"only the first {MAX_PAYLOAD_ENTRIES} of {len(candidates)} asset files were looked at")
        candidates = candidates[:MAX_PAYLOAD_ENTRIES]
    elf: list[str] = [n for n in zf.namelist() if n.startswith("lib/") and n.endswith(".so")]
    for name in candidates:
        try:
            _look_at(zf, name, app, elf)
        except ZipFormatError as exc:  # a damaged entry costs that entry only
            app.notes.append(f"{name}: not read ({exc})")
        except LimitExceeded as exc:
            app.notes.append(f"{name} and later files: not read ({exc})")
            break
    budget = MAX_NATIVE_TOTAL
    for name in elf:
        if budget <= 0:
            app.notes.append("native code past the byte budget was not searched")
            break
        try:
            data = b"".join(_capped(zf.iter_chunks(name), min(MAX_NATIVE_BYTES, budget)))
        except (ZipFormatError, LimitExceeded) as exc:
            app.notes.append(f"{name}: not read ({exc})")
            continue
        budget -= len(data)
        writes = sorted({m.group().decode("latin-1") for m in SYSTEM_WRITE_BYTES.finditer(data)})
        if writes:
            su = sorted({m.group().decode("latin-1") for m in SU_BYTES.finditer(data)})
            app.native_root[name] = (writes[:5], su[:5])


def _look_at(zf: SafeZip, name: str, app: AppFacts, elf: list[str]) -> None:
    """What one file of assets/ or res/raw is, by its first bytes: a payload, a program, or neither."""
    head = _first_bytes(zf, name)
    named_as_code = name.lower().removesuffix(".gz").endswith(CODE_SUFFIXES)
    gzipped = head[:2] == b"\x1f\x8b"
    if gzipped:  # a gzip-compressed file: what is inside (the first bytes only)
        try:
            head = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            head = b""
    if head[:4] == b"dex\n":
        payload = Payload(name, "dex", not named_as_code, gzipped)
        if not gzipped and zf.entries[name].uncompressed_size <= MAX_NESTED_ZIP:
            payload.data = zf.read(name, max_size=MAX_NESTED_ZIP)
        app.payloads.append(payload)
    elif head[:4] == b"PK\x03\x04" and gzipped:  # a gzipped zip is not opened
        if named_as_code:
            app.payloads.append(Payload(name, "apk", False, gzipped))
    elif head[:4] == b"PK\x03\x04":
        found = _code_zip(zf, name)
        if found and found[0] == "too large":
            if named_as_code:
                app.payloads.append(Payload(name, "jar", False))
                app.notes.append(f"{name}: too large to look into (more than {MAX_NESTED_ZIP} bytes)")
        elif found:
            app.payloads.append(Payload(name, found[0], not named_as_code, data=found[1]))
    elif head[:4] == b"\x7fELF":
        app.executables.append(name + (" (gzip-compressed)" if gzipped else ""))
        if not gzipped:
            elf.append(name)
    elif not gzipped and named_as_code and len(head) >= 1024 and _entropy(head) > ENCRYPTED_ENTROPY:
        app.payloads.append(Payload(name, "encrypted", False))


def _capped(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    read = 0
    try:
        for chunk in chunks:
            yield chunk[: limit - read]
            read += len(chunk)
            if read >= limit:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def admin_policies(zf: SafeZip) -> list[str]:
    """The policies of the app's device-admin XML (res/*: the file a device_admin meta-data names)."""
    marker_utf16, marker_utf8 = "device-admin".encode("utf-16-le"), b"device-admin"
    checked = 0
    for name in zf.namelist():
        if not (name.startswith("res/") and name.endswith(".xml")):
            continue
        if zf.entries[name].uncompressed_size > MAX_RES_XML or checked >= MAX_RES_XML_FILES:
            continue
        checked += 1
        try:
            raw = zf.read(name, max_size=MAX_RES_XML)
            if marker_utf16 not in raw and marker_utf8 not in raw:
                continue
            document = axml.parse(raw)
        except (ZipFormatError, LimitExceeded):
            continue
        except Exception:  # a file crafted against androguard's XML parser: that file only
            continue
        if document.root is None or document.root.tag != "device-admin":
            continue
        policies = document.root.find("uses-policies")
        return sorted({child.tag for child in policies}) if policies is not None else []
    return []
