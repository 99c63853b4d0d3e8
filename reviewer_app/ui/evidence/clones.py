"""The Clones panel: the catalog apps that look most like the submission, and whether it is a counterfeit.

On top the clone search's verdict (counterfeit suspected in red, naming the app it copies; the same
developer's family in blue; no match in green), or what is happening while a worker compares. Below, the
candidates best first, to flip through with the keyboard, and the submission side by side with the one
selected: icons at the same size, names with the differing characters marked, packages, developers,
signers, each signal's score, the permissions each side asks for, and the classes and resources they share.

Labels, packages, developers and certificate subjects come from untrusted APKs: they are shown as plain
text, or HTML-escaped where the name comparison needs rich text to mark characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QLocale, QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.review.detail import ReviewDetail
from reviewer_app.ui.evidence.base import EvidencePanel, register_panel
from reviewer_app.ui.evidence.clone_parts import (
    ICON_SIZE,
    FittedTree,
    decode_icon,
    diff_text,
    name_diff_html,
    plain_html,
    scaled_pixmap,
    short_permission,
)
from reviewer_app.ui.evidence.widgets import (
    ADDED_COLOR,
    BANNER_STYLE,
    DANGER_COLOR,
    ERROR_BANNER_STYLE,
    CollapsibleSection,
    FittedListView,
    plain_label,
)
from reviewer_app.ui.text import (
    CLONE_SIGNAL_NAMES,
    certificate_match_name,
    clone_signal_name,
    clone_verdict_name,
    local_time_text,
    name_reason_text,
    reason_title,
)

PASS_BANNER_STYLE = (
    "QLabel { background: #e6f4ea; color: #1e5e2a; border: 1px solid #9fd3aa; border-radius: 4px; padding: 6px; }"
)
VERDICT_STYLES = {
    "counterfeit_suspected": ERROR_BANNER_STYLE,
    "same_developer_family": BANNER_STYLE,
    "no_match": PASS_BANNER_STYLE,
}
MUTED_COLOR = QColor("#6b6b6b")
SAME_COLOR = QColor("#2e7d32")
MAX_LISTED = 300  # shared classes or resources listed; the rest are counted
HIGH_SCORE = 0.8
LISTED_ROWS = 5  # candidates the list shows without scrolling

# Columns of the candidate list.
COL_SCORE, COL_LABEL, COL_PACKAGE, COL_DEVELOPER = range(4)
CatalogIdRole = Qt.ItemDataRole.UserRole + 1
WithdrawnRole = Qt.ItemDataRole.UserRole + 2

# Columns of the permission comparison; SideRole on its rows: "both", "submission" or "candidate".
COL_PERMISSION, COL_HERE, COL_THERE = range(3)
SideRole = Qt.ItemDataRole.UserRole + 3


@register_panel
class ClonesPanel(EvidencePanel):
    """The catalog apps most like the submission, side by side with it, and the clone search's verdict."""

    key: ClassVar[str] = "clones"
    order: ClassVar[int] = 30
    sources: ClassVar[tuple[str, ...]] = ("clones",)

    @classmethod
    def title(cls) -> str:
        return QCoreApplication.translate("ClonesPanel", "Clones")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clonesPanel")
        self._candidates: tuple[Any, ...] = ()
        self._icons: dict[int, QPixmap | None] = {}
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._italic = QFont(self.font())
        self._italic.setItalic(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)

        # The verdict: red, blue or green; or nothing while there is none.
        self.verdict_banner = plain_label(self, selectable=True)
        self.verdict_banner.setObjectName("cloneVerdict")
        layout.addWidget(self.verdict_banner)

        # Waiting, comparing, or no package to compare.
        self.state_label = plain_label(self, selectable=True)
        self.state_label.setObjectName("cloneState")
        self.state_label.setStyleSheet(BANNER_STYLE)
        layout.addWidget(self.state_label)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        self.info_label = plain_label(self)
        self.info_label.setObjectName("cloneInfo")
        self.info_label.setStyleSheet("QLabel { color: #555555; }")
        controls.addWidget(self.info_label, 1)
        self.reject_button = QPushButton(self.tr("Reject as counterfeit…"), self)
        self.reject_button.setObjectName("rejectCounterfeit")
        self.reject_button.clicked.connect(self.reject_as_counterfeit)
        controls.addWidget(self.reject_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(controls)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("cloneSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.candidate_list = self._build_candidate_list()
        self.splitter.addWidget(self.candidate_list)
        self.scroll_area = QScrollArea(self.splitter)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._build_comparison())
        self.splitter.addWidget(self.scroll_area)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([110, 400])
        layout.addWidget(self.splitter, 1)
        layout.addStretch(0)  # takes the room when there are no candidates to show
        self.setFocusProxy(self.candidate_list)
        self.clear()

    # -- layout ----------------------------------------------------------------------------------

    def _build_candidate_list(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("cloneCandidates")
        tree.setColumnCount(4)
        tree.setHeaderLabels([self.tr("Score"), self.tr("Name"), self.tr("Package"), self.tr("Developer")])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.setAccessibleName(self.tr("Catalog apps like this submission, best first"))
        tree.setMinimumHeight(70)
        header = tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(COL_SCORE, 56)
        header.resizeSection(COL_LABEL, 170)
        header.resizeSection(COL_PACKAGE, 220)
        tree.currentItemChanged.connect(self._on_current_changed)
        return tree

    def _value_label(self, parent: QWidget, selectable: bool = True) -> QLabel:
        """A value of the side-by-side grid: plain text that wraps, never wider than its column."""
        label = plain_label(parent, selectable=selectable)
        label.setMinimumWidth(1)
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    def _name_label(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setMinimumWidth(1)
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        label.setFont(font)
        return label

    def _icon_label(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setFixedSize(ICON_SIZE + 4, ICON_SIZE + 4)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("QLabel { border: 1px solid #d0d0d0; border-radius: 4px; color: #777777; }")
        return label

    def _caption(self, parent: QWidget, text: str) -> QLabel:
        label = QLabel(text, parent)
        label.setStyleSheet("QLabel { color: #555555; }")
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        return label

    def _build_comparison(self) -> QWidget:
        page = QWidget()
        page.setObjectName("clonesComparison")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 4, 4, 4)
        outer.setSpacing(6)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.comparison_grid = grid

        self.sub_title = QLabel(self.tr("This submission"), page)
        self.sub_title.setFont(self._bold)
        self.cand_title = self._value_label(page, selectable=False)
        self.cand_title.setFont(self._bold)
        grid.addWidget(self.sub_title, 0, 1)
        grid.addWidget(self.cand_title, 0, 2)

        self.withdrawn_label = self._value_label(page, selectable=False)
        self.withdrawn_label.setObjectName("cloneWithdrawn")
        self.withdrawn_label.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")
        grid.addWidget(self.withdrawn_label, 1, 2)

        self.sub_icon = self._icon_label(page)
        self.cand_icon = self._icon_label(page)
        grid.addWidget(self._caption(page, self.tr("Icon")), 2, 0)
        grid.addWidget(self.sub_icon, 2, 1)
        grid.addWidget(self.cand_icon, 2, 2)

        self.sub_name = self._name_label(page)
        self.sub_name.setObjectName("submissionName")
        self.cand_name = self._name_label(page)
        self.cand_name.setObjectName("candidateName")
        grid.addWidget(self._caption(page, self.tr("Name")), 3, 0)
        grid.addWidget(self.sub_name, 3, 1)
        grid.addWidget(self.cand_name, 3, 2)

        # The candidate's names in other languages.
        self.cand_locales = self._value_label(page)
        self.cand_locales.setStyleSheet("QLabel { color: #555555; }")
        grid.addWidget(self.cand_locales, 4, 2)

        # Why the clone search finds the names alike.
        self.reasons_label = self._value_label(page)
        self.reasons_label.setObjectName("nameReasons")
        grid.addWidget(self.reasons_label, 5, 1, 1, 2)

        rows = [
            ("package", self.tr("Package")),
            ("developer", self.tr("Developer")),
            ("signers", self.tr("Signed by")),
        ]
        self.sub_values: dict[str, QLabel] = {}
        self.cand_values: dict[str, QLabel] = {}
        for offset, (key, caption) in enumerate(rows):
            row = 6 + offset
            grid.addWidget(self._caption(page, caption), row, 0)
            self.sub_values[key] = self._value_label(page)
            self.cand_values[key] = self._value_label(page)
            grid.addWidget(self.sub_values[key], row, 1)
            grid.addWidget(self.cand_values[key], row, 2)
        self.sub_package, self.cand_package = self.sub_values["package"], self.cand_values["package"]
        self.sub_developer, self.cand_developer = self.sub_values["developer"], self.cand_values["developer"]
        self.sub_signers, self.cand_signers = self.sub_values["signers"], self.cand_values["signers"]
        outer.addLayout(grid)

        # Each signal's score: how alike the two are by name, icon, package, key, code and resources.
        signals = QWidget(page)
        signals.setObjectName("cloneSignals")
        signals_grid = QGridLayout(signals)
        signals_grid.setContentsMargins(0, 0, 0, 0)
        signals_grid.setHorizontalSpacing(10)
        signals_grid.setVerticalSpacing(2)
        self.signal_values: dict[str, QLabel] = {}
        for index, key in enumerate(CLONE_SIGNAL_NAMES):
            row, column = divmod(index, 3)
            signal_caption = self._caption(signals, clone_signal_name(key))
            value = QLabel(signals)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setObjectName(f"signal_{key}")
            signal_caption.setBuddy(value)
            signals_grid.addWidget(signal_caption, row, 2 * column)
            signals_grid.addWidget(value, row, 2 * column + 1)
            signals_grid.setColumnStretch(2 * column + 1, 1)
            self.signal_values[key] = value
        self.signals_section = CollapsibleSection(self.tr("Signals"), signals, expanded=True, parent=page)
        outer.addWidget(self.signals_section)

        self.permission_tree = FittedTree(page)
        self.permission_tree.setObjectName("clonePermissions")
        self.permission_tree.setColumnCount(3)
        self.permission_tree.setHeaderLabels([self.tr("Permission"), self.tr("This submission"), self.tr("Candidate")])
        self.permission_tree.setAccessibleName(self.tr("Permissions of the submission and the candidate"))
        header = self.permission_tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_PERMISSION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_HERE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_THERE, QHeaderView.ResizeMode.ResizeToContents)
        self.permission_section = CollapsibleSection(
            self.tr("Permissions"), self.permission_tree, expanded=True, parent=page
        )
        outer.addWidget(self.permission_section)

        self.classes_model = QStringListModel(self)
        self.classes_view = FittedListView(page)
        self.classes_view.setObjectName("sharedClasses")
        self.classes_view.setModel(self.classes_model)
        self.classes_view.setAccessibleName(self.tr("Classes both apps contain"))
        self.classes_section = CollapsibleSection(self.tr("Shared classes"), self.classes_view, False, page)
        outer.addWidget(self.classes_section)

        self.resources_model = QStringListModel(self)
        self.resources_view = FittedListView(page)
        self.resources_view.setObjectName("sharedResources")
        self.resources_view.setModel(self.resources_model)
        self.resources_view.setAccessibleName(self.tr("Resources both apps contain"))
        self.resources_section = CollapsibleSection(self.tr("Shared resources"), self.resources_view, False, page)
        outer.addWidget(self.resources_section)
        outer.addStretch(1)
        self.comparison = page
        return page

    # -- reading ---------------------------------------------------------------------------------

    @property
    def submission_id(self) -> int | None:
        return self.detail.submission_id if self.detail is not None else None

    def candidates(self) -> tuple[Any, ...]:
        return self._candidates

    def selected_candidate(self) -> Any:
        """The CloneCandidate on the right side (None: none)."""
        item = self.candidate_list.currentItem()
        if item is None:
            return None
        catalog_id = item.data(COL_SCORE, CatalogIdRole)
        return next((c for c in self._candidates if c.catalog_id == catalog_id), None)

    def select_candidate(self, catalog_id: int) -> bool:
        for index in range(self.candidate_list.topLevelItemCount()):
            item = self.candidate_list.topLevelItem(index)
            if item is not None and item.data(COL_SCORE, CatalogIdRole) == catalog_id:
                self.candidate_list.setCurrentItem(item)
                return True
        return False

    # -- states ----------------------------------------------------------------------------------

    def clear(self) -> None:
        super().clear()
        self._candidates = ()
        self._icons = {}
        self.verdict_banner.hide()
        self.verdict_banner.setProperty("verdict", None)
        self.state_label.hide()
        self.info_label.clear()
        self.info_label.hide()
        self.reject_button.setEnabled(False)
        self.reject_button.hide()
        self.candidate_list.blockSignals(True)
        self.candidate_list.clear()
        self.candidate_list.blockSignals(False)
        self.splitter.hide()
        self._show_candidate(None)

    def show_detail(self, detail: ReviewDetail, now: datetime | None = None) -> None:
        same = self.detail is not None and self.detail.submission_id == detail.submission_id
        chosen = self.selected_candidate() if same else None
        self.clear()
        self.detail = detail
        record = detail.view.detail
        result = getattr(record, "clones", None)
        self._show_state(record.artifact_sha256, result, getattr(record, "clone_job", None))
        if record.artifact_sha256 is None and result is None:
            return
        self._show_verdict(result)
        if result is None:
            return
        self._candidates = tuple(result.candidates)
        self.info_label.setText(
            self.tr("Compared %1 with %2 catalog apps")
            .replace("%1", local_time_text(result.computed_at))
            .replace("%2", QLocale().toString(int(result.catalog_size or 0)))
        )
        self.info_label.show()
        self.reject_button.show()
        counterfeit = result.verdict == "counterfeit_suspected"
        self.reject_button.setEnabled(counterfeit)
        self.reject_button.setToolTip(
            self.tr("Open the reject form with the reason “%1” chosen.").replace("%1", reason_title("counterfeit"))
            if counterfeit
            else self.tr("Only when the clone search suspects a counterfeit.")
        )
        if not self._candidates:
            return
        self.candidate_list.blockSignals(True)
        for candidate in self._candidates:
            self.candidate_list.addTopLevelItem(self._candidate_item(candidate))
        self.candidate_list.blockSignals(False)
        self.splitter.show()
        self._fit_candidate_list()
        keep = chosen.catalog_id if chosen is not None else self._candidates[0].catalog_id
        if not self.select_candidate(keep):
            self.select_candidate(self._candidates[0].catalog_id)

    def _fit_candidate_list(self) -> None:
        """The list as tall as its rows, up to LISTED_ROWS; the comparison gets the rest."""
        tree = self.candidate_list
        rows = min(max(tree.topLevelItemCount(), 1), LISTED_ROWS)
        row_height = max(tree.sizeHintForRow(0), tree.fontMetrics().height() + 4)
        height = rows * row_height + tree.header().sizeHint().height() + 2 * tree.frameWidth() + 2
        total = sum(self.splitter.sizes()) or self.splitter.height()
        self.splitter.setSizes([height, max(total - height, 1)])

    def _show_state(self, artifact_sha256: str | None, result: Any, job: str | None) -> None:
        text = ""
        if artifact_sha256 is None and result is None:
            text = self.tr("No package to compare: this submission changes the listing or the account.")
        elif result is None:
            if job == "queued":
                text = self.tr("Waiting for a worker to compare it with the catalog.")
            elif job == "running":
                text = self.tr("Comparing with the catalog…")
            else:
                text = self.tr("Not compared with the catalog yet.")
        elif job == "queued":
            text = self.tr("A new comparison is waiting for a worker; below, the last one.")
        elif job == "running":
            text = self.tr("A new comparison is running; below, the last one.")
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))

    def _show_verdict(self, result: Any) -> None:
        if result is None:
            self.verdict_banner.hide()
            return
        best = result.candidates[0] if result.candidates else None
        lines = []
        if result.verdict == "counterfeit_suspected":
            lines.append("⚠ " + self.tr("Counterfeit suspected"))
            if best is not None:
                certificate = (best.signals or {}).get("certificate")
                if certificate == "different":
                    text = self.tr("Looks like %1 (%2) by %3, signed by someone else.")
                elif certificate == "same":
                    text = self.tr("Looks like %1 (%2) by %3, signed with the same key.")
                else:
                    text = self.tr("Looks like %1 (%2) by %3; the signers could not be compared.")
                lines.append(self._fill(text, best))
        elif result.verdict == "same_developer_family":
            lines.append("ℹ " + self.tr("Same developer family"))
            if best is not None:
                lines.append(self._fill(self.tr("Close to %1 (%2) by %3, from the same developer."), best))
        elif result.verdict == "no_match":
            lines.append("✓ " + self.tr("No match"))
            lines.append(
                self.tr("Compared with %1 catalog apps: none looks like this one.").replace(
                    "%1", QLocale().toString(int(result.catalog_size or 0))
                )
            )
        else:
            lines.append(str(result.verdict))
        self.verdict_banner.setText("\n".join(lines))
        self.verdict_banner.setStyleSheet(VERDICT_STYLES.get(result.verdict, BANNER_STYLE))
        self.verdict_banner.setProperty("verdict", result.verdict)
        self.verdict_banner.setAccessibleName(
            self.tr("Clone verdict: %1").replace("%1", clone_verdict_name(str(result.verdict)))
        )
        self.verdict_banner.show()

    @staticmethod
    def _fill(text: str, candidate: Any) -> str:
        """Fill %1 %2 %3 with label, package and developer at once (a label may itself contain "%2")."""
        values = {"%1": candidate.label or "?", "%2": candidate.package or "?", "%3": candidate.developer or "?"}
        out, index = [], 0
        while index < len(text):
            piece = text[index : index + 2]
            if piece in values:
                out.append(values[piece])
                index += 2
            else:
                out.append(text[index])
                index += 1
        return "".join(out)

    def _candidate_item(self, candidate: Any) -> QTreeWidgetItem:
        withdrawn = bool((candidate.matched or {}).get("withdrawn"))
        label = candidate.label or ""
        if withdrawn:
            label = self.tr("%1 (withdrawn)").replace("%1", label)
        item = QTreeWidgetItem(["", label, candidate.package or "", candidate.developer or ""])
        item.setText(COL_SCORE, self._percent(candidate.score))
        item.setTextAlignment(COL_SCORE, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setData(COL_SCORE, CatalogIdRole, candidate.catalog_id)
        item.setData(COL_SCORE, WithdrawnRole, withdrawn)
        for column in range(4):
            item.setToolTip(column, item.text(column))
        if withdrawn:
            for column in range(4):
                item.setFont(column, self._italic)
            item.setForeground(COL_LABEL, QBrush(DANGER_COLOR))
            item.setToolTip(COL_LABEL, self.tr("%1 — withdrawn from the store (recalled)").replace("%1", label))
        if isinstance(candidate.score, int | float) and candidate.score >= HIGH_SCORE:
            item.setFont(COL_SCORE, self._bold)
        return item

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self._show_candidate(self.selected_candidate() if current is not None else None)

    # -- the side-by-side comparison -------------------------------------------------------------

    def _show_candidate(self, candidate: Any) -> None:
        """The submission on the left, `candidate` on the right (None: empty both)."""
        if candidate is None or self.detail is None:
            self.comparison.setEnabled(False)
            for label in (self.sub_name, self.cand_name, self.cand_title, self.withdrawn_label):
                label.clear()
            for label in (*self.sub_values.values(), *self.cand_values.values(), *self.signal_values.values()):
                label.clear()
            self.sub_icon.clear()
            self.cand_icon.clear()
            self.reasons_label.hide()
            self.cand_locales.hide()
            self.withdrawn_label.hide()
            self.permission_tree.clear()
            self.classes_model.setStringList([])
            self.resources_model.setStringList([])
            return
        self.comparison.setEnabled(True)
        view = self.detail.view
        facts, row = view.facts, view.row
        matched = candidate.matched if isinstance(candidate.matched, dict) else {}

        index = self._candidates.index(candidate) + 1 if candidate in self._candidates else 0
        self.cand_title.setText(
            self.tr("Candidate %1 of %2 — score %3")
            .replace("%1", str(index))
            .replace("%2", str(len(self._candidates)))
            .replace("%3", self._percent(candidate.score))
        )
        withdrawn = bool(matched.get("withdrawn"))
        protected = bool(matched.get("protected_name"))
        if withdrawn:
            self.withdrawn_label.setText(self.tr("Withdrawn from the store (recalled)"))
        elif protected:  # no live app: a name in the brand registry, only its owner may use it
            self.withdrawn_label.setText(self.tr("A protected name in the brand registry: only %1 may use it")
                                         .replace("%1", candidate.developer))  # fmt: skip
        else:
            self.withdrawn_label.clear()
        self.withdrawn_label.setVisible(withdrawn or protected)

        self._set_icon(self.sub_icon, scaled_pixmap(self.detail.icon))
        self._set_icon(self.cand_icon, self._candidate_icon(candidate.catalog_id))

        sub_label = (getattr(facts, "label", None) if facts is not None else None) or row.label or ""
        diff = matched.get("name_diff")
        self.sub_name.setText(self._rich(self._name_html(diff, "submission", sub_label)))
        self.cand_name.setText(self._rich(self._name_html(diff, "candidate", candidate.label or "")))
        self.sub_name.setToolTip(sub_label)
        self.cand_name.setToolTip(candidate.label or "")

        labels = matched.get("labels")
        others = [
            f"{locale}: {text}" for locale, text in (labels.items() if isinstance(labels, dict) else ()) if locale
        ]
        self.cand_locales.setText(" · ".join(others))
        self.cand_locales.setVisible(bool(others))

        reasons = [name_reason_text(str(code)) for code in matched.get("name_reasons") or ()]
        self.reasons_label.setText(
            self.tr("The names look alike: %1.").replace("%1", "; ".join(reasons)) if reasons else ""
        )
        self.reasons_label.setVisible(bool(reasons))

        sub_package = (getattr(facts, "package", None) if facts is not None else None) or row.package or ""
        self._set_value(self.sub_package, sub_package)
        self._set_value(self.cand_package, candidate.package or "")
        self._set_value(self.sub_developer, row.developer or "")
        self._set_value(self.cand_developer, candidate.developer or "")
        sub_subjects = [s.subject for s in getattr(facts, "signers", None) or ()] if facts is not None else []
        self._set_value(self.sub_signers, "\n".join(sub_subjects) or self.tr("not known"))
        cand_subjects = [str(s) for s in matched.get("cert_subjects") or ()]
        self._set_value(self.cand_signers, "\n".join(cand_subjects) or self.tr("not known"))
        certificate = (candidate.signals or {}).get("certificate")
        signer_color = "#8a1c1c" if certificate == "different" else ""
        self.cand_signers.setStyleSheet(f"QLabel {{ color: {signer_color}; }}" if signer_color else "")

        self._show_signals(candidate.signals if isinstance(candidate.signals, dict) else {})
        sub_permissions = list(getattr(facts, "permissions", None) or ()) if facts is not None else []
        cand_permissions = matched.get("permissions")
        self._show_permissions(sub_permissions, None if cand_permissions is None else list(cand_permissions))
        self._show_shared(
            self.classes_section, self.classes_model, matched, "shared_classes", self.tr("Shared classes")
        )
        self._show_shared(
            self.resources_section, self.resources_model, matched, "shared_resources", self.tr("Shared resources")
        )

    @staticmethod
    def _name_html(diff: Any, side: str, label: str) -> str:
        """One side's name with what differs marked; the plain name when the diff is not of this name."""
        if diff and diff_text(diff, side) == label:
            return name_diff_html(diff, side)
        return plain_html(label)

    @staticmethod
    def _rich(fragment: str) -> str:
        return f'<span style="white-space: pre-wrap;">{fragment}</span>'

    @staticmethod
    def _set_value(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setToolTip(text)

    def _set_icon(self, label: QLabel, pixmap: QPixmap | None) -> None:
        if pixmap is None:
            label.clear()
            label.setText(self.tr("no icon"))
        else:
            label.setPixmap(pixmap)

    def _candidate_icon(self, catalog_id: int) -> QPixmap | None:
        if catalog_id not in self._icons:
            icons = getattr(self.detail, "clone_icons", None) or {}
            try:
                self._icons[catalog_id] = decode_icon(icons.get(catalog_id))
            except Exception:  # bytes from the catalog: a broken icon shows as none, nothing else breaks
                self._icons[catalog_id] = None
        return self._icons[catalog_id]

    def _percent(self, value: Any) -> str:
        if not isinstance(value, int | float):
            return ""
        return self.tr("%1%").replace("%1", str(round(max(0.0, min(1.0, float(value))) * 100)))

    def _show_signals(self, signals: dict[str, Any]) -> None:
        for key, label in self.signal_values.items():
            value = signals.get(key)
            font = QFont(label.font())
            font.setBold(False)
            color = ""
            if key == "certificate":
                text = certificate_match_name(str(value or "unknown"))
                if value == "different":
                    color, bold = DANGER_COLOR.name(), True
                else:
                    color, bold = (SAME_COLOR.name() if value == "same" else ""), False
                font.setBold(bold)
            elif isinstance(value, int | float):
                text = self._percent(value)
                font.setBold(value >= HIGH_SCORE)
            elif value is None:
                text = self.tr("not compared")
                color = MUTED_COLOR.name()
            else:
                text = str(value)
            label.setText(text)
            label.setFont(font)
            label.setStyleSheet(f"QLabel {{ color: {color}; }}" if color else "")

    def _show_permissions(self, mine: Sequence[str], theirs: Sequence[str] | None) -> None:
        """A row per permission of either side; those only one side asks for first, marked."""
        tree = self.permission_tree
        tree.clear()
        here, there = set(mine), set(theirs or ())
        known = theirs is not None
        names = sorted(here | there, key=lambda n: (known and n in here and n in there, short_permission(n)))
        only_here = only_there = 0
        for name in names:
            side = "both" if name in here and name in there else "submission" if name in here else "candidate"
            if not known:
                side = "submission"
            item = QTreeWidgetItem([short_permission(name), "✓" if name in here else "", "✓" if name in there else ""])
            item.setData(COL_PERMISSION, SideRole, side)
            item.setToolTip(COL_PERMISSION, name)
            for column in (COL_HERE, COL_THERE):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
            if known and side != "both":
                color = QBrush(ADDED_COLOR if side == "submission" else MUTED_COLOR)
                for column in range(3):
                    item.setFont(column, self._bold)
                    item.setForeground(column, color)
                if side == "submission":
                    only_here += 1
                    item.setToolTip(
                        COL_PERMISSION, self.tr("%1 — only this submission asks for it").replace("%1", name)
                    )
                else:
                    only_there += 1
                    item.setToolTip(COL_PERMISSION, self.tr("%1 — only the candidate asks for it").replace("%1", name))
            tree.addTopLevelItem(item)
        tree.updateGeometry()
        if not known:
            title = self.tr("Permissions (%1; the candidate's are not known)").replace("%1", str(len(here)))
        elif only_here or only_there:
            title = (
                self.tr("Permissions: %1 only here, %2 only in the candidate, %3 both")
                .replace("%1", str(only_here))
                .replace("%2", str(only_there))
                .replace("%3", str(len(here & there)))
            )
        else:
            title = self.tr("Permissions: the same %1").replace("%1", str(len(here)))
        self.permission_section.set_title(title)
        self.permission_section.setVisible(bool(names) or known)

    def _show_shared(
        self, section: CollapsibleSection, model: QStringListModel, matched: dict[str, Any], key: str, title: str
    ) -> None:
        values = matched.get(key)
        if values is None:
            model.setStringList([])
            section.hide()
            return
        names = [str(v) for v in self._take(values, MAX_LISTED + 1)]
        total = len(values) if isinstance(values, Sequence) else len(names)
        listed = names[:MAX_LISTED]
        if total > len(listed):
            listed.append(self.tr("… and %1 more").replace("%1", str(total - len(listed))))
        model.setStringList(listed)
        section.set_title(f"{title} ({total})")
        section.show()
        section.body.updateGeometry()

    @staticmethod
    def _take(values: Iterable[Any], count: int) -> list[Any]:
        out: list[Any] = []
        for value in values:
            if len(out) >= count:
                break
            out.append(value)
        return out

    # -- actions ---------------------------------------------------------------------------------

    def reject_as_counterfeit(self) -> None:
        """Ask the window to open the reject form with "counterfeit" chosen (the reviewer still decides)."""
        if self.detail is None or not self.reject_button.isEnabled():
            return
        self.suggest_rejection(("counterfeit",))
