"""APK signature verification, checked against Debian's apksigner on the whole corpus and on the
attacks and corner cases that matter for "who signed this app"."""

from __future__ import annotations

import hashlib
import random
import struct
from pathlib import Path

import pytest

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.apk.signing import (
    SigningReport,
    format_dn,
    signer_from_der,
    verify_signatures,
)
from tests.corpus import apksigner_runs, corpus_id, need_corpus

OOPS_SHA256 = "1dbb8be012293e988a0820f7d455b07abd267d2c0b500fc793fcfd80141cb5ce"


# ---------------------------------------------------------------------------------------------
# The APK's own SDK levels, read from the binary AndroidManifest.xml the way apksig reads them
# ---------------------------------------------------------------------------------------------

MIN_SDK_ATTR = 0x0101020C
TARGET_SDK_ATTR = 0x01010270
TARGET_SANDBOX_ATTR = 0x0101054C
# First letter of a platform codename -> the API level apksig assumes for it.
CODENAMES = [
    ("C", 2),
    ("D", 3),
    ("E", 4),
    ("F", 7),
    ("G", 8),
    ("H", 10),
    ("I", 13),
    ("J", 15),
    ("K", 18),
    ("L", 20),
    ("M", 22),
    ("N", 23),
    ("O", 25),
    ("P", 27),
    ("Q", 28),
    ("R", 29),
    ("S", 30),
    ("T", 32),
]


def codename_sdk(name: str) -> int:
    first = name[:1]
    if not "A" <= first <= "Z":
        raise ValueError(f"unsupported codename {name!r}")
    older = [(letter, level) for letter, level in CODENAMES if letter <= first]
    if not older:
        return 1
    letter, level = older[-1]
    return level + ord(first) - ord(letter)


def axml_strings(xml: bytes, pos: int) -> list[str]:
    count, _styles, flags, start = struct.unpack_from("<IIII", xml, pos + 8)
    out = []
    for offset in struct.unpack_from(f"<{count}I", xml, pos + 28):
        p = pos + start + offset
        if flags & 0x100:  # UTF-8: character count, then byte count, then bytes
            p += 2 if xml[p] & 0x80 else 1
            n = xml[p]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | xml[p + 1]
                p += 1
            out.append(xml[p + 1 : p + 1 + n].decode("utf-8", "replace"))
        else:
            (n,) = struct.unpack_from("<H", xml, p)
            if n & 0x8000:
                n = ((n & 0x7FFF) << 16) | struct.unpack_from("<H", xml, p + 2)[0]
                p += 2
            out.append(xml[p + 2 : p + 2 + 2 * n].decode("utf-16-le", "replace"))
    return out


def manifest_sdk_info(xml: bytes) -> tuple[int, int | None, int]:
    """(minSdkVersion, targetSdkVersion, targetSandboxVersion) as apksig finds them (defaults 1, None, 1)."""
    strings: list[str] = []
    resource_ids: list[int] = []
    min_sdk = target_sdk = None
    sandbox = 1
    depth = 0
    pos = struct.unpack_from("<H", xml, 2)[0]
    while pos + 8 <= len(xml):
        chunk_type, header, size = struct.unpack_from("<HHI", xml, pos)
        if size < 8:
            break
        if chunk_type == 0x0001:
            strings = axml_strings(xml, pos)
        elif chunk_type == 0x0180:
            resource_ids = list(struct.unpack_from(f"<{(size - header) // 4}I", xml, pos + header))
        elif chunk_type == 0x0102:  # start element
            depth += 1
            ns, name, attr_start, attr_size, attr_count = struct.unpack_from("<IIHHH", xml, pos + 16)
            tag = strings[name] if name < len(strings) else ""
            attrs: dict[int, int | str] = {}
            for i in range(attr_count):
                at = pos + header + attr_start + i * attr_size
                _ns, attr_name, raw, _size, _res, value_type, value = struct.unpack_from("<IIIHBBI", xml, at)
                resource_id = resource_ids[attr_name] if attr_name < len(resource_ids) else 0
                if value_type in (0x10, 0x11):
                    attrs[resource_id] = struct.unpack("<i", struct.pack("<I", value))[0]
                elif value_type == 0x03:
                    attrs[resource_id] = strings[raw] if raw < len(strings) else ""
            if depth == 1 and tag == "manifest" and isinstance(attrs.get(TARGET_SANDBOX_ATTR), int):
                sandbox = attrs[TARGET_SANDBOX_ATTR]
            if depth == 2 and tag == "uses-sdk" and ns == 0xFFFFFFFF and min_sdk is None:
                value = attrs.get(MIN_SDK_ATTR, 1)
                min_sdk = value if isinstance(value, int) else codename_sdk(value)
                target = attrs.get(TARGET_SDK_ATTR)
                if isinstance(target, int):
                    target_sdk = target
                elif isinstance(target, str):
                    target_sdk = int(target) if target.isdigit() else codename_sdk(target)
        elif chunk_type == 0x0103:
            depth -= 1
        pos += size
    return min_sdk or 1, target_sdk, sandbox


