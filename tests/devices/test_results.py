"""Device-cloud results read as Test Lab writes them: folder names, JUnit reports (also malformed and hostile
ones) and crashes and ANRs in logcats of both common formats."""

from __future__ import annotations

import pytest

from reviewer_app.devices.results import (
    ResultsError,
    find_crashes,
    parse_device_folder,
    parse_junit,
    read_capped,
)

LOGCAT_THREADTIME = """\
11-29 10:00:01.100  1234  1234 I ActivityManager: Start proc 4321:com.example.notes/u0a123 for activity
11-29 10:00:02.200  4321  4321 E AndroidRuntime: FATAL EXCEPTION: main
11-29 10:00:02.200  4321  4321 E AndroidRuntime: Process: com.example.notes, PID: 4321
11-29 10:00:02.200  4321  4321 E AndroidRuntime: java.lang.NullPointerException: Attempt to invoke virtual method
11-29 10:00:02.200  4321  4321 E AndroidRuntime: \tat com.example.notes.MainActivity.onCreate(MainActivity.java:42)
11-29 10:00:02.201  1234  1250 W ActivityManager:   Force finishing activity com.example.notes/.MainActivity
11-29 10:00:09.000  1234  1260 E ActivityManager: ANR in com.example.other (com.example.other/.Main)
11-29 10:00:09.000  1234  1260 E ActivityManager: PID: 999
11-29 10:00:09.000  1234  1260 E ActivityManager: Reason: Input dispatching timed out
"""

LOGCAT_BRIEF = """\
E/AndroidRuntime( 4321): FATAL EXCEPTION: main
E/AndroidRuntime( 4321): Process: com.example.notes:remote, PID: 4321
E/AndroidRuntime( 4321): java.lang.IllegalStateException: boom
I/ActivityManager( 1234): Process com.example.notes:remote (pid 4321) has died
"""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("walleye-28-en-portrait", ("walleye", 28, "en", "portrait")),
        ("SM-G960F-29-zh_CN-landscape", ("SM-G960F", 29, "zh_CN", "landscape")),
        ("Pixel2.arm-33-en_US-portrait", ("Pixel2.arm", 33, "en_US", "portrait")),
    ],
)
def test_a_device_folder_says_which_phone_it_is(name, expected):
    device = parse_device_folder(name)
    assert device is not None
    assert (device.model, device.api_level, device.locale, device.orientation) == expected


@pytest.mark.parametrize("name", ["artifacts", "walleye-28-en", "walleye-x-en-portrait", "walleye-28-en-sideways"])
def test_other_folders_are_not_devices(name):
    assert parse_device_folder(name) is None


def test_junit_outcomes_in_test_labs_words():
    passed = b'<testsuites><testsuite name="s"><testcase classname="a.B" name="t1"/><testcase name="t2"/>'
    passed += b"</testsuite></testsuites>"
    assert parse_junit(passed).outcome == "success"
    failed = parse_junit(
        b'<testsuite name="s" tests="9"><testcase classname="a.B" name="t1"><failure message="App crashed">'
        b'trace</failure></testcase><testcase name="t2"/></testsuite>'
    )
    assert (failed.tests, failed.failures, failed.outcome) == (2, 1, "failure")  # the cases, not the attribute
    assert failed.messages == ("a.B.t1: App crashed",)
    flaky = parse_junit(b'<testsuite><testcase name="t" flaky="true"><failure/></testcase></testsuite>')
    assert flaky.outcome == "flaky"
    skipped = parse_junit(b'<testsuite><testcase name="t"><skipped/></testcase></testsuite>')
    assert skipped.outcome == "skipped"
    assert parse_junit(b'<testsuite tests="0"/>').outcome == "inconclusive"
    attributes_only = parse_junit(b'<testsuite tests="3" failures="0" errors="1"/>')
    assert attributes_only.outcome == "failure"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<testsuite><testcase>", "not well-formed"),
        (b"<html><body/></html>", "no <testsuite>"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite>&a;</testsuite>', "DTD or entity"),
        (b"", "not well-formed"),
    ],
)
def test_a_bad_report_is_one_clear_error(data, words):
    with pytest.raises(ResultsError, match=words):
        parse_junit(data, "test_result_1.xml")


def test_crashes_and_anrs_are_found_with_their_stack():
    crashes = find_crashes(LOGCAT_THREADTIME)
    assert [(c.kind, c.process) for c in crashes] == [("crash", "com.example.notes"), ("anr", "com.example.other")]
    assert "java.lang.NullPointerException: Attempt to invoke virtual method" in crashes[0].stack
    assert any("MainActivity.java:42" in line for line in crashes[0].stack)
    assert "Reason: Input dispatching timed out" in crashes[1].stack
    assert [c.process for c in find_crashes(LOGCAT_THREADTIME, package="com.example.notes")] == ["com.example.notes"]
    (brief,) = find_crashes(LOGCAT_BRIEF, package="com.example.notes")  # a process of the app counts
    assert brief.process == "com.example.notes:remote" and "java.lang.IllegalStateException: boom" in brief.stack
    assert find_crashes("garbage\n\x00\xff line\nno report here") == []


def test_files_are_read_within_a_cap(tmp_path):
    big = tmp_path / "logcat"
    big.write_bytes(b"x" * 2048)
    assert read_capped(big, 4096) == b"x" * 2048
    with pytest.raises(ResultsError, match="more than the 1024 allowed"):
        read_capped(big, 1024)
    with pytest.raises(ResultsError, match="missing"):
        read_capped(tmp_path / "missing", 10)
