"""The code comparison of an update, for the Facts panel: the DEX classes of the last approved version's APK
and of the update's, read on the parsing thread (`ParseJobs`, a second for a large app), compared by
`review.detail.code_changes`, and said in one short text ("classes added 12, removed 3", new packages).

One `CodeComparison` serves every window that shows an update's facts: the review queue's submission
view (`DetailLoader`) and the lead's blind audit (`AuditQueueTab`), which gives it the two blobs named by the
evidence frozen with the decision. A comparison depends on the two files alone, and blobs are
content-addressed and never change, so a comparison is known by its pair of paths: done once, kept (the
last `MAX_CACHED`), and shown wherever that pair is on show.

A file missing from the blob store (a workstation that does not share the team's blobs, say) gives one line
saying which APK is missing, and is not kept: the blob may be there the next time. So is a parse that
failed as a whole. A file that is there but cannot be read gives its reason, and is kept.

The texts keep the translation context "DetailLoader", where they were first translated.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal

from reviewer_app.review.detail import CodeChanges, code_changes
from reviewer_app.ui.jobs import ParsedFile, ParseJobs
from reviewer_app.ui.text import warning_text

CodePaths = tuple[str, str]  # (the last approved version's APK, the update's APK), as ReviewDetail.code_paths


def comparing_text() -> str:
    return QCoreApplication.translate("DetailLoader", "Comparing the code with the last approved version…")


def not_compared_text(reason: str) -> str:
    return QCoreApplication.translate("DetailLoader", "Code not compared with the last approved version: %1").replace(
        "%1", reason
    )


def missing_text(index: int) -> str:
    """The one line for a pair whose file `index` (0: the approved version's, 1: the update's) is not there."""
    if index == 0:
        reason = QCoreApplication.translate("DetailLoader", "the last approved version's APK is not in the blob store")
    else:
        reason = QCoreApplication.translate("DetailLoader", "this version's APK is not in the blob store")
    return not_compared_text(reason)


def code_text(changes: CodeChanges) -> str:
    """What the Facts panel says of an update's code."""
    if not changes.any_code:
        return QCoreApplication.translate("DetailLoader", "Neither version has DEX code.")
    if not changes.added and not changes.removed:
        return QCoreApplication.translate("DetailLoader", "Code: the same classes as the last approved version.")
    lines = [
        QCoreApplication.translate(
            "DetailLoader", "Code since the last approved version: classes added %1, removed %2."
        )
        .replace("%1", str(changes.added))
        .replace("%2", str(changes.removed))
    ]
    if changes.new_packages:
        default = QCoreApplication.translate("DetailLoader", "(default package)")
        shown = ", ".join(f"{package or default} ({count})" for package, count in changes.new_packages[:8])
        more = len(changes.new_packages) - 8
        extra = QCoreApplication.translate("DetailLoader", " and %1 more").replace("%1", str(more)) if more > 0 else ""
        lines.append(QCoreApplication.translate("DetailLoader", "New packages: %1").replace("%1", shown) + extra)
    return "\n".join(lines)


def result_text(parts: Sequence[ParsedFile], error: str) -> tuple[str, bool]:
    """(text, keep) for a finished parse of a pair: the comparison, or why there is none; `keep` is false
    where the same pair may compare another time (a file not in the blob store, a parse that failed)."""
    facts = [part.facts for part in sorted(parts, key=lambda part: part.index)]
    for index, fact in enumerate(facts):
        coded = getattr(fact, "error_code", None) or {}
        if not getattr(fact, "ok", False) and coded.get("code") == "no_such_file":
            return missing_text(index), False
    unread = next((f for f in facts if not getattr(f, "ok", False) or f.classes is None), None)
    changes = code_changes(facts[0], facts[1]) if not error and len(facts) == 2 and unread is None else None
    if changes is not None:
        return code_text(changes), True
    reason = error or QCoreApplication.translate("DetailLoader", "the classes could not be read")
    if unread is not None and getattr(unread, "error", None):
        reason = warning_text(unread.error, unread.error_code)
    return not_compared_text(reason), not error and len(facts) == 2


class CodeComparison(QObject):
    """Compares pairs of APKs on the parsing thread; `sig_compared(paths, text)` when a pair is done."""

    sig_compared = Signal(object, str)  # CodePaths, the text for the Facts panel

    MAX_CACHED = 200  # comparisons kept, the latest first to stay

    def __init__(self, parser: ParseJobs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parser = parser
        self._running: dict[int, tuple[CodePaths, list[ParsedFile]]] = {}  # parse id -> (pair, files so far)
        self._texts: OrderedDict[CodePaths, str] = OrderedDict()
        parser.sig_parsed.connect(self._on_parsed)
        parser.sig_finished.connect(self._on_finished)

    def compare(self, paths: Sequence[str]) -> str:
        """The text to show now for this pair: the comparison when it is known, else "Comparing…" while it
        runs (started unless it runs already); `sig_compared` brings the text when it is done."""
        pair: CodePaths = (str(paths[0]), str(paths[1]))
        known = self.cached(pair)
        if known is not None:
            self._texts.move_to_end(pair)
            return known
        if not any(running == pair for running, _ in self._running.values()):
            parse_id = self.parser.start(list(pair), classes=True)
            self._running[parse_id] = (pair, [])
        return comparing_text()

    def cached(self, paths: Sequence[str]) -> str | None:
        return self._texts.get((str(paths[0]), str(paths[1])))

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def _on_parsed(self, parse_id: int, batch: list[ParsedFile]) -> None:
        if parse_id in self._running:
            self._running[parse_id][1].extend(batch)

    def _on_finished(self, parse_id: int, error: str) -> None:
        if parse_id not in self._running:
            return  # an import, or another part's parse
        pair, parts = self._running.pop(parse_id)
        text, keep = result_text(parts, error)
        if keep:
            self._texts[pair] = text
            while len(self._texts) > self.MAX_CACHED:
                self._texts.popitem(last=False)
        self.sig_compared.emit(pair, text)
