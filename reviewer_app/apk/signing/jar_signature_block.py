"""The signature block of a JAR signer (META-INF/*.RSA, *.DSA, *.EC): PKCS #7 SignedData over its .SF file.

Which SignerInfo counts, which certificate it names and whether its signature verifies follow apksig,
for the API levels of the range.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509

from reviewer_app.apk.safezip import SafeZip
from reviewer_app.apk.signing.algorithms import (
    _DIGEST_OIDS,
    _HASHLIB,
    _JAR_SIG_ALG_SUPPORT,
    _JCA_FORCED_HASH,
    _SIG_OIDS,
    _KeyError,
    _levels_text,
    _load_public_key,
    _unsupported_levels,
    _verify_raw,
)
from reviewer_app.apk.signing.certificates import _Cert, _check_signing_cert_usable, _load_cert
from reviewer_app.apk.signing.der import _children, _decode_oid, _DerError, _tlv
from reviewer_app.apk.signing.sdk import SDK_KITKAT, SDK_N

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"


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
    certs: list[_Cert] = []
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
