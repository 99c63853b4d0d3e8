"""Words shown to people for values that come from the domain (kinds, statuses, verdicts, reasons, times).

The domain keeps English codes and titles; the GUI shows them through Qt's translation functions. The
source texts below are marked with QT_TRANSLATE_NOOP so that lupdate collects them; the titles of the
reason codes must stay identical to `reviewer_app.review.reasons.REASONS` (a test checks that).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from reviewer_app.review import REASONS, RedFlag, split_time_left
from reviewer_app.review.decisions import DecisionProblem, Problem
from reviewer_app.review.flags import flag_text as english_flag_text

KIND_NAMES = {
    "new": QT_TRANSLATE_NOOP("Kinds", "New app"),
    "update": QT_TRANSLATE_NOOP("Kinds", "Update"),
    "metadata": QT_TRANSLATE_NOOP("Kinds", "Metadata"),
    "sensitive": QT_TRANSLATE_NOOP("Kinds", "Sensitive"),
}

STATUS_NAMES = {
    "pending": QT_TRANSLATE_NOOP("Statuses", "Pending"),
    "escalated": QT_TRANSLATE_NOOP("Statuses", "Escalated"),
    "approved": QT_TRANSLATE_NOOP("Statuses", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Statuses", "Rejected"),
}

VERDICT_NAMES = {
    "approve": QT_TRANSLATE_NOOP("Verdicts", "Approved"),
    "reject": QT_TRANSLATE_NOOP("Verdicts", "Rejected"),
    "escalate": QT_TRANSLATE_NOOP("Verdicts", "Escalated"),
}

SCAN_VERDICT_NAMES = {
    "clean": QT_TRANSLATE_NOOP("ScanVerdicts", "clean"),
    "malicious": QT_TRANSLATE_NOOP("ScanVerdicts", "malicious"),
    "suspicious": QT_TRANSLATE_NOOP("ScanVerdicts", "suspicious"),
    "error": QT_TRANSLATE_NOOP("ScanVerdicts", "error"),
    "timeout": QT_TRANSLATE_NOOP("ScanVerdicts", "timed out"),
    "unsupported": QT_TRANSLATE_NOOP("ScanVerdicts", "cannot judge this file"),
}

GATE_NAMES = {
    "pass": QT_TRANSLATE_NOOP("Gates", "passed"),
    "block": QT_TRANSLATE_NOOP("Gates", "blocked"),
    "hold": QT_TRANSLATE_NOOP("Gates", "held"),
}

JOB_REASON_NAMES = {
    "submitted": QT_TRANSLATE_NOOP("JobReasons", "submitted"),
    "requested": QT_TRANSLATE_NOOP("JobReasons", "requested"),
    "rescan": QT_TRANSLATE_NOOP("JobReasons", "re-scan"),
}

CLONE_VERDICT_NAMES = {
    "counterfeit_suspected": QT_TRANSLATE_NOOP("CloneVerdicts", "counterfeit suspected"),
    "same_developer_family": QT_TRANSLATE_NOOP("CloneVerdicts", "same developer family"),
    "no_match": QT_TRANSLATE_NOOP("CloneVerdicts", "no match"),
}

# The signals of a clone comparison, in the order the panel shows them.
CLONE_SIGNAL_NAMES = {
    "name": QT_TRANSLATE_NOOP("CloneSignals", "Name"),
    "icon": QT_TRANSLATE_NOOP("CloneSignals", "Icon"),
    "package": QT_TRANSLATE_NOOP("CloneSignals", "Package"),
    "certificate": QT_TRANSLATE_NOOP("CloneSignals", "Certificate"),
    "code": QT_TRANSLATE_NOOP("CloneSignals", "Code"),
    "resources": QT_TRANSLATE_NOOP("CloneSignals", "Resources"),
}

CERTIFICATE_MATCH_NAMES = {
    "same": QT_TRANSLATE_NOOP("CloneSignals", "same key"),
    "different": QT_TRANSLATE_NOOP("CloneSignals", "different key"),
    "unknown": QT_TRANSLATE_NOOP("CloneSignals", "unknown"),
}

# Why two names count as alike (the clone search's `name_reasons`).
NAME_REASON_TEXTS = {
    "same_skeleton": QT_TRANSLATE_NOOP("NameReasons", "the same letters once case, spaces and symbols are ignored"),
    "homophone": QT_TRANSLATE_NOOP("NameReasons", "they sound the same"),
    "look_alike_chars": QT_TRANSLATE_NOOP("NameReasons", "characters that look alike"),
    "marketing_words": QT_TRANSLATE_NOOP("NameReasons", "the same name with marketing words added"),
    "traditional_simplified": QT_TRANSLATE_NOOP("NameReasons", "the same name in traditional and simplified Chinese"),
    "edit": QT_TRANSLATE_NOOP("NameReasons", "a few characters changed"),
}

RECALL_STATE_NAMES = {
    "open": QT_TRANSLATE_NOOP("RecallStates", "open"),
    "recalled": QT_TRANSLATE_NOOP("RecallStates", "recalled"),
    "dismissed": QT_TRANSLATE_NOOP("RecallStates", "dismissed"),
}

RECALL_SOURCE_NAMES = {
    "rescan": QT_TRANSLATE_NOOP("RecallSources", "re-scan"),
    "lead": QT_TRANSLATE_NOOP("RecallSources", "lead"),
}

SCHEME_STATES = {
    "verified": QT_TRANSLATE_NOOP("Signatures", "verified"),
    "failed": QT_TRANSLATE_NOOP("Signatures", "failed"),
    "absent": QT_TRANSLATE_NOOP("Signatures", "absent"),
}

REASON_TITLES = {
    "malware": QT_TRANSLATE_NOOP("Reasons", "Malware detected"),
    "fee_deduction": QT_TRANSLATE_NOOP("Reasons", "Hidden charges"),
    "counterfeit": QT_TRANSLATE_NOOP("Reasons", "Counterfeit / impersonation"),
    "privacy": QT_TRANSLATE_NOOP("Reasons", "Excessive permissions"),
    "signature": QT_TRANSLATE_NOOP("Reasons", "Signature problem"),
    "crash": QT_TRANSLATE_NOOP("Reasons", "Crashes or does not start"),
    "metadata": QT_TRANSLATE_NOOP("Reasons", "Misleading listing"),
    "content": QT_TRANSLATE_NOOP("Reasons", "Prohibited content"),
    "ads": QT_TRANSLATE_NOOP("Reasons", "Intrusive ads"),
    "other": QT_TRANSLATE_NOOP("Reasons", "Other"),
}

REASON_DESCRIPTIONS = {
    "malware": QT_TRANSLATE_NOOP("Reasons", "A scanner or a reviewer found malicious behaviour."),
    "fee_deduction": QT_TRANSLATE_NOOP("Reasons", "Sends premium SMS or charges users without clear consent."),
    "counterfeit": QT_TRANSLATE_NOOP("Reasons", "Copies another app's name or icon, signed by someone else."),
    "privacy": QT_TRANSLATE_NOOP("Reasons", "Requests sensitive permissions its features do not need."),
    "signature": QT_TRANSLATE_NOOP("Reasons", "The APK's signature does not verify or changed unexpectedly."),
    "crash": QT_TRANSLATE_NOOP("Reasons", "Fails to install, launch or run on test devices."),
    "metadata": QT_TRANSLATE_NOOP("Reasons", "Name, description or screenshots do not match the app."),
    "content": QT_TRANSLATE_NOOP("Reasons", "Content not allowed by store policy."),
    "ads": QT_TRANSLATE_NOOP("Reasons", "Ads that block use of the app or the device."),
    "other": QT_TRANSLATE_NOOP("Reasons", "Explained in the message to the developer."),
}

# The warnings and read errors of reviewer_app.apk.warnings.TEMPLATES, for lupdate (identical English: a test compares).
# Translations keep the {placeholders}.
WARNING_TEXTS = {
    "manifest_packed": QT_TRANSLATE_NOOP(
        "Warnings", "AndroidManifest.xml is packed or obfuscated: some values may be missing"
    ),
    "manifest_namespace": QT_TRANSLATE_NOOP(
        "Warnings",
        "manifest attributes carry the namespace {namespace} instead of Android's: read by their resource ids, as Android does",
    ),
    "strings_malformed": QT_TRANSLATE_NOOP(
        "Warnings",
        "{file} has {count} malformed strings, read as far as their lengths go (string #{index}: {reason}); aapt and recent Android versions may refuse them",
    ),
    "string_malformed": QT_TRANSLATE_NOOP(
        "Warnings", "{attribute} ({reference}) is a malformed string ({reason}): shown as far as it could be read"
    ),
    "package_name_invalid": QT_TRANSLATE_NOOP("Warnings", "package name {package} is not valid for an Android app"),
    "no_version_code": QT_TRANSLATE_NOOP("Warnings", "no versionCode: Android treats it as 0"),
    "sdk_codename": QT_TRANSLATE_NOOP("Warnings", "{attribute} is the preview codename {codename}, not an API level"),
    "debuggable": QT_TRANSLATE_NOOP("Warnings", "debuggable build: any app on the device can attach a debugger"),
    "test_only": QT_TRANSLATE_NOOP("Warnings", "test-only build: Android installs it only with adb install -t"),
    "string_unresolved": QT_TRANSLATE_NOOP("Warnings", "string resource {reference} could not be resolved"),
    "icon_unresolved": QT_TRANSLATE_NOOP("Warnings", "launcher icon resource {reference} could not be resolved"),
    "icon_no_bitmap": QT_TRANSLATE_NOOP("Warnings", "launcher icon has no bitmap version (vector or adaptive only)"),
    "icon_missing": QT_TRANSLATE_NOOP("Warnings", "launcher icon {path} is missing from the archive"),
    "icon_too_large": QT_TRANSLATE_NOOP("Warnings", "launcher icon {path} is too large ({width}x{height} pixels)"),
    "signature_partial": QT_TRANSLATE_NOOP("Warnings", "signature does not verify for the whole SDK range of this APK"),
    "not_signed": QT_TRANSLATE_NOOP("Warnings", "APK is not signed"),
    "no_v1_signature": QT_TRANSLATE_NOOP(
        "Warnings", "no v1 (JAR) signature, which Android {first}-6.0 requires (APK min SDK {min_sdk})"
    ),
    "janus_v1_only": QT_TRANSLATE_NOOP(
        "Warnings", "signed only with v1 (JAR) scheme: vulnerable to Janus (CVE-2017-13156) on Android {first}-{last}"
    ),
    "key_rotated": QT_TRANSLATE_NOOP("Warnings", "signing key was rotated (proof-of-rotation lineage: {chain})"),
    "key_rotation_v31": QT_TRANSLATE_NOOP(
        "Warnings", "key rotation (v3.1): Android {first}+ uses {current}, older versions use {older}"
    ),
    "v1_signer_ignored": QT_TRANSLATE_NOOP(
        "Warnings", "v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256})"
    ),
    "v1_signer_ignored_uses": QT_TRANSLATE_NOOP(
        "Warnings",
        "v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})",
    ),
    "v1_signer_refused": QT_TRANSLATE_NOOP(
        "Warnings", "v1 signature not accepted by Android: signed by {subject} (sha256 {sha256})"
    ),
    "v1_signer_refused_uses": QT_TRANSLATE_NOOP(
        "Warnings",
        "v1 signature not accepted by Android: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})",
    ),
    "v2_signer_ignored": QT_TRANSLATE_NOOP(
        "Warnings", "v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256})"
    ),
    "v2_signer_ignored_uses": QT_TRANSLATE_NOOP(
        "Warnings",
        "v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256}), Android uses {used} (sha256 {used_sha256})",
    ),
    "duplicate_entries": QT_TRANSLATE_NOOP(
        "Warnings", "duplicate zip entries ({names}): Android refuses to install this APK"
    ),
    "prepended_data": QT_TRANSLATE_NOOP("Warnings", "{size} bytes of unknown data precede the zip archive"),
    "prepended_dex": QT_TRANSLATE_NOOP(
        "Warnings",
        "file starts with {size} bytes of DEX code before the zip archive (Janus, CVE-2017-13156): old Android versions run that code instead of the app",
    ),
    "compression_method": QT_TRANSLATE_NOOP(
        "Warnings", "zip entry {name} uses non-standard compression method {method} (an analysis-evasion trick)"
    ),
    "no_such_file": QT_TRANSLATE_NOOP("Warnings", "no such file"),
    "is_directory": QT_TRANSLATE_NOOP("Warnings", "is a directory"),
    "permission_denied": QT_TRANSLATE_NOOP("Warnings", "permission denied"),
    "file_too_large": QT_TRANSLATE_NOOP("Warnings", "file exceeds size limit ({size} > {limit} bytes)"),
    "not_zip": QT_TRANSLATE_NOOP("Warnings", "not a zip archive"),
    "empty_zip": QT_TRANSLATE_NOOP("Warnings", "empty zip archive"),
    "too_many_entries": QT_TRANSLATE_NOOP("Warnings", "too many zip entries ({count} > {limit})"),
    "decompressed_too_large": QT_TRANSLATE_NOOP("Warnings", "decompressed size exceeds limit"),
    "manifest_missing": QT_TRANSLATE_NOOP("Warnings", "AndroidManifest.xml missing"),
    "manifest_empty": QT_TRANSLATE_NOOP("Warnings", "AndroidManifest.xml is empty"),
    "manifest_plain_text": QT_TRANSLATE_NOOP(
        "Warnings", "AndroidManifest.xml is plain-text XML, not compiled (not a built APK)"
    ),
    "manifest_invalid": QT_TRANSLATE_NOOP("Warnings", "AndroidManifest.xml is not valid binary XML"),
    "manifest_no_root": QT_TRANSLATE_NOOP("Warnings", "AndroidManifest.xml has no <manifest> element"),
    "manifest_no_package": QT_TRANSLATE_NOOP("Warnings", "AndroidManifest.xml has no package name"),
    "parse_timeout": QT_TRANSLATE_NOOP("Warnings", "parse time exceeds limit"),
    "parse_memory": QT_TRANSLATE_NOOP("Warnings", "memory limit exceeded while parsing"),
}

# Red flags that are not APK warnings (review/flags.py TEXTS, identical English: a test compares).
FLAG_TEXTS = {
    "unreadable": QT_TRANSLATE_NOOP("Flags", "the package could not be read: {reason}"),
    "no_signer": QT_TRANSLATE_NOOP("Flags", "no certificate that Android accepts signs this package"),
    "signer_changed": QT_TRANSLATE_NOOP("Flags", "signed by a different key than the last approved version"),
    "version_not_higher": QT_TRANSLATE_NOOP("Flags", "version code {new} is not higher than the last approved {old}"),
    "scan_blocked": QT_TRANSLATE_NOOP("Flags", "the scan gate blocked it: {engines} found malware ({detections})"),
    "scan_held": QT_TRANSLATE_NOOP("Flags", "the scan gate holds it: {reason}"),
    "malware_after_pass": QT_TRANSLATE_NOOP(
        "Flags", "{engines} found malware after the scan gate had passed it ({detections})"
    ),
    "fee_deduction": QT_TRANSLATE_NOOP("Flags", "fee deduction: {rules}"),
    "counterfeit_suspected": QT_TRANSLATE_NOOP(
        "Flags", "looks like {label} ({package}) by {developer}, signed by someone else"
    ),
    "device_install_failed": QT_TRANSLATE_NOOP("Flags", "did not install on {devices}"),
    "device_crash": QT_TRANSLATE_NOOP("Flags", "crashed on {devices}"),
    "device_anr": QT_TRANSLATE_NOOP("Flags", "stopped responding on {devices}"),
    "device_blank_screen": QT_TRANSLATE_NOOP("Flags", "showed a blank screen on {devices}"),
    "device_crash_dialog": QT_TRANSLATE_NOOP("Flags", "the system's crash dialog showed on {devices}"),
}

# Why a decision cannot be sent (review/decisions.py), as the decision form says it.
PROBLEM_TEXTS = {
    Problem.UNKNOWN_VERDICT: QT_TRANSLATE_NOOP("DecisionPanel", "Choose approve, reject or escalate."),
    Problem.UNKNOWN_REASON: QT_TRANSLATE_NOOP("DecisionPanel", "Unknown reason code {reason}."),
    Problem.NO_REASON: QT_TRANSLATE_NOOP("DecisionPanel", "Choose at least one reason before rejecting."),
    Problem.NO_MESSAGE: QT_TRANSLATE_NOOP("DecisionPanel", "Write a message to the developer before rejecting."),
}

_REASONS = {r.code: r for r in REASONS}


def _tr(context: str, text: object) -> str:
    return QCoreApplication.translate(context, str(text))


def kind_name(kind: str) -> str:
    return _tr("Kinds", KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def status_name(status: str) -> str:
    return _tr("Statuses", STATUS_NAMES[status]) if status in STATUS_NAMES else status


def verdict_name(verdict: str) -> str:
    return _tr("Verdicts", VERDICT_NAMES[verdict]) if verdict in VERDICT_NAMES else verdict


def scan_verdict_name(verdict: str) -> str:
    return _tr("ScanVerdicts", SCAN_VERDICT_NAMES[verdict]) if verdict in SCAN_VERDICT_NAMES else verdict


def gate_name(gate: str) -> str:
    return _tr("Gates", GATE_NAMES[gate]) if gate in GATE_NAMES else gate


def job_reason_name(reason: str) -> str:
    """Why a scan ran: filed with the package, asked for by a person, or new signatures."""
    return _tr("JobReasons", JOB_REASON_NAMES[reason]) if reason in JOB_REASON_NAMES else reason


def clone_verdict_name(verdict: str) -> str:
    return _tr("CloneVerdicts", CLONE_VERDICT_NAMES[verdict]) if verdict in CLONE_VERDICT_NAMES else verdict


def clone_signal_name(signal: str) -> str:
    return _tr("CloneSignals", CLONE_SIGNAL_NAMES[signal]) if signal in CLONE_SIGNAL_NAMES else signal


def certificate_match_name(value: str) -> str:
    """Whether a candidate is signed with the submission's key: "same", "different" or "unknown"."""
    return _tr("CloneSignals", CERTIFICATE_MATCH_NAMES[value]) if value in CERTIFICATE_MATCH_NAMES else value


