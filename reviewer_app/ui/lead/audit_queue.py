"""The lead mode's *Audit queue* tab: the sampled decisions, and the blind re-review of one.

A lead picks an entry and presses Audit: it is claimed and its frozen evidence (what the reviewer had when
deciding) opens in the same evidence panels as the queue's, over a form for the lead's own verdict. Only
once that is recorded does the review layer give the original decision: then both are shown side by side
with the differences, and the outcomes (keep, reopen, recall, a note to the reviewer) are offered. Every
call that reads or writes the database runs on the database worker (`DbJobs`).

The audit of an update shows the code comparison its reviewer saw: the same `CodeComparison` as the review
queue's, run on the parsing thread over the two blobs the frozen evidence names (content-addressed, so the
same bytes the reviewer's window compared); a blob missing from the store gives one line saying so.
"""

from __future__ import annotations

import secrets
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import audits, sampling
from reviewer_app.ui.code_compare import CodeComparison
from reviewer_app.ui.evidence.widgets import BANNER_STYLE, WARNING_STYLE, plain_label
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.lead.audit_compare import AuditComparisonView
from reviewer_app.ui.lead.audit_form import AuditForm
from reviewer_app.ui.lead.audit_list import AuditList
from reviewer_app.ui.lead.recall_list import ReasonDialog, open_dialog
from reviewer_app.ui.lead.sampling_dialog import SamplingSettingsDialog
from reviewer_app.ui.submission_view import SubmissionView, scaled_icon
from reviewer_app.ui.text import local_time_text

PAGE_NONE, PAGE_AUDIT = range(2)
SHOW_OPEN, SHOW_ALL = range(2)


def open_for_audit(service: Any, decision_id: str) -> Any:
    """On the database worker: the blind view, its icon decoded for the header."""
    audit = audits.open_audit(service, decision_id)
    audit.detail.icon = scaled_icon(audit.detail.view.detail.icon_png)
    return audit


