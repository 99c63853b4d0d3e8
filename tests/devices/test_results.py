"""Device-cloud results read as Test Lab writes them: folder names, JUnit reports (also malformed and hostile
ones) and crashes and ANRs in logcats of both common formats."""

from __future__ import annotations

import pytest

from reviewer_app.devices.results import (
    ResultsError,
    combine_junit,
    derive_outcome,
    find_crashes,
    logcat_evidence,
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


def test_a_logcat_tells_install_launch_and_crashes_of_the_package():
    started = logcat_evidence(LOGCAT_THREADTIME, "com.example.notes")
    assert (started.installed, started.launched, started.install_error) == (True, True, None)
    assert [c.process for c in started.crashes] == ["com.example.notes"]
    displayed = "I ActivityTaskManager: Displayed com.example.notes/.MainActivity: +1s2ms\n"
    assert logcat_evidence(displayed, "com.example.notes").launched is True
    assert logcat_evidence(displayed, "com.example.note").launched is None  # a prefix is another package
    remote = "I ActivityManager: Start proc 77:com.example.notes:sync/u0a1 for service {com.example.notes/.S}\n"
    assert logcat_evidence(remote, "com.example.notes").launched is True
    failed = "E adbd: Failure [INSTALL_FAILED_NO_MATCHING_ABIS: Failed to extract native libraries, res=-113]\n"
    evidence = logcat_evidence(failed, "com.example.notes")
    assert (evidence.installed, evidence.launched, evidence.install_error) == (
        False,
        None,
        "INSTALL_FAILED_NO_MATCHING_ABIS",
    )
    retried = logcat_evidence(failed + displayed, "com.example.notes")  # a second attempt worked
    assert (retried.installed, retried.launched, retried.install_error) == (True, True, None)
    unknown = logcat_evidence(LOGCAT_THREADTIME, None)
    assert (unknown.installed, unknown.launched, len(unknown.crashes)) == (None, None, 2)


def test_outcomes_are_derived_in_test_labs_words():
    assert derive_outcome("success", True, True, True) == "failure"  # a crash fails whatever the tests said
    assert derive_outcome("flaky", False, None, None) == "failure"
    assert derive_outcome("skipped", None, None, None) == "skipped"
    assert derive_outcome(None, True, True, False) == "success"
    assert derive_outcome(None, True, None, None) == "inconclusive"


def test_several_reports_of_a_device_are_one_summary():
    first = parse_junit(
        b'<testsuite><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>'
    )
    second = parse_junit(
        b'<testsuite><testcase name="c" flaky="true"/><testcase name="d"><skipped/></testcase></testsuite>'
    )
    both = combine_junit([first, second])
    assert both is not None
    assert (both.tests, both.failures, both.flaky, both.skipped, both.outcome) == (4, 1, 1, 1, "failure")
    assert combine_junit([]) is None
