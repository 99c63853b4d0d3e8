"""What the code of an APK refers to: methods, string constants, and which class calls what.

Read straight from the tables of each DEX file in Android's load order (classes.dex, classes2.dex, ...),
as AOSP's "Dalvik Executable format" describes them: `string_ids`, `type_ids`, `proto_ids`, `field_ids`,
`method_ids` and `class_defs`, and, for each class, the static values and the code items of its methods,
walked instruction by instruction to find the `invoke-*`, `const-string`, `const-class` and integer `const`
instructions. Nothing is decompiled, analysed across methods or run; androguard's full analysis (minutes and
gigabytes on a large app) is not used. What this gives agrees with AOSP's `dexdump -d` (tests/scanning/
test_dexrefs.py compares them).

The DEX files are untrusted: every offset is checked before it is read, every table and the work done
over all files are capped (`DexLimits`), and a file that is damaged or runs past a cap gives what could be
read plus a note saying so, never an exception. The archive is read with `SafeZip` within `ParseLimits`.
"""

from __future__ import annotations

import os
import struct
import sys
import time
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from reviewer_app.apk.dex import DEX_NAME, dex_files, java_name
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip, ZipFormatError

MiB = 1024 * 1024
NO_INDEX = 0xFFFFFFFF


@dataclass(frozen=True)
class DexLimits:
    """Caps on what one APK's code may cost to read. Real apps stay far below them (a DEX file holds at
    most 65,536 method references; the largest apps have a few dozen DEX files)."""

    max_dex_files: int = 64
    max_dex_size: int = 128 * MiB  # one DEX file, decompressed
    max_total_dex_size: int = 512 * MiB
    max_strings: int = 2_000_000  # string_ids entries kept, over all files
    max_string_chars: int = 4096  # a longer string is kept cut to this length
    max_string_bytes: int = 128 * MiB  # string data decoded, over all files
    max_methods: int = 2_000_000  # method_ids entries kept, over all files
    max_classes: int = 500_000  # class definitions whose code is read, over all files
    max_code_units: int = 200_000_000  # 16-bit code units walked, over all files
    max_seconds: float = 60.0  # time spent on the code walk; what is read by then is kept


@dataclass(frozen=True, order=True)
class MethodRef:
    """A method as a `method_ids` entry names it: the class that declares it, its name, its descriptor."""

    class_name: str  # Java name: "android.telephony.SmsManager"
    name: str  # "sendTextMessage"
    descriptor: str  # "(Ljava/lang/String;Ljava/lang/String;...)V"

    def __str__(self) -> str:
        return f"{self.class_name}.{self.name}{self.descriptor}"


@dataclass(frozen=True, order=True)
class FieldRef:
    """A field as a `field_ids` entry names it."""

    class_name: str  # Java name: "android.provider.Telephony$Sms"
    name: str  # "CONTENT_URI"
    type: str  # descriptor: "Landroid/net/Uri;"

    def __str__(self) -> str:
        return f"{self.class_name}.{self.name}:{self.type}"


