"""What changed between two versions of an app, as plain data (`reviewer-app diff`, the update review).

An update is reviewed against the version the store approved before: a new signer, new dangerous
permissions or new code are what a reviewer looks at first. Each field is a flag or a sorted list, so the
GUI and a script read the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer_app.apk.facts import ApkFacts
from reviewer_app.apk.permissions import is_dangerous

COMPONENT_KINDS = (
    ("activity", "activities"),
    ("service", "services"),
    ("receiver", "receivers"),
    ("provider", "providers"),
)


def _component_changes(old: ApkFacts, new: ApkFacts) -> dict[str, dict[str, list[str]]]:
    """Added and removed components by kind (an activity-alias counts as an activity, as in the facts)."""
    changes = {}
    for kind, attribute in COMPONENT_KINDS:
        before, after = getattr(old, attribute), getattr(new, attribute)
        changes[kind] = {"added": _added(before, after), "removed": _added(after, before)}
    return changes


@dataclass(frozen=True)
class VersionDiff:
    """Every comparison is None in an error record (`ok` false): unknown, not "nothing changed"."""

    old_file: str
    new_file: str
    ok: bool
    error: str | None = None
    package_changed: bool | None = None
    version_code_increased: bool | None = None
    # No signer of the old version signs the new one, and no v3 proof-of-rotation links them.
    signer_changed: bool | None = None
    signer_rotated: bool | None = None  # the new version is signed by a key the old signer rotated to
    permissions_added: list[str] | None = None
    permissions_removed: list[str] | None = None
    dangerous_permissions_added: list[str] | None = None
    components_added: list[str] | None = None
    components_removed: list[str] | None = None
    native_abis_added: list[str] | None = None
    native_abis_removed: list[str] | None = None
    label_changed: bool | None = None
    icon_changed: bool | None = None
    classes_added: list[str] | None = None  # None: the classes of one side could not be read
    classes_removed: list[str] | None = None
    old_version_code: int | None = None
    new_version_code: int | None = None
    # The values on each side, so that a change can be shown as "old -> new".
    old_version_name: str | None = None
    new_version_name: str | None = None
    old_min_sdk: int | None = None
    new_min_sdk: int | None = None
    old_target_sdk: int | None = None
    new_target_sdk: int | None = None
    old_label: str | None = None
    new_label: str | None = None
    # kind ("activity", "service", "receiver", "provider") -> {"added": [...], "removed": [...]}
    component_changes: dict[str, dict[str, list[str]]] | None = None
    min_sdk_changed: bool | None = None
    target_sdk_changed: bool | None = None
    # Permissions Android implies for an old target SDK (not requested), by the same rule.
    implied_permissions_added: list[str] | None = None
    implied_permissions_removed: list[str] | None = None
    # Java packages that only the new version has classes in, with how many: a new SDK in an update (ads,
    # payments, SMS) is what a reviewer looks at. Most classes first. None when classes were not compared.
    packages_added: list[tuple[str, int]] | None = None

    def to_json(self) -> dict[str, Any]:
        """The promised record (CLI.md names first, extra fields after them)."""
        return {
            "ok": self.ok,
            "error": self.error,
            "package_changed": self.package_changed,
            "version_code_increased": self.version_code_increased,
            "signer_changed": self.signer_changed,
            "permissions_added": _copy(self.permissions_added),
            "permissions_removed": _copy(self.permissions_removed),
            "dangerous_permissions_added": _copy(self.dangerous_permissions_added),
            "components_added": _copy(self.components_added),
            "components_removed": _copy(self.components_removed),
            "native_abis_added": _copy(self.native_abis_added),
            "label_changed": self.label_changed,
            "icon_changed": self.icon_changed,
            "classes_added": _copy(self.classes_added),
            "classes_removed": _copy(self.classes_removed),
            "old_file": self.old_file,
            "new_file": self.new_file,
            "old_version_code": self.old_version_code,
            "new_version_code": self.new_version_code,
            "old_version_name": self.old_version_name,
            "new_version_name": self.new_version_name,
            "old_min_sdk": self.old_min_sdk,
            "new_min_sdk": self.new_min_sdk,
            "old_target_sdk": self.old_target_sdk,
            "new_target_sdk": self.new_target_sdk,
            "old_label": self.old_label,
            "new_label": self.new_label,
            "component_changes": (
                None
                if self.component_changes is None
                else {kind: {k: list(v) for k, v in change.items()} for kind, change in self.component_changes.items()}
            ),
            "signer_rotated": self.signer_rotated,
            "native_abis_removed": _copy(self.native_abis_removed),
            "min_sdk_changed": self.min_sdk_changed,
            "target_sdk_changed": self.target_sdk_changed,
            "implied_permissions_added": _copy(self.implied_permissions_added),
            "implied_permissions_removed": _copy(self.implied_permissions_removed),
            "packages_added": None if self.packages_added is None else [list(p) for p in self.packages_added],
        }


def _copy(items: list[str] | None) -> list[str] | None:
    return None if items is None else list(items)


def _added(old, new) -> list[str]:
    """The one rule for "added" (and, with the sides swapped, "removed"): in the new one, not in the old."""
    return sorted(set(new) - set(old))


def _java_package(class_name: str) -> str:
    return class_name.rsplit(".", 1)[0] if "." in class_name else ""


def _packages_added(old_classes: list[str], added: list[str]) -> list[tuple[str, int]]:
    known = {_java_package(name) for name in old_classes}
    counts: dict[str, int] = {}
    for name in added:
        package = _java_package(name)
        if package not in known:
            counts[package] = counts.get(package, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def diff_versions(old: ApkFacts, new: ApkFacts) -> VersionDiff:
    """Compare two parsed versions; a side that could not be read makes the whole diff an error record."""
    failed = [f"{facts.file}: {facts.error or 'not read'}" for facts in (old, new) if not facts.ok]
    if failed:
        return VersionDiff(old.file, new.file, ok=False, error="; ".join(failed))
    old_signers = {s.sha256 for s in old.signers}
    new_signers = {s.sha256 for s in new.signers}
    shared = old_signers & new_signers
    rotated = not shared and bool(old_signers & set(new.signing_lineage))
    classes_known = old.classes is not None and new.classes is not None
    classes_added = _added(old.classes or (), new.classes or ()) if classes_known else None
    return VersionDiff(
        old.file,
        new.file,
        ok=True,
        package_changed=old.package != new.package,
        version_code_increased=(new.version_code or 0) > (old.version_code or 0),
        signer_changed=not (shared or rotated),
        signer_rotated=rotated,
        permissions_added=_added(old.permissions, new.permissions),
        permissions_removed=_added(new.permissions, old.permissions),
        dangerous_permissions_added=[p for p in _added(old.permissions, new.permissions) if is_dangerous(p)],
        components_added=_added(old.components, new.components),
        components_removed=_added(new.components, old.components),
        native_abis_added=_added(old.native_abis, new.native_abis),
        native_abis_removed=_added(new.native_abis, old.native_abis),
        label_changed=old.label != new.label,
        icon_changed=old.icon_sha256 != new.icon_sha256,
        classes_added=classes_added,
        classes_removed=_added(new.classes or (), old.classes or ()) if classes_known else None,
        old_version_code=old.version_code,
        new_version_code=new.version_code,
        old_version_name=old.version_name,
        new_version_name=new.version_name,
        old_min_sdk=old.min_sdk,
        new_min_sdk=new.min_sdk,
        old_target_sdk=old.target_sdk,
        new_target_sdk=new.target_sdk,
        old_label=old.label,
        new_label=new.label,
        component_changes=_component_changes(old, new),
        min_sdk_changed=old.min_sdk != new.min_sdk,
        target_sdk_changed=old.target_sdk != new.target_sdk,
        implied_permissions_added=_added(old.implied_permissions, new.implied_permissions),
        implied_permissions_removed=_added(new.implied_permissions, old.implied_permissions),
        packages_added=_packages_added(old.classes or [], classes_added) if classes_added is not None else None,
    )
