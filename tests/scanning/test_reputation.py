"""The reputation engine on real APKs: the project's demo APKs (a genuine app and its counterfeit, signed by
someone else), an unsigned copy, a file that is no APK, and the corpus's v3 key-rotation APK; through the
engine itself, the real ScanRunner and the CLI. The certificate digests it matches are the ones Debian's
apksigner prints."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk.reader import read_apk
from reviewer_app.scanning import EngineResult, EngineSpec, Evidence, Gate, Verdict
from reviewer_app.scanning.registry import make_engine
from reviewer_app.scanning.reputation import ReputationEngine
from reviewer_app.scanning.runner import ScanRunner
from tests.conftest import DEMO_APKS, ROOT
from tests.corpus import need_corpus, need_tool

GENUINE = DEMO_APKS / "com.example.notes_1.apk"  # Acme Apps' notes app
UPDATE = DEMO_APKS / "com.example.notes_2.apk"  # its next version, same signer
COUNTERFEIT = DEMO_APKS / "com.exampel.notes_1.apk"  # the same name and icon, signed by someone else
ACME = "7636900bdfd2b3914ab5d273691b033428dae9ff72ea0958e2b52b5419751861"  # apksigner: Acme Apps' certificate


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signer(path: Path) -> str:
    facts = read_apk(path)
    assert facts.ok and len(facts.signers) == 1
    return facts.signers[0].sha256


def engine(**options) -> ReputationEngine:
    return make_engine(EngineSpec("reputation", options))  # type: ignore[return-value]


def notes(result: EngineResult) -> list[str]:
    return [e.value for e in result.evidence if e.kind == "note"]


@pytest.fixture
def unsigned(tmp_path) -> Path:
    """The genuine app with its signatures taken out: every entry but META-INF/, rewritten (no APK Signing
    Block either)."""
    target = tmp_path / "unsigned.apk"
    with zipfile.ZipFile(GENUINE) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if not info.filename.startswith("META-INF/"):
                out.writestr(info, source.read(info))
    return target


def test_the_certificate_digest_is_the_one_apksigner_prints():
    apksigner = need_tool("apksigner")
    out = subprocess.run([apksigner, "verify", "--print-certs", str(GENUINE)], capture_output=True, text=True,
                         timeout=120, check=True).stdout  # fmt: skip
    printed = re.findall(r"certificate SHA-256 digest: ([0-9a-f]{64})", out)
    assert printed == [ACME] == [signer(GENUINE)]
    result = engine(certificates={ACME.upper(): "stolen key"}).scan(GENUINE)  # as some tools print it
    assert result.verdict == Verdict.MALICIOUS
    assert result.evidence[0] == Evidence("blocklist", "certificate", ACME, "stolen key")


def test_a_listed_apk_file_is_malicious():
    result = engine(sha256={sha256(GENUINE): "recalled: sends premium SMS"}).scan(GENUINE)
    assert result.verdict == Verdict.MALICIOUS and result.vouches
    assert result.detections == ("Blocklist.APK",)
    assert Evidence("blocklist", "hash", sha256(GENUINE), "recalled: sends premium SMS") in result.evidence
    assert result.engine_version == "reputation 1"


def test_a_listed_certificate_catches_every_app_it_signs_and_only_those():
    counterfeiter = signer(COUNTERFEIT)
    assert counterfeiter != ACME
    blocklist = engine(certificates={counterfeiter: "counterfeits popular apps"})
    caught = blocklist.scan(COUNTERFEIT)
    assert caught.verdict == Verdict.MALICIOUS
    assert caught.detections == ("Blocklist.Certificate",)
    assert caught.evidence[0] == Evidence("blocklist", "certificate", counterfeiter, "counterfeits popular apps")
    for genuine in (GENUINE, UPDATE):  # the same name and icon, but not its signer
        result = blocklist.scan(genuine)
        assert result.verdict == Verdict.CLEAN and not result.vouches
    both = engine(sha256={sha256(UPDATE): "bad build"}, certificates={ACME: "leaked key"}).scan(UPDATE)
    assert both.detections == ("Blocklist.APK", "Blocklist.Certificate")


def test_no_hit_is_clean_that_does_not_vouch_and_says_what_was_checked():
    result = engine(sha256={"ab" * 32: "other app"}, certificates={"cd" * 32: "other key"}).scan(GENUINE)
    assert (result.verdict, result.vouches, result.detections, result.error) == (Verdict.CLEAN, False, (), None)
    said = notes(result)
    assert any("not on the blocklist" in text for text in said)
    assert any("no listed certificate among the 1" in text for text in said)


def test_an_unsigned_apk_gets_its_hash_checked_and_no_certificate_check(unsigned):
    assert read_apk(unsigned).ok and not read_apk(unsigned).signers
    blocklists = {"sha256": {sha256(unsigned): "repackaged"}, "certificates": {ACME: "leaked key"}}
    result = engine(**blocklists).scan(unsigned)
    assert result.verdict == Verdict.MALICIOUS and result.detections == ("Blocklist.APK",)
    assert "certificates not checked: no signature that Android accepts" in notes(result)
    missed = engine(certificates={ACME: "leaked key"}).scan(unsigned)
    assert missed.verdict == Verdict.CLEAN and not missed.vouches and missed.error is None


def test_a_damaged_apk_or_a_file_that_is_no_apk_still_gets_its_hash_checked(tmp_path):
    damaged = tmp_path / "damaged.apk"
    damaged.write_bytes(GENUINE.read_bytes()[: GENUINE.stat().st_size // 2])
    text = tmp_path / "readme.txt"
    text.write_text("not an app\n")
    for path in (damaged, text):
        listed = engine(sha256={sha256(path): "known bad"}, certificates={ACME: "leaked key"}).scan(path)
        assert listed.verdict == Verdict.MALICIOUS and listed.detections == ("Blocklist.APK",)
        result = engine(certificates={ACME: "leaked key"}).scan(path)
        assert result.verdict == Verdict.CLEAN and not result.vouches
        assert any(note.startswith("certificates not checked: ") for note in notes(result)), notes(result)


def test_empty_lists_read_no_apk_and_a_missing_file_is_an_error(tmp_path):
    result = engine().scan(GENUINE)
    assert result.verdict == Verdict.CLEAN and not result.vouches
    assert "certificates not checked: the certificate blocklist is empty" in notes(result)
    missing = engine().scan(tmp_path / "gone.apk")
    assert missing.verdict == Verdict.ERROR and "cannot read the file" in (missing.error or "")


def test_an_earlier_certificate_of_a_rotated_key_counts():
    rotated = need_corpus() / "apksig" / "v1v2v3-with-rsa-2048-lineage-3-signers.apk"
    facts = read_apk(rotated)
    oldest = facts.signing_lineage[0]
    assert oldest not in {s.sha256 for s in facts.signers}
    result = engine(certificates={oldest: "leaked key"}).scan(rotated)
    assert result.verdict == Verdict.MALICIOUS
    assert result.evidence[0].value == oldest and "lineage" in result.evidence[0].detail


def test_the_signatures_version_follows_the_lists():
    listed = {"ab" * 32: "one reason"}
    assert engine(sha256=listed, version="blocklists 2024-06-01.3").signatures_version() == "blocklists 2024-06-01.3"
    base = engine(sha256=listed).signatures_version()
    assert base != engine().signatures_version()
    assert base != engine(certificates=listed).signatures_version()  # which list a digest is on matters
    assert base == engine(sha256={"AB" * 32: "reworded reason"}).signatures_version()  # finds nothing new
    assert base == engine(sha256=["ab" * 32]).signatures_version()  # a plain list of digests is taken too


@pytest.mark.parametrize("bad", [{"sha256": {"not-hex": "x"}}, {"certificates": ["ab" * 31]}, {"sha256": "ab"}])
def test_a_malformed_list_is_an_error_not_a_silent_miss(bad):
    with pytest.raises(ValueError, match="reputation option"):
        engine(**bad)


def test_a_result_that_does_not_vouch_reads_back_from_json():
    result = engine().scan(GENUINE)
    data = json.loads(json.dumps(result.to_json()))
    assert list(data)[:8] == ["engine", "engine_version", "signatures_version", "verdict", "detections",
                              "seconds", "evidence", "error"]  # fmt: skip
    assert data["vouches"] is False and EngineResult.from_json(data).vouches is False
    del data["vouches"]  # stored before the field existed
    assert EngineResult.from_json(data).vouches is True


def test_through_the_runner_a_blocklist_blocks_and_its_no_hit_passes_nothing(tmp_path):
    lists = {"sha256": {sha256(COUNTERFEIT): "counterfeit"}, "certificates": {signer(COUNTERFEIT): "counterfeiter"}}
    slow = EngineSpec("tests.scanning.engines:SlowClean", {"seconds": 1.0})
    with ScanRunner([EngineSpec("reputation", lists), slow], "any_clean") as runner:
        blocked = runner.scan(COUNTERFEIT)
        assert blocked.decision.gate == Gate.BLOCK and blocked.decision.decided_by == "reputation"
        hit = next(r for r in blocked.results if r.engine == "reputation")
        assert hit.detections == ("Blocklist.APK", "Blocklist.Certificate")
        arrivals: list[tuple[str, Gate]] = []
        passed = runner.scan(GENUINE, on_result=lambda r, d: arrivals.append((r.engine, d.gate)))
    # the blocklist answers first with no hit: the gate waits for an engine that looked at the package
    assert arrivals == [("reputation", Gate.HOLD), ("slow-clean", Gate.PASS)]
    assert passed.decision.decided_by == "slow-clean"
    with ScanRunner([EngineSpec("reputation", lists)], "any_clean") as runner:
        alone = runner.scan(GENUINE)
    assert alone.decision.gate == Gate.HOLD and "reputation: clean, does not vouch" in alone.decision.reason


def test_the_cli_runs_it_on_a_plain_file(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("just text\n")
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    env = dict(os.environ, REVIEWER_APP_CONFIG=str(config))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-m", "reviewer_app", "scan", "--engines", "reputation"]
    proc = subprocess.run([*command, "--json", str(plain)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    assert report["gate"] == "hold"
    (row,) = report["engines"]
    assert (row["engine"], row["verdict"], row["vouches"]) == ("reputation", "clean", False)
    text = subprocess.run([*command, str(plain)], capture_output=True, text=True, env=env, timeout=120)
    assert "does not vouch" in text.stdout and text.returncode == 0
