"""`reviewer-app scan` as scripts use it (CLI.md): one JSON line per file in input order with CLI.md's names,
the override flags, a readable text mode, exit codes, one-line errors and no tracebacks. Real ClamAV
(clamscan on the tests' signature files) and real yara-x."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer_app.scanning import Engine, EngineResult, Verdict
from tests.conftest import DEMO_APKS, ROOT
from tests.scanning.conftest import BODY_SIGNATURE, HASH_SIGNATURE, need_clamav, need_yara_x

REPORT_NAMES = ["file", "ok", "error", "gate", "policy", "engines"]  # CLI.md, in this order
ENGINE_NAMES = ["engine", "engine_version", "signatures_version", "verdict", "detections", "seconds"]


class LateMalware(Engine):
    """Says malicious after `seconds`: an engine slower than the one that lets any_clean pass."""

    name = "late-malware"

    def scan(self, path) -> EngineResult:
        time.sleep(float(self.options.get("seconds", 1.5)))
        return EngineResult(self.name, "1", "test", Verdict.MALICIOUS, ("Test.Late",))


@pytest.fixture
def config(tmp_path):
    """A config.toml of the test's own: no official ClamAV database (a test run never depends on what
    freshclam may have left on the machine)."""
    path = tmp_path / "config.toml"
    (tmp_path / "no-official-db").mkdir()
    path.write_text(f'[scanning.clamav]\ndatabase_dirs = ["{tmp_path / "no-official-db"}"]\n', encoding="utf-8")
    return path


def scan(*args: str, config: Path, path: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, REVIEWER_APP_CONFIG=str(config))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if path is not None:
        env["PATH"] = path
    proc = subprocess.run(
        [sys.executable, "-m", "reviewer_app", "scan", *args], capture_output=True, text=True, env=env, timeout=240
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def records(proc: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_one_json_line_per_file_in_input_order_with_cli_md_names(samples, config, tmp_path):
    need_clamav(), need_yara_x()
    files = [str(samples.body), str(tmp_path / "missing.apk"), str(samples.clean), str(samples.hashed)]
    proc = scan(*files, "--json", "--engines", "clamav,yara", "--clamav-db", str(samples.signatures), config=config)
    assert proc.returncode == 1, proc.stderr  # malware found, a file missing
    body, missing, clean, hashed = out = records(proc)
    assert [r["file"] for r in out] == files
    for record in (body, clean, hashed):
        assert list(record)[:6] == REPORT_NAMES and record["ok"] is True and record["error"] is None
        assert record["policy"] == "any_clean" and sorted(e["engine"] for e in record["engines"]) == ["clamav", "yara"]
        for row in record["engines"]:
            assert list(row)[:6] == ENGINE_NAMES
            assert row["verdict"] in ("clean", "malicious", "suspicious", "error", "timeout", "unsupported")
            assert isinstance(row["seconds"], float) and isinstance(row["detections"], list)
    assert missing == {**missing, "file": files[1], "ok": False, "error": "no such file", "gate": None, "engines": []}
    rows = {r["file"]: {e["engine"]: e for e in r["engines"]} for r in out}
    assert rows[files[0]]["clamav"]["detections"] == [BODY_SIGNATURE + ".UNOFFICIAL"]
    assert rows[files[3]]["clamav"]["detections"] == [HASH_SIGNATURE + ".UNOFFICIAL"]
    assert rows[files[2]]["clamav"]["verdict"] == rows[files[2]]["yara"]["verdict"] == "clean"
    assert clean["gate"] == "pass"
    for record in (body, hashed):  # any_clean: blocked, or passed by yara's clean verdict before clamav's arrived
        assert record["gate"] == "block" or record["malware_after_pass"] == ["clamav"]
    assert rows[files[0]]["clamav"]["signatures_version"].startswith("store sigs 2 files sha256:")
    assert rows[files[0]]["yara"]["signatures_version"].startswith("shipped rules: ")


def test_text_mode_gives_the_gate_then_a_line_per_engine_and_errors_on_stderr(samples, config, tmp_path):
    need_clamav(), need_yara_x()
    proc = scan(str(samples.clean), str(tmp_path / "nope.apk"), "--engines", "yara,clamav", "--clamav-db", str(samples.signatures), config=config)  # fmt: skip
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{samples.clean}: gate pass (any_clean: ") and lines[0].endswith(" found it clean)")
    assert sorted(line.split()[0] for line in lines[1:]) == ["clamav", "yara"]
    assert all(" clean " in line and " s  -  [" in line for line in lines[1:])
    assert proc.stderr.strip() == f"{tmp_path / 'nope.apk'}: error: no such file"


def test_override_flags_policy_and_rules_folder(config, tmp_path):
    need_yara_x()
    rules = tmp_path / "store-rules"
    rules.mkdir()
    (rules / "store.yar").write_text('rule NamesItsManifest { strings: $m = "AndroidManifest.xml" condition: $m }')
    apk = str(DEMO_APKS / "com.example.notes_1.apk")
    shipped = scan(apk, "--json", "--engines", "yara", "--policy", "quorum:1", config=config)
    own = scan(apk, "--json", "--engines", "yara", "--yara-rules", str(rules), "--policy", "all_clean", config=config)
    (first,), (second,) = records(shipped), records(own)
    assert (shipped.returncode, first["policy"], first["gate"]) == (0, "quorum:1", "pass")
    assert (own.returncode, second["policy"], second["gate"]) == (1, "all_clean", "block")
    assert second["engines"][0]["detections"] == ["store:NamesItsManifest"]
    assert second["engines"][0]["signatures_version"].startswith("rules in store-rules/: 1 rule, 1 file")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "fastest"], "--policy: unknown gate policy 'fastest'"),
        (["--engines", "clamav,no_such_engine"], "--engines: no_such_engine: no such engine is built in or installed as a plug-in (known: "),
        (["--engines", " , "], "--engines: no engine named"),
        (["--clamav-db", "/no/such/folder"], "not a folder: /no/such/folder"),
        (["--yara-rules", "/no/such/rules"], "not a folder: /no/such/rules"),
    ],
)  # fmt: skip
def test_a_wrong_flag_is_one_line_on_stderr_and_exit_status_2(config, args, message):
    proc = scan(str(DEMO_APKS / "com.example.notes_1.apk"), "--json", *args, config=config)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"reviewer-app: error: {message}") and proc.stderr.count("\n") == 1


def test_a_wrong_setting_is_one_line_naming_the_key(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[scanning]\npolicy = "fastest"\n', encoding="utf-8")
    proc = scan(str(DEMO_APKS / "com.example.notes_1.apk"), config=config)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "scanning.policy" in proc.stderr


def test_engines_of_the_settings_that_are_not_installed_are_skipped_with_a_warning(tmp_path):
    need_yara_x()
    config = tmp_path / "config.toml"
    config.write_text('[scanning]\nengines = ["no_such_engine", "yara"]\n', encoding="utf-8")
    proc = scan(str(DEMO_APKS / "com.example.notes_1.apk"), "--json", config=config)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "reviewer-app: warning: scan engine no_such_engine skipped: no such engine is built in or installed as a plug-in\n"  # fmt: skip
    assert [e["engine"] for e in records(proc)[0]["engines"]] == ["yara"]


def test_a_file_no_engine_could_judge_fails_the_run(config, tmp_path):
    """Without clamscan (an empty PATH) ClamAV cannot judge: the file was not scanned, whatever the gate."""
    proc = scan(str(DEMO_APKS / "com.example.notes_1.apk"), "--engines", "clamav", config=config, path=str(tmp_path))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].endswith("gate hold (any_clean: no engine found it clean (clamav: unsupported))")
    assert "clamav: unsupported: clamscan is not installed" in proc.stderr


def test_malware_found_after_any_clean_passed_fails_the_run(config):
    need_yara_x()
    apk = str(DEMO_APKS / "com.example.notes_1.apk")
    proc = scan(apk, "--json", "--engines", "yara,tests.scanning.test_scan_cli:LateMalware", config=config)
    (record,) = records(proc)
    assert record["gate"] == "pass" and record["malware_after_pass"] == ["late-malware"]
    assert proc.returncode == 1


def test_help_says_what_the_exit_status_means():
    proc = subprocess.run([sys.executable, "-m", "reviewer_app", "scan", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert proc.returncode == 0
    for words in ("--engines NAME,...", "--clamav-db DIR", "--yara-rules DIR", "--policy any_clean|all_clean|quorum:N"):
        assert words in proc.stdout
    assert "exit status:" in proc.stdout and 'gate is "block"' in proc.stdout and "malware_after_pass" in proc.stdout
