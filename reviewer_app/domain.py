"""The words the review domain shares with its storage: kinds, statuses, verdicts, records and errors.

`review` owns the workflow and re-exports everything here; `store` maps these records to tables and
raises these errors, so that nothing of SQLAlchemy leaves it. They live in a module of their own, below
both, because the store may not import the workflow that uses it (the layers point one way).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = ("new", "update", "metadata", "sensitive")
OPEN_STATUSES = ("pending", "escalated")
STATUSES = ("pending", "escalated", "approved", "rejected")
VERDICTS = ("approve", "reject", "escalate")
VERDICT_STATUS = {"approve": "approved", "reject": "rejected", "escalate": "escalated"}


@dataclass(frozen=True)
class RedFlag:
    """Something that must not be approved without a second look.

    `severity`: 2 critical (a hostile or broken package), 1 serious. `params` fill the text of `code`.
    `source` names the evidence it comes from ("facts", "update", later "scan", "clones", "devices").
    """

    code: str
    severity: int = 1
    source: str = "facts"
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "source": self.source, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RedFlag:
        return cls(
            str(data.get("code", "")),
            int(data.get("severity", 1) or 1),
            str(data.get("source", "facts")),
            {str(k): str(v) for k, v in (data.get("params") or {}).items()},
        )


def worst_first(flags: Any) -> tuple[RedFlag, ...]:
    """Critical flags first, then by evidence and code: the order a reviewer reads them in."""
    return tuple(sorted(flags, key=lambda f: (-f.severity, f.source, f.code)))


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
    red_flags: tuple[RedFlag, ...] = ()  # as found when it was filed, worst first
    recalled: bool = False  # its app was recalled (withdrawn from the store)

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
            "red_flags": [flag.code for flag in self.red_flags],
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


# -- spot-check audits ----------------------------------------------------------------------------

FINAL_VERDICTS = ("approve", "reject")  # what an audit samples and an auditor says
SAMPLE_REASONS = ("rate", "stratum", "new_reviewer")  # why a decision was sampled (AuditQueueEntry.why)
AUDIT_QUEUE_STATES = ("open", "done")


@dataclass(frozen=True)
class SampleCandidate:
    """A final decision that may be sampled for an audit (not sampled or audited yet)."""

    decision_id: str
    submission_id: int
    reviewer: str
    kind: str
    decided_at: datetime


@dataclass(frozen=True)
class AuditRecord:
    """A lead's blind re-review of a decision: their own verdict and reasons, and whether they agree."""

    audit_id: str
    decision_id: str
    auditor: str
    audited_at: datetime
    outcome: str  # "agree" / "disagree"
    verdict: str | None
    reason_codes: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class AuditQueueItem:
    """A sampled decision in the audit queue, as a lead's list shows it: what was decided on, never how or
    by whom (the audit is blind). `by_you`: the asking user made the decision, so may not audit it."""

    item_id: int
    decision_id: str
    submission_id: int
    kind: str
    package: str | None
    label: str | None
    sampled_at: datetime
    sampled_by: str
    seed: int
    rate: float
    why: str  # SAMPLE_REASONS
    state: str  # AUDIT_QUEUE_STATES
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    by_you: bool = False
    outcome: str | None = None  # of its audit, once done
    auditor: str | None = None


@dataclass(frozen=True)
class ReviewerNote:
    """A lead's note to a reviewer about one of their decisions."""

    note_id: int
    to_reviewer: str
    from_reviewer: str
    decision_id: str | None
    submission_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None = None


@dataclass(frozen=True)
class VersionRecord:
    """An earlier submission of the same package, for the history of an app."""

    submission_id: int
    kind: str
    version_code: int | None
    version_name: str | None
    status: str
    submitted_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    withdrawn_at: datetime | None = None  # rolled back by a lead: no longer the live version
    withdrawn_reason: str | None = None


# -- scans, jobs and recalls ----------------------------------------------------------------------

JOB_KINDS = ("scan", "clones", "devices", "device_capture")
JOB_STATES = ("queued", "running", "done", "failed")
JOB_REASONS = ("submitted", "requested", "rescan")  # filed with the package, asked for by a person, signatures changed
SCAN_STATES = ("running", "done", "failed")
GATES = ("pass", "block", "hold")
RECALL_STATES = ("open", "recalled", "dismissed")
BLOCKLIST_KINDS = ("sha256", "certificate")


