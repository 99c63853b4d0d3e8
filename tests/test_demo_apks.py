"""The APKs the project builds itself (packaging/demo_apks/build.py) match their index.json.

Runs on a fresh clone: the files are committed.  The checks with Android's own tools need aapt and apksigner
(Debian packages aapt and apksigner); without them they are skipped, unless CI=true.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.corpus import ROOT, need_tool, run_parallel

INDEXES = {
    "demo": ROOT / "resources" / "demo" / "apks" / "index.json",
    "tests": ROOT / "tests" / "data" / "apks" / "index.json",
}

REQUIRED_FIELDS = {
    "file": str,
    "package": str,
    "label": str,
    "version_code": int,
    "developer": str,
    "tier": int,
    "kind": str,
    "notes": str,
}
KINDS = {"new", "update", "metadata", "sensitive"}


def _load(dest: str) -> list[dict]:
    path = INDEXES[dest]
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


ENTRIES = [(dest, entry) for dest in INDEXES for entry in _load(dest)]
IDS = [f"{dest}/{entry.get('file')}" for dest, entry in ENTRIES]


def _apk(dest: str, entry: dict) -> Path:
    return INDEXES[dest].parent / entry["file"]


def _run_all(cmds: dict[str, list[str]]) -> dict[str, subprocess.CompletedProcess[str]]:
    def one(key: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            cmds[key], capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120
        )

    return run_parallel(one, cmds)


@pytest.fixture(scope="module")
def badging() -> dict[str, subprocess.CompletedProcess[str]]:
    """`aapt dump badging` of every listed file that exists, run in parallel."""
    aapt = need_tool("aapt")
    return _run_all(
        {f"{d}/{e['file']}": [aapt, "dump", "badging", str(_apk(d, e))] for d, e in ENTRIES if _apk(d, e).exists()}
    )


@pytest.fixture(scope="module")
def verification(apksigner) -> dict[str, subprocess.CompletedProcess[str]]:
    """`apksigner verify --print-certs` of every listed file that exists, run in parallel."""
    return _run_all(
        {
            f"{d}/{e['file']}": [*apksigner, "verify", "-v", "--print-certs", str(_apk(d, e))]
            for d, e in ENTRIES
            if _apk(d, e).exists()
        }
    )


@pytest.mark.parametrize("dest", sorted(INDEXES))
def test_index_lists_every_apk(dest):
    index = INDEXES[dest]
    assert index.exists(), f"{index} missing (python packaging/demo_apks/build.py)"
    entries = _load(dest)
    assert entries, f"{index} is empty"
    names = [e.get("file") for e in entries]
    assert len(names) == len(set(names)), f"duplicate files in {index}"
    on_disk = sorted(p.name for p in index.parent.glob("*.apk"))
    assert sorted(names) == on_disk, f"{index} and the APKs beside it disagree"


@pytest.mark.parametrize(("dest", "entry"), ENTRIES, ids=IDS)
def test_entry_fields(dest, entry):
    for field, kind in REQUIRED_FIELDS.items():
        assert isinstance(entry.get(field), kind), f"{field} missing or not {kind.__name__}"
    assert entry["kind"] in KINDS
    assert 1 <= entry["tier"] <= 5
    assert entry["notes"].strip() and "\n" not in entry["notes"]


@pytest.mark.parametrize(("dest", "entry"), ENTRIES, ids=IDS)
def test_file_exists_and_matches_index(dest, entry):
    apk = _apk(dest, entry)
    assert apk.is_file(), f"{apk} missing"
    data = apk.read_bytes()
    if "size" in entry:
        assert len(data) == entry["size"]
    if "sha256" in entry:
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], "file changed without its index.json"


@pytest.mark.parametrize(("dest", "entry"), ENTRIES, ids=IDS)
def test_aapt_badging_matches_index(dest, entry, badging):
    result = badging.get(f"{dest}/{entry['file']}")
    assert result is not None, f"{_apk(dest, entry)} missing"
    assert result.returncode == 0, result.stderr
    out = result.stdout
    package = re.search(r"^package: name='([^']*)' versionCode='(\d*)'", out, re.M)
    assert package, out
    assert package.group(1) == entry["package"]
    assert int(package.group(2)) == entry["version_code"]
    label = re.search(r"^application-label:'(.*)'$", out, re.M)
    assert label and label.group(1) == entry["label"], out


@pytest.mark.parametrize(("dest", "entry"), ENTRIES, ids=IDS)
def test_apksigner_verify_matches_index(dest, entry, verification):
    result = verification.get(f"{dest}/{entry['file']}")
    assert result is not None, f"{_apk(dest, entry)} missing"
    out = result.stdout + result.stderr
    signed = bool(entry.get("schemes", True))
    if signed and entry.get("verifies", True):
        assert result.returncode == 0 and out.startswith("Verifies"), out
        if "schemes" in entry:
            verified = re.findall(r"Verified using (v\d) scheme[^:]*: true", out)
            assert [s for s in verified if s in ("v1", "v2", "v3")] == entry["schemes"], out
        if "signers" in entry:
            digests = re.findall(r"certificate SHA-256 digest: ([0-9a-f]{64})", out)
            assert digests == [s["sha256"] for s in entry["signers"]], out
    else:
        # Unsigned, or signed on purpose so that it must not verify (e.g. signer-mismatch.apk).
        assert result.returncode != 0 and "DOES NOT VERIFY" in out, out