def name_reason_text(code: str) -> str:
    """Why the clone search finds two names alike; a code this GUI does not know shows as it is."""
    return _tr("NameReasons", NAME_REASON_TEXTS[code]) if code in NAME_REASON_TEXTS else code


def recall_state_name(state: str) -> str:
    return _tr("RecallStates", RECALL_STATE_NAMES[state]) if state in RECALL_STATE_NAMES else state


def recall_source_name(source: str) -> str:
    return _tr("RecallSources", RECALL_SOURCE_NAMES[source]) if source in RECALL_SOURCE_NAMES else source


def scheme_state(state: str) -> str:
    return _tr("Signatures", SCHEME_STATES[state]) if state in SCHEME_STATES else state


def reason_title(code: str) -> str:
    """The translated title of a reason code; a code this GUI does not know shows its English title."""
    if code in REASON_TITLES:
        return _tr("Reasons", REASON_TITLES[code])
    reason = _REASONS.get(code)
    return reason.title if reason else code


def reason_description(code: str) -> str:
    if code in REASON_DESCRIPTIONS:
        return _tr("Reasons", REASON_DESCRIPTIONS[code])
    reason = _REASONS.get(code)
    return reason.description if reason else ""


def warning_text(text: str, coded: dict | None = None) -> str:
    """An APK warning in the reviewer's language when its code is known (`ApkFacts.warning_codes[text]`);
    otherwise, or if a translation does not fit its parameters, the English text as the parser wrote it."""
    if not coded or coded.get("code") not in WARNING_TEXTS:
        return text
    try:
        return _tr("Warnings", WARNING_TEXTS[coded["code"]]).format(**dict(coded.get("params") or {}))
    except (KeyError, IndexError, ValueError):
        return text


