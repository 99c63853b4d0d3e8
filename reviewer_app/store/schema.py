"""SQLAlchemy schema. Alembic migrations (store/migrations) create it; this module is their source of truth."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reviewer_app.domain import AUDIT_ACTIONS, KINDS, OPEN_STATUSES, STATUSES, VERDICTS

WAITING = text("state = 'queued'")
FINAL_VERDICT = text("verdict IN ('approve', 'reject')")
OPEN_CASE = text("state = 'open'")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

__all__ = ["KINDS", "OPEN_STATUSES", "STATUSES", "VERDICTS"]


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every back end (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Developer(Base):
    __tablename__ = "developers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    tier: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 5", name="tier_range"),)


class App(Base):
    __tablename__ = "apps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package: Mapped[str] = mapped_column(String(255), unique=True)
    developer_id: Mapped[int] = mapped_column(ForeignKey("developers.id"))
    label: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Recalled: pulled from the store by a lead (a later scan found malware, or the app turned out harmful).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Artifact(Base):
    """One APK file, kept in the content-addressed blob store under its SHA-256."""

    __tablename__ = "artifacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    package: Mapped[str] = mapped_column(String(255), index=True)
    version_code: Mapped[int | None] = mapped_column(BigInteger)
    version_name: Mapped[str | None] = mapped_column(String(255))
    label: Mapped[str | None] = mapped_column(String(500))
    min_sdk: Mapped[int | None] = mapped_column(Integer)
    target_sdk: Mapped[int | None] = mapped_column(Integer)
    icon_sha256: Mapped[str | None] = mapped_column(String(64))  # of the icon bytes inside the APK
    icon_blob: Mapped[str | None] = mapped_column(String(64))  # blob holding the icon as PNG
    facts: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A version rolled back by a lead (a broken release): no longer live; the one approved before it is.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    developer_id: Mapped[int] = mapped_column(ForeignKey("developers.id"))
    app_id: Mapped[int | None] = mapped_column(ForeignKey("apps.id"))
    artifact_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id"))
    note: Mapped[str | None] = mapped_column(Text)  # what changed, for metadata submissions
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    # What must not be approved without a second look, found when it was filed ([RedFlag.to_json()], worst
    # first); evidence that arrives later adds to it. The queue shows how many.
    red_flags: Mapped[list | None] = mapped_column(JSON)
    # The developer's store-listing images ([{name, sha256, width, height}], files in the blob store), to set
    # beside the screenshots of real devices.
    listing_images: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        CheckConstraint("kind IN ('new', 'update', 'metadata', 'sensitive')", name="kind_valid"),
        CheckConstraint("status IN ('pending', 'escalated', 'approved', 'rejected')", name="status_valid"),
        Index("ix_submissions_queue", "status", "deadline", "id"),
        # The queue of some kinds only, in order, without reading the table (Store.queue_page).
        Index("ix_submissions_queue_kind", "status", "kind", "deadline", "id"),
        # The other submissions of an app, newest first (the History panel; Store._versions).
        Index("ix_submissions_app", "app_id", "submitted_at", "id"),
        Index(
            "ix_submissions_claimed_by",
            "claimed_by",
            postgresql_where=text("claimed_by IS NOT NULL"),
            sqlite_where=text("claimed_by IS NOT NULL"),
        ),
    )


class Decision(Base):
    """Append-only: the database refuses updates and deletes (triggers, and grants on PostgreSQL)."""

    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID made by the client: pushes are idempotent
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verdict: Mapped[str] = mapped_column(String(16))
    reason_codes: Mapped[list] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    # What the reviewer had before them when the decision was sent (an EvidenceSnapshot's key); NULL for
    # decisions sent before evidence was kept. A hash like the blob store's, not a foreign key: the
    # column is added to an append-only table whose triggers a SQLite table copy would lose.
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("verdict IN ('approve', 'reject', 'escalate')", name="verdict_valid"),
        # The decisions since a moment, and whether a submission had a final decision before one (an
        # index-only probe): the quality dashboard's open submissions past their deadline, and the facts'
        # migration (0016).
        Index("ix_decisions_decided_at", "decided_at", "submission_id"),
        Index(
            "ix_decisions_final",
            "submission_id",
            "decided_at",
            "id",
            postgresql_where=FINAL_VERDICT,
            sqlite_where=FINAL_VERDICT,
        ),
    )


class EvidenceSnapshot(Base):
    """The evidence of a decision as it was when it was sent: canonical JSON text (review/evidence.py) keyed
    by its SHA-256, so that identical evidence is kept once. Blobs (icons, screenshots, APKs) are named by
    their hashes, not copied: the blob store never deletes. Append-only; on PostgreSQL a check constraint
    makes the key the hash of the text."""

    __tablename__ = "evidence_snapshots"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)  # text, not JSON: the hash is of these exact bytes
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QualityFact(Base):
    """What the quality dashboard counts of one decision, written by a trigger as the decision is inserted
    (migration 0016): its group, whether it is its submission's first final decision, the minutes from the
    submission to it and whether it was after the deadline the submission had then. A period's figures
    are read from these narrow rows alone, not worked out again from decisions and submissions."""

    __tablename__ = "quality_facts"

    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True)
    submission_id: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewer: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(16))
    # Approves or rejects, and no approval or rejection of the submission came before it (by time, then
    # id): a decision sent late from a journal, dated before the one counted so far, takes its place.
    first_final: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[float] = mapped_column(Float)
    late: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_quality_facts_decided_at", "decided_at"),
        Index(
            "ix_quality_facts_first_final",
            "submission_id",
            postgresql_where=text("first_final"),
            sqlite_where=text("first_final"),
        ),
    )


class QualityAudit(Base):
    """An audit with what the dashboard groups it by, copied from its decision's facts by a trigger as the
    audit is inserted (migration 0016): a period's audits are read without a scan of its decisions."""

    __tablename__ = "quality_audits"

    audit_id: Mapped[str] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewer: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    decision_verdict: Mapped[str] = mapped_column(String(16))
    audit_verdict: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        Index("ix_quality_audits_decided_at", "decided_at"),
        Index("ix_quality_audits_decision_id", "decision_id", "audit_id"),
    )


