"""Distinguished names, printed the way apksigner (java.security X500Name.toString) prints them.

Reviewers compare "who signed this app" with what `apksigner verify --print-certs` shows, so the order
of the RDNs, the keywords and the quoting follow Java's, not RFC 4514's.
"""

from __future__ import annotations

from typing import Any

from reviewer_app.apk.signing.der import _children, _decode_oid, _DerError, _tlv

_DN_KEYWORDS = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "T",
    "1.3.6.1.4.1.42.2.11.2.1": "IP",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "2.5.4.46": "DNQ",
    "2.5.4.4": "SURNAME",
    "2.5.4.42": "GIVENNAME",
    "2.5.4.43": "INITIALS",
    "2.5.4.44": "GENERATION",
    "1.2.840.113549.1.9.1": "EMAILADDRESS",
    "0.9.2342.19200300.100.1.1": "UID",
    "2.5.4.5": "SERIALNUMBER",
}
_DN_ESCAPEES = ',+=\n<>#;\\"'
_PRINTABLE_PUNCT = " '()+,-./:=?"


def _dn_string_value(tag: int, content: bytes) -> str | None:
    try:
        if tag == 0x0C:  # UTF8String
            return content.decode("utf-8", "replace")
        if tag in (0x13, 0x14, 0x16, 0x1B):  # Printable, T61, IA5, General
            return content.decode("latin-1")
        if tag == 0x1E:  # BMPString
            return content.decode("utf-16-be", "replace")
        if tag == 0x1C:  # UniversalString
            return content.decode("utf-32-be", "replace")
    except (UnicodeDecodeError, ValueError):
        return None
    return None


def _java_quote(value: str) -> str:
    out: list[str] = []
    quote = False
    previous_white = False
    n = len(value)
    already_quoted = n > 1 and value[0] == '"' and value[-1] == '"'
    for i, c in enumerate(value):
        if already_quoted and (i == 0 or i == n - 1):
            out.append(c)
            continue
        printable = c.isascii() and (c.isalnum() or c in _PRINTABLE_PUNCT)
        if printable or c in _DN_ESCAPEES:
            if not quote and ((i == 0 and c in " \n") or c in _DN_ESCAPEES):
                quote = True
            if c not in " \n":
                if c in '"\\':
                    out.append("\\")
                previous_white = False
            else:
                if not quote and previous_white:
                    quote = True
                previous_white = True
            out.append(c)
        else:
            previous_white = False
            out.append(c)
    text = "".join(out)
    if text and text[-1] in " \n":
        quote = True
    return f'"{text}"' if quote and not already_quoted else text


def _name_der(name: Any) -> bytes:
    if isinstance(name, (bytes, bytearray, memoryview)):
        return bytes(name)
    dump = getattr(name, "dump", None)  # asn1crypto.x509.Name
    if callable(dump):
        return dump()
    public_bytes = getattr(name, "public_bytes", None)  # cryptography.x509.Name
    if callable(public_bytes):
        return public_bytes()
    raise TypeError(f"not a distinguished name: {type(name).__name__}")


def format_dn(name) -> str:
    """DN as apksigner prints it: "CN=Android Debug, O=Android, C=US".

    Accepts DER bytes, an asn1crypto `Name` or a cryptography `Name`. RDNs come out in reverse encoding
    order, values quoted and escaped like java.security's X500Name.toString().
    """
    der = _name_der(name)
    try:
        tag, start, end = _tlv(der, 0, len(der))
        if tag != 0x30:
            raise _DerError("Name is not a SEQUENCE")
        rdns: list[str] = []
        for set_tag, sstart, send, _ in _children(der, start, end):
            if set_tag != 0x31:
                raise _DerError("RDN is not a SET")
            avas = []
            for ava_tag, astart, aend, _ in _children(der, sstart, send):
                if ava_tag != 0x30:
                    raise _DerError("AVA is not a SEQUENCE")
                parts = _children(der, astart, aend)
                if len(parts) != 2 or parts[0][0] != 0x06:
                    raise _DerError("malformed AVA")
                oid = _decode_oid(der[parts[0][1] : parts[0][2]])
                vtag, vstart, vend, velem = parts[1]
                keyword = _DN_KEYWORDS.get(oid, oid)
                text = _dn_string_value(vtag, der[vstart:vend])
                if text is None:
                    avas.append(f"{keyword}=#{der[velem:vend].hex().upper()}")
                else:
                    avas.append(f"{keyword}={_java_quote(text)}")
            rdns.append(" + ".join(avas))
        return ", ".join(reversed(rdns))
    except _DerError:
        return "(malformed name)"
