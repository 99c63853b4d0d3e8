"""What the reviewer sees of one submission: its facts, the comparison with the last approved version of
the package, and its red flags, prepared as plain data on the database worker.

The comparison is `apk/diff.py`'s alone (one rule for "added" and "removed"): the permission list marks
what `VersionDiff` says was added, the components those it says are new, and the code comparison (run on
the parsing thread, since it reads both APKs' DEX classes) is a `VersionDiff` too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.apk.diff import VersionDiff, diff_versions
from reviewer_app.apk.permissions import is_dangerous as _is_dangerous
from reviewer_app.domain import RedFlag, StoreError, worst_first
from reviewer_app.review.clones import clone_flags
from reviewer_app.review.devices import device_flags
from reviewer_app.review.flags import red_flags
from reviewer_app.review.scans import scan_flags


@dataclass(frozen=True)
class PermissionEntry:
    """One line of the permission list, with the flags the panel colours by."""

    name: str
    dangerous: bool = False
    added: bool = False  # the comparison with the last approved version says it is new
    implied: bool = False  # granted by Android because of an old target SDK, not requested
    max_sdk: int | None = None


def permission_entries(
    facts: Any, changes: VersionDiff | None = None, is_dangerous: Callable[[str], bool] = _is_dangerous
) -> tuple[list[PermissionEntry], list[PermissionEntry], list[str]]:
    """(requested, implied, removed): dangerous first, then by name; `added` and `removed` from `changes`."""
    if facts is None:
        return [], [], []
    max_sdk = {p.name: p.max_sdk for p in getattr(facts, "permission_requests", []) or []}
    added = set(changes.permissions_added or ()) if changes is not None and changes.ok else set()
    implied_added = set(changes.implied_permissions_added or ()) if changes is not None and changes.ok else set()
    requested = [
        PermissionEntry(name, dangerous=_safe(is_dangerous, name), added=name in added, max_sdk=max_sdk.get(name))
        for name in dict.fromkeys(facts.permissions or ())
    ]
    requested.sort(key=lambda e: (not e.dangerous, e.name))
    implied = [
        PermissionEntry(name, dangerous=_safe(is_dangerous, name), added=name in implied_added, implied=True)
        for name in sorted(set(facts.implied_permissions or ()) - set(facts.permissions or ()))
    ]
    implied.sort(key=lambda e: (not e.dangerous, e.name))
    removed = list(changes.permissions_removed or ()) if changes is not None and changes.ok else []
    return requested, implied, removed


def _safe(check: Callable[[str], bool], name: str) -> bool:
    try:
        return bool(check(name))
    except Exception:
        return False


def components(facts: Any) -> list[tuple[str, list[str]]]:
    """(group, names) for activities, services, receivers and providers, in that order."""
    if facts is None:
        return []
    return [
        ("activities", sorted(facts.activities or ())),
        ("services", sorted(facts.services or ())),
        ("receivers", sorted(facts.receivers or ())),
        ("providers", sorted(facts.providers or ())),
    ]


@dataclass(frozen=True)
class CodeChanges:
    """What an update's code adds and drops since the last approved version (from a `VersionDiff` of the
    two versions read with their DEX classes)."""

    added: int
    removed: int
    new_packages: list[tuple[str, int]]  # (Java package, classes in it), most classes first
    any_code: bool = True  # False: neither version has DEX code


def code_changes(old: Any, new: Any) -> CodeChanges | None:
    """Compare the classes of two versions read with `classes=True`; None when one side's could not be read."""
    diff = diff_versions(old, new)
    if not diff.ok or diff.classes_added is None or diff.classes_removed is None:
        return None
    return CodeChanges(
        len(diff.classes_added),
        len(diff.classes_removed),
        list(diff.packages_added or ()),
        any_code=bool(old.classes or new.classes),
    )


@dataclass
class ReviewDetail:
    """One submission as the reviewer sees it; built on the database worker by `load_detail`."""

    view: Any  # SubmissionView
    claim_error: str | None = None
    requested: list[PermissionEntry] = field(default_factory=list)
    implied: list[PermissionEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changes: VersionDiff | None = None  # against the last approved version, or None
    code_paths: tuple[str, str] | None = None  # (last approved APK, this APK) in the blob store, to compare code
    red_flags: tuple[RedFlag, ...] = ()  # worst first
    icon: Any = None  # the GUI's decoded icon, when the GUI's loader adds one
    clone_icons: dict[int, bytes] = field(default_factory=dict)  # catalog id -> the candidate's icon (PNG)
    # Screenshot blob -> its file, for the device runs on show (this version's and the last approved one's):
    # the Devices panel decodes them itself, off the GUI thread, so that loading a detail reads no images.
    device_files: dict[str, str] = field(default_factory=dict)
    listing_files: tuple[str, ...] = ()  # the developer's store-listing images (files), to set beside them

    @property
    def row(self) -> Any:
        return self.view.row

    @property
    def submission_id(self) -> int:
        return int(self.view.row.submission_id)


def load_detail(service: Any, submission_id: int, claim: bool = True) -> ReviewDetail:
    """On the database worker: claim the submission for this reviewer (unless `claim` is false), read it,
    compare it with the last approved version, find its red flags."""
    claim_error = None
    if claim:
        try:
            service.claim(submission_id)
        except StoreError as exc:
            claim_error = str(exc)
    view = service.view(submission_id)
    changes = view.changes
    return assemble_detail(service, view, changes, detail_flags(view, changes), claim_error)


def detail_flags(view: Any, changes: VersionDiff | None) -> tuple[RedFlag, ...]:
    """Every red flag of a submission's evidence, worst first: the package and the update, the newest
    finished scan, the clone comparison, the newest finished device run."""
    flags = red_flags(view.facts, changes)
    finished = [scan for scan in view.detail.scans if scan.state == "done"]
    if finished:
        flags = worst_first([*flags, *scan_flags(finished[0])])
    clones = view.detail.clones
    if clones is not None:
        flags = worst_first([*flags, *clone_flags(clones)])
    runs = view.detail.device_runs
    return worst_first([*flags, *device_flags(next((run for run in runs if run.state != "running"), None))])


def assemble_detail(
    service: Any, view: Any, changes: VersionDiff | None, flags: tuple[RedFlag, ...], claim_error: str | None = None
) -> ReviewDetail:
    """A ReviewDetail of a SubmissionView (read now, or thawed from frozen evidence), with the files of its
    blobs and the icons of its clone candidates."""
    requested, implied, removed = permission_entries(view.facts, changes)
    code_paths = None
    if changes is not None and view.detail.artifact_sha256 and view.detail.previous_artifact_sha256:
        code_paths = (
            str(service.artifact_path(view.detail.previous_artifact_sha256)),
            str(service.artifact_path(view.detail.artifact_sha256)),
        )
    detail = ReviewDetail(view, claim_error, requested, implied, removed, changes, code_paths, flags)
    clones = view.detail.clones
    if clones is not None and clones.candidates:
        detail.clone_icons = service.catalog_icons([c.catalog_id for c in clones.candidates])
    runs = view.detail.device_runs
    shown = [*runs, *([view.detail.previous_device_run] if view.detail.previous_device_run else [])]
    detail.device_files = {
        shot.sha256: str(service.artifact_path(shot.sha256))
        for run in shown
        for result in run.results
        for shot in result.screenshots
    }
    detail.listing_files = tuple(str(service.artifact_path(image.sha256)) for image in view.detail.listing_images)
    return detail
