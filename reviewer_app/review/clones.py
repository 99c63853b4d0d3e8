"""The clone search for review: a package's fingerprints, the search over the catalog of live apps, every
signal of each candidate, and the verdict.

The index (similarity/index.py) finds candidates fast on the cheap layers (name keys, package keys, icon
hashes, certificates); each candidate is then scored on every signal, code and resources included when both
sides have them. The combined score is a noisy-OR of the signals (each weighted), so two moderate signals
(a similar name and a similar icon) rank above one. The verdict looks only at candidates that are *close*
(a signal at or above its threshold, `CloneThresholds`):

- `counterfeit_suspected`: a close candidate of another developer with a different certificate;
- `same_developer_family`: the close candidates share the developer or a certificate (an update, a sibling
  app, a key rotated with a v3 lineage);
- `no_match`: nothing close.

The submission's own catalog row (once it is approved) is not a candidate; its earlier versions are. Names
in the brand registry (protected names that leads keep) are candidates too, owned by their developer, even
where no live app carries them. Thresholds come from the settings (`[clones]`); their defaults were chosen on the measurements of
bench/clone_search.py and tests/similarity (see README).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reviewer_app.domain import CatalogApp, CloneCandidate, CloneResult, RedFlag

log = logging.getLogger(__name__)

CRITICAL = 2
WEIGHTS = {"name": 0.8, "icon": 0.8, "code": 0.9, "resources": 0.7, "package": 0.5}
SHOWN_SHARED = 50  # shared classes / resources kept with a candidate for the panel
COMMON_ICON_SCORE = 0.9  # the index's icon score (1 - bits/32) of "the same icon"
COMMON_ICON_DEVELOPERS = 3
COPY_REASONS = frozenset(
    {"identical", "same_normalized", "same_skeleton", "traditional_simplified", "invisible_chars", "marketing_words"}
)
GENERIC_DEVELOPERS = 3  # other developers with a name this close: the name is generic, not a brand
NAME_BACKING_ICON = 0.6  # an icon this alike, or
NAME_BACKING_PACKAGE = 0.7  # a package this alike, backs a name that is only a few characters apart
ICON_ALONE = 0.95  # an icon this close counts without a similar name (the same picture, recompressed)
NAME_SUPPORT = 0.5  # a name this alike lets a similar icon count
MIN_CLASSES = 5  # app classes on both sides before similar code makes a candidate close
MIN_SHARED_RESOURCES = 8  # files in common before similar resources make a candidate close
COMMON_FILE_APPS = 20  # a resource file in this many catalog apps, or in
COMMON_FILE_SHARE = 0.001  # this share of the catalog, is a common file (a template's), not evidence


@dataclass(frozen=True)
class CloneThresholds:
    """What makes a candidate *close* (see the module docstring); `[clones]` in the settings."""

    name: float = 0.8
    icon: float = 0.8
    code: float = 0.6
    resources: float = 0.6
    top_k: int = 10

    @classmethod
    def from_settings(cls, settings: Any) -> CloneThresholds:
        clones = settings.clones
        return cls(clones.name, clones.icon, clones.code, clones.resources, clones.top_k)


@dataclass(frozen=True)
class Prints:
    """What the search compares of one package (a submission or a catalog app)."""

    package: str
    labels: tuple[str, ...]
    developer: str
    certificates: tuple[str, ...]
    icon: Any = None  # similarity.icons.IconPrint
    code: Any = None  # similarity.code.CodePrint
    resources: Any = None  # similarity.resources.ResourcePrint
    cert_subjects: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    submission_id: int | None = None
    apk_path: str | None = None  # for the shared classes and resources shown to the reviewer

    def catalog_row(self, source: str, now: datetime, icon_blob: str | None = None) -> dict[str, Any]:
        return {
            "package": self.package,
            "labels": {"": self.labels[0]} if self.labels else {},
            "developer": self.developer,
            "certificates": list(self.certificates),
            "cert_subjects": list(self.cert_subjects),
            "permissions": list(self.permissions),
            "icon": icon_json(self.icon),
            "icon_blob": icon_blob,
            "code": code_json(self.code),
            "resources": sorted(self.resources.digests) if self.resources is not None else None,
            "source": source,
            "submission_id": self.submission_id,
            "added_at": now,
        }


def package_prints(
    facts: dict[str, Any],
    developer: str,
    apk_path: str | None = None,
    icon_png: bytes | None = None,
    limits: Any = None,
    submission_id: int | None = None,
) -> Prints:
    """The fingerprints of a parsed package (`ApkFacts.to_json()`); code and resources read from the APK
    itself within `limits`. A fingerprint that cannot be made is left out (that signal is not compared)."""
    from reviewer_app.apk.limits import LimitExceeded
    from reviewer_app.apk.safezip import ZipFormatError
    from reviewer_app.similarity import code, icons, resources

    certificates = [s.get("sha256") for s in facts.get("signers") or () if s.get("sha256")]
    certificates += [c for c in facts.get("signing_lineage") or () if c not in certificates]
    icon = code_print = resource_print = None
    if icon_png:
        try:
            icon = icons.icon_print(icon_png)
        except (ValueError, OSError) as exc:
            log.info("no icon print: %s", exc)
    if apk_path is not None:
        unreadable = (ValueError, OSError, LimitExceeded, ZipFormatError)  # that signal is not compared
        try:
            code_print = code.code_print(apk_path, limits)
        except unreadable as exc:
            log.info("no code print: %s", exc)
        try:
            resource_print = resources.resource_print(apk_path, limits)
        except unreadable as exc:
            log.info("no resource print: %s", exc)
    label = facts.get("label") or ""
    return Prints(
        package=str(facts.get("package") or ""),
        labels=(label,) if label else (),
        developer=developer,
        certificates=tuple(str(c) for c in certificates),
        icon=icon,
        code=code_print,
        resources=resource_print,
        cert_subjects=tuple(str(s.get("subject") or "") for s in facts.get("signers") or ()),
        permissions=tuple(facts.get("permissions") or ()),
        submission_id=submission_id,
        apk_path=apk_path,
    )


def icon_json(icon: Any) -> dict[str, Any] | None:
    """An icon print as the catalog keeps it (a JSON object of hex hashes)."""
    return json.loads(icon.to_json()) if icon is not None else None


def icon_from_json(data: Any) -> Any:
    from reviewer_app.similarity.icons import IconPrint

    return IconPrint.from_json(data if isinstance(data, str) else json.dumps(data))


def code_json(code: Any) -> dict[str, Any] | None:
    return {"minhash": list(code.minhash), "classes": code.classes} if code is not None else None


def code_from_json(data: dict[str, Any]) -> Any:
    from reviewer_app.similarity.code import CodePrint

    return CodePrint(tuple(int(v) for v in data["minhash"]), int(data.get("classes") or 0))


def catalog_prints(app: CatalogApp) -> Prints:
    from reviewer_app.similarity import resources

    return Prints(
        package=app.package,
        labels=tuple(label for label in app.labels.values() if label),
        developer=app.developer,
        certificates=app.certificates,
        icon=icon_from_json(app.icon) if app.icon else None,
        code=code_from_json(app.code) if app.code else None,
        resources=resources.ResourcePrint(frozenset(app.resources)) if app.resources is not None else None,
        cert_subjects=app.cert_subjects,
        permissions=app.permissions,
        submission_id=app.submission_id,
    )


def index_keys(prints: Prints) -> dict[str, Any]:
    """What the index is given of a package (its cheap layers)."""
    from reviewer_app.similarity.names import name_keys
    from reviewer_app.similarity.packages import package_keys

    keys: set[str] = set()
    for label in prints.labels:
        keys |= name_keys(label)
    return {
        "name_keys": keys,
        "package_keys": package_keys(prints.package) if prints.package else frozenset(),
        "icon_hashes": icon_hashes(prints.icon),
        "certificates": prints.certificates,
    }


def icon_hashes(icon: Any) -> tuple[int, ...]:
    """The pHashes the index searches by: the whole icon, trimmed, and with each corner masked (a badge)."""
    if icon is None:
        return ()
    return (icon.phash, icon.trim_phash, *icon.masked_phash)


def certificate_signal(a: Sequence[str], b: Sequence[str]) -> str:
    if not a or not b:
        return "unknown"
    return "same" if set(a) & set(b) else "different"


def signals(
    query: Prints, app: Prints, common_resources: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(signals as CLI.md names them, what matched for the panel) of one candidate."""
    from reviewer_app.similarity import code, icons, resources
    from reviewer_app.similarity.names import name_similarity
    from reviewer_app.similarity.packages import package_similarity

    best_name = None
    for mine in query.labels:
        for theirs in app.labels:
            match = name_similarity(mine, theirs)
            if best_name is None or match.score > best_name.score:
                best_name = match
    found: dict[str, Any] = {
        "name": round(best_name.score, 4) if best_name is not None else 0.0,
        "icon": round(icons.icon_similarity(query.icon, app.icon), 4)
        if query.icon is not None and app.icon is not None
        else 0.0,
        "package": round(package_similarity(query.package, app.package), 4),
        "certificate": certificate_signal(query.certificates, app.certificates),
        "code": round(code.code_similarity(query.code, app.code), 4)
        if query.code is not None and app.code is not None
        else None,
        "resources": round(resources.resource_similarity(query.resources, app.resources, common_resources), 4)
        if query.resources is not None and app.resources is not None
        else None,
    }
    matched: dict[str, Any] = {
        "cert_subjects": list(app.cert_subjects),
        "permissions": list(app.permissions),
        "labels": {"": app.labels[0]} if app.labels else {},
    }
    if best_name is not None:
        matched["name_diff"] = [list(step) for step in best_name.diff]
        matched["name_reasons"] = list(best_name.reasons)
    if query.resources is not None and app.resources is not None:
        shared = (query.resources.digests & app.resources.digests) - common_resources
        matched["shared_resources"] = sorted(shared)[:SHOWN_SHARED]
        matched["shared_resource_count"] = len(shared)
    if query.code is not None and app.code is not None:
        matched["code_classes"] = min(query.code.classes, app.code.classes)
    return found, matched


