"""The team's spot-check sampling settings, kept in the shared database: leads and admins change them, each
change one "settings" event with the old and the new value in the change's own transaction, a reviewer is
refused; samples (the daily one, `audit sample`) use the team's shares where set, else config.toml's
[audits], the command line's flags overriding either for one run. On SQLite and on PostgreSQL, where the
server itself refuses what a reviewer or a lead may not write."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import Counter

import psycopg
import pytest

from reviewer_app.cli_audits import add_settings_parser, cmd_audit_settings
from reviewer_app.config import AuditSettings
from reviewer_app.domain import PermissionDenied
from reviewer_app.review import ReviewError
from reviewer_app.review import trail as audit_trail
from reviewer_app.review.audits import daily_sample
from reviewer_app.review.sampling import (
    SAMPLING_KEY,
    SamplingShares,
    check_shares,
    effective_shares,
    sampling_settings,
    set_sampling,
)
from tests.review.test_audit_sampling import decide_plan, strata

STRICT = SamplingShares(rate=0.0, per_kind={"update": 1.0}, per_reviewer={"bob": 1.0}, new_reviewer_first_n=0)


def settings_events(service, after: int = 0):
    return [e for e in service.store.audit_events(after) if e.action == "settings"]


def last_id(service) -> int:
    found = service.store.audit_events()
    return found[-1].event_id if found else 0


# -- changing them ----------------------------------------------------------------------------------


def test_a_lead_changes_the_teams_shares_and_each_change_is_one_event_with_old_and_new(team):
    lena = team["lena"]
    before = sampling_settings(lena)
    assert not before.from_team and before.shares == SamplingShares()  # config.toml's defaults: none set
    start = last_id(lena)

    first = set_sampling(lena, SamplingShares(0.1, {"sensitive": 0.5}, {"carol": 0.25}, 10))
    assert first.from_team and first.updated_by == "lena" and first.updated_at is not None
    assert first.shares == SamplingShares(0.1, {"sensitive": 0.5}, {"carol": 0.25}, 10)
    second = set_sampling(lena, dataclasses.replace(first.shares, rate=0.2))
    assert second.shares.rate == 0.2
    set_sampling(lena, second.shares)  # the same again: nothing changed, nothing recorded

    events = settings_events(lena, start)
    assert [(e.actor, e.subject) for e in events] == [("lena", f"setting:{SAMPLING_KEY}")] * 2
    assert events[0].details == {"key": SAMPLING_KEY, "old": None, "new": first.shares.to_json()}
    assert events[1].details == {"key": SAMPLING_KEY, "old": first.shares.to_json(), "new": second.shares.to_json()}
    assert audit_trail.verify(lena.store).ok
    # every workstation reads the team's, whatever its own config.toml says
    bob = team["bob"]
    assert sampling_settings(bob).shares == second.shares and sampling_settings(bob).from_team


def test_an_admin_may_change_them_and_a_reviewer_is_refused(team):
    start = last_id(team["lena"])
    with pytest.raises(PermissionDenied) as refused:
        set_sampling(team["alice"], STRICT)
    assert "\n" not in str(refused.value)
    assert not sampling_settings(team["alice"]).from_team and settings_events(team["lena"], start) == []
    set_sampling(team["adam"], STRICT)
    assert [e.actor for e in settings_events(team["lena"], start)] == ["adam"]
    with pytest.raises(PermissionDenied):
        set_sampling(team["bob"], SamplingShares())  # nor may a reviewer change the team's once they exist
    assert sampling_settings(team["lena"]).shares == STRICT


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ((1.5, {}, {}, 20), "the sampling rate must be between 0 and 1, not 1.5"),
        ((0.1, {"games": 0.2}, {}, 20), "unknown kind 'games'"),
        ((0.1, {"new": -0.1}, {}, 20), "the sampling rate of new must be between 0 and 1"),
        ((0.1, {}, {"bob": 2}, 20), "the sampling rate of bob must be between 0 and 1"),
        ((0.1, {}, {" ": 0.2}, 20), "needs the reviewer's name"),
        ((0.1, {}, {"bob": 0.2, " bob": 0.3}, 20), "bob is given two shares"),
        ((0.1, {}, {}, -1), "a whole number from 0 to 100000, not -1"),
        ((0.1, {}, {}, 2.5), "a whole number from 0 to 100000, not 2.5"),
    ],
)
def test_bad_values_are_one_line_and_nothing_is_written(team, values, words):
    with pytest.raises(ReviewError, match=words) as refused:
        check_shares(*values)
    assert "\n" not in str(refused.value)
    with pytest.raises(ReviewError):
        set_sampling(team["lena"], SamplingShares(*values))
    assert not sampling_settings(team["lena"]).from_team and settings_events(team["lena"]) == []


def test_a_team_value_that_is_not_valid_is_shown_and_refused_by_sampling_until_replaced(team):
    adam = team["adam"]
    adam.store.set_team_setting(SAMPLING_KEY, {"rate": 7}, "adam", team.clock())  # not what the app writes
    current = sampling_settings(adam)
    assert not current.from_team and current.problem and "not valid" in current.problem
    assert current.shares == SamplingShares()  # what is shown meanwhile: the workstation's
    with pytest.raises(ReviewError, match="not valid") as refused:
        effective_shares(adam.store, AuditSettings())
    assert "\n" not in str(refused.value)
    with pytest.raises(ReviewError):
        daily_sample(adam.store, AuditSettings(), team.clock(), "adam")
    set_sampling(team["lena"], STRICT)  # a lead saves valid ones
    assert sampling_settings(adam).problem is None and effective_shares(adam.store, AuditSettings()) == STRICT


def test_only_team_keys_go_through_the_team_setting_methods(team):
    with pytest.raises(ValueError, match="not a team setting"):
        team["lena"].store.set_team_setting("users", {"lena": "admin"}, "lena", team.clock())
    assert team["lena"].role == "lead"


# -- sampling with them -----------------------------------------------------------------------------


def test_the_daily_sample_takes_the_teams_shares_over_the_workstations(team):
    decide_plan(team, {("alice", "new"): 10, ("bob", "new"): 4, ("alice", "update"): 3})
    store = team["lena"].store
    configured = AuditSettings(rate=1.0, new_reviewer_first_n=0)  # this workstation would take everything
    set_sampling(team["lena"], STRICT)  # the team: bob's all, every update, nothing else
    taken = daily_sample(store, configured, team.clock(), "lena")
    assert taken is not None
    assert strata(taken) == Counter({("bob", "new"): 4, ("alice", "update"): 3})
    assert {i.rate for i in store.audit_queue("lena")} == {0.0}  # the team's rate is the one kept


def test_without_team_shares_the_daily_sample_takes_the_workstations(team):
    decide_plan(team, {("alice", "new"): 10, ("bob", "new"): 4})
    taken = daily_sample(team["lena"].store, AuditSettings(rate=1.0, new_reviewer_first_n=0), team.clock(), "lena")
    assert taken is not None and strata(taken) == Counter({("alice", "new"): 10, ("bob", "new"): 4})


def test_audit_sample_uses_the_teams_shares_and_its_flags_override_them_for_one_run(team, capsys):
    from tests.test_cli_audits import run

    decide_plan(team, {("alice", "new"): 6, ("bob", "new"): 4})
    lena = team["lena"]
    set_sampling(lena, STRICT)
    status, records, _ = run(lena, capsys, "--seed", "5", "--dry-run", "--json")
    assert status == 0 and Counter(r["reviewer"] for r in records) == Counter({"bob": 4})
    status, records, _ = run(lena, capsys, "--seed", "5", "--dry-run", "--json", "--reviewer-rate", "bob=0",
                             "--rate", "1")  # fmt: skip
    assert status == 0 and Counter(r["reviewer"] for r in records) == Counter({"alice": 6})
    assert sampling_settings(lena).shares == STRICT  # a run's flags change nothing for the team


# -- `reviewer-app audit settings` ------------------------------------------------------------------


def settings_cli(service, capsys, *argv: str) -> tuple[int, str, str]:
    common = argparse.ArgumentParser(add_help=False)
    root = argparse.ArgumentParser(prog="reviewer-app")
    audit = root.add_subparsers(dest="command").add_parser("audit", parents=[common])
    add_settings_parser(audit.add_subparsers(dest="audit_command", required=True), common)
    status = cmd_audit_settings(root.parse_args(["audit", "settings", *argv]), service)
    out = capsys.readouterr()
    return status, out.out, out.err


def test_the_command_line_shows_and_changes_the_teams_settings(team, capsys):
    lena = team["lena"]
    status, out, _ = settings_cli(lena, capsys, "--json")
    shown = json.loads(out)
    assert status == 0 and (shown["source"], shown["rate"], shown["updated_by"]) == ("config", 0.05, None)
    status, out, _ = settings_cli(lena, capsys, "--rate", "0.1", "--kind-rate", "sensitive=0.5",
                                  "--reviewer-rate", "bob=1", "--first-n", "3", "--json")  # fmt: skip
    changed = json.loads(out)
    assert status == 0 and changed["source"] == "team" and changed["updated_by"] == "lena"
    assert (changed["rate"], changed["per_kind"], changed["per_reviewer"], changed["new_reviewer_first_n"]) == (
        0.1, {"sensitive": 0.5}, {"bob": 1.0}, 3,
    )  # fmt: skip
    status, out, _ = settings_cli(lena, capsys, "--no-reviewer-rate", "bob")
    assert status == 0 and "set by lena" in out and "reviewer bob" not in out and "kind sensitive: 0.5" in out
    assert sampling_settings(lena).shares == SamplingShares(0.1, {"sensitive": 0.5}, {}, 3)
    assert len(settings_events(lena)) == 2
    with pytest.raises(ReviewError, match="unknown kind 'games'"):
        settings_cli(lena, capsys, "--kind-rate", "games=0.5")


# -- PostgreSQL: the server refuses what the client might not ---------------------------------------


@pytest.mark.parametrize("backend", ["postgresql"])
def test_the_server_lets_leads_write_the_teams_settings_only_in_their_own_name(team):
    set_sampling(team["lena"], STRICT)

    def connect(user: str) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=team.pg_server.port, dbname=team.database, user=user,
                               autocommit=True)  # fmt: skip

    def refused(conn: psycopg.Connection, sql: str) -> None:
        with pytest.raises(psycopg.Error) as info:
            conn.execute(sql)
        assert info.value.sqlstate == "42501", info.value

    insert = "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('{}', '{{}}', '{}', now())"
    with connect("lena") as lena, connect("alice") as alice, connect("adam") as adam:
        refused(lena, insert.format("users", "lena"))  # not the team's: an admin's
        refused(lena, insert.format("team.other", "adam"))  # in someone else's name
        lena.execute(insert.format("team.other", "lena"))
        refused(lena, f"UPDATE settings SET updated_by = 'adam' WHERE key = '{SAMPLING_KEY}'")
        refused(lena, "DELETE FROM settings WHERE key = 'team.other'")
        refused(alice, insert.format("team.mine", "alice"))
        refused(alice, f"UPDATE settings SET value = '{{}}' WHERE key = '{SAMPLING_KEY}'")
        assert alice.execute("SELECT count(*) FROM settings").fetchone() == (2,)  # everyone reads them
        adam.execute(insert.format("users", "adam"))  # admins keep every key
        adam.execute("DELETE FROM settings WHERE key = 'team.other'")
    assert sampling_settings(team["alice"]).shares == STRICT


def test_migration_0017_lets_the_leads_of_a_database_set_up_before_it_write_the_teams_settings(pg_server, tmp_path):
    """A team database whose roles were created by an older version: upgrading it is all it takes."""
    from sqlalchemy import text

    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService, admin
    from reviewer_app.store import database, roles

    db = pg_server.create_database()
    owner_url = pg_server.url(database=db)
    reader, writer = database.make_engines(owner_url)
    try:
        database.upgrade(writer, "0016")
        with writer.begin() as conn:  # the set-up as it was before this revision
            for statement in roles.SETUP:
                if statement not in roles.TEAM_SETTINGS:
                    conn.execute(text(statement))
        owner = Settings(data_dir=tmp_path / "owner", db_url=owner_url)
        for name, role in (("lena", "lead"), ("alice", "reviewer")):
            admin.add_user(owner, name, role, None)  # opening the store upgrades the database to 0017
        lena = ReviewService(Settings(data_dir=tmp_path / "lena", db_url=pg_server.url(user="lena", database=db)))
        alice = ReviewService(Settings(data_dir=tmp_path / "alice", db_url=pg_server.url(user="alice", database=db)))
        try:
            assert database.current_revision(reader) == database.head_revision()
            assert set_sampling(lena, STRICT).from_team
            with pytest.raises(PermissionDenied):
                set_sampling(alice, SamplingShares())
            (event,) = settings_events(lena)
            assert event.actor == "lena" and event.details["new"] == STRICT.to_json()
        finally:
            lena.close()
            alice.close()
    finally:
        reader.dispose()
        writer.dispose()
