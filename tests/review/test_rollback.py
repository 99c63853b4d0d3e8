"""A lead pulls a live app: a recall of their own (in the same list as the cases re-scans open) or a rollback
of a broken release to the version approved before it — on SQLite and on PostgreSQL with its roles."""

from __future__ import annotations

import pytest

from reviewer_app.review import PermissionDenied, StoreError
from reviewer_app.review.detail import load_detail
from tests.review.test_device_runs import submit_demo


def approve(team, *files: str) -> list[int]:
    ids = submit_demo(team, *files)
    for sid in ids:
        assert team["lena"].decide(sid, "approve").ok
    return ids


def test_a_rollback_makes_the_version_before_live_again(team):
    v1, v2 = approve(team, "com.example.notes_1.apk", "com.example.notes_2.apk")
    # the next update is compared with the live version: 2 before the rollback, 1 after
    assert team["alice"].store.approved_facts("com.example.notes")["version_code"] == 2

    with pytest.raises(PermissionDenied):
        team["alice"].rollback("com.example.notes", "crashes on start")
    done = team["lena"].rollback("com.example.notes", "crashes on start since Friday's release")
    assert (done.withdrawn_submission_id, done.live_submission_id) == (v2, v1)
    assert done.to_json()["withdrawn_version"] == "1.1" and done.by == "lena"

    assert team["alice"].store.approved_facts("com.example.notes")["version_code"] == 1
    # the history shows which version was rolled back, and why; the one before stays approved
    history = {v.submission_id: v for v in team["alice"].view(v1).detail.versions}
    assert history[v2].withdrawn_at is not None and "Friday" in history[v2].withdrawn_reason
    assert team["alice"].view(v1).row.status == "approved"
    # nothing earlier to go back to now
    with pytest.raises(StoreError, match="no earlier approved version"):
        team["lena"].rollback("com.example.notes", "again")
    events = list(team["lena"].trail(actions=("rollback",)))
    assert [e.subject for e in events] == [f"submission:{v2}"]


def test_a_lead_recalls_a_live_app_and_every_view_says_so(team):
    (live,) = approve(team, "com.example.notes_1.apk")
    (update,) = submit_demo(team, "com.example.notes_2.apk")
    with pytest.raises(PermissionDenied):
        team["alice"].recall_live_app("com.example.notes", "steals contacts")
    case = team["lena"].recall_live_app("com.example.notes", "steals contacts (user reports)")
    assert (case.source, case.state, case.closed_by, case.submission_id) == ("lead", "recalled", "lena", live)
    assert (case.label, case.version_name) == ("Notes", "1.0")
    # in the same list as the re-scans' cases
    listed = {c.case_id: c for c in team["lena"].recall_cases(include_closed=True)}
    assert listed[case.case_id].label == "Notes"
    # the queue row of its pending update, and the update's header, say the app is recalled
    row = next(r for r in team["alice"].queue() if r.submission_id == update)
    assert row.recalled
    assert load_detail(team["alice"], update, claim=False).view.detail.withdrawn_reason.startswith("steals")
    with pytest.raises(StoreError, match="already recalled"):
        team["lena"].recall_live_app("com.example.notes", "twice")
