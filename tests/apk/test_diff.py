"""`diff`: what changed between two versions, against independent references (index.json written from
aapt/apksigner for the demo APKs, Debian's dexdump for classes, apksig's rotated-key test APKs)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk import read_apk
from reviewer_app.apk.dex import java_name
from reviewer_app.apk.diff import diff_versions
from reviewer_app.apk.permissions import is_dangerous
from tests.conftest import DEMO_APKS, TEST_APKS
from tests.corpus import corpus_files, need_corpus, need_tool

# Names CLI.md promises for `diff --json`.
PROMISED = {
    "ok",
    "error",
    "package_changed",
    "version_code_increased",
    "signer_changed",
    "permissions_added",
    "permissions_removed",
    "dangerous_permissions_added",
    "components_added",
    "components_removed",
    "native_abis_added",
    "label_changed",
    "icon_changed",
    "classes_added",
    "classes_removed",
}


def _index(folder: Path) -> dict[str, dict]:
    return {entry["file"]: entry for entry in json.loads((folder / "index.json").read_text(encoding="utf-8"))}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_app", "--data-dir", str(cwd / "data"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_an_update_of_the_demo_notes_app_against_what_aapt_and_apksigner_recorded():
    index = _index(DEMO_APKS)
    old_entry, new_entry = index["com.example.notes_1.apk"], index["com.example.notes_2.apk"]
    diff = diff_versions(
        read_apk(DEMO_APKS / old_entry["file"], classes=True), read_apk(DEMO_APKS / new_entry["file"], classes=True)
    )
    assert diff.ok and diff.error is None
    added = sorted(set(new_entry["permissions"]) - set(old_entry["permissions"]))
    assert added, "the demo update is meant to ask for more permissions"
    assert diff.permissions_added == added
    assert diff.permissions_removed == sorted(set(old_entry["permissions"]) - set(new_entry["permissions"]))
    assert diff.dangerous_permissions_added == [p for p in added if is_dangerous(p)]
    assert diff.dangerous_permissions_added, "the demo update adds a dangerous permission"
    assert diff.package_changed is False
    assert diff.version_code_increased is (new_entry["version_code"] > old_entry["version_code"]) is True
    same_signer = {s["sha256"] for s in old_entry["signers"]} & {s["sha256"] for s in new_entry["signers"]}
    assert diff.signer_changed is (not same_signer) is False
    assert diff.classes_added == [] and diff.classes_removed == []  # the demo APKs carry no DEX


def test_a_counterfeit_is_another_package_by_another_signer_with_the_same_label():
    index = _index(DEMO_APKS)
    real, fake = index["com.example.notes_1.apk"], index["com.exampel.notes_1.apk"]
    diff = diff_versions(read_apk(DEMO_APKS / real["file"]), read_apk(DEMO_APKS / fake["file"]))
    assert diff.ok
    assert diff.package_changed is True
    assert diff.signer_changed is True and diff.signer_rotated is False
    assert diff.label_changed is (real["label"] != fake["label"]) is False
    assert diff.version_code_increased is False
    assert diff.classes_added is None  # not asked for: unknown, not "none"


def test_a_diff_with_itself_changes_nothing():
    facts = read_apk(DEMO_APKS / "com.example.smshelper_23.apk", classes=True)
    diff = diff_versions(facts, facts)
    record = diff.to_json()
    assert record["ok"] is True
    assert not any(record[name] for name in PROMISED - {"ok", "error"})


def test_an_unsigned_update_counts_as_a_changed_signer():
    index = _index(TEST_APKS)
    signed, unsigned = TEST_APKS / "no-icon.apk", TEST_APKS / "unsigned.apk"
    assert index["unsigned.apk"]["signers"] == []
    diff = diff_versions(read_apk(signed), read_apk(unsigned))
    assert diff.ok and diff.signer_changed is True and diff.signer_rotated is False


@pytest.mark.corpus
def test_a_key_rotated_with_a_v3_proof_of_rotation_is_the_same_developer():
    corpus = need_corpus()
    before = read_apk(corpus / "apksig" / "golden-aligned-v3-out.apk")
    after = read_apk(corpus / "apksig" / "golden-aligned-v3-lineage-out.apk")
    assert {s.sha256 for s in before.signers}.isdisjoint(s.sha256 for s in after.signers)
    assert after.signing_lineage[0] == before.signers[0].sha256  # the lineage starts at the old key
    forward = diff_versions(before, after)
    assert forward.signer_changed is False and forward.signer_rotated is True
    # Going back to the old key is not covered by a proof: Android refuses such an update.
    backward = diff_versions(after, before)
    assert backward.signer_changed is True and backward.signer_rotated is False


@pytest.mark.corpus
def test_versions_of_a_real_app_differ_in_code_as_dexdump_sees_it():
    corpus = need_corpus()
    old, new = corpus / "com.politedroid_3.apk", corpus / "com.politedroid_6.apk"
    diff = diff_versions(read_apk(old, classes=True), read_apk(new, classes=True))
    old_classes, new_classes = set(_dexdump_classes(old)), set(_dexdump_classes(new))
    assert diff.classes_added == sorted(new_classes - old_classes)
    assert diff.classes_removed == sorted(old_classes - new_classes)
    assert diff.classes_added and diff.classes_removed
    assert diff.signer_changed is False
    assert diff.version_code_increased is True


def _dexdump_classes(apk: Path) -> list[str]:
    """Class names as Debian's dexdump lists them, over the DEX files Android would load."""
    tool = need_tool("dexdump")
    names: list[str] = []
    with zipfile.ZipFile(apk) as zf, tempfile.TemporaryDirectory() as tmp:
        n, entry = 1, "classes.dex"
        present = set(zf.namelist())
        while entry in present:
            path = Path(tmp) / entry
            path.write_bytes(zf.read(entry))
            out = subprocess.run([tool, str(path)], capture_output=True, timeout=120).stdout
            for line in out.splitlines():
                if line.strip().startswith(b"Class descriptor"):
                    # Modified UTF-8: characters beyond the BMP come as surrogate pairs.
                    text = line.split(b"'")[1].decode("utf-8", "surrogatepass")
                    names.append(java_name(text.encode("utf-16", "surrogatepass").decode("utf-16")))
            n += 1
            entry = f"classes{n}.dex"
    return sorted(set(names))


