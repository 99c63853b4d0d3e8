"""The classes an APK's DEX files define and the methods each declares, read from the DEX tables alone.

For fingerprints of an app's code (similarity/code.py): `string_ids`, `type_ids`, `proto_ids`, `method_ids`,
`class_defs` and each class's `class_data_item` (its method list), as AOSP's "Dalvik Executable format"
describes them. No code item is walked, nothing is decompiled or run. Every offset is checked against the
file, strings are decoded only when a class or method uses them, and the counts read are capped; a DEX file
that is damaged gives the classes read before the damage. The archive is read with `SafeZip`.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass, field

from reviewer_app.apk.dex import dex_files
from reviewer_app.apk.limits import LimitExceeded
from reviewer_app.apk.safezip import SafeZip, ZipFormatError

NO_INDEX = 0xFFFFFFFF


@dataclass(frozen=True)
class SigLimits:
    max_dex_files: int = 64
    max_dex_size: int = 128 * 1024 * 1024
    max_classes: int = 500_000
    max_methods: int = 3_000_000  # declared methods, over all files
    max_seconds: float = 30.0


@dataclass
class ClassSig:
    descriptor: str  # "Lcom/example/Main;"
    superclass: str  # descriptor, "" for none
    methods: list[tuple[str, str]] = field(default_factory=list)  # (name, shorty such as "VL")


@dataclass
class DexSignatures:
    classes: dict[str, ClassSig] = field(default_factory=dict)  # descriptor -> first definition in load order
    notes: list[str] = field(default_factory=list)
    complete: bool = True


class _Reader:
    def __init__(self, data: bytes, name: str) -> None:
        if len(data) < 0x70 or data[:4] != b"dex\n":
            raise ValueError(f"{name} is not a DEX file")
        self.data, self.name = data, name
        (
            self.n_strings,
            self.strings_off,
            self.n_types,
            self.types_off,
            self.n_protos,
            self.protos_off,
            _n_fields,
            _fields_off,
            self.n_methods,
            self.methods_off,
            self.n_classes,
            self.classes_off,
        ) = struct.unpack_from("<12I", data, 0x38)
        for what, off, count, size in (
            ("string_ids", self.strings_off, self.n_strings, 4),
            ("type_ids", self.types_off, self.n_types, 4),
            ("proto_ids", self.protos_off, self.n_protos, 12),
            ("method_ids", self.methods_off, self.n_methods, 8),
            ("class_defs", self.classes_off, self.n_classes, 32),
        ):
            if count and (off < 0x70 or off + count * size > len(data)):
                raise ValueError(f"{name}: {what} table runs past the file")
        self._strings: dict[int, str] = {}

    def string(self, index: int) -> str:
        cached = self._strings.get(index)
        if cached is not None:
            return cached
        if not 0 <= index < self.n_strings:
            raise ValueError(f"{self.name}: string index {index} out of range")
        (off,) = struct.unpack_from("<I", self.data, self.strings_off + 4 * index)
        _, start = _uleb128(self.data, off)
        end = self.data.find(b"\0", start, start + 4096)
        if end < 0:
            raise ValueError(f"{self.name}: string at {off:#x} is unterminated or too long")
        text = self.data[start:end].decode("utf-8", "replace")
        self._strings[index] = text
        return text

    def type_name(self, index: int) -> str:
        if not 0 <= index < self.n_types:
            raise ValueError(f"{self.name}: type index {index} out of range")
        (string_idx,) = struct.unpack_from("<I", self.data, self.types_off + 4 * index)
        return self.string(string_idx)

    def method(self, index: int) -> tuple[str, str]:
        """(name, shorty) of a method_ids entry."""
        if not 0 <= index < self.n_methods:
            raise ValueError(f"{self.name}: method index {index} out of range")
        _cls, proto_idx, name_idx = struct.unpack_from("<HHI", self.data, self.methods_off + 8 * index)
        if proto_idx >= self.n_protos:
            raise ValueError(f"{self.name}: prototype index {proto_idx} out of range")
        (shorty_idx,) = struct.unpack_from("<I", self.data, self.protos_off + 12 * proto_idx)
        return self.string(name_idx), self.string(shorty_idx)

    def method_indices(self, offset: int) -> list[int]:
        data = self.data
        counts = []
        pos = offset
        for _ in range(4):
            value, pos = _uleb128(data, pos)
            counts.append(value)
        static_fields, instance_fields, direct, virtual = counts
        if static_fields + instance_fields + direct + virtual > len(data):
            raise ValueError(f"{self.name}: class data counts more members than the file holds")
        for _ in range(static_fields + instance_fields):
            _, pos = _uleb128(data, pos)
            _, pos = _uleb128(data, pos)
        out: list[int] = []
        for count in (direct, virtual):
            index = 0
            for _ in range(count):
                diff, pos = _uleb128(data, pos)
                _, pos = _uleb128(data, pos)
                _, pos = _uleb128(data, pos)
                index += diff
                out.append(index)
        return out


def _uleb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    for _ in range(5):
        if pos >= len(data):
            raise ValueError("uleb128 value runs past the file")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise ValueError("malformed uleb128 value")


def read_signatures(zf: SafeZip, limits: SigLimits | None = None) -> DexSignatures:
    """The classes (and their declared methods) of the DEX files Android would load from this archive.
    Damage and caps are notes; the archive's own caps (LimitExceeded) propagate."""
    limits = limits or SigLimits()
    out = DexSignatures()
    started = time.perf_counter()
    methods = 0
    try:
        names = dex_files(zf)
    except LimitExceeded as exc:
        out.notes.append(str(exc))
        out.complete = False
        names = ["classes.dex"] + [f"classes{n}.dex" for n in range(2, limits.max_dex_files + 1)]
    for entry in names[: limits.max_dex_files]:
        try:
            data = zf.read(entry, max_size=limits.max_dex_size)
        except (LimitExceeded, ZipFormatError) as exc:
            out.notes.append(f"{entry}: not read ({exc})")
            out.complete = False
            continue
        try:
            reader = _Reader(data, entry)
            for n in range(reader.n_classes):
                if len(out.classes) >= limits.max_classes or methods >= limits.max_methods:
                    out.notes.append(f"{entry}: classes past the caps not read")
                    out.complete = False
                    return out
                if time.perf_counter() - started > limits.max_seconds:
                    out.notes.append(f"{entry}: stopped after {limits.max_seconds:g} s (cap)")
                    out.complete = False
                    return out
                class_idx, _flags, super_idx, _i, _s, _a, data_off, _v = struct.unpack_from(
                    "<8I", data, reader.classes_off + 32 * n
                )
                descriptor = reader.type_name(class_idx)
                if descriptor in out.classes:
                    continue  # Android uses the first definition in load order
                superclass = reader.type_name(super_idx) if super_idx != NO_INDEX else ""
                sig = ClassSig(descriptor, superclass)
                if data_off:
                    sig.methods = [reader.method(i) for i in reader.method_indices(data_off)]
                    methods += len(sig.methods)
                out.classes[descriptor] = sig
        except (ValueError, struct.error, IndexError) as exc:
            out.notes.append(f"{entry}: damaged ({exc})")
            out.complete = False
    return out