def flag_text(flag: RedFlag) -> str:
    """A red flag in the reviewer's language; English where no translation fits its values."""
    if flag.code in FLAG_TEXTS:
        try:
            return _tr("Flags", FLAG_TEXTS[flag.code]).format(**flag.params)
        except (KeyError, IndexError, ValueError):
            return english_flag_text(flag)
    return warning_text(english_flag_text(flag), {"code": flag.code, "params": flag.params})


def problem_text(problem: DecisionProblem) -> str:
    try:
        return _tr("DecisionPanel", PROBLEM_TEXTS[problem.code]).format(**problem.params)
    except (KeyError, IndexError, ValueError):
        return problem.text()


def stars(tier: int | None) -> str:
    if not tier:
        return ""
    tier = max(0, min(5, int(tier)))
    return "★" * tier + "☆" * (5 - tier)


def time_left_text(left: timedelta) -> str:
    """Like review.format_time_left ('1h 05m', '12m', '-3h 10m'), with translated units."""
    sign, days, hours, minutes = split_time_left(left)
    if days:
        text = QCoreApplication.translate("TimeLeft", "%1d %2h").replace("%1", str(days)).replace("%2", str(hours))
    elif hours:
        text = (
            QCoreApplication.translate("TimeLeft", "%1h %2m").replace("%1", str(hours)).replace("%2", f"{minutes:02d}")
        )
    else:
        text = QCoreApplication.translate("TimeLeft", "%1m").replace("%1", str(minutes))
    return sign + text


def local_time_text(moment: datetime | None) -> str:
    """A moment in the workstation's time zone, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def short_time_text(moment: datetime | None) -> str:
    """Month, day and time in the workstation's time zone: compact enough for a table column."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%m-%d %H:%M")


def version_text(version_name: str | None, version_code: int | None) -> str:
    if version_name and version_code is not None:
        return f"{version_name} ({version_code})"
    if version_name:
        return version_name
    if version_code is not None:
        return f"({version_code})"
    return ""
