"""The verdict apksigner reaches for an SDK range: does the APK verify, and which signers does Android accept.

Follows apksig's `ApkVerifier`: v3.1 (Android 13+) and v3 (Android 9+) first, v2 (Android 7.0+) unless
v3 covers the whole range, v1 below Android 7.0 or when nothing newer is there; then the cross-scheme
checks (old signers must match the new ones, apps targeting Android 11+ need v2 or newer). What the
reviewer is told about the outcome is `findings.py`'s business.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from reviewer_app.apk.facts import Signer
from reviewer_app.apk.safezip import SafeZip
from reviewer_app.apk.signing.certificates import signer_from_der
from reviewer_app.apk.signing.jar_manifest import MANIFEST_NAME
from reviewer_app.apk.signing.jar_signature import _jar_files, _v1_claimed_certs, _v1_present, _V1Result, _verify_v1
from reviewer_app.apk.signing.report import SchemeResult
from reviewer_app.apk.signing.sdk import INT_MAX, SDK_N, SDK_O, SDK_P, SDK_R, SDK_T
from reviewer_app.apk.signing.signing_block import (
    V2_BLOCK_ID,
    V3_BLOCK_ID,
    V31_BLOCK_ID,
    _block_ids,
    _ContentDigests,
    _find_scheme_block,
    _find_signing_block,
)
from reviewer_app.apk.signing.v2_v3 import SCHEME_NAMES, _BlockResult, _parse_block_signers, _verify_v2, _verify_v3


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


@dataclass
class Verdict:
    """The outcome of verification for an SDK range, with what the reviewer's findings are drawn from."""

    min_sdk: int  # the range actually checked
    platform_max: int
    schemes: dict[str, SchemeResult]  # "v1", "v2", "v3" always; "v3.1" when present
    failing: list[SchemeResult]  # schemes whose failure makes apksigner say the APK does not verify
    errors: list[str]  # failures outside any single scheme (cross-scheme checks)
    warnings: list[str]  # problems met on the way (SDK range, APK Signing Block)
    verifies: bool  # True when apksigner would print "Verifies" for this SDK range
    accepted: list[tuple[bytes, str]]  # (DER certificate, scheme) Android trusts, newest platform first
    signers: list[Signer]  # the accepted certificates, once each
    v1_needed: bool
    v1_verified: bool
    v2_checked: bool
    v2_verified: bool
    v3_checked: bool
    v3_verified: bool
    v31_verified: bool
    v3: _BlockResult | None
    v31: _BlockResult | None
    rotation_min: int | None  # first SDK of the v3.1 signers (key rotation), when they verify


def apksig_verdict(
    zf: SafeZip,
    min_sdk: int,
    max_sdk: int | None = None,
    *,
    target_sdk: int | None = None,
    target_sandbox_version: int | None = None,
) -> Verdict:
    """Verify the APK's signatures the way Android does for platform versions [min_sdk, max_sdk]."""
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

    return Verdict(
        min_sdk=min_sdk,
        platform_max=platform_max,
        schemes=schemes,
        failing=failing,
        errors=errors,
        warnings=warnings,
        verifies=verifies,
        accepted=accepted,
        signers=signers,
        v1_needed=v1_needed,
        v1_verified=v1_verified,
        v2_checked=v2_checked,
        v2_verified=v2_verified,
        v3_checked=v3_checked,
        v3_verified=v3_verified,
        v31_verified=v31_verified,
        v3=v3,
        v31=v31,
        rotation_min=rotation_min,
    )
