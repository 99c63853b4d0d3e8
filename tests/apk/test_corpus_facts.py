"""Facts of every corpus APK, checked against Debian's aapt as an independent reference."""

from __future__ import annotations

import re

import pytest

from reviewer_app.apk.reader import read_apk
from tests.corpus import corpus_files, need_corpus

FILES = corpus_files()
IDS = [f"{p.parent.name}/{p.name}" for p in FILES]


def field(text: str, pattern: str) -> str | None:
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def facts_by_file():
    need_corpus()
    return {path: read_apk(path) for path in FILES}


def test_corpus_is_there():
    need_corpus()
    assert len(FILES) > 300


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_corpus_file_gives_a_record_without_raising(path, facts_by_file):
    facts = facts_by_file[path]
    record = facts.to_json()
    for name in (
        "file",
        "ok",
        "error",
        "sha256",
        "size",
        "package",
        "label",
        "version_code",
        "version_name",
        "min_sdk",
        "target_sdk",
        "permissions",
        "signers",
        "icon_sha256",
        "native_abis",
        "warnings",
    ):
        assert name in record
    if facts.ok:
        assert facts.error is None and facts.package
    else:
        assert facts.error and "\n" not in facts.error and "Traceback" not in facts.error


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_facts_agree_with_aapt(path, facts_by_file, aapt_badging):
    badging = aapt_badging[path]
    facts = facts_by_file[path]
    if badging is None:
        pytest.skip("aapt cannot read this file either")
    if not facts.ok:
        pytest.fail(f"aapt reads it but we report: {facts.error}")
    assert facts.package == field(badging, r"^package: name='([^']*)'")
    assert facts.version_code == int(field(badging, r"versionCode='(\d*)'") or 0)
    assert (facts.version_name or "") == (field(badging, r"versionName='([^']*)'") or "")
    sdk = field(badging, r"^sdkVersion:'(\d+)'")
    target = field(badging, r"^targetSdkVersion:'(\d+)'")
    assert facts.min_sdk == (int(sdk) if sdk else 1)
    if target:
        assert facts.target_sdk == int(target)
    label = field(badging, r"^application-label:'([^']*)'")
    if label is not None:
        assert facts.label == label
    aapt_permissions = set(re.findall(r"^uses-permission(?:-sdk-23)?: name='([^']*)'", badging, re.MULTILINE))
    assert set(facts.permissions) | set(facts.implied_permissions) == aapt_permissions
    implied = set(re.findall(r"^uses-implied-permission: name='([^']*)'", badging, re.MULTILINE))
    assert set(facts.implied_permissions) == implied
    abis = field(badging, r"^native-code: (.*)$")
    assert facts.native_abis == sorted(re.findall(r"'([^']*)'", abis or ""))


def test_icons_are_the_highest_density_bitmap(facts_by_file, aapt_badging):
    checked = 0
    for path, facts in facts_by_file.items():
        badging = aapt_badging[path]
        if not facts.ok or badging is None:
            continue
        icons = re.findall(r"^application-icon-(\d+):'([^']*)'", badging, re.MULTILINE)
        bitmaps = [(int(d), p) for d, p in icons if p.endswith(".png") and int(d) < 65534]
        if not bitmaps:
            continue
        assert facts.icon_path == max(bitmaps)[1], path.name
        assert facts.icon_png and facts.icon_png.startswith(b"\x89PNG")
        checked += 1
    assert checked >= 15


# apksigner runs on every corpus file for this test (a JVM start each, on every CPU): minutes on a busy machine.
@pytest.mark.timeout(900)
def test_inspect_signers_are_apksigners_signers(apksigner_verdicts, facts_by_file):
    """What `inspect` reports as signers is what `apksigner verify --print-certs` prints, file by file."""
    compared = 0
    for path, facts in facts_by_file.items():
        verdict = apksigner_verdicts.get((path, None))
        if verdict is None or verdict.verifies is None or not facts.ok:
            continue
        if "v31-" in path.name:
            continue  # Debian's apksigner predates APK Signature Scheme v3.1 (see test_signing.py)
        if verdict.verifies:
            assert [(s.subject, s.sha256) for s in facts.signers] == verdict.signers, path.name
            assert not any("does not verify" in w for w in facts.warnings), path.name
        else:
            assert any("does not verify" in w or "not signed" in w for w in facts.warnings) or not facts.signers, (
                path.name
            )
        compared += 1
    assert compared > 250
