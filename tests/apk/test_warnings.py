"""Warnings keep their English text for the command line and carry a code for the GUI's translations."""

from __future__ import annotations

import json

from reviewer_app.apk import ApkFacts, FactsPool, read_apk
from reviewer_app.apk.warnings import TEMPLATES
from tests.conftest import DEMO_APKS, TEST_APKS


def test_warnings_from_the_parsing_processes_are_plain_strings_with_their_codes():
    paths = [DEMO_APKS / "com.example.legacy_9.apk", TEST_APKS / "unsigned.apk"]
    with FactsPool(workers=1) as pool:
        legacy, unsigned = pool.inspect(paths)
    assert all(type(text) is str for text in legacy.warnings + unsigned.warnings)
    janus = [text for text in legacy.warnings if "Janus" in text]
    assert len(janus) == 1
    coded = legacy.warning_codes[janus[0]]
    assert coded["code"] == "janus_v1_only"
    assert TEMPLATES["janus_v1_only"].format(**coded["params"]) == janus[0]
    assert unsigned.warning_codes["APK is not signed"] == {"code": "not_signed", "params": {}}
    # Only warnings the parser coded are listed; every one listed is a warning of the file.
    assert set(legacy.warning_codes) <= set(legacy.warnings)


def test_codes_survive_the_database_round_trip():
    facts = read_apk(DEMO_APKS / "com.example.legacy_9.apk")
    stored = json.loads(json.dumps(facts.to_json()))
    again = ApkFacts.from_json(stored)
    assert again.warnings == facts.warnings
    assert again.warning_codes == facts.warning_codes != {}


def test_facts_stored_before_warnings_had_codes_still_load():
    facts = read_apk(DEMO_APKS / "com.example.legacy_9.apk")
    stored = facts.to_json()
    del stored["warning_codes"]
    again = ApkFacts.from_json(stored)
    assert again.warnings == facts.warnings and again.warning_codes == {}


def test_why_a_file_is_unreadable_carries_a_code_too(tmp_path):
    bogus = tmp_path / "bogus.apk"
    bogus.write_bytes(b"not an apk at all")
    facts = read_apk(bogus)
    assert (facts.error, facts.error_code) == ("not a zip archive", {"code": "not_zip", "params": {}})
    assert type(facts.error) is str
    missing = read_apk(tmp_path / "gone.apk")
    assert (missing.error, missing.error_code) == ("no such file", {"code": "no_such_file", "params": {}})
    with FactsPool(workers=1) as pool:
        (again,) = pool.inspect([bogus])
    assert again.error_code == facts.error_code
    assert read_apk(DEMO_APKS / "com.example.notes_1.apk").error_code is None
