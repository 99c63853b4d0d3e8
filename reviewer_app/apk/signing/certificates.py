"""Certificates as found in an APK: loading them, describing them as a `Signer`, and Android's checks.

A certificate keeps its encoded form exactly as stored (its SHA-256 is the signer's identity), with the
parts that verification needs: the public key, the issuer and the serial number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

from reviewer_app.apk.facts import Signer
from reviewer_app.apk.signing.names import format_dn


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