class Audit(Base):
    """A lead's blind re-review of a decision. Append-only, like decisions."""

    __tablename__ = "audits"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id"), index=True)
    auditor: Mapped[str] = mapped_column(String(200))
    audited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # The auditor's own verdict and reasons, recorded before the original was shown (blind re-review); what
    # agreement and Cohen's kappa are computed from. NULL for audits recorded before they were kept.
    verdict: Mapped[str | None] = mapped_column(String(16))
    reason_codes: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (CheckConstraint("outcome IN ('agree', 'disagree')", name="outcome_valid"),)


class AuditQueueEntry(Base):
    """A decision sampled for a spot-check audit, until a lead has audited it. `why`: "rate" (its stratum's
    share), "stratum" (the one pick every reviewer-and-kind stratum gets), "new_reviewer" (one of a new
    reviewer's first decisions, all of which are audited)."""

    __tablename__ = "audit_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[str] = mapped_column(ForeignKey("decisions.id"), unique=True)
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sampled_by: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[float] = mapped_column(Float)
    why: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open")
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    audit_id: Mapped[str | None] = mapped_column(ForeignKey("audits.id"))

    __table_args__ = (
        CheckConstraint("state IN ('open', 'done')", name="state_valid"),
        CheckConstraint("why IN ('rate', 'stratum', 'new_reviewer')", name="why_valid"),
        Index("ix_audit_queue_state", "state", "sampled_at", "id"),
    )


class AuditSampleDay(Base):
    """The day's automatic sample was taken (by a worker's housekeeping): one row per day, so that several
    workers sample once between them."""

    __tablename__ = "audit_sample_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO date, UTC
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(BigInteger)
    rate: Mapped[float] = mapped_column(Float)
    picked: Mapped[int] = mapped_column(Integer)


class ReviewerNote(Base):
    """A lead's note to a reviewer about one of their decisions (after an audit); the reviewer's window
    shows it until they have read it."""

    __tablename__ = "reviewer_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_reviewer: Mapped[str] = mapped_column(String(200))
    from_reviewer: Mapped[str] = mapped_column(String(200))
    decision_id: Mapped[str | None] = mapped_column(ForeignKey("decisions.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_reviewer_notes_to", "to_reviewer", "read_at", "id"),)