@dataclass
class DexRefs:
    """Everything read from an APK's DEX files (see the module docstring)."""

    files: list[str] = field(default_factory=list)  # DEX entries read, in load order
    classes: set[str] = field(default_factory=set)  # classes defined (Java names)
    superclasses: dict[str, str] = field(default_factory=dict)  # class -> the class it extends
    methods: set[MethodRef] = field(default_factory=set)  # every method_ids entry
    strings: set[str] = field(default_factory=set)  # every string_ids entry (cut at max_string_chars)
    # class -> the methods its code invokes, and the strings it loads as constants (const-string and the
    # initial values of its static fields)
    calls: dict[str, set[MethodRef]] = field(default_factory=dict)
    constants: dict[str, set[str]] = field(default_factory=dict)
    # class -> the classes its code names with const-class (`Foo.class`), and the 16/32-bit integer literals
    # it loads (const/16, const): flags and constants such as a window type are compiled into the code
    class_refs: dict[str, set[str]] = field(default_factory=dict)
    literals: dict[str, set[int]] = field(default_factory=dict)
    fields: set[FieldRef] = field(default_factory=set)  # every field_ids entry
    notes: list[str] = field(default_factory=list)  # damage and caps: what could not be read, and why
    code_read: bool = True  # False when some code was not walked (damage, a cap): `calls` may miss some
    seconds: float = 0.0

    def callers(self, class_name: str, name: str | None = None, limit: int = 64) -> list[str]:
        """Classes whose code invokes `class_name.name` (any method of the class when name is None)."""
        found: list[str] = []
        for caller, methods in self.calls.items():
            if any(m.class_name == class_name and (name is None or m.name == name) for m in methods):
                found.append(caller)
        return sorted(found)[:limit]

    def references(self, class_name: str, name: str | None = None) -> list[MethodRef]:
        """The method_ids entries of `class_name` (named `name`): what the code refers to at all."""
        return sorted(m for m in self.methods if m.class_name == class_name and (name is None or m.name == name))

    def users(self, string: str, limit: int = 64) -> list[str]:
        """Classes that load `string` as a constant."""
        return sorted(cls for cls, values in self.constants.items() if string in values)[:limit]

    def merge(self, other: DexRefs, prefix: str = "") -> None:
        """Add the code of another DEX file or archive (an embedded payload loaded into the same process);
        classes already defined here win, as in a class loader that asks its parent first. `prefix` names
        where the other's files came from in `files` and `notes`."""
        self.files += [f"{prefix}{name}" for name in other.files]
        new = other.classes - self.classes
        self.classes |= new
        self.methods |= other.methods
        self.strings |= other.strings
        self.fields |= other.fields
        self.superclasses.update({c: v for c, v in other.superclasses.items() if c in new})
        self.calls.update({c: v for c, v in other.calls.items() if c in new})
        self.constants.update({c: v for c, v in other.constants.items() if c in new})
        self.class_refs.update({c: v for c, v in other.class_refs.items() if c in new})
        self.literals.update({c: v for c, v in other.literals.items() if c in new})
        self.notes += [f"{prefix}{note}" for note in other.notes]
        self.code_read = self.code_read and other.code_read

    @property
    def constant_strings(self) -> set[str]:
        out: set[str] = set()
        for values in self.constants.values():
            out |= values
        return out


class DexFormatError(Exception):
    """A table of a DEX file runs past its end or is inconsistent; the message is one line."""


# --------------------------------------------------------------------------------------------- bytecode

# Length in 16-bit code units of each opcode's instruction (the formats of the Dalvik bytecode table);
# the unused opcodes are one unit, as `dexdump` reads them.
_LENGTHS = bytearray([1] * 256)
for _ops, _n in (
    ([0x02, 0x05, 0x08], 2),  # 22x move/from16
    ([0x03, 0x06, 0x09], 3),  # 32x move/16
    ([0x13, 0x15, 0x16, 0x19], 2),  # 21s/21h const/16, const/high16, const-wide/16, const-wide/high16
    ([0x14, 0x17], 3),  # 31i const, const-wide/32
    ([0x18], 5),  # 51l const-wide
    ([0x1A, 0x1C, 0x1F, 0x20, 0x22, 0x23], 2),  # 21c/22c const-string, const-class, check-cast...
    ([0x1B], 3),  # 31c const-string/jumbo
    ([0x24, 0x25, 0x26], 3),  # filled-new-array(/range), fill-array-data
    ([0x29], 2),  # goto/16
    ([0x2A, 0x2B, 0x2C], 3),  # goto/32, packed-switch, sparse-switch
    (range(0x2D, 0x3E), 2),  # cmp*, if-test, if-testz
    (range(0x44, 0x6E), 2),  # aget/aput, iget/iput, sget/sput
    (range(0x6E, 0x73), 3),  # invoke-kind
    (range(0x74, 0x79), 3),  # invoke-kind/range
    (range(0x90, 0xB0), 2),  # binop
    (range(0xD0, 0xE3), 2),  # binop/lit16, binop/lit8
    ([0xFA, 0xFB], 4),  # invoke-polymorphic(/range)
    ([0xFC, 0xFD], 3),  # invoke-custom(/range)
    ([0xFE, 0xFF], 2),  # const-method-handle, const-method-type
):
    for _op in _ops:
        _LENGTHS[_op] = _n