def open_apk(name: str) -> SafeZip:
    return SafeZip((need_corpus() / name).read_bytes())


def verify(name: str, min_sdk: int | None = None) -> SigningReport:
    """verify_signatures() for a corpus file, with the manifest's SDK levels (min SDK overridable)."""
    zf = open_apk(name)
    own_min, target, sandbox = manifest_sdk_info(zf.read("AndroidManifest.xml"))
    return verify_signatures(
        zf, own_min if min_sdk is None else min_sdk, target_sdk=target, target_sandbox_version=sandbox
    )


# ---------------------------------------------------------------------------------------------
# Every corpus APK against apksigner
# ---------------------------------------------------------------------------------------------


def openable_runs() -> list[tuple[Path, int | None]]:
    """apksigner_runs() restricted to the files SafeZip opens (the others never reach verification)."""
    runs = []
    for path, min_sdk in apksigner_runs():
        try:
            SafeZip(path.read_bytes())
        except (ZipFormatError, LimitExceeded):
            continue
        runs.append((path, min_sdk))
    return runs


def run_id(run: tuple[Path, int | None]) -> str:
    path, min_sdk = run
    name = corpus_id(path)
    return name if min_sdk is None else f"{name}@min{min_sdk}"


# Files where this verifier and Debian's apksigner 31.0.2 disagree on purpose (strict: they must fail).
KNOWN_DISAGREEMENTS = {
    # apksigner 31.0.2 predates APK Signature Scheme v3.1 (Android 13). It ignores the v3.1 block, sees a v3
    # signer that stops at SDK 32, drops its own "signers do not cover the SDK range" error (apksig of that
    # version does not copy scheme-level errors into the result), reports v3 as unverified and then fails
    # the "target SDK 30 needs v2+" rule. Android 13+ uses the v3.1 signer and older versions the v3
    # signer, so the APK does verify; we report both certificates, the rotated one first.
    "apksig/v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk",
    "apksig/v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk@min24",
    "apksig/v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk@min28",
}

RUNS = openable_runs()


def _param(run: tuple[Path, int | None]):
    marks = ()
    if run_id(run) in KNOWN_DISAGREEMENTS:
        marks = pytest.mark.xfail(strict=True, reason="apksigner 31.0.2 does not support v3.1 (see comment)")
    return pytest.param(run, id=run_id(run), marks=marks)


def test_corpus_present():
    need_corpus()
    assert len(RUNS) > 300


@pytest.mark.corpus
@pytest.mark.parametrize("run", [_param(r) for r in RUNS])
def test_matches_apksigner(run, apksigner_verdicts):
    path, min_sdk_override = run
    reference = apksigner_verdicts[run]
    if reference.verifies is None:
        first = reference.output.strip().splitlines()[0] if reference.output.strip() else "no output"
        pytest.skip(f"apksigner gives no verdict: {first[:160]}")
    zf = SafeZip(path.read_bytes())
    own_min, target, sandbox = manifest_sdk_info(zf.read("AndroidManifest.xml"))
    min_sdk = own_min if min_sdk_override is None else min_sdk_override
    report = verify_signatures(zf, min_sdk, target_sdk=target, target_sandbox_version=sandbox)
    context = (
        f"min SDK {min_sdk}, target {target}\nours: {report.warnings}\n"
        + "\n".join(f"  {k}: {s.errors}" for k, s in report.schemes.items())
        + f"\napksigner:\n{reference.output}"
    )
    assert report.verifies == reference.verifies, context
    if not reference.verifies:
        assert any(s.errors for s in report.schemes.values()) or report.warnings, context
        return
    for scheme in ("v1", "v2", "v3"):
        assert report.schemes[scheme].verified == reference.schemes[scheme], f"{scheme}\n{context}"
    assert [(s.subject, s.sha256) for s in report.signers] == reference.signers, context
    for signer in report.signers:
        assert signer.schemes and all(report.schemes[s].verified for s in signer.schemes)


