"""Which submission the reviewer holds, and what happens to its claim as they move through the queue.

The tracker says what to give back, renew or keep; the window runs it on the database worker. Each case is
one thing a reviewer relies on: work they moved away from goes back to the team, work they are deciding
or decided is never given back from under its decision, and nothing is given back twice.
"""

from __future__ import annotations

from reviewer_app.review.claims import ClaimTracker

A, B, C = 101, 102, 103


def holding(submission_id: int) -> ClaimTracker:
    claims = ClaimTracker()
    claims.showing(submission_id)
    return claims


# -- moving through the queue while the database answers ------------------------------------------


def test_moving_to_another_submission_gives_the_first_back_now():
    claims = holding(A)
    assert claims.let_go(B, online=True) == A
    assert claims.held is None
    assert claims.to_renew(online=True) is None  # nothing left to extend until B's claim is asked for


def test_selecting_the_same_submission_again_keeps_its_claim():
    claims = holding(A)
    assert claims.let_go(A, online=True) is None
    assert claims.held == A
    assert claims.to_renew(online=True) == A


def test_clearing_the_selection_gives_the_claim_back():
    claims = holding(A)
    assert claims.let_go(None, online=True) == A


def test_nothing_to_give_back_before_anything_was_opened():
    assert ClaimTracker().let_go(A, online=True) is None


def test_a_claim_is_given_back_once():
    claims = holding(A)
    assert claims.let_go(B, online=True) == A
    assert claims.let_go(C, online=True) is None
    assert claims.reachable_again() == []


def test_the_submission_on_show_is_the_one_held():
    claims = holding(A)
    claims.showing(B)  # the window gives A back through let_go first; the claim asked for now is B's
    assert claims.held == B
    assert claims.let_go(C, online=True) == B


def test_a_refused_claim_is_neither_renewed_nor_given_back():
    claims = holding(A)
    claims.not_held(A)  # held by someone else, or the database did not answer
    assert claims.to_renew(online=True) is None
    assert claims.let_go(B, online=True) is None


def test_a_refusal_for_an_earlier_submission_leaves_the_current_claim_alone():
    claims = holding(B)
    claims.not_held(A)  # a late answer about the one shown before
    assert claims.held == B
    assert claims.to_renew(online=True) == B


# -- offline: given back when the database answers again -------------------------------------------


def test_moving_away_offline_gives_the_claim_back_when_the_database_answers_again():
    claims = holding(A)
    assert claims.let_go(B, online=False) is None  # nothing can reach the database now
    assert claims.reachable_again() == [A]
    assert claims.reachable_again() == []  # and only once


def test_moving_away_offline_keeps_nothing_back_that_was_decided_meanwhile():
    claims = holding(A)
    claims.let_go(B, online=False)
    claims.deciding(A)
    claims.decided(A)  # kept in the journal: the decision ends the claim on the server
    assert claims.reachable_again() == []


def test_moving_away_offline_keeps_back_what_the_reviewer_returned_to():
    claims = holding(A)
    claims.let_go(B, online=False)
    claims.showing(A)  # back on A: its claim is wanted again
    assert claims.reachable_again() == []
    assert claims.held == A


def test_every_claim_waiting_is_given_back_in_one_go():
    claims = holding(B)
    assert claims.let_go(A, online=True) == B
    claims.release_failed(B)  # the database stopped answering on the way
    claims.showing(A)
    claims.let_go(C, online=False)
    assert claims.reachable_again() == [A, B]


def test_a_failed_give_back_is_tried_again_when_the_database_answers():
    claims = holding(A)
    assert claims.let_go(B, online=True) == A
    claims.release_failed(A)  # the database stopped answering on the way
    assert claims.reachable_again() == [A]


def test_a_failed_give_back_of_a_submission_decided_since_is_not_tried_again():
    claims = holding(A)
    claims.let_go(B, online=True)
    claims.release_failed(A)
    claims.deciding(A)
    claims.decided(A)
    assert claims.reachable_again() == []


def test_a_claim_waiting_to_be_given_back_is_kept_while_its_decision_is_on_its_way():
    claims = holding(A)
    claims.let_go(B, online=False)
    claims.showing(B)
    assert claims.deciding(A)  # decided from the cached view: the decision claims it on the server
    assert claims.reachable_again() == []
    claims.not_decided(A)  # refused after all: the claim is given back at the next answer
    assert claims.reachable_again() == [A]


# -- heartbeat ------------------------------------------------------------------------------------


