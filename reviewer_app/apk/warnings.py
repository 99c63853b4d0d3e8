"""Warnings (and reasons a file is unreadable) with a code and parameters beside the English text.

The English text is what `inspect --json` prints (a list of strings, CLI.md); the GUI shows the same
warning in the reviewer's language from the code (`ApkFacts.warning_codes`). Low-level verification
details (which digest of which JAR entry failed) stay English, as `apksigner` prints them.
"""

from __future__ import annotations

from typing import Any

# code -> English template; `{name}` placeholders are filled from the parameters. The GUI's translations
# use the same placeholders (ui/text.py keeps a copy of each template for lupdate; a test compares them).
TEMPLATES: dict[str, str] = {
    "manifest_packed": "AndroidManifest.xml is packed or obfuscated: some values may be missing",
    "manifest_namespace": "manifest attributes carry the namespace {namespace} instead of Android's: "
    "read by their resource ids, as Android does",
    "strings_malformed": "{file} has {count} malformed strings, read as far as their lengths go "
    "(string #{index}: {reason}); aapt and recent Android versions may refuse them",
    "string_malformed": "{attribute} ({reference}) is a malformed string ({reason}): shown as far as it could be read",
    "package_name_invalid": "package name {package} is not valid for an Android app",
    "no_version_code": "no versionCode: Android treats it as 0",
    "sdk_codename": "{attribute} is the preview codename {codename}, not an API level",
    "debuggable": "debuggable build: any app on the device can attach a debugger",
    "test_only": "test-only build: Android installs it only with adb install -t",
    "string_unresolved": "string resource {reference} could not be resolved",
    "icon_unresolved": "launcher icon resource {reference} could not be resolved",
    "icon_no_bitmap": "launcher icon has no bitmap version (vector or adaptive only)",
    "icon_missing": "launcher icon {path} is missing from the archive",
    "icon_too_large": "launcher icon {path} is too large ({width}x{height} pixels)",
    "signature_partial": "signature does not verify for the whole SDK range of this APK",
    "not_signed": "APK is not signed",
    "no_v1_signature": "no v1 (JAR) signature, which Android {first}-6.0 requires (APK min SDK {min_sdk})",
    "janus_v1_only": "signed only with v1 (JAR) scheme: vulnerable to Janus (CVE-2017-13156) on Android {first}-{last}",
    "key_rotated": "signing key was rotated (proof-of-rotation lineage: {chain})",
    "key_rotation_v31": "key rotation (v3.1): Android {first}+ uses {current}, older versions use {older}",
    # A certificate of a signature Android does not use for this APK (a decoy, or a leftover).
    "v1_signer_ignored": "v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256})",
    "v1_signer_ignored_uses": "v1 signature ignored by Android 7.0+: signed by {subject} (sha256 {sha256}), "
    "Android uses {used} (sha256 {used_sha256})",
    "v1_signer_refused": "v1 signature not accepted by Android: signed by {subject} (sha256 {sha256})",
    "v1_signer_refused_uses": "v1 signature not accepted by Android: signed by {subject} (sha256 {sha256}), "
    "Android uses {used} (sha256 {used_sha256})",
    "v2_signer_ignored": "v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256})",
    "v2_signer_ignored_uses": "v2 signature ignored by Android 9+: signed by {subject} (sha256 {sha256}), "
    "Android uses {used} (sha256 {used_sha256})",
    "duplicate_entries": "duplicate zip entries ({names}): Android refuses to install this APK",
    "prepended_data": "{size} bytes of unknown data precede the zip archive",
    "prepended_dex": "file starts with {size} bytes of DEX code before the zip archive "
    "(Janus, CVE-2017-13156): old Android versions run that code instead of the app",
    "compression_method": "zip entry {name} uses non-standard compression method {method} (an analysis-evasion trick)",
    # Why a file could not be read at all (`error`); CLI.md quotes some of these texts.
    "no_such_file": "no such file",
    "is_directory": "is a directory",
    "permission_denied": "permission denied",
    "file_too_large": "file exceeds size limit ({size} > {limit} bytes)",
    "not_zip": "not a zip archive",
    "empty_zip": "empty zip archive",
    "too_many_entries": "too many zip entries ({count} > {limit})",
    "decompressed_too_large": "decompressed size exceeds limit",
    "manifest_missing": "AndroidManifest.xml missing",
    "manifest_empty": "AndroidManifest.xml is empty",
    "manifest_plain_text": "AndroidManifest.xml is plain-text XML, not compiled (not a built APK)",
    "manifest_invalid": "AndroidManifest.xml is not valid binary XML",
    "manifest_no_root": "AndroidManifest.xml has no <manifest> element",
    "manifest_no_package": "AndroidManifest.xml has no package name",
    "parse_timeout": "parse time exceeds limit",
    "parse_memory": "memory limit exceeded while parsing",
}


class ApkWarning(str):
    """The English text of a warning, carrying its code and parameters while the APK is read."""

    code: str
    params: dict[str, str]

    def __new__(cls, code: str, **params: Any) -> ApkWarning:
        values = {name: str(value) for name, value in params.items()}
        text = super().__new__(cls, TEMPLATES[code].format(**values))
        text.code = code
        text.params = values
        return text

    def __reduce__(self):  # pickled as what it is, across the parsing processes
        return (_rebuild, (self.code, self.params))


def _rebuild(code: str, params: dict[str, str]) -> ApkWarning:
    return ApkWarning(code, **params)


def code_of(text: object) -> dict[str, Any] | None:
    """{"code", "params"} of a coded text (an ApkWarning, or an exception raised with one), else None."""
    if isinstance(text, BaseException):
        text = text.args[0] if len(text.args) == 1 else None
    if isinstance(text, ApkWarning):
        return {"code": text.code, "params": dict(text.params)}
    return None


def warning_codes(warnings: list[str]) -> dict[str, dict[str, Any]]:
    """English text -> {"code", "params"} for the coded ones among these warnings."""
    return {
        str(text): {"code": text.code, "params": dict(text.params)} for text in warnings if isinstance(text, ApkWarning)
    }
