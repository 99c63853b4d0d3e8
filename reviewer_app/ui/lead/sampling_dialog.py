"""Lead mode's *Sampling settings* dialog: the team's shares of final decisions sampled for spot-check audits
(by default, per kind, per reviewer) and how many of a new reviewer's first decisions are all audited.

They are read and saved on the database worker (`DbJobs`), never on the GUI thread; the review layer checks
them (review/sampling.py) and the database refuses anyone but leads and admins. A problem is one line in
the dialog, which stays open to correct it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import KINDS, sampling
from reviewer_app.ui.evidence.widgets import plain_label
from reviewer_app.ui.jobs import one_line
from reviewer_app.ui.text import kind_name, local_time_text

ERROR_STYLE = "QLabel { color: #b71c1c; }"


def percent_spin(parent: QWidget, share: float = 0.0) -> QDoubleSpinBox:
    """A share from 0 to 1, shown as a percentage."""
    spin = QDoubleSpinBox(parent)
    spin.setRange(0.0, 100.0)
    spin.setDecimals(1)
    spin.setSuffix(" %")
    spin.setValue(share * 100)
    return spin


def share_of(spin: QDoubleSpinBox) -> float:
    return round(spin.value() / 100, 4)


class ReviewerRow(QWidget):
    """One reviewer's own share: their name, the share, and a button that takes the row away."""

    sig_remove = Signal(QWidget)

    def __init__(self, name: str = "", share: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setPlaceholderText(self.tr("Reviewer's user name"))
        self.name_edit.setMaxLength(200)
        layout.addWidget(self.name_edit, 1)
        self.share_spin = percent_spin(self, share)
        layout.addWidget(self.share_spin)
        self.remove_button = QToolButton(self)
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("This reviewer's decisions get the share of their kind again"))
        self.remove_button.clicked.connect(lambda: self.sig_remove.emit(self))
        layout.addWidget(self.remove_button)


