"""A small DEX file writer, for test APKs whose code really calls the APIs that the risk rules look for.

Debian ships no d8 or dx, and javac writes class files. The test APKs need only a few classes whose methods
invoke framework methods, load string constants and name classes, so this module assembles them directly
into the Dalvik Executable format (AOSP, "Dalvik Executable format", version 035): the header, the
`string_ids`, `type_ids`, `proto_ids`, `field_ids`, `method_ids` and `class_defs` tables sorted as the format
requires, the data section (type lists, string data, code items, class data, static values) and the
`map_list`, with the Adler-32 checksum and the SHA-1 signature of the header. build.py checks every file it
writes with AOSP's `dexdump`, which runs ART's DEX file verifier before it disassembles anything.

A method body is a list of instructions in the assembler's own small notation (see `Method`); only the
instructions the test APKs use are supported. Nothing here is ever run.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ACC_PUBLIC = 0x1
ACC_PRIVATE = 0x2
ACC_STATIC = 0x8
ACC_FINAL = 0x10
ACC_CONSTRUCTOR = 0x10000
NO_INDEX = 0xFFFFFFFF

# map_list item types
TYPE_HEADER_ITEM = 0x0000
TYPE_STRING_ID_ITEM = 0x0001
TYPE_TYPE_ID_ITEM = 0x0002
TYPE_PROTO_ID_ITEM = 0x0003
TYPE_FIELD_ID_ITEM = 0x0004
TYPE_METHOD_ID_ITEM = 0x0005
TYPE_CLASS_DEF_ITEM = 0x0006
TYPE_MAP_LIST = 0x1000
TYPE_TYPE_LIST = 0x1001
TYPE_CLASS_DATA_ITEM = 0x2000
TYPE_CODE_ITEM = 0x2001
TYPE_STRING_DATA_ITEM = 0x2002
TYPE_ENCODED_ARRAY_ITEM = 0x2005

HEADER_SIZE = 0x70
ENDIAN_CONSTANT = 0x12345678


class DexWriteError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class MethodId:
    """`Lpkg/Cls;`, name, `(params)ret` — as dexdump prints it: `Lpkg/Cls;.name:(params)ret`."""

    owner: str
    name: str
    descriptor: str

    @classmethod
    def parse(cls, text: str) -> MethodId:
        owner, _, rest = text.partition(".")
        name, _, descriptor = rest.partition(":")
        if not (owner.startswith("L") and owner.endswith(";") and name and descriptor.startswith("(")):
            raise DexWriteError(f"not a method reference: {text!r}")
        return cls(owner, name, descriptor)

    def __str__(self) -> str:
        return f"{self.owner}.{self.name}:{self.descriptor}"


@dataclass(frozen=True, order=True)
class FieldId:
    owner: str
    name: str
    type: str

    @classmethod
    def parse(cls, text: str) -> FieldId:
        owner, _, rest = text.partition(".")
        name, _, type_ = rest.partition(":")
        if not (owner.startswith("L") and name and type_):
            raise DexWriteError(f"not a field reference: {text!r}")
        return cls(owner, name, type_)


_DESCRIPTOR_TYPE = re.compile(r"\[*(?:[ZBSCIJFDV]|L[^;]+;)")


def split_descriptor(descriptor: str) -> tuple[list[str], str]:
    """`(Ljava/lang/String;I)V` -> (["Ljava/lang/String;", "I"], "V")."""
    match = re.fullmatch(r"\((.*)\)(.+)", descriptor)
    if not match:
        raise DexWriteError(f"not a method descriptor: {descriptor!r}")
    params = _DESCRIPTOR_TYPE.findall(match.group(1))
    if "".join(params) != match.group(1) or not _DESCRIPTOR_TYPE.fullmatch(match.group(2)):
        raise DexWriteError(f"not a method descriptor: {descriptor!r}")
    return params, match.group(2)


def _shorty(type_: str) -> str:
    return "L" if type_[0] in "L[" else type_


def _words(type_: str) -> int:
    return 2 if type_ in ("J", "D") else 1


@dataclass
class Method:
    """One method. `code` is a list of instructions (None: abstract or native, no code item):

    ("const/4", reg, value)          ("const/16", reg, value)         ("const", reg, value)
    ("const-string", reg, "text")    ("const-class" | "check-cast" | "new-instance", reg, "Lpkg/Cls;")
    ("move-object/from16", reg, source_reg)
    ("sget-object", reg, "Lpkg/Cls;.NAME:Ltype;")
    ("invoke-virtual" | "invoke-super" | "invoke-direct" | "invoke-static" | "invoke-interface",
        [regs], "Lpkg/Cls;.name:(params)ret")
    ("invoke-virtual/range" | ... "/range", first_reg, count, "Lpkg/Cls;.name:(params)ret")
    ("move-result" | "move-result-object", reg)
    ("return-void",)                 ("return" | "return-object", reg)

    A register is a local (0, 1, ...) or a parameter ("p0", "p1", ...; "p0" is `this` in an instance method):
    Dalvik passes the arguments in the last registers, after the locals, so "pN" is numbered after the
    highest local the code names.
    """

    name: str
    descriptor: str
    access: int = ACC_PUBLIC
    locals: int = 0  # 0: as many as the highest local register the code names needs
    code: list[tuple] | None = field(default_factory=list)

    @property
    def is_direct(self) -> bool:
        return bool(self.access & (ACC_STATIC | ACC_PRIVATE | ACC_CONSTRUCTOR))


@dataclass
class ClassDef:
    name: str  # descriptor: Lcom/example/Main;
    superclass: str = "Ljava/lang/Object;"
    access: int = ACC_PUBLIC
    methods: list[Method] = field(default_factory=list)
    static_strings: dict[str, str] = field(default_factory=dict)  # public static final String NAME = "value"

    def with_constructor(self) -> ClassDef:
        """Add `public <init>()V` that calls the superclass's, as javac writes it for a class without one."""
        if not any(m.name == "<init>" for m in self.methods):
            self.methods.insert(
                0,
                Method(
                    "<init>",
                    "()V",
                    ACC_PUBLIC | ACC_CONSTRUCTOR,
                    code=[("invoke-direct", ["p0"], f"{self.superclass}.<init>:()V"), ("return-void",)],
                ),
            )
        return self


