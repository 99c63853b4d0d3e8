"""Red flags stored with a submission when it is filed: what the queue's risk column and `queue --json` show
without reading the package again, and what migration 0005 gives submissions filed before it."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from alembic import command

from reviewer_app.cli import main
from reviewer_app.config import Settings
from reviewer_app.domain import RedFlag
from reviewer_app.review import ReviewService
from reviewer_app.review.flags import CRITICAL, SERIOUS, red_flags
from reviewer_app.store import database
from reviewer_app.store.schema import App, Artifact, Developer, Submission
from tests.conftest import DEMO_APKS, TEST_APKS

LEGACY = DEMO_APKS / "com.example.legacy_9.apk"  # v1 signature only: Janus on Android 5.0-8.0
NOTES_1 = DEMO_APKS / "com.example.notes_1.apk"  # clean
NOTES_2 = DEMO_APKS / "com.example.notes_2.apk"  # its update, same key
LOOKALIKE = DEMO_APKS / "com.exampel.notes_1.apk"  # signed by another developer's key
UNSIGNED = TEST_APKS / "unsigned.apk"
PARTIAL = TEST_APKS / "signer-mismatch.apk"  # v1 and v2 by different keys


@pytest.fixture(scope="module")
def facts():
    """Facts of the real APKs these tests file, read once."""
    from reviewer_app.apk.reader import read_apk

    read = {path: read_apk(str(path)) for path in (LEGACY, NOTES_1, NOTES_2, LOOKALIKE, UNSIGNED, PARTIAL)}
    assert all(f.ok for f in read.values())
    return read


def file(service: ReviewService, facts, path, kind: str = "new") -> int:
    outcome = service.submit_facts(facts, path, kind=kind, developer="Acme Apps", tier=3)
    assert outcome.ok, outcome.error
    return outcome.submission_id


def stored_flags(service: ReviewService, sid: int) -> tuple[RedFlag, ...]:
    (row,) = service.queue_rows([sid])
    return row.red_flags


def codes(flags) -> list[str]:
    return [flag.code for flag in flags]


# -- filed with their flags -----------------------------------------------------------------------


def test_a_submission_is_filed_with_the_red_flags_of_its_package(service, facts):
    sid = file(service, facts[LEGACY], LEGACY)
    (flag,) = stored_flags(service, sid)
    assert (flag.code, flag.severity, flag.source) == ("janus_v1_only", SERIOUS, "facts")
    assert flag.params == {"first": "5.0", "last": "8.0"}  # the text says which Android versions
    assert stored_flags(service, sid) == red_flags(facts[LEGACY])  # what opening it finds again


@pytest.mark.parametrize(
    ("path", "expected"),
    [(UNSIGNED, [("not_signed", CRITICAL)]), (PARTIAL, [("signature_partial", SERIOUS)]), (NOTES_1, [])],
    ids=["unsigned", "partial-signature", "clean"],
)
def test_each_package_keeps_its_own_flags(service, facts, path, expected):
    sid = file(service, facts[path], path)
    assert [(f.code, f.severity) for f in stored_flags(service, sid)] == expected


def test_the_queue_rows_carry_the_flags_too(service, facts):
    risky = file(service, facts[UNSIGNED], UNSIGNED)
    clean = file(service, facts[NOTES_1], NOTES_1)
    flags = {row.submission_id: codes(row.red_flags) for row in service.queue()}
    assert flags == {risky: ["not_signed"], clean: []}


def test_an_update_signed_by_another_key_than_the_approved_version_is_flagged(service, facts):
    approved = file(service, facts[NOTES_1], NOTES_1)
    assert service.decide(approved, "approve").ok
    # The update as a different developer's key would sign it: notes 2 with the look-alike's certificate.
    resigned = dataclasses.replace(facts[NOTES_2], signers=facts[LOOKALIKE].signers)
    sid = file(service, resigned, NOTES_2, kind="update")
    (flag,) = stored_flags(service, sid)
    assert (flag.code, flag.severity, flag.source) == ("signer_changed", CRITICAL, "update")


def test_an_update_by_the_same_key_is_not_flagged(service, facts):
    approved = file(service, facts[NOTES_1], NOTES_1)
    assert service.decide(approved, "approve").ok
    assert stored_flags(service, file(service, facts[NOTES_2], NOTES_2, kind="update")) == ()


def test_a_new_key_is_not_a_changed_signer_until_a_version_was_approved(service, facts):
    first = file(service, facts[NOTES_1], NOTES_1)  # filed, not approved: nothing to compare with
    resigned = dataclasses.replace(facts[NOTES_2], signers=facts[LOOKALIKE].signers)
    assert stored_flags(service, file(service, resigned, NOTES_2, kind="update")) == ()
    assert service.decide(first, "reject", ["other"], "Try again").ok  # a rejected version is no reference
    assert stored_flags(service, file(service, resigned, NOTES_2, kind="update")) == ()


def test_an_update_that_does_not_raise_the_version_and_changes_key_is_flagged_worst_first(service, facts):
    approved = file(service, facts[NOTES_2], NOTES_2)
    assert service.decide(approved, "approve").ok
    older_resigned = dataclasses.replace(facts[NOTES_1], signers=facts[LOOKALIKE].signers)
    sid = file(service, older_resigned, NOTES_1, kind="update")
    assert [(f.code, f.severity) for f in stored_flags(service, sid)] == [
        ("signer_changed", CRITICAL),
        ("version_not_higher", SERIOUS),
    ]
    assert stored_flags(service, sid)[1].params == {"old": "2", "new": "1"}


# -- the command line -----------------------------------------------------------------------------


def test_queue_json_lists_the_codes_of_each_rows_flags(capsys, service, settings, facts):
    clean = file(service, facts[NOTES_1], NOTES_1)
    legacy = file(service, facts[LEGACY], LEGACY)
    unsigned = file(service, facts[UNSIGNED], UNSIGNED)
    metadata = service.store.add_submission(
        kind="metadata",
        developer="Acme Apps",
        tier=3,
        submitted_at=service.clock(),
        deadline=service.clock() + timedelta(hours=1),
        package="com.example.notes",
        note="New screenshots",
    )
    assert main(["--data-dir", str(settings.data_dir), "queue", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["submission_id"]: r["red_flags"] for r in records} == {
        clean: [],
        legacy: ["janus_v1_only"],
        unsigned: ["not_signed"],
        metadata: [],  # no package to read: nothing to flag
    }


# -- migration 0005: submissions filed before it ----------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        return server.url(database=server.create_database())
    return f"sqlite:///{tmp_path / 'team.sqlite3'}"


def at_revision_0004(url: str):
    """A database as the version before red flags left it (migrated to head, then down to 0004)."""
    reader, writer = database.make_engines(url)
    database.upgrade(writer)
    cfg = database._alembic_config()
    with writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    assert database.current_revision(reader) == "0004"
    reader.dispose()
    return writer


def file_before_0005(writer, filed: list[tuple[str, object]], now) -> dict[str, int]:
    """Rows as that version wrote them: no red_flags column yet."""
    ids: dict[str, int] = {}
    with writer.begin() as conn:
        developer = conn.execute(
            Developer.__table__.insert().values(name="Acme Apps", tier=3, created_at=now).returning(Developer.id)
        ).scalar_one()
        for name, facts in filed:
            package = facts.package if facts else f"com.example.{name}"
            app = conn.execute(
                App.__table__.insert()
                .values(package=package, developer_id=developer, label=None, created_at=now)
                .returning(App.id)
            ).scalar_one()
            artifact = None
            if facts is not None:
                values = {"sha256": facts.sha256, "size": facts.size, "package": facts.package}
                artifact = conn.execute(
                    Artifact.__table__.insert()
                    .values(**values, facts=facts.to_json(), created_at=now)
                    .returning(Artifact.id)
                ).scalar_one()
            ids[name] = conn.execute(
                Submission.__table__.insert()
                .values(
                    kind="new" if facts else "metadata",
                    developer_id=developer,
                    app_id=app,
                    artifact_id=artifact,
                    submitted_at=now,
                    deadline=now + timedelta(hours=24),
                    status="pending",
                    row_version=1,
                )
                .returning(Submission.id)
            ).scalar_one()
    return ids


def test_migration_0005_gives_earlier_submissions_the_flags_of_their_stored_facts(database_url, tmp_path, facts, clock):
    writer = at_revision_0004(database_url)
    legacy, unsigned, clean = facts[LEGACY], facts[UNSIGNED], facts[NOTES_1]
    assert legacy.warning_codes and any(c["code"] == "janus_v1_only" for c in legacy.warning_codes.values())
    unsigned_no_code = dataclasses.replace(
        unsigned, package="com.example.unsigned.old", sha256="0" * 64, warnings=[], warning_codes={}
    )  # filed before warnings had codes: no signer is still a flag
    filed = [("legacy", legacy), ("unsigned", unsigned), ("old", unsigned_no_code), ("clean", clean), ("meta", None)]
    ids = file_before_0005(writer, filed, clock())
    writer.dispose()

    service = ReviewService(Settings(data_dir=tmp_path / "ws", db_url=database_url, reviewer="alice"), clock=clock)
    try:
        assert database.current_revision(service.store.reader) == database.head_revision()
        rows = {row.submission_id: row for row in service.queue_rows(list(ids.values()))}
        flags = {
            name: [(f.code, f.severity, f.source, f.params) for f in rows[sid].red_flags] for name, sid in ids.items()
        }
        assert flags == {
            "legacy": [("janus_v1_only", SERIOUS, "facts", {"first": "5.0", "last": "8.0"})],
            "unsigned": [("not_signed", CRITICAL, "facts", {})],
            "old": [("no_signer", CRITICAL, "facts", {})],
            "clean": [],
            "meta": [],
        }
        # The same flags the rules of today find in those facts, so the queue and the detail agree.
        for name, stored in filed:
            if stored is not None:
                assert rows[ids[name]].red_flags == red_flags(stored), name
    finally:
        service.close()