class SamplingSettingsDialog(QDialog):
    """View and change the team's sampling settings; `sig_saved(TeamSampling)` once the database has them."""

    sig_saved = Signal(object)
    sig_loaded = Signal(object)  # the settings as read (TeamSampling), once shown

    def __init__(self, jobs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplingSettingsDialog")
        self.setWindowTitle(self.tr("Sampling settings"))
        self.jobs = jobs
        self.loaded = False
        self.busy = False
        self.reviewer_rows: list[ReviewerRow] = []
        self._jobs: list[Any] = []  # asked of the database worker: silenced once the dialog is closed
        self._build()
        self.load()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.source_label = plain_label(self)
        self.source_label.setObjectName("samplingSource")
        self.source_label.setText(self.tr("Reading the team's settings…"))
        layout.addWidget(self.source_label)

        form = QFormLayout()
        self.rate_spin = percent_spin(self)
        self.rate_spin.setObjectName("samplingRate")
        form.addRow(self.tr("&Share of each reviewer's decisions:"), self.rate_spin)
        self.first_spin = QSpinBox(self)
        self.first_spin.setObjectName("samplingFirstN")
        self.first_spin.setRange(0, sampling.FIRST_N_LIMIT)
        self.first_spin.setSuffix(self.tr(" decisions"))
        form.addRow(self.tr("&All of a new reviewer's first:"), self.first_spin)
        layout.addLayout(form)

        kinds = QGroupBox(self.tr("Per kind"), self)
        grid = QGridLayout(kinds)
        self.kind_checks: dict[str, QCheckBox] = {}
        self.kind_spins: dict[str, QDoubleSpinBox] = {}
        for row, kind in enumerate(KINDS):
            check = QCheckBox(kind_name(kind), kinds)
            check.setToolTip(self.tr("A share of its own for this kind; otherwise the share above"))
            spin = percent_spin(kinds)
            spin.setEnabled(False)
            check.toggled.connect(spin.setEnabled)
            grid.addWidget(check, row, 0)
            grid.addWidget(spin, row, 1)
            self.kind_checks[kind], self.kind_spins[kind] = check, spin
        grid.setColumnStretch(0, 1)
        layout.addWidget(kinds)

        reviewers = QGroupBox(self.tr("Per reviewer"), self)
        self.reviewers_layout = QVBoxLayout(reviewers)
        self.add_button = QPushButton(self.tr("A&dd reviewer"), reviewers)
        self.add_button.setObjectName("samplingAddReviewer")
        self.add_button.clicked.connect(lambda: self.add_reviewer().name_edit.setFocus())
        self.reviewers_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(reviewers)

        note = plain_label(self)
        note.setText(self.tr("A reviewer's own share comes first, then the share of the decision's kind, then the "
                             "share above; every reviewer and kind with decisions gets at least one. The daily "
                             "sample and Sample now use these settings on every workstation."))  # fmt: skip
        note.setStyleSheet("QLabel { color: #555555; }")
        layout.addWidget(note)
        self.problem_label = plain_label(self)
        self.problem_label.setObjectName("samplingProblem")
        self.problem_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problem_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self.setMinimumWidth(480)

    @property
    def save_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        return button

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.loaded and not self.busy)

    # -- reviewers -------------------------------------------------------------------------------

    def add_reviewer(self, name: str = "", share: float = 0.0) -> ReviewerRow:
        row = ReviewerRow(name, share, self.add_button.parentWidget())
        row.sig_remove.connect(self._remove_reviewer)
        self.reviewers_layout.insertWidget(len(self.reviewer_rows), row)
        self.reviewer_rows.append(row)
        row.show()  # at once, not when the layout next runs (the dialog is open)
        return row

    def _remove_reviewer(self, row: QWidget) -> None:
        if row in self.reviewer_rows:
            self.reviewer_rows.remove(row)
            self.reviewers_layout.removeWidget(row)
            row.deleteLater()

    # -- reading and saving ----------------------------------------------------------------------

    def _run(self, fn: Any, on_success: Any, on_failure: Any, label: str) -> None:
        self._jobs = [job for job in self._jobs if not job.done]
        self._jobs.append(self.jobs.run(fn, on_success=on_success, on_failure=on_failure, label=label))

    def done(self, result: int) -> None:
        for job in self._jobs:
            job.cancel()  # a dialog closed meanwhile hears nothing more
        self._jobs.clear()
        super().done(result)

    def load(self) -> None:
        self._run(sampling.sampling_settings, self._show, self._load_failed, "sampling settings")

    def _show(self, current: Any) -> None:
        shares = current.shares
        self.rate_spin.setValue(shares.rate * 100)
        self.first_spin.setValue(shares.new_reviewer_first_n)
        for kind in KINDS:
            own = kind in shares.per_kind
            self.kind_checks[kind].setChecked(own)
            self.kind_spins[kind].setValue(shares.per_kind.get(kind, shares.rate) * 100)
        for row in list(self.reviewer_rows):
            self._remove_reviewer(row)
        for name, share in sorted(shares.per_reviewer.items()):
            self.add_reviewer(name, share)
        if current.from_team:
            self.source_label.setText(self.tr("The team's settings, last changed by %1 on %2.")
                                      .replace("%1", current.updated_by or "")
                                      .replace("%2", local_time_text(current.updated_at)))  # fmt: skip
        else:
            self.source_label.setText(self.tr("The team has no sampling settings yet: each workstation uses its "
                                              "own config.toml ([audits]), shown here. Saving makes these the "
                                              "team's."))  # fmt: skip
        if current.problem:
            self.problem_label.setText(self.tr("The team's settings in the database are not valid (%1): this "
                                               "workstation's are shown. Save to replace them.")
                                       .replace("%1", current.problem))  # fmt: skip
        self.loaded = True
        self._update_buttons()
        self.sig_loaded.emit(current)

    def _load_failed(self, exc: BaseException) -> None:
        self.source_label.setText(self.tr("The team's settings could not be read."))
        self.problem_label.setText(one_line(exc))

    def shares(self) -> Any:
        """The settings as entered (review/sampling.SamplingShares), or a line saying what is wrong."""
        per_reviewer: dict[str, float] = {}
        for row in self.reviewer_rows:
            name = row.name_edit.text().strip()
            if not name:
                return self.tr("Enter the reviewer's user name, or remove the row.")
            if name in per_reviewer:
                return self.tr("%1 is listed twice.").replace("%1", name)
            per_reviewer[name] = share_of(row.share_spin)
        per_kind = {kind: share_of(self.kind_spins[kind]) for kind in KINDS if self.kind_checks[kind].isChecked()}
        return sampling.SamplingShares(share_of(self.rate_spin), per_kind, per_reviewer, self.first_spin.value())

    def save(self) -> None:
        if not self.loaded or self.busy:
            return
        shares = self.shares()
        if isinstance(shares, str):
            self.problem_label.setText(shares)
            return
        self.problem_label.clear()
        self.busy = True
        self._update_buttons()
        self._run(
            lambda service: sampling.set_sampling(service, shares),
            self._saved,
            self._save_failed,
            "save sampling settings",
        )

    def _saved(self, current: Any) -> None:
        self.busy = False
        self.sig_saved.emit(current)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self.busy = False
        self._update_buttons()
        self.problem_label.setText(self.tr("Not saved: %1").replace("%1", one_line(exc)))
