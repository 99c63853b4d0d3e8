"""A ready demo workspace: real APKs the project builds itself, several kinds and tiers, some overdue."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from reviewer_app.config import Settings
from reviewer_app.paths import resource_path
from reviewer_app.review.service import ReviewService

# (index of the demo APK list, minutes ago it was submitted): spread so that the queue shows overdue,
# nearly due and comfortable rows for both SLA classes.
SCHEDULE_MINUTES_AGO = (150, 20, 1500, 100, 30, 1300, 60, 700, 10, 300)

# Approved the day before by a lead: the notes app, so that its update is reviewed against it; the SMS
# helper, which today's store signatures report (its re-scan opens a recall case for the leads).
APPROVED_EARLIER = {"com.example.notes_1.apk", "com.example.smshelper_23.apk"}
DEMO_LEAD = "lena"

# A lead has blocked the key of a known counterfeiter: the reputation engine names it on its package.
BLOCKED_SIGNER = {"com.exampel.notes_1.apk": "signing key of Shady Labs, who copied Acme's Notes before"}

LISTING_IMAGES = {"com.example.notes": "Notes"}  # package -> label: the metadata change with new screenshots
METADATA_CHANGES = (
    ("com.example.notes", "Acme Apps", 5, "New screenshots and a shorter description for the listing.", 125),
    ("com.example.weather", "Sky Soft", 4, "Developer changed the app's display name to '天气预报 Pro'.", 5),
    ("com.example.smshelper", "Quick Tools", 2, "Contact e-mail changed to a free-mail address.", 1420),
)


def demo_apk_dir() -> Path:
    return resource_path("demo", "apks")


def demo_settings(settings: Settings, explicit_data_dir: bool, explicit_db: bool) -> Settings:
    """The demo lives in its own folder unless the caller named one, so it never mixes with real work; its
    ClamAV uses the demo's store signatures unless the settings name a folder of their own."""
    settings = with_demo_signatures(settings)
    if explicit_data_dir or explicit_db:
        return settings
    return replace(settings, data_dir=settings.data_dir / "demo", db_url=None)


def with_demo_signatures(settings: Settings, folder: str = "clamav") -> Settings:
    """The store's own ClamAV signature files of the demo (SHA-256 hash signatures of two demo APKs): the
    engine gives real verdicts on a machine without ClamAV's official database."""
    clamav = settings.scanning.clamav
    if clamav.signatures_dir is not None and folder == "clamav":
        return settings
    clamav = replace(clamav, signatures_dir=str(resource_path("demo", folder)))
    return replace(settings, scanning=replace(settings.scanning, clamav=clamav))


def create_demo_workspace(settings: Settings, reset: bool = False) -> str:
    if reset and settings.db_url is None and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    service = ReviewService(settings)
    try:
        stats = service.queue_stats()
        if stats["open"] > 0 and not reset:
            return f"{stats['open']} open submissions, kept as they were"
        return _fill(service)
    finally:
        service.close()


def _fill(service: ReviewService) -> str:
    from reviewer_app.apk.reader import read_apk

    index = json.loads((demo_apk_dir() / "index.json").read_text(encoding="utf-8"))
    now = service.clock()
    filed = 0
    notes: list[str] = []
    tested: list[tuple[str, str, str, int]] = []  # what the demo's device runs are for
    for position, entry in enumerate(index):
        path = demo_apk_dir() / entry["file"]
        facts = read_apk(path, display_name=entry["file"])
        minutes = SCHEDULE_MINUTES_AGO[position % len(SCHEDULE_MINUTES_AGO)]
        earlier = entry["file"] in APPROVED_EARLIER
        outcome = service.submit_facts(
            facts,
            path,
            kind=entry["kind"],
            developer=entry["developer"],
            tier=entry["tier"],
            submitted_at=now - (timedelta(days=2) if earlier else timedelta(minutes=minutes)),
        )
        filed += outcome.ok
        if outcome.ok and outcome.submission_id is not None and facts.package:
            sha = service.store.detail(outcome.submission_id).artifact_sha256
            tested.append((str(sha), facts.package, facts.label or facts.package, facts.version_code or 0))
        if entry["file"] in BLOCKED_SIGNER and facts.signers:
            notes += _block_signer(service, facts.signers[0].sha256, BLOCKED_SIGNER[entry["file"]])
        if earlier and outcome.ok and outcome.submission_id is not None:
            refused = _approve_as_lead(service, outcome.submission_id, now - timedelta(days=1))
            if refused:
                notes.append(f"{entry['file']} not approved beforehand ({refused})")
    for package, developer, tier, note, minutes in METADATA_CHANGES:
        submitted = now - timedelta(minutes=minutes)
        listing, listing_files = _listing(package) if package in LISTING_IMAGES else ([], {})
        service.store.add_submission(
            kind="metadata",
            developer=developer,
            tier=tier,
            submitted_at=submitted,
            deadline=service.sla.deadline(submitted, tier),
            package=package,
            note=note,
            listing=listing,
            listing_files=listing_files,
        )
        filed += 1
    notes += _catalog(service)
    notes += _device_runs(service, tested)
    notes += _history(service)
    notes += _scan(service.settings)
    return "; ".join([f"{filed} submissions filed", *notes])


