"""Signature and digest algorithms Android accepts, and the raw signature check they share.

The APK Signing Block schemes (v2, v3) name their algorithms by id; JAR signatures (v1) by the OIDs of
their PKCS #7 SignerInfo, accepted on some API levels only (apksig's OidConstants).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, padding, rsa

from reviewer_app.apk.signing.sdk import INT_MAX, SDK_N, SDK_P

# ---------------------------------------------------------------------------------------------
# Algorithms of the APK Signing Block schemes
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


def _hash_obj(name: str) -> hashes.HashAlgorithm:
    algorithms: dict[str, type[hashes.HashAlgorithm]] = {
        "md5": hashes.MD5,
        "sha1": hashes.SHA1,
        "sha224": hashes.SHA224,
        "sha256": hashes.SHA256,
        "sha384": hashes.SHA384,
        "sha512": hashes.SHA512,
    }
    return algorithms[name]()


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
            pad: padding.AsymmetricPadding
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
# Algorithms of JAR signatures (v1)
# ---------------------------------------------------------------------------------------------


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
