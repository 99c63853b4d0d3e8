"""An evidence panel shows one kind of evidence about the selected submission, and says whether something
in it needs attention (its tab then carries a badge).

A panel is a QWidget subclass registered with `register_panel`; the submission view makes one tab per
registered panel, in `order`. It is given the plain data of one submission (`review.detail.ReviewDetail`)
and later updates for the same submission by name (`show_update`), never a service or a database.
Third-party panels register themselves through the entry point group `reviewer_app.evidence_panels`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from importlib.metadata import entry_points
from typing import Any, ClassVar

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from reviewer_app.review import RedFlag

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "reviewer_app.evidence_panels"
CRITICAL_COLOR = QColor("#c62828")
SERIOUS_COLOR = QColor("#e08a00")


class EvidencePanel(QWidget):
    """Base of the evidence panels. Subclasses set `key` and `order` and implement `title`, `show_detail`
    and `clear`; `attention` defaults to the submission's red flags whose source is the panel's key."""

    key: ClassVar[str] = ""
    order: ClassVar[int] = 100
    sources: ClassVar[tuple[str, ...]] = ()  # red-flag sources this panel answers for (default: its key)

    sig_attention_changed = Signal()
    # Work a panel asks for (a re-scan, say): `fn(service)` run on the database worker, then the
    # submission is loaded again. The function is review's; the panel never touches the database.
    sig_run = Signal(object, str)  # fn, label
    # A rejection a panel suggests (the Clones panel's "Reject as counterfeit…"): its reason codes, which
    # the window preselects in the decision form. The reviewer still writes the message and sends it.
    sig_reject = Signal(object)  # reason codes a panel suggests for a rejection (tuple[str, ...])

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: Any = None

    @classmethod
    def title(cls) -> str:
        """The tab's title, in the reviewer's language (called when the tab is made)."""
        raise NotImplementedError

    def show_detail(self, detail: Any, now: datetime | None = None) -> None:
        """Show this submission (a ReviewDetail); `now` for anything that counts time."""
        self.detail = detail

    def clear(self) -> None:
        """Nothing selected, or the selection is loading."""
        self.detail = None

    def show_update(self, name: str, value: Any) -> None:
        """Later evidence for the submission on show (e.g. "code": the code comparison's text)."""

    def run_in_background(self, fn: Any, label: str) -> None:
        """Ask the window to run `fn(service)` on the database worker and show the submission again."""
        self.sig_run.emit(fn, label)

    def suggest_rejection(self, reasons: tuple[str, ...] | list[str]) -> None:
        """Ask the window to open the reject form with these reason codes chosen."""
        self.sig_reject.emit(tuple(reasons))

    def attention(self) -> tuple[RedFlag, ...]:
        """What in this panel needs a look before approving: its part of the submission's red flags."""
        if self.detail is None:
            return ()
        sources = self.sources or (self.key,)
        return tuple(flag for flag in self.detail.red_flags if flag.source in sources)


_registry: dict[str, type[EvidencePanel]] = {}
_entry_points_loaded = False


def register_panel(cls: type[EvidencePanel]) -> type[EvidencePanel]:
    """Class decorator: one tab of this panel in every submission view made from now on."""
    if not cls.key:
        raise ValueError(f"{cls.__name__} has no key")
    _registry[cls.key] = cls
    return cls


def unregister_panel(key: str) -> None:
    _registry.pop(key, None)


def panel_classes() -> list[type[EvidencePanel]]:
    """The registered panels in tab order (built-in ones and those of installed plug-ins)."""
    global _entry_points_loaded
    if not _entry_points_loaded:
        _entry_points_loaded = True
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            try:
                panel = entry.load()
                if isinstance(panel, type) and issubclass(panel, EvidencePanel):
                    register_panel(panel)
            except Exception:  # a broken plug-in must not keep the window from opening
                log.exception("evidence panel %s could not be loaded", entry.name)
    return sorted(_registry.values(), key=lambda cls: (cls.order, cls.key))


def badge_icon(count: int, critical: bool, size: int = 18) -> QIcon:
    """A coloured dot with the count in it: red for critical flags, amber for serious ones."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(CRITICAL_COLOR if critical else SERIOUS_COLOR)
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.62))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, str(count) if count < 10 else "9+")
    painter.end()
    return QIcon(pixmap)
