"""The Facts panel: what the package is and asks for, who signed it, and what an update changed.

Warnings and the update's problems come first (they are what a reviewer must not miss), then the facts
by section. The comparison with the last approved version is `VersionDiff`'s (review/detail.py); the
code comparison arrives later, from the parsing thread, as `show_update("code", text)`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.detail import ReviewDetail, components
from reviewer_app.ui.evidence.base import EvidencePanel, register_panel
from reviewer_app.ui.evidence.widgets import (
    ADDED_COLOR,
    BANNER_STYLE,
    ERROR_BANNER_STYLE,
    WARNING_STYLE,
    CollapsibleSection,
    FittedListView,
    PermissionListModel,
    plain_label,
)
from reviewer_app.ui.text import (
    local_time_text,
    scheme_state,
    status_name,
    time_left_text,
    version_text,
    warning_text,
)


@register_panel
class FactsPanel(EvidencePanel):
    """Identity, SDK levels, permissions, components, signers and hashes of the package."""

    key: ClassVar[str] = "facts"
    order: ClassVar[int] = 10
    sources: ClassVar[tuple[str, ...]] = ("facts", "update")

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("FactsPanel", "Facts")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factsPanel")
        self._code_text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.scroll_area)
        self._build()
        self.clear()

    @property
    def submission_id(self) -> int | None:
        return self.detail.submission_id if self.detail is not None else None

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        page = QWidget(self.scroll_area)
        page.setObjectName("factsPage")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(10, 8, 10, 10)
        outer.setSpacing(6)

        # What an update changed since the last approved version (red when it is alarming).
        self.banner = plain_label(page)
        self.banner.setObjectName("updateBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        outer.addWidget(self.banner)

        self.warnings_label = plain_label(page, selectable=True)
        self.warnings_label.setObjectName("warningsLabel")
        self.warnings_label.setStyleSheet(WARNING_STYLE)
        self.warnings_label.setAccessibleName(self.tr("Warnings"))
        outer.addWidget(self.warnings_label)

        # What the update's code adds, filled in when the comparison (on the parsing thread) is done.
        self.code_label = plain_label(page, selectable=True)
        self.code_label.setObjectName("codeChanges")
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
        self.submitted_value = plain_label(facts)
        self.deadline_value = plain_label(facts)
        self.status_value = plain_label(facts)
        self.sdk_value = plain_label(facts)
        self.abis_value = plain_label(facts, selectable=True)
        self.note_value = plain_label(facts, selectable=True)
        self._form_rows = [
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

        perm_body = QWidget(page)
        perm_layout = QVBoxLayout(perm_body)
        perm_layout.setContentsMargins(0, 0, 0, 0)
        perm_layout.setSpacing(4)
        self.permission_model = PermissionListModel(self)
        self.permission_view = FittedListView(perm_body)
        self.permission_view.setObjectName("permissionList")
        self.permission_view.setModel(self.permission_model)
        self.permission_view.setAccessibleName(self.tr("Requested permissions"))
        perm_layout.addWidget(self.permission_view)
        self.changes_label = plain_label(perm_body, selectable=True)
        perm_layout.addWidget(self.changes_label)
        self.implied_caption = plain_label(perm_body)
        self.implied_caption.setText(self.tr("Implied by the target SDK (not requested):"))
        self.implied_caption.setStyleSheet("QLabel { color: #555555; }")
        perm_layout.addWidget(self.implied_caption)
        self.implied_model = PermissionListModel(self)
        self.implied_view = FittedListView(perm_body)
        self.implied_view.setObjectName("impliedPermissionList")
        self.implied_view.setModel(self.implied_model)
        self.implied_view.setAccessibleName(self.tr("Implied permissions"))
        perm_layout.addWidget(self.implied_view)
        self.permissions_section = CollapsibleSection(self.tr("Permissions"), perm_body, True, page)
        outer.addWidget(self.permissions_section)

        self.components_tree = QTreeWidget(page)
        self.components_tree.setObjectName("componentsTree")
        self.components_tree.setHeaderHidden(True)
        self.components_tree.setColumnCount(1)
        self.components_tree.setMinimumHeight(140)
        self.components_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.components_section = CollapsibleSection(self.tr("Components"), self.components_tree, False, page)
        outer.addWidget(self.components_section)

        self.signers_label = plain_label(page, selectable=True, mono=True)
        self.signers_section = CollapsibleSection(self.tr("Signing certificates"), self.signers_label, True, page)
        outer.addWidget(self.signers_section)

        # Each digest whole on its own line, so that it copies as one word.
        self.hashes_label = plain_label(page, selectable=True, mono=True)
        self.hashes_section = CollapsibleSection(self.tr("File hashes"), self.hashes_label, True, page)
        outer.addWidget(self.hashes_section)

        self.empty_label = plain_label(page)
        self.empty_label.setStyleSheet("QLabel { color: #555555; }")
        outer.addWidget(self.empty_label)
        outer.addStretch(1)
        self.scroll_area.setWidget(page)

    # -- states ----------------------------------------------------------------------------------

    def clear(self) -> None:
        super().clear()
        self._code_text = ""
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
        for section in (self.permissions_section, self.components_section, self.signers_section, self.hashes_section):
            section.hide()
        self.empty_label.hide()

    def show_update(self, name: str, value: Any) -> None:
        if name != "code":
            return
        self._code_text = str(value or "")
        self.code_label.setText(self._code_text)
        self.code_label.setVisible(bool(self._code_text))

    def _field(self, widget: QLabel, text: str | None) -> None:
        widget.setText(text or "")
        self.facts_form.setRowVisible(widget, bool(text))

    def show_detail(self, detail: ReviewDetail, now: datetime | None = None) -> None:
        self.clear()
        self.detail = detail
        view = detail.view
        row, facts = view.row, view.facts

        banner = self._update_text(detail)
        if banner:
            changes = detail.changes
            alarming = changes is not None and (changes.signer_changed or not changes.version_code_increased)
            self.banner.setStyleSheet(ERROR_BANNER_STYLE if alarming else BANNER_STYLE)
            self.banner.setText(banner)
            self.banner.show()

        if facts is not None and (facts.warnings or facts.error):
            lines = [f"⚠ {warning_text(w, facts.warning_codes.get(w))}" for w in facts.warnings]
            if facts.error:
                lines.insert(0, f"⚠ {warning_text(facts.error, facts.error_code)}")
            self.warnings_label.setText(self.tr("Warnings") + "\n" + "\n".join(lines))
            self.warnings_label.show()

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

        if facts is None:
            self.empty_label.setText(self.tr("This submission has no package: it changes the listing or the account."))
            self.empty_label.show()
            return
        sdk = []
        if facts.min_sdk is not None:
            sdk.append(self.tr("min %1").replace("%1", str(facts.min_sdk)))
        if facts.target_sdk is not None:
            sdk.append(self.tr("target %1").replace("%1", str(facts.target_sdk)))
        if facts.max_sdk is not None:
            sdk.append(self.tr("max %1").replace("%1", str(facts.max_sdk)))
        self._field(self.sdk_value, ", ".join(sdk))
        abis = ", ".join(facts.native_abis) if facts.native_abis else self.tr("none (no native code)")
        self._field(self.abis_value, abis)
        self._show_permissions(detail)
        self._show_components(facts, detail.changes)
        self._show_signers(facts)
        self._show_hashes(facts, view.detail.artifact_sha256)

    # -- the update ------------------------------------------------------------------------------

    def _update_text(self, detail: ReviewDetail) -> str:
        previous, changes, facts = detail.view.previous, detail.changes, detail.view.facts
        lines = []
        if previous is not None and previous.version_name is not None:
            last = version_text(previous.version_name, previous.version_code)
            lines.append(self.tr("Update of an approved app: last approved version %1.").replace("%1", last))
        if changes is None:
            return "\n".join(lines)
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
        return "\n".join(lines)

    # -- sections --------------------------------------------------------------------------------

    def _show_permissions(self, detail: ReviewDetail) -> None:
        self.permission_model.set_entries(detail.requested)
        self.implied_model.set_entries(detail.implied)
        self.implied_caption.setVisible(bool(detail.implied))
        self.implied_view.setVisible(bool(detail.implied))
        dangerous = sum(1 for e in detail.requested if e.dangerous)
        title = (
            self.tr("Permissions (%1, %2 dangerous)")
            .replace("%1", str(len(detail.requested)))
            .replace("%2", str(dangerous))
        )
        self.permissions_section.set_title(title)
        lines = []
        if detail.changes is not None:
            added = [e.name for e in detail.requested + detail.implied if e.added]
            if added:
                lines.append(self.tr("Added since the last approved version: %1").replace("%1", ", ".join(added)))
            if detail.removed:
                removed = ", ".join(detail.removed)
                lines.append(self.tr("Removed since the last approved version: %1").replace("%1", removed))
            if not added and not detail.removed:
                lines.append(self.tr("Same permissions as the last approved version."))
        self.changes_label.setText("\n".join(lines))
        self.changes_label.setVisible(bool(lines))
        self.permission_view.updateGeometry()
        self.implied_view.updateGeometry()
        self.permissions_section.show()

    def _show_components(self, facts: Any, changes: Any = None) -> None:
        """Components by kind; those `VersionDiff` says are new are marked (a new SMS receiver in an update
        is worth a look)."""
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


def _grouped(hex_digest: str) -> tuple[str, str]:
    """A hex digest in groups of four on two lines, easier to compare by eye."""
    groups = [hex_digest[i : i + 4] for i in range(0, len(hex_digest or ""), 4)]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]), " ".join(groups[half:])
