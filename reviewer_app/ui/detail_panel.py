"""The evidence of one submission: identity, SDK levels, permissions, components, signers, hashes, history.

The panel only shows a `DetailData` it is given; the main window loads it on the database worker (the
service call, the icon decoding and the permission classification all run there) and drops results
that arrive for a submission that is no longer selected.

Everything that comes from an APK is untrusted text: it is shown as plain text, never as rich text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.text import (
    kind_name,
    local_time_text,
    reason_title,
    scheme_state,
    stars,
    status_name,
    time_left_text,
    verdict_name,
    version_text,
    warning_text,
)
from reviewer_app.ui.viewdata import PermissionEntry, components, permission_entries

ICON_SIZE = 80
DANGER_COLOR = QColor("#c62828")
ADDED_COLOR = QColor("#1565c0")
WARNING_STYLE = (
    "QLabel { background: #fff4e0; color: #6d4300; border: 1px solid #f0b552; border-radius: 4px; padding: 6px; }"
)
BANNER_STYLE = (
    "QLabel { background: #e8f0fe; color: #0d3c84; border: 1px solid #a8c4f0; border-radius: 4px; padding: 6px; }"
)
ERROR_BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #eca3a3; border-radius: 4px; padding: 6px; }"
)


@dataclass
class DetailData:
    """What the panel shows for one submission; built on the database worker by `load_detail`."""

    view: Any  # SubmissionView
    claim_error: str | None = None
    icon: QImage | None = None
    requested: list[PermissionEntry] = field(default_factory=list)
    implied: list[PermissionEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changes: Any = None  # VersionDiff against the last approved version, or None
    code_paths: tuple[str, str] | None = None  # (last approved APK, this APK) in the blob store, to compare code


def load_detail(service: Any, submission_id: int, claim: bool = True) -> DetailData:
    """Runs on the database worker: claim the submission for this reviewer, read it, prepare the panel."""
    from reviewer_app.review import StoreError

    claim_error = None
    if claim:
        try:
            service.claim(submission_id)
        except StoreError as exc:
            claim_error = str(exc)
    view = service.view(submission_id)
    icon = None
    if view.facts is not None and view.facts.icon_png:
        image = QImage.fromData(view.facts.icon_png)
        if not image.isNull():
            icon = image.scaled(
                ICON_SIZE, ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
    requested, implied, removed = permission_entries(view.facts, view.previous)
    changes = view.changes
    code_paths = None
    if changes is not None and view.detail.artifact_sha256 and view.detail.previous_artifact_sha256:
        code_paths = (
            str(service.artifact_path(view.detail.previous_artifact_sha256)),
            str(service.artifact_path(view.detail.artifact_sha256)),
        )
    return DetailData(view, claim_error, icon, requested, implied, removed, changes, code_paths)


class PermissionListModel(QAbstractListModel):
    """Permissions with their flags: dangerous ones bold red with a marker, new ones marked."""

    NameRole = Qt.ItemDataRole.UserRole + 1
    DangerousRole = Qt.ItemDataRole.UserRole + 2
    AddedRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[PermissionEntry] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[PermissionEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[PermissionEntry]:
        return list(self._entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries) or index.column() != 0:
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            marks = []
            if entry.dangerous:
                marks.append(self.tr("dangerous"))
            if entry.added:
                marks.append(self.tr("new"))
            if entry.max_sdk is not None:
                marks.append(self.tr("up to SDK %1").replace("%1", str(entry.max_sdk)))
            prefix = "⚠ " if entry.dangerous else "    "
            return prefix + entry.name + (f"  — {', '.join(marks)}" if marks else "")
        if role == Qt.ItemDataRole.ToolTipRole or role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [entry.name]
            if entry.dangerous:
                parts.append(self.tr("Dangerous permission: check that the app needs it."))
            if entry.added:
                parts.append(self.tr("Not requested by the last approved version."))
            if entry.implied:
                parts.append(self.tr("Implied by Android because of the app's old target SDK."))
            return "\n".join(parts)
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.dangerous:
                return QBrush(DANGER_COLOR)
            if entry.added:
                return QBrush(ADDED_COLOR)
            if entry.implied:
                return QBrush(QColor("#666666"))
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if entry.dangerous or entry.added else None
        if role == self.NameRole:
            return entry.name
        if role == self.DangerousRole:
            return entry.dangerous
        if role == self.AddedRole:
            return entry.added
        return None


class _FittedListView(QListView):
    """A list that is as tall as its rows (the panel scrolls, not the list)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setUniformItemSizes(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def sizeHint(self) -> QSize:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        height = self.sizeHintForRow(0) if rows else 0
        return QSize(super().sizeHint().width(), max(rows * max(height, 1), 0) + 2 * self.frameWidth() + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class CollapsibleSection(QWidget):
    """A titled section whose body folds away under an arrow button."""

    def __init__(self, title: str, body: QWidget, expanded: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(expanded)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.toggle.toggled.connect(self._on_toggled)
        self.body = body
        body.setVisible(expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.toggle)
        layout.addWidget(body)

    def set_title(self, title: str) -> None:
        self.toggle.setText(title)

    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)


def _plain_label(parent: QWidget, selectable: bool = False, mono: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setCursor(Qt.CursorShape.IBeamCursor)
    if mono:
        label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return label


class SubmissionDetailPanel(QScrollArea):
    """Right-hand evidence panel for the selected submission."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._submission_id: int | None = None
        self._data: DetailData | None = None
        self._build()
        self.show_empty()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        page = QWidget(self)
        page.setObjectName("detailPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(12, 10, 12, 12)
        outer.setSpacing(6)

        header = QHBoxLayout()
        header.setSpacing(12)
        self.icon_label = QLabel(page)
        self.icon_label.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.icon_label.setStyleSheet("QLabel { background: #f2f2f2; border: 1px solid #dddddd; border-radius: 8px; }")
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title_label = _plain_label(page, selectable=True)
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.package_label = _plain_label(page, selectable=True, mono=True)
        self.version_label = _plain_label(page, selectable=True)
        self.summary_label = _plain_label(page)
        self.summary_label.setStyleSheet("QLabel { color: #555555; }")
        for w in (self.title_label, self.package_label, self.version_label, self.summary_label):
            titles.addWidget(w)
        titles.addStretch(1)
        header.addLayout(titles, 1)
        outer.addLayout(header)

        self.banner = _plain_label(page)
        self.banner.setStyleSheet(BANNER_STYLE)
        outer.addWidget(self.banner)

        self.warnings_label = _plain_label(page, selectable=True)
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        self.warnings_label.setAccessibleName(self.tr("Warnings"))
        outer.addWidget(self.warnings_label)

        # What the update's code adds, filled in when the comparison (on the parsing thread) is done.
        self.code_label = _plain_label(page, selectable=True)
        self.code_label.setStyleSheet(BANNER_STYLE)
        self.code_label.setAccessibleName(self.tr("Code changes"))
        outer.addWidget(self.code_label)

        facts = QWidget(page)
        self.facts_form = QFormLayout(facts)
        self.facts_form.setContentsMargins(0, 4, 0, 0)
        self.facts_form.setHorizontalSpacing(14)
        self.facts_form.setVerticalSpacing(3)
        self.facts_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.facts_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.kind_value = _plain_label(facts)
        self.developer_value = _plain_label(facts, selectable=True)
        self.tier_value = _plain_label(facts)
        self.submitted_value = _plain_label(facts)
        self.deadline_value = _plain_label(facts)
        self.status_value = _plain_label(facts)
        self.sdk_value = _plain_label(facts)
        self.abis_value = _plain_label(facts, selectable=True)
        self.note_value = _plain_label(facts, selectable=True)
        self._form_rows = [
            (self.tr("Kind"), self.kind_value),
            (self.tr("Developer"), self.developer_value),
            (self.tr("Tier"), self.tier_value),
            (self.tr("Submitted"), self.submitted_value),
            (self.tr("Deadline"), self.deadline_value),
            (self.tr("Status"), self.status_value),
            (self.tr("SDK levels"), self.sdk_value),
            (self.tr("Native ABIs"), self.abis_value),
            (self.tr("Note"), self.note_value),
        ]
        for title, widget in self._form_rows:
            self.facts_form.addRow(title, widget)
        outer.addWidget(facts)

        # Permissions
        perm_body = QWidget(page)
        perm_layout = QVBoxLayout(perm_body)
        perm_layout.setContentsMargins(0, 0, 0, 0)
        perm_layout.setSpacing(4)
        self.permission_model = PermissionListModel(self)
        self.permission_view = _FittedListView(perm_body)
        self.permission_view.setObjectName("permissionList")
        self.permission_view.setModel(self.permission_model)
        self.permission_view.setAccessibleName(self.tr("Requested permissions"))
        perm_layout.addWidget(self.permission_view)
        self.changes_label = _plain_label(perm_body, selectable=True)
        perm_layout.addWidget(self.changes_label)
        self.implied_caption = _plain_label(perm_body)
        self.implied_caption.setText(self.tr("Implied by the target SDK (not requested):"))
        self.implied_caption.setStyleSheet("QLabel { color: #555555; }")
        perm_layout.addWidget(self.implied_caption)
        self.implied_model = PermissionListModel(self)
        self.implied_view = _FittedListView(perm_body)
        self.implied_view.setObjectName("impliedPermissionList")
        self.implied_view.setModel(self.implied_model)
        self.implied_view.setAccessibleName(self.tr("Implied permissions"))
        perm_layout.addWidget(self.implied_view)
        self.permissions_section = CollapsibleSection(self.tr("Permissions"), perm_body, True, page)
        outer.addWidget(self.permissions_section)

        # Components
        self.components_tree = QTreeWidget(page)
        self.components_tree.setObjectName("componentsTree")
        self.components_tree.setHeaderHidden(True)
        self.components_tree.setColumnCount(1)
        self.components_tree.setMinimumHeight(140)
        self.components_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.components_section = CollapsibleSection(self.tr("Components"), self.components_tree, False, page)
        outer.addWidget(self.components_section)

        # Signers
        self.signers_label = _plain_label(page, selectable=True, mono=True)
        self.signers_section = CollapsibleSection(self.tr("Signing certificates"), self.signers_label, True, page)
        outer.addWidget(self.signers_section)

        # Hashes: each digest whole on its own line, so that it copies as one word
        self.hashes_label = _plain_label(page, selectable=True, mono=True)
        self.hashes_section = CollapsibleSection(self.tr("File hashes"), self.hashes_label, True, page)
        outer.addWidget(self.hashes_section)

        # History
        self.history_label = _plain_label(page, selectable=True)
        self.history_section = CollapsibleSection(self.tr("Previous decisions"), self.history_label, True, page)
        outer.addWidget(self.history_section)

        outer.addStretch(1)
        self.setWidget(page)

    # -- states ----------------------------------------------------------------------------------

    @property
    def submission_id(self) -> int | None:
        return self._submission_id

    @property
    def data(self) -> DetailData | None:
        return self._data

    def show_empty(self) -> None:
        self._submission_id = None
        self._data = None
        self._clear()
        self.title_label.setText(self.tr("No submission selected"))
        self.summary_label.setText(self.tr("Pick a submission in the queue, or press Get next (Ctrl+N)."))

    def show_loading(self, submission_id: int, row: Any = None) -> None:
        self._submission_id = submission_id
        self._data = None
        self._clear()
        if row is not None:
            self.title_label.setText(
                row.label or row.package or self.tr("Submission %1").replace("%1", str(submission_id))
            )
            self.package_label.setText(row.package or "")
        else:
            self.title_label.setText(self.tr("Submission %1").replace("%1", str(submission_id)))
        self.summary_label.setText(self.tr("Loading…"))

    def show_error(self, submission_id: int, message: str) -> None:
        self._submission_id = submission_id
        self._data = None
        self._clear()
        self.title_label.setText(self.tr("Submission %1").replace("%1", str(submission_id)))
        self.banner.setStyleSheet(ERROR_BANNER_STYLE)
        self.banner.setText(message)
        self.banner.show()

    def add_notice(self, text: str) -> None:
        """One more line in the banner above the evidence (shown as last loaded while offline, say)."""
        current = self.banner.text() if self.banner.isVisibleTo(self) else ""
        if not current:
            self.banner.setStyleSheet(WARNING_STYLE)
        self.banner.setText(f"{current}\n{text}" if current else text)
        self.banner.show()

    def show_code_changes(self, submission_id: int, text: str) -> None:
        """What the code comparison found (or that it runs); ignored once another submission is shown."""
        if submission_id != self.submission_id:
            return
        self.code_label.setText(text)
        self.code_label.setVisible(bool(text))

    def _clear(self) -> None:
        self.icon_label.clear()
        for label in (self.title_label, self.package_label, self.version_label, self.summary_label):
            label.clear()
        self.banner.hide()
        self.warnings_label.hide()
        self.code_label.hide()
        for _title, widget in self._form_rows:
            widget.clear()
            self.facts_form.setRowVisible(widget, False)
        self.permission_model.set_entries([])
        self.implied_model.set_entries([])
        self.changes_label.hide()
        self.implied_caption.hide()
        self.implied_view.hide()
        self.components_tree.clear()
        self.signers_label.clear()
        self.hashes_label.clear()
        self.history_label.clear()
        for section in (
            self.permissions_section,
            self.components_section,
            self.signers_section,
            self.hashes_section,
            self.history_section,
        ):
            section.hide()

    def _field(self, widget: QLabel, text: str | None) -> None:
        widget.setText(text or "")
        self.facts_form.setRowVisible(widget, bool(text))

    def show_detail(self, data: DetailData, now=None) -> None:
        """Show a loaded submission. `now` (aware datetime) is for the time left next to the deadline."""
        view = data.view
        row = view.row
        facts = view.facts
        self._submission_id = row.submission_id
        self._data = data
        self._clear()

        if data.icon is not None and not data.icon.isNull():
            self.icon_label.setPixmap(QPixmap.fromImage(data.icon))
        else:
            self.icon_label.setText(self.tr("no icon"))
        self.title_label.setText(row.label or (facts.label if facts else None) or row.package or self.tr("(no name)"))
        self.package_label.setText(row.package or "")
        version = version_text(row.version_name, row.version_code)
        if facts is not None:
            version = version_text(facts.version_name, facts.version_code)
        if version:
            self.version_label.setText(self.tr("Version %1").replace("%1", version))
        summary = [kind_name(row.kind), row.developer, stars(row.tier)]
        self.summary_label.setText("  ·  ".join(s for s in summary if s))

        banner = self._banner_text(row, data)
        if banner:
            closed = row.status not in ("pending", "escalated")
            changes = data.changes
            alarming = changes is not None and (changes.signer_changed or not changes.version_code_increased)
            self.banner.setStyleSheet(ERROR_BANNER_STYLE if closed or data.claim_error or alarming else BANNER_STYLE)
            self.banner.setText(banner)
            self.banner.show()

        if facts is not None and (facts.warnings or facts.error):
            lines = [f"⚠ {warning_text(w, facts.warning_codes.get(w))}" for w in facts.warnings]
            if facts.error:
                lines.insert(0, f"⚠ {warning_text(facts.error, facts.error_code)}")
            self.warnings_label.setText(self.tr("Warnings") + "\n" + "\n".join(lines))
            self.warnings_label.show()

        self._field(self.kind_value, kind_name(row.kind))
        self._field(self.developer_value, row.developer)
        self._field(self.tier_value, f"{stars(row.tier)}  ({row.tier})" if row.tier else "")
        self._field(self.submitted_value, local_time_text(row.submitted_at))
        deadline = local_time_text(row.deadline)
        if now is not None and row.deadline is not None:
            left = row.deadline - now
            if left.total_seconds() < 0:
                deadline += "  " + self.tr("(overdue by %1)").replace("%1", time_left_text(-left))
            else:
                deadline += "  " + self.tr("(%1 left)").replace("%1", time_left_text(left))
        self._field(self.deadline_value, deadline)
        self._field(self.status_value, status_name(row.status))
        self._field(self.note_value, view.detail.note)

        if facts is not None:
            sdk = []
            if facts.min_sdk is not None:
                sdk.append(self.tr("min %1").replace("%1", str(facts.min_sdk)))
            if facts.target_sdk is not None:
                sdk.append(self.tr("target %1").replace("%1", str(facts.target_sdk)))
            if facts.max_sdk is not None:
                sdk.append(self.tr("max %1").replace("%1", str(facts.max_sdk)))
            self._field(self.sdk_value, ", ".join(sdk))
            self._field(
                self.abis_value, ", ".join(facts.native_abis) if facts.native_abis else self.tr("none (no native code)")
            )
            self._show_permissions(data)
            self._show_components(facts, data.changes)
            self._show_signers(facts)
            self._show_hashes(facts, view.detail.artifact_sha256)
        self._show_history(view.detail.decisions)

    def _banner_text(self, row: Any, data: DetailData) -> str:
        lines = []
        if row.status not in ("pending", "escalated"):
            decisions = data.view.detail.decisions
            if decisions:
                last = decisions[-1]
                lines.append(
                    self.tr("Already decided: %1 by %2 at %3.")
                    .replace("%1", verdict_name(last.verdict))
                    .replace("%2", last.reviewer)
                    .replace("%3", local_time_text(last.decided_at))
                )
            else:
                lines.append(self.tr("This submission is %1.").replace("%1", status_name(row.status)))
        elif data.claim_error:
            if row.claimed_by:
                until = local_time_text(row.lease_until) if row.lease_until else ""
                lines.append(
                    self.tr("Claimed by %1 until %2: your decision may be refused.")
                    .replace("%1", row.claimed_by)
                    .replace("%2", until)
                )
            else:
                lines.append(self.tr("Could not claim this submission: %1").replace("%1", data.claim_error))
        if data.view.previous is not None and data.view.previous.version_name is not None:
            prev = data.view.previous
            lines.append(
                self.tr("Update of an approved app: last approved version %1.").replace(
                    "%1", version_text(prev.version_name, prev.version_code)
                )
            )
        lines += self._update_problems(data.changes)
        lines += self._update_changes(data.changes, data.view.previous, data.view.facts)
        return "\n".join(lines)

    def _update_changes(self, changes: Any, previous: Any, facts: Any) -> list[str]:
        """The rest of what changed since the last approved version, worth a glance (permissions and
        components are marked in their own sections)."""
        if changes is None:
            return []
        lines = []
        if changes.label_changed:
            lines.append(
                self.tr("Name changed: “%1” → “%2”.")
                .replace("%1", previous.label or "")
                .replace("%2", facts.label or "")
            )
        if changes.icon_changed:
            lines.append(self.tr("The icon changed."))
        if changes.native_abis_added:
            lines.append(self.tr("Native code added: %1.").replace("%1", ", ".join(changes.native_abis_added)))
        if changes.native_abis_removed:
            lines.append(self.tr("Native code removed: %1.").replace("%1", ", ".join(changes.native_abis_removed)))
        if changes.min_sdk_changed:
            lines.append(
                self.tr("Minimum SDK %1 → %2.").replace("%1", str(previous.min_sdk)).replace("%2", str(facts.min_sdk))
            )
        if changes.target_sdk_changed:
            lines.append(
                self.tr("Target SDK %1 → %2.")
                .replace("%1", str(previous.target_sdk))
                .replace("%2", str(facts.target_sdk))
            )
        return lines

    def _update_problems(self, changes: Any) -> list[str]:
        """What makes an update suspect or uninstallable, against the last approved version."""
        if changes is None:
            return []
        lines = []
        if changes.signer_changed:
            lines.append(
                self.tr(
                    "Signed by a different key than the last approved version: phones that have the app will refuse "
                    "this update, and it may not come from the same developer."
                )
            )
        elif changes.signer_rotated:
            lines.append(
                self.tr("The signing key was rotated since the last approved version (the proof of rotation verifies).")
            )
        if not changes.version_code_increased:
            lines.append(
                self.tr(
                    "Version code %1 is not higher than the last approved %2: phones will not install it as an update."
                )
                .replace("%1", str(changes.new_version_code))
                .replace("%2", str(changes.old_version_code))
            )
        return lines

    def _show_permissions(self, data: DetailData) -> None:
        self.permission_model.set_entries(data.requested)
        self.implied_model.set_entries(data.implied)
        self.implied_caption.setVisible(bool(data.implied))
        self.implied_view.setVisible(bool(data.implied))
        dangerous = sum(1 for e in data.requested if e.dangerous)
        title = (
            self.tr("Permissions (%1, %2 dangerous)")
            .replace("%1", str(len(data.requested)))
            .replace("%2", str(dangerous))
        )
        self.permissions_section.set_title(title)
        changes = []
        if data.view.previous is not None:
            added = [e.name for e in data.requested + data.implied if e.added]
            if added:
                changes.append(self.tr("Added since the last approved version: %1").replace("%1", ", ".join(added)))
            if data.removed:
                changes.append(
                    self.tr("Removed since the last approved version: %1").replace("%1", ", ".join(data.removed))
                )
            if not added and not data.removed:
                changes.append(self.tr("Same permissions as the last approved version."))
        self.changes_label.setText("\n".join(changes))
        self.changes_label.setVisible(bool(changes))
        self.permission_view.updateGeometry()
        self.implied_view.updateGeometry()
        self.permissions_section.show()

    def _show_components(self, facts: Any, changes: Any = None) -> None:
        """Components by kind; those the last approved version did not have are marked (a new SMS receiver
        in an update is worth a look)."""
        titles = {
            "activities": self.tr("Activities"),
            "services": self.tr("Services"),
            "receivers": self.tr("Broadcast receivers"),
            "providers": self.tr("Content providers"),
        }
        new = set(changes.components_added or ()) if changes is not None else set()
        total = 0
        for group, names in components(facts):
            item = QTreeWidgetItem([f"{titles[group]} ({len(names)})"])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            for name in names:
                child = QTreeWidgetItem([name])
                notes = [self.tr("(launcher)")] if name == facts.main_activity else []
                if name in new:
                    notes.append(self.tr("(new since the last approved version)"))
                    child.setForeground(0, QBrush(ADDED_COLOR))
                if notes:
                    child.setText(0, "  ".join([name, *notes]))
                item.addChild(child)
            self.components_tree.addTopLevelItem(item)
            item.setExpanded(0 < len(names) <= 12 or any(name in new for name in names))
            total += len(names)
        title = self.tr("Components (%1)").replace("%1", str(total))
        if new:
            title = self.tr("Components (%1, %2 new)").replace("%1", str(total)).replace("%2", str(len(new)))
            self.components_section.toggle.setChecked(True)  # new components are evidence: shown open
        self.components_section.set_title(title)
        self.components_section.show()

    def _show_signers(self, facts: Any) -> None:
        lines = []
        for signer in facts.signers:
            lines.append(signer.subject or self.tr("(no subject)"))
            first, second = _grouped(signer.sha256)
            lines.append("  SHA-256  " + first)
            if second:
                lines.append("           " + second)
            schemes = ", ".join(signer.schemes) if signer.schemes else self.tr("none")
            lines.append("  " + self.tr("Schemes") + "  " + schemes)
            if signer.key_algorithm:
                key = signer.key_algorithm + (f" {signer.key_bits}" if signer.key_bits else "")
                lines.append("  " + self.tr("Key") + "  " + key)
            if signer.not_after:
                lines.append("  " + self.tr("Valid until") + "  " + signer.not_after[:10])
        if not facts.signers:
            lines.append(self.tr("No certificate verifies this APK."))
        if facts.signature_schemes:
            status = ", ".join(
                f"{scheme}: {scheme_state(state)}" for scheme, state in sorted(facts.signature_schemes.items())
            )
            lines.append(self.tr("Verification") + "  " + status)
        self.signers_label.setText("\n".join(lines))
        self.signers_section.set_title(self.tr("Signing certificates (%1)").replace("%1", str(len(facts.signers))))
        self.signers_section.show()

    def _show_hashes(self, facts: Any, artifact_sha256: str | None) -> None:
        lines = []
        sha256 = facts.sha256 or artifact_sha256
        for title, digest in (("SHA-256", sha256), ("SHA-1", facts.sha1), ("MD5", facts.md5)):
            if digest:
                lines.append(title)
                lines.append("  " + digest)
        if facts.size is not None:
            lines.append(self.tr("Size") + f"  {facts.size:,} B")
        self.hashes_label.setText("\n".join(lines))
        self.hashes_section.setVisible(bool(lines))

    def _show_history(self, decisions: Any) -> None:
        if not decisions:
            return
        lines = []
        for d in decisions:
            line = f"{local_time_text(d.decided_at)}  {d.reviewer}: {verdict_name(d.verdict)}"
            if d.reason_codes:
                line += " (" + ", ".join(reason_title(c) for c in d.reason_codes) + ")"
            if d.message:
                line += "\n    " + d.message
            lines.append(line)
        self.history_label.setText("\n".join(lines))
        self.history_section.set_title(self.tr("Previous decisions (%1)").replace("%1", str(len(decisions))))
        self.history_section.show()


def _grouped(hex_digest: str) -> tuple[str, str]:
    """A hex digest in groups of four on two lines, easier to compare by eye."""
    groups = [hex_digest[i : i + 4] for i in range(0, len(hex_digest or ""), 4)]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]), " ".join(groups[half:])
