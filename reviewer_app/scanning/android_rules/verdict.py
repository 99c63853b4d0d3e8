"""How hits become a verdict (`decide`, see the package's docstring for the combinations), and
`evaluate`: the rules run over one app's facts, then the verdict.

Kept apart from the rules so that the verdict logic reads in one place and can be tested on hits alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewer_app.scanning.android_rules.catalogue import _RULES, Severity
from reviewer_app.scanning.android_rules.facts import AppFacts, EmbeddedApp
from reviewer_app.scanning.android_rules.rules import Hit, _Rules
from reviewer_app.scanning.engine import Verdict


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str  # the combination that decided it, in words


def decide(hits: dict[str, Hit], embedded_apps: Iterable[EmbeddedApp] = ()) -> Decision:
    """The verdict from the hits (see the module docstring)."""
    has = hits.__contains__
    sends = has("fee_deduction.sends_sms")
    numbers = has("fee_deduction.sms_to_short_code") or has("fee_deduction.premium_number")
    operator = has("fee_deduction.operator_lookup")
    intercepts = has("fee_deduction.sms_receiver_priority") or has("fee_deduction.aborts_sms")
    hides = has("fee_deduction.deletes_sms") or has("fee_deduction.background_send")
    if sends and numbers and (intercepts or hides):
        return Decision(Verdict.MALICIOUS, "fee deduction: sends SMS to short or premium numbers, and intercepts "
                        "or hides SMS")  # fmt: skip
    if sends and operator and intercepts and hides:
        return Decision(Verdict.MALICIOUS, "fee deduction: sends SMS, picks its numbers by the SIM's operator, "
                        "intercepts incoming SMS and hides SMS")  # fmt: skip
    for embedded in embedded_apps:
        if embedded.verdict == Verdict.MALICIOUS:
            return Decision(Verdict.MALICIOUS, f"carries an APK that these rules find malicious: {embedded.path}")
    root_tools = has("root.su") or has("native.executable_outside_lib") or has("dynamic_code.class_loader")
    if has("root.system_write") and root_tools:
        return Decision(Verdict.MALICIOUS, "root: writes into the system partition, with su, programs of its own "
                        "or code loaded at run time")  # fmt: skip
    strong = sorted(code for code, hit in hits.items() if hit.rule.severity == Severity.STRONG)
    categories = sorted({hit.rule.category for hit in hits.values() if hit.rule.severity != Severity.INFO})
    reasons = []  # every reason that applies, so the reviewer sees all of them
    if strong:
        reasons.append(f"strong evidence: {', '.join(strong)}")
    if len(categories) >= 2:
        reasons.append(f"risks in {len(categories)} categories: {', '.join(categories)}")
    if sends and (operator or (intercepts and hides)):
        reasons.append("fee deduction: sends SMS and " + ("reads the SIM's operator" if operator else
                                                          "intercepts and hides SMS"))  # fmt: skip
    if reasons:
        return Decision(Verdict.SUSPICIOUS, "; ".join(reasons))
    if categories:
        return Decision(Verdict.CLEAN, f"one kind of risk only ({categories[0]}), as ordinary apps of that kind have")
    return Decision(Verdict.CLEAN, "no risk found" if not hits else "informational findings only")


def evaluate(app: AppFacts) -> tuple[Decision, list[Hit]]:
    """The rules over one app's facts, then the verdict; the hits in the catalogue's order."""
    hits = _Rules(app).run()
    return decide(hits, app.embedded_apps), [hits[r.code] for r in _RULES if r.code in hits]
