"""When the window sends what its journal keeps, and when it asks a silent database again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.review.sync import JournalSyncPolicy

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


# -- when the journal is flushed next -------------------------------------------------------------


def test_with_nothing_held_the_journal_is_looked_at_on_the_regular_beat():
    assert JournalSyncPolicy(interval=10).next_flush_in(NOW, []) == 10


def test_the_beat_is_configurable():
    assert JournalSyncPolicy(interval=2.5).next_flush_in(NOW, []) == 2.5


def test_a_held_decision_is_sent_as_soon_as_its_undo_window_ends():
    assert JournalSyncPolicy(interval=10).next_flush_in(NOW, [later(3)]) == 3


def test_the_first_window_to_end_sets_the_next_flush():
    policy = JournalSyncPolicy(interval=10)
    assert policy.next_flush_in(NOW, [later(7), later(2.5), later(9)]) == 2.5


def test_a_window_ending_after_the_beat_waits_for_the_beat():
    assert JournalSyncPolicy(interval=10).next_flush_in(NOW, [later(25)]) == 10


def test_a_window_that_has_already_ended_is_flushed_at_once():
    assert JournalSyncPolicy(interval=10).next_flush_in(NOW, [later(-4), later(5)]) == 0


def test_while_a_flush_runs_the_next_waits_for_the_beat():
    """One flush at a time: the end of the running one asks again."""
    assert JournalSyncPolicy(interval=10).next_flush_in(NOW, [later(-1), later(1)], busy=True) == 10


# -- asking the database again while it does not answer -------------------------------------------


def test_a_database_that_stopped_answering_is_probed():
    assert JournalSyncPolicy.probe(online=False) is True


def test_a_database_that_answers_is_not_probed():
    """A flush that sends something already reaches it; nothing extra goes over the wire."""
    assert JournalSyncPolicy.probe(online=True) is False


# -- connecting again -----------------------------------------------------------------------------


def test_a_window_that_could_not_reach_the_database_connects_again_on_the_beat():
    assert JournalSyncPolicy.reconnect(connected=False, could_not_reach=True, connecting=False, asking_password=False)


@pytest.mark.parametrize(
    ("connected", "could_not_reach", "connecting", "asking_password", "why"),
    [
        (True, False, False, False, "connected already"),
        (False, False, False, False, "refused for another reason (a password): that waits for the reviewer"),
        (False, True, True, False, "one attempt at a time"),
        (False, True, False, True, "the reviewer is typing a password"),
    ],
)
def test_no_reconnect_when_it_could_not_help(connected, could_not_reach, connecting, asking_password, why):
    assert not JournalSyncPolicy.reconnect(connected, could_not_reach, connecting, asking_password), why


# -- with the journal -----------------------------------------------------------------------------


def test_the_flush_it_schedules_sends_a_held_decision_and_not_before(settings, clock):
    from reviewer_app.review import ReviewService

    service = ReviewService(settings, clock=clock)
    try:
        sid = service.store.add_submission(
            kind="metadata", developer="Acme", tier=3, submitted_at=clock(), deadline=clock(), package="com.sync"
        )
        service.decide(sid, "approve", hold=4)
        policy = JournalSyncPolicy(interval=10)
        wait = policy.next_flush_in(clock(), [held.send_after for held in service.journal_status().held])
        assert wait == 4
        clock.advance(seconds=wait - 1)
        assert service.flush_journal().pending == 1  # a beat that comes early sends nothing
        clock.advance(seconds=1)
        assert service.flush_journal().pending == 0
        assert [d.verdict for d in service.store.decisions(sid)] == ["approve"]
        assert policy.next_flush_in(clock(), [held.send_after for held in service.journal_status().held]) == 10
    finally:
        service.close()
