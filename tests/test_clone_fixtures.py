"""The clone fixtures (tests/data/clones/, built by packaging/demo_apks/build.py) are what their index.json says:
originals, counterfeits of them signed by other keys, and relatives (an update, a sibling by the same key, an
unrelated app with a similar name) that are not counterfeits.

Runs on a fresh clone: the files are committed. The checks with Android's tools need aapt and apksigner
(Debian packages aapt and apksigner); without them they are skipped, unless CI=true.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import unicodedata
import zipfile

import pytest

from tests.corpus import ROOT, need_tool, run_parallel

CLONES = ROOT / "tests" / "data" / "clones"
INDEX = json.loads((CLONES / "index.json").read_text(encoding="utf-8"))
BY_FILE = {e["file"]: e for e in INDEX}
IDS = [e["file"] for e in INDEX]
KINDS = {"original", "counterfeit", "update", "sibling", "unrelated"}


def _run_all(cmds: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess[str]]:
    def one(key: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            cmds[key], capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120
        )

    return run_parallel(one, cmds)


@pytest.fixture(scope="module")
def badging() -> dict[str, subprocess.CompletedProcess[str]]:
    aapt = need_tool("aapt")
    return _run_all({e["file"]: [aapt, "dump", "badging", str(CLONES / e["file"])] for e in INDEX})


@pytest.fixture(scope="module")
def verification(apksigner) -> dict[str, subprocess.CompletedProcess[str]]:
    return _run_all({e["file"]: [*apksigner, "verify", "-v", "--print-certs", str(CLONES / e["file"])] for e in INDEX})


def test_index_lists_every_apk():
    assert sorted(BY_FILE) == sorted(p.name for p in CLONES.glob("*.apk"))
    assert len(BY_FILE) == len(INDEX)


@pytest.mark.parametrize("entry", INDEX, ids=IDS)
def test_entry_fields(entry):
    assert entry["kind"] in KINDS
    assert isinstance(entry["package"], str) and isinstance(entry["label"], str)
    assert isinstance(entry["version_code"], int) and isinstance(entry["signer"], str)
    assert isinstance(entry["tricks"], list)
    assert (entry["kind"] == "counterfeit") == bool(entry["tricks"])
    if entry["kind"] == "original":
        assert entry["original"] is None
    elif entry["kind"] == "unrelated":
        assert entry["original"] is None and BY_FILE[entry["resembles"]]["kind"] == "original"
    else:
        assert BY_FILE[entry["original"]]["kind"] == "original"


@pytest.mark.parametrize("entry", INDEX, ids=IDS)
def test_file_matches_index(entry):
    data = (CLONES / entry["file"]).read_bytes()
    assert len(data) == entry["size"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], "file changed without its index.json"


def test_every_kind_is_there():
    assert {e["kind"] for e in INDEX} == KINDS
    assert len([e for e in INDEX if e["kind"] == "original"]) >= 2


@pytest.mark.parametrize("entry", INDEX, ids=IDS)
def test_aapt_badging_matches_index(entry, badging):
    result = badging[entry["file"]]
    assert result.returncode == 0, result.stderr
    package = re.search(r"^package: name='([^']*)' versionCode='(\d*)'", result.stdout, re.M)
    assert package and package.group(1) == entry["package"], result.stdout
    assert int(package.group(2)) == entry["version_code"]
    label = re.search(r"^application-label:'(.*)'$", result.stdout, re.M)
    assert label and label.group(1) == entry["label"], result.stdout


def _certs(result: subprocess.CompletedProcess[str]) -> list[str]:
    out = result.stdout + result.stderr
    assert result.returncode == 0 and out.startswith("Verifies"), out
    return re.findall(r"certificate SHA-256 digest: ([0-9a-f]{64})", out)


@pytest.mark.parametrize("entry", INDEX, ids=IDS)
def test_apksigner_verifies_with_the_listed_key(entry, verification):
    certs = _certs(verification[entry["file"]])
    assert certs == [s["sha256"] for s in entry["signers"]]
    assert {s["key"] for s in entry["signers"]} == {entry["signer"]}


RELATIVES = [e for e in INDEX if e["original"] or e.get("resembles")]


@pytest.mark.parametrize("entry", RELATIVES, ids=[e["file"] for e in RELATIVES])
def test_signer_against_the_original(entry, verification):
    """A counterfeit or an unrelated app is signed by another certificate, an update or a sibling by the same."""
    other = entry["original"] or entry["resembles"]
    mine, theirs = _certs(verification[entry["file"]]), _certs(verification[other])
    if entry["kind"] in ("update", "sibling"):
        assert mine == theirs
    else:
        assert set(mine).isdisjoint(theirs)


def _read(name: str, member: str) -> bytes | None:
    with zipfile.ZipFile(CLONES / name) as zf:
        return zf.read(member) if member in zf.namelist() else None


ICON = "res/mipmap-xxxhdpi-v4/ic_launcher.png"
COUNTERFEITS = [e for e in INDEX if e["kind"] == "counterfeit"]


@pytest.mark.parametrize("entry", COUNTERFEITS, ids=[e["file"] for e in COUNTERFEITS])
def test_counterfeit_tricks_hold(entry):
    orig, tricks = BY_FILE[entry["original"]], set(entry["tricks"])
    label, theirs = entry["label"], orig["label"]
    assert (label == theirs) == ("same-label" in tricks)
    assert (entry["package"] == orig["package"]) == ("same-package" in tricks)
    if "homoglyph-cyrillic" in tricks:
        assert label != theirs and any(unicodedata.name(c).startswith("CYRILLIC") for c in label)
    if "fullwidth" in tricks:
        assert label != theirs and unicodedata.normalize("NFKC", label) == theirs
    if "label-suffix" in tricks:
        assert label.startswith(theirs) and label != theirs
    if "lookalike-char" in tricks or "traditional-chinese" in tricks:
        assert len(label) == len(theirs) and sum(a != b for a, b in zip(label, theirs, strict=True)) == 1
    if "package-typo" in tricks:
        a, b = entry["package"], orig["package"]
        assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if "package-suffix" in tricks:
        assert entry["package"].startswith(orig["package"] + ".")
    icon, orig_icon = _read(entry["file"], ICON), _read(orig["file"], ICON)
    assert icon and orig_icon
    assert (icon == orig_icon) == ("icon-copied" in tricks)
    assert (_read(entry["file"], "classes.dex") == _read(orig["file"], "classes.dex")) == ("code-copied" in tricks)
    if "repackaged" in tricks:
        added = set(entry["dex"]["classes"]) - set(orig["dex"]["classes"])
        assert set(orig["dex"]["classes"]) < set(entry["dex"]["classes"]) and len(added) == 1


def test_update_and_sibling():
    update, sibling = BY_FILE["shop-update.apk"], BY_FILE["shop-sibling.apk"]
    orig = BY_FILE[update["original"]]
    assert update["package"] == orig["package"] and update["version_code"] > orig["version_code"]
    assert sibling["original"] == orig["file"] and sibling["package"] != orig["package"]
    assert _read(sibling["file"], ICON) != _read(orig["file"], ICON)
