"""Verification of APK signatures (JAR/v1, APK Signature Scheme v2, v3 and v3.1).

The rules follow Android's own verifier library, apksig (`com.android.apksig.ApkVerifier`), the way
`apksigner verify --print-certs` applies them for the APK's SDK range: which schemes are checked for
which platform versions, which signature algorithms count, how content digests are computed, and which
certificates the platform ends up trusting. Reviewers see "who signed this app" from the result, so an
APK that carries a decoy certificate (for example a lone `META-INF/*.RSA` file next to a real v2/v3
signature, fdroidserver issue 1128) must show the certificate Android actually uses, plus a warning
naming the decoy.

Nothing here raises for a malformed signature: every problem becomes a one-line error in the
`SchemeResult` of its scheme. Only `LimitExceeded` from `SafeZip` propagates.

Conventions of `SchemeResult`: `present` says whether the APK carries that kind of signature;
`verified` is what apksigner prints as "Verified using vN scheme". A scheme that is present but not
needed for the SDK range (v1 when min SDK >= 24 and v2/v3 exist; v2 when min SDK >= 28 and v3 exists)
is not checked: `verified` is False and `errors` is empty, except for structural problems worth naming
(a `META-INF/*.RSA` block without its `.SF` file is no JAR signature at all). `certificates` of a scheme
that did not verify are the certificates it claims, read without verification; only `signers` of the
report are certificates Android accepts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from reviewer_app.apk.facts import Signer
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.apk.warnings import ApkWarning

__all__ = [
    "SchemeResult",
    "SigningReport",
    "format_dn",
    "signer_from_der",
    "verify_signatures",
]

INT_MAX = 0x7FFFFFFF

# Android API levels that change the rules.
SDK_GINGERBREAD = 9
SDK_JELLY_BEAN_MR2 = 18
SDK_KITKAT = 19
SDK_LOLLIPOP = 21
SDK_N = 24
SDK_O = 26
SDK_P = 28
SDK_R = 30
SDK_T = 33

V2_BLOCK_ID = 0x7109871A
V3_BLOCK_ID = 0xF05368C0
V31_BLOCK_ID = 0x1B93AD61
STRIPPING_PROTECTION_ATTR_ID = 0xBEEFF00D
PROOF_OF_ROTATION_ATTR_ID = 0x3BA06F8C
ROTATION_MIN_SDK_ATTR_ID = 0x559F8B02
ROTATION_ON_DEV_RELEASE_ATTR_ID = 0xC2A6B3BA

APK_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
APK_SIG_BLOCK_MIN_SIZE = 32
CHUNK_SIZE = 1024 * 1024

MANIFEST_NAME = "META-INF/MANIFEST.MF"
# The scheme ids Android knows, by the newest platform in the range (apksig's supported scheme names).
SCHEME_NAMES = {2: "APK Signature Scheme v2", 3: "APK Signature Scheme v3"}

ANDROID_VERSIONS = {
    1: "1.0",
    2: "1.1",
    3: "1.5",
    4: "1.6",
    5: "2.0",
    6: "2.0.1",
    7: "2.1",
    8: "2.2",
    9: "2.3",
    10: "2.3.3",
    11: "3.0",
    12: "3.1",
    13: "3.2",
    14: "4.0",
    15: "4.0.3",
    16: "4.1",
    17: "4.2",
    18: "4.3",
    19: "4.4",
    20: "4.4W",
    21: "5.0",
    22: "5.1",
    23: "6.0",
    24: "7.0",
    25: "7.1",
    26: "8.0",
    27: "8.1",
    28: "9",
    29: "10",
    30: "11",
    31: "12",
    32: "12L",
    33: "13",
    34: "14",
    35: "15",
    36: "16",
}


def _android(api: int) -> str:
    return ANDROID_VERSIONS.get(api, f"API {api}")


# ---------------------------------------------------------------------------------------------
# Public results
# ---------------------------------------------------------------------------------------------


@dataclass
class SchemeResult:
    scheme: str  # "v1", "v2", "v3", "v3.1"
    present: bool
    verified: bool
    errors: list[str]  # one-line reasons
    certificates: list[bytes]  # DER signer certificates (first cert of each signer), in signer order
    # v3/v3.1 only: per signer (min_sdk, max_sdk) and proof-of-rotation lineage certificates, oldest first
    sdk_ranges: list[tuple[int, int]] = field(default_factory=list)
    lineage: list[bytes] = field(default_factory=list)


@dataclass
class SigningReport:
    signers: list[Signer]  # accepted certificates, primary (the one Android uses on the newest SDK) first
    schemes: dict[str, SchemeResult]  # "v1", "v2", "v3" always; "v3.1" when present
    warnings: list[str]
    verifies: bool  # True when apksigner would print "Verifies" for this SDK range


# ---------------------------------------------------------------------------------------------
# Small DER reader (names, signed attributes); strict definite-length TLVs
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Distinguished names, printed the way apksigner (java.security X500Name.toString) prints them
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------


@dataclass
class _Cert:
    """A certificate as found in the APK, with the parts verification needs."""

    der: bytes  # encoded form exactly as stored in the APK
    parsed: Any  # asn1crypto.x509.Certificate
    spki: bytes  # SubjectPublicKeyInfo, re-encoded as DER when possible
    issuer_der: bytes
    serial: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()


def _load_cert(der: bytes) -> _Cert:
    """Parse a certificate; raises ValueError with a reason when it cannot be used."""
    try:
        cert = asn1_x509.Certificate.load(bytes(der))
        tbs = cert["tbs_certificate"]
        spki_obj = tbs["subject_public_key_info"]
        spki = spki_obj.dump(force=True)
        issuer = tbs["issuer"].dump(force=True)
        serial = int(tbs["serial_number"].native)
        tbs["subject"].dump()
        return _Cert(bytes(der), cert, _canonical_spki(spki), issuer, serial)
    except ValueError:
        raise
    except Exception as exc:  # asn1crypto raises assorted types on malformed input
        raise ValueError(f"malformed certificate ({exc.__class__.__name__})") from None


def _canonical_spki(spki: bytes) -> bytes:
    """The public key's standard DER encoding (what Java's PublicKey.getEncoded() returns)."""
    try:
        key = serialization.load_der_public_key(spki)
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:
        return spki


def signer_from_der(der: bytes, schemes: tuple[str, ...]) -> Signer:
    """A `Signer` for a DER certificate; never raises (an unreadable certificate keeps its digest)."""
    der = bytes(der)
    sha = hashlib.sha256(der).hexdigest()
    try:
        cert = _load_cert(der)
        tbs = cert.parsed["tbs_certificate"]
        subject = format_dn(tbs["subject"].dump())
        issuer = format_dn(cert.issuer_der)
        not_before = not_after = None
        try:
            validity = tbs["validity"]
            not_before = validity["not_before"].native.isoformat()
            not_after = validity["not_after"].native.isoformat()
        except Exception:
            pass
        key_algorithm, key_bits = _key_info(cert)
        return Signer(
            sha256=sha,
            subject=subject,
            schemes=tuple(schemes),
            issuer=issuer,
            not_before=not_before,
            not_after=not_after,
            key_algorithm=key_algorithm,
            key_bits=key_bits,
        )
    except Exception:
        return Signer(sha256=sha, subject="(unreadable certificate)", schemes=tuple(schemes))


def _key_info(cert: _Cert) -> tuple[str, int | None]:
    try:
        key = serialization.load_der_public_key(cert.spki)
        if isinstance(key, rsa.RSAPublicKey):
            return "RSA", key.key_size
        if isinstance(key, ec.EllipticCurvePublicKey):
            return "EC", key.curve.key_size
        if isinstance(key, dsa.DSAPublicKey):
            return "DSA", key.key_size
    except Exception:
        pass
    try:
        public_key = cert.parsed.public_key
        name = {"rsa": "RSA", "ec": "EC", "dsa": "DSA"}.get(public_key.algorithm, public_key.algorithm.upper())
        return name, public_key.bit_size
    except Exception:
        return "", None


_SUPPORTED_CRITICAL_EXTENSIONS = {
    "2.5.29.15",  # keyUsage
    "2.5.29.19",  # basicConstraints
    "2.5.29.17",  # subjectAltName
    "2.5.29.18",  # issuerAltName
    "2.5.29.30",  # nameConstraints
    "2.5.29.32",  # certificatePolicies
    "2.5.29.33",  # policyMappings
    "2.5.29.36",  # policyConstraints
    "2.5.29.37",  # extKeyUsage
    "2.5.29.54",  # inhibitAnyPolicy
    "2.5.29.14",  # subjectKeyIdentifier
    "2.5.29.35",  # authorityKeyIdentifier
    "2.5.29.16",  # privateKeyUsagePeriod
    "2.5.29.31",  # cRLDistributionPoints
    "2.5.29.46",  # freshestCRL
    "1.3.6.1.5.5.7.1.1",  # authorityInfoAccess
    "1.3.6.1.5.5.7.1.11",  # subjectInfoAccess
    "1.3.6.1.5.5.7.48.1.5",  # OCSP no check
    "2.16.840.1.113730.1.1",  # Netscape cert type
}


def _check_signing_cert_usable(cert: _Cert) -> str | None:
    """Why Android refuses this certificate for JAR signature verification, or None."""
    try:
        extensions = cert.parsed["tbs_certificate"]["extensions"]
        if not extensions or extensions.__class__.__name__ == "Void":
            return None
        for ext in extensions:
            oid = ext["extn_id"].dotted
            if ext["critical"].native and oid not in _SUPPORTED_CRITICAL_EXTENSIONS:
                return "signing certificate has unsupported critical extensions"
            if oid == "2.5.29.15":
                usage = ext["extn_value"].parsed.native or set()
                if "digital_signature" not in usage and "non_repudiation" not in usage:
                    return "signing certificate not authorized for use in digital signatures"
    except Exception:
        return "signing certificate has malformed extensions"
    return None


# ---------------------------------------------------------------------------------------------
# Signature algorithms of the APK Signing Block schemes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SigAlg:
    id: int
    name: str
    key: str  # "RSA", "EC", "DSA"
    hash: str  # "sha256", "sha512"
    pss: bool
    content_digest: str  # "CHUNKED_SHA256", "CHUNKED_SHA512", "VERITY_CHUNKED_SHA256"
    min_sdk: int


_SIG_ALGS = {
    a.id: a
    for a in (
        _SigAlg(0x0101, "RSA_PSS_WITH_SHA256", "RSA", "sha256", True, "CHUNKED_SHA256", SDK_N),
        _SigAlg(0x0102, "RSA_PSS_WITH_SHA512", "RSA", "sha512", True, "CHUNKED_SHA512", SDK_N),
        _SigAlg(0x0103, "RSA_PKCS1_V1_5_WITH_SHA256", "RSA", "sha256", False, "CHUNKED_SHA256", SDK_N),
        _SigAlg(0x0104, "RSA_PKCS1_V1_5_WITH_SHA512", "RSA", "sha512", False, "CHUNKED_SHA512", SDK_N),
        _SigAlg(0x0201, "ECDSA_WITH_SHA256", "EC", "sha256", False, "CHUNKED_SHA256", SDK_N),
        _SigAlg(0x0202, "ECDSA_WITH_SHA512", "EC", "sha512", False, "CHUNKED_SHA512", SDK_N),
        _SigAlg(0x0301, "DSA_WITH_SHA256", "DSA", "sha256", False, "CHUNKED_SHA256", SDK_N),
        _SigAlg(0x0421, "VERITY_RSA_PKCS1_V1_5_WITH_SHA256", "RSA", "sha256", False, "VERITY_CHUNKED_SHA256", SDK_P),
        _SigAlg(0x0423, "VERITY_ECDSA_WITH_SHA256", "EC", "sha256", False, "VERITY_CHUNKED_SHA256", SDK_P),
        _SigAlg(0x0425, "VERITY_DSA_WITH_SHA256", "DSA", "sha256", False, "VERITY_CHUNKED_SHA256", SDK_P),
    )
}
_DIGEST_STRENGTH = {"CHUNKED_SHA256": 0, "VERITY_CHUNKED_SHA256": 1, "CHUNKED_SHA512": 2}


def _hash_obj(name: str):
    return {
        "md5": hashes.MD5,
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
    }[name]()


class _KeyError(ValueError):
    """The public key cannot be used with the signature algorithm."""


def _load_public_key(spki: bytes, key_type: str):
    try:
        key = serialization.load_der_public_key(bytes(spki))
    except Exception as exc:
        raise _KeyError(f"malformed public key ({exc.__class__.__name__})") from None
    expected = {"RSA": rsa.RSAPublicKey, "EC": ec.EllipticCurvePublicKey, "DSA": dsa.DSAPublicKey}[key_type]
    if not isinstance(key, expected):
        raise _KeyError(f"public key is not an {key_type} key")
    return key


def _verify_raw(key, key_type: str, hash_name: str, pss: bool, data, signature: bytes) -> bool:
    """True when `signature` verifies over `data`; raises _KeyError for unusable keys."""
    algorithm = _hash_obj(hash_name)
    try:
        if key_type == "RSA":
            if pss:
                pad = padding.PSS(mgf=padding.MGF1(algorithm), salt_length=algorithm.digest_size)
            else:
                pad = padding.PKCS1v15()
            key.verify(bytes(signature), bytes(data), pad, algorithm)
        elif key_type == "EC":
            key.verify(bytes(signature), bytes(data), ec.ECDSA(algorithm))
        else:
            key.verify(bytes(signature), bytes(data), algorithm)
        return True
    except InvalidSignature:
        return False
    except Exception as exc:  # unusable key or parameters (ValueError, TypeError, UnsupportedAlgorithm)
        raise _KeyError(f"cannot verify: {str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}") from None


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


# ---------------------------------------------------------------------------------------------
# APK Signature Scheme v2 / v3 / v3.1 signers
# ---------------------------------------------------------------------------------------------


@dataclass
class _LineageNode:
    cert: _Cert
    parent_sig_alg: int  # algorithm the previous certificate used to sign this node
    sig_alg: int  # algorithm this certificate uses to sign the next node
    signature: bytes
    flags: int

    def key(self) -> tuple:
        return (self.cert.der, self.parent_sig_alg, self.sig_alg, self.signature, self.flags)


@dataclass
class _BlockSigner:
    index: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    certs: list[_Cert] = field(default_factory=list)
    claimed_cert: bytes | None = None  # first certificate as stored, even when verification failed
    min_sdk: int = 0
    max_sdk: int = INT_MAX
    digests: list[tuple[int, bytes]] = field(default_factory=list)
    lineage: list[_LineageNode] | None = None
    rotation_min_sdk: int | None = None
    verified_digest_algs: set[str] = field(default_factory=set)


@dataclass
class _BlockResult:
    scheme: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signers: list[_BlockSigner] = field(default_factory=list)
    verified: bool = False
    lineage: list[_LineageNode] | None = None

    def all_errors(self) -> list[str]:
        out = list(self.errors)
        for signer in self.signers:
            out.extend(signer.errors)
        return out


def _pick_signatures(
    supported: list[tuple[_SigAlg, bytes]], min_sdk: int, max_sdk: int
) -> tuple[list[tuple[_SigAlg, bytes]], str | None]:
    """apksig's getSignaturesToVerify: the strongest algorithm per platform version it appears on.

    APK-verity algorithms are left out when the signer offers a regular one: their digest needs a
    Merkle tree over the whole file and adds nothing a reviewer needs.
    """
    regular = [s for s in supported if not s[0].content_digest.startswith("VERITY")]
    if regular:
        supported = regular
    best: dict[int, tuple[_SigAlg, bytes]] = {}
    min_provided = INT_MAX
    for alg, sig in supported:
        if alg.min_sdk > max_sdk:
            continue
        min_provided = min(min_provided, alg.min_sdk)
        candidate = best.get(alg.min_sdk)
        if candidate is None or _DIGEST_STRENGTH[alg.content_digest] > _DIGEST_STRENGTH[candidate[0].content_digest]:
            best[alg.min_sdk] = (alg, sig)
    if min_sdk < min_provided and min_sdk < 10000:
        return [], "no supported signature algorithm for all platform versions of the range"
    if not best:
        return [], "no supported signature algorithm"
    return sorted(best.values(), key=lambda s: s[0].id), None


def _parse_block_signers(
    scheme: str,
    block: memoryview,
    supported_scheme_ids: set[int],
    found_scheme_ids: set[int],
    min_sdk: int,
    max_sdk: int,
) -> _BlockResult:
    result = _BlockResult(scheme)
    try:
        signers = _Reader(_Reader(block).prefixed())
    except _Malformed:
        result.errors.append(f"{scheme}: malformed list of signers")
        return result
    if not signers.remaining():
        result.errors.append(f"{scheme}: no signers")
        return result
    index = 0
    while signers.remaining():
        signer = _BlockSigner(index)
        index += 1
        result.signers.append(signer)
        try:
            raw = signers.prefixed()
        except _Malformed:
            signer.errors.append(f"{scheme} signer #{signer.index + 1}: malformed signer block")
            return result
        try:
            _parse_block_signer(scheme, raw, signer, supported_scheme_ids, found_scheme_ids, min_sdk, max_sdk)
        except (_Malformed, struct.error):
            signer.errors.append(f"{scheme} signer #{signer.index + 1}: malformed signer block")
            return result
    return result


def _claimed_certificate(signed_data: memoryview) -> bytes | None:
    """The first certificate in a signer's signed data, read without verifying anything."""
    try:
        reader = _Reader(signed_data)
        reader.prefixed()
        certs = _Reader(reader.prefixed())
        if certs.remaining():
            return bytes(certs.prefixed())
    except _Malformed:
        pass
    return None


