"""The queue read a page at a time (what the GUI does at any size): same ids, same order as at once, on
SQLite and on PostgreSQL, for a reviewer (one status) and a lead (two, merged), with and without kinds."""

from __future__ import annotations

from datetime import timedelta


def page_through(service, kinds=None, limit=3) -> tuple[list[int], int]:
    ids, after, pages = [], None, 0
    while True:
        page, after = service.queue_page(kinds=kinds, after=after, limit=limit)
        assert len(page) <= limit
        ids += page
        pages += 1
        if after is None:
            return ids, pages
        assert page, "a key is given only after a page of ids"


def file_queue(team) -> list[int]:
    """Fourteen submissions, several sharing a deadline (the id breaks the tie), two escalated."""
    kinds = ("new", "update", "metadata", "sensitive")
    filed = []
    for n in range(14):
        # Same tier and age in threes: equal deadlines, so pages must cut inside a tie and resume after it.
        filed.append(team.file(f"com.page.app{n}", tier=1 + (n // 3) % 5, minutes_ago=10 * (n // 3), kind=kinds[n % 4]))
    alice = team["alice"]
    for sid in filed[4], filed[9]:
        alice.claim(sid)
        assert alice.decide(sid, "escalate").ok
    return filed


def test_pages_give_the_queue_in_order_for_a_reviewer_and_a_lead(team):
    file_queue(team)
    alice, lena = team["alice"], team["lena"]
    for service in alice, lena:
        whole = service.queue_ids()
        for limit in (1, 2, 3, 5, 100):
            ids, pages = page_through(service, limit=limit)
            assert ids == whole, (service.reviewer, limit)
            assert pages == len(whole) // limit + 1
    assert len(lena.queue_ids()) == len(alice.queue_ids()) + 2  # leads see the escalations too


def test_pages_of_some_kinds_only(team):
    file_queue(team)
    lena = team["lena"]
    for kinds in (["new"], ["update", "sensitive"], ["metadata", "new", "update", "sensitive"]):
        whole = lena.queue_ids(kinds=kinds)
        assert whole
        assert page_through(lena, kinds=kinds, limit=2)[0] == whole
        assert lena.queue_count(kinds=kinds) == len(whole)


def test_count_leaves_out_the_ids_asked_to(team):
    filed = file_queue(team)
    alice = team["alice"]
    whole = alice.queue_ids()
    assert alice.queue_count() == len(whole)
    # Ids not in the queue (escalated: not alice's work; unknown) do not count against it.
    assert alice.queue_count(exclude=[whole[0], whole[-1], filed[4], 999_999]) == len(whole) - 2


def test_an_empty_queue_is_one_empty_page(team):
    assert team["alice"].queue_page(limit=5) == ([], None)
    assert team["alice"].queue_count() == 0


def test_a_deadline_moved_between_pages_costs_a_repeat_at_most(team, clock):
    file_queue(team)
    alice = team["alice"]
    whole = alice.queue_ids()
    first, after = alice.queue_page(limit=4)
    # The first submission read moves to the end of the queue (its SLA was extended, say).
    moved = first[0]
    store = team.intake.store
    with store._writing() as session:
        from reviewer_app.store.schema import Submission

        session.get(Submission, moved).deadline = clock() + timedelta(days=30)
    rest = []
    while after is not None:
        page, after = alice.queue_page(after=after, limit=4)
        rest += page
    assert first + [sid for sid in rest if sid not in first] == whole
    assert rest[-1] == moved  # read again at its new place: the reader drops the repeat
