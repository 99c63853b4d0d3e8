"""Reading the results a device cloud writes: which phone a folder is for, what its JUnit report says, and
what crashed in its logcat.

Firebase Test Lab writes one folder per device, named MODEL-API-LOCALE-ORIENTATION (`walleye-28-en-portrait`),
with `test_result_*.xml` (JUnit), `logcat` and screenshots under `artifacts/`. The outcome of a device uses
Test Lab's words: success, failure, inconclusive, skipped, flaky. Results folders are untrusted input: every
file is read within a byte cap, XML without entities or DTDs, and a bad file gives an error for that file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.domain import DeviceCrash as Crash

OUTCOMES = ("success", "failure", "inconclusive", "skipped", "flaky")
MAX_XML_BYTES = 8 * 1024 * 1024
MAX_LOGCAT_BYTES = 64 * 1024 * 1024
MAX_STACK_LINES = 60

# MODEL-API-LOCALE-ORIENTATION; a model may itself hold dashes (`SM-G960F-28-zh_CN-landscape`).
DEVICE_FOLDER = re.compile(r"^(?P<model>.+)-(?P<api>\d{1,3})-(?P<locale>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)-"
                           r"(?P<orientation>portrait|landscape)$")  # fmt: skip
# `E AndroidRuntime: FATAL EXCEPTION: main` (threadtime or brief format), then the stack on following lines.
FATAL = re.compile(r"AndroidRuntime\s*(?:\(\s*\d+\))?\s*:\s*FATAL EXCEPTION")
ANR = re.compile(r"ActivityManager\s*(?:\(\s*\d+\))?\s*:\s*ANR in (?P<process>\S+)")
TAG_MESSAGE = re.compile(r"^(?:.*?\s)?[VDIWEF][/ ](?P<tag>[^:(]+?)\s*(?:\(\s*\d+\))?\s*:\s?(?P<message>.*)$")


class ResultsError(ValueError):
    """A results file that cannot be read as what it should be; the message is one line."""


@dataclass(frozen=True)
class DeviceFolder:
    model: str
    api_level: int
    locale: str
    orientation: str


@dataclass(frozen=True)
class JUnitSummary:
    tests: int
    failures: int
    errors: int
    skipped: int
    flaky: int
    messages: tuple[str, ...] = ()  # the first line of each failure, for the reviewer

    @property
    def outcome(self) -> str:
        """Test Lab's word for the device: failures win, then flaky, then success; nothing run is skipped."""
        if self.failures or self.errors:
            return "failure"
        if self.flaky:
            return "flaky"
        if self.tests and self.skipped >= self.tests:
            return "skipped"
        return "success" if self.tests else "inconclusive"


def parse_device_folder(name: str) -> DeviceFolder | None:
    """`walleye-28-en-portrait` -> DeviceFolder; None when the name is not a device folder's."""
    match = DEVICE_FOLDER.match(name)
    if match is None:
        return None
    return DeviceFolder(match["model"], int(match["api"]), match["locale"], match["orientation"])


