"""The rules of a valid decision, in one place: what they refuse, and that the service and the command line
refuse exactly that, with the same words, and store nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reviewer_app.cli import build_parser, main
from reviewer_app.config import Settings
from reviewer_app.domain import VERDICTS, RedFlag
from reviewer_app.review import REASON_CODES, ReviewService
from reviewer_app.review.decisions import (
    DecisionProblem,
    Problem,
    clean_message,
    clean_reasons,
    decision_problem,
    needs_confirmation,
)

KNOWN = ", ".join(sorted(REASON_CODES))

# -- cleaning what the reviewer typed --------------------------------------------------------------


def test_reasons_are_trimmed_blanks_and_repeats_dropped_first_order_kept():
    assert clean_reasons([" privacy", "malware ", "", "   ", "privacy", "malware", "ads"]) == (
        "privacy",
        "malware",
        "ads",
    )


def test_no_reasons_stay_none():
    assert clean_reasons([]) == ()
    assert clean_reasons(["", " "]) == ()


def test_a_message_is_trimmed_and_a_blank_one_is_no_message():
    assert clean_message("  Please remove SEND_SMS.\n") == "Please remove SEND_SMS."
    assert clean_message("line one\n\nline two") == "line one\n\nline two"  # inside, as written
    assert clean_message(" \n\t ") is None
    assert clean_message("") is None
    assert clean_message(None) is None


# -- what is refused --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "reasons", "message"),
    [
        ("approve", (), None),
        ("escalate", (), None),
        ("escalate", (), "Looks like a bank clone"),
        ("escalate", ("counterfeit",), None),
        ("reject", ("privacy",), "Remove READ_CONTACTS"),
        ("reject", ("malware", "fee_deduction"), "Sends premium SMS"),
        ("approve", ("other",), "noted"),
    ],
)
def test_valid_decisions(verdict, reasons, message):
    assert decision_problem(verdict, reasons, message) is None


def test_an_unknown_verdict_is_named_with_the_ones_there_are():
    problem = decision_problem("maybe", (), None)
    assert problem.code == Problem.UNKNOWN_VERDICT
    assert problem.text() == "unknown verdict 'maybe' (use approve, reject or escalate)"


@pytest.mark.parametrize("verdict", ["Approve", "approved", "", "reject "])
def test_verdicts_are_exact_words(verdict):
    assert decision_problem(verdict, ("privacy",), "m").code == Problem.UNKNOWN_VERDICT


def test_an_unknown_reason_is_named_with_the_known_ones():
    problem = decision_problem("reject", ("privacy", "spam", "worse"), "m")
    assert problem.code == Problem.UNKNOWN_REASON
    assert problem.text() == f"unknown reason code 'spam' (known: {KNOWN})"


def test_an_unknown_reason_is_refused_on_any_verdict():
    assert decision_problem("approve", ("nonsense",), None).code == Problem.UNKNOWN_REASON
    assert decision_problem("escalate", ("nonsense",), None).code == Problem.UNKNOWN_REASON


def test_a_rejection_needs_a_reason():
    problem = decision_problem("reject", (), "Please fix")
    assert problem.code == Problem.NO_REASON
    assert problem.text() == "a rejection needs at least one reason code"


def test_a_rejection_needs_a_message_to_the_developer():
    problem = decision_problem("reject", ("privacy",), None)
    assert problem.code == Problem.NO_MESSAGE
    assert problem.text() == "a rejection needs a message to the developer"


def test_the_first_problem_is_the_one_told():
    """A wrong verdict before a wrong reason, a wrong reason before a missing one or a missing message."""
    assert decision_problem("maybe", ("nonsense",), None).code == Problem.UNKNOWN_VERDICT
    assert decision_problem("reject", ("nonsense",), None).code == Problem.UNKNOWN_REASON
    assert decision_problem("reject", (), None).code == Problem.NO_REASON


def test_every_problem_has_its_english_text():
    params = {"verdict": "x", "reason": "y", "known": KNOWN}
    assert all(DecisionProblem(code, params).text() for code in Problem)


# -- which decisions are asked about first ----------------------------------------------------------

FLAG = RedFlag("janus_v1_only", 1, "facts", {"first": "5.0", "last": "8.0"})


def test_approving_a_flagged_submission_asks_first():
    assert needs_confirmation("approve", [FLAG]) is True


def test_approving_a_clean_submission_does_not_ask():
    assert needs_confirmation("approve", []) is False


@pytest.mark.parametrize("verdict", ["reject", "escalate"])
def test_rejecting_or_escalating_never_asks(verdict):
    assert needs_confirmation(verdict, [FLAG, RedFlag("not_signed", 2)]) is False


# -- the service and the command line refuse exactly that ------------------------------------------

# As a reviewer types them: the rules see them after clean_reasons and clean_message.
TYPED = [
    ("maybe", [], None),
    ("reject", [], "why"),
    ("reject", ["", "  "], "why"),
    ("reject", ["malware"], None),
    ("reject", ["malware"], "   "),
    ("reject", ["malware", "spam"], "why"),
    ("approve", ["nonsense"], None),
    ("escalate", [" counterfeit", "bogus"], "Looks like a bank clone"),
]
ACCEPTED = [
    ("approve", [], None),
    ("approve", [], "   "),
    ("escalate", [], None),
    ("reject", [" privacy ", "privacy", ""], "  Remove READ_CONTACTS  "),
]


def expected_problem(verdict, reasons, message):
    return decision_problem(verdict, clean_reasons(reasons), clean_message(message))


def file_one(service: ReviewService) -> int:
    now = service.clock()
    return service.store.add_submission(
        kind="metadata", developer="Acme", tier=3, submitted_at=now, deadline=now, package="com.rules"
    )


def journal_rows(settings: Settings) -> int:
    if not settings.journal_path.exists():
        return 0
    conn = sqlite3.connect(settings.journal_path)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def assert_nothing_stored(service: ReviewService, settings: Settings, sid: int) -> None:
    assert service.store.decisions(sid) == []
    (row,) = service.queue_rows([sid])
    assert row.status == "pending" and row.claimed_by is None
    assert journal_rows(settings) == 0
    assert service.journal_status().pending == 0


def test_the_examples_cover_every_problem():
    assert {expected_problem(*case).code for case in TYPED} == set(Problem)
    assert all(expected_problem(*case) is None for case in ACCEPTED)


@pytest.mark.parametrize("hold", [0, 10], ids=["sent-at-once", "held-for-undo"])
@pytest.mark.parametrize(("verdict", "reasons", "message"), TYPED)
def test_the_service_refuses_what_the_rules_refuse_with_their_text_and_stores_nothing(
    service, settings, verdict, reasons, message, hold
):
    sid = file_one(service)
    outcome = service.decide(sid, verdict, reasons, message, hold=hold)
    assert not outcome.ok
    assert outcome.error == expected_problem(verdict, reasons, message).text()
    assert not outcome.conflict and not outcome.queued and outcome.decision_id is None
    assert_nothing_stored(service, settings, sid)  # a held one did not even claim it


@pytest.mark.parametrize(("verdict", "reasons", "message"), ACCEPTED)
def test_the_service_records_what_the_rules_accept_as_they_cleaned_it(service, verdict, reasons, message):
    sid = file_one(service)
    outcome = service.decide(sid, verdict, reasons, message)
    assert outcome.ok, outcome.error
    (stored,) = service.store.decisions(sid)
    assert stored.verdict == verdict
    assert stored.reason_codes == clean_reasons(reasons)
    assert stored.message == clean_message(message)


def run_cli(capsys, settings: Settings, *args: str) -> tuple[int, list[dict], str]:
    code = main(["--data-dir", str(settings.data_dir), "--reviewer", settings.reviewer or "", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def cli_args(sid: int, verdict: str, reasons, message) -> list[str]:
    args = ["decide", str(sid), "--verdict", verdict, "--json"]
    for reason in reasons:
        args.append(f"--reason={reason}")
    if message is not None:
        args.append(f"--message={message}")
    return args


@pytest.mark.parametrize(("verdict", "reasons", "message"), [case for case in TYPED if case[0] in VERDICTS])
def test_the_command_line_refuses_what_the_rules_refuse_with_their_text_and_stores_nothing(
    capsys, service, settings, verdict, reasons, message
):
    sid = file_one(service)
    code, records, err = run_cli(capsys, settings, *cli_args(sid, verdict, reasons, message))
    assert code == 1 and err == ""
    assert records == [
        {
            "submission_id": sid,
            "ok": False,
            "error": expected_problem(verdict, reasons, message).text(),
            "decision_id": None,
            "status": None,
        }
    ]
    assert_nothing_stored(service, settings, sid)


@pytest.mark.parametrize(("verdict", "reasons", "message"), ACCEPTED)
def test_the_command_line_records_what_the_rules_accept(capsys, service, settings, verdict, reasons, message):
    sid = file_one(service)
    code, (record,), _ = run_cli(capsys, settings, *cli_args(sid, verdict, reasons, message))
    assert code == 0 and record["ok"] and record["error"] is None
    (stored,) = service.store.decisions(sid)
    assert (stored.decision_id, stored.reason_codes, stored.message) == (
        record["decision_id"],
        clean_reasons(reasons),
        clean_message(message),
    )


def test_the_command_line_offers_exactly_the_verdicts_the_rules_know(capsys):
    """Its parser refuses an unknown verdict before the rules see it: the same verdicts, no others."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["decide", "--help"])
    assert f"--verdict {{{','.join(VERDICTS)}}}" in capsys.readouterr().out


def test_the_command_line_refuses_an_unknown_verdict_and_stores_nothing(capsys, service, settings):
    sid = file_one(service)
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, settings, *cli_args(sid, "maybe", [], None))
    assert exit_info.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err
    assert_nothing_stored(service, settings, sid)