@dataclass(frozen=True)
class JobRecord:
    """One piece of background work in the database, taken by exactly one worker at a time."""

    job_id: int
    kind: str
    state: str
    reason: str
    artifact_sha256: str | None
    submission_id: int | None
    attempts: int
    created_at: datetime
    worker: str | None = None
    lease_until: datetime | None = None
    error: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanEngineRow:
    """One engine's verdict as stored with the artifact (the names of `reviewer-app scan --json`)."""

    engine: str
    engine_version: str
    signatures_version: str
    verdict: str  # clean / malicious / suspicious / error / timeout / unsupported
    detections: tuple[str, ...] = ()
    seconds: float = 0.0
    evidence: tuple[dict[str, str], ...] = ()  # {"rule", "kind", "value", "detail"}
    error: str | None = None
    vouches: bool = True  # False: a clean that says nothing of the package (no blocklist lists it)

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "engine_version": self.engine_version,
            "signatures_version": self.signatures_version,
            "verdict": self.verdict,
            "detections": list(self.detections),
            "seconds": self.seconds,
            "evidence": [dict(e) for e in self.evidence],
            "error": self.error,
            "vouches": self.vouches,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScanEngineRow:
        return cls(
            engine=str(data.get("engine") or ""),
            engine_version=str(data.get("engine_version") or ""),
            signatures_version=str(data.get("signatures_version") or ""),
            verdict=str(data.get("verdict") or "error"),
            detections=tuple(str(d) for d in data.get("detections") or ()),
            seconds=float(data.get("seconds") or 0.0),
            evidence=tuple({str(k): str(v) for k, v in e.items()} for e in data.get("evidence") or ()),
            error=data.get("error"),
            vouches=bool(data.get("vouches", True)),
        )


@dataclass(frozen=True)
class ScanRecord:
    """One scan of an artifact by every enabled engine: the gate and a row per engine, kept with the
    artifact. `state` is "running" while engines still answer (rows arrive one by one)."""

    scan_id: int
    artifact_sha256: str
    state: str
    reason: str  # JOB_REASONS
    policy: str
    gate: str | None  # pass / block / hold; None before the first verdict
    gate_reason: str
    engines: tuple[ScanEngineRow, ...]
    engines_expected: int
    started_at: datetime
    finished_at: datetime | None = None
    malware_after_pass: tuple[str, ...] = ()
    worker: str | None = None
    error: str | None = None

    @property
    def malicious(self) -> tuple[ScanEngineRow, ...]:
        return tuple(row for row in self.engines if row.verdict == "malicious")


@dataclass(frozen=True)
class BlocklistEntry:
    """A SHA-256 of an APK or of a signing certificate that leads have blocked."""

    kind: str  # BLOCKLIST_KINDS
    value: str  # lower-case hex
    reason: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class RecallCase:
    """A live app that a later scan found malicious (or that a lead chose to pull): who opened it, on
    what, with which evidence, and what a lead decided."""

    case_id: int
    package: str
    submission_id: int | None  # the approved submission of the artifact
    artifact_sha256: str | None
    version_name: str | None
    opened_at: datetime
    opened_by: str
    source: str  # "rescan" or "lead"
    evidence: tuple[ScanEngineRow, ...]
    state: str  # RECALL_STATES
    closed_by: str | None = None
    closed_at: datetime | None = None
    note: str | None = None
    label: str | None = None  # the app's name, as its recalled version gives it


@dataclass(frozen=True)
class Rollback:
    """A live version withdrawn by a lead and the earlier approved version that is live again."""

    package: str
    withdrawn_submission_id: int
    withdrawn_version: str | None
    live_submission_id: int
    live_version: str | None
    reason: str
    by: str
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "withdrawn_submission_id": self.withdrawn_submission_id,
            "withdrawn_version": self.withdrawn_version,
            "live_submission_id": self.live_submission_id,
            "live_version": self.live_version,
            "reason": self.reason,
            "by": self.by,
            "at": iso_utc(self.at),
        }


# -- the catalog of live apps and the clone comparison ------------------------------------------

CLONE_VERDICTS = ("counterfeit_suspected", "same_developer_family", "no_match")
CATALOG_SOURCES = ("add", "import", "approved")


@dataclass(frozen=True)
class CatalogApp:
    """A live app as the clone search knows it: who made it, what it is called, its fingerprints (as
    stored: each similarity module's `to_json`)."""

    catalog_id: int
    package: str
    labels: dict[str, str]  # locale ("" for the default) -> label
    developer: str
    certificates: tuple[str, ...]  # SHA-256 of the signing certificates (the v3 lineage included)
    source: str  # CATALOG_SOURCES
    added_at: datetime
    icon: dict[str, Any] | None = None
    icon_blob: str | None = None  # the icon as PNG in the blob store
    code: dict[str, Any] | None = None
    resources: tuple[str, ...] | None = None
    cert_subjects: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    submission_id: int | None = None
    withdrawn: bool = False

    @property
    def label(self) -> str:
        return self.labels.get("") or next(iter(self.labels.values()), "")


