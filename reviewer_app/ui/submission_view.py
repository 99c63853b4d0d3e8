"""The selected submission: a header saying what it is and how much time is left, over one tab per kind
of evidence (the registered evidence panels), each tab with a badge when something in it needs attention.

The view only shows what it is given: a `ReviewDetail` loaded on the database worker, or a state
(nothing selected, loading, an error, a notice such as "offline: shown as loaded at ...").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from reviewer_app.review import RedFlag, worst_first
from reviewer_app.ui.evidence import EvidencePanel, badge_icon, panel_classes
from reviewer_app.ui.evidence.widgets import ERROR_BANNER_STYLE, WARNING_STYLE, plain_label
from reviewer_app.ui.text import (
    flag_text,
    kind_name,
    local_time_text,
    stars,
    status_name,
    time_left_text,
    verdict_name,
    version_text,
)

ICON_SIZE = 64
OVERDUE_STYLE = "QLabel { color: #c62828; font-weight: bold; }"
FLAGS_STYLE = "QLabel { color: #b71c1c; font-weight: bold; }"


def scaled_icon(png: bytes | None) -> QImage | None:
    """The launcher icon, decoded and scaled (call it on the database worker: decoding is work)."""
    if not png:
        return None
    image = QImage.fromData(png)
    if image.isNull():
        return None
    return image.scaled(
        ICON_SIZE, ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class SubmissionHeader(QWidget):
    """Icon, label, package, version, kind, developer, tier, time left, red flags; and one line of status
    (already decided, held by someone else, offline...) when there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionHeader")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 4)
        outer.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.icon_label.setStyleSheet("QLabel { background: #f2f2f2; border: 1px solid #dddddd; border-radius: 8px; }")
        top.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(1)
        self.title_label = plain_label(self, selectable=True)
        self.title_label.setObjectName("submissionTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.package_label = plain_label(self, selectable=True, mono=True)
        self.version_label = plain_label(self, selectable=True)
        self.summary_label = plain_label(self)
        self.summary_label.setStyleSheet("QLabel { color: #555555; }")
        for widget in (self.title_label, self.package_label, self.version_label, self.summary_label):
            titles.addWidget(widget)
        top.addLayout(titles, 1)
        side = QVBoxLayout()
        side.setSpacing(2)
        self.time_label = QLabel(self)
        self.time_label.setObjectName("headerTimeLeft")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.flags_label = QLabel(self)
        self.flags_label.setObjectName("headerFlags")
        self.flags_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.flags_label.setStyleSheet(FLAGS_STYLE)
        side.addWidget(self.time_label)
        side.addWidget(self.flags_label)
        side.addStretch(1)
        top.addLayout(side)
        outer.addLayout(top)
        self.status_label = plain_label(self)
        self.status_label.setObjectName("submissionStatus")
        outer.addWidget(self.status_label)

    def clear(self) -> None:
        self.icon_label.clear()
        for label in (self.title_label, self.package_label, self.version_label, self.summary_label):
            label.clear()
        self.time_label.clear()
        self.flags_label.clear()
        self.flags_label.setToolTip("")
        self.status_label.clear()
        self.status_label.hide()

    def show_row(self, submission_id: int, row: Any) -> None:
        """What the queue already knows, while the rest loads."""
        title = self.tr("Submission %1").replace("%1", str(submission_id))
        if row is not None:
            title = row.label or row.package or title
            self.package_label.setText(row.package or "")
        self.title_label.setText(title)

    def show_detail(self, detail: Any, now: datetime | None) -> None:
        row, facts = detail.view.row, detail.view.facts
        if detail.icon is not None and not detail.icon.isNull():
            self.icon_label.setPixmap(QPixmap.fromImage(detail.icon))
        else:
            self.icon_label.setText(self.tr("no icon"))
        label = row.label or (facts.label if facts else None) or row.package or self.tr("(no name)")
        self.title_label.setText(label)
        self.package_label.setText(row.package or "")
        version = version_text(facts.version_name, facts.version_code) if facts else ""
        version = version or version_text(row.version_name, row.version_code)
        self.version_label.setText(self.tr("Version %1").replace("%1", version) if version else "")
        tier = f"{stars(row.tier)} ({row.tier})" if row.tier else ""
        self.summary_label.setText("  ·  ".join(s for s in (kind_name(row.kind), row.developer, tier) if s))
        self.show_time_left(row.deadline, now)
        status = self._status_text(row, detail)
        stored = detail.view.detail
        if stored.withdrawn_at is not None:  # the app was recalled: say so above anything else
            recalled = self.tr("This app was recalled on %1: %2").replace("%1", local_time_text(stored.withdrawn_at))
            recalled = recalled.replace("%2", stored.withdrawn_reason or "")
            status = f"{recalled}\n{status}" if status else recalled
        if status:
            self.set_status(status, ERROR_BANNER_STYLE)

    def show_time_left(self, deadline: datetime | None, now: datetime | None) -> None:
        if deadline is None or now is None:
            self.time_label.clear()
            return
        left = deadline - now
        if left.total_seconds() < 0:
            self.time_label.setText(self.tr("Overdue by %1").replace("%1", time_left_text(-left)))
            self.time_label.setStyleSheet(OVERDUE_STYLE)
        else:
            self.time_label.setText(self.tr("%1 left").replace("%1", time_left_text(left)))
            self.time_label.setStyleSheet("")
        self.time_label.setToolTip(self.tr("Decision due %1").replace("%1", local_time_text(deadline)))

    def show_flags(self, flags: tuple[RedFlag, ...]) -> None:
        if not flags:
            self.flags_label.clear()
            self.flags_label.setToolTip("")
            return
        self.flags_label.setText(self.tr("⚑ %n red flag(s)", "", len(flags)))
        self.flags_label.setToolTip("\n".join(f"• {flag_text(flag)}" for flag in worst_first(flags)))

    def set_status(self, text: str, style: str = WARNING_STYLE) -> None:
        self.status_label.setStyleSheet(style)
        self.status_label.setText(text)
        self.status_label.show()

    def add_status(self, text: str) -> None:
        current = self.status_label.text() if self.status_label.isVisibleTo(self) else ""
        if not current:
            self.status_label.setStyleSheet(WARNING_STYLE)
        self.status_label.setText(f"{current}\n{text}" if current else text)
        self.status_label.show()

    def _status_text(self, row: Any, detail: Any) -> str:
        if row.status not in ("pending", "escalated"):
            decisions = detail.view.detail.decisions
            if decisions:
                last = decisions[-1]
                return (
                    self.tr("Already decided: %1 by %2 at %3.")
                    .replace("%1", verdict_name(last.verdict))
                    .replace("%2", last.reviewer)
                    .replace("%3", local_time_text(last.decided_at))
                )
            return self.tr("This submission is %1.").replace("%1", status_name(row.status))
        if detail.claim_error:
            if row.claimed_by:
                until = local_time_text(row.lease_until) if row.lease_until else ""
                return (
                    self.tr("Claimed by %1 until %2: your decision may be refused.")
                    .replace("%1", row.claimed_by)
                    .replace("%2", until)
                )
            return self.tr("Could not claim this submission: %1").replace("%1", detail.claim_error)
        return ""


class SubmissionView(QWidget):
    """Header over the evidence tabs; `sig_attention(count)` when the red flags shown change."""

    sig_attention = Signal(int)
    sig_run = Signal(object, str)  # a panel's `fn(service)` for the database worker, and its label
    sig_reject = Signal(object)  # reason codes a panel suggests for a rejection (tuple[str, ...])

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submissionView")
        self._submission_id: int | None = None
        self._detail: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = SubmissionHeader(self)
        layout.addWidget(self.header)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("evidenceTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setIconSize(QSize(16, 16))
        layout.addWidget(self.tabs, 1)
        self.panels: dict[str, EvidencePanel] = {}
        for cls in panel_classes():
            panel = cls(self.tabs)
            self.panels[cls.key] = panel
            self.tabs.addTab(panel, cls.title())
            panel.sig_attention_changed.connect(self._update_badges)
            panel.sig_run.connect(self.sig_run)
            panel.sig_reject.connect(self.sig_reject)
        self.show_empty()

    @property
    def submission_id(self) -> int | None:
        return self._submission_id

    @property
    def data(self) -> Any:
        """The ReviewDetail on show, or None (nothing selected, loading, error)."""
        return self._detail

    def panel(self, key: str) -> EvidencePanel | None:
        return self.panels.get(key)

    def red_flags(self) -> tuple[RedFlag, ...]:
        """Every panel's red flags for the submission on show, worst first."""
        return worst_first(flag for panel in self.panels.values() for flag in panel.attention())

    def current_panel_key(self) -> str:
        widget = self.tabs.currentWidget()
        return next((key for key, panel in self.panels.items() if panel is widget), "")

    def set_current_panel(self, key: str) -> None:
        panel = self.panels.get(key)
        if panel is not None:
            self.tabs.setCurrentWidget(panel)

    # -- states ----------------------------------------------------------------------------------

    def _reset(self, submission_id: int | None) -> None:
        self._submission_id = submission_id
        self._detail = None
        self.header.clear()
        for panel in self.panels.values():
            panel.clear()
        self._update_badges()

    def show_empty(self, text: str = "") -> None:
        self._reset(None)
        self.header.title_label.setText(self.tr("No submission selected"))
        self.header.summary_label.setText(
            text or self.tr("Pick a submission in the queue, or press Get next (Ctrl+N).")
        )

    def show_loading(self, submission_id: int, row: Any = None) -> None:
        self._reset(submission_id)
        self.header.show_row(submission_id, row)
        self.header.summary_label.setText(self.tr("Loading…"))

    def show_error(self, submission_id: int, message: str) -> None:
        self._reset(submission_id)
        self.header.title_label.setText(self.tr("Submission %1").replace("%1", str(submission_id)))
        self.header.set_status(message, ERROR_BANNER_STYLE)

    def show_detail(self, detail: Any, now: datetime | None = None) -> None:
        self._reset(detail.submission_id)
        self._detail = detail
        self.header.show_detail(detail, now)
        for panel in self.panels.values():
            panel.show_detail(detail, now)
        self._update_badges()

    def add_notice(self, text: str) -> None:
        """One more status line (shown as last loaded while offline, say)."""
        self.header.add_status(text)

    def show_update(self, submission_id: int, name: str, value: Any) -> None:
        """Later evidence for a submission; dropped when another one is on show."""
        if submission_id != self._submission_id:
            return
        for panel in self.panels.values():
            panel.show_update(name, value)

    def tick(self, now: datetime) -> None:
        if self._detail is not None:
            self.header.show_time_left(self._detail.view.row.deadline, now)

    def _update_badges(self) -> None:
        total = 0
        for index in range(self.tabs.count()):
            panel = self.tabs.widget(index)
            if not isinstance(panel, EvidencePanel):
                continue
            flags = panel.attention()
            total += len(flags)
            title = type(panel).title()
            if flags:
                self.tabs.setTabIcon(index, badge_icon(len(flags), any(f.severity >= 2 for f in flags)))
                self.tabs.setTabText(index, f"{title} ({len(flags)})")
                self.tabs.setTabToolTip(index, "\n".join(f"• {flag_text(f)}" for f in worst_first(flags)))
            else:
                self.tabs.setTabIcon(index, QIcon())
                self.tabs.setTabText(index, title)
                self.tabs.setTabToolTip(index, "")
        self.header.show_flags(self.red_flags())
        self.sig_attention.emit(total)