def _parse_block_signer(
    scheme: str,
    raw: memoryview,
    out: _BlockSigner,
    supported_scheme_ids: set[int],
    found_scheme_ids: set[int],
    platform_min: int,
    platform_max: int,
) -> None:
    label = f"{scheme} signer #{out.index + 1}"
    is_v3 = scheme != "v2"
    reader = _Reader(raw)
    signed_data = reader.prefixed()
    out.claimed_cert = _claimed_certificate(signed_data)
    if is_v3:
        out.min_sdk = reader.i32()
        out.max_sdk = reader.i32()
        if out.min_sdk < 0 or out.min_sdk > out.max_sdk:
            out.errors.append(f"{label}: invalid SDK versions: min {out.min_sdk}, max {out.max_sdk}")
    signatures = _Reader(reader.prefixed())
    public_key = bytes(reader.prefixed())

    sig_alg_ids: list[int] = []
    supported: list[tuple[_SigAlg, bytes]] = []
    count = 0
    while signatures.remaining():
        count += 1
        try:
            record = _Reader(signatures.prefixed())
            alg_id = record.u32()
            sig = bytes(record.prefixed())
        except _Malformed:
            out.errors.append(f"{label}: malformed signature record #{count}")
            return
        sig_alg_ids.append(alg_id)
        alg = _SIG_ALGS.get(alg_id)
        if alg is None:
            out.warnings.append(f"{label}: unknown signature algorithm 0x{alg_id:x}")
            continue
        supported.append((alg, sig))
    if not sig_alg_ids:
        out.errors.append(f"{label}: no signatures")
        return

    if is_v3:
        to_verify, problem = _pick_signatures(supported, out.min_sdk, out.max_sdk)
    else:
        to_verify, problem = _pick_signatures(supported, platform_min, platform_max)
    if problem:
        out.errors.append(f"{label}: {problem}")
        return
    for alg, sig in to_verify:
        try:
            key = _load_public_key(public_key, alg.key)
            ok = _verify_raw(key, alg.key, alg.hash, alg.pss, signed_data, sig)
        except _KeyError as exc:
            out.errors.append(f"{label}: {alg.name}: {exc}")
            return
        if not ok:
            out.errors.append(f"{label}: {alg.name} signature does not verify")
            return
        out.verified_digest_algs.add(alg.content_digest)

    data = _Reader(signed_data)
    digests = _Reader(data.prefixed())
    certificates = _Reader(data.prefixed())
    if is_v3:
        signed_min = data.i32()
        if signed_min != out.min_sdk:
            out.errors.append(
                f"{label}: min SDK mismatch between signed data and signer record: {out.min_sdk} vs {signed_min}"
            )
        signed_max = data.i32()
        if signed_max != out.max_sdk:
            out.errors.append(
                f"{label}: max SDK mismatch between signed data and signer record: {out.max_sdk} vs {signed_max}"
            )
    attributes = _Reader(data.prefixed())

    cert_index = 0
    while certificates.remaining():
        cert_index += 1
        encoded = bytes(certificates.prefixed())
        try:
            out.certs.append(_load_cert(encoded))
        except ValueError as exc:
            out.errors.append(f"{label}: malformed certificate #{cert_index}: {exc}")
            return
    if not out.certs:
        out.errors.append(f"{label}: no certificates")
        return
    if out.certs[0].spki != public_key:
        out.errors.append(f"{label}: public key does not match the first certificate's public key")
        return

    count = 0
    while digests.remaining():
        count += 1
        try:
            record = _Reader(digests.prefixed())
            alg_id = record.u32()
            out.digests.append((alg_id, bytes(record.prefixed())))
        except _Malformed:
            out.errors.append(f"{label}: malformed digest record #{count}")
            return
    digest_alg_ids = [alg_id for alg_id, _ in out.digests]
    if sig_alg_ids != digest_alg_ids:
        out.errors.append(
            f"{label}: signature algorithms mismatch between signatures and digests records: "
            f"{_ids(sig_alg_ids)} vs {_ids(digest_alg_ids)}"
        )
        return

    expected_schemes: set[int] = set()
    count = 0
    while attributes.remaining():
        count += 1
        try:
            attribute = _Reader(attributes.prefixed())
            attr_id = attribute.u32()
            value = attribute.rest()
            if not is_v3 and attr_id == STRIPPING_PROTECTION_ATTR_ID:
                scheme_id = _Reader(value).u32()
                if scheme_id in supported_scheme_ids:
                    expected_schemes.add(scheme_id)
                else:
                    out.warnings.append(f"{label}: references unknown APK signature scheme id {scheme_id}")
            elif is_v3 and attr_id == PROOF_OF_ROTATION_ATTR_ID:
                _read_lineage_attribute(label, bytes(value), out)
            elif is_v3 and attr_id == ROTATION_MIN_SDK_ATTR_ID:
                out.rotation_min_sdk = _Reader(value).i32()
            elif is_v3 and attr_id == ROTATION_ON_DEV_RELEASE_ATTR_ID:
                pass
            else:
                out.warnings.append(f"{label}: unknown additional attribute 0x{attr_id:x}")
        except _Malformed:
            out.errors.append(f"{label}: malformed additional attribute #{count}")
            return
    for scheme_id in sorted(expected_schemes):
        if scheme_id not in found_scheme_ids:
            out.errors.append(
                f"{label}: v{scheme_id} signature was stripped (the v2 signer says the APK is signed with "
                f"{SCHEME_NAMES.get(scheme_id, scheme_id)}, which is missing)"
            )


