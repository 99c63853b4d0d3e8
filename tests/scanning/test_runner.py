"""Every engine at once, each in its own capped process: wall time near the slowest, a hang or a crash
costs that engine's verdict only."""

from __future__ import annotations

import time

import pytest

from reviewer_app.scanning import EngineSpec, Gate, Verdict
from reviewer_app.scanning.runner import ScanRunner, scan_file

E = "tests.scanning.engines:"


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "app.apk"
    path.write_bytes(b"PK\x03\x04 not much of an APK, but a file")
    return path


def test_engines_run_side_by_side_not_one_after_the_other(sample):
    specs = [EngineSpec(E + "SlowClean", {"label": f"slow{i}", "seconds": 1.0}) for i in range(2)]
    with ScanRunner(specs) as runner:
        runner.scan(sample)  # the engines' processes start once, outside the timed scan
        started = time.perf_counter()
        report = runner.scan(sample)
        wall = time.perf_counter() - started
    assert [r.verdict for r in report.results] == [Verdict.CLEAN, Verdict.CLEAN]
    assert 1.0 <= wall < 1.7, wall  # close to the slowest (1 s), not the sum (2 s)
    assert report.decision.gate == Gate.PASS


def test_a_hanging_a_crashing_and_a_greedy_engine_each_cost_their_own_verdict(sample):
    specs = [
        EngineSpec(E + "Hangs", timeout_seconds=2.0),
        EngineSpec(E + "Crashes"),
        EngineSpec(E + "EatsMemory", memory_bytes=256 * 1024 * 1024),
        EngineSpec(E + "Raises"),
        EngineSpec(E + "FindsMarker"),
    ]
    started = time.perf_counter()
    report = scan_file(sample, specs, "all_clean")
    assert time.perf_counter() - started < 15
    by_engine = {r.engine: r for r in report.results}
    assert by_engine[E + "Hangs"].verdict == Verdict.TIMEOUT and "2 s" in by_engine[E + "Hangs"].error
    assert by_engine[E + "Crashes"].verdict == Verdict.ERROR and "died" in by_engine[E + "Crashes"].error
    assert by_engine[E + "EatsMemory"].verdict == Verdict.ERROR
    assert by_engine[E + "Raises"].verdict == Verdict.ERROR and "failed on this file" in by_engine[E + "Raises"].error
    assert by_engine["finds-marker"].verdict == Verdict.CLEAN  # the healthy engine still answered
    assert report.decision.gate == Gate.HOLD  # all_clean: one clean among failures is not enough


def test_verdicts_arrive_as_they_come_with_the_gate_as_it_stands(sample, tmp_path):
    infected = tmp_path / "bad.apk"
    infected.write_bytes(b"PK\x03\x04 ... MALWARE-MARKER ...")
    specs = [EngineSpec(E + "FindsMarker"), EngineSpec(E + "SlowClean", {"seconds": 1.0})]
    seen = []
    with ScanRunner(specs, "any_clean") as runner:
        clean = runner.scan(sample, lambda result, decision: seen.append((result.verdict, decision.gate)))
        assert seen == [(Verdict.CLEAN, Gate.PASS), (Verdict.CLEAN, Gate.PASS)]  # passed on the first verdict
        assert clean.decision.decided_by == "finds-marker"
        bad = runner.scan(infected)  # the same processes, another file
    assert bad.decision.gate == Gate.BLOCK and bad.results[0].detections == ("Test.Marker",)
    assert bad.to_json()["gate"] == "block" and bad.to_json()["policy"] == "any_clean"


def test_a_crashed_engine_process_is_replaced_for_the_next_file(sample):
    specs = [EngineSpec(E + "Crashes"), EngineSpec(E + "FindsMarker")]
    with ScanRunner(specs) as runner:
        first = runner.scan(sample)
        second = runner.scan(sample)
    assert [r.verdict for r in first.results if r.engine.endswith("Crashes")] == [Verdict.ERROR]
    assert [r.verdict for r in second.results if r.engine == "finds-marker"] == [Verdict.CLEAN]


def test_a_missing_file_is_one_error_record(tmp_path):
    report = scan_file(tmp_path / "nope.apk", [EngineSpec(E + "FindsMarker")])
    assert not report.ok and report.error == "no such file" and report.to_json()["gate"] is None
