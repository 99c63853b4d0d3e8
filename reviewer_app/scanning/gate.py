"""The gate: may a submission go on to human review, given the engines' verdicts so far?

Gate values (CLI.md): "pass" (it may go on), "block" (malware: it does not), "hold" (not decided: a person
or a re-scan must settle it). Policies:

`any_clean` — the store's, chosen for speed. Verdicts are read in the order they arrived.
  - The gate passes as soon as one engine reports the package clean, provided no engine reported it
    malicious before that. The other engines go on scanning.
  - A malicious verdict that arrives before any clean one blocks: speed never lets through what an engine
    has already called malware.
  - Suspicious verdicts neither pass nor block; errors, timeouts and "unsupported" count as nothing. When
    every engine has answered and none said clean (and none malicious), the gate holds.
  - A malicious verdict that arrives after the gate passed leaves the gate as it was (the submission went
    on) but is reported as `malware_after_pass`: the submission gets a critical red flag while it is under
    review, and an approved (live) app is recalled.
`all_clean` — passes only when every engine reports clean (a clean that does not vouch, see below, is
  set aside) and at least one vouching engine does; any malicious verdict blocks; anything else holds
  (an error of any engine, a blocklist's included, holds: all_clean is the strict policy).
`quorum:N` — passes when at least N engines report clean (vouching cleans only) and none reports
  malicious; any malicious verdict blocks; fewer than N clean holds.

A clean verdict that does not vouch (`EngineResult.vouches` False) counts as nothing under every policy,
like an error: a lookup that found nothing (the reputation engine's blocklists) says nothing about the
package, and were it to count, the fastest engine would wave every submission through under any_clean.
Its malicious verdicts (a blocklist hit) count as any other.

A blocked gate is a red flag (critical), a held one too (serious): the reviewer is asked before approving.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from reviewer_app.scanning.engine import EngineResult, Verdict


class Gate(StrEnum):
    PASS = "pass"
    BLOCK = "block"
    HOLD = "hold"


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class GatePolicy:
    kind: str  # "any_clean" | "all_clean" | "quorum"
    quorum: int = 1

    @classmethod
    def parse(cls, text: str) -> GatePolicy:
        text = (text or "").strip()
        if text in ("any_clean", "all_clean"):
            return cls(text)
        if text.startswith("quorum:"):
            try:
                n = int(text.split(":", 1)[1])
            except ValueError:
                n = 0
            if n >= 1:
                return cls("quorum", n)
        raise PolicyError(f"unknown gate policy {text!r} (use any_clean, all_clean or quorum:N with N >= 1)")

    def __str__(self) -> str:
        return f"quorum:{self.quorum}" if self.kind == "quorum" else self.kind


@dataclass(frozen=True)
class GateDecision:
    gate: Gate
    reason: str  # one line, English (the GUI says it from the gate and the counts)
    decided_by: str | None = None  # the engine whose verdict settled it (any_clean: the first clean one)
    complete: bool = True  # every expected engine has answered
    malware_after_pass: tuple[str, ...] = ()  # engines that found malware after an any_clean pass

    @property
    def final(self) -> bool:
        """Nothing that arrives later can change the gate itself (it may still recall, see above)."""
        return self.complete or self.gate != Gate.HOLD


def decide(policy: GatePolicy, results: Iterable[EngineResult], expected: int | None = None) -> GateDecision:
    """The gate for these results, in the order they arrived; `expected`: how many engines run in all
    (None: the results are all there will be)."""
    results = list(results)
    complete = expected is None or len(results) >= expected
    clean = [r.engine for r in results if _vouches_clean(r)]
    malicious = [r.engine for r in results if r.verdict == Verdict.MALICIOUS]
    if policy.kind == "any_clean":
        for position, result in enumerate(results):
            if result.verdict == Verdict.MALICIOUS:
                return GateDecision(Gate.BLOCK, f"{result.engine} found malware", result.engine, complete)
            if _vouches_clean(result):
                later = tuple(r.engine for r in results[position + 1 :] if r.verdict == Verdict.MALICIOUS)
                return GateDecision(Gate.PASS, f"{result.engine} found it clean", result.engine, complete, later)
        return GateDecision(Gate.HOLD, _hold_reason(results, complete), None, complete)
    if malicious:
        return GateDecision(Gate.BLOCK, f"{malicious[0]} found malware", malicious[0], complete)
    if policy.kind == "all_clean":
        counted = [r for r in results if not _set_aside(r)]
        if not complete or not clean or len(clean) < len(counted):
            return GateDecision(Gate.HOLD, _hold_reason(results, complete, "every engine must find it clean"),
                                None, complete)  # fmt: skip
        return GateDecision(Gate.PASS, f"{len(clean)} engines found it clean", clean[-1], complete)
    needed = policy.quorum
    if len(clean) >= needed and clean:
        return GateDecision(Gate.PASS, f"{len(clean)} engines found it clean", clean[min(needed, len(clean)) - 1],
                            complete)  # fmt: skip
    return GateDecision(Gate.HOLD, _hold_reason(results, complete, f"{len(clean)} of {needed} clean verdicts"),
                        None, complete)  # fmt: skip


def _vouches_clean(result: EngineResult) -> bool:
    return result.verdict == Verdict.CLEAN and result.vouches


def _set_aside(result: EngineResult) -> bool:
    """A clean verdict that does not vouch: it counts as nothing."""
    return result.verdict == Verdict.CLEAN and not result.vouches


def _hold_reason(results: list[EngineResult], complete: bool, why: str = "") -> str:
    if not complete:
        return "waiting for the engines" + (f" ({why})" if why else "")
    undecided = [
        f"{r.engine}: clean, does not vouch" if _set_aside(r) else f"{r.engine}: {r.verdict}"
        for r in results
        if not _vouches_clean(r)
    ]
    text = why or "no engine found it clean"
    return text + (f" ({', '.join(undecided)})" if undecided else "")