# ------------------------------------------------------------------------------------------------ encoding


def _uleb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _mutf8(text: str) -> bytes:
    """Modified UTF-8, as string_data_item stores it."""
    out = bytearray()
    for unit in struct.unpack(f"<{len(text.encode('utf-16-le')) // 2}H", text.encode("utf-16-le")):
        if 0 < unit < 0x80:
            out.append(unit)
        elif unit < 0x800:
            out += bytes([0xC0 | unit >> 6, 0x80 | unit & 0x3F])
        else:
            out += bytes([0xE0 | unit >> 12, 0x80 | unit >> 6 & 0x3F, 0x80 | unit & 0x3F])
    return bytes(out)


def _utf16_key(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def _align(buf: bytearray, alignment: int) -> None:
    buf += b"\0" * (-len(buf) % alignment)


@dataclass
class _Pools:
    strings: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    protos: set[str] = field(default_factory=set)  # method descriptors
    fields: set[FieldId] = field(default_factory=set)
    methods: set[MethodId] = field(default_factory=set)

    def add_type(self, type_: str) -> None:
        self.types.add(type_)
        self.strings.add(type_)

    def add_proto(self, descriptor: str) -> None:
        params, ret = split_descriptor(descriptor)
        self.protos.add(descriptor)
        self.strings.add(_shorty(ret) + "".join(_shorty(p) for p in params))
        for type_ in (*params, ret):
            self.add_type(type_)

    def add_method(self, method: MethodId) -> None:
        self.methods.add(method)
        self.add_type(method.owner)
        self.strings.add(method.name)
        self.add_proto(method.descriptor)

    def add_field(self, field_id: FieldId) -> None:
        self.fields.add(field_id)
        self.add_type(field_id.owner)
        self.add_type(field_id.type)
        self.strings.add(field_id.name)


def _registers(insn: tuple) -> list[int | str]:
    """The registers an instruction names (its first operand; the list of an invoke; a range's span)."""
    op, args = insn[0], insn[1:]
    if op in _INVOKE:
        return list(args[0])
    if op.endswith("/range"):
        first, count = args[0], args[1]
        return [first, *(first + n for n in range(1, count))] if isinstance(first, int) else [first]
    if op == "move-object/from16":
        return [args[0], args[1]]
    return [args[0]] if args else []


_TYPE_OPS = {"const-class": 0x1C, "check-cast": 0x1F, "new-instance": 0x22}
_INVOKE = {"invoke-virtual": 0x6E, "invoke-super": 0x6F, "invoke-direct": 0x70, "invoke-static": 0x71,
           "invoke-interface": 0x72}  # fmt: skip


class _Assembler:
    def __init__(self, strings: dict[str, int], types: dict[str, int], fields: dict[FieldId, int],
                 methods: dict[MethodId, int]) -> None:  # fmt: skip
        self.strings, self.types, self.fields, self.methods = strings, types, fields, methods

    def assemble(self, code: Sequence[tuple], locals_: int) -> tuple[list[int], int, int]:
        """(code units, locals, outs size): "pN" registers become locals + N."""
        for insn in code:
            for reg in _registers(insn):
                if isinstance(reg, int):
                    locals_ = max(locals_, reg + 1)

        def resolve(reg: int | str) -> int:
            return locals_ + int(reg[1:]) if isinstance(reg, str) else reg

        units: list[int] = []
        outs = 0
        for insn in code:
            op, raw = insn[0], insn[1:]
            if op in _INVOKE:
                args: tuple = ([resolve(r) for r in raw[0]], raw[1])
            elif op == "move-object/from16":
                args = (resolve(raw[0]), resolve(raw[1]))
            elif op != "return-void":
                args = (resolve(raw[0]), *raw[1:])
            else:
                args = raw
            if op == "const/4":
                reg, value = args
                if not (reg < 16 and -8 <= value < 8):
                    raise DexWriteError(f"const/4 v{reg}, {value}: out of range")
                units.append((value & 0xF) << 12 | reg << 8 | 0x12)
            elif op == "const/16":
                reg, value = args
                units += [reg << 8 | 0x13, value & 0xFFFF]
            elif op == "const":
                reg, value = args
                units += [reg << 8 | 0x14, value & 0xFFFF, (value >> 16) & 0xFFFF]
            elif op == "const-string":
                reg, text = args
                index = self.strings[text]
                if index > 0xFFFF:
                    raise DexWriteError("const-string/jumbo is not supported")
                units += [reg << 8 | 0x1A, index]
            elif op in _TYPE_OPS:
                reg, type_ = args
                units += [reg << 8 | _TYPE_OPS[op], self.types[type_]]
            elif op == "move-object/from16":
                reg, source = args
                units += [reg << 8 | 0x08, source]
            elif op == "sget-object":
                reg, ref = args
                units += [reg << 8 | 0x62, self.fields[FieldId.parse(ref)]]
            elif op in _INVOKE:
                regs, ref = args
                if len(regs) > 5 or any(r > 15 for r in regs):
                    raise DexWriteError(f"{op} takes at most 5 registers below v16 (use {op}/range)")
                c, d, e, f, g = [*regs, 0, 0, 0, 0, 0][:5]
                units += [len(regs) << 12 | g << 8 | _INVOKE[op], self.methods[MethodId.parse(ref)],
                          f << 12 | e << 8 | d << 4 | c]  # fmt: skip
                outs = max(outs, len(regs))
            elif op.endswith("/range") and op.removesuffix("/range") in _INVOKE:
                first, count, ref = args
                units += [
                    count << 8 | (_INVOKE[op.removesuffix("/range")] + 6),
                    self.methods[MethodId.parse(ref)],
                    first,
                ]
                outs = max(outs, count)
            elif op in ("move-result", "move-result-object"):
                units.append(args[0] << 8 | (0x0A if op == "move-result" else 0x0C))
            elif op in ("return", "return-object"):
                units.append(args[0] << 8 | (0x0F if op == "return" else 0x11))
            elif op == "return-void":
                units.append(0x000E)
            else:
                raise DexWriteError(f"instruction {op!r} is not supported")
        return units, locals_, outs


def _references(classes: Iterable[ClassDef]) -> _Pools:
    pools = _Pools()
    for cls in classes:
        pools.add_type(cls.name)
        pools.add_type(cls.superclass)
        for name, value in cls.static_strings.items():
            pools.add_field(FieldId(cls.name, name, "Ljava/lang/String;"))
            pools.strings.add(value)
        for method in cls.methods:
            pools.add_method(MethodId(cls.name, method.name, method.descriptor))
            for insn in method.code or ():
                op, args = insn[0], insn[1:]
                if op == "const-string":
                    pools.strings.add(args[1])
                elif op in _TYPE_OPS:
                    pools.add_type(args[1])
                elif op == "sget-object":
                    pools.add_field(FieldId.parse(args[1]))
                elif op in _INVOKE or op.endswith("/range"):
                    pools.add_method(MethodId.parse(args[-1]))
    return pools


def _class_order(classes: list[ClassDef]) -> list[ClassDef]:
    """Each class after its superclass when both are in the file (the verifier requires it)."""
    by_name = {c.name: c for c in classes}
    done: list[ClassDef] = []
    seen: set[str] = set()

    def visit(cls: ClassDef, depth: int = 0) -> None:
        if cls.name in seen:
            return
        if depth > len(classes):
            raise DexWriteError(f"class {cls.name} is its own superclass")
        parent = by_name.get(cls.superclass)
        if parent is not None:
            visit(parent, depth + 1)
        seen.add(cls.name)
        done.append(cls)

    for cls in classes:
        visit(cls)
    return done


def write_dex(classes: Sequence[ClassDef]) -> bytes:
    """The DEX file of these classes."""
    classes = _class_order(list(classes))
    names = [c.name for c in classes]
    if len(set(names)) != len(names):
        raise DexWriteError("a class is defined twice")
    pools = _references(classes)

    strings = sorted(pools.strings, key=_utf16_key)
    string_index = {s: i for i, s in enumerate(strings)}
    types = sorted(pools.types, key=lambda t: string_index[t])
    type_index = {t: i for i, t in enumerate(types)}

    def proto_key(descriptor: str) -> tuple[int, list[int]]:
        params, ret = split_descriptor(descriptor)
        return type_index[ret], [type_index[p] for p in params]

    protos = sorted(pools.protos, key=proto_key)
    proto_index = {p: i for i, p in enumerate(protos)}
    fields = sorted(pools.fields, key=lambda f: (type_index[f.owner], string_index[f.name], type_index[f.type]))
    field_index = {f: i for i, f in enumerate(fields)}
    methods = sorted(
        pools.methods, key=lambda m: (type_index[m.owner], string_index[m.name], proto_index[m.descriptor])
    )
    method_index = {m: i for i, m in enumerate(methods)}
    assembler = _Assembler(string_index, type_index, field_index, method_index)

    # Fixed-size sections follow the header in this order.
    string_ids_off = HEADER_SIZE
    type_ids_off = string_ids_off + 4 * len(strings)
    proto_ids_off = type_ids_off + 4 * len(types)
    field_ids_off = proto_ids_off + 12 * len(protos)
    method_ids_off = field_ids_off + 8 * len(fields)
    class_defs_off = method_ids_off + 8 * len(methods)
    data_off = class_defs_off + 32 * len(classes)

    data = bytearray()  # the data section; offsets below are relative to the file (data_off + len)
    sections: list[tuple[int, int, int]] = []  # (map type, count, offset)

    def here() -> int:
        return data_off + len(data)

    # type_list items (4-aligned): the parameters of each proto that has any
    type_list_off: dict[tuple[str, ...], int] = {}
    first = None
    for descriptor in protos:
        params = tuple(split_descriptor(descriptor)[0])
        if params and params not in type_list_off:
            _align(data, 4)
            if first is None:
                first = here()
            type_list_off[params] = here()
            data += struct.pack("<I", len(params)) + struct.pack(f"<{len(params)}H", *(type_index[p] for p in params))
    if type_list_off:
        sections.append((TYPE_TYPE_LIST, len(type_list_off), first or 0))

    # string_data_item
    string_data_off: list[int] = []
    sections.append((TYPE_STRING_DATA_ITEM, len(strings), here()))
    for text in strings:
        string_data_off.append(here())
        data += _uleb128(len(text.encode("utf-16-le")) // 2) + _mutf8(text) + b"\0"

    # code_item (4-aligned)
    code_off: dict[tuple[str, str, str], int] = {}
    code_items = [(c, m) for c in classes for m in c.methods if m.code is not None]
    if code_items:
        _align(data, 4)
        sections.append((TYPE_CODE_ITEM, len(code_items), here()))
    for cls, method in code_items:
        _align(data, 4)
        params, _ret = split_descriptor(method.descriptor)
        ins = sum(_words(p) for p in params) + (0 if method.access & ACC_STATIC else 1)
        units, locals_, outs = assembler.assemble(method.code or (), method.locals)
        registers = locals_ + ins
        code_off[(cls.name, method.name, method.descriptor)] = here()
        data += struct.pack("<HHHHII", registers, ins, outs, 0, 0, len(units))
        data += struct.pack(f"<{len(units)}H", *units)

    # class_data_item
    class_data_off: dict[str, int] = {}
    sections.append((TYPE_CLASS_DATA_ITEM, len(classes), here()))
    for cls in classes:
        class_data_off[cls.name] = here()
        statics = sorted(field_index[FieldId(cls.name, n, "Ljava/lang/String;")] for n in cls.static_strings)
        direct = sorted((method_index[MethodId(cls.name, m.name, m.descriptor)], m) for m in cls.methods if m.is_direct)
        virtual = sorted(
            (method_index[MethodId(cls.name, m.name, m.descriptor)], m) for m in cls.methods if not m.is_direct
        )
        data += _uleb128(len(statics)) + _uleb128(0) + _uleb128(len(direct)) + _uleb128(len(virtual))
        previous = 0
        for index in statics:
            data += _uleb128(index - previous) + _uleb128(ACC_PUBLIC | ACC_STATIC | ACC_FINAL)
            previous = index
        for group in (direct, virtual):
            previous = 0
            for index, method in group:
                offset = code_off.get((cls.name, method.name, method.descriptor), 0)
                data += _uleb128(index - previous) + _uleb128(method.access) + _uleb128(offset)
                previous = index

    # encoded_array_item: the static String values, in field order
    static_values_off: dict[str, int] = {}
    with_values = [c for c in classes if c.static_strings]
    if with_values:
        sections.append((TYPE_ENCODED_ARRAY_ITEM, len(with_values), here()))
    for cls in with_values:
        static_values_off[cls.name] = here()
        ordered = sorted(
            cls.static_strings.items(), key=lambda kv: field_index[FieldId(cls.name, kv[0], "Ljava/lang/String;")]
        )
        data += _uleb128(len(ordered))
        for _, value in ordered:
            index = string_index[value]
            size = max(1, (index.bit_length() + 7) // 8)
            data += bytes([(size - 1) << 5 | 0x17]) + index.to_bytes(size, "little")

    # map_list (4-aligned), last
    _align(data, 4)
    map_off = here()
    head = [
        (TYPE_HEADER_ITEM, 1, 0),
        (TYPE_STRING_ID_ITEM, len(strings), string_ids_off),
        (TYPE_TYPE_ID_ITEM, len(types), type_ids_off),
        (TYPE_PROTO_ID_ITEM, len(protos), proto_ids_off),
        (TYPE_FIELD_ID_ITEM, len(fields), field_ids_off),
        (TYPE_METHOD_ID_ITEM, len(methods), method_ids_off),
        (TYPE_CLASS_DEF_ITEM, len(classes), class_defs_off),
    ]
    items = [item for item in head if item[1]] + sections + [(TYPE_MAP_LIST, 1, map_off)]
    data += struct.pack("<I", len(items))
    for kind, count, offset in items:
        data += struct.pack("<HHII", kind, 0, count, offset)
    file_size = data_off + len(data)

    out = bytearray(HEADER_SIZE)
    out += b"".join(struct.pack("<I", off) for off in string_data_off)
    out += b"".join(struct.pack("<I", string_index[t]) for t in types)
    for descriptor in protos:
        params, ret = split_descriptor(descriptor)
        shorty = _shorty(ret) + "".join(_shorty(p) for p in params)
        out += struct.pack("<III", string_index[shorty], type_index[ret], type_list_off[tuple(params)] if params else 0)
    for f in fields:
        out += struct.pack("<HHI", type_index[f.owner], type_index[f.type], string_index[f.name])
    for m in methods:
        out += struct.pack("<HHI", type_index[m.owner], proto_index[m.descriptor], string_index[m.name])
    for cls in classes:
        out += struct.pack(
            "<8I",
            type_index[cls.name],
            cls.access,
            type_index[cls.superclass],
            0,  # interfaces
            NO_INDEX,  # source file
            0,  # annotations
            class_data_off[cls.name],
            static_values_off.get(cls.name, 0),
        )
    if len(out) != data_off:
        raise DexWriteError("internal error: the id sections do not end where the data starts")
    out += data

    def section(kind: int) -> tuple[int, int]:
        for item_kind, count, offset in head:
            if item_kind == kind:
                return (count, offset if count else 0)
        raise AssertionError(kind)

    header = struct.pack("<8s4x20sIII", b"dex\n035\0", b"", file_size, HEADER_SIZE, ENDIAN_CONSTANT)
    header += struct.pack("<III", 0, 0, map_off)  # link_size, link_off, map_off
    for kind in (TYPE_STRING_ID_ITEM, TYPE_TYPE_ID_ITEM, TYPE_PROTO_ID_ITEM, TYPE_FIELD_ID_ITEM,
                 TYPE_METHOD_ID_ITEM, TYPE_CLASS_DEF_ITEM):  # fmt: skip
        header += struct.pack("<II", *section(kind))
    header += struct.pack("<II", file_size - data_off, data_off)
    out[:HEADER_SIZE] = header
    out[12:32] = hashlib.sha1(out[32:]).digest()
    out[8:12] = struct.pack("<I", zlib.adler32(bytes(out[12:])))
    return bytes(out)
