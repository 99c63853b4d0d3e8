"""The domain: submissions, queue, SLA, claims and decisions."""

from reviewer_app.review.reasons import REASON_CODES, REASONS, ReasonCode
from reviewer_app.review.service import (
    DecideOutcome,
    ReviewError,
    ReviewService,
    SubmissionView,
    SubmitOutcome,
    local_journal_status,
    utc_now,
)
from reviewer_app.review.sla import SlaPolicy, format_time_left
from reviewer_app.store import (
    KINDS,
    OPEN_STATUSES,
    AlreadyDecided,
    ClaimRecord,
    DatabaseError,
    DatabaseUnavailable,
    DatabaseUrlError,
    DecisionRecord,
    HeldByOther,
    NotFound,
    QueueRow,
    StoreError,
    iso_utc,
)

__all__ = [
    "KINDS",
    "OPEN_STATUSES",
    "REASONS",
    "REASON_CODES",
    "AlreadyDecided",
    "ClaimRecord",
    "DatabaseError",
    "DatabaseUnavailable",
    "DatabaseUrlError",
    "DecideOutcome",
    "DecisionRecord",
    "HeldByOther",
    "NotFound",
    "QueueRow",
    "ReasonCode",
    "ReviewError",
    "ReviewService",
    "SlaPolicy",
    "StoreError",
    "SubmissionView",
    "SubmitOutcome",
    "format_time_left",
    "iso_utc",
    "local_journal_status",
    "utc_now",
]
