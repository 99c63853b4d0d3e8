"""The entry point: verify an APK's signatures for an SDK range and report what the reviewer needs.

The verdict (`verdict.py`) and the reviewer's findings (`findings.py`) make one `SigningReport`.
"""

from __future__ import annotations

from collections.abc import Iterable

from reviewer_app.apk.safezip import SafeZip
from reviewer_app.apk.signing.findings import reviewer_warnings
from reviewer_app.apk.signing.report import SigningReport
from reviewer_app.apk.signing.verdict import apksig_verdict


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
    verdict = apksig_verdict(zf, min_sdk, max_sdk, target_sdk=target_sdk, target_sandbox_version=target_sandbox_version)
    warnings = verdict.warnings + reviewer_warnings(verdict)
    return SigningReport(
        signers=verdict.signers, schemes=verdict.schemes, warnings=_dedupe(warnings), verifies=verdict.verifies
    )


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