# What the walk looks at: 1 an invoke with a method index in its second unit, 2 const-string, 3
# const-string/jumbo, 4 nop (which may start a payload: a switch table or array data), 5 const-class,
# 6 const/16 and 7 const (integer literals).
_KIND = bytearray(256)
for _op in [*range(0x6E, 0x73), *range(0x74, 0x79), 0xFA, 0xFB]:
    _KIND[_op] = 1
_KIND[0x1A] = 2
_KIND[0x1B] = 3
_KIND[0x00] = 4
_KIND[0x1C] = 5  # const-class
_KIND[0x13] = 6  # const/16
_KIND[0x14] = 7  # const


def _uleb128(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    for _ in range(5):
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
    raise DexFormatError("malformed uleb128 value")


def decode_mutf8(raw: bytes) -> str:
    """Modified UTF-8 (NUL as C0 80, characters outside the BMP as two encoded surrogates) as Python text;
    invalid bytes become U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raw = raw.replace(b"\xc0\x80", b"\x00")
    try:
        text = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class _DexReader:
    """One DEX file's tables, each entry checked against the file's size."""

    def __init__(self, data: bytes, name: str, limits: DexLimits, budget: _Budget) -> None:
        self.data = data
        self.name = name
        self.limits = limits
        self.budget = budget
        if len(data) < 0x70 or data[:4] != b"dex\n":
            raise DexFormatError(f"{name} is not a DEX file")
        (endian,) = struct.unpack_from("<I", data, 0x28)
        if endian != 0x12345678:
            raise DexFormatError(f"{name}: byte order {endian:#x} is not the little-endian one Android reads")
        (checksum, file_size) = struct.unpack_from("<I20xI", data, 0x08)
        if file_size != len(data):
            budget.damage(f"{name}: the header says {file_size} bytes, the file has {len(data)}")
        elif zlib.adler32(memoryview(data)[12:]) != checksum:
            budget.damage(f"{name}: the header's checksum does not match the file's content")
        (
            self.string_ids_size,
            self.string_ids_off,
            self.type_ids_size,
            self.type_ids_off,
            self.proto_ids_size,
            self.proto_ids_off,
            self.field_ids_size,
            self.field_ids_off,
            self.method_ids_size,
            self.method_ids_off,
            self.class_defs_size,
            self.class_defs_off,
        ) = struct.unpack_from("<12I", data, 0x38)
        self._check_table("string_ids", self.string_ids_off, self.string_ids_size, 4)
        self._check_table("type_ids", self.type_ids_off, self.type_ids_size, 4)
        self._check_table("proto_ids", self.proto_ids_off, self.proto_ids_size, 12)
        self._check_table("field_ids", self.field_ids_off, self.field_ids_size, 8)
        self._check_table("method_ids", self.method_ids_off, self.method_ids_size, 8)
        self._check_table("class_defs", self.class_defs_off, self.class_defs_size, 32)
        self.strings: list[str | None] = []
        self.types: list[str] = []
        self.methods: list[MethodRef | None] = []

    def _check_table(self, what: str, offset: int, count: int, item: int) -> None:
        if count and (offset + count * item > len(self.data) or offset < 0x70):
            raise DexFormatError(f"{self.name}: {what} table ({count} entries at {offset:#x}) runs past the file")

    # -- tables

    def read_strings(self) -> None:
        data, limits, budget = self.data, self.limits, self.budget
        count = min(self.string_ids_size, max(0, limits.max_strings - budget.strings))
        if count < self.string_ids_size:
            budget.note(f"{self.name}: only {count} of {self.string_ids_size} strings read (cap)")
        offsets = struct.unpack_from(f"<{count}I", data, self.string_ids_off)
        cap = limits.max_string_chars
        out: list[str | None] = []
        for off in offsets:
            if budget.string_bytes > limits.max_string_bytes:
                budget.note(f"{self.name}: string data past {limits.max_string_bytes} bytes not read (cap)")
                break
            try:
                size, start = _uleb128(data, off)
            except (IndexError, DexFormatError):
                out.append(None)
                budget.damage(f"{self.name}: a string_ids entry points outside the file")
                continue
            end = data.find(b"\0", start, start + 3 * min(size, cap) + 1)
            if end < 0:
                end = min(len(data), start + 3 * min(size, cap))
                if size <= cap:  # a string as long as it says must end in a NUL within that many bytes
                    budget.damage(f"{self.name}: a string has no terminating NUL")
            raw = data[start:end]
            budget.string_bytes += len(raw)
            text = decode_mutf8(raw)
            out.append(text[:cap])
        budget.strings += len(out)
        self.strings = out

    def string(self, index: int) -> str | None:
        return self.strings[index] if 0 <= index < len(self.strings) else None

    def read_types(self) -> None:
        count = self.type_ids_size
        indices = struct.unpack_from(f"<{count}I", self.data, self.type_ids_off)
        self.types = [self.string(i) or "" for i in indices]

    def type_name(self, index: int) -> str:
        return self.types[index] if 0 <= index < len(self.types) else ""

    def _type_list(self, offset: int) -> list[str]:
        if not offset:
            return []
        if offset + 4 > len(self.data):
            raise DexFormatError(f"{self.name}: a parameter list points outside the file")
        (size,) = struct.unpack_from("<I", self.data, offset)
        if offset + 4 + 2 * size > len(self.data):
            raise DexFormatError(f"{self.name}: a parameter list runs past the file")
        return [self.type_name(i) for i in struct.unpack_from(f"<{size}H", self.data, offset + 4)]

    def read_methods(self) -> None:
        data, budget = self.data, self.budget
        protos: dict[int, str] = {}
        count = min(self.method_ids_size, max(0, self.limits.max_methods - budget.methods))
        if count < self.method_ids_size:
            budget.note(f"{self.name}: only {count} of {self.method_ids_size} method references read (cap)")
        java: dict[str, str] = {}
        out: list[MethodRef | None] = []
        for n in range(count):
            class_idx, proto_idx, name_idx = struct.unpack_from("<HHI", data, self.method_ids_off + 8 * n)
            descriptor = protos.get(proto_idx)
            if descriptor is None:
                descriptor = protos[proto_idx] = self._proto(proto_idx)
            name = self.string(name_idx)
            owner = self.type_name(class_idx)
            if name is None or not owner:
                out.append(None)
                budget.damage(f"{self.name}: a method_ids entry names a string or type that does not exist")
                continue
            cls = java.get(owner)
            if cls is None:
                cls = java[owner] = java_name(owner)
            out.append(MethodRef(cls, name, descriptor))
        budget.methods += len(out)
        self.methods = out

    def read_fields(self) -> list[FieldRef]:
        data, budget = self.data, self.budget
        count = min(self.field_ids_size, max(0, self.limits.max_methods - budget.fields))
        if count < self.field_ids_size:
            budget.note(f"{self.name}: only {count} of {self.field_ids_size} field references read (cap)")
        out: list[FieldRef] = []
        for n in range(count):
            class_idx, type_idx, name_idx = struct.unpack_from("<HHI", data, self.field_ids_off + 8 * n)
            name = self.string(name_idx)
            owner = self.type_name(class_idx)
            if name is None or not owner:
                budget.damage(f"{self.name}: a field_ids entry names a string or type that does not exist")
                continue
            out.append(FieldRef(java_name(owner), name, self.type_name(type_idx)))
        budget.fields += len(out)
        return out

    def _proto(self, index: int) -> str:
        if index >= self.proto_ids_size:
            self.budget.damage(f"{self.name}: a method refers to a prototype that does not exist")
            return "(?)?"
        _shorty, return_idx, params_off = struct.unpack_from("<III", self.data, self.proto_ids_off + 12 * index)
        try:
            params = "".join(self._type_list(params_off))
        except (DexFormatError, struct.error) as exc:
            self.budget.damage(str(exc))
            params = "?"
        return f"({params}){self.type_name(return_idx)}"

    # -- classes and code

    def read_classes(self, refs: DexRefs) -> None:
        data, budget = self.data, self.budget
        units = array("H")
        units.frombytes(data[: len(data) & ~1])
        if sys.byteorder == "big":
            units.byteswap()
        for n in range(self.class_defs_size):
            if budget.classes >= self.limits.max_classes:
                budget.note(f"{self.name}: classes past {self.limits.max_classes} not read (cap)")
                refs.code_read = False
                return
            (class_idx, _flags, super_idx, _interfaces, _source, _annotations, class_data_off, static_values_off) = (
                struct.unpack_from("<8I", data, self.class_defs_off + 32 * n)
            )
            owner = self.type_name(class_idx)
            if not owner:
                budget.damage(f"{self.name}: a class definition names a type that does not exist")
                refs.code_read = False
                continue
            cls = java_name(owner)
            if cls in refs.classes:
                continue  # Android uses the first definition in load order
            refs.classes.add(cls)
            budget.classes += 1
            if super_idx != NO_INDEX and (parent := self.type_name(super_idx)):
                refs.superclasses[cls] = java_name(parent)
            found = _ClassCode()
            try:
                if static_values_off:
                    self._static_strings(static_values_off, found.strings)
                if class_data_off:
                    for code_off in self._code_offsets(class_data_off):
                        if not self._walk(units, code_off, found):
                            refs.code_read = False
                            break
            except (DexFormatError, IndexError, struct.error) as exc:
                budget.damage(f"{self.name}: class {cls}: {exc or 'table runs past the file'}")
                refs.code_read = False
            found.store(cls, self, refs)
            if budget.out_of_time():
                budget.note(f"code past class {cls} not read: {self.limits.max_seconds:g} s spent (cap)")
                refs.code_read = False
                return

    def _code_offsets(self, offset: int) -> list[int]:
        data = self.data
        counts = []
        pos = offset
        for _ in range(4):
            value, pos = _uleb128(data, pos)
            counts.append(value)
        static_fields, instance_fields, direct, virtual = counts
        if static_fields + instance_fields + direct + virtual > len(data):
            raise DexFormatError("class data counts more members than the file could hold")
        for _ in range(static_fields + instance_fields):
            _, pos = _uleb128(data, pos)
            _, pos = _uleb128(data, pos)
        offsets = []
        for _ in range(direct + virtual):
            _, pos = _uleb128(data, pos)
            _, pos = _uleb128(data, pos)
            code_off, pos = _uleb128(data, pos)
            if code_off:
                offsets.append(code_off)
        return offsets

    def _walk(self, units: array, code_off: int, found: _ClassCode) -> bool:
        """The invokes, constants and literals of one code item; False when a cap stopped it."""
        if code_off & 3 or code_off + 16 > len(self.data):
            raise DexFormatError(f"code item at {code_off:#x} is misaligned or outside the file")
        (insns_size,) = struct.unpack_from("<I", self.data, code_off + 12)
        start = (code_off + 16) // 2
        end = start + insns_size
        if end > len(units):
            raise DexFormatError(f"code item at {code_off:#x} runs past the file")
        budget = self.budget
        budget.code_units += insns_size
        if budget.code_units > self.limits.max_code_units:
            budget.note(f"code past {self.limits.max_code_units} code units not read (cap)")
            return False
        lengths, kinds = _LENGTHS, _KIND
        methods, strings, types, literals = found.methods, found.string_ids, found.type_ids, found.literals
        i = start
        while i < end:
            unit = units[i]
            op = unit & 0xFF
            kind = kinds[op]
            if kind:
                length = lengths[op]
                if i + length > end:
                    break  # an instruction cut off by the end of the code: the rest is not code
                if kind == 1:
                    methods.add(units[i + 1])
                elif kind == 2:
                    strings.add(units[i + 1])
                elif kind == 3:
                    strings.add(units[i + 1] | units[i + 2] << 16)
                elif kind == 5:
                    types.add(units[i + 1])
                elif kind == 6:
                    literals.add(units[i + 1] - 0x10000 if units[i + 1] & 0x8000 else units[i + 1])
                elif kind == 7:
                    value = units[i + 1] | units[i + 2] << 16
                    literals.add(value - 0x100000000 if value & 0x80000000 else value)
                elif unit == 0x0100 and i + 1 < end:  # packed-switch-payload
                    i += 4 + 2 * units[i + 1]
                    continue
                elif unit == 0x0200 and i + 1 < end:  # sparse-switch-payload
                    i += 2 + 4 * units[i + 1]
                    continue
                elif unit == 0x0300 and i + 3 < end:  # fill-array-data-payload
                    width, size = units[i + 1], units[i + 2] | units[i + 3] << 16
                    i += 4 + (width * size + 1) // 2
                    continue
            i += lengths[op]
        return True

    def _static_strings(self, offset: int, strings: set[str]) -> None:
        """String values in a class's static field initial values (an encoded_array_item)."""
        data = self.data
        size, pos = _uleb128(data, offset)
        if size > len(data):
            raise DexFormatError("static values count more items than the file could hold")
        for _ in range(size):
            pos = self._encoded_value(pos, strings, 0)

    def _encoded_value(self, pos: int, strings: set[str], depth: int) -> int:
        if depth > 8:
            raise DexFormatError("encoded values nested too deeply")
        data = self.data
        head = data[pos]
        pos += 1
        value_type, arg = head & 0x1F, head >> 5
        if value_type == 0x17:  # VALUE_STRING
            index = int.from_bytes(data[pos : pos + arg + 1], "little")
            text = self.string(index)
            if text is not None:
                strings.add(text)
            return pos + arg + 1
        if value_type == 0x1C:  # VALUE_ARRAY
            size, pos = _uleb128(data, pos)
            for _ in range(min(size, len(data))):
                pos = self._encoded_value(pos, strings, depth + 1)
            return pos
        if value_type == 0x1D:  # VALUE_ANNOTATION
            _, pos = _uleb128(data, pos)
            size, pos = _uleb128(data, pos)
            for _ in range(min(size, len(data))):
                _, pos = _uleb128(data, pos)
                pos = self._encoded_value(pos, strings, depth + 1)
            return pos
        if value_type in (0x1E, 0x1F):  # VALUE_NULL, VALUE_BOOLEAN: no bytes
            return pos
        if value_type not in _VALUE_TYPES:
            raise DexFormatError(f"unknown encoded value type {value_type:#x}")
        return pos + arg + 1


_VALUE_TYPES = {0x00, 0x02, 0x03, 0x04, 0x06, 0x10, 0x11, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B}


class _ClassCode:
    """What the code of one class refers to, as table indices until it is stored."""

    MAX_LITERALS = 4096

    def __init__(self) -> None:
        self.methods: set[int] = set()
        self.string_ids: set[int] = set()
        self.strings: set[str] = set()  # static field values, already strings
        self.type_ids: set[int] = set()
        self.literals: set[int] = set()

    def store(self, cls: str, reader: _DexReader, refs: DexRefs) -> None:
        calls = {m for i in self.methods if i < len(reader.methods) and (m := reader.methods[i]) is not None}
        strings = self.strings | {s for i in self.string_ids if (s := reader.string(i)) is not None}
        types = {java_name(t) for i in self.type_ids if (t := reader.type_name(i))}
        if calls:
            refs.calls[cls] = calls
        if strings:
            refs.constants[cls] = strings
        if types:
            refs.class_refs[cls] = types
        if self.literals:
            refs.literals[cls] = set(sorted(self.literals)[: self.MAX_LITERALS])


class _Budget:
    """What all the DEX files of one APK have used of the caps so far, and the notes."""

    def __init__(self, limits: DexLimits) -> None:
        self.limits = limits
        self.started = time.perf_counter()
        self.strings = self.string_bytes = self.methods = self.fields = self.classes = self.code_units = 0
        self.notes: list[str] = []
        self._damage: dict[str, int] = {}

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def damage(self, text: str) -> None:
        """A damaged entry: noted once per kind, with a count."""
        self._damage[text] = self._damage.get(text, 0) + 1

    def out_of_time(self) -> bool:
        return time.perf_counter() - self.started > self.limits.max_seconds

    def all_notes(self) -> list[str]:
        damage = [text if n == 1 else f"{text} ({n} times)" for text, n in self._damage.items()]
        return self.notes + damage


# --------------------------------------------------------------------------------------------- entry points


def _load_order(zf: SafeZip, limits: DexLimits, notes: list[str]) -> list[str]:
    try:
        names = dex_files(zf)
    except LimitExceeded as exc:
        notes.append(f"{exc}: only the first {limits.max_dex_files} read")
        names = ["classes.dex"] + [f"classes{n}.dex" for n in range(2, limits.max_dex_files + 1)]
    if len(names) > limits.max_dex_files:
        notes.append(f"{len(names)} DEX files: only the first {limits.max_dex_files} read (cap)")
        names = names[: limits.max_dex_files]
    skipped = sorted(n for n in zf.namelist() if DEX_NAME.match(n) and n not in names)
    if skipped:
        notes.append(f"{', '.join(skipped[:5])}: not loaded by Android (a number before it is missing), not read")
    return names


def read_dex(data: bytes, name: str = "classes.dex", limits: DexLimits | None = None) -> DexRefs:
    """The references of one DEX file given as bytes."""
    limits = limits or DexLimits()
    refs = DexRefs()
    budget = _Budget(limits)
    _read_one(data, name, refs, budget)
    refs.notes = budget.all_notes()
    refs.seconds = time.perf_counter() - budget.started
    return refs


def _read_one(data: bytes, name: str, refs: DexRefs, budget: _Budget) -> None:
    """Read one DEX file into `refs`; damage becomes a note and stops at the table it hit."""
    try:
        reader = _DexReader(data, name, budget.limits, budget)
        reader.read_strings()
        refs.strings.update(s for s in reader.strings if s is not None)
        reader.read_types()
        reader.read_methods()
        refs.methods.update(m for m in reader.methods if m is not None)
        refs.fields.update(reader.read_fields())
        refs.files.append(name)
        reader.read_classes(refs)
    except (DexFormatError, struct.error, IndexError, ValueError) as exc:
        text = str(exc) if isinstance(exc, DexFormatError) else f"{name}: damaged ({type(exc).__name__}: {exc})"
        budget.note(text)
        refs.code_read = False


def read_zip(zf: SafeZip, limits: DexLimits | None = None) -> DexRefs:
    """The references of every DEX file that Android would load from this archive."""
    limits = limits or DexLimits()
    refs = DexRefs()
    budget = _Budget(limits)
    total = 0
    for entry in _load_order(zf, limits, budget.notes):
        if entry not in zf:
            continue
        try:
            data = zf.read(entry, max_size=min(limits.max_dex_size, zf.limits.max_entry_size))
        except (LimitExceeded, ZipFormatError) as exc:
            budget.note(f"{entry}: not read ({exc})")
            refs.code_read = False
            continue
        total += len(data)
        if total > limits.max_total_dex_size:
            budget.note(f"{entry} and later DEX files not read: more than {limits.max_total_dex_size} bytes (cap)")
            refs.code_read = False
            break
        _read_one(data, entry, refs, budget)
        del data
        if budget.out_of_time():
            break
    refs.notes = budget.all_notes()
    refs.seconds = time.perf_counter() - budget.started
    return refs


def read_apk_dex(
    path: str | os.PathLike[str], limits: ParseLimits | None = None, dex_limits: DexLimits | None = None
) -> DexRefs:
    """The references of an APK file's DEX files. Raises ZipFormatError or LimitExceeded (with a one-line
    reason) when the archive itself cannot be read; a damaged DEX file inside it is only a note."""
    limits = limits or ParseLimits()
    file = Path(path)
    size = file.stat().st_size
    if size > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({size} > {limits.max_file_size} bytes)")
    with file.open("rb") as fh:
        data = fh.read(limits.max_file_size + 1)
    if len(data) > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({len(data)} > {limits.max_file_size} bytes)")
    return read_zip(SafeZip(data, limits), dex_limits)


def describe(refs: DexRefs) -> str:
    """A one-line summary, for logs and benchmarks."""
    calls = sum(len(methods) for methods in refs.calls.values())
    return (
        f"{len(refs.files)} DEX files, {len(refs.classes)} classes, {len(refs.methods)} method references, "
        f"{len(refs.strings)} strings, {calls} calls, {refs.seconds:.2f} s"
    )
