"""The command line as a new user meets it in text mode: results on stdout, errors on stderr, dangerous
permissions marked, a diff that says what a value was and became, an empty queue that says so, a demo that
says how to reach it, and a GUI that says why it cannot start where there is no display.

Every run is a real `python -m reviewer_app` process on real APKs (the project's own, and the corpus where
it is needed).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer_app.cli import NO_DISPLAY, display_missing
from tests.conftest import DEMO_APKS, ROOT
from tests.corpus import need_corpus

SMS = DEMO_APKS / "com.example.smshelper_23.apk"
NOTES_1 = DEMO_APKS / "com.example.notes_1.apk"
NOTES_2 = DEMO_APKS / "com.example.notes_2.apk"
LEGACY = DEMO_APKS / "com.example.legacy_9.apk"


def run(*args: str, env: dict[str, str] | None = None, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "reviewer_app"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def records(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ inspect


def test_inspect_marks_dangerous_permissions_in_text_and_json():
    text = run("inspect", str(SMS), str(NOTES_1))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert "  permission android.permission.SEND_SMS  [dangerous]" in lines
    assert "  permission android.permission.READ_PHONE_STATE  [dangerous]" in lines
    assert "  permission android.permission.INTERNET" in lines  # a normal permission is not marked

    sms, notes = records(run("inspect", str(SMS), str(NOTES_1), "--json"))
    assert sms["permissions"] == sorted(sms["permissions"]) and all(isinstance(p, str) for p in sms["permissions"])
    flags = {p["name"]: p["dangerous"] for p in sms["permission_requests"] + notes["permission_requests"]}
    assert flags == {
        "android.permission.SEND_SMS": True,
        "android.permission.RECEIVE_SMS": True,
        "android.permission.READ_SMS": True,
        "android.permission.READ_PHONE_STATE": True,
        "android.permission.INTERNET": False,
    }
    assert {"name", "max_sdk", "source", "dangerous"} == set(sms["permission_requests"][0])


def test_facts_with_the_dangerous_flag_load_back():
    """Facts are stored as their JSON (the database): the extra flag must not stop them loading."""
    from reviewer_app.apk import ApkFacts, read_apk

    facts = read_apk(SMS)
    again = ApkFacts.from_json(json.loads(json.dumps(facts.to_json())))
    assert again.permission_requests == facts.permission_requests


def test_inspect_text_errors_go_to_stderr_and_json_keeps_one_record_per_file(tmp_path):
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    text = run("inspect", str(bad), str(SMS))
    assert text.returncode == 1
    assert text.stderr == f"{bad}: error: not a zip archive\n"
    assert "error" not in text.stdout and text.stdout.startswith(f"{SMS}\n")

    data = run("inspect", str(bad), str(SMS), "--json")
    assert data.returncode == 1 and data.stderr == ""
    assert [(r["file"], r["ok"], r["error"]) for r in records(data)] == [
        (str(bad), False, "not a zip archive"),
        (str(SMS), True, None),
    ]


# ------------------------------------------------------------------------------------------ diff


def test_diff_text_shows_old_and_new_values_and_typed_components():
    proc = run("diff", str(LEGACY), str(SMS))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for expected in (
        "  version code 9 → 23",
        '  version name "0.9" → "2.3"',
        "  min SDK 3 → 19",
        "  target SDK 3 → 28",
        '  label "Legacy Tool" → "SMS Helper"',
        "  activity added: com.example.smshelper.MainActivity",
        "  activity removed: com.example.legacy.LegacyTool",
        "  receiver added: com.example.smshelper.SmsReceiver",
        "  permission added: android.permission.SEND_SMS  [dangerous]",
    ):
        assert expected in lines, proc.stdout
    assert not any("component" in line for line in lines)

    same_sdk = run("diff", str(NOTES_1), str(NOTES_2)).stdout.splitlines()
    assert "  activity added: com.example.notes.ShareActivity" in same_sdk
    assert not any("SDK" in line or "label" in line for line in same_sdk)  # unchanged values are not listed


def test_diff_json_gives_both_values_and_components_by_kind():
    (record,) = records(run("diff", str(LEGACY), str(SMS), "--json"))
    assert (record["old_min_sdk"], record["new_min_sdk"]) == (3, 19)
    assert (record["old_target_sdk"], record["new_target_sdk"]) == (3, 28)
    assert (record["old_label"], record["new_label"]) == ("Legacy Tool", "SMS Helper")
    assert (record["old_version_name"], record["new_version_name"]) == ("0.9", "2.3")
    assert record["component_changes"]["receiver"] == {"added": ["com.example.smshelper.SmsReceiver"], "removed": []}
    assert record["component_changes"]["activity"]["removed"] == ["com.example.legacy.LegacyTool"]
    # The promised flat lists are still there and agree.
    assert sorted(record["components_added"]) == sorted(
        name for change in record["component_changes"].values() for name in change["added"]
    )


def test_diff_of_real_f_droid_versions_shows_the_sdk_step():
    corpus = need_corpus()
    proc = run("diff", str(corpus / "com.politedroid_3.apk"), str(corpus / "com.politedroid_6.apk"))
    assert proc.returncode == 0, proc.stderr
    assert "  min SDK 3 → 14" in proc.stdout.splitlines()


def test_diff_errors_go_to_stderr_in_text_mode(tmp_path):
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    text = run("diff", str(bad), str(SMS))
    assert text.returncode == 1 and text.stdout == ""
    assert text.stderr.startswith("error: ") and "not a zip archive" in text.stderr
    (record,) = records(run("diff", str(bad), str(SMS), "--json"))
    assert record["ok"] is False and "not a zip archive" in record["error"]


# ------------------------------------------------------------------------------------------ workflow


def test_queue_on_an_empty_database_says_so_and_json_prints_nothing(tmp_path):
    empty = run("queue", data_dir=tmp_path / "ws")
    assert (empty.returncode, empty.stdout) == (0, "no open submissions\n")
    assert run("queue", "--kind", "update", data_dir=tmp_path / "ws").stdout == "no open submissions of kind update\n"
    data = run("queue", "--json", data_dir=tmp_path / "ws")
    assert (data.returncode, data.stdout) == (0, "")


def test_submit_and_decide_errors_go_to_stderr_in_text_mode(tmp_path):
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not a zip")
    ws = tmp_path / "ws"
    submitted = run("submit", str(SMS), str(bad), "--kind", "new", "--developer", "Quick Tools", data_dir=ws)
    assert submitted.returncode == 1
    assert submitted.stdout.startswith(f"{SMS}: submission ") and "error" not in submitted.stdout
    assert submitted.stderr == f"{bad}: error: not a zip archive\n"

    refused = run("decide", "999", "--verdict", "approve", data_dir=ws)
    assert refused.returncode != 0 and refused.stdout == ""
    assert "error" in refused.stderr and refused.stderr.count("\n") == 1


def test_demo_says_how_to_point_the_command_line_at_it(tmp_path):
    data = tmp_path / "demo ws"  # a space: the printed command must quote it
    proc = run("demo", "--no-gui", data_dir=data)
    assert proc.returncode == 0, proc.stderr
    (hint,) = [line for line in proc.stderr.splitlines() if "reviewer-app " in line]
    command = shlex.split(hint.split(": ", 1)[1])
    assert command == ["reviewer-app", "--data-dir", str(data), "queue"]
    rows = records(run(*command[1:], "--json"))
    assert len(rows) >= 5 and {r["kind"] for r in rows} == {"new", "update", "metadata", "sensitive"}


# ------------------------------------------------------------------------------------------ GUI without a display


def headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
@pytest.mark.parametrize("args", [[], ["demo"]], ids=["no command", "demo"])
def test_the_gui_without_a_display_is_a_one_line_error(tmp_path, args):
    data = tmp_path / "ws"
    proc = run(*args, env=headless_env(), data_dir=data)
    assert proc.returncode == 2
    assert proc.stderr == f"reviewer-app: error: {NO_DISPLAY}\n"
    assert proc.stdout == ""
    assert not data.exists()  # nothing was set up for a window that cannot open


def test_which_environments_have_no_display():
    linux = "linux"
    assert display_missing({}, linux)
    assert display_missing({"QT_QPA_PLATFORM": "xcb"}, linux)
    assert display_missing({"QT_QPA_PLATFORM": "wayland"}, linux)
    assert not display_missing({"DISPLAY": ":0"}, linux)
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, linux)
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, linux)
    assert not display_missing({"QT_QPA_PLATFORM": "wayland;offscreen"}, linux)
    assert not display_missing({"QT_QPA_PLATFORM": "vnc:size=800x600"}, linux)
    assert not display_missing({}, "darwin") and not display_missing({}, "win32")
