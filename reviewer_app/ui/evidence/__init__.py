"""Evidence panels: one tab per kind of evidence about the selected submission (see base.py).

Importing this package registers the built-in panels; a new panel registers itself the same way
(`@register_panel`), or from a plug-in through the `reviewer_app.evidence_panels` entry point.
"""

from reviewer_app.ui.evidence.base import (
    EvidencePanel,
    badge_icon,
    panel_classes,
    register_panel,
    unregister_panel,
)
from reviewer_app.ui.evidence.clones import ClonesPanel
from reviewer_app.ui.evidence.devices import DevicesPanel
from reviewer_app.ui.evidence.facts import FactsPanel
from reviewer_app.ui.evidence.history import HistoryPanel
from reviewer_app.ui.evidence.scans import ScansPanel

__all__ = [
    "ClonesPanel",
    "DevicesPanel",
    "EvidencePanel",
    "FactsPanel",
    "HistoryPanel",
    "ScansPanel",
    "badge_icon",
    "panel_classes",
    "register_panel",
    "unregister_panel",
]