def read_capped(path: Path, cap: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > cap:
            raise ResultsError(f"{path.name}: {size} bytes, more than the {cap} allowed")
        with open(path, "rb") as handle:
            return handle.read(cap + 1)[:cap]
    except OSError as exc:
        raise ResultsError(f"{path.name}: {exc.strerror or exc}") from None


def parse_junit(data: bytes, name: str = "test_result.xml") -> JUnitSummary:
    """A JUnit report (`<testsuites>` or a single `<testsuite>`). Counts come from the test cases when they
    are there (the attributes of hand-made reports lie), else from the suite's attributes. A DTD or entity
    declaration is refused: nothing in a results folder is trusted."""
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise ResultsError(f"{name}: a DTD or entity declaration is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ResultsError(f"{name}: not well-formed XML ({exc})") from None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite") if root.tag == "testsuites" else []
    if not suites:
        raise ResultsError(f"{name}: no <testsuite> in it (the root is <{root.tag}>)")
    tests = failures = errors = skipped = flaky = 0
    messages: list[str] = []
    for suite in suites:
        cases = suite.findall("testcase")
        if not cases:
            tests += _count(suite, "tests")
            failures += _count(suite, "failures")
            errors += _count(suite, "errors")
            skipped += _count(suite, "skipped")
            continue
        for case in cases:
            tests += 1
            failed = case.find("failure")
            errored = case.find("error")
            if case.find("skipped") is not None:
                skipped += 1
            elif case.get("flaky") == "true" or case.find("flakyFailure") is not None:
                flaky += 1
            elif failed is not None or errored is not None:
                problem = failed if failed is not None else errored
                assert problem is not None
                failures += failed is not None
                errors += errored is not None and failed is None
                text = (problem.get("message") or problem.text or "").strip().splitlines()
                messages.append(f"{case.get('classname', '')}.{case.get('name', '')}: {text[0] if text else ''}")
    return JUnitSummary(tests, failures, errors, skipped, flaky, tuple(messages[:20]))


def _count(element: ET.Element, attribute: str) -> int:
    try:
        return max(0, int(element.get(attribute) or 0))
    except ValueError:
        return 0


def find_crashes(logcat: str, package: str | None = None) -> list[Crash]:
    """Fatal exceptions and ANRs in a logcat (threadtime or brief format), with their stack lines; those of
    `package`'s process only when one is given."""
    crashes: list[Crash] = []
    lines = logcat.splitlines()
    for index, line in enumerate(lines):
        anr = ANR.search(line)
        if anr is not None:
            if package is None or anr["process"].split(":")[0] == package:
                crashes.append(Crash("anr", anr["process"], tuple(_following(lines, index, "ActivityManager"))))
            continue
        if FATAL.search(line) is None:
            continue
        stack = _following(lines, index, "AndroidRuntime")
        process = next((s.split("Process:", 1)[1].split(",")[0].strip() for s in stack if "Process:" in s), "")
        if package is None or process.split(":")[0] == package:
            crashes.append(Crash("crash", process, tuple(stack)))
    return crashes


def _following(lines: list[str], index: int, tag: str) -> list[str]:
    """The messages of the lines after `index` with the same tag (the rest of that report)."""
    found: list[str] = []
    for line in lines[index + 1 : index + 1 + MAX_STACK_LINES * 3]:
        match = TAG_MESSAGE.match(line)
        if match is None or match["tag"].strip() != tag:
            if found:
                break
            continue
        found.append(match["message"].rstrip())
        if len(found) >= MAX_STACK_LINES:
            break
    return found


# What a logcat says of the package under test. Install failures are the package manager's codes; a launch is
# the activity manager starting the package's process or drawing its first activity.
INSTALL_FAILED = re.compile(r"\b(INSTALL_(?:PARSE_)?FAILED_[A-Z0-9_]+)")


@dataclass(frozen=True)
class LogcatEvidence:
    installed: bool | None  # None: the logcat does not say
    launched: bool | None
    crashes: tuple[Crash, ...]
    install_error: str | None = None  # the package manager's code ("INSTALL_FAILED_OLDER_SDK")


def logcat_evidence(logcat: str, package: str | None) -> LogcatEvidence:
    """Install, launch and crashes of `package` as a logcat shows them. Without a package only an install
    failure and every crash can be told (the launch of which process would be the app's is unknown). A
    launch proves the install, even after a failed attempt."""
    failure = INSTALL_FAILED.search(logcat)
    launched = None
    if package:
        name = re.escape(package)
        if re.search(rf"Start proc \d+:{name}(?::[\w.]+)?/|Displayed {name}/", logcat):
            launched = True
    installed = True if launched else (False if failure else None)
    error = failure.group(1) if failure and not launched else None
    return LogcatEvidence(installed, launched, tuple(find_crashes(logcat, package)), error)


def combine_junit(summaries: list[JUnitSummary]) -> JUnitSummary | None:
    """One summary of several reports of a device (Test Lab writes one per shard or attempt)."""
    if not summaries:
        return None
    return JUnitSummary(
        tests=sum(s.tests for s in summaries),
        failures=sum(s.failures for s in summaries),
        errors=sum(s.errors for s in summaries),
        skipped=sum(s.skipped for s in summaries),
        flaky=sum(s.flaky for s in summaries),
        messages=tuple(m for s in summaries for m in s.messages)[:20],
    )


def derive_outcome(
    junit_outcome: str | None, installed: bool | None, launched: bool | None, crashed: bool | None
) -> str:
    """Test Lab's word for a device: a crash or a failed install is a failure whatever the tests said; else
    the tests' outcome; without tests, success when the app installed and launched, else inconclusive."""
    if crashed or installed is False:
        return "failure"
    if junit_outcome is not None:
        return junit_outcome
    return "success" if installed and launched else "inconclusive"