# ---------------------------------------------------------------------------------------------
# fdroidserver issue 1128: decoy certificates next to the real signer
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["issue-1128-poc1.apk", "issue-1128-poc2.apk"])
def test_issue_1128_decoys_do_not_become_signers(name):
    report = verify(name)
    assert report.verifies
    assert [(s.subject, s.sha256, s.schemes) for s in report.signers] == [("CN=oops", OOPS_SHA256, ("v3",))]
    # min SDK 29: Android uses the v3 signature only; apksigner reports v2 as not used.
    assert report.schemes["v3"].verified and not report.schemes["v2"].verified
    assert not report.schemes["v1"].verified


def test_issue_1128_poc1_warns_about_the_fake_v1_certificate():
    report = verify("issue-1128-poc1.apk")
    v1 = report.schemes["v1"]
    assert v1.present and not v1.verified
    assert any("CIARANG.RSA" in e and ".SF" in e for e in v1.errors)
    fake = v1.certificates[0]
    fake_sha = hashlib.sha256(fake).hexdigest()
    assert fake_sha != OOPS_SHA256
    (warning,) = [w for w in report.warnings if w.startswith("v1 signature ignored")]
    assert "Android 7.0+" in warning
    assert "CN=Ciaran Gultnieks" in warning and fake_sha in warning
    assert "Android uses CN=oops" in warning


def test_issue_1128_poc2_reads_only_the_first_signature_blocks():
    report = verify("issue-1128-poc2.apk")
    assert any("Android reads only the first" in w for w in report.warnings)


@pytest.mark.parametrize("name", ["issue-1128-poc3a.apk", "issue-1128-poc3b.apk"])
def test_issue_1128_v1_signer_is_the_certificate_the_signer_info_names(name):
    report = verify(name)
    assert report.verifies
    assert [(s.subject, s.sha256, s.schemes) for s in report.signers] == [("CN=oops", OOPS_SHA256, ("v1",))]


# ---------------------------------------------------------------------------------------------
# Broken signatures fail with a reason that names the problem
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "min_sdk", "scheme", "reason"),
    [
        ("apksig/v2-only-with-ecdsa-sha256-p256-digest-mismatch.apk", 24, "v2", "CHUNKED_SHA256 digest mismatch"),
        ("apksig/v2-only-with-rsa-pkcs1-sha512-4096-digest-mismatch.apk", 24, "v2", "CHUNKED_SHA512 digest mismatch"),
        ("apksig/v3-only-with-dsa-sha256-3072-digest-mismatch.apk", 28, "v3", "CHUNKED_SHA256 digest mismatch"),
        (
            "apksig/v2-only-with-rsa-pkcs1-sha256-2048-sig-does-not-verify.apk",
            24,
            "v2",
            "RSA_PKCS1_V1_5_WITH_SHA256 signature does not verify",
        ),
        (
            "apksig/v2-only-with-rsa-pss-sha256-2048-sig-does-not-verify.apk",
            24,
            "v2",
            "RSA_PSS_WITH_SHA256 signature does not verify",
        ),
        ("apksig/v3-only-with-ecdsa-sha512-p521-sig-does-not-verify.apk", 28, "v3", "signature does not verify"),
        ("apksig/v2-only-cert-and-public-key-mismatch.apk", 24, "v2", "public key does not match"),
        ("apksig/v2-only-no-certs-in-sig.apk", 24, "v2", "no certificates"),
        ("apksig/v3-only-no-supported-sig-algs.apk", 28, "v3", "no supported signature algorithm"),
        (
            "apksig/v2-only-signatures-and-digests-block-mismatch.apk",
            24,
            "v2",
            "mismatch between signatures and digests",
        ),
        ("urzip-badsig.apk", None, "v1", "digest of META-INF/MANIFEST.MF section for AndroidManifest.xml"),
        ("urzip-badcert.apk", None, "v1", "does not verify against META-INF/CERT.SF"),
    ],
)
def test_broken_signature_fails_with_reason(name, min_sdk, scheme, reason):
    report = verify(name, min_sdk)
    assert not report.verifies
    assert not report.signers or not report.schemes[scheme].verified
    errors = report.schemes[scheme].errors
    assert any(reason in e for e in errors), errors
    assert any(reason in w for w in report.warnings), report.warnings
    assert all("\n" not in e for e in errors)