def _ids(ids: list[int]) -> str:
    return "[" + ", ".join(f"0x{i:x}" for i in ids) + "]"


def _read_lineage_attribute(label: str, value: bytes, out: _BlockSigner) -> None:
    """Proof-of-rotation (SigningCertificateLineage) attribute of a v3 signer."""
    try:
        nodes = _parse_lineage(value)
    except _LineageForgery as exc:
        out.errors.append(f"{label}: proof-of-rotation lineage does not verify ({exc})")
        return
    except _LineageMismatch as exc:
        out.errors.append(f"{label}: {exc}")
        return
    except Exception as exc:
        out.errors.append(f"{label}: malformed proof-of-rotation lineage ({exc.__class__.__name__})")
        return
    out.lineage = nodes
    signer_der = out.certs[0].der
    position = next((i for i, node in enumerate(nodes) if node.cert.der == signer_der), None)
    if position is None or position != len(nodes) - 1:
        out.errors.append(f"{label}: signing certificate differs from the newest certificate of its lineage")


class _LineageForgery(Exception):
    pass


class _LineageMismatch(Exception):
    pass


def _parse_lineage(value: bytes) -> list[_LineageNode]:
    reader = _Reader(memoryview(value))
    if not reader.remaining():
        raise _Malformed("empty lineage")
    version = reader.u32()
    if version != 1:
        raise _LineageMismatch(f"unknown proof-of-rotation lineage version {version}")
    nodes: list[_LineageNode] = []
    last_cert: _Cert | None = None
    last_alg = 0
    seen: set[bytes] = set()
    while reader.remaining():
        node = _Reader(reader.prefixed())
        signed = node.prefixed()
        flags = node.u32()
        sig_alg_id = node.u32()
        signature = bytes(node.prefixed())
        if last_cert is not None:
            alg = _SIG_ALGS.get(last_alg)
            if alg is None:
                raise _Malformed("unknown lineage signature algorithm")
            try:
                key = _load_public_key(last_cert.spki, alg.key)
                ok = _verify_raw(key, alg.key, alg.hash, alg.pss, signed, signature)
            except _KeyError as exc:
                raise _LineageForgery(str(exc)) from None
            if not ok:
                raise _LineageForgery(f"signature of certificate #{len(nodes) + 1} does not verify")
        signed_reader = _Reader(signed)
        encoded = bytes(signed_reader.prefixed())
        signed_alg = signed_reader.u32()
        if last_cert is not None and signed_alg != last_alg:
            raise _LineageForgery(f"signing algorithm mismatch for certificate #{len(nodes) + 1}")
        try:
            cert = _load_cert(encoded)
        except ValueError:
            raise _LineageForgery(f"cannot decode certificate #{len(nodes) + 1}") from None
        if cert.der in seen:
            raise _LineageForgery("duplicate certificate in lineage")
        seen.add(cert.der)
        nodes.append(_LineageNode(cert, signed_alg, sig_alg_id, signature, flags))
        last_cert, last_alg = cert, sig_alg_id
    if not nodes:
        raise _Malformed("empty lineage")
    return nodes


def _verify_integrity(result: _BlockResult, digester: _ContentDigests) -> None:
    """Check every signer's content digests for the algorithms whose signatures were verified."""
    wanted: set[str] = set()
    for signer in result.signers:
        wanted |= signer.verified_digest_algs
    if not wanted:
        result.errors.append(f"{result.scheme}: no content digests to verify")
        return
    for signer in result.signers:
        for alg_id, expected in signer.digests:
            alg = _SIG_ALGS.get(alg_id)
            if alg is None or alg.content_digest not in wanted:
                continue
            actual = digester.get(alg.content_digest)
            if actual is None:
                if not signer.verified_digest_algs - {alg.content_digest}:
                    signer.errors.append(
                        f"{result.scheme} signer #{signer.index + 1}: {alg.content_digest} digest cannot be checked"
                    )
                continue
            if actual != expected:
                signer.errors.append(
                    f"{result.scheme} signer #{signer.index + 1}: {alg.content_digest} digest mismatch "
                    f"(APK contents were modified after signing)"
                )


