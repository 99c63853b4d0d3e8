"""Android's binary XML (AndroidManifest.xml, res/*.xml) read the way Android and aapt read it.

Two rules of the platform that a stricter or string-minded parser gets wrong, to a reviewer's cost:

* An ``android:`` attribute is identified by its resource id (``android:name`` is 0x01010003), which the
  resource map chunk gives each attribute name; the namespace URI string and the name string are not
  consulted. A manifest whose attributes carry another namespace string, or an empty or scrambled name,
  still declares its permissions and components to Android. `Element.android` looks attributes up by
  resource id and falls back to the name (in Android's namespace, or none) only for an attribute that
  has no resource id.
* A string pool with a malformed string (no terminating NUL, a length running past the pool, a
  UTF-8 length that does not match) does not make the file unreadable: the string is read as far as
  its declared length allows, and the problem is recorded (`LenientStringBlock.problems`) so that the
  reader can name it in a warning. Older Android versions read such strings without complaint;
  an attacker must not be able to hide an app's facts from its reviewer with one.

The chunk walking is androguard's `AXMLParser`; the tree, the attribute lookup and the string decoding
are ours.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from loguru import logger

logger.disable("androguard")

from androguard.core import axml as _ag  # noqa: E402  (after silencing its logger)

ANDROID_NS = "http://schemas.android.com/apk/res/android"

# android.R.attr ids of the attributes the reader uses (frameworks/base/core/res/res/values/public.xml).
ATTRIBUTE_IDS: dict[str, int] = {
    "label": 0x01010001,
    "icon": 0x01010002,
    "name": 0x01010003,
    "enabled": 0x0101000E,
    "debuggable": 0x0101000F,
    "drawable": 0x01010199,
    "minSdkVersion": 0x0101020C,
    "versionCode": 0x0101021B,
    "versionName": 0x0101021C,
    "targetSdkVersion": 0x01010270,
    "maxSdkVersion": 0x01010271,
    "testOnly": 0x01010272,
    "targetSandboxVersion": 0x0101054C,
    "versionCodeMajor": 0x01010576,
}
FRAMEWORK_PACKAGE = 0x01
TYPE_STRING = 0x03  # Res_value::TYPE_STRING


def _framework_names() -> dict[int, str]:
    from androguard.core.resources import public

    names = {rid: name for name, rid in public.SYSTEM_RESOURCES["attributes"]["forward"].items()}
    names.update({rid: name for name, rid in ATTRIBUTE_IDS.items()})
    return names


FRAMEWORK_ATTRIBUTE_NAMES = _framework_names()


# ------------------------------------------------------------------------------------------------ strings


class MalformedString(str):
    """A string pool entry that is not well formed, as far as it could be read; `reason` says what is wrong.
    Facts keep plain strings: `str(value)` drops the mark."""

    reason: str

    def __new__(cls, text: str, reason: str = "malformed") -> MalformedString:
        value = super().__new__(cls, text)
        value.reason = reason
        return value

    def __reduce__(self):
        return (MalformedString, (str(self), self.reason))


class LenientStringBlock(_ag.StringBlock):
    """androguard's string pool, decoding each string as far as its declared length allows.

    Android reads a string by the length in front of it; androguard raises on a missing NUL terminator
    (UTF-16) or returns "" (UTF-8). Here a malformed string is returned as a `MalformedString` with what
    could be decoded, and `problems` maps its index to the reason.
    """

    problems: dict[int, str]

    @classmethod
    def adopt(cls, block: _ag.StringBlock) -> LenientStringBlock:
        """Make an androguard pool lenient in place, so every object that holds it (an ARSC package
        context, a parser) reads through the lenient decoder. Its strings are decoded lazily, so none has
        been read strictly yet, unless the pool is already lenient."""
        if not isinstance(block, cls):
            block.__class__ = cls
            block.problems = {}
            block._cache = {}
        return block

    def getString(self, idx: int) -> str:  # androguard's method name
        if idx in self._cache:
            return self._cache[idx]
        if idx < 0 or not self.m_stringOffsets or idx >= self.stringCount:
            return ""
        text = self._read(idx)
        if isinstance(text, MalformedString):
            self.problems[idx] = text.reason
        self._cache[idx] = text
        return text

    def _read(self, idx: int) -> str:
        buf: bytes = self.m_charbuff
        offset = self.m_stringOffsets[idx]
        if offset >= len(buf):
            return MalformedString("", f"it starts past the end of the string pool ({offset} >= {len(buf)} bytes)")
        try:
            if self.m_isUTF8:
                units, skip = self._decode_length(offset, 1)
                offset += skip
                size, skip = self._decode_length(offset, 1)
                offset += skip
                end, terminator, encoding = offset + size, b"\0", "utf-8"
            else:
                units, skip = self._decode_length(offset, 2)
                offset += skip
                end, terminator, encoding = offset + 2 * units, b"\0\0", "utf-16-le"
        except (struct.error, AssertionError):
            return MalformedString("", "its length runs past the end of the string pool")
        if offset > len(buf) or end > len(buf):
            return MalformedString("", f"it runs past the end of the string pool ({end} > {len(buf)} bytes)")
        text = buf[offset:end].decode(encoding, "replace")
        if buf[end : end + len(terminator)] != terminator:
            return MalformedString(text, "it is not null-terminated")
        if self.m_isUTF8 and len(text.encode("utf-16-le", "surrogatepass")) // 2 != units:
            return MalformedString(text, "its UTF-8 bytes do not match its declared length")
        return text


def lenient_arsc(arsc: _ag.ARSCParser) -> list[LenientStringBlock]:
    """Make the string pools of a parsed resource table lenient; returns them (their `problems`)."""
    blocks: list[LenientStringBlock] = []
    if arsc.stringpool_main is not None:
        blocks.append(LenientStringBlock.adopt(arsc.stringpool_main))
    for items in arsc.packages.values():
        blocks.extend(LenientStringBlock.adopt(item) for item in items if isinstance(item, _ag.StringBlock))
    return blocks


# ------------------------------------------------------------------------------------------------ tree


@dataclass(frozen=True)
class Attribute:
    namespace: str  # "" when the attribute has none
    name: str  # the name string, as written (may be empty or scrambled when a resource id names it)
    resource_id: int | None  # from the resource map; None when the name has no entry (or 0)
    value: str  # literal string, "@7F050000" for a reference, "true", "12", "0x0000000C"...
    problem: str | None = None  # why the value string is malformed (read as far as it goes), else None


@dataclass(eq=False)
class Element:
    tag: str  # local name: Android matches element names without their namespace
    attributes: list[Attribute] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    def get(self, name: str) -> str | None:
        """An attribute without a namespace, by name (`package`): Android's getAttributeValue(null, name)."""
        for attr in self.attributes:
            if attr.namespace == "" and attr.name == name:
                return attr.value
        return None

    def android(self, name: str) -> str | None:
        """The value of `android:name` as Android reads it (see `android_attribute`)."""
        attr = self.android_attribute(name)
        return attr.value if attr is not None else None

    def android_attribute(self, name: str) -> Attribute | None:
        """`android:name` by its resource id; by name (in Android's namespace or none) only among the
        attributes that have no resource id, as nothing else can say what they are."""
        rid = ATTRIBUTE_IDS.get(name)
        if rid is not None:
            for attr in self.attributes:
                if attr.resource_id == rid:
                    return attr
        for attr in self.attributes:
            if attr.resource_id is None and attr.name == name and attr.namespace in (ANDROID_NS, ""):
                return attr
        return None

    def find(self, tag: str) -> Element | None:
        """First child element named `tag`."""
        return next((child for child in self.children if child.tag == tag), None)

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and every element below it, in document order (no recursion: depth is untrusted)."""
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            if tag is None or element.tag == tag:
                yield element
            stack.extend(reversed(element.children))

    def getparent(self) -> Element | None:
        return self.parent

    def __iter__(self) -> Iterator[Element]:
        return iter(self.children)


@dataclass
class Document:
    root: Element | None
    valid: bool
    strings: LenientStringBlock | None
    # Names differ from what their resource ids say, or contain characters no compiler writes: the work of
    # an obfuscator (androguard's "packed").
    packed: bool = False
    # Namespace strings (other than Android's) carried by attributes that Android identifies as android:
    # attributes by their resource id; "" for none.
    foreign_namespaces: list[str] = field(default_factory=list)


def parse(raw: bytes) -> Document:
    """Parse binary XML. Never raises for a malformed string; other damage leaves `valid` False."""
    parser = _ag.AXMLParser(raw)
    strings = LenientStringBlock.adopt(parser.sb) if hasattr(parser, "sb") else None
    document = Document(root=None, valid=parser.is_valid(), strings=strings)
    if not document.valid:
        return document
    foreign: dict[str, None] = {}
    stack: list[Element] = []
    while parser.is_valid():
        event = next(parser)
        if event == _ag.START_TAG:
            tag = parser.name
            if not tag:
                continue
            if not _is_xml_name(tag):
                document.packed = True
            element = Element(str(tag), _attributes(parser, document, foreign))
            if document.root is None:
                document.root = element
            elif stack:
                element.parent = stack[-1]
                stack[-1].children.append(element)
            else:
                break  # a second root: Android stops at the end of the first
            stack.append(element)
        elif event == _ag.END_TAG:
            if stack and parser.name:
                stack.pop()
        elif event == _ag.END_DOCUMENT:
            break
    document.valid = parser.is_valid()
    document.foreign_namespaces = list(foreign)
    return document


def _attributes(parser: _ag.AXMLParser, document: Document, foreign: dict[str, None]) -> list[Attribute]:
    attributes: list[Attribute] = []
    resource_ids: list[int] = parser.m_resourceIDs
    for i in range(parser.getAttributeCount()):
        offset = i * _ag.ATTRIBUTE_LENGTH
        fields = parser.m_attributes[offset : offset + _ag.ATTRIBUTE_LENGTH]
        if len(fields) < _ag.ATTRIBUTE_LENGTH:
            break
        ns_index, name_index, raw_index, value_type, data = fields
        namespace = "" if ns_index == 0xFFFFFFFF else parser.sb[ns_index]
        name = parser.sb[name_index]
        rid = resource_ids[name_index] if name_index < len(resource_ids) else 0
        problem = None
        if value_type == TYPE_STRING:
            text = parser.sb[raw_index]
            problem = text.reason if isinstance(text, MalformedString) else None
            value = str(text)
            if "\0" in value:  # aapt prints the string up to its NUL; a packer's trick to fool parsers
                document.packed = True
                value = value[: value.index("\0")]
        else:
            value = _ag.format_value(value_type, data)
        if rid >> 24 == FRAMEWORK_PACKAGE:
            known = FRAMEWORK_ATTRIBUTE_NAMES.get(rid)
            if known is not None and name != known:
                document.packed = True
            if namespace != ANDROID_NS:
                foreign.setdefault(namespace, None)
        elif name and not _is_xml_name(name):
            document.packed = True
        attributes.append(Attribute(str(namespace), str(name), rid or None, value, problem))
    return attributes


_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def _is_xml_name(name: str) -> bool:
    """What a compiler writes for an element or attribute name (androguard calls anything else packed)."""
    return _XML_NAME.fullmatch(name) is not None