def test_digest_mismatch_names_the_signer():
    report = verify("apksig/v2-only-with-ecdsa-sha256-p256-digest-mismatch.apk", 24)
    assert report.schemes["v2"].errors[0].startswith("v2 signer #1: CHUNKED_SHA256 digest mismatch")


def test_v2_stripped_fails_v1():
    report = verify("apksig/v2-stripped.apk")
    assert not report.verifies and report.signers == []
    assert not report.schemes["v2"].present
    assert any("v2 signature was stripped" in e for e in report.schemes["v1"].errors)


@pytest.mark.parametrize("name", ["apksig/v3-stripped.apk", "apksig/v2v3-signed-v3-block-stripped.apk"])
def test_v3_stripped_fails_v2(name):
    report = verify(name, 24)
    assert not report.verifies
    assert not report.schemes["v3"].present
    assert any("v3 signature was stripped" in e for e in report.schemes["v2"].errors)


def test_v2_stripping_protection_does_not_apply_before_android_9():
    zf = open_apk("apksig/v3-stripped.apk")
    report = verify_signatures(zf, 24, 27)
    assert report.verifies and report.schemes["v2"].verified


# ---------------------------------------------------------------------------------------------
# Key rotation
# ---------------------------------------------------------------------------------------------


def test_lineage_exposes_three_certificates():
    report = verify("apksig/v1v2v3-with-rsa-2048-lineage-3-signers.apk")
    assert report.verifies
    v3 = report.schemes["v3"]
    assert [signer_from_der(der, ()).subject for der in v3.lineage] == [
        "CN=rsa-2048",
        "CN=rsa-2048_2",
        "CN=rsa-2048_3",
    ]
    assert v3.sdk_ranges == [(24, 2147483647)]
    assert report.signers[0].subject == "CN=rsa-2048_3"
    assert report.signers[0].schemes == ("v3",)
    # The v1 and v2 signer is the first certificate of the lineage, so it is no decoy.
    assert not any("ignored" in w for w in report.warnings)
    assert any("rotated" in w and "CN=rsa-2048 -> CN=rsa-2048_2 -> CN=rsa-2048_3" in w for w in report.warnings)


def test_lineage_attribute_tampering_fails():
    report = verify("apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-lineage-attr.apk")
    assert not report.verifies
    assert any("signature does not verify" in e for e in report.schemes["v3"].errors)


def test_v31_rotated_signer_comes_first():
    report = verify("apksig/v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk")
    assert report.verifies
    assert [(s.subject, s.schemes) for s in report.signers] == [("CN=ec-p256_2", ("v3.1",)), ("CN=ec-p256", ("v3",))]
    assert report.schemes["v3.1"].present and report.schemes["v3.1"].verified
    assert len(report.schemes["v3.1"].lineage) == 2
    # Before Android 13 only the v3 signer counts.
    older = verify_signatures(open_apk("apksig/v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk"), 29, 31)
    assert [s.subject for s in older.signers] == ["CN=ec-p256"]


# ---------------------------------------------------------------------------------------------
# Schemes and the SDK range
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "apksig/v2-only-with-rsa-pss-sha256-2048.apk",
        "apksig/v2-only-with-rsa-pss-sha512-4096.apk",
        "apksig/v2-only-with-rsa-pss-sha256-16384.apk",
    ],
)
def test_rsa_pss_verifies(name):
    # Debian's JVM lacks "SHA256withRSA/PSS", so apksigner cannot give a verdict on these.
    report = verify(name, 24)
    assert report.verifies and report.schemes["v2"].verified
    assert report.signers[0].key_algorithm == "RSA"


