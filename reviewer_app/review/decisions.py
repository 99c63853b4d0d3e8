"""The rules of a valid decision, in one place: the service refuses what breaks them, the GUI says why
before anything is sent, and both use these same rules.

A problem is a code with parameters; `text()` is the English the command line prints, and the GUI shows
the code in the reviewer's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from reviewer_app.domain import VERDICTS, RedFlag
from reviewer_app.review.reasons import REASON_CODES


class Problem(StrEnum):
    UNKNOWN_VERDICT = "unknown_verdict"
    UNKNOWN_REASON = "unknown_reason"
    NO_REASON = "no_reason"
    NO_MESSAGE = "no_message"


TEXTS = {
    Problem.UNKNOWN_VERDICT: "unknown verdict {verdict!r} (use approve, reject or escalate)",
    Problem.UNKNOWN_REASON: "unknown reason code {reason!r} (known: {known})",
    Problem.NO_REASON: "a rejection needs at least one reason code",
    Problem.NO_MESSAGE: "a rejection needs a message to the developer",
}


@dataclass(frozen=True)
class DecisionProblem:
    code: Problem
    params: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return TEXTS[self.code].format(**self.params)


def clean_reasons(reasons: Iterable[str]) -> tuple[str, ...]:
    """Reason codes as given, trimmed, blanks and repeats dropped, in their first order."""
    return tuple(dict.fromkeys(r.strip() for r in reasons if r and r.strip()))


def clean_message(message: str | None) -> str | None:
    return message.strip() if message and message.strip() else None


def decision_problem(verdict: str, reasons: Sequence[str], message: str | None) -> DecisionProblem | None:
    """Why this decision cannot be recorded as it stands, or None. Reasons and message as `clean_*` left them."""
    if verdict not in VERDICTS:
        return DecisionProblem(Problem.UNKNOWN_VERDICT, {"verdict": verdict})
    unknown = [r for r in reasons if r not in REASON_CODES]
    if unknown:
        return DecisionProblem(Problem.UNKNOWN_REASON, {"reason": unknown[0], "known": ", ".join(sorted(REASON_CODES))})
    if verdict == "reject" and not reasons:
        return DecisionProblem(Problem.NO_REASON)
    if verdict == "reject" and not message:
        return DecisionProblem(Problem.NO_MESSAGE)
    return None


def needs_confirmation(verdict: str, flags: Sequence[RedFlag]) -> bool:
    """Approving a submission that carries red flags is asked about first; a clean one approves at once,
    and rejecting or escalating never needs a second look."""
    return verdict == "approve" and bool(flags)