def combined_score(found: dict[str, Any]) -> float:
    """Noisy-OR of the weighted signals: each close signal adds, none alone reaches 1."""
    miss = 1.0
    for name, weight in WEIGHTS.items():
        value = found.get(name)
        if isinstance(value, int | float):
            miss *= 1.0 - weight * max(0.0, min(1.0, float(value)))
    return 1.0 - miss


def name_close(found: dict[str, Any], thresholds: CloneThresholds, matched: dict[str, Any], generic: bool) -> bool:
    """The name makes a candidate close when it is the same name made to look different (the same letters
    once normalised, a TR39 skeleton, traditional characters, invisible characters, marketing words added —
    COPY_REASONS) and the name is not generic (apps of GENERIC_DEVELOPERS other developers or more carry
    one this close: "Flashlight", 天气助手). A name that is merely a few characters apart (an edit, a
    homophone, look-alike characters) needs the icon or the package to back it; so does a generic one. A
    name in the brand registry always counts."""
    if found["name"] < thresholds.name:
        return False
    if matched.get("protected_name"):
        return True
    copied = bool(set(matched.get("name_reasons") or ()) & COPY_REASONS) and not generic
    backed = found["icon"] >= NAME_BACKING_ICON or found["package"] >= NAME_BACKING_PACKAGE
    return copied or backed