def _verify_v2(
    block: memoryview,
    digester: _ContentDigests,
    supported_ids: set[int],
    found_ids: set[int],
    min_sdk: int,
    max_sdk: int,
) -> _BlockResult:
    result = _parse_block_signers("v2", block, supported_ids, found_ids, min_sdk, max_sdk)
    if result.all_errors():
        return result
    _verify_integrity(result, digester)
    result.verified = not result.all_errors()
    return result


def _verify_v3(
    scheme: str,
    block: memoryview,
    digester: _ContentDigests,
    min_sdk: int,
    max_sdk: int,
    require_from_min: bool = True,
) -> _BlockResult:
    """v3 or v3.1 block; signers must cover [min_sdk, max_sdk] without gaps or overlaps."""
    result = _parse_block_signers(scheme, block, set(), set(), min_sdk, max_sdk)
    if result.all_errors():
        return result
    _verify_integrity(result, digester)
    first_min = last_max = 0
    last_lineage = 0
    lineages: list[list[_LineageNode]] = []
    by_min: dict[int, _BlockSigner] = {}
    for signer in result.signers:
        by_min[signer.min_sdk] = signer
    for key in sorted(by_min):
        signer = by_min[key]
        if first_min == 0:
            first_min = signer.min_sdk
        elif signer.min_sdk != last_max + 1:
            result.errors.append(f"{scheme}: signers' SDK version ranges are not continuous")
            break
        last_max = signer.max_sdk
        if signer.lineage is not None:
            if len(signer.lineage) < last_lineage:
                result.errors.append(f"{scheme}: signers' lineages are inconsistent")
                break
            last_lineage = len(signer.lineage)
            lineages.append(signer.lineage)
    if (require_from_min and first_min > min_sdk) or last_max < max_sdk:
        result.errors.append(
            f"{scheme}: signers do not cover SDK versions {min_sdk}-{_sdk_text(max_sdk)} "
            f"(they cover {first_min}-{_sdk_text(last_max)})"
        )
    if lineages:
        largest = max(lineages, key=len)
        for lineage in lineages:
            if [n.key() for n in lineage] != [n.key() for n in largest[: len(lineage)]]:
                result.errors.append(f"{scheme}: signers' lineages are inconsistent")
                break
        result.lineage = largest
    result.verified = not result.all_errors()
    return result


def _sdk_text(sdk: int) -> str:
    return "max" if sdk >= INT_MAX else str(sdk)


# ---------------------------------------------------------------------------------------------
# JAR manifests (port of apksig's ManifestParser: raw section offsets are needed for digests)
# ---------------------------------------------------------------------------------------------


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
        sections = []
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


# ---------------------------------------------------------------------------------------------
# JAR signature (v1)
# ---------------------------------------------------------------------------------------------

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"

_DIGEST_OIDS = {
    "1.2.840.113549.2.5": "MD5",
    "1.3.14.3.2.26": "SHA-1",
    "2.16.840.1.101.3.4.2.4": "SHA-224",
    "2.16.840.1.101.3.4.2.1": "SHA-256",
    "2.16.840.1.101.3.4.2.2": "SHA-384",
    "2.16.840.1.101.3.4.2.3": "SHA-512",
}
_HASHLIB = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-224": "sha224",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
_SIG_OIDS = {  # oid -> (key type, hash forced by the OID or None, friendly name)
    "1.2.840.113549.1.1.1": ("RSA", None, "RSA"),
    "1.2.840.113549.1.1.4": ("RSA", "MD5", "MD5 with RSA"),
    "1.2.840.113549.1.1.5": ("RSA", "SHA-1", "SHA-1 with RSA"),
    "1.2.840.113549.1.1.14": ("RSA", "SHA-224", "SHA-224 with RSA"),
    "1.2.840.113549.1.1.11": ("RSA", "SHA-256", "SHA-256 with RSA"),
    "1.2.840.113549.1.1.12": ("RSA", "SHA-384", "SHA-384 with RSA"),
    "1.2.840.113549.1.1.13": ("RSA", "SHA-512", "SHA-512 with RSA"),
    "1.2.840.10040.4.1": ("DSA", None, "DSA"),
    "1.2.840.10040.4.3": ("DSA", "SHA-1", "SHA-1 with DSA"),
    "2.16.840.1.101.3.4.3.1": ("DSA", "SHA-224", "SHA-224 with DSA"),
    "2.16.840.1.101.3.4.3.2": ("DSA", "SHA-256", "SHA-256 with DSA"),
    "2.16.840.1.101.3.4.3.3": ("DSA", "SHA-384", "SHA-384 with DSA"),
    "2.16.840.1.101.3.4.3.4": ("DSA", "SHA-512", "SHA-512 with DSA"),
    "1.2.840.10045.2.1": ("EC", None, "ECDSA"),
    "1.2.840.10045.4.1": ("EC", "SHA-1", "SHA-1 with ECDSA"),
    "1.2.840.10045.4.3.1": ("EC", "SHA-224", "SHA-224 with ECDSA"),
    "1.2.840.10045.4.3.2": ("EC", "SHA-256", "SHA-256 with ECDSA"),
    "1.2.840.10045.4.3.3": ("EC", "SHA-384", "SHA-384 with ECDSA"),
    "1.2.840.10045.4.3.4": ("EC", "SHA-512", "SHA-512 with ECDSA"),
}
# The hash a signature OID implies when the OID names one (apksig's OID_TO_JCA_SIGNATURE_ALG); SHA-384 and
# SHA-512 with DSA are not in that table, so they fall back to the digest algorithm.
_JCA_FORCED_HASH = {
    oid: spec[1]
    for oid, spec in _SIG_OIDS.items()
    if spec[1] and oid not in ("2.16.840.1.101.3.4.3.3", "2.16.840.1.101.3.4.3.4")
}


def _build_sig_alg_support() -> dict[tuple[str, str], list[tuple[int, int]]]:
    """API levels on which Android verifies each (digest, signature) OID pair of a JAR signature.

    Same table as apksig's OidConstants: Android 5.0-6.0 (API 21-23) accepted nearly any pairing, other
    versions only the pairs listed with wider ranges.
    """
    md5, sha1, sha224, sha256, sha384, sha512 = (
        "1.2.840.113549.2.5",
        "1.3.14.3.2.26",
        "2.16.840.1.101.3.4.2.4",
        "2.16.840.1.101.3.4.2.1",
        "2.16.840.1.101.3.4.2.2",
        "2.16.840.1.101.3.4.2.3",
    )
    rsa_, md5_rsa, sha1_rsa, sha224_rsa, sha256_rsa, sha384_rsa, sha512_rsa = (
        "1.2.840.113549.1.1.1",
        "1.2.840.113549.1.1.4",
        "1.2.840.113549.1.1.5",
        "1.2.840.113549.1.1.14",
        "1.2.840.113549.1.1.11",
        "1.2.840.113549.1.1.12",
        "1.2.840.113549.1.1.13",
    )
    dsa_, sha1_dsa, sha224_dsa, sha256_dsa = (
        "1.2.840.10040.4.1",
        "1.2.840.10040.4.3",
        "2.16.840.1.101.3.4.3.1",
        "2.16.840.1.101.3.4.3.2",
    )
    ec_, sha1_ec, sha224_ec, sha256_ec, sha384_ec, sha512_ec = (
        "1.2.840.10045.2.1",
        "1.2.840.10045.4.1",
        "1.2.840.10045.4.3.1",
        "1.2.840.10045.4.3.2",
        "1.2.840.10045.4.3.3",
        "1.2.840.10045.4.3.4",
    )
    always = [(0, INT_MAX)]
    lollipop_to_m = [(21, 23)]
    table: dict[tuple[str, str], list[tuple[int, int]]] = {}
    # Signature OIDs that name their own digest: accepted on 5.0-6.0 whatever the digest OID says.
    for digest in (md5, sha1, sha224, sha256, sha384, sha512):
        for signature in (
            md5_rsa,
            sha1_rsa,
            sha224_rsa,
            sha256_rsa,
            sha384_rsa,
            sha512_rsa,
            sha1_ec,
            sha224_ec,
            sha256_ec,
            sha384_ec,
            sha512_ec,
        ):
            table[(digest, signature)] = lollipop_to_m
        for signature in (sha1_dsa, sha224_dsa, sha256_dsa):
            table[(digest, signature)] = lollipop_to_m
    exceptions = {
        (md5, rsa_): always,
        (md5, md5_rsa): [(0, 8), (21, INT_MAX)],
        (sha1, rsa_): always,
        (sha1, sha1_rsa): always,
        (sha224, rsa_): [(0, 8), (21, INT_MAX)],
        (sha224, sha224_rsa): [(0, 8), (21, INT_MAX)],
        (sha224, sha256_rsa): [(21, 21)],
        (sha256, rsa_): [(0, 8), (18, INT_MAX)],
        (sha256, sha1_rsa): [(21, 21)],
        (sha256, sha256_rsa): [(0, 8), (18, INT_MAX)],
        (sha384, rsa_): [(18, INT_MAX)],
        (sha384, sha384_rsa): [(21, INT_MAX)],
        (sha512, rsa_): [(18, INT_MAX)],
        (sha512, sha384_rsa): [(21, 21)],
        (sha512, sha512_rsa): [(21, INT_MAX)],
        (sha1, dsa_): always,
        (sha1, sha1_dsa): [(9, INT_MAX)],
        (sha224, dsa_): [(22, INT_MAX)],
        (sha224, sha224_dsa): [(21, INT_MAX)],
        (sha256, dsa_): [(22, INT_MAX)],
        (sha256, sha256_dsa): [(21, INT_MAX)],
        (sha1, ec_): [(18, INT_MAX)],
        (sha224, ec_): [(21, INT_MAX)],
        (sha256, ec_): [(18, INT_MAX)],
        (sha384, ec_): [(18, INT_MAX)],
        (sha512, ec_): [(18, INT_MAX)],
        (sha1, sha1_ec): [(18, INT_MAX)],
        (sha224, sha224_ec): [(21, INT_MAX)],
        (sha256, sha256_ec): [(21, INT_MAX)],
        (sha384, sha384_ec): [(21, INT_MAX)],
        (sha512, sha512_ec): [(21, INT_MAX)],
    }
    table.update(exceptions)
    return table


