"""The gate policies over recorded verdict combinations, in the order the verdicts arrived."""

from __future__ import annotations

import pytest

from reviewer_app.scanning import EngineResult, Gate, GatePolicy, PolicyError, Verdict, decide

ANY, ALL, QUORUM2 = GatePolicy.parse("any_clean"), GatePolicy.parse("all_clean"), GatePolicy.parse("quorum:2")


def results(*pairs: tuple[str, str]) -> list[EngineResult]:
    return [EngineResult(engine, "1", "1", Verdict(verdict)) for engine, verdict in pairs]


@pytest.mark.parametrize(
    ("policy", "verdicts", "expected", "gate", "decided_by"),
    [
        # any_clean: the first clean verdict passes it, unless malware came first
        (ANY, [("yara", "clean")], 3, Gate.PASS, "yara"),
        (ANY, [("clamav", "malicious"), ("yara", "clean")], 3, Gate.BLOCK, "clamav"),
        (ANY, [("rules", "suspicious"), ("yara", "clean")], 3, Gate.PASS, "yara"),
        (ANY, [("clamav", "error"), ("yara", "timeout"), ("rules", "suspicious")], 3, Gate.HOLD, None),
        (ANY, [("clamav", "error")], 3, Gate.HOLD, None),  # still waiting
        (ANY, [("clamav", "unsupported"), ("yara", "clean")], None, Gate.PASS, "yara"),
        # all_clean: every engine, or nothing
        (ALL, [("clamav", "clean"), ("yara", "clean"), ("rules", "clean")], 3, Gate.PASS, "rules"),
        (ALL, [("clamav", "clean"), ("yara", "clean")], 3, Gate.HOLD, None),
        (ALL, [("clamav", "clean"), ("yara", "error"), ("rules", "clean")], 3, Gate.HOLD, None),
        (ALL, [("clamav", "clean"), ("yara", "clean"), ("rules", "malicious")], 3, Gate.BLOCK, "rules"),
        # quorum:2
        (QUORUM2, [("clamav", "clean"), ("yara", "suspicious"), ("rules", "clean")], 3, Gate.PASS, "rules"),
        (QUORUM2, [("clamav", "clean"), ("yara", "timeout"), ("rules", "error")], 3, Gate.HOLD, None),
        (QUORUM2, [("clamav", "clean"), ("yara", "clean"), ("rules", "malicious")], 3, Gate.BLOCK, "rules"),
    ],
)
def test_each_policy_over_recorded_verdicts(policy, verdicts, expected, gate, decided_by):
    decision = decide(policy, results(*verdicts), expected)
    assert (decision.gate, decision.decided_by) == (gate, decided_by)


def test_any_clean_reports_malware_found_after_the_gate_passed():
    decision = decide(ANY, results(("yara", "clean"), ("rules", "clean"), ("clamav", "malicious")), 3)
    assert decision.gate == Gate.PASS  # the submission went on when yara said clean
    assert decision.malware_after_pass == ("clamav",)  # ...and is flagged / recalled now
    assert decision.final and decision.complete


def test_a_hold_is_final_only_when_every_engine_answered():
    waiting = decide(ANY, results(("clamav", "error")), 2)
    assert waiting.gate == Gate.HOLD and not waiting.final and "waiting" in waiting.reason
    held = decide(ANY, results(("clamav", "error"), ("yara", "suspicious")), 2)
    assert held.gate == Gate.HOLD and held.final
    assert "clamav: error" in held.reason and "yara: suspicious" in held.reason


@pytest.mark.parametrize("text", ["", "some_clean", "quorum:", "quorum:0", "quorum:x", "quorum:-1"])
def test_a_policy_that_does_not_exist_is_one_clear_error(text):
    with pytest.raises(PolicyError, match="use any_clean, all_clean or quorum:N"):
        GatePolicy.parse(text)


def test_policies_read_back_as_written():
    assert [str(GatePolicy.parse(t)) for t in ("any_clean", "all_clean", "quorum:3")] == [
        "any_clean",
        "all_clean",
        "quorum:3",
    ]


def lookup(verdict: str = "clean") -> EngineResult:
    """The reputation engine: a blocklist lookup; its clean (no hit) does not vouch for the package."""
    return EngineResult("reputation", "1", "1", Verdict(verdict), vouches=verdict != "clean")


@pytest.mark.parametrize(
    ("policy", "verdicts", "expected", "gate", "decided_by"),
    [
        # any_clean: the lookup's clean is nothing; the gate waits for an engine that looked at the package
        (ANY, [], 3, Gate.HOLD, None),
        (ANY, [("yara", "clean")], 3, Gate.PASS, "yara"),
        (ANY, [("clamav", "error"), ("yara", "suspicious")], 3, Gate.HOLD, None),
        # all_clean: every vouching engine clean, and at least one; the lookup's clean is set aside
        (ALL, [("clamav", "clean"), ("yara", "clean")], 3, Gate.PASS, "yara"),
        (ALL, [("clamav", "clean")], 3, Gate.HOLD, None),  # yara has not answered
        (ALL, [("clamav", "clean"), ("yara", "error")], 3, Gate.HOLD, None),
        (ALL, [], 1, Gate.HOLD, None),  # the lookup alone vouches for nothing
        # quorum:2 counts vouching cleans only
        (QUORUM2, [("clamav", "clean")], 2, Gate.HOLD, None),
        (QUORUM2, [("clamav", "clean"), ("yara", "clean")], 3, Gate.PASS, "yara"),
    ],
)
def test_a_clean_that_does_not_vouch_counts_as_nothing(policy, verdicts, expected, gate, decided_by):
    arrived = [lookup(), *results(*verdicts)]  # the lookup is the fastest engine: it answers first
    decision = decide(policy, arrived, expected)
    assert (decision.gate, decision.decided_by) == (gate, decided_by)
    if gate == Gate.HOLD and decision.complete:
        assert "reputation: clean, does not vouch" in decision.reason


@pytest.mark.parametrize("policy", [ANY, ALL, QUORUM2])
def test_a_blocklist_hit_blocks_under_every_policy(policy):
    decision = decide(policy, [lookup("malicious"), *results(("clamav", "clean"), ("yara", "clean"))], 3)
    assert (decision.gate, decision.decided_by) == (Gate.BLOCK, "reputation")


def test_all_clean_passes_on_every_result_when_no_count_is_given():
    assert decide(ALL, results(("clamav", "clean"), ("yara", "clean"))).gate == Gate.PASS
    assert decide(ALL, [lookup(), *results(("yara", "clean"))]).gate == Gate.PASS
    assert decide(ALL, [lookup()]).gate == Gate.HOLD