def test_v1_only_apk_is_flagged_for_janus():
    report = verify("janus.apk")
    assert report.verifies
    assert any("Janus" in w and "5.0-8.0" in w for w in report.warnings)


def test_v2_signed_apk_is_not_flagged_for_janus():
    report = verify("v2.only.sig_2.apk")
    assert report.verifies and not any("Janus" in w for w in report.warnings)


def test_unsigned_apk():
    report = verify("TestActivity_unsigned.apk")
    assert not report.verifies and report.signers == []
    assert "APK is not signed" in report.warnings
    assert set(report.schemes) == {"v1", "v2", "v3"}
    assert not any(s.present for s in report.schemes.values())


def test_two_signers_in_both_schemes():
    report = verify("apksig/two-signers.apk")
    assert report.verifies
    assert [s.subject for s in report.signers] == ["CN=rsa-2048", "CN=ec-p256"]
    assert all(s.schemes == ("v1", "v2") for s in report.signers)


def test_target_sdk_30_requires_v2():
    zf = open_apk("janus.apk")
    assert verify_signatures(zf, 4, target_sdk=29).verifies
    report = verify_signatures(zf, 4, target_sdk=30)
    assert not report.verifies
    assert any("target SDK 30" in w for w in report.warnings)


def test_target_sandbox_version_2_requires_v2():
    report = verify("apksig/v1-only-targetSandboxVersion-2.apk")
    assert not report.verifies
    assert any("targetSandboxVersion" in w for w in report.warnings)


def test_signer_details():
    report = verify("issue-1128-poc1.apk")
    signer = report.signers[0]
    assert signer.key_algorithm == "RSA" and signer.key_bits == 2048
    assert signer.issuer == "CN=oops"
    assert signer.not_before and signer.not_after and signer.not_before < signer.not_after


def test_ec_and_dsa_key_details():
    ec = verify("apksig/v3-only-with-ecdsa-sha512-p384.apk", 28).signers[0]
    assert (ec.key_algorithm, ec.key_bits) == ("EC", 384)
    dsa = verify("apksig/v2-only-with-dsa-sha256-3072.apk", 24).signers[0]
    assert (dsa.key_algorithm, dsa.key_bits) == ("DSA", 3072)


# ---------------------------------------------------------------------------------------------
# APKs built here: mixing signers across schemes (no corpus needed)
# ---------------------------------------------------------------------------------------------

INT_MAX = 0x7FFFFFFF
ECDSA_SHA256 = 0x0201


def _identity(common_name: str):
    import datetime

    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=20000))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def keys():
    return {name: _identity(name) for name in ("alice", "mallory")}