@dataclass(frozen=True)
class ProtectedNameEntry:
    """A name in the brand registry: only `developer` may publish an app called so (or like it)."""

    name: str
    developer: str
    package: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class CloneCandidate:
    """A catalog app close to a submission, with every signal (`signals`: CLI.md's names) and what matched."""

    catalog_id: int
    package: str
    label: str
    developer: str
    score: float
    signals: dict[str, Any]  # name, icon, package: 0..1; certificate: same/different/unknown; code, resources
    matched: dict[str, Any] = field(default_factory=dict)  # name diff, shared classes and resources...

    def to_json(self) -> dict[str, Any]:
        return {
            "catalog_id": self.catalog_id,
            "package": self.package,
            "label": self.label,
            "developer": self.developer,
            "score": round(self.score, 4),
            "signals": dict(self.signals),
        }


@dataclass(frozen=True)
class CloneResult:
    """The clone comparison of one artifact: the verdict and the candidates, best first."""

    verdict: str  # CLONE_VERDICTS
    candidates: tuple[CloneCandidate, ...]
    computed_at: datetime
    catalog_size: int = 0


# -- device tests -----------------------------------------------------------------------------------

DEVICE_RUN_STATES = ("running", "done", "failed", "cancelled")
DEVICE_SOURCES = ("test_lab", "manifest", "adb")  # a Firebase Test Lab folder, a JSON manifest, an adb capture
DEVICE_OUTCOMES = ("success", "failure", "inconclusive", "skipped", "flaky")  # Test Lab's words
# What the checks say of one screenshot; a device carries its screenshots' flags and its own.
SCREEN_FLAGS = ("blank_screen", "crash_dialog", "differs_from_peers", "changed_since_approved")
DEVICE_FLAGS = ("install_failed", "launch_failed", "crash", "anr", *SCREEN_FLAGS)


@dataclass(frozen=True)
class DeviceCrash:
    """A fatal exception or an ANR found in a device's logcat, with its stack lines."""

    kind: str  # "crash" or "anr"
    process: str
    stack: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "process": self.process, "stack": list(self.stack)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeviceCrash:
        return cls(str(data.get("kind", "crash")), str(data.get("process", "")),
                   tuple(str(line) for line in data.get("stack") or ()))  # fmt: skip


@dataclass(frozen=True)
class DeviceScreenshot:
    """One screenshot of a device run, kept in the blob store."""

    name: str  # as the results named it ("launch-1.png"), for the reviewer
    sha256: str  # the image file as the results held it (PNG or JPEG; other formats are kept as PNG)
    width: int
    height: int
    step: str = ""  # "launch", "monkey", or "" when the results do not say
    phash: str = ""  # 64-bit perceptual hash as 16 hex digits, for comparisons across devices and versions
    flags: tuple[str, ...] = ()  # SCREEN_FLAGS


