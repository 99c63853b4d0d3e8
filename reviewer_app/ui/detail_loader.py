"""Loading the selected submission into the submission view: claimed and read on the database worker,
its code compared with the last approved version on the parsing thread (ui/code_compare.py), results for
a submission that is no longer selected dropped. The claim follows the selection: the one before is given back, the one on
show is renewed on a heartbeat (`review.claims.ClaimTracker` says which).

While the database does not answer, a submission loaded before shows as it was then (with a notice); the
code comparison needs only the APK files, so it still runs.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal

from reviewer_app.review.claims import ClaimTracker
from reviewer_app.review.detail import ReviewDetail, load_detail
from reviewer_app.review.session import is_unreachable, one_line
from reviewer_app.ui.code_compare import CodeComparison
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.submission_view import SubmissionView, scaled_icon
from reviewer_app.ui.text import local_time_text


def load_for_view(service: Any, submission_id: int, claim: bool = True) -> ReviewDetail:
    """On the database worker: the detail, with its icon decoded for the header."""
    detail = load_detail(service, submission_id, claim=claim)
    facts = detail.view.facts
    detail.icon = scaled_icon(facts.icon_png if facts is not None else None)
    return detail


class DetailLoader(QObject):
    sig_loaded = Signal(object)  # ReviewDetail now on show
    sig_failed = Signal(int, str)  # submission id, one line (not for "offline": that shows what it has)
    sig_released = Signal(int)  # a claim was given back: the row changed
    sig_lapsed = Signal(int)  # the claim on the submission on show ran out (someone else may decide it)
    sig_claimed_next = Signal(object)  # ClaimRecord of Get next, or None: nothing to claim

    MAX_CACHED = 200  # details the reviewer can still read while the database does not answer

    def __init__(
        self,
        jobs: DbJobs,
        code: CodeComparison,
        view: SubmissionView,
        claims: ClaimTracker,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.code = code
        self.view = view
        self.claims = claims
        self._clock = clock
        self._tokens = itertools.count(1)
        self._token = 0
        self.shown_id: int | None = None
        self.offline = False  # what is on show was loaded before the database stopped answering
        self._details: OrderedDict[int, tuple[ReviewDetail, datetime]] = OrderedDict()
        code.sig_compared.connect(self._on_compared)
        jobs.sig_reachability.connect(self._on_reachability)

    def cached(self, submission_id: int) -> ReviewDetail | None:
        entry = self._details.get(submission_id)
        return entry[0] if entry is not None else None

    # -- loading ---------------------------------------------------------------------------------

    def show(self, submission_id: int | None, online: bool, row: Any = None) -> None:
        """Show this submission (claiming it, giving back the one before), or nothing; offline, what was
        loaded before."""
        self.release(self.claims.let_go(submission_id, online))
        self.shown_id = submission_id
        self._token = next(self._tokens)
        if submission_id is None:
            self.offline = False
            self.view.show_empty()
            return
        if not online:
            self._show_offline(submission_id, row)
            return
        self.offline = False
        self.view.show_loading(submission_id, row)
        self.claims.showing(submission_id)
        self._load(submission_id, claim=True)

    def rows_changed(self, rows: list[Any], reviewer: str) -> None:
        """Rows changed on other workstations: someone else holding the one on show is worth showing."""
        for row in rows:
            if row.submission_id == self.shown_id and row.claimed_by != reviewer and not self.offline:
                self.reload()

    def reload(self) -> None:
        """The one on show again, without claiming it (someone else's claim or decision changed it)."""
        if self.shown_id is not None:
            self._token = next(self._tokens)
            self._load(self.shown_id, claim=False)

    def _load(self, submission_id: int, claim: bool) -> None:
        token = self._token
        self.jobs.run(
            lambda service: load_for_view(service, submission_id, claim=claim),
            on_success=partial(self._on_detail, token),
            on_failure=partial(self._on_failed, token, submission_id),
            label="submission detail",
        )

    def _remember(self, detail: ReviewDetail) -> None:
        sid = detail.submission_id
        self._details[sid] = (detail, self._clock())
        self._details.move_to_end(sid)
        while len(self._details) > self.MAX_CACHED:
            self._details.popitem(last=False)

    def _on_detail(self, token: int, detail: ReviewDetail) -> None:
        self._remember(detail)
        if token != self._token or detail.submission_id != self.shown_id:
            return  # the reviewer has moved on
        self.offline = False
        if detail.claim_error:
            self.claims.not_held(detail.submission_id)  # not ours: nothing to renew or give back
        self.view.show_detail(detail, self._clock())
        self._compare_code(detail)
        self.sig_loaded.emit(detail)

    def _on_failed(self, token: int, submission_id: int, exc: BaseException) -> None:
        self.claims.not_held(submission_id)
        if token != self._token:
            return
        if is_unreachable(exc):
            self._show_offline(submission_id, None)
            return
        text = (
            self.tr("Could not load submission %1: %2").replace("%1", str(submission_id)).replace("%2", one_line(exc))
        )
        self.view.show_error(submission_id, text)
        self.sig_failed.emit(submission_id, one_line(exc))

    def _show_offline(self, submission_id: int, row: Any) -> None:
        """The database does not answer: show what was loaded before, or say why there is nothing."""
        self.offline = True
        self.claims.not_held(submission_id)
        cached = self._details.get(submission_id)
        if cached is None:
            self.view.show_loading(submission_id, row)
            self.view.show_error(
                submission_id,
                self.tr(
                    "Offline: submission %1 was not loaded before the database stopped answering. "
                    "A decision on it is kept on this computer and sent when the database answers again."
                ).replace("%1", str(submission_id)),
            )
            return
        detail, loaded_at = cached
        self.view.show_detail(detail, self._clock())
        self._compare_code(detail)  # the APKs are files: no database needed
        self.view.add_notice(
            self.tr("Offline: shown as loaded at %1; it may have changed since.").replace(
                "%1", local_time_text(loaded_at)
            )
        )
        self.sig_loaded.emit(detail)

    # -- claims ----------------------------------------------------------------------------------

    def release(self, submission_id: int | None) -> None:
        if submission_id is None:
            return

        def failed(exc: BaseException) -> None:
            if is_unreachable(exc):
                self.claims.release_failed(submission_id)
            else:
                self.sig_failed.emit(submission_id, one_line(exc))

        self.jobs.run(
            lambda service: service.release(submission_id),
            on_success=lambda _released: self.sig_released.emit(submission_id),
            on_failure=failed,
            label="release claim",
        )

    def renew(self, online: bool) -> None:
        """Heartbeat: extend the claim on the submission on show."""
        held = self.claims.to_renew(online)
        if held is None:
            return

        def renewed(still_held: bool) -> None:
            if not still_held and self.claims.lapsed(held):
                self.sig_lapsed.emit(held)
                self.reload()

        self.jobs.run(lambda service: service.renew(held), on_success=renewed, label="renew claim")

    def _on_reachability(self, reachable: bool, _why: str) -> None:
        if reachable:  # the claims it could not give back while the database was down
            for submission_id in self.claims.reachable_again():
                self.release(submission_id)

    def claim_next(self) -> None:
        """Get next: give back what is held, claim the most urgent submission."""
        held = self.claims.for_get_next()

        def claim_next(service: Any) -> Any:
            if held is not None:
                service.release(held)
            return service.claim_next()

        def claimed(claim: Any) -> None:
            if claim is not None:
                self.claims.took_next(claim.submission_id, self.shown_id)
            self.sig_claimed_next.emit(claim)

        self.jobs.run(claim_next, on_success=claimed, label="get next")

    def on_close(self) -> None:
        held = self.claims.on_close()
        if held is not None:
            self.jobs.run(lambda service: service.release(held), label="release claim")

    # -- the code comparison of an update ----------------------------------------------------------

    def _compare_code(self, detail: ReviewDetail) -> None:
        """The Facts panel says what the update's code adds once `CodeComparison` has read both versions."""
        if detail.code_paths is not None:
            self.view.show_update(detail.submission_id, "code", self.code.compare(detail.code_paths))

    def _on_compared(self, paths: tuple[str, str], text: str) -> None:
        shown = self.view.data
        if shown is not None and shown.code_paths == paths:
            self.view.show_update(shown.submission_id, "code", text)