def _ecdsa(key, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    return key.sign(data, ec.ECDSA(hashes.SHA256()))


def _b64sha256(data: bytes) -> str:
    import base64

    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _pkcs7(key, cert_der: bytes, content: bytes) -> bytes:
    from asn1crypto import cms
    from asn1crypto import x509 as ax509

    cert = ax509.Certificate.load(cert_der)
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [cert],
            "signer_infos": [
                {
                    "version": "v1",
                    "sid": cms.SignerIdentifier(
                        name="issuer_and_serial_number",
                        value={"issuer": cert.issuer, "serial_number": cert.serial_number},
                    ),
                    "digest_algorithm": {"algorithm": "sha256"},
                    "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                    "signature": _ecdsa(key, content),
                }
            ],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def _jar_signature(entries: dict[str, bytes], identity, apk_signed: str | None = None) -> dict[str, bytes]:
    key, cert = identity
    sections = [(n, f"Name: {n}\r\nSHA-256-Digest: {_b64sha256(d)}\r\n\r\n".encode()) for n, d in entries.items()]
    manifest = b"Manifest-Version: 1.0\r\nCreated-By: tests\r\n\r\n" + b"".join(s for _, s in sections)
    sf = f"Signature-Version: 1.0\r\nCreated-By: tests\r\nSHA-256-Digest-Manifest: {_b64sha256(manifest)}\r\n"
    if apk_signed:
        sf += f"X-Android-APK-Signed: {apk_signed}\r\n"
    sf_bytes = (sf + "\r\n").encode() + b"".join(
        f"Name: {n}\r\nSHA-256-Digest: {_b64sha256(section)}\r\n\r\n".encode() for n, section in sections
    )
    block = _pkcs7(key, cert, sf_bytes)
    return {"META-INF/MANIFEST.MF": manifest, "META-INF/CERT.SF": sf_bytes, "META-INF/CERT.EC": block}


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def _lp(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _block_signer(identity, digest: bytes, sdk: tuple[int, int] | None, attrs: bytes = b"") -> bytes:
    from cryptography.hazmat.primitives import serialization

    key, cert = identity
    signed = _lp(_lp(struct.pack("<I", ECDSA_SHA256) + _lp(digest))) + _lp(_lp(cert))
    if sdk is not None:
        signed += struct.pack("<ii", *sdk)
    signed += _lp(attrs)
    spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    body = _lp(signed) + (struct.pack("<ii", *sdk) if sdk is not None else b"")
    body += _lp(_lp(struct.pack("<I", ECDSA_SHA256) + _lp(_ecdsa(key, signed)))) + _lp(spki)
    return _lp(body)


def _add_signing_block(apk: bytes, v2=None, v3=None, v2_attrs: bytes = b"") -> bytes:
    """Insert an APK Signing Block with a v2 and/or v3 signer (identities) before the central directory."""
    zf = SafeZip(apk)
    cd, eocd_at = zf.layout.cd_offset, zf.layout.eocd_offset
    eocd = bytearray(apk[eocd_at:])
    chunks = []
    for part in (apk[:cd], apk[cd:eocd_at], bytes(eocd)):
        for i in range(0, len(part), 1 << 20):
            chunk = part[i : i + (1 << 20)]
            chunks.append(hashlib.sha256(b"\xa5" + struct.pack("<I", len(chunk)) + chunk).digest())
    digest = hashlib.sha256(b"\x5a" + struct.pack("<I", len(chunks)) + b"".join(chunks)).digest()
    pairs = b""
    if v2 is not None:
        value = _lp(_block_signer(v2, digest, None, v2_attrs))
        pairs += struct.pack("<QI", len(value) + 4, 0x7109871A) + value
    if v3 is not None:
        value = _lp(_block_signer(v3, digest, (24, INT_MAX)))
        pairs += struct.pack("<QI", len(value) + 4, 0xF05368C0) + value
    size = len(pairs) + 24
    block = struct.pack("<Q", size) + pairs + struct.pack("<Q", size) + b"APK Sig Block 42"
    struct.pack_into("<I", eocd, 16, cd + len(block))
    return apk[:cd] + block + apk[cd:eocd_at] + bytes(eocd)


CONTENT = {"AndroidManifest.xml": b"\x03\x00\x08\x00" + bytes(60), "classes.dex": bytes(range(256)) * 50}


def test_built_apk_with_one_key_in_every_scheme(keys):
    apk = _add_signing_block(
        _zip({**CONTENT, **_jar_signature(CONTENT, keys["alice"], "2, 3")}),
        v2=keys["alice"],
        v3=keys["alice"],
        v2_attrs=_lp(struct.pack("<II", 0xBEEFF00D, 3)),
    )
    report = verify_signatures(SafeZip(apk), 21)
    assert report.verifies, report.warnings
    assert [(s.subject, s.schemes, s.key_algorithm, s.key_bits) for s in report.signers] == [
        ("CN=alice", ("v1", "v2", "v3"), "EC", 256)
    ]
    assert report.warnings == []


def test_v1_and_v2_signers_must_match(keys):
    apk = _add_signing_block(_zip({**CONTENT, **_jar_signature(CONTENT, keys["mallory"])}), v2=keys["alice"])
    report = verify_signatures(SafeZip(apk), 21)
    assert report.schemes["v1"].verified and report.schemes["v2"].verified
    assert not report.verifies
    assert any("V1 and V2 signers do not match" in w for w in report.warnings)
    # From Android 7.0 on only the v2 signer counts, and the v1 one is named as ignored.
    later = verify_signatures(SafeZip(apk), 24)
    assert later.verifies and [s.subject for s in later.signers] == ["CN=alice"]
    assert any(w.startswith("v1 signature ignored by Android 7.0+: signed by CN=mallory") for w in later.warnings)


def test_lone_signature_block_is_a_decoy(keys):
    key, cert = keys["mallory"]
    files = {**CONTENT, "META-INF/DECOY.RSA": _pkcs7(key, cert, b"anything")}
    apk = _add_signing_block(_zip(files), v2=keys["alice"])
    report = verify_signatures(SafeZip(apk), 24)
    assert report.verifies and [s.subject for s in report.signers] == ["CN=alice"]
    assert report.schemes["v1"].present and not report.schemes["v1"].verified
    mallory = hashlib.sha256(cert).hexdigest()
    assert any("CN=mallory" in w and mallory in w and "Android uses CN=alice" in w for w in report.warnings)
    # Below Android 7.0 there is no JAR signature at all, so nothing verifies.
    assert not verify_signatures(SafeZip(apk), 21).verifies


def test_v3_signer_must_match_v2_signer_without_lineage(keys):
    apk = _add_signing_block(_zip(CONTENT), v2=keys["mallory"], v3=keys["alice"])
    report = verify_signatures(SafeZip(apk), 24)
    assert not report.verifies
    assert any("v3 signer differs from the v1/v2 signer" in w for w in report.warnings)
    # With min SDK 28 Android never looks at v2: alice is the signer and mallory's v2 signature a decoy.
    later = verify_signatures(SafeZip(apk), 28)
    assert later.verifies and [s.subject for s in later.signers] == ["CN=alice"]
    assert any(w.startswith("v2 signature ignored by Android 9+: signed by CN=mallory") for w in later.warnings)


def test_content_change_after_signing_is_caught(keys):
    apk = bytearray(_add_signing_block(_zip(CONTENT), v2=keys["alice"]))
    position = apk.index(b"classes.dex") + 200  # inside the local entry's data
    apk[position] ^= 1
    report = verify_signatures(SafeZip(bytes(apk)), 24)
    assert not report.verifies
    assert any("CHUNKED_SHA256 digest mismatch" in e for e in report.schemes["v2"].errors)


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def _tlv(tag: int, content: bytes) -> bytes:
    if len(content) < 0x80:
        return bytes([tag, len(content)]) + content
    size = len(content).to_bytes((len(content).bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def _name(*rdns: list[tuple[str, str]]) -> bytes:
    """DER Name from RDNs in encoding order; values are UTF8String, email and country as IA5/Printable."""
    from asn1crypto.core import ObjectIdentifier

    tags = {"1.2.840.113549.1.9.1": 0x16, "2.5.4.6": 0x13}
    return _tlv(
        0x30,
        b"".join(
            _tlv(
                0x31,
                b"".join(
                    _tlv(0x30, ObjectIdentifier(oid).dump() + _tlv(tags.get(oid, 0x0C), value.encode()))
                    for oid, value in rdn
                ),
            )
            for rdn in rdns
        ),
    )


CN, OU, ORG, ST, C, EMAIL = "2.5.4.3", "2.5.4.11", "2.5.4.10", "2.5.4.8", "2.5.4.6", "1.2.840.113549.1.9.1"


def test_format_dn_reverses_rdns_and_uses_java_keywords():
    der = _name(
        [(C, "US")], [(ST, "California")], [(ORG, "Android")], [(CN, "Android")], [(EMAIL, "android@android.com")]
    )
    assert format_dn(der) == "EMAILADDRESS=android@android.com, CN=Android, O=Android, ST=California, C=US"


def test_format_dn_quotes_like_java():
    der = _name([(ORG, "Foo, Inc.")], [(CN, "a  b")], [(OU, 'x"y')])
    assert format_dn(der) == 'OU="x\\"y", CN="a  b", O="Foo, Inc."'


def test_format_dn_multi_valued_rdn_and_unknown_oid():
    der = _name([(CN, "a"), (OU, "b")], [("2.5.4.97", "VATDE-1")])
    assert format_dn(der) == "2.5.4.97=VATDE-1, CN=a + OU=b"


def test_format_dn_accepts_parsed_names():
    from asn1crypto import x509
    from cryptography import x509 as cx509
    from cryptography.x509.oid import NameOID

    der = _name([(CN, "oops")])
    assert format_dn(x509.Name.load(der)) == "CN=oops"
    assert format_dn(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "oops")])) == "CN=oops"


def test_signer_from_der_never_raises():
    signer = signer_from_der(b"\x30\x03\x02\x01\x00", ("v1",))
    assert signer.sha256 == hashlib.sha256(b"\x30\x03\x02\x01\x00").hexdigest()
    assert signer.schemes == ("v1",)


# ---------------------------------------------------------------------------------------------
# Hostile input: never an exception, except the parse limits
# ---------------------------------------------------------------------------------------------


def _signing_block_span(data: bytes) -> tuple[int, int]:
    zf = SafeZip(data)
    cd = zf.layout.cd_offset
    (size,) = struct.unpack_from("<Q", data, cd - 24)
    return cd - size - 8, cd


@pytest.mark.parametrize(
    "name",
    [
        "apksig/v1v2v3-with-rsa-2048-lineage-3-signers.apk",
        "apksig/two-signers.apk",
        "apksig/v3-only-with-ecdsa-sha256-p256.apk",
        "apksig/v2-only-with-dsa-sha256-1024.apk",
    ],
)
def test_corrupted_signing_blocks_never_raise(name):
    data = (need_corpus() / name).read_bytes()
    start, end = _signing_block_span(data)
    rng = random.Random(name)
    for _ in range(150):
        mutated = bytearray(data)
        for _ in range(rng.choice((1, 1, 2, 8))):
            position = rng.randrange(start, end)
            mutated[position] = rng.choice((0, 0xFF, rng.randrange(256), mutated[position] ^ 0x80))
        zf = SafeZip(bytes(mutated))
        for min_sdk in (14, 24, 28):
            report = verify_signatures(zf, min_sdk)
            assert isinstance(report.verifies, bool)
            for scheme in report.schemes.values():
                assert all(isinstance(e, str) and "\n" not in e for e in scheme.errors)


@pytest.mark.parametrize(
    "name",
    [
        "apksig/v1-only-with-signed-attrs.apk",
        "issue-1128-poc3a.apk",
        "apksig/v1-only-with-ecdsa-sha256-1.2.840.10045.4.3.2-p256.apk",
    ],
)
def test_corrupted_jar_signatures_never_raise(name):
    zf = open_apk(name)
    block = next(n for n in zf.namelist() if n.startswith("META-INF/") and n.endswith((".RSA", ".EC", ".DSA")))
    sf = block.rsplit(".", 1)[0] + ".SF"
    originals = {block: zf.read(block), sf: zf.read(sf), "META-INF/MANIFEST.MF": zf.read("META-INF/MANIFEST.MF")}
    rng = random.Random(name)
    for _ in range(120):
        target = rng.choice(list(originals))
        mutated = bytearray(originals[target])
        if rng.random() < 0.3:
            del mutated[rng.randrange(len(mutated)) :]
        else:
            for _ in range(rng.choice((1, 3))):
                position = rng.randrange(len(mutated))
                mutated[position] = rng.randrange(256)
        patched = dict(originals)
        patched[target] = bytes(mutated)

        def read(entry, max_size=None, _patched=patched, _read=zf.read):
            return _patched[entry] if entry in _patched else _read(entry, max_size)

        zf.read = read  # type: ignore[method-assign]
        try:
            report = verify_signatures(zf, 18)
        finally:
            del zf.read
        assert isinstance(report.verifies, bool)


def test_limit_exceeded_propagates(monkeypatch):
    zf = open_apk("janus.apk")

    def refuse(*args, **kwargs):
        raise LimitExceeded("decompressed size exceeds limit")

    monkeypatch.setattr(zf, "iter_chunks", refuse)
    monkeypatch.setattr(zf, "read", refuse)
    with pytest.raises(LimitExceeded):
        verify_signatures(zf, 4)


def test_decompression_limit_during_v1_check_is_not_swallowed():
    zf = open_apk("com.politedroid_6.apk")
    zf.limits = ParseLimits(max_entry_size=4096)
    with pytest.raises(LimitExceeded):
        verify_signatures(zf, 4)
