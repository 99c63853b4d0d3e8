"""The Scans panel: what the malware scanners said about the package, and whether it may go on to review.

On top the gate of the scan on show (passed, blocked, held) with the policy and its reason, and in red
the engines that found malware after the gate had passed; while engines still answer, how many have.
Below, a row per engine (see scan_rows.py). Earlier scans of the same APK can be looked at from a
selector; "Re-scan" asks a worker for a new one (review's `request_scan`, run on the database worker).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review import ScanRecord
from reviewer_app.review.detail import ReviewDetail
from reviewer_app.ui.evidence.base import EvidencePanel, register_panel
from reviewer_app.ui.evidence.scan_rows import ScanEngineTree
from reviewer_app.ui.evidence.widgets import BANNER_STYLE, ERROR_BANNER_STYLE, WARNING_STYLE, plain_label
from reviewer_app.ui.text import gate_name, job_reason_name, local_time_text

PASS_BANNER_STYLE = (
    "QLabel { background: #e6f4ea; color: #1e5e2a; border: 1px solid #9fd3aa; border-radius: 4px; padding: 6px; }"
)
GATE_STYLES = {"pass": PASS_BANNER_STYLE, "block": ERROR_BANNER_STYLE, "hold": WARNING_STYLE}
MALWARE_AFTER_PASS_STYLE = (
    "QLabel { background: #c62828; color: white; font-weight: bold; border-radius: 4px; padding: 6px; }"
)
JOB_WAITING = ("queued", "running")
RESCAN_RETRY_MS = 15_000


@register_panel
class ScansPanel(EvidencePanel):
    """The scanners' verdicts on the package: the gate, a row per engine, earlier scans, re-scan."""

    key: ClassVar[str] = "scan"
    order: ClassVar[int] = 20
    sources: ClassVar[tuple[str, ...]] = ("scan",)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ScansPanel", "Scans")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scansPanel")
        self._scans: tuple[ScanRecord, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)

        # The gate of the scan on show: green, red or amber, with the policy and its reason.
        self.gate_banner = plain_label(self, selectable=True)
        self.gate_banner.setObjectName("gateBanner")
        layout.addWidget(self.gate_banner)

        # Engines that found malware after the gate passed: the app may already be on phones.
        self.after_pass_label = plain_label(self, selectable=True)
        self.after_pass_label.setObjectName("malwareAfterPass")
        self.after_pass_label.setStyleSheet(MALWARE_AFTER_PASS_STYLE)
        layout.addWidget(self.after_pass_label)

        # Not scanned yet, scanning, no package, or why the scan failed.
        self.state_label = plain_label(self, selectable=True)
        self.state_label.setObjectName("scanState")
        layout.addWidget(self.state_label)

        self.progress_row = QWidget(self)
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel(self.progress_row)
        self.progress_label.setObjectName("scanProgressText")
        progress_layout.addWidget(self.progress_label)
        self.progress_bar = QProgressBar(self.progress_row)
        self.progress_bar.setObjectName("scanProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setAccessibleName(self.tr("Engines answered"))
        progress_layout.addWidget(self.progress_bar, 1)
        layout.addWidget(self.progress_row)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        self.scan_caption = QLabel(self.tr("Scan:"), self)
        controls.addWidget(self.scan_caption)
        self.scan_selector = QComboBox(self)
        self.scan_selector.setObjectName("scanSelector")
        self.scan_selector.setAccessibleName(self.tr("Scan on show"))
        self.scan_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scan_caption.setBuddy(self.scan_selector)
        self.scan_selector.currentIndexChanged.connect(self._on_scan_chosen)
        controls.addWidget(self.scan_selector)
        controls.addStretch(1)
        self.rescan_button = QPushButton(self.tr("Re-scan"), self)
        self.rescan_button.setObjectName("rescanButton")
        self.rescan_button.clicked.connect(self.request_rescan)
        controls.addWidget(self.rescan_button)
        layout.addLayout(controls)

        # When the scan on show ran, how long it took and on which worker.
        self.scan_info = plain_label(self)
        self.scan_info.setObjectName("scanInfo")
        self.scan_info.setStyleSheet("QLabel { color: #555555; }")
        layout.addWidget(self.scan_info)

        # After a click, Re-scan waits for the submission to be shown again with its job; if that never
        # comes (the request failed), it is offered again after a while.
        self.rescan_timer = QTimer(self)
        self.rescan_timer.setSingleShot(True)
        self.rescan_timer.setInterval(RESCAN_RETRY_MS)
        self.rescan_timer.timeout.connect(self._offer_rescan_again)

        self.tree = ScanEngineTree(self)
        layout.addWidget(self.tree, 1)
        layout.addStretch(0)  # takes the room when there is no tree to show
        self.clear()

    @property
    def submission_id(self) -> int | None:
        return self.detail.submission_id if self.detail is not None else None

    def scans(self) -> tuple[ScanRecord, ...]:
        return self._scans

    def shown_scan(self) -> ScanRecord | None:
        """The scan whose gate and rows are on show (the latest unless an earlier one was chosen)."""
        index = self.scan_selector.currentIndex()
        return self._scans[index] if 0 <= index < len(self._scans) else None

    # -- states ----------------------------------------------------------------------------------

    def clear(self) -> None:
        super().clear()
        self.rescan_timer.stop()
        self._scans = ()
        self.scan_selector.blockSignals(True)
        self.scan_selector.clear()
        self.scan_selector.blockSignals(False)
        self.scan_caption.hide()
        self.scan_selector.hide()
        self.scan_info.clear()
        self._show_scan(None)
        self.state_label.hide()
        self.rescan_button.setEnabled(False)
        self.rescan_button.setToolTip("")

    def show_detail(self, detail: ReviewDetail, now: datetime | None = None) -> None:
        same = self.detail is not None and self.detail.submission_id == detail.submission_id
        chosen = self.shown_scan() if same and self.scan_selector.currentIndex() > 0 else None
        self.clear()
        self.detail = detail
        record = detail.view.detail
        self._scans = tuple(record.scans)
        self._show_state(record.artifact_sha256, record.scan_job)
        self._show_rescan(record.artifact_sha256, record.scan_job)
        if not self._scans:
            return
        self.scan_selector.blockSignals(True)
        for index, scan in enumerate(self._scans):
            self.scan_selector.addItem(self._scan_title(scan, index == 0), scan.scan_id)
        keep = next((i for i, s in enumerate(self._scans) if chosen is not None and s.scan_id == chosen.scan_id), 0)
        self.scan_selector.setCurrentIndex(keep)
        self.scan_selector.blockSignals(False)
        several = len(self._scans) > 1
        self.scan_caption.setVisible(several)
        self.scan_selector.setVisible(several)
        self._show_scan(self._scans[keep])

    def _show_state(self, artifact_sha256: str | None, scan_job: str | None) -> None:
        """What is happening (or cannot happen) beside the scans on record."""
        text = ""
        if artifact_sha256 is None:
            text = self.tr("No package to scan: this submission changes the listing or the account.")
        elif not self._scans:
            if scan_job == "queued":
                text = self.tr("Not scanned yet: a worker will scan it.")
            elif scan_job == "running":
                text = self.tr("Scanning…: the engines' answers appear here as they come.")
            else:
                text = self.tr("Not scanned yet, and no scan is waiting: use Re-scan to ask for one.")
        elif scan_job == "queued":
            text = self.tr("A new scan is waiting for a worker; below, the last one.")
        elif scan_job == "running" and self._scans[0].state != "running":
            text = self.tr("A new scan is running; below, the last one.")
        self.state_label.setText(text)
        self.state_label.setStyleSheet(BANNER_STYLE)
        self.state_label.setVisible(bool(text))
        self._show_progress(None)

    def _show_rescan(self, artifact_sha256: str | None, scan_job: str | None) -> None:
        running = bool(self._scans) and self._scans[0].state == "running"
        if artifact_sha256 is None:
            why = self.tr("There is no package to scan.")
        elif scan_job in JOB_WAITING or running:
            why = self.tr("A scan of this package is already waiting or running.")
        else:
            why = ""
        self.rescan_button.setEnabled(not why)
        self.rescan_button.setToolTip(why or self.tr("Ask a worker to scan this package again with every engine."))

    def _scan_title(self, scan: ScanRecord, latest: bool) -> str:
        when = local_time_text(scan.started_at)
        title = f"{job_reason_name(scan.reason)}, {when}"
        if latest:
            title = self.tr("latest — %1").replace("%1", title)
        if scan.state == "running":
            title += " — " + self.tr("running")
        elif scan.state == "failed":
            title += " — " + self.tr("failed")
        elif scan.gate:
            title += " — " + gate_name(scan.gate)
        return title

    def _on_scan_chosen(self, index: int) -> None:
        if 0 <= index < len(self._scans):
            self._show_scan(self._scans[index])

    def _show_scan(self, scan: ScanRecord | None) -> None:
        """The gate, the progress and the engine rows of one scan (None: none)."""
        self.tree.show_rows(scan.engines if scan is not None else ())
        self.tree.setVisible(scan is not None)
        self._show_gate(scan)
        if scan is not None and scan.malware_after_pass:
            engines = ", ".join(scan.malware_after_pass)
            self.after_pass_label.setText(
                self.tr("Malware found after the gate passed, by %1: the app may already be on phones.").replace(
                    "%1", engines
                )
            )
            self.after_pass_label.show()
        else:
            self.after_pass_label.hide()
        self._show_progress(scan)
        self.scan_info.setText(self._scan_info(scan))
        self.scan_info.setVisible(scan is not None)

    def _show_progress(self, scan: ScanRecord | None) -> None:
        """How many engines have answered the scan on show while it runs; a busy bar while a worker has
        the job and no scan of it is on record yet; nothing otherwise. Never blocks anything."""
        if scan is not None and scan.state == "running":
            answered, expected = len(scan.engines), max(scan.engines_expected, len(scan.engines))
            self.progress_label.setText(
                self.tr("%1 of %2 engines answered").replace("%1", str(answered)).replace("%2", str(expected))
            )
            self.progress_bar.setRange(0, max(expected, 1))
            self.progress_bar.setValue(answered)
            self.progress_row.show()
        elif self._starting():
            self.progress_label.setText(self.tr("Waiting for the first engine…"))
            self.progress_bar.setRange(0, 0)
            self.progress_row.show()
        else:
            self.progress_row.hide()

    def _starting(self) -> bool:
        """A worker has the scan job, and no scan record of it shows yet."""
        if self.detail is None or self.detail.view.detail.scan_job != "running":
            return False
        return not self._scans or self._scans[0].state != "running"

    def _scan_info(self, scan: ScanRecord | None) -> str:
        if scan is None:
            return ""
        parts = [self.tr("started %1").replace("%1", local_time_text(scan.started_at))]
        if scan.finished_at is not None:
            seconds = (scan.finished_at - scan.started_at).total_seconds()
            parts.append(self.tr("took %1 s").replace("%1", f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"))
        if scan.worker:
            parts.append(self.tr("by %1").replace("%1", scan.worker))
        return ", ".join(parts)

    def _show_gate(self, scan: ScanRecord | None) -> None:
        if scan is None:
            self.gate_banner.hide()
            return
        if scan.state == "failed":
            lines = ["✕ " + self.tr("The scan failed: %1").replace("%1", scan.error or self.tr("no reason given"))]
            style = ERROR_BANNER_STYLE
        elif scan.gate is None:
            self.gate_banner.hide()
            return
        else:
            lines = [self._gate_headline(scan.gate)]
            style = GATE_STYLES.get(scan.gate, WARNING_STYLE)
        policy = self.tr("Policy: %1").replace("%1", scan.policy) if scan.policy else ""
        reason = " — ".join(part for part in (policy, scan.gate_reason) if part)
        if reason:
            lines.append(reason)
        self.gate_banner.setStyleSheet(style)
        self.gate_banner.setText("\n".join(lines))
        self.gate_banner.setProperty("gate", "failed" if scan.state == "failed" else scan.gate)
        self.gate_banner.show()

    def _gate_headline(self, gate: str) -> str:
        if gate == "pass":
            return "✓ " + self.tr("Passed: may go on to review")
        if gate == "block":
            return "✕ " + self.tr("Blocked: an engine found malware")
        if gate == "hold":
            return "⚠ " + self.tr("Held: the engines did not settle it; a person must look")
        return gate_name(gate)

    # -- actions ---------------------------------------------------------------------------------

    def request_rescan(self) -> None:
        """Ask a worker to scan the package again (review's `request_scan`, on the database worker)."""
        submission_id = self.submission_id
        if submission_id is None or not self.rescan_button.isEnabled():
            return
        self.rescan_button.setEnabled(False)  # until the submission is shown again, with its job
        self.rescan_timer.start()

        def rescan(service: Any) -> Any:
            return service.request_scan(submission_id)

        self.run_in_background(rescan, self.tr("Re-scan"))

    def _offer_rescan_again(self) -> None:
        if self.detail is not None:
            record = self.detail.view.detail
            self._show_rescan(record.artifact_sha256, record.scan_job)