def _block_signer(service: ReviewService, certificate: str, reason: str) -> list[str]:
    from reviewer_app.domain import StoreError

    lead = ReviewService(replace(service.settings, reviewer=DEMO_LEAD))
    try:
        lead.block("certificate", certificate, reason)
    except StoreError as exc:  # on a shared database the connecting user may not be a lead
        return [f"blocklist left empty ({str(exc).splitlines()[0]})"]
    finally:
        lead.close()
    return []


def _catalog(service: ReviewService) -> list[str]:
    """Well-known live apps (names, packages, developers; demo certificates), so the clone search has a
    catalog to compare with; the apps approved above join it through the workers."""
    from reviewer_app.domain import StoreError
    from reviewer_app.review.catalog import import_jsonl

    try:
        outcome = import_jsonl(service, resource_path("demo", "catalog.jsonl"))
    except StoreError as exc:
        return [f"catalog left empty ({str(exc).splitlines()[0]})"]
    return [f"{len(outcome.problems)} catalog lines refused"] if outcome.problems else []


def _listing(package: str) -> tuple[list, dict[str, bytes]]:
    """The new store-listing images of a metadata change, checked as a developer's upload is."""
    import tempfile

    from reviewer_app.review.demo_devices import listing_images
    from reviewer_app.review.devices import read_listing_images

    with tempfile.TemporaryDirectory(prefix="reviewer-demo-listing-") as tmp:
        return read_listing_images(listing_images(Path(tmp), package, LISTING_IMAGES[package]))


def _history(service: ReviewService) -> list[str]:
    """Three weeks of decided listing changes, audits and a sample, for lead mode's tabs."""
    from reviewer_app.domain import StoreError
    from reviewer_app.review.demo_history import file_history

    try:
        return file_history(service.settings, service.clock(), DEMO_LEAD)
    except StoreError as exc:  # on a shared database the connecting user may not decide as others
        return [f"no past decisions ({str(exc).splitlines()[0]})"]


def _device_runs(service: ReviewService, tested: list[tuple[str, str, str, int]]) -> list[str]:
    """A compatibility run of each package on five phones, filed as a device cloud's results would be."""
    from reviewer_app.domain import StoreError
    from reviewer_app.review.demo_devices import file_demo_runs

    try:
        file_demo_runs(service.store, tested, service.clock())
    except StoreError as exc:  # on a shared database only workers and admins file device runs
        return [f"device runs left out ({str(exc).splitlines()[0]})"]
    return []


def _scan(settings: Settings) -> list[str]:
    """Run the scan jobs now, so the Scans panel has verdicts at once: first with yesterday's signatures
    (as when the packages were filed), then with today's, which report an app approved yesterday — the
    workers' re-scan of live apps opens a recall case. On a shared database the connecting user may not
    run jobs (workers do): the scans then wait for `reviewer-app worker`."""
    import threading

    from reviewer_app.domain import StoreError
    from reviewer_app.review.worker import run_worker

    try:
        run_worker(with_demo_signatures(settings, "clamav-yesterday"), threading.Event(), once=True, poll_seconds=0.1)
        run_worker(with_demo_signatures(settings), threading.Event(), once=True, poll_seconds=0.1)
    except StoreError as exc:
        return [f"scans wait for a worker ({str(exc).splitlines()[0]})"]
    return []


def _approve_as_lead(service: ReviewService, submission_id: int, when) -> str | None:
    """Approve as a lead would have the day before; on a shared database the connecting user may not be
    allowed to (an admin decides nothing): the demo goes on without it, and says why."""
    lead = ReviewService(replace(service.settings, reviewer=DEMO_LEAD), clock=lambda: when)
    try:
        outcome = lead.decide(submission_id, "approve")
        return None if outcome.ok else outcome.error
    finally:
        lead.close()
