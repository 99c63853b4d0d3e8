"""What a lead does after an audit that disagrees: reopen the submission into the queue, recall the app
through a recall case, or write the reviewer a note that their window shows until they have read it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from reviewer_app.domain import NotFound, PermissionDenied, RecallCase, ReviewerNote, StoreError
from reviewer_app.store.base import StoreBase
from reviewer_app.store.errors import IntegrityViolation
from reviewer_app.store.schema import (
    App,
    Artifact,
    Decision,
    RecallCaseRow,
    Submission,
    UTCDateTime,
)
from reviewer_app.store.schema import ReviewerNote as NoteRow

NOTES_SHOWN = 200


class OutcomeWrites(StoreBase):
    # -- reopening -------------------------------------------------------------------------------

    def reopen_submission(self, submission_id: int, deadline: datetime, by: str) -> bool:
        """A decided submission back into the queue, pending, with a fresh deadline; False when it is not
        decided (open already). PostgreSQL lets leads do it through reopen_submission() (migration 0015)."""
        self._require_lead(by)
        if self.backend == "postgresql":
            call = select(
                func.reopen_submission(bindparam("id", submission_id), bindparam("deadline", deadline, UTCDateTime()))
            )
            with self._writing() as s:
                reopened = bool(s.execute(call).scalar())
                if reopened:
                    self._append_event(s, "reopen", f"submission:{submission_id}")
        else:
            with self._writing() as s:
                result = s.execute(
                    update(Submission)
                    .where(Submission.id == submission_id, Submission.status.in_(("approved", "rejected")))
                    .values(
                        status="pending",
                        deadline=deadline,
                        claimed_by=None,
                        lease_until=None,
                        row_version=Submission.row_version + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                reopened = bool(getattr(result, "rowcount", 0))
                if reopened:
                    self._append_event(s, "reopen", f"submission:{submission_id}")
        if not reopened and self.submission_status(submission_id) is None:
            raise NotFound(f"no submission {submission_id}")
        return reopened

    # -- recalling -------------------------------------------------------------------------------

    def recall_submission(self, submission_id: int, by: str, reason: str, now: datetime) -> RecallCase:
        """Recall the app of an approved submission: a recall case opened by the lead (or the one a re-scan
        opened for its package already), closed as recalled, which withdraws the app (close_recall_case)."""
        self._require_lead(by)
        try:
            with self._writing() as s:
                case_id = self._open_case(s, submission_id, by, reason, now)
        except IntegrityViolation:  # a re-scan opened a case for the package at this moment
            raise StoreError(
                f"a recall case for submission {submission_id} was opened meanwhile: recall it there"
            ) from None
        return self.close_recall_case(case_id, "recalled", by, reason, now)  # type: ignore[attr-defined]

    def _open_case(self, s: Session, submission_id: int, by: str, reason: str, now: datetime) -> int:
        sub = s.get(Submission, submission_id)
        if sub is None:
            raise NotFound(f"no submission {submission_id}")
        if sub.status != "approved":
            raise StoreError(f"submission {submission_id} is {sub.status}: only an approved app can be recalled")
        app = s.get(App, sub.app_id) if sub.app_id else None
        if app is None:
            raise StoreError(f"submission {submission_id} has no app to recall")
        if app.withdrawn_at is not None:
            raise StoreError(f"{app.package} was recalled already")
        if sub.artifact_id is not None:
            open_case = s.execute(
                select(RecallCaseRow.id).where(
                    RecallCaseRow.artifact_id == sub.artifact_id, RecallCaseRow.state == "open"
                )
            ).scalar()
            if open_case is not None:
                return int(open_case)
        art = s.get(Artifact, sub.artifact_id) if sub.artifact_id else None
        case = RecallCaseRow(
            package=art.package if art else app.package,
            app_id=app.id,
            submission_id=submission_id,
            artifact_id=sub.artifact_id,
            source="lead",
            opened_by=by,
            opened_at=now,
            evidence=[],
            state="open",
            note=reason,
        )
        s.add(case)
        s.flush()
        return case.id

    # -- notes to reviewers ----------------------------------------------------------------------

    def add_reviewer_note(self, to: str, by: str, decision_id: str | None, text: str, now: datetime) -> ReviewerNote:
        self._require_lead(by)
        with self._writing() as s:
            note = NoteRow(to_reviewer=to, from_reviewer=by, decision_id=decision_id, text=text, created_at=now)
            s.add(note)
            s.flush()
            submission_id = (
                s.execute(select(Decision.submission_id).where(Decision.id == decision_id)).scalar()
                if decision_id
                else None
            )
            self._append_event(s, "note", f"user:{to}", {"decision": decision_id})
            return _note(note, submission_id)

    def reviewer_notes(self, to: str, unread_only: bool = True, limit: int = NOTES_SHOWN) -> list[ReviewerNote]:
        """Notes to `to`, newest first."""
        query = (
            select(NoteRow, Decision.submission_id)
            .outerjoin(Decision, Decision.id == NoteRow.decision_id)
            .where(NoteRow.to_reviewer == to)
            .order_by(NoteRow.created_at.desc(), NoteRow.id.desc())
            .limit(limit)
        )
        if unread_only:
            query = query.where(NoteRow.read_at.is_(None))
        with self._reading() as s:
            return [_note(note, submission_id) for note, submission_id in s.execute(query)]

    def mark_notes_read(self, note_ids: Sequence[int], reader: str, now: datetime) -> int:
        """Mark the reader's own notes read; how many were unread."""
        if not note_ids:
            return 0
        with self._writing() as s:
            owners = set(s.execute(select(NoteRow.to_reviewer).where(NoteRow.id.in_(list(note_ids)))).scalars())
            if owners - {reader} and self.backend != "postgresql":
                raise PermissionDenied(f"{reader} may only mark their own notes read")
            result = s.execute(
                update(NoteRow)
                .where(NoteRow.id.in_(list(note_ids)), NoteRow.to_reviewer == reader, NoteRow.read_at.is_(None))
                .values(read_at=now)
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0) or 0)


def _note(note: NoteRow, submission_id: int | None) -> ReviewerNote:
    return ReviewerNote(
        note_id=note.id,
        to_reviewer=note.to_reviewer,
        from_reviewer=note.from_reviewer,
        decision_id=note.decision_id,
        submission_id=submission_id,
        text=note.text,
        created_at=note.created_at,
        read_at=note.read_at,
    )