@dataclass(frozen=True)
class DeviceResult:
    """What one phone model or emulator did with the package. None: the results do not say."""

    device: str  # the model ("walleye", "Pixel 7", "emulator-5554"'s model)
    outcome: str  # DEVICE_OUTCOMES
    brand: str | None = None
    os_version: str | None = None  # Android's version ("9"), from the API level where only that is known
    api_level: int | None = None
    locale: str | None = None
    orientation: str | None = None
    virtual: bool | None = None  # an emulator
    installed: bool | None = None
    launched: bool | None = None
    crashed: bool | None = None
    crashes: tuple[DeviceCrash, ...] = ()
    screenshots: tuple[DeviceScreenshot, ...] = ()
    flags: tuple[str, ...] = ()  # DEVICE_FLAGS
    messages: tuple[str, ...] = ()  # failed tests, files that could not be read, a disconnect: one line each

    def to_json(self) -> dict[str, Any]:
        """The command line's line for a device run (CLI.md: `devices import --json`)."""
        return {
            "device": self.device,
            "os_version": self.os_version,
            "installed": self.installed,
            "launched": self.launched,
            "crashed": self.crashed,
            "screenshots": len(self.screenshots),
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class DeviceRun:
    """One import or capture of device results for an artifact."""

    run_id: int
    artifact_sha256: str
    source: str  # DEVICE_SOURCES
    label: str  # the results folder's name, or the devices captured
    created_at: datetime
    created_by: str
    results: tuple[DeviceResult, ...] = ()
    warnings: tuple[str, ...] = ()  # files of the run that were left out, one line each
    state: str = "done"  # DEVICE_RUN_STATES: a capture is "running" while its devices report one by one
    devices_total: int = 0  # devices a capture started on
    devices_done: int = 0  # of those, how many have finished (a running capture's results come at its end)
    error: str | None = None  # why a run failed or stopped, one line


@dataclass(frozen=True)
class SubmissionDetail:
    """Everything the store keeps about one submission."""

    row: QueueRow
    artifact_sha256: str | None
    facts: dict[str, Any] | None  # ApkFacts.to_json() as stored
    icon_png: bytes | None
    note: str | None
    row_version: int
    decisions: tuple[DecisionRecord, ...] = field(default_factory=tuple)
    previous_facts: dict[str, Any] | None = None  # last approved version of the same package
    previous_artifact_sha256: str | None = None  # its APK in the blob store
    versions: tuple[VersionRecord, ...] = ()  # other submissions of the same package, newest first
    scans: tuple[ScanRecord, ...] = ()  # of this artifact, newest first
    scan_job: str | None = None  # "queued" or "running" while a scan of it waits or runs
    withdrawn_at: datetime | None = None  # the app was recalled
    withdrawn_reason: str | None = None
    clones: CloneResult | None = None  # the comparison with the catalog, once a worker has made it
    clone_job: str | None = None  # "queued" or "running" while it waits or runs
    device_runs: tuple[DeviceRun, ...] = ()  # of this artifact, newest first
    previous_device_run: DeviceRun | None = None  # the newest run of the last approved version
    device_job: str | None = None  # "queued" or "running" while an import or a capture waits or runs
    listing_images: tuple[DeviceScreenshot, ...] = ()  # the developer's store-listing images
    icon_blob: str | None = None  # the launcher icon as PNG in the blob store (`icon_png` holds its bytes)


@dataclass(frozen=True)
class ClaimRecord:
    submission_id: int
    reviewer: str
    lease_until: datetime


# Team settings whose key starts so are the team's to share and a lead's to change (store/settings.py); the
# others (SQLite's "users", the roles of local names) are an admin's.
TEAM_SETTING_PREFIX = "team."


@dataclass(frozen=True)
class TeamSetting:
    """One setting the whole team shares (the database's `settings`), with who changed it last and when."""

    key: str
    value: Any
    updated_by: str
    updated_at: datetime


# What the audit trail records (store/chain.py): each a person's (or a worker's) action on the shared database.
# "settings": a team setting changed (its old and new value); "job_request": a job asked for, or stopped.
AUDIT_ACTIONS = (
    "claim", "release", "decide", "undo", "audit", "reopen", "recall", "dismiss", "recall_case", "rollback",
    "settings", "blocklist", "protected_name", "user", "job_request", "sample", "note",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One event of the audit trail as stored: `details_json` is the exact text its hash covers."""

    event_id: int
    at: datetime
    actor: str
    action: str  # AUDIT_ACTIONS
    subject: str  # "submission:12", "recall_case:3", "user:rita", "sha256:<hex>"...
    details_json: str
    prev_hash: str
    hash: str

    @property
    def details(self) -> dict[str, Any]:
        """The details as a dict; {} for text that is not a JSON object (an event edited by hand)."""
        try:
            value = json.loads(self.details_json)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "at": iso_utc(self.at),
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the command line promises (CLI.md)."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


# -- errors --------------------------------------------------------------------------------------


class DeviceImportError(ValueError):
    """A device results folder that cannot be filed for this submission; the message is one line."""


class StoreError(Exception):
    """Base of the errors a caller is expected to show to a person."""


class DatabaseError(StoreError):
    """The database failed in a way nobody planned for; the message is the server's first line."""


class DatabaseUrlError(StoreError):
    """The configured database URL cannot be used."""


class DatabaseUnavailable(StoreError):
    """The database could not be reached or dropped the connection: work may be journaled and retried."""


class CredentialsRequired(DatabaseUnavailable):
    """The server wants a password we do not have (or the one we have is wrong)."""


class PermissionDenied(StoreError):
    """The database refused the operation for this user (grants or row-level security)."""


class RoleError(StoreError):
    """A user or role cannot be created as asked."""


class NotFound(StoreError):
    pass


class NotClaimable(StoreError):
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