def test_the_heartbeat_renews_the_submission_on_show():
    assert holding(A).to_renew(online=True) == A


def test_no_heartbeat_while_offline():
    assert holding(A).to_renew(online=False) is None


def test_no_heartbeat_for_a_submission_being_decided():
    claims = holding(A)
    claims.deciding(A)
    assert claims.to_renew(online=True) is None


def test_a_refused_decision_leaves_the_claim_to_renew():
    claims = holding(A)
    claims.deciding(A)
    claims.not_decided(A)
    assert claims.to_renew(online=True) == A


def test_a_lapsed_claim_on_show_is_told_and_forgotten():
    claims = holding(A)
    assert claims.lapsed(A) is True
    assert claims.to_renew(online=True) is None
    assert claims.let_go(B, online=True) is None  # nothing of ours to give back


def test_a_lapsed_claim_of_a_submission_no_longer_shown_is_not_told():
    claims = holding(A)
    claims.let_go(B, online=True)
    claims.showing(B)
    assert claims.lapsed(A) is False
    assert claims.held == B


# -- decisions ------------------------------------------------------------------------------------


def test_one_decision_at_a_time_per_submission():
    claims = holding(A)
    assert claims.deciding(A) is True
    assert claims.deciding(A) is False  # a second key press while the first is on its way
    assert claims.deciding(B) is True  # another submission is another decision


def test_a_refused_decision_can_be_tried_again():
    claims = holding(A)
    claims.deciding(A)
    claims.not_decided(A)
    assert not claims.is_closed(A)
    assert claims.deciding(A) is True


def test_moving_away_while_deciding_leaves_the_claim_to_the_decision():
    claims = holding(A)
    claims.deciding(A)
    assert claims.let_go(B, online=True) is None
    assert claims.let_go(B, online=False) is None
    assert claims.reachable_again() == []


def test_a_decision_ends_the_claim():
    claims = holding(A)
    claims.deciding(A)
    claims.decided(A)
    assert claims.is_decided(A) and claims.is_closed(A) and not claims.is_deciding(A)
    assert claims.held is None
    assert claims.to_renew(online=True) is None
    assert claims.let_go(B, online=True) is None
    assert claims.on_close() is None


def test_a_decision_made_elsewhere_ends_the_claim_without_a_decision_of_ours():
    claims = holding(A)
    claims.decided(A)  # the database says someone else decided it
    assert claims.held is None and claims.is_decided(A)


def test_an_undone_decision_makes_the_submission_theirs_again():
    claims = holding(A)
    claims.deciding(A)
    claims.decided(A)
    claims.undone(A)
    assert not claims.is_closed(A)
    claims.showing(A)  # selected again, claimed again
    assert claims.to_renew(online=True) == A
    assert claims.let_go(B, online=True) == A  # and given back like any other when they move on
    claims.showing(B)
    assert claims.deciding(A) is True  # a new decision on it is allowed


# -- get next -------------------------------------------------------------------------------------


def test_get_next_gives_back_the_submission_on_show():
    assert holding(A).for_get_next() == A


def test_get_next_with_nothing_held_gives_nothing_back():
    assert ClaimTracker().for_get_next() is None


def test_get_next_after_a_decision_gives_nothing_back():
    claims = holding(A)
    claims.deciding(A)
    claims.decided(A)
    assert claims.for_get_next() is None


def test_get_next_while_a_decision_is_on_its_way_leaves_its_claim_alone():
    claims = holding(A)
    claims.deciding(A)  # a held decision claims A on the server for its undo window
    assert claims.for_get_next() is None


def test_get_next_holds_what_it_claimed_when_that_is_on_show():
    claims = holding(A)
    claims.took_next(A, shown=A)
    assert claims.held == A and claims.to_renew(online=True) == A


def test_get_next_of_another_submission_holds_nothing_until_it_is_shown():
    claims = holding(A)
    claims.took_next(B, shown=A)  # A was given back by get next
    assert claims.held is None
    assert claims.let_go(B, online=True) is None  # A is not given back a second time


# -- closing --------------------------------------------------------------------------------------


def test_closing_gives_back_the_claim_on_show():
    claims = holding(A)
    assert claims.on_close() == A
    assert claims.held is None
    assert claims.on_close() is None


def test_closing_leaves_a_claim_whose_decision_is_on_its_way():
    claims = holding(A)
    claims.deciding(A)
    assert claims.on_close() is None


def test_closing_with_nothing_on_show_gives_nothing_back():
    assert ClaimTracker().on_close() is None
