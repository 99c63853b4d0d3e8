"""Red flags: what in the evidence must not be approved without a second look.

They feed the queue's risk column (stored with the submission when it is filed) and the question asked
before approving (computed again from the evidence when the submission is opened). Each evidence panel
contributes its own: the package's facts and the comparison of an update now; scan gates, suspected
counterfeits and device crashes when those panels arrive.

Critical (2): a hostile, tampered or broken package — Android would refuse it, or it hides from analysis.
Serious (1): a package that may install but that the store should not ship as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewer_app.domain import RedFlag, worst_first

CRITICAL, SERIOUS = 2, 1

# APK warning codes (apk/warnings.py) that are red flags, with their severity. The rest (an unresolved
# string, a missing icon bitmap, a rotated key...) are worth reading but do not stop an approval.
WARNING_SEVERITY = {
    "prepended_dex": CRITICAL,  # Janus: old Android runs the code in front of the zip
    "duplicate_entries": CRITICAL,  # Android refuses it; a classic tampering trick
    "compression_method": CRITICAL,  # evades analysis tools
    "manifest_packed": CRITICAL,  # obfuscated manifest: values may be hidden
    "not_signed": CRITICAL,
    "v1_signer_refused": CRITICAL,  # a decoy JAR signature
    "v1_signer_refused_uses": CRITICAL,
    "signature_partial": SERIOUS,  # some Android versions refuse it
    "prepended_data": SERIOUS,
    "package_name_invalid": SERIOUS,
    "janus_v1_only": SERIOUS,  # attackers can inject code into it on Android 5.0-7.0
    "debuggable": SERIOUS,
    "test_only": SERIOUS,  # Android installs it only with adb install -t
    "v1_signer_ignored": SERIOUS,  # a certificate a reviewer may be shown that Android does not use
    "v1_signer_ignored_uses": SERIOUS,
    "v2_signer_ignored": SERIOUS,
    "v2_signer_ignored_uses": SERIOUS,
}

# Flags that are not APK warnings: their English text (the GUI translates by code).
TEXTS = {
    "unreadable": "the package could not be read: {reason}",
    "no_signer": "no certificate that Android accepts signs this package",
    "signer_changed": "signed by a different key than the last approved version",
    "version_not_higher": "version code {new} is not higher than the last approved {old}",
    # a scan's (review/scans.py)
    "scan_blocked": "the scan gate blocked it: {engines} found malware ({detections})",
    "scan_held": "the scan gate holds it: {reason}",
    "malware_after_pass": "{engines} found malware after the scan gate had passed it ({detections})",
    "fee_deduction": "fee deduction: {rules}",
    # the clone search's (review/clones.py)
    "counterfeit_suspected": "looks like {label} ({package}) by {developer}, signed by someone else",
    # device runs' (review/devices.py)
    "device_install_failed": "did not install on {devices}",
    "device_crash": "crashed on {devices}",
    "device_anr": "stopped responding on {devices}",
    "device_blank_screen": "showed a blank screen on {devices}",
    "device_crash_dialog": "the system's crash dialog showed on {devices}",
}


def facts_flags(facts: Any) -> list[RedFlag]:
    """Red flags of a package on its own (ApkFacts); none for a submission without a package."""
    if facts is None:
        return []
    if not facts.ok:
        return [RedFlag("unreadable", CRITICAL, "facts", {"reason": str(facts.error or "")})]
    flags = []
    codes = facts.warning_codes or {}
    for text in facts.warnings or ():
        coded = codes.get(text)
        if coded and coded.get("code") in WARNING_SEVERITY:
            code = coded["code"]
            flags.append(RedFlag(code, WARNING_SEVERITY[code], "facts", dict(coded.get("params") or {})))
    if not facts.signers and not any(flag.code == "not_signed" for flag in flags):
        flags.append(RedFlag("no_signer", CRITICAL, "facts"))
    return flags


def update_flags(changes: Any) -> list[RedFlag]:
    """Red flags of an update against the last approved version (a VersionDiff, or None)."""
    if changes is None or not changes.ok:
        return []
    flags = []
    if changes.signer_changed:
        flags.append(RedFlag("signer_changed", CRITICAL, "update"))
    if not changes.version_code_increased:
        params = {"old": str(changes.old_version_code), "new": str(changes.new_version_code)}
        flags.append(RedFlag("version_not_higher", SERIOUS, "update", params))
    return flags


def red_flags(facts: Any, changes: Any = None, *more: Iterable[RedFlag]) -> tuple[RedFlag, ...]:
    """Every red flag of a submission, worst first, each code once."""
    seen: dict[tuple[str, str], RedFlag] = {}
    for flag in [*facts_flags(facts), *update_flags(changes), *(f for group in more for f in group)]:
        seen.setdefault((flag.source, flag.code), flag)
    return worst_first(seen.values())


def flag_text(flag: RedFlag) -> str:
    """English, for the command line and logs."""
    from reviewer_app.apk.warnings import TEMPLATES

    template = TEXTS.get(flag.code) or TEMPLATES.get(flag.code) or flag.code
    try:
        return template.format(**flag.params)
    except (KeyError, IndexError, ValueError):
        return flag.code