def _with_dex(files: list[Path]) -> list[Path]:
    found = []
    for path in files:
        try:
            with zipfile.ZipFile(path) as zf:
                if "classes.dex" in zf.namelist():
                    found.append(path)
        except (zipfile.BadZipFile, OSError):
            pass
    return found


@pytest.mark.corpus
@pytest.mark.parametrize("apk", _with_dex(corpus_files()), ids=lambda p: p.name)
def test_classes_of_every_corpus_apk_equal_dexdump(apk):
    facts = read_apk(apk, classes=True)
    if not facts.ok:
        pytest.skip(f"not an APK the workstation reads: {facts.error}")
    expected = _dexdump_classes(apk)
    if facts.classes is None:
        assert not expected, f"classes not read ({facts.warnings}) where dexdump lists {len(expected)}"
    else:
        assert facts.classes == expected


def test_a_garbage_dex_gives_a_warning_and_no_class_comparison(tmp_path):
    broken = tmp_path / "broken-dex.apk"
    with zipfile.ZipFile(DEMO_APKS / "com.example.notes_1.apk") as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("classes.dex", b"dex\n035\x00" + b"\xff" * 200)
    facts = read_apk(broken, classes=True)
    assert facts.ok and facts.classes is None
    assert any(w.startswith("classes not read: classes.dex") for w in facts.warnings), facts.warnings
    diff = diff_versions(read_apk(DEMO_APKS / "com.example.notes_1.apk", classes=True), facts)
    assert diff.ok and diff.classes_added is None and diff.classes_removed is None
    assert diff.to_json()["classes_added"] is None


def test_a_dex_that_inflates_past_the_cap_leaves_the_facts_and_skips_the_classes(tmp_path):
    """classes.dex says it is 100 bytes and inflates to 3 MiB: caught while inflating, after the manifest."""
    from reviewer_app.apk import ParseLimits

    liar = tmp_path / "liar-dex.apk"
    with (
        zipfile.ZipFile(DEMO_APKS / "com.example.notes_1.apk") as src,
        zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in src.infolist():
            out.writestr(item, src.read(item))
        out.writestr("classes.dex", b"dex\n035\x00" + bytes(3 * 1024 * 1024))
    data = bytearray(liar.read_bytes())
    name = b"classes.dex"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_len = int.from_bytes(data[at + size_at + 4 : at + size_at + 6], "little")
            start = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[start : start + name_len] == name:
                data[at + size_at : at + size_at + 4] = (100).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    liar.write_bytes(bytes(data))
    facts = read_apk(liar, ParseLimits(max_entry_size=2 * 1024 * 1024), classes=True)
    assert facts.ok and facts.package == "com.example.notes" and facts.classes is None
    assert "classes not read: decompressed size exceeds limit" in facts.warnings
    assert read_apk(liar, ParseLimits(max_entry_size=2 * 1024 * 1024)).ok  # without classes: untouched


def test_cli_diff_json_keeps_the_promised_names(tmp_path):
    old, new = DEMO_APKS / "com.example.notes_1.apk", DEMO_APKS / "com.example.notes_2.apk"
    done = _cli("diff", str(old), str(new), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record.keys() >= PROMISED
    assert record["ok"] is True and record["error"] is None
    assert (
        record["dangerous_permissions_added"] == diff_versions(read_apk(old), read_apk(new)).dangerous_permissions_added
    )
    assert record["classes_added"] == []  # the CLI reads the classes


def test_cli_diff_of_a_file_that_is_not_an_apk_is_one_error_record(tmp_path):
    bogus = tmp_path / "bogus.apk"
    bogus.write_bytes(b"this is not a zip")
    done = _cli("diff", str(DEMO_APKS / "com.example.notes_1.apk"), str(bogus), "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    record = json.loads(done.stdout)
    assert record["ok"] is False
    assert record["error"] == f"{bogus}: not a zip archive"
    assert record["signer_changed"] is None and record["permissions_added"] is None
    human = _cli("diff", str(bogus), str(DEMO_APKS / "com.example.notes_1.apk"), cwd=tmp_path)
    assert human.returncode == 1 and human.stdout == ""  # text mode: the error goes to stderr
    assert human.stderr.strip() == f"error: {bogus}: not a zip archive"
