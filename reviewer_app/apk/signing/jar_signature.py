"""JAR signature (v1): the signers' .SF files against the manifest, the manifest against every entry.

Android needs it below 7.0 (API 24), and it is the only scheme of an APK without a v2/v3 signature.
Also the certificates a META-INF signature block names, read without verifying anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.apk.signing.algorithms import _HASHLIB
from reviewer_app.apk.signing.certificates import _Cert
from reviewer_app.apk.signing.jar_manifest import MANIFEST_NAME, _digests_to_verify, _ManifestParser, _Section
from reviewer_app.apk.signing.jar_signature_block import (
    _find_cert,
    _JarSigner,
    _load_signed_data,
    _read_entry,
    _signed_data_certs,
    _verify_sig_block,
)
from reviewer_app.apk.signing.sdk import SDK_N


@dataclass
class _V1Result:
    present: bool = False
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    signers: list[_JarSigner] = field(default_factory=list)

    def all_errors(self) -> list[str]:
        out = list(self.errors)
        for signer in self.signers:
            out.extend(signer.errors)
        return out


def _verify_sf_against_manifest(
    signer: _JarSigner,
    manifest: bytes,
    main_section: _Section | None,
    sections: dict[str, _Section],
    supported_ids: dict[int, str],
    found_ids: set[int],
    min_sdk: int,
    max_sdk: int,
) -> None:
    prefix = f"JAR signer {signer.name}"
    parser = _ManifestParser(signer.sf_bytes)
    sf_main = parser.read_section()
    if sf_main is None or sf_main.get("Signature-Version") is None:
        signer.errors.append(f"{prefix}: malformed {signer.sf_name}: missing Signature-Version attribute")
        signer.ignored = True
        return
    if max_sdk >= SDK_N:
        _check_stripped(signer, sf_main, supported_ids, found_ids)
        if signer.errors:
            return
    created_by = sf_main.get("Created-By")
    signtool = created_by is not None and "signtool" in created_by
    manifest_verified = _verify_manifest_digest(signer, sf_main, signtool, manifest, min_sdk, max_sdk)
    if not signtool and main_section is not None:
        for alg, expected in _digests_to_verify(sf_main, "-Digest-Manifest-Main-Attributes", min_sdk, max_sdk):
            actual = hashlib.new(
                _HASHLIB[alg], manifest[main_section.start : main_section.start + main_section.size]
            ).digest()
            if actual != expected:
                signer.errors.append(
                    f"{prefix}: {alg} digest of {MANIFEST_NAME} main section does not match {signer.sf_name}"
                )
    if signer.errors:
        return
    names: set[str] = set()
    for number, section in enumerate(parser.read_all(), start=1):
        name = section.name
        if name is None:
            signer.errors.append(f"{prefix}: malformed {signer.sf_name}: section #{number} has no name")
            signer.ignored = True
            return
        if name in names:
            signer.errors.append(f"{prefix}: duplicate section in {signer.sf_name}: {name}")
            signer.ignored = True
            return
        names.add(name)
        if manifest_verified:
            continue
        manifest_section = sections.get(name)
        if manifest_section is None:
            signer.errors.append(f"{prefix}: no digest for {name} in {signer.sf_name}")
            signer.ignored = True
            continue
        expected_digests = _digests_to_verify(section, "-Digest", min_sdk, max_sdk)
        if not expected_digests:
            signer.errors.append(f"{prefix}: no digest for {name} in {signer.sf_name}")
            continue
        start, size = manifest_section.start, manifest_section.size
        if (
            signtool
            and size >= 2
            and manifest[start + size - 1 : start + size] == b"\n"
            and manifest[start + size - 2 : start + size - 1] == b"\n"
        ):
            size -= 1
        for alg, expected in expected_digests:
            actual = hashlib.new(_HASHLIB[alg], manifest[start : start + size]).digest()
            if actual != expected:
                signer.errors.append(
                    f"{prefix}: {alg} digest of {MANIFEST_NAME} section for {name} does not match {signer.sf_name}"
                )
    signer.sf_entry_names = names


def _verify_manifest_digest(
    signer: _JarSigner, sf_main: _Section, signtool: bool, manifest: bytes, min_sdk: int, max_sdk: int
) -> bool:
    expected = _digests_to_verify(sf_main, "-Digest" if signtool else "-Digest-Manifest", min_sdk, max_sdk)
    if not expected:
        signer.warnings.append(f"{signer.sf_name} does not specify the digest of {MANIFEST_NAME}")
        return False
    verified = True
    for alg, digest in expected:
        if hashlib.new(_HASHLIB[alg], manifest).digest() != digest:
            signer.warnings.append(f"{alg} digest of {MANIFEST_NAME} does not match {signer.sf_name}")
            verified = False
    return verified


def _check_stripped(signer: _JarSigner, sf_main: _Section, supported_ids: dict[int, str], found_ids: set[int]) -> None:
    value = sf_main.get("X-Android-APK-Signed")
    if value is None:
        if found_ids:
            signer.warnings.append(
                f"{signer.sf_name} has no protection against stripping of the APK Signature Scheme signatures"
            )
        return
    if not supported_ids:
        return
    expected: set[int] = set()
    for token in value.split(","):
        token = token.strip()
        if not token:
            continue
        try:
            scheme_id = int(token)
        except ValueError:
            continue
        if scheme_id in supported_ids:
            expected.add(scheme_id)
        else:
            signer.warnings.append(f"{signer.sf_name} references unknown APK signature scheme id {scheme_id}")
    for scheme_id in sorted(expected):
        if scheme_id not in found_ids:
            signer.errors.append(
                f"JAR signer {signer.name}: v{scheme_id} signature was stripped ({signer.sf_name} says the APK "
                f"is signed with {supported_ids[scheme_id]}, which is missing)"
            )


def _jar_files(zf: SafeZip) -> tuple[str | None, dict[str, str], list[str]]:
    manifest = None
    sf_files: dict[str, str] = {}
    blocks: list[str] = []
    for name in zf.entries:
        if not name.startswith("META-INF/"):
            continue
        if manifest is None and name == MANIFEST_NAME:
            manifest = name
            continue
        if name.endswith(".SF"):
            sf_files[name] = name
        elif name.endswith((".RSA", ".DSA", ".EC")):
            blocks.append(name)
    return manifest, sf_files, blocks


def _v1_present(zf: SafeZip) -> bool:
    _, sf_files, blocks = _jar_files(zf)
    return bool(sf_files or blocks)


def _verify_v1(
    zf: SafeZip, supported_ids: dict[int, str], found_ids: set[int], min_sdk: int, max_sdk: int
) -> _V1Result:
    result = _V1Result(present=_v1_present(zf))
    if zf.duplicates:
        for duplicate in sorted(set(zf.duplicates)):
            result.errors.append(f"duplicate zip entry {duplicate}")
        return result
    manifest_name, sf_files, blocks = _jar_files(zf)
    if manifest_name is None:
        result.errors.append(f"missing {MANIFEST_NAME}")
        return result
    try:
        manifest = _read_entry(zf, manifest_name)
    except ZipFormatError as exc:
        result.errors.append(f"cannot read {MANIFEST_NAME}: {exc}")
        return result
    parser = _ManifestParser(manifest)
    main_section = parser.read_section()
    sections: dict[str, _Section] = {}
    for number, section in enumerate(parser.read_all(), start=1):
        name = section.name
        if name is None:
            result.errors.append(f"malformed {MANIFEST_NAME}: section #{number} has no name")
            continue
        if name in sections:
            result.errors.append(f"duplicate section in {MANIFEST_NAME}: {name}")
            continue
        sections[name] = section
        if name not in zf.entries:
            result.errors.append(f"{name} entry referenced by {MANIFEST_NAME} not found in the APK")
    if result.errors:
        return result

    signers: list[_JarSigner] = []
    for block_name in blocks:
        sf_name = block_name[: block_name.rindex(".")] + ".SF"
        if sf_name not in sf_files:
            result.warnings.append(f"partial JAR signature: found {block_name}, missing {sf_name}")
            continue
        signers.append(_JarSigner(block_name[len("META-INF/") :], block_name, sf_name))
    if not signers:
        result.errors.append("no JAR signatures")
        return result

    for signer in signers:
        try:
            _verify_sig_block(zf, signer, min_sdk, max_sdk)
        except ZipFormatError as exc:
            signer.errors.append(f"JAR signer {signer.name}: cannot read its files: {exc}")
        if signer.errors:
            result.signers.append(signer)
    if result.all_errors():
        return result

    remaining: list[_JarSigner] = []
    ignored: list[_JarSigner] = []
    for signer in signers:
        _verify_sf_against_manifest(
            signer, manifest, main_section, sections, supported_ids, found_ids, min_sdk, max_sdk
        )
        if signer.ignored:
            ignored.append(signer)
        elif signer.errors:
            result.signers.append(signer)
        else:
            remaining.append(signer)
    if result.all_errors():
        return result
    if not remaining:
        result.errors.append("no JAR signatures")
        for signer in ignored:
            result.errors.extend(signer.errors)
        return result

    apk_signers = _verify_jar_entries(zf, sections, remaining, min_sdk, max_sdk, result)
    if result.all_errors():
        return result
    protected = {manifest_name}
    for signer in apk_signers:
        protected.update((signer.block_name, signer.sf_name))
    for name in zf.entries:
        if name.startswith("META-INF/") and not name.endswith("/") and name not in protected:
            result.warnings.append(f"{name} not protected by the JAR signature")
    result.signers = [s for s in remaining if s in apk_signers]
    for signer in remaining + ignored:
        result.warnings.extend(signer.warnings)
    result.verified = True
    return result


def _verify_jar_entries(
    zf: SafeZip,
    sections: dict[str, _Section],
    signers: list[_JarSigner],
    min_sdk: int,
    max_sdk: int,
    result: _V1Result,
) -> list[_JarSigner]:
    first_signers: list[_JarSigner] | None = None
    first_name = ""
    data = memoryview(zf.data)
    ordered = sorted(zf.entries.values(), key=lambda e: e.local_header_offset)
    for info in ordered:
        name = info.name
        if name.startswith("META-INF/") or name.endswith("/"):
            continue
        section = sections.get(name)
        if section is None:
            result.errors.append(f"no digest for {name} in {MANIFEST_NAME} (entry not signed)")
            continue
        entry_signers = [s for s in signers if name in s.sf_entry_names]
        if not entry_signers:
            result.errors.append(f"{name} entry not signed")
            continue
        if first_signers is None:
            first_signers, first_name = entry_signers, name
        elif entry_signers != first_signers:
            result.errors.append(f"entries {first_name} and {name} are signed with different sets of signers")
            continue
        expected = _digests_to_verify(section, "-Digest", min_sdk, max_sdk)
        if not expected:
            result.errors.append(f"no digest for {name} in {MANIFEST_NAME}")
            continue
        hashers = [hashlib.new(_HASHLIB[alg]) for alg, _ in expected]
        try:
            if info.method == 0:
                entry, start = zf.data_span(name)
                chunk: bytes | memoryview = data[start : start + entry.compressed_size]
                for h in hashers:
                    h.update(chunk)
            else:
                for chunk in zf.iter_chunks(name):
                    for h in hashers:
                        h.update(chunk)
        except ZipFormatError as exc:
            result.errors.append(f"cannot read {name}: {exc}")
            continue
        for (alg, digest), h in zip(expected, hashers, strict=True):
            if h.digest() != digest:
                result.errors.append(f"{alg} digest of {name} does not match {MANIFEST_NAME}")
    if first_signers is None:
        result.errors.append("no JAR entries covered by JAR signatures")
        return []
    return first_signers


def _v1_claimed_certs(zf: SafeZip) -> list[tuple[str, bytes]]:
    """Certificates named by each META-INF signature block, read without verifying anything."""
    out: list[tuple[str, bytes]] = []
    _, _, blocks = _jar_files(zf)
    for block_name in blocks:
        try:
            signed = _load_signed_data(zf.read(block_name))
            certs = _signed_data_certs(signed)
        except (ValueError, ZipFormatError):
            continue
        chosen: list[_Cert] = []
        try:
            for signer_info in signed["signer_infos"]:
                cert = _find_cert(certs, signer_info["sid"])
                if cert is not None and cert not in chosen:
                    chosen.append(cert)
        except Exception:
            pass
        for cert in chosen or certs:
            out.append((block_name, cert.der))
    return out
