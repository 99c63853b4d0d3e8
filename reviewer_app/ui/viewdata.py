"""Plain-Python state behind the panels: no Qt here, so it is easy to test and reason about."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

SOON = timedelta(minutes=30)


class Urgency(StrEnum):
    OK = "ok"
    SOON = "soon"  # due within 30 minutes: amber
    OVERDUE = "overdue"  # past the deadline: red and bold


def urgency(deadline: datetime | None, now: datetime) -> Urgency:
    if deadline is None:
        return Urgency.OK
    left = deadline - now
    if left.total_seconds() < 0:
        return Urgency.OVERDUE
    if left <= SOON:
        return Urgency.SOON
    return Urgency.OK


@dataclass(frozen=True)
class PermissionEntry:
    """One line of the permission list, with the flags the panel colours by."""

    name: str
    dangerous: bool = False
    added: bool = False  # not requested by the last approved version
    implied: bool = False  # granted by Android because of an old target SDK, not requested
    max_sdk: int | None = None


def permission_entries(
    facts: Any, previous: Any = None, is_dangerous: Callable[[str], bool] | None = None
) -> tuple[list[PermissionEntry], list[PermissionEntry], list[str]]:
    """(requested, implied, removed) for the detail panel.

    Requested permissions come dangerous first, then by name. `added` is set only when a previous
    (last approved) version is known. `removed` lists what the previous version had and this one lacks.
    """
    if is_dangerous is None:
        from reviewer_app.apk.permissions import is_dangerous as _is_dangerous

        is_dangerous = _is_dangerous
    if facts is None:
        return [], [], []
    max_sdk = {p.name: p.max_sdk for p in getattr(facts, "permission_requests", []) or []}
    before: set[str] | None = None
    if previous is not None:
        before = set(previous.permissions or ()) | set(previous.implied_permissions or ())
    requested = [
        PermissionEntry(
            name,
            dangerous=_safe(is_dangerous, name),
            added=before is not None and name not in before,
            max_sdk=max_sdk.get(name),
        )
        for name in dict.fromkeys(facts.permissions or ())
    ]
    requested.sort(key=lambda e: (not e.dangerous, e.name))
    implied = [
        PermissionEntry(
            name,
            dangerous=_safe(is_dangerous, name),
            added=before is not None and name not in before,
            implied=True,
        )
        for name in sorted(set(facts.implied_permissions or ()) - set(facts.permissions or ()))
    ]
    implied.sort(key=lambda e: (not e.dangerous, e.name))
    removed: list[str] = []
    if previous is not None:
        now = set(facts.permissions or ()) | set(facts.implied_permissions or ())
        removed = sorted(set(previous.permissions or ()) - now)
    return requested, implied, removed


def _safe(check: Callable[[str], bool], name: str) -> bool:
    try:
        return bool(check(name))
    except Exception:
        return False


def components(facts: Any) -> list[tuple[str, list[str]]]:
    """(group, names) for activities, services, receivers and providers, in that order."""
    if facts is None:
        return []
    return [
        ("activities", sorted(facts.activities or ())),
        ("services", sorted(facts.services or ())),
        ("receivers", sorted(facts.receivers or ())),
        ("providers", sorted(facts.providers or ())),
    ]


@dataclass(frozen=True)
class CodeChanges:
    """Classes an update adds and drops since the last approved version, and the Java packages that are
    new altogether (a new SDK in an update is what a reviewer looks at: ads, payments, SMS)."""

    added: int
    removed: int
    new_packages: list[tuple[str, int]]  # (package, classes in it), most classes first


def _package(class_name: str) -> str:
    return class_name.rsplit(".", 1)[0] if "." in class_name else ""


def code_changes(old_classes: Iterable[str], new_classes: Iterable[str]) -> CodeChanges:
    old, new = set(old_classes), set(new_classes)
    known = {_package(name) for name in old}
    counts: dict[str, int] = {}
    for name in new - old:
        package = _package(name)
        if package not in known:
            counts[package] = counts.get(package, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return CodeChanges(len(new - old), len(old - new), ranked)


def short_name(path: str) -> str:
    """The file name of a path, for one-line messages."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] or path


@dataclass
class ImportProgress:
    """Where an import of APK files stands: parsed, filed, failed (one line per bad file)."""

    total: int
    parsed: int = 0
    filed: int = 0
    filing: int = 0  # handed to the database worker, answer not back yet
    parse_done: bool = False

    def __post_init__(self) -> None:
        self.failures: list[tuple[str, str]] = []  # (file, one-line error)
        self.filed_ids: list[int] = []

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def done(self) -> int:
        return self.filed + self.failed

    @property
    def finished(self) -> bool:
        return self.parse_done and self.filing == 0

    def fail(self, path: str, error: str | None) -> None:
        lines = (error or "").strip().splitlines()
        self.failures.append((short_name(path), lines[0] if lines else ""))

    def fail_rest(self, paths: Iterable[str], error: str) -> None:
        for path in paths:
            self.fail(path, error)
