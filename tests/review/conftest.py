"""A review team on either back end: SQLite shared through one file, or the tests' own PostgreSQL server,
where every reviewer connects as their own database user (roles and row-level security in force)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from reviewer_app.config import Settings
from reviewer_app.review import ReviewService

USERS = {"alice": "reviewer", "bob": "reviewer", "carol": "reviewer", "lena": "lead", "adam": "admin"}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class Team:
    """Workstations of one team: `team["alice"]` is alice's ReviewService; `team.intake` files work."""

    def __init__(self, backend: str, tmp_path, clock: Clock, pg_server=None) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.clock = clock
        self.pg_server = pg_server
        self.services: dict[str, ReviewService] = {}
        self.lease_minutes = 15.0
        if backend == "postgresql":
            from reviewer_app.review import admin

            self.database = pg_server.create_database()
            owner = Settings(data_dir=tmp_path / "owner", db_url=pg_server.url(database=self.database))
            admin.create_roles(owner)
            for name, role in USERS.items():
                admin.add_user(owner, name, role, None)
        else:
            from reviewer_app.review import admin

            self.database = str(tmp_path / "team.sqlite3")
            owner = Settings(data_dir=tmp_path / "owner", db_url=self.url("owner"))
            for name, role in USERS.items():
                admin.add_user(owner, name, role, None)

    def url(self, name: str) -> str:
        if self.backend == "postgresql":
            return self.pg_server.url(user=name, database=self.database)
        return f"sqlite:///{self.database}"

    def settings(self, name: str) -> Settings:
        return Settings(
            data_dir=self.tmp_path / name, db_url=self.url(name), reviewer=name, lease_minutes=self.lease_minutes
        )

    def __getitem__(self, name: str) -> ReviewService:
        if name not in self.services:
            self.services[name] = ReviewService(self.settings(name), clock=self.clock)
        return self.services[name]

    @property
    def intake(self) -> ReviewService:
        """Who files submissions: an admin on PostgreSQL (reviewers may not), anyone on SQLite."""
        return self["adam"]

    def file(self, package: str, tier: int, minutes_ago: int = 0, kind: str = "new") -> int:
        store = self.intake.store
        submitted = self.clock() - timedelta(minutes=minutes_ago)
        return store.add_submission(
            kind=kind,
            developer=f"dev-{package}",
            tier=tier,
            submitted_at=submitted,
            deadline=self.intake.sla.deadline(submitted, tier),
            package=package,
        )

    def close(self) -> None:
        for service in self.services.values():
            service.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def clock():
    now = datetime.now(UTC).replace(microsecond=0)
    return Clock(now)


@pytest.fixture
def team(backend, tmp_path, clock, request):
    pg_server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    team = Team(backend, tmp_path, clock, pg_server)
    yield team
    team.close()


@pytest.fixture
def alice(team):
    return team["alice"]


@pytest.fixture
def bob(team):
    return team["bob"]


def with_reviewer(settings: Settings, name: str) -> Settings:
    return replace(settings, reviewer=name)
