"""APK Signature Scheme v2, v3 and v3.1 signers, read from their blocks and verified the way apksig does.

A v2 signer covers every platform version of the range; v3 and v3.1 signers each cover an SDK range,
and together they must cover the range without gaps, with consistent proof-of-rotation lineages.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from reviewer_app.apk.signing.algorithms import (
    _DIGEST_STRENGTH,
    _SIG_ALGS,
    _KeyError,
    _load_public_key,
    _SigAlg,
    _verify_raw,
)
from reviewer_app.apk.signing.certificates import _Cert, _load_cert
from reviewer_app.apk.signing.lineage import _LineageForgery, _LineageMismatch, _LineageNode, _parse_lineage
from reviewer_app.apk.signing.sdk import INT_MAX
from reviewer_app.apk.signing.signing_block import _ContentDigests, _Malformed, _Reader

STRIPPING_PROTECTION_ATTR_ID = 0xBEEFF00D
PROOF_OF_ROTATION_ATTR_ID = 0x3BA06F8C
ROTATION_MIN_SDK_ATTR_ID = 0x559F8B02
ROTATION_ON_DEV_RELEASE_ATTR_ID = 0xC2A6B3BA

# The scheme ids Android knows, by the newest platform in the range (apksig's supported scheme names).
SCHEME_NAMES = {2: "APK Signature Scheme v2", 3: "APK Signature Scheme v3"}


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
