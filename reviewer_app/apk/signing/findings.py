"""What the reviewer is told about an APK's signatures, beyond the verdict.

Why a scheme failed; a decoy certificate (for example a lone `META-INF/*.RSA` file next to a real v2/v3
signature, fdroidserver issue 1128, or a v2 signature that Android 9+ ignores), named next to the
certificate Android actually uses; key rotation (proof-of-rotation lineage, v3.1); and APKs open to
Janus (CVE-2017-13156) because only v1 protects them.
"""

from __future__ import annotations

import hashlib

from reviewer_app.apk.signing.certificates import signer_from_der
from reviewer_app.apk.signing.sdk import SDK_LOLLIPOP, SDK_O, _android
from reviewer_app.apk.signing.verdict import Verdict
from reviewer_app.apk.warnings import ApkWarning


def _subject_of(der: bytes) -> str:
    return signer_from_der(der, ()).subject


def reviewer_warnings(verdict: Verdict) -> list[str]:
    """Warnings for the reviewer, in the order they are shown (the verdict's own warnings come before)."""
    schemes, failing, errors, signers = verdict.schemes, verdict.failing, verdict.errors, verdict.signers
    accepted, rotation_min = verdict.accepted, verdict.rotation_min
    min_sdk, platform_max = verdict.min_sdk, verdict.platform_max
    v1_result, v1_needed, v1_verified = schemes["v1"], verdict.v1_needed, verdict.v1_verified
    v2_checked, v2_verified = verdict.v2_checked, verdict.v2_verified
    v3_checked, v3_verified, v31_verified = verdict.v3_checked, verdict.v3_verified, verdict.v31_verified
    v3, v31 = verdict.v3, verdict.v31
    warnings: list[str] = []
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
    return warnings