def is_close(
    found: dict[str, Any],
    thresholds: CloneThresholds,
    common_icon: bool = False,
    matched: dict[str, Any] | None = None,
    generic_name: bool = False,
) -> bool:
    """A signal at or above its threshold (the name: see `name_close`). A similar icon counts with a name
    at least half alike, or alone when it is nearly the same picture (ICON_ALONE): simple icons (a letter on
    a square) look alike without being copies. An icon that many developers' apps share (a stock launcher
    icon) does not count; nor does code or resources too small to tell a copy from a project template
    (fewer than MIN_CLASSES app classes on either side, fewer than MIN_SHARED_RESOURCES files in common)."""
    matched = matched or {}
    return (
        name_close(found, thresholds, matched, generic_name)
        or (
            not common_icon
            and found["icon"] >= thresholds.icon
            and (found["icon"] >= ICON_ALONE or found["name"] >= NAME_SUPPORT)
        )
        or (
            found["code"] is not None
            and found["code"] >= thresholds.code
            and matched.get("code_classes", MIN_CLASSES) >= MIN_CLASSES
        )
        or (
            found["resources"] is not None
            and found["resources"] >= thresholds.resources
            and matched.get("shared_resource_count", MIN_SHARED_RESOURCES) >= MIN_SHARED_RESOURCES
        )
    )


