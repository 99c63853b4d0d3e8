"""What the rules look at, as plain data gathered once per APK: components with their intent filters,
the DEX references, the files it carries (payloads, programs), device-admin policies, APKs inside it, and
notes about what could not be read.

Kept apart from the reading (reading.py, files.py) so that the rules (rules.py) can be read, and tested,
against these facts alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer_app.apk.facts import ApkFacts
from reviewer_app.scanning.dexrefs import DexRefs
from reviewer_app.scanning.engine import Verdict


@dataclass
class IntentFilter:
    actions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    priority: int = 0


@dataclass
class Component:
    kind: str  # activity, activity-alias, service, receiver, provider
    name: str
    permission: str | None = None
    target: str | None = None  # an activity-alias's targetActivity
    filters: list[IntentFilter] = field(default_factory=list)

    def handles(self, action: str) -> IntentFilter | None:
        return next((f for f in self.filters if action in f.actions), None)

    @property
    def is_launcher(self) -> bool:
        return any(
            "android.intent.action.MAIN" in f.actions and "android.intent.category.LAUNCHER" in f.categories
            for f in self.filters
        )


@dataclass
class Payload:
    path: str
    kind: str  # "apk", "jar", "dex", "encrypted"
    disguised: bool  # its name does not say it is code
    gzipped: bool = False
    data: bytes | None = field(default=None, repr=False)  # its bytes until its code is read (plain payloads)


@dataclass
class EmbeddedApp:
    """An APK inside the APK, judged by the same rules with its own manifest."""

    path: str
    package: str | None
    verdict: Verdict
    reason: str


@dataclass
class AppFacts:
    """What the rules look at, gathered once per APK."""

    apk: ApkFacts
    components: list[Component] = field(default_factory=list)
    dex: DexRefs = field(default_factory=DexRefs)
    entries: list[str] = field(default_factory=list)
    payloads: list[Payload] = field(default_factory=list)
    executables: list[str] = field(default_factory=list)  # ELF files outside lib/
    # ELF file -> (commands that write into /system, su paths) found in its bytes, for files with such commands
    native_root: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    admin_policies: list[str] = field(default_factory=list)
    payload_code: list[str] = field(default_factory=list)  # payloads whose DEX code was read into `dex`
    embedded_apps: list[EmbeddedApp] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def permissions(self) -> set[str]:
        return set(self.apk.permissions) | set(self.apk.implied_permissions)

    def of_kind(self, *kinds: str) -> list[Component]:
        return [c for c in self.components if c.kind in kinds]