class Recall(Base):
    """An app pulled from the store after approval (malware found later, counterfeit...). Append-only."""

    __tablename__ = "recalls"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    package: Mapped[str] = mapped_column(String(255), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    recalled_by: Mapped[str] = mapped_column(String(200))
    recalled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)


class Setting(Base):
    """Team-wide configuration (SLA hours, lease length...), managed by admins."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Job(Base):
    """Background work (a scan now; clone fingerprints and device imports later) that any worker may take.

    A worker takes a due job with FOR UPDATE SKIP LOCKED on PostgreSQL (each job runs once at a time) and
    holds it by a lease it renews; a job whose lease ran out (its worker died) is taken again, up to
    `max_attempts` times. At most one job of a kind waits per artifact (a partial unique index), so asking
    twice does not scan twice.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    reason: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, default=0)  # lower first: new submissions before re-scans
    artifact_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    payload: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state_valid"),
        Index("ix_jobs_due", "state", "priority", "run_after", "id"),
        Index("ux_jobs_waiting", "kind", "artifact_id", unique=True, postgresql_where=WAITING, sqlite_where=WAITING),
    )


class Scan(Base):
    """One scan of an artifact by every enabled engine: the gate and each engine's row, kept with it."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))  # whose workstations hear
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(16))
    policy: Mapped[str] = mapped_column(String(32))
    gate: Mapped[str | None] = mapped_column(String(8))
    gate_reason: Mapped[str] = mapped_column(Text, default="")
    engines: Mapped[list] = mapped_column(JSON)  # [ScanEngineRow.to_json()] in the order they answered
    engines_expected: Mapped[int] = mapped_column(Integer)
    malware_after_pass: Mapped[list | None] = mapped_column(JSON)
    signatures: Mapped[str] = mapped_column(String(64))  # digest of every engine's signature version
    worker: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("state IN ('running', 'done', 'failed')", name="state_valid"),
        CheckConstraint("gate IS NULL OR gate IN ('pass', 'block', 'hold')", name="gate_valid"),
        Index("ix_scans_artifact", "artifact_id", "id"),
    )


class BlocklistItem(Base):
    """A blocked APK (SHA-256 of the file) or signing certificate (SHA-256 of its DER), kept by leads."""

    __tablename__ = "blocklist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('sha256', 'certificate')", name="kind_valid"),
        Index("ux_blocklist_entry", "kind", "value", unique=True),
    )


class RecallCaseRow(Base):
    """A live app a re-scan found malicious (or a lead chose to pull), until a lead recalls or dismisses it."""

    __tablename__ = "recall_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package: Mapped[str] = mapped_column(String(255))
    app_id: Mapped[int | None] = mapped_column(ForeignKey("apps.id"))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    artifact_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id"))
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"))
    source: Mapped[str] = mapped_column(String(16))
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    evidence: Mapped[list] = mapped_column(JSON)  # [ScanEngineRow.to_json()] of the engines that found malware
    state: Mapped[str] = mapped_column(String(16), default="open")
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("state IN ('open', 'recalled', 'dismissed')", name="state_valid"),
        CheckConstraint("source IN ('rescan', 'lead')", name="source_valid"),
        Index("ix_recall_cases_state", "state", "opened_at"),
        Index("ux_recall_cases_open", "artifact_id", unique=True, postgresql_where=OPEN_CASE, sqlite_where=OPEN_CASE),
    )


class CatalogEntry(Base):
    """A live app in the catalog the clone search compares submissions with (filled by `catalog add`,
    `catalog import` and approvals). Fingerprints are stored as each similarity module writes them."""

    __tablename__ = "catalog_apps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package: Mapped[str] = mapped_column(String(255))
    labels: Mapped[dict] = mapped_column(JSON)  # locale ("" default) -> label
    developer: Mapped[str] = mapped_column(String(200))
    certificates: Mapped[list] = mapped_column(JSON)
    # None is SQL NULL here (not JSON null), so "has an icon / code / resources" is a plain IS NOT NULL.
    cert_subjects: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    permissions: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    icon: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    icon_blob: Mapped[str | None] = mapped_column(String(64))  # the icon as PNG in the blob store, for the panel
    code: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    resources: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    source: Mapped[str] = mapped_column(String(16))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("source IN ('add', 'import', 'approved')", name="source_valid"),
        Index("ix_catalog_apps_package", "package"),
        Index("ux_catalog_apps_submission", "submission_id", unique=True),
    )


class CloneComparison(Base):
    """The clone search's answer for an artifact: the verdict and the candidates with every signal."""

    __tablename__ = "clone_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"))
    verdict: Mapped[str] = mapped_column(String(32))
    candidates: Mapped[list] = mapped_column(JSON)
    catalog_size: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "verdict IN ('counterfeit_suspected', 'same_developer_family', 'no_match')", name="verdict_valid"
        ),
        Index("ix_clone_results_artifact", "artifact_id", "id"),
    )