def verdict(
    query: Prints,
    ranked: Sequence[tuple[CloneCandidate, Prints]],
    thresholds: CloneThresholds,
    common_icon: bool = False,
    generic_name: bool = False,
) -> str:
    """An update of a live app (a close candidate is the same package signed with the same key) is its
    developer's family: its name was judged when the app was first approved."""
    close = [(c, p) for c, p in ranked if is_close(c.signals, thresholds, common_icon, c.matched, generic_name)]
    if any(p.package == query.package and c.signals["certificate"] == "same" for c, p in close):
        return "same_developer_family"
    if any(c.signals["certificate"] != "same" and p.developer != query.developer for c, p in close):
        return "counterfeit_suspected"
    return "same_developer_family" if close else "no_match"


def clone_flags(result: CloneResult) -> list[RedFlag]:
    """A suspected counterfeit is a critical red flag naming the app it copies."""
    if result.verdict != "counterfeit_suspected" or not result.candidates:
        return []
    best = result.candidates[0]
    return [RedFlag("counterfeit_suspected", CRITICAL, "clones",
                    {"label": best.label, "package": best.package, "developer": best.developer})]  # fmt: skip


@dataclass
class CloneSearch:
    """The catalog's index in memory, kept up to date incrementally (rows with an id above the last one)."""

    store: Any
    thresholds: CloneThresholds = field(default_factory=CloneThresholds)
    index: Any = None
    last_id: int = 0
    size: int = 0
    _refreshing: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def refresh(self, page: int = 20_000, progress: Callable[[int], None] | None = None) -> int:
        """Read catalog rows added since the last refresh into the index; how many. Threads of one worker
        share the index: one of them reads at a time."""
        with self._refreshing:
            return self._refresh(page, progress)

    def _refresh(self, page: int, progress: Callable[[int], None] | None) -> int:
        from reviewer_app.similarity.index import CloneIndex

        if self.index is None:
            self.index = CloneIndex(icon_variants=6)  # whole, trimmed, and each corner masked (badges)
        added = 0
        while True:
            apps = self.store.catalog_apps(after=self.last_id, limit=page)
            for app in apps:
                prints = catalog_prints(app)
                self.index.add(app.catalog_id, developer=app.developer, **index_keys(prints))
                self.last_id = app.catalog_id
            added += len(apps)
            if progress is not None:
                progress(added)
            if len(apps) < page:
                break
        self.size += added
        return added

    def search(self, query: Prints, now: datetime, top_k: int | None = None) -> CloneResult:
        top_k = top_k or self.thresholds.top_k
        self.refresh()
        layers = self.index.candidates(**index_keys(query))
        ids = list(dict.fromkeys(app_id for hits in layers.values() for app_id, _score in hits))
        apps = self.store.catalog_apps_by_id(ids)
        common = self._common_files(query)
        scored: list[tuple[CloneCandidate, Prints]] = []
        for app_id in ids:
            app = apps.get(app_id)
            if app is None or self._is_itself(query, app):
                continue
            prints = catalog_prints(app)
            found, matched = signals(query, prints, common)
            matched["withdrawn"] = app.withdrawn
            candidate = CloneCandidate(app.catalog_id, app.package, app.label, app.developer,
                                       combined_score(found), found, matched)  # fmt: skip
            scored.append((candidate, prints))
        scored += self._protected_names(query)
        common_icon = self._common_icon(layers.get("icon", ()))
        generic_name = self._generic_name(query, scored)
        for candidate, _prints in scored:
            if common_icon:
                candidate.matched["icon_common"] = True
            if generic_name:
                candidate.matched["name_generic"] = True
        scored.sort(key=lambda pair: (-pair[0].score, pair[0].catalog_id))
        best = scored[:top_k]
        result = verdict(query, best, self.thresholds, common_icon, generic_name)
        return CloneResult(result, tuple(c for c, _ in best), now, self.size)

    def _common_files(self, query: Prints) -> frozenset[str]:
        """Resource files of the query that very many catalog apps carry (COMMON_FILE_SHARE of the catalog,
        at least COMMON_FILE_APPS): left out of the resource comparison, as FSquaDRA does."""
        if query.resources is None or not query.resources.digests:
            return frozenset()
        min_apps = max(COMMON_FILE_APPS, int(COMMON_FILE_SHARE * self.size))
        return frozenset(self.store.common_resources(sorted(query.resources.digests), min_apps))

    def _protected_names(self, query: Prints) -> list[tuple[CloneCandidate, Prints]]:
        """Names in the brand registry that the submission's name is close to: candidates of their owner even
        when no app of the catalog carries the name (catalog id 0)."""
        from reviewer_app.similarity.names import name_similarity
        from reviewer_app.similarity.packages import package_similarity

        found = []
        for entry in self.store.protected_names():
            best = max((name_similarity(label, entry.name) for label in query.labels), key=lambda m: m.score,
                       default=None)  # fmt: skip
            if best is None or best.score < self.thresholds.name:
                continue
            signals = {
                "name": round(best.score, 4),
                "icon": 0.0,
                "package": round(package_similarity(query.package, entry.package), 4) if entry.package else 0.0,
                "certificate": "unknown",
                "code": None,
                "resources": None,
            }
            matched = {"protected_name": True, "name_diff": [list(step) for step in best.diff],
                       "name_reasons": list(best.reasons), "labels": {"": entry.name}}  # fmt: skip
            prints = Prints(entry.package or "", (entry.name,), entry.developer, ())
            candidate = CloneCandidate(0, entry.package or "", entry.name, entry.developer, combined_score(signals),
                                       signals, matched)  # fmt: skip
            found.append((candidate, prints))
        return found

    def _generic_name(self, query: Prints, scored: Sequence[tuple[CloneCandidate, Prints]]) -> bool:
        """Apps of GENERIC_DEVELOPERS other developers or more carry a name this close to the query's."""
        developers = {
            prints.developer
            for candidate, prints in scored
            if candidate.signals["name"] >= self.thresholds.name
            and prints.developer != query.developer
            and not candidate.matched.get("protected_name")
        }
        return len(developers) >= GENERIC_DEVELOPERS

    def _common_icon(self, icon_hits: Sequence[tuple[int, float]]) -> bool:
        """The query's icon is (nearly) the same as the icons of apps by COMMON_ICON_DEVELOPERS or more
        developers: a stock icon says nothing about who copied whom."""
        developers = {self.index.developer_of(app_id) for app_id, score in icon_hits if score >= COMMON_ICON_SCORE}
        return len(developers - {None}) >= COMMON_ICON_DEVELOPERS

    @staticmethod
    def _is_itself(query: Prints, app: CatalogApp) -> bool:
        """The submission's own catalog row (an approved package searched again) is no candidate; earlier
        versions are (same developer family)."""
        return query.submission_id is not None and app.submission_id == query.submission_id