class SampleDialog(QDialog):
    """How much to sample now: the share, the seed (a fresh one by default) and a new reviewer's first N."""

    def __init__(self, rate: float, first_n: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sample decisions for audits"))
        self.setObjectName("sampleDialog")
        form = QFormLayout(self)
        self.rate_spin = QDoubleSpinBox(self)
        self.rate_spin.setRange(0.0, 100.0)
        self.rate_spin.setDecimals(1)
        self.rate_spin.setSuffix(" %")
        self.rate_spin.setValue(rate * 100)
        form.addRow(self.tr("&Share of each reviewer's decisions:"), self.rate_spin)
        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setValue(secrets.randbelow(2**31))
        self.seed_spin.setToolTip(self.tr("The same seed over the same decisions gives the same sample"))
        form.addRow(self.tr("S&eed:"), self.seed_spin)
        self.first_spin = QSpinBox(self)
        self.first_spin.setRange(0, 100_000)
        self.first_spin.setValue(first_n)
        form.addRow(self.tr("&All of a new reviewer's first:"), self.first_spin)
        note = plain_label(self)
        note.setText(self.tr("Every reviewer and kind with decisions gets at least one; decisions sampled or "
                             "audited before are left out."))  # fmt: skip
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(self.tr("Sample"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[float, int, int]:
        return self.rate_spin.value() / 100, self.seed_spin.value(), self.first_spin.value()


class AuditQueueTab(QWidget):
    """The audit queue and the audit of one entry; `sig_queue_changed` when a submission went back into
    the review queue (the window reloads it), `sig_recalled` when the audited app was recalled,
    `sig_log(text, error)` for the activity log."""

    sig_log = Signal(str, bool)
    sig_queue_changed = Signal()
    sig_blind = Signal(bool)  # a blind audit is open (True) or recorded / closed (False)
    sig_recalled = Signal()  # the audited app was recalled: a recall case more

    def __init__(
        self, jobs: Any, settings: Any = None, parent: QWidget | None = None, code: CodeComparison | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditQueueTab")
        self.jobs = jobs
        self.code = code  # the code comparison of an update (none: the Facts panel goes without it)
        if code is not None:
            code.sig_compared.connect(self._on_code_compared)
        self.settings = settings
        self.me = str(getattr(settings, "reviewer_name", "") or "")
        self.decision_id: str | None = None  # on show (blind, or compared once recorded)
        self.item: Any = None
        self.audit: Any = None
        self.dialog: QDialog | None = None
        self._sized = False
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        caption = QLabel(self.tr("&Show:"), self)
        top.addWidget(caption)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("auditFilter")
        self.filter_combo.addItems([self.tr("To audit"), self.tr("All, audited too")])
        caption.setBuddy(self.filter_combo)
        self.filter_combo.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.filter_combo)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("auditCount")
        top.addWidget(self.count_label)
        self.message_label = plain_label(self)
        self.message_label.setObjectName("auditMessage")
        self.message_label.setStyleSheet("QLabel { color: #b71c1c; }")
        top.addWidget(self.message_label, 1)
        self.sample_button = QPushButton(self.tr("Sa&mple now…"), self)
        self.sample_button.setObjectName("sampleNow")
        self.sample_button.clicked.connect(self.ask_sample)
        top.addWidget(self.sample_button)
        self.settings_button = QPushButton(self.tr("Sampling se&ttings…"), self)
        self.settings_button.setObjectName("samplingSettings")
        self.settings_button.setToolTip(self.tr("The team's shares of decisions sampled for audits"))
        self.settings_button.clicked.connect(self.ask_settings)
        top.addWidget(self.settings_button)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = AuditList(left)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.sig_chosen.connect(self.open_item)
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.audit_button = QPushButton(self.tr("&Audit"), left)
        self.audit_button.setObjectName("auditButton")
        self.audit_button.setToolTip(self.tr("Claim the selected decision and review its evidence blind"))
        self.audit_button.clicked.connect(lambda: self.open_item(self.list.selected_item()))
        buttons.addWidget(self.audit_button)
        self.release_button = QPushButton(self.tr("Re&lease"), left)
        self.release_button.setObjectName("releaseAudit")
        self.release_button.clicked.connect(self.release)
        buttons.addWidget(self.release_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        self.stack = QStackedWidget(self.splitter)
        self.placeholder = plain_label(self.stack)
        self.placeholder.setObjectName("auditPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("QLabel { color: #555555; padding: 24px; }")
        self.placeholder.setText(self.tr("Choose a sampled decision and press Audit. You see the evidence its "
                                         "reviewer had, not their verdict, until you have recorded yours."))  # fmt: skip
        self.stack.addWidget(self.placeholder)
        page = QSplitter(Qt.Orientation.Vertical, self.stack)
        page.setObjectName("auditPage")
        page.setChildrenCollapsible(False)
        evidence = QWidget(page)
        evidence_layout = QVBoxLayout(evidence)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        evidence_layout.setSpacing(4)
        self.notice_label = plain_label(evidence)
        self.notice_label.setObjectName("auditNotice")
        evidence_layout.addWidget(self.notice_label)
        self.evidence_view = SubmissionView(evidence)
        self.evidence_view.setObjectName("auditEvidence")
        self.evidence_view.sig_run.connect(self._frozen_notice)
        self.evidence_view.sig_reject.connect(self._suggest_reject)
        evidence_layout.addWidget(self.evidence_view, 1)
        self.bottom = QStackedWidget(page)
        self.form = AuditForm(self.bottom)
        self.form.sig_record.connect(self.record)
        self.bottom.addWidget(self.form)
        self.comparison = AuditComparisonView()
        scroll = QScrollArea(self.bottom)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.comparison)
        self.bottom.addWidget(scroll)
        page.setStretchFactor(0, 3)
        page.setStretchFactor(1, 1)
        self.stack.addWidget(page)
        self.page = page
        self.comparison.sig_keep.connect(self.keep)
        self.comparison.sig_reopen.connect(self.ask_reopen)
        self.comparison.sig_recall.connect(self.ask_recall)
        self.comparison.sig_note.connect(self.ask_note)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self._update_buttons()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._fit_splitter)  # once the window has laid itself out

    def _fit_splitter(self) -> None:
        """The list wide enough for its columns, the rest for the evidence."""
        width = self.splitter.width()
        left = min(max(400, width // 3), width // 2)
        self.splitter.setSizes([left, width - left])

    # -- the list --------------------------------------------------------------------------------

    def refresh(self) -> None:
        include_done = self.filter_combo.currentIndex() == SHOW_ALL
        self.jobs.run(lambda service: (service.reviewer, audits.audit_queue(service, include_done)),
                      on_success=self._on_items, on_failure=lambda exc: self._failed(self.tr("The audit queue"), exc),
                      label="audit queue")  # fmt: skip

    def _on_items(self, result: tuple[str, list[Any]]) -> None:
        self.me, items = result
        self.message_label.clear()
        self.list.show_items(items, self.me)
        waiting = sum(1 for i in items if i.state == "open" and not i.by_you)
        self.count_label.setText(self.tr("%1 to audit").replace("%1", str(waiting)))

    def _update_buttons(self) -> None:
        item = self.list.selected_item()
        self.audit_button.setEnabled(item is not None and not item.by_you)
        self.audit_button.setText(self.tr("&Show") if item is not None and item.state == "done" else self.tr("&Audit"))
        self.release_button.setEnabled(item is not None and item.state == "open" and item.claimed_by == self.me)

    def ask_sample(self) -> None:
        """The sample dialog, filled with the team's shares (read on the database worker first)."""

        def failed(exc: BaseException) -> None:
            self._failed(self.tr("Sampling"), exc)

        self.jobs.run(
            sampling.shares_for, on_success=self._ask_sample_with, on_failure=failed, label="sampling settings"
        )

    def _ask_sample_with(self, shares: Any) -> None:
        dialog = SampleDialog(shares.rate, shares.new_reviewer_first_n, self)
        self._open(dialog, lambda: self.sample(*dialog.values(), shares=shares))

    def ask_settings(self) -> None:
        dialog = SamplingSettingsDialog(self.jobs, self)
        saved = self.tr("The team's sampling settings are saved.")
        dialog.sig_saved.connect(lambda _current: self.sig_log.emit(saved, False))
        self._open(dialog, lambda: None)

    def sample(self, rate: float, seed: int, first_n: int, shares: Any = None) -> None:
        """Sample now at `rate`, with the kinds' and reviewers' own shares of `shares` (the team's)."""
        options = {"per_kind": dict(getattr(shares, "per_kind", {}) or {}),
                   "per_reviewer": dict(getattr(shares, "per_reviewer", {}) or {}), "new_reviewer_first_n": first_n}  # fmt: skip

        def done(sampled: list[Any]) -> None:
            self.sig_log.emit(self.tr("%1 decisions sampled for audits (seed %2).").replace("%1", str(len(sampled)))
                              .replace("%2", str(seed)), False)  # fmt: skip
            self.refresh()

        self.jobs.run(lambda service: audits.take_sample(service, rate, seed, **options), on_success=done,
                      on_failure=lambda exc: self._failed(self.tr("Sampling"), exc), label="audit sample")  # fmt: skip

    def release(self) -> None:
        item = self.list.selected_item()
        if item is None:
            return
        if item.decision_id == self.decision_id:
            self.close_audit()
        self.jobs.run(lambda service: audits.release_audit(service, item.item_id), on_success=lambda _: self.refresh(),
                      label="release audit")  # fmt: skip

    # -- the blind re-review ---------------------------------------------------------------------

    def open_item(self, item: Any) -> None:
        """Claim an open entry and show its frozen evidence blind; an audited one with its comparison."""
        if item is None or item.by_you:
            return
        done = item.state == "done"

        def load(service: Any) -> tuple[Any, Any]:
            if not done:
                audits.claim_audit(service, item.item_id)
            audit = open_for_audit(service, item.decision_id)
            return audit, audits.audit_comparison(service, item.decision_id) if done else None

        self.jobs.run(load, on_success=lambda result: self._show(item, *result),
                      on_failure=lambda exc: self._failed(self.tr("Audit of submission %1").replace(
                          "%1", str(item.submission_id)), exc), label="open audit")  # fmt: skip

    def _show(self, item: Any, audit: Any, comparison: Any) -> None:
        self.item, self.audit, self.decision_id = item, audit, audit.decision_id
        self.comparison.clear()
        self.form.reset()
        self.evidence_view.show_detail(audit.detail, audit.decided_at)
        paths = audit.detail.code_paths
        if self.code is not None and paths is not None:
            self.evidence_view.show_update(audit.submission_id, "code", self.code.compare(paths))
        when = local_time_text(audit.decided_at)
        if audit.frozen:
            text = self.tr("Blind audit: the evidence as its reviewer had it when deciding, %1.").replace("%1", when)
            self.notice_label.setStyleSheet(BANNER_STYLE)
        else:
            text = self.tr("No evidence was kept with this decision (%1, before evidence was frozen): shown as "
                           "the database holds it now.").replace("%1", when)  # fmt: skip
            self.notice_label.setStyleSheet(WARNING_STYLE)
        self.notice_label.setText(text)
        self.stack.setCurrentIndex(PAGE_AUDIT)
        if comparison is not None:
            self._on_recorded(comparison)
        else:
            self.sig_blind.emit(True)
            self.bottom.setCurrentWidget(self.form)
            height = self.page.height()
            self.page.setSizes([height - self.form.sizeHint().height(), self.form.sizeHint().height()])
            self.form.setFocus()
        self.refresh()

    def _on_code_compared(self, paths: tuple[str, str], text: str) -> None:
        if self.audit is not None and self.audit.detail.code_paths == paths:
            self.evidence_view.show_update(self.audit.submission_id, "code", text)

    def _suggest_reject(self, reasons: Any) -> None:
        self.form.suggest_reject(tuple(reasons))

    def _frozen_notice(self, _fn: Any, _label: str) -> None:
        self.notice_label.setText(self.tr("The evidence of an audit is as it was at the decision: nothing is run "
                                          "again here. Re-scan from the review queue."))  # fmt: skip
        self.notice_label.setStyleSheet(WARNING_STYLE)

    def record(self, verdict: str, reasons: list[str], note: str) -> None:
        decision_id = self.decision_id
        if decision_id is None:
            return

        def failed(exc: BaseException) -> None:
            self.form.set_busy(False)
            self._failed(self.tr("The audit"), exc)

        self.jobs.run(lambda service: audits.record_audit(service, decision_id, verdict, reasons, note),
                      on_success=self._on_recorded, on_failure=failed, label="record audit")  # fmt: skip

    def _on_recorded(self, comparison: Any) -> None:
        if comparison.original.decision_id != self.decision_id:
            return
        subject = ""
        if self.item is not None:
            subject = f"#{self.item.submission_id}  {self.item.label or self.item.package or ''}".rstrip()
        self.comparison.show_comparison(comparison, subject)
        self.sig_blind.emit(False)
        self.bottom.setCurrentIndex(1)
        height = self.page.height()
        self.page.setSizes([height // 2, height - height // 2])  # the comparison needs the room now
        self.refresh()

    def close_audit(self) -> None:
        self.sig_blind.emit(False)
        self.decision_id, self.item, self.audit = None, None, None
        self.comparison.clear()
        self.form.reset()
        self.evidence_view.show_empty()
        self.stack.setCurrentIndex(PAGE_NONE)

    # -- outcomes --------------------------------------------------------------------------------

    def keep(self) -> None:
        """The decision stands: on to the next entry to audit."""
        after = self.item.item_id if self.item is not None else None
        self.close_audit()
        following = self.list.next_open(after)
        if following is not None:
            self.list.select_item(following.item_id)

    def ask_reopen(self) -> None:
        dialog = ReasonDialog(self.tr("Reopen into the queue"),
                              self.tr("The submission goes back to the review queue with a fresh deadline. "
                                      "Why? (optional, kept in the log)"), self.tr("Reopen"), False, self)  # fmt: skip
        self._open(dialog, lambda: self.reopen(dialog.text()))

    def reopen(self, why: str = "") -> None:
        decision_id = self._current()

        def said(deadline: Any) -> str:
            self.sig_queue_changed.emit()
            text = self.tr("Back in the queue, due %1.").replace("%1", local_time_text(deadline))
            return f"{text} {why}".strip()

        self._outcome(lambda service: audits.reopen_audited(service, decision_id), said, self.tr("Reopening"))

    def ask_recall(self) -> None:
        dialog = ReasonDialog(self.tr("Recall the app"),
                              self.tr("Why is the app recalled? The reason is kept with the recall case and the "
                                      "app's withdrawal."), self.tr("Recall app"), True, self)  # fmt: skip
        self._open(dialog, lambda: self.recall(dialog.text()))

    def recall(self, reason: str) -> None:
        decision_id = self._current()

        def said(case: Any) -> str:
            self.sig_recalled.emit()
            return (self.tr("Recalled: %1 is withdrawn from the store (recall case %2).")
                    .replace("%1", case.package).replace("%2", str(case.case_id)))  # fmt: skip

        self._outcome(lambda service: audits.recall_audited(service, decision_id, reason), said, self.tr("Recalling"))

    def ask_note(self) -> None:
        dialog = ReasonDialog(self.tr("Note to the reviewer"),
                              self.tr("What should the reviewer know about this decision? They see it in their "
                                      "window."), self.tr("Send note"), True, self)  # fmt: skip
        self._open(dialog, lambda: self.note(dialog.text()))

    def note(self, text: str) -> None:
        decision_id = self._current()
        self._outcome(lambda service: audits.note_to_reviewer(service, decision_id, text),
                      lambda note: self.tr("Note sent to %1.").replace("%1", note.to_reviewer),
                      self.tr("The note"))  # fmt: skip

    def _current(self) -> str:
        return self.decision_id or ""

    def _outcome(self, fn: Any, said: Any, what: str) -> None:
        """Run an outcome; say what it did (`said(result)` gives the words), then show how the decision
        stands now (reopened, recalled), the words kept under it."""
        decision_id = self.decision_id

        def succeeded(result: Any) -> None:
            text = said(result)
            self.sig_log.emit(text, False)
            self.comparison.set_status(text)
            if decision_id is not None and decision_id == self.decision_id:

                def shown(comparison: Any) -> None:
                    self._on_recorded(comparison)
                    self.comparison.set_status(text)

                self.jobs.run(lambda service: audits.audit_comparison(service, decision_id), on_success=shown,
                              label="audit comparison")  # fmt: skip

        self.jobs.run(fn, on_success=succeeded, on_failure=lambda exc: self._failed(what, exc), label="audit outcome")

    def _failed(self, what: str, exc: BaseException) -> None:
        text = self.tr("%1: %2").replace("%1", what).replace("%2", one_line(exc))
        self.sig_log.emit(text, True)
        if self.stack.currentIndex() == PAGE_AUDIT and self.bottom.currentIndex() == 1:
            self.comparison.set_status(text)
        elif self.stack.currentIndex() == PAGE_AUDIT:
            self.form.problem_label.setText(text)
        else:
            self.message_label.setText(text)

    def _open(self, dialog: QDialog, accepted: Any) -> None:
        open_dialog(self, dialog, accepted)