class ProtectedName(Base):
    """A brand registry entry kept by leads: an app name that only its owner may use."""

    __tablename__ = "protected_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    developer: Mapped[str] = mapped_column(String(200))  # the owner
    package: Mapped[str | None] = mapped_column(String(255))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ux_protected_names_name", "name", unique=True),)


class ResourceCount(Base):
    """In how many catalog apps a resource file (its digest) occurs: files that very many apps carry (a
    template's stock files) say nothing about who copied whom."""

    __tablename__ = "resource_counts"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    apps: Mapped[int] = mapped_column(Integer)


class DeviceRunRow(Base):
    """One import of device results (a Test Lab folder, a manifest) or one adb capture, for an artifact.

    A capture is "running" while its devices report; a reviewer stops it by setting `cancel_requested`, which
    the worker reads between steps."""

    __tablename__ = "device_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    artifact_id: Mapped[int] = mapped_column(ForeignKey("artifacts.id"))
    source: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16))
    devices_total: Mapped[int] = mapped_column(Integer, default=0)
    devices_done: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    warnings: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("source IN ('test_lab', 'manifest', 'adb')", name="source_valid"),
        CheckConstraint("state IN ('running', 'done', 'failed', 'cancelled')", name="state_valid"),
        Index("ix_device_runs_artifact", "artifact_id", "id"),
    )


class DeviceResultRow(Base):
    """What one device did in a run; NULL in installed/launched/crashed: the results do not say."""

    __tablename__ = "device_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("device_runs.id"))
    position: Mapped[int] = mapped_column(Integer)
    device: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200))
    os_version: Mapped[str | None] = mapped_column(String(32))
    api_level: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str | None] = mapped_column(String(64))
    orientation: Mapped[str | None] = mapped_column(String(16))
    virtual: Mapped[bool | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(16))
    installed: Mapped[bool | None] = mapped_column()
    launched: Mapped[bool | None] = mapped_column()
    crashed: Mapped[bool | None] = mapped_column()
    crashes: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    flags: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    messages: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (
        CheckConstraint("outcome IN ('success', 'failure', 'inconclusive', 'skipped', 'flaky')", name="outcome_valid"),
        Index("ix_device_results_run", "run_id", "position"),
    )


class DeviceScreenshotRow(Base):
    """A screenshot of a device result; the image is in the blob store under `blob`."""

    __tablename__ = "device_screenshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("device_results.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    blob: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(32), default="")
    phash: Mapped[str] = mapped_column(String(16), default="")
    flags: Mapped[list | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (Index("ix_device_screenshots_result", "result_id", "position"),)


class AuditEventRow(Base):
    """The audit trail: who did what and when, each event chained to the one before by its hash
    (store/chain.py), so that an edit, a deletion or a reordering shows. Append-only: triggers refuse
    UPDATE and DELETE; on PostgreSQL for every role but the table's owner, and a trigger fills id, at,
    actor and the hashes itself (migration 0011)."""

    __tablename__ = "audit_events"

    # The previous event's + 1: given by the store on SQLite, by the trigger on PostgreSQL.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, server_default=FetchedValue())
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(500))
    details: Mapped[str] = mapped_column(Text)  # canonical JSON text, exactly as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint(f"action IN ({', '.join(repr(a) for a in AUDIT_ACTIONS)})", name="action_valid"),
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_actor", "actor", "id"),
        Index("ix_audit_events_action", "action", "id"),
        Index("ix_audit_events_subject", "subject", "id"),
    )
