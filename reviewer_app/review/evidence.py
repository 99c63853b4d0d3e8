"""Evidence frozen with a decision: what the reviewer had before them, kept so that an audit months later
shows that and not what the database holds by then (new scans, device runs, clone results, re-filed facts).

`freeze` turns a submission as read when its decision is sent into plain JSON: the submission's row as the
reviewer saw it (open, nobody's claim), the package's facts and the last approved version's, the update
comparison, the red flags, the scans with every engine's versions, the clone candidates with their
signals, the device runs with their screenshots' blob hashes, the listing images, the other submissions of
the app and the decisions taken on this one before. Blobs are named by hash, never copied: the blob store
is content-addressed and keeps everything. `canonical` gives the exact text and its SHA-256, the key it is
stored under (so identical evidence is stored once). `thaw` builds the same records back, for the same
evidence panels.

A decision made offline waits in the journal and is frozen when it is sent: its evidence is the
submission as it was then, which is what the database had for it at the moment it was recorded.

The code comparison of an update (classes added and removed, new packages: what the reviewer's Facts
panel said) is not stored here; the snapshot keeps the two APKs' hashes (`previous_artifact_sha256`,
`artifact_sha256`) and an audit compares those two blobs again. That gives what the reviewer saw, since the
blob store is content-addressed and a blob's bytes never change, and storing the summary instead would be
neither cheap nor honest: the comparison reads both APKs' DEX classes (a second or more for a large app),
which the sending of a decision must not wait for; the reviewer's window is not part of sending (a decision
goes from the journal, or from the command line, with whatever the database holds), so it could only
hand over a text it says it showed, present or not depending on whether the reviewer waited for it, from
a client that is not a security boundary. What an audit recomputes is today's program's reading of the
same bytes; where a blob has gone from the store, the audit says in one line that the code could not be
compared.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, Union

from reviewer_app.apk.diff import VersionDiff
from reviewer_app.domain import (
    CloneResult,
    DatabaseUnavailable,
    DecisionRecord,
    DeviceRun,
    DeviceScreenshot,
    NotFound,
    QueueRow,
    RedFlag,
    ScanRecord,
    SubmissionDetail,
    VersionRecord,
)

log = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
OPEN_STATUSES = ("pending", "escalated")


def plain(value: Any) -> Any:
    """A record as JSON values: dataclasses as objects of their fields, tuples as lists, times as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} has no place in frozen evidence")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def typed(hint: Any, value: Any) -> Any:
    """`plain`'s output back as `hint` says: fields a newer version added take their defaults, fields an
    older one had and this one dropped are ignored."""
    if value is None or hint is Any:
        return value
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        arms = [arm for arm in typing.get_args(hint) if arm is not type(None)]
        return typed(arms[0], value) if len(arms) == 1 else value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        names = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{name: typed(hints[name], item) for name, item in value.items() if name in names})
    args = typing.get_args(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(typed(args[0], item) for item in value)
        return tuple(typed(arg, item) for arg, item in zip(args, value, strict=False))
    if origin is list:
        return [typed(args[0] if args else Any, item) for item in value]
    if origin is dict:
        return {key: typed(args[1] if args else Any, item) for key, item in value.items()}
    if hint is float:
        return float(value)
    return value


def freeze(
    detail: SubmissionDetail, changes: VersionDiff | None, flags: tuple[RedFlag, ...], decided_at: datetime
) -> dict[str, Any]:
    """The evidence of a submission as read when its decision is sent (`detail` read with or without its
    icon's bytes: the icon is named by its blob). Decisions taken on it at or after `decided_at` are not
    evidence of this one."""
    row = dataclasses.replace(
        detail.row,
        status=detail.row.status if detail.row.status in OPEN_STATUSES else "pending",
        claimed_by=None,
        lease_until=None,
    )
    return {
        "version": SNAPSHOT_VERSION,
        "row": plain(row),
        "artifact_sha256": detail.artifact_sha256,
        "facts": detail.facts,
        "icon_blob": detail.icon_blob,
        "note": detail.note,
        "previous_facts": detail.previous_facts,
        "previous_artifact_sha256": detail.previous_artifact_sha256,
        "changes": plain(changes),
        "red_flags": [flag.to_json() for flag in flags],
        "decisions": [plain(d) for d in detail.decisions if d.decided_at < decided_at],
        "versions": plain(detail.versions),
        "scans": plain(detail.scans),
        "clones": plain(detail.clones),
        "device_runs": plain(detail.device_runs),
        "previous_device_run": plain(detail.previous_device_run),
        "listing_images": plain(detail.listing_images),
        "withdrawn_at": plain(detail.withdrawn_at),
        "withdrawn_reason": detail.withdrawn_reason,
    }


def canonical(body: dict[str, Any]) -> tuple[str, str]:
    """(SHA-256, text): the one text of this evidence (sorted keys, no spaces, UTF-8) and its hash."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), text


@dataclasses.dataclass(frozen=True)
class ThawedEvidence:
    detail: SubmissionDetail  # no job in flight, no claim, nothing decided after the evidence was frozen
    changes: VersionDiff | None
    red_flags: tuple[RedFlag, ...]


def thaw(text: str, icon_png: bytes | None = None) -> ThawedEvidence:
    """Frozen evidence back as records; a ValueError for text that is not a snapshot this program reads."""
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the frozen evidence is not JSON ({exc})") from None
    if not isinstance(body, dict) or body.get("version") != SNAPSHOT_VERSION:
        raise ValueError("the frozen evidence is of a version this program does not read")
    try:
        row: QueueRow = typed(QueueRow, body["row"])
        detail = SubmissionDetail(
            row=row,
            artifact_sha256=body.get("artifact_sha256"),
            facts=body.get("facts"),
            icon_png=icon_png,
            note=body.get("note"),
            row_version=0,
            decisions=typed(tuple[DecisionRecord, ...], body.get("decisions") or []),
            previous_facts=body.get("previous_facts"),
            previous_artifact_sha256=body.get("previous_artifact_sha256"),
            versions=typed(tuple[VersionRecord, ...], body.get("versions") or []),
            scans=typed(tuple[ScanRecord, ...], body.get("scans") or []),
            withdrawn_at=typed(datetime, body.get("withdrawn_at")),
            withdrawn_reason=body.get("withdrawn_reason"),
            clones=typed(CloneResult, body.get("clones")),
            device_runs=typed(tuple[DeviceRun, ...], body.get("device_runs") or []),
            previous_device_run=typed(DeviceRun, body.get("previous_device_run")),
            listing_images=typed(tuple[DeviceScreenshot, ...], body.get("listing_images") or []),
            icon_blob=body.get("icon_blob"),
        )
        changes = typed(VersionDiff, body.get("changes"))
        flags = tuple(RedFlag.from_json(flag) for flag in body.get("red_flags") or ())
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"the frozen evidence is incomplete ({exc})") from None
    return ThawedEvidence(detail, changes, flags)


def evidence_of(
    service: Any, submission_id: int, decided_at: datetime, require_open: bool = True
) -> tuple[str, str] | None:
    """(SHA-256, text) of a submission's evidence now, for its decision about to be sent; None when there is
    no such submission or it is decided already (the database refuses the decision then)."""
    from reviewer_app.apk.facts import ApkFacts
    from reviewer_app.review.detail import detail_flags
    from reviewer_app.review.service import SubmissionView

    try:
        detail = service.store.detail(submission_id, icon=False, jobs=False)
    except NotFound:
        return None
    if require_open and detail.row.status not in OPEN_STATUSES:
        return None
    facts = ApkFacts.from_json(detail.facts) if detail.facts else None
    previous = ApkFacts.from_json(detail.previous_facts) if detail.previous_facts else None
    view = SubmissionView(detail, facts, previous)
    changes = view.changes
    return canonical(freeze(detail, changes, detail_flags(view, changes), decided_at))


def evidence_to_send(service: Any, submission_id: int, decided_at: datetime) -> tuple[str, str] | None:
    """`evidence_of` for a decision being sent: a database that does not answer stops the sending (the
    decision waits in the journal); anything else that keeps the evidence from being read is logged and
    the decision goes without it, since a decision is never held back, let alone lost, for its evidence."""
    try:
        return evidence_of(service, submission_id, decided_at)
    except DatabaseUnavailable:
        raise
    except Exception:
        log.exception("the evidence of a decision on submission %s could not be frozen", submission_id)
        return None