_JAR_SIG_ALG_SUPPORT = _build_sig_alg_support()


def _unsupported_levels(supported: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """Parts of [lo, hi] not covered by the supported ranges."""
    missing = []
    current = lo
    for start, end in sorted(supported):
        if end < current:
            continue
        if start > hi:
            break
        if start > current:
            missing.append((current, min(start - 1, hi)))
        current = max(current, end + 1)
        if current > hi:
            break
    if current <= hi:
        missing.append((current, hi))
    return missing


def _levels_text(ranges: list[tuple[int, int]]) -> str:
    parts = []
    for lo, hi in ranges:
        if lo == hi:
            parts.append(str(lo))
        elif hi >= INT_MAX:
            parts.append(f"{lo}+")
        else:
            parts.append(f"{lo}-{hi}")
    return ", ".join(parts)


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


@dataclass
class _JarSigner:
    name: str  # e.g. "CERT.RSA"
    block_name: str
    sf_name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored: bool = False
    cert: _Cert | None = None
    sf_bytes: bytes = b""
    sf_entry_names: set[str] = field(default_factory=set)


@dataclass
class _V1Result:
    present: bool = False
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signers: list[_JarSigner] = field(default_factory=list)

    def all_errors(self) -> list[str]:
        out = list(self.errors)
        for signer in self.signers:
            out.extend(signer.errors)
        return out


def _read_entry(zf: SafeZip, name: str) -> bytes:
    return zf.read(name)


def _load_signed_data(block: bytes):
    """asn1crypto SignedData of a JAR signature block; raises ValueError with a reason."""
    try:
        info = cms.ContentInfo.load(block)
        content_type = info["content_type"].dotted
        if content_type != OID_SIGNED_DATA:
            raise ValueError(f"unsupported ContentInfo content type {content_type}")
        signed = info["content"]
        for signer_info in signed["signer_infos"]:
            signer_info["sid"].chosen  # noqa: B018 - parse now, so that malformed input fails here
        return signed
    except ValueError as exc:
        raise ValueError(str(exc).splitlines()[0] if str(exc) else "malformed PKCS #7") from None
    except Exception as exc:
        raise ValueError(f"malformed PKCS #7 ({exc.__class__.__name__})") from None


def _signed_data_certs(signed) -> list[_Cert]:
    certs = []
    certificates = signed["certificates"]
    if certificates.__class__.__name__ == "Void" or certificates is None:
        return certs
    for choice in certificates:
        if choice.name != "certificate":
            raise ValueError("unsupported certificate type in SignedData")
        certs.append(_load_cert(choice.chosen.dump()))
    return certs


def _find_cert(certs: list[_Cert], sid) -> _Cert | None:
    if sid.name != "issuer_and_serial_number":
        return None  # Android identifies the signing certificate by issuer and serial number only
    issuer = sid.chosen["issuer"]
    serial = int(sid.chosen["serial_number"].native)
    issuer_der = issuer.dump(force=True)
    for cert in certs:
        if cert.serial != serial:
            continue
        if cert.issuer_der == issuer_der:
            return cert
        try:
            if asn1_x509.Name.load(cert.issuer_der) == asn1_x509.Name.load(issuer_der):
                return cert
        except Exception:
            continue
    return None


class _SignerInfoFatal(Exception):
    """Stops verification of the whole JAR signer (apksig reports and returns)."""


def _parse_signed_attrs(raw: bytes) -> dict[str, list[tuple[int, bytes]]]:
    """Signed attributes as OID -> [(value tag, value content)], rejecting duplicates."""
    data = b"\x31" + raw[1:]
    _tag, start, end = _tlv(data, 0, len(data))
    attrs: dict[str, list[tuple[int, bytes]]] = {}
    for atag, astart, aend, _ in _children(data, start, end):
        if atag != 0x30:
            raise _DerError("attribute is not a SEQUENCE")
        parts = _children(data, astart, aend)
        if len(parts) != 2 or parts[0][0] != 0x06 or parts[1][0] != 0x31:
            raise _DerError("malformed attribute")
        oid = _decode_oid(data[parts[0][1] : parts[0][2]])
        if oid in attrs:
            raise _SignerInfoFatal(f"duplicate signed attribute {oid}")
        attrs[oid] = [(vtag, data[vs:ve]) for vtag, vs, ve, _ in _children(data, parts[1][1], parts[1][2])]
    return attrs


def _single_value(attrs: dict[str, list[tuple[int, bytes]]], oid: str) -> tuple[int, bytes] | None:
    values = attrs.get(oid)
    if not values:
        return None
    if len(values) > 1:
        raise _SignerInfoFatal(f"attribute {oid} has multiple values")
    return values[0]


def _verify_signer_info(
    signer: _JarSigner, signed, certs: list[_Cert], signer_info, min_sdk: int, max_sdk: int
) -> _Cert | None:
    """The signing certificate when this SignerInfo verifies over the .SF file, else None.

    Raises _SignerInfoFatal for problems that make Android reject the whole signature block.
    """
    digest_oid = signer_info["digest_algorithm"]["algorithm"].dotted
    sig_oid = signer_info["signature_algorithm"]["algorithm"].dotted
    supported = _JAR_SIG_ALG_SUPPORT.get((digest_oid, sig_oid), [])
    missing = _unsupported_levels(supported, min_sdk, max_sdk)
    if missing:
        digest_name = _DIGEST_OIDS.get(digest_oid, digest_oid)
        sig_name = _SIG_OIDS.get(sig_oid, (None, None, sig_oid))[2]
        signer.errors.append(
            f"JAR signer {signer.name}: {signer.block_name} uses digest algorithm {digest_name} and signature "
            f"algorithm {sig_name}, not supported on API level(s) {_levels_text(missing)}"
        )
        return None
    cert = _find_cert(certs, signer_info["sid"])
    if cert is None:
        raise _SignerInfoFatal("signing certificate referenced in SignerInfo not found in SignedData")
    problem = _check_signing_cert_usable(cert)
    if problem:
        raise _SignerInfoFatal(problem)
    key_type = _SIG_OIDS[sig_oid][0]
    hash_name = _JCA_FORCED_HASH.get(sig_oid) or _DIGEST_OIDS[digest_oid]
    try:
        key = _load_public_key(cert.spki, key_type)
    except _KeyError as exc:
        raise _SignerInfoFatal(str(exc)) from None

    signed_attrs = signer_info["signed_attrs"]
    if signed_attrs.__class__.__name__ != "Void" and signed_attrs.contents is not None:
        if min_sdk < SDK_KITKAT:
            raise _SignerInfoFatal(f"APKs with signed attributes are broken on API levels below {SDK_KITKAT}")
        raw = signed_attrs.dump()
        try:
            attrs = _parse_signed_attrs(raw)
            if max_sdk >= SDK_N:
                content_type = _single_value(attrs, OID_CONTENT_TYPE)
                if content_type is None:
                    raise _SignerInfoFatal("no content type in signed attributes")
                if content_type[0] != 0x06:
                    raise _SignerInfoFatal("malformed content type attribute")
                encap_type = signed["encap_content_info"]["content_type"].dotted
                if _decode_oid(content_type[1]) != encap_type:
                    return None
            message_digest = _single_value(attrs, OID_MESSAGE_DIGEST)
            if message_digest is None:
                raise _SignerInfoFatal("no content digest in signed attributes")
            if message_digest[0] != 0x04:
                raise _SignerInfoFatal("malformed message digest attribute")
        except _DerError as exc:
            raise _SignerInfoFatal(f"failed to parse signed attributes ({exc})") from None
        actual = hashlib.new(_HASHLIB[_DIGEST_OIDS[digest_oid]], signer.sf_bytes).digest()
        if message_digest[1] != actual:
            return None
        data = b"\x31" + raw[1:]
    else:
        data = signer.sf_bytes
    try:
        ok = _verify_raw(key, key_type, _HASHLIB[hash_name], False, data, signer_info["signature"].native)
    except _KeyError as exc:
        raise _SignerInfoFatal(str(exc)) from None
    return cert if ok else None


def _verify_sig_block(zf: SafeZip, signer: _JarSigner, min_sdk: int, max_sdk: int) -> None:
    block = _read_entry(zf, signer.block_name)
    signer.sf_bytes = _read_entry(zf, signer.sf_name)
    prefix = f"JAR signer {signer.name}"
    try:
        signed = _load_signed_data(block)
    except ValueError as exc:
        signer.errors.append(f"{prefix}: cannot parse {signer.block_name}: {exc}")
        return
    signer_infos = list(signed["signer_infos"])
    if not signer_infos:
        signer.errors.append(f"{prefix}: {signer.block_name} contains no signers")
        return
    to_try = signer_infos[:1] if min_sdk < SDK_N else signer_infos
    certs: list[_Cert] | None = None
    first: _Cert | None = None
    for signer_info in to_try:
        if certs is None:
            try:
                certs = _signed_data_certs(signed)
            except ValueError as exc:
                signer.errors.append(f"{prefix}: cannot parse {signer.block_name}: {exc}")
                return
        try:
            cert = _verify_signer_info(signer, signed, certs, signer_info, min_sdk, max_sdk)
        except _SignerInfoFatal as exc:
            signer.errors.append(f"{prefix}: {signer.block_name} does not verify against {signer.sf_name}: {exc}")
            return
        except Exception as exc:  # asn1crypto reports malformed structures with assorted exception types
            signer.errors.append(f"{prefix}: cannot parse {signer.block_name} ({exc.__class__.__name__})")
            return
        if signer.errors:
            return
        if cert is not None and first is None:
            first = cert
    if first is None:
        signer.errors.append(f"{prefix}: signature {signer.block_name} does not verify against {signer.sf_name}")
        return
    signer.cert = first


def _verify_sf_against_manifest(
    signer: _JarSigner,
    manifest: bytes,
    main_section: _Section | None,
    sections: dict[str, _Section],
    supported_ids: dict[int, str],
    found_ids: set[int],
    min_sdk: int,
    max_sdk: int,
) -> None:
    prefix = f"JAR signer {signer.name}"
    parser = _ManifestParser(signer.sf_bytes)
    sf_main = parser.read_section()
    if sf_main is None or sf_main.get("Signature-Version") is None:
        signer.errors.append(f"{prefix}: malformed {signer.sf_name}: missing Signature-Version attribute")
        signer.ignored = True
        return
    if max_sdk >= SDK_N:
        _check_stripped(signer, sf_main, supported_ids, found_ids)
        if signer.errors:
            return
    created_by = sf_main.get("Created-By")
    signtool = created_by is not None and "signtool" in created_by
    manifest_verified = _verify_manifest_digest(signer, sf_main, signtool, manifest, min_sdk, max_sdk)
    if not signtool and main_section is not None:
        for alg, expected in _digests_to_verify(sf_main, "-Digest-Manifest-Main-Attributes", min_sdk, max_sdk):
            actual = hashlib.new(
                _HASHLIB[alg], manifest[main_section.start : main_section.start + main_section.size]
            ).digest()
            if actual != expected:
                signer.errors.append(
                    f"{prefix}: {alg} digest of {MANIFEST_NAME} main section does not match {signer.sf_name}"
                )
    if signer.errors:
        return
    names: set[str] = set()
    for number, section in enumerate(parser.read_all(), start=1):
        name = section.name
        if name is None:
            signer.errors.append(f"{prefix}: malformed {signer.sf_name}: section #{number} has no name")
            signer.ignored = True
            return
        if name in names:
            signer.errors.append(f"{prefix}: duplicate section in {signer.sf_name}: {name}")
            signer.ignored = True
            return
        names.add(name)
        if manifest_verified:
            continue
        manifest_section = sections.get(name)
        if manifest_section is None:
            signer.errors.append(f"{prefix}: no digest for {name} in {signer.sf_name}")
            signer.ignored = True
            continue
        expected_digests = _digests_to_verify(section, "-Digest", min_sdk, max_sdk)
        if not expected_digests:
            signer.errors.append(f"{prefix}: no digest for {name} in {signer.sf_name}")
            continue
        start, size = manifest_section.start, manifest_section.size
        if (
            signtool
            and size >= 2
            and manifest[start + size - 1 : start + size] == b"\n"
            and manifest[start + size - 2 : start + size - 1] == b"\n"
        ):
            size -= 1
        for alg, expected in expected_digests:
            actual = hashlib.new(_HASHLIB[alg], manifest[start : start + size]).digest()
            if actual != expected:
                signer.errors.append(
                    f"{prefix}: {alg} digest of {MANIFEST_NAME} section for {name} does not match {signer.sf_name}"
                )
    signer.sf_entry_names = names


def _verify_manifest_digest(
    signer: _JarSigner, sf_main: _Section, signtool: bool, manifest: bytes, min_sdk: int, max_sdk: int
) -> bool:
    expected = _digests_to_verify(sf_main, "-Digest" if signtool else "-Digest-Manifest", min_sdk, max_sdk)
    if not expected:
        signer.warnings.append(f"{signer.sf_name} does not specify the digest of {MANIFEST_NAME}")
        return False
    verified = True
    for alg, digest in expected:
        if hashlib.new(_HASHLIB[alg], manifest).digest() != digest:
            signer.warnings.append(f"{alg} digest of {MANIFEST_NAME} does not match {signer.sf_name}")
            verified = False
    return verified


def _check_stripped(signer: _JarSigner, sf_main: _Section, supported_ids: dict[int, str], found_ids: set[int]) -> None:
    value = sf_main.get("X-Android-APK-Signed")
    if value is None:
        if found_ids:
            signer.warnings.append(
                f"{signer.sf_name} has no protection against stripping of the APK Signature Scheme signatures"
            )
        return
    if not supported_ids:
        return
    expected: set[int] = set()
    for token in value.split(","):
        token = token.strip()
        if not token:
            continue
        try:
            scheme_id = int(token)
        except ValueError:
            continue
        if scheme_id in supported_ids:
            expected.add(scheme_id)
        else:
            signer.warnings.append(f"{signer.sf_name} references unknown APK signature scheme id {scheme_id}")
    for scheme_id in sorted(expected):
        if scheme_id not in found_ids:
            signer.errors.append(
                f"JAR signer {signer.name}: v{scheme_id} signature was stripped ({signer.sf_name} says the APK "
                f"is signed with {supported_ids[scheme_id]}, which is missing)"
            )


def _jar_files(zf: SafeZip) -> tuple[str | None, dict[str, str], list[str]]:
    manifest = None
    sf_files: dict[str, str] = {}
    blocks: list[str] = []
    for name in zf.entries:
        if not name.startswith("META-INF/"):
            continue
        if manifest is None and name == MANIFEST_NAME:
            manifest = name
            continue
        if name.endswith(".SF"):
            sf_files[name] = name
        elif name.endswith((".RSA", ".DSA", ".EC")):
            blocks.append(name)
    return manifest, sf_files, blocks


def _v1_present(zf: SafeZip) -> bool:
    _, sf_files, blocks = _jar_files(zf)
    return bool(sf_files or blocks)


def _verify_v1(
    zf: SafeZip, supported_ids: dict[int, str], found_ids: set[int], min_sdk: int, max_sdk: int
) -> _V1Result:
    result = _V1Result(present=_v1_present(zf))
    if zf.duplicates:
        for name in sorted(set(zf.duplicates)):
            result.errors.append(f"duplicate zip entry {name}")
        return result
    manifest_name, sf_files, blocks = _jar_files(zf)
    if manifest_name is None:
        result.errors.append(f"missing {MANIFEST_NAME}")
        return result
    try:
        manifest = _read_entry(zf, manifest_name)
    except ZipFormatError as exc:
        result.errors.append(f"cannot read {MANIFEST_NAME}: {exc}")
        return result
    parser = _ManifestParser(manifest)
    main_section = parser.read_section()
    sections: dict[str, _Section] = {}
    for number, section in enumerate(parser.read_all(), start=1):
        name = section.name
        if name is None:
            result.errors.append(f"malformed {MANIFEST_NAME}: section #{number} has no name")
            continue
        if name in sections:
            result.errors.append(f"duplicate section in {MANIFEST_NAME}: {name}")
            continue
        sections[name] = section
        if name not in zf.entries:
            result.errors.append(f"{name} entry referenced by {MANIFEST_NAME} not found in the APK")
    if result.errors:
        return result

    signers: list[_JarSigner] = []
    for block_name in blocks:
        sf_name = block_name[: block_name.rindex(".")] + ".SF"
        if sf_name not in sf_files:
            result.warnings.append(f"partial JAR signature: found {block_name}, missing {sf_name}")
            continue
        signers.append(_JarSigner(block_name[len("META-INF/") :], block_name, sf_name))
    if not signers:
        result.errors.append("no JAR signatures")
        return result

    for signer in signers:
        try:
            _verify_sig_block(zf, signer, min_sdk, max_sdk)
        except ZipFormatError as exc:
            signer.errors.append(f"JAR signer {signer.name}: cannot read its files: {exc}")
        if signer.errors:
            result.signers.append(signer)
    if result.all_errors():
        return result

    remaining: list[_JarSigner] = []
    ignored: list[_JarSigner] = []
    for signer in signers:
        _verify_sf_against_manifest(
            signer, manifest, main_section, sections, supported_ids, found_ids, min_sdk, max_sdk
        )
        if signer.ignored:
            ignored.append(signer)
        elif signer.errors:
            result.signers.append(signer)
        else:
            remaining.append(signer)
    if result.all_errors():
        return result
    if not remaining:
        result.errors.append("no JAR signatures")
        for signer in ignored:
            result.errors.extend(signer.errors)
        return result

    apk_signers = _verify_jar_entries(zf, sections, remaining, min_sdk, max_sdk, result)
    if result.all_errors():
        return result
    protected = {manifest_name}
    for signer in apk_signers:
        protected.update((signer.block_name, signer.sf_name))
    for name in zf.entries:
        if name.startswith("META-INF/") and not name.endswith("/") and name not in protected:
            result.warnings.append(f"{name} not protected by the JAR signature")
    result.signers = [s for s in remaining if s in apk_signers]
    for signer in remaining + ignored:
        result.warnings.extend(signer.warnings)
    result.verified = True
    return result


def _verify_jar_entries(
    zf: SafeZip,
    sections: dict[str, _Section],
    signers: list[_JarSigner],
    min_sdk: int,
    max_sdk: int,
    result: _V1Result,
) -> list[_JarSigner]:
    first_signers: list[_JarSigner] | None = None
    first_name = ""
    data = memoryview(zf.data)
    ordered = sorted(zf.entries.values(), key=lambda e: e.local_header_offset)
    for info in ordered:
        name = info.name
        if name.startswith("META-INF/") or name.endswith("/"):
            continue
        section = sections.get(name)
        if section is None:
            result.errors.append(f"no digest for {name} in {MANIFEST_NAME} (entry not signed)")
            continue
        entry_signers = [s for s in signers if name in s.sf_entry_names]
        if not entry_signers:
            result.errors.append(f"{name} entry not signed")
            continue
        if first_signers is None:
            first_signers, first_name = entry_signers, name
        elif entry_signers != first_signers:
            result.errors.append(f"entries {first_name} and {name} are signed with different sets of signers")
            continue
        expected = _digests_to_verify(section, "-Digest", min_sdk, max_sdk)
        if not expected:
            result.errors.append(f"no digest for {name} in {MANIFEST_NAME}")
            continue
        hashers = [hashlib.new(_HASHLIB[alg]) for alg, _ in expected]
        try:
            if info.method == 0:
                entry, start = zf.data_span(name)
                chunk = data[start : start + entry.compressed_size]
                for h in hashers:
                    h.update(chunk)
            else:
                for chunk in zf.iter_chunks(name):
                    for h in hashers:
                        h.update(chunk)
        except ZipFormatError as exc:
            result.errors.append(f"cannot read {name}: {exc}")
            continue
        for (alg, digest), h in zip(expected, hashers, strict=True):
            if h.digest() != digest:
                result.errors.append(f"{alg} digest of {name} does not match {MANIFEST_NAME}")
    if first_signers is None:
        result.errors.append("no JAR entries covered by JAR signatures")
        return []
    return first_signers


def _v1_claimed_certs(zf: SafeZip) -> list[tuple[str, bytes]]:
    """Certificates named by each META-INF signature block, read without verifying anything."""
    out: list[tuple[str, bytes]] = []
    _, _, blocks = _jar_files(zf)
    for block_name in blocks:
        try:
            signed = _load_signed_data(zf.read(block_name))
            certs = _signed_data_certs(signed)
        except (ValueError, ZipFormatError):
            continue
        chosen: list[_Cert] = []
        try:
            for signer_info in signed["signer_infos"]:
                cert = _find_cert(certs, signer_info["sid"])
                if cert is not None and cert not in chosen:
                    chosen.append(cert)
        except Exception:
            pass
        for cert in chosen or certs:
            out.append((block_name, cert.der))
    return out


# ---------------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------------


def _supported_scheme_names(max_sdk: int) -> dict[int, str]:
    if max_sdk >= SDK_P:
        return dict(SCHEME_NAMES)
    if max_sdk >= SDK_N:
        return {2: SCHEME_NAMES[2]}
    return {}


def _signer_certs(result: _BlockResult | None) -> list[bytes]:
    if result is None:
        return []
    out = []
    for signer in result.signers:
        if signer.certs:
            out.append(signer.certs[0].der)
        elif signer.claimed_cert is not None:
            out.append(signer.claimed_cert)
    return out


def _subject_of(der: bytes) -> str:
    return signer_from_der(der, ()).subject


def verify_signatures(
    zf: SafeZip,
    min_sdk: int,
    max_sdk: int | None = None,
    *,
    target_sdk: int | None = None,
    target_sandbox_version: int | None = None,
) -> SigningReport:
    """Verify the APK's signatures the way Android does for platform versions [min_sdk, max_sdk].

    `target_sdk` and `target_sandbox_version` (from AndroidManifest.xml) enable two more of apksigner's
    checks: apps targeting Android 11+ and apps with targetSandboxVersion > 1 must be signed with v2 or
    newer. When they are not given those checks are skipped.
    """
    platform_max = INT_MAX if max_sdk is None else max_sdk
    min_sdk = max(0, int(min_sdk))
    warnings: list[str] = []
    errors: list[str] = []  # failures outside any single scheme
    if min_sdk > platform_max:
        warnings.append(f"invalid SDK range: min SDK {min_sdk} is above max SDK {platform_max}")
        platform_max = min_sdk

    block, block_problem = _find_signing_block(zf)
    schemes: dict[str, SchemeResult] = {}
    pairs: dict[int, memoryview | None] = {}
    pair_problems: dict[int, str | None] = {}
    if block is not None:
        for block_id in (V2_BLOCK_ID, V3_BLOCK_ID, V31_BLOCK_ID):
            pairs[block_id], pair_problems[block_id] = _find_scheme_block(block, block_id)
        ids = _block_ids(block)
        for block_id in (V2_BLOCK_ID, V3_BLOCK_ID):
            if ids.count(block_id) > 1:
                warnings.append(
                    f"APK Signing Block holds {ids.count(block_id)} {'v2' if block_id == V2_BLOCK_ID else 'v3'} "
                    "signature blocks: Android reads only the first"
                )
    elif block_problem:
        warnings.append(f"APK Signing Block ignored by Android: {block_problem}")
    digester = _ContentDigests(zf, block.offset) if block is not None else None

    found: set[int] = set()
    v2: _BlockResult | None = None
    v3: _BlockResult | None = None
    v31: _BlockResult | None = None
    v2_checked = v3_checked = v31_checked = False

    # v3.1 (Android 13+) then v3 (Android 9+).
    v31_block = pairs.get(V31_BLOCK_ID)
    v3_block = pairs.get(V3_BLOCK_ID)
    rotation_min = None
    if platform_max >= SDK_P and v3_block is not None and digester is not None:
        if v31_block is not None and platform_max >= SDK_T:
            v31_checked = True
            v31 = _verify_v3("v3.1", v31_block, digester, max(min_sdk, SDK_T), platform_max, require_from_min=False)
            if v31.verified and v31.signers:
                rotation_min = min(s.min_sdk for s in v31.signers)
        v3_checked = True
        v3_max = platform_max if rotation_min is None else max(rotation_min - 1, SDK_P)
        v3 = _verify_v3("v3", v3_block, digester, max(min_sdk, SDK_P), v3_max)
        if v31 is not None and v31.verified and v3.verified:
            for signer in v3.signers:
                if signer.rotation_min_sdk is not None and signer.rotation_min_sdk != rotation_min:
                    v3.errors.append(
                        f"v3 signer #{signer.index + 1}: rotation is declared from SDK {signer.rotation_min_sdk}, "
                        f"but the v3.1 block targets SDK {rotation_min}"
                    )
                    v3.verified = False
        found.add(3)
    elif v31_block is not None and v3_block is None:
        warnings.append("APK has a v3.1 signature block without a v3 block: Android ignores it")

    # v2 (Android 7.0+), unless v3 covers every platform version of the range.
    v2_block = pairs.get(V2_BLOCK_ID)
    if platform_max >= SDK_N and (min_sdk < SDK_P or not found) and v2_block is not None and digester is not None:
        v2_checked = True
        v2 = _verify_v2(
            v2_block,
            digester,
            set(_supported_scheme_names(platform_max)),
            found,
            max(min_sdk, SDK_N),
            platform_max,
        )
        found.add(2)

    if platform_max >= SDK_O and target_sandbox_version is not None and target_sandbox_version > 1 and not found:
        errors.append(
            f"targetSandboxVersion {target_sandbox_version} requires an APK Signature Scheme v2 or newer signature"
        )

    # v1 (JAR): required below Android 7.0, and the only scheme when there is no v2/v3 signature.
    v1_needed = min_sdk < SDK_N or not found
    if v1_needed:
        v1 = _verify_v1(zf, _supported_scheme_names(platform_max), found, min_sdk, platform_max)
    else:
        v1 = _V1Result(present=_v1_present(zf))

    v1_verified = v1.verified
    v2_verified = v2 is not None and v2.verified
    v3_verified = v3 is not None and v3.verified
    v31_verified = v31 is not None and v31.verified

    v1_certs = [s.cert.der for s in v1.signers if s.cert is not None] if v1_verified else []
    v2_certs = [s.certs[0].der for s in v2.signers] if v2_verified and v2 else []

    # Old signers must match the new ones (apksig's cross-scheme checks).
    if v1_verified and v2_verified and set(v1_certs) != set(v2_certs):
        errors.append(
            "V1 and V2 signers do not match: the JAR signature and the v2 signature name different certificates"
        )
    if v3_verified and (v1_verified or v2_verified) and v3 is not None:
        old = v1_certs if v1_verified else v2_certs
        if len(old) != 1:
            errors.append("v3 signature found with more than one v1/v2 signer; only one is allowed")
        if v3.lineage is None:
            if len(v3.signers) != 1:
                errors.append("multiple v3 signers for a single platform version")
            if old and old[0] != v3.signers[0].certs[0].der:
                errors.append("v3 signer differs from the v1/v2 signer and there is no proof-of-rotation lineage")
        elif old and (not v3.lineage or v3.lineage[0].cert.der != old[0]):
            errors.append("v3 signer differs from the v1/v2 signer and the lineage does not start with it")

    if (
        target_sdk is not None
        and target_sdk >= SDK_R
        and platform_max >= target_sdk
        and not (v2_verified or v3_verified)
    ):
        errors.append(
            f"target SDK {target_sdk} requires an APK Signature Scheme v2 or newer signature "
            "(Android 11+ refuses to install it)"
        )

    # Scheme results.
    v1_result = SchemeResult("v1", v1.present, v1_verified, v1.all_errors() if v1_needed else [], [])
    if v1_verified:
        v1_result.certificates = list(v1_certs)
    else:
        v1_result.certificates = list(dict.fromkeys(der for _, der in _v1_claimed_certs(zf)))
    if v1.present and not v1_needed:
        manifest_name, sf_files, blocks = _jar_files(zf)
        for block_name in blocks:
            sf_name = block_name[: block_name.rindex(".")] + ".SF"
            if sf_name not in sf_files:
                v1_result.errors.append(f"{block_name} has no matching {sf_name}: not a JAR signature")
            elif manifest_name is None:
                v1_result.errors.append(f"{block_name}: missing {MANIFEST_NAME}: not a JAR signature")
    schemes["v1"] = v1_result

    def block_scheme(name: str, block_id: int, result: _BlockResult | None, checked: bool) -> SchemeResult:
        present = pairs.get(block_id) is not None
        scheme = SchemeResult(name, present, bool(result and result.verified), [], [])
        if result is not None:
            scheme.errors = result.all_errors() if checked else []
            scheme.certificates = _signer_certs(result)
            if name != "v2":
                scheme.sdk_ranges = [(s.min_sdk, s.max_sdk) for s in result.signers]
                scheme.lineage = [n.cert.der for n in result.lineage] if result.lineage else []
        elif present:
            claimed = _parse_block_signers(name, pairs[block_id], set(), set(), 0, INT_MAX)  # type: ignore[arg-type]
            scheme.certificates = _signer_certs(claimed)
            if name != "v2":
                scheme.sdk_ranges = [(s.min_sdk, s.max_sdk) for s in claimed.signers]
        if pair_problems.get(block_id):
            scheme.errors.append(f"{name}: {pair_problems[block_id]}; Android ignores the signature")
        return scheme

    schemes["v2"] = block_scheme("v2", V2_BLOCK_ID, v2, v2_checked)
    schemes["v3"] = block_scheme("v3", V3_BLOCK_ID, v3, v3_checked)
    if pairs.get(V31_BLOCK_ID) is not None:
        schemes["v3.1"] = block_scheme("v3.1", V31_BLOCK_ID, v31, v31_checked)
    if block_problem:
        for name in ("v2", "v3"):
            schemes[name].errors.append(f"{name}: APK Signing Block ignored: {block_problem}")

    # Verdict, as apksigner computes it.
    failing = []
    if v3_checked and v3 is not None and not v3.verified:
        failing.append(schemes["v3"])
    if v31_checked and v31 is not None and not v31.verified:
        failing.append(schemes["v3.1"])
    if v2_checked and v2 is not None and not v2.verified:
        failing.append(schemes["v2"])
    if v1_needed and not v1_verified:
        failing.append(v1_result)
    verifies = not failing and not errors and (v1_verified or v2_verified or v3_verified)

    # Accepted signers: the certificates Android trusts for this APK, newest platform first.
    accepted: list[tuple[bytes, str]] = []
    if v3_verified and v3 is not None:
        if v31_verified and v31 is not None:
            for signer in sorted(v31.signers, key=lambda s: -s.max_sdk):
                accepted.append((signer.certs[0].der, "v3.1"))
        for signer in sorted(v3.signers, key=lambda s: -s.max_sdk):
            if signer.max_sdk >= max(min_sdk, SDK_P) or len(v3.signers) == 1:
                accepted.append((signer.certs[0].der, "v3"))
    elif v2_verified:
        accepted.extend((der, "v2") for der in v2_certs)
    elif v1_verified and v1_needed:
        accepted.extend((der, "v1") for der in v1_certs)
    verified_sets = {
        "v1": set(v1_certs) if v1_verified else set(),
        "v2": set(v2_certs),
        "v3": {s.certs[0].der for s in v3.signers} if v3_verified and v3 else set(),
        "v3.1": {s.certs[0].der for s in v31.signers} if v31_verified and v31 else set(),
    }
    signers: list[Signer] = []
    seen: set[str] = set()
    for der, _ in accepted:
        digest = hashlib.sha256(der).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        in_schemes = tuple(s for s in ("v1", "v2", "v3", "v3.1") if der in verified_sets[s])
        signers.append(signer_from_der(der, in_schemes))

    # Warnings for the reviewer.
    any_present = any(s.present for s in schemes.values())
    if not any_present:
        warnings.append(ApkWarning("not_signed"))
    for scheme in failing:
        if scheme.scheme == "v1" and not scheme.present:
            if any_present:
                warnings.append(ApkWarning("no_v1_signature", first=_android(min_sdk), min_sdk=min_sdk))
            continue
        for error in scheme.errors[:5]:
            warnings.append(error if error.startswith(scheme.scheme) else f"{scheme.scheme}: {error}")
    warnings.extend(errors)
    accepted_ders = {der for der, _ in accepted}
    lineage_ders = {der for s in schemes.values() for der in s.lineage}
    primary = signers[0] if signers else None

    def unused_signer(code: str, der: bytes) -> ApkWarning:
        """A certificate of a signature Android does not use, and the one it uses instead."""
        found = {"subject": _subject_of(der), "sha256": hashlib.sha256(der).hexdigest()}
        if primary is None:
            return ApkWarning(code, **found)
        return ApkWarning(code + "_uses", **found, used=primary.subject, used_sha256=primary.sha256)

    if v1_result.present and not v1_verified:
        code = "v1_signer_ignored" if not v1_needed else "v1_signer_refused"
        for der in v1_result.certificates:
            if der in accepted_ders or der in lineage_ders:
                continue
            warnings.append(unused_signer(code, der))
    if schemes["v2"].present and not v2_checked and v3_checked:
        for der in schemes["v2"].certificates:
            if der in accepted_ders or der in lineage_ders:
                continue
            warnings.append(unused_signer("v2_signer_ignored", der))
    if v3_verified and v3 is not None and v3.lineage and len(v3.lineage) > 1:
        chain = " -> ".join(_subject_of(n.cert.der) for n in v3.lineage)
        warnings.append(ApkWarning("key_rotated", chain=chain))
    if v31_verified and v31 is not None and rotation_min is not None and signers and v3 is not None:
        older = [s.certs[0].der for s in v3.signers if s.certs]
        if older:
            warnings.append(
                ApkWarning(
                    "key_rotation_v31",
                    first=_android(rotation_min),
                    current=signers[0].subject,
                    older=_subject_of(older[-1]),
                )
            )
    if v1_verified and not (v2_verified or v3_verified) and v1_needed:
        low, high = max(min_sdk, SDK_LOLLIPOP), min(platform_max, SDK_O)
        if low <= high:
            warnings.append(ApkWarning("janus_v1_only", first=_android(low), last=_android(high)))
    return SigningReport(signers=signers, schemes=schemes, warnings=_dedupe(warnings), verifies=verifies)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
