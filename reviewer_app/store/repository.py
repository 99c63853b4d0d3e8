"""The only place that talks SQL: `Store` reads and writes plain records (reviewer_app.domain).

Its parts live beside it: base.py (engines, transactions, the shared rules), queue.py (reading the queue
and a submission), claims.py (leases), decisions.py, jobs.py (background work), scans.py (scans, the
blocklist, recall cases), catalog.py (live apps and clone results), devices.py (device runs), recalls.py
(recalls and rollbacks by leads), audit.py (the audit trail, which chain.py appends to), quality.py (the quality
dashboard's counts), audits.py (samples, the audit queue, audits, frozen evidence), outcomes.py (reopening,
recalling, notes to reviewers), settings.py (the team's settings); this module files submissions and keeps
users."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Table,
    func,
    select,
)
from sqlalchemy.orm import Session

from reviewer_app.domain import (
    DeviceScreenshot,
    RedFlag,
)
from reviewer_app.store.audit import AuditTrail
from reviewer_app.store.audits import AuditWrites
from reviewer_app.store.catalog import CatalogWrites
from reviewer_app.store.claims import ClaimWrites
from reviewer_app.store.decisions import DecisionWrites
from reviewer_app.store.devices import DeviceWrites
from reviewer_app.store.errors import IntegrityViolation, translate_errors
from reviewer_app.store.outcomes import OutcomeWrites
from reviewer_app.store.quality import QualityReads
from reviewer_app.store.queue import QueueReads
from reviewer_app.store.recalls import RecallWrites
from reviewer_app.store.scans import ScanWrites
from reviewer_app.store.schema import (
    KINDS,
    App,
    Artifact,
    Developer,
    Setting,
    Submission,
)
from reviewer_app.store.settings import SettingWrites

ANALYZE_AFTER = 1000  # rows added in one bulk import

__all__ = ["Store", "translate_errors"]


class Store(
    QueueReads,
    ClaimWrites,
    DecisionWrites,
    ScanWrites,
    CatalogWrites,
    DeviceWrites,
    RecallWrites,
    QualityReads,
    AuditWrites,
    OutcomeWrites,
    SettingWrites,
    AuditTrail,
):
    """Repository over one database (SQLite file or shared PostgreSQL) and its blob folder."""

    # -- submissions -----------------------------------------------------------------------------

    def add_submission(
        self,
        *,
        kind: str,
        developer: str,
        tier: int | None,
        submitted_at: datetime,
        deadline: datetime,
        facts: dict[str, Any] | None = None,
        apk_path: str | os.PathLike[str] | None = None,
        icon_png: bytes | None = None,
        note: str | None = None,
        package: str | None = None,
        red_flags: Sequence[RedFlag] = (),
        jobs: Sequence[str] = (),
        listing: Sequence[DeviceScreenshot] = (),
        listing_files: Mapping[str, bytes] | None = None,
    ) -> int:
        """File the APK in the blob store, then write developer, app, artifact and submission in one transaction
        with the package's `jobs` ("scan", "clones": workers pick them up as soon as this commits)."""
        if kind not in KINDS:
            raise ValueError(f"unknown submission kind {kind!r}")
        artifact_sha = None
        icon_blob = None
        if apk_path is not None and facts is not None:
            artifact_sha = self.blobs.put_file(apk_path, facts.get("sha256"))
            if icon_png:
                icon_blob = self.blobs.put_bytes(icon_png)
        for data in (listing_files or {}).values():
            self.blobs.put_bytes(data)
        package = package or (facts or {}).get("package")
        for attempt in range(3):
            try:
                with self._writing() as s:
                    dev = self._developer(s, developer, tier, submitted_at)
                    app = self._app(s, package, dev, (facts or {}).get("label"), submitted_at) if package else None
                    artifact = (
                        self._artifact(s, artifact_sha, facts, icon_blob, submitted_at)
                        if artifact_sha and facts is not None
                        else None
                    )
                    sub = Submission(
                        kind=kind,
                        developer_id=dev.id,
                        app_id=app.id if app else None,
                        artifact_id=artifact.id if artifact else None,
                        note=note,
                        submitted_at=submitted_at,
                        deadline=deadline,
                        status="pending",
                        row_version=1,
                        red_flags=[flag.to_json() for flag in red_flags] or None,
                        listing_images=[
                            {"name": i.name, "sha256": i.sha256, "width": i.width, "height": i.height} for i in listing
                        ]
                        or None,
                    )
                    s.add(sub)
                    s.flush()
                    if artifact is not None:
                        for kind in jobs:
                            self._enqueue(s, kind, "submitted", artifact.id, sub.id, None, None, submitted_at)
                    return sub.id
            except IntegrityViolation:
                # Another workstation created the same developer/app/artifact at the same moment.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def add_submissions_bulk(self, items: Sequence[dict[str, Any]]) -> int:
        """Many metadata-style submissions in one transaction (imports, load tests, benchmarks).

        Each item: kind, developer, tier, package, submitted_at, deadline, optional note.
        """
        if not items:
            return 0
        now = min(i["submitted_at"] for i in items)
        with self._writing() as s:
            developers: dict[str, Developer] = {}
            apps: dict[str, App] = {}
            for item in items:
                name = item["developer"]
                if name not in developers:
                    developers[name] = self._developer(s, name, item.get("tier"), now)
                package = item.get("package")
                if package and package not in apps:
                    apps[package] = self._app(s, package, developers[name], item.get("label"), now)
            rows = [
                {
                    "kind": item["kind"],
                    "developer_id": developers[item["developer"]].id,
                    "app_id": apps[item["package"]].id if item.get("package") else None,
                    "artifact_id": None,
                    "note": item.get("note"),
                    "submitted_at": item["submitted_at"],
                    "deadline": item["deadline"],
                    "status": "pending",
                    "row_version": 1,
                }
                for item in items
            ]
            s.execute(cast(Table, Submission.__table__).insert(), rows)
        if len(rows) >= ANALYZE_AFTER and self.backend == "postgresql":
            # Fresh planner statistics now, not when autovacuum next looks (up to a minute): with the
            # queue's size unknown, "what do I hold?" is planned as a scan of the whole queue.
            with self._writing() as s:
                s.execute(select(func.refresh_queue_statistics()))
        return len(rows)

    def _developer(self, s: Session, name: str, tier: int | None, now: datetime) -> Developer:
        dev = s.execute(select(Developer).where(Developer.name == name)).scalar_one_or_none()
        if dev is None:
            dev = Developer(name=name, tier=tier if tier is not None else 3, created_at=now)
            s.add(dev)
            s.flush()
        elif tier is not None and dev.tier != tier:
            dev.tier = tier
        return dev

    def _app(self, s: Session, package: str, dev: Developer, label: str | None, now: datetime) -> App:
        app = s.execute(select(App).where(App.package == package)).scalar_one_or_none()
        if app is None:
            app = App(package=package, developer_id=dev.id, label=label, created_at=now)
            s.add(app)
            s.flush()
        return app

    def _artifact(self, s: Session, sha: str, facts: dict[str, Any], icon_blob: str | None, now: datetime) -> Artifact:
        art = s.execute(select(Artifact).where(Artifact.sha256 == sha)).scalar_one_or_none()
        if art is None:
            art = Artifact(
                sha256=sha,
                size=facts.get("size") or 0,
                package=facts.get("package") or "",
                version_code=facts.get("version_code"),
                version_name=facts.get("version_name"),
                label=facts.get("label"),
                min_sdk=facts.get("min_sdk"),
                target_sdk=facts.get("target_sdk"),
                icon_sha256=facts.get("icon_sha256"),
                icon_blob=icon_blob,
                facts=facts,
                created_at=now,
            )
            s.add(art)
            s.flush()
        return art

    def set_user_role(self, name: str, role: str) -> None:
        """On SQLite there are no database users: the roles of local names are kept as a setting."""
        with self._writing() as s:
            setting = s.get(Setting, "users")
            users = dict(setting.value) if setting else {}
            users[name] = role
            now = datetime.now(UTC)
            if setting is None:
                s.add(Setting(key="users", value=users, updated_by=self._reviewer or "admin", updated_at=now))
            else:
                setting.value = users
                setting.updated_at = now
            self._append_event(s, "user", f"user:{name}", {"role": role})

    def role_of(self, name: str) -> str:
        """reviewer, lead or admin. PostgreSQL asks the server; SQLite reads the local roles setting, where
        the single user of an unconfigured workstation is everything at once (lead)."""
        if self.backend == "postgresql":
            from reviewer_app.store.roles import role_of

            with translate_errors():
                return role_of(self.reader, name) or "reviewer"
        users = self.user_roles()
        return users.get(name, "reviewer" if users else "lead")

    def user_roles(self) -> dict[str, str]:
        with self._reading() as s:
            setting = s.get(Setting, "users")
            return dict(setting.value) if setting else {}

    def developer_tier(self, name: str) -> int | None:
        with self._reading() as s:
            return s.execute(select(Developer.tier).where(Developer.name == name)).scalar_one_or_none()
