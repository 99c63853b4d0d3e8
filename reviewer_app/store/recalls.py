"""Pulling a live app: a lead's recall (the app withdrawn, with the reason and what they saw) and a
rollback (the current version withdrawn, the version approved before it live again).

A recall by a lead is a recall case opened and closed at once, so it stands in the same list as the cases
re-scans open; a rollback withdraws one artifact, and every "last approved version" the workstation reads
(what an update is compared with, its device screenshots) then skips it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import NotFound, RecallCase, Rollback, StoreError
from reviewer_app.store.base import StoreBase, live_versions
from reviewer_app.store.scans import _artifact_names, _recall_case
from reviewer_app.store.schema import App, Artifact, Recall, RecallCaseRow, Submission


class RecallWrites(StoreBase):
    def recall_live_app(self, package: str, reason: str, by: str, now: datetime) -> RecallCase:
        """A lead withdraws a live app from the store: a recall case in their name, closed as recalled."""
        self._require_lead(by)
        reason = reason.strip()
        if not reason:
            raise StoreError("a recall needs a reason")
        with self._writing() as s:
            app = s.execute(select(App).where(App.package == package)).scalar_one_or_none()
            if app is None:
                raise NotFound(f"no app {package}")
            if app.withdrawn_at is not None:
                raise StoreError(f"{package} was already recalled ({app.withdrawn_reason or 'no reason given'})")
            live = _live_versions(s, package)
            if not live:
                raise StoreError(f"{package} has no approved version: there is nothing live to recall")
            submission_id, artifact_id, _version = live[0]
            case = RecallCaseRow(package=package, app_id=app.id, submission_id=submission_id, artifact_id=artifact_id,
                                 scan_id=None, source="lead", opened_by=by, opened_at=now, evidence=[],
                                 state="recalled", closed_by=by, closed_at=now, note=reason)  # fmt: skip
            s.add(case)
            app.withdrawn_at, app.withdrawn_reason = now, reason
            s.add(Recall(id=str(uuid.uuid4()), package=package, submission_id=submission_id, recalled_by=by,
                         recalled_at=now, reason=reason))  # fmt: skip
            s.flush()
            self._append_event(s, "recall", f"recall_case:{case.id}", {"package": package, "note": reason})
            art = s.get(Artifact, artifact_id)
            return _recall_case(case, *_artifact_names(art))

    def rollback_app(self, package: str, reason: str, by: str, now: datetime) -> Rollback:
        """Withdraw the live version of `package` (a broken release): the version approved before it is
        live again. Refused when there is no earlier approved version to go back to."""
        self._require_lead(by)
        reason = reason.strip()
        if not reason:
            raise StoreError("a rollback needs a reason")
        with self._writing() as s:
            live = _live_versions(s, package)
            if not live:
                raise NotFound(f"{package} has no approved version")
            if len(live) < 2:
                raise StoreError(f"{package} has no earlier approved version to go back to")
            (current_id, current_artifact, current_version), (previous_id, _artifact, previous_version) = live[:2]
            s.execute(
                update(Artifact)
                .where(Artifact.id == current_artifact)
                .values(withdrawn_at=now, withdrawn_by=by, withdrawn_reason=reason)
                .execution_options(synchronize_session=False)
            )
            s.add(Recall(id=str(uuid.uuid4()), package=package, submission_id=current_id, recalled_by=by,
                         recalled_at=now, reason=f"rolled back: {reason}"))  # fmt: skip
            s.flush()
            self._append_event(
                s, "rollback", f"submission:{current_id}",
                {"package": package, "to_submission": previous_id, "reason": reason},
            )  # fmt: skip
            return Rollback(package, current_id, current_version, previous_id, previous_version, reason, by, now)


def _live_versions(s: Session, package: str) -> list[tuple[int, int, str | None]]:
    """(submission, artifact, version name) of the approved versions of a package not withdrawn, newest first."""
    rows = s.execute(live_versions(package, Submission.id, Artifact.id, Artifact.version_name)).all()
    return [(int(a), int(b), c) for a, b, c in rows]
