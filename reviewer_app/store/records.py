"""Plain records the store hands out; no SQLAlchemy objects leave reviewer_app.store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class QueueRow:
    """One line of the review queue."""

    submission_id: int
    kind: str
    package: str | None
    label: str | None
    developer: str
    tier: int
    submitted_at: datetime
    deadline: datetime
    status: str
    claimed_by: str | None
    lease_until: datetime | None
    version_code: int | None = None
    version_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "kind": self.kind,
            "package": self.package,
            "label": self.label,
            "developer": self.developer,
            "tier": self.tier,
            "submitted_at": iso_utc(self.submitted_at),
            "deadline": iso_utc(self.deadline),
            "status": self.status,
            "claimed_by": self.claimed_by,
            "lease_until": iso_utc(self.lease_until),
            "version_code": self.version_code,
            "version_name": self.version_name,
        }


@dataclass(frozen=True)
class DecisionRecord:
    decision_id: str
    submission_id: int
    reviewer: str
    decided_at: datetime
    verdict: str
    reason_codes: tuple[str, ...]
    message: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "submission_id": self.submission_id,
            "reviewer": self.reviewer,
            "decided_at": iso_utc(self.decided_at),
            "verdict": self.verdict,
            "reason_codes": list(self.reason_codes),
            "message": self.message,
        }


@dataclass(frozen=True)
class SubmissionDetail:
    """Everything the detail panel shows about one submission."""

    row: QueueRow
    artifact_sha256: str | None
    facts: dict[str, Any] | None  # ApkFacts.to_json() as stored
    icon_png: bytes | None
    note: str | None
    row_version: int
    decisions: tuple[DecisionRecord, ...] = field(default_factory=tuple)
    previous_facts: dict[str, Any] | None = None  # last approved version of the same package
    previous_artifact_sha256: str | None = None  # its APK in the blob store


@dataclass(frozen=True)
class ClaimRecord:
    submission_id: int
    reviewer: str
    lease_until: datetime


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the command line promises (CLI.md)."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


class StoreError(Exception):
    """Base of the errors a caller is expected to show to a person."""


class DatabaseUnavailable(StoreError):
    """The database could not be reached or dropped the connection: work may be journaled and retried."""


class CredentialsRequired(DatabaseUnavailable):
    """The server wants a password we do not have (or the one we have is wrong)."""


class PermissionDenied(StoreError):
    """The database refused the operation for this user (grants or row-level security)."""


class NotFound(StoreError):
    pass


class AlreadyDecided(StoreError):
    def __init__(self, submission_id: int, decision: DecisionRecord | None, status: str) -> None:
        self.submission_id = submission_id
        self.decision = decision
        self.status = status
        if decision is not None:
            when = decision.decided_at.strftime("%Y-%m-%d %H:%M UTC")
            text = (
                f"submission {submission_id} was already decided ({decision.verdict}) by {decision.reviewer} at {when}"
            )
        else:
            text = f"submission {submission_id} is already {status}"
        super().__init__(text)


class HeldByOther(StoreError):
    def __init__(self, submission_id: int, holder: str, lease_until: datetime | None) -> None:
        self.submission_id = submission_id
        self.holder = holder
        self.lease_until = lease_until
        until = f" until {lease_until.strftime('%H:%M UTC')}" if lease_until else ""
        super().__init__(f"submission {submission_id} is held by {holder}{until}")


class NotClaimable(StoreError):
    pass
