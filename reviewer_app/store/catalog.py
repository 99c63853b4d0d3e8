"""The catalog of live apps and the clone search's results.

Catalog rows are only ever added (a recalled app stays, marked by its app's withdrawal), so the search
index keeps up by reading the rows with an id above the last one it has (`catalog_apps(after=...)`):
incremental, never a rebuild per insert.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from reviewer_app.domain import CatalogApp, CloneCandidate, CloneResult, NotFound, ProtectedNameEntry, RedFlag
from reviewer_app.store.base import StoreBase
from reviewer_app.store.jobs import JobWrites
from reviewer_app.store.scans import replace_flags
from reviewer_app.store.schema import (
    App,
    Artifact,
    CatalogEntry,
    CloneComparison,
    Developer,
    ProtectedName,
    ResourceCount,
    Submission,
)

CATALOG_FIELDS = ("package", "labels", "developer", "certificates", "cert_subjects", "permissions", "icon",
                  "icon_blob", "code", "resources", "source", "submission_id", "added_at")  # fmt: skip


class CatalogWrites(JobWrites, StoreBase):
    def add_catalog_apps(self, items: Sequence[dict[str, Any]]) -> int:
        """Many catalog rows in one transaction (each: CATALOG_FIELDS); how many were added. An approved
        submission already in the catalog is left as it is."""
        rows = [{name: item.get(name) for name in CATALOG_FIELDS} for item in items]
        if not rows:
            return 0
        with self._writing() as s:
            submissions = [row["submission_id"] for row in rows if row["submission_id"] is not None]
            if submissions:
                known = set(
                    s.execute(
                        select(CatalogEntry.submission_id).where(CatalogEntry.submission_id.in_(submissions))
                    ).scalars()
                )
                rows = [row for row in rows if row["submission_id"] is None or row["submission_id"] not in known]
            if rows:
                s.execute(cast(Table, CatalogEntry.__table__).insert(), rows)
                self._count_resources(s, rows)
        return len(rows)

    def _count_resources(self, s: Session, rows: Sequence[dict[str, Any]]) -> None:
        counts = Counter(digest for row in rows for digest in set(row.get("resources") or ()))
        if not counts:
            return
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        table = cast(Table, ResourceCount.__table__)
        items = sorted(counts.items())  # one order for every writer: no deadlock between two imports
        for start in range(0, len(items), 1000):
            statement = upsert(table).values([{"digest": d, "apps": n} for d, n in items[start : start + 1000]])
            s.execute(statement.on_conflict_do_update(index_elements=["digest"],
                                                      set_={"apps": table.c.apps + statement.excluded.apps}))  # fmt: skip

    def common_resources(self, digests: Sequence[str], min_apps: int) -> frozenset[str]:
        """The digests among `digests` that at least `min_apps` catalog apps carry."""
        if not digests:
            return frozenset()
        found: set[str] = set()
        with self._reading() as s:
            for start in range(0, len(digests), 1000):
                part = list(digests[start : start + 1000])
                found |= set(
                    s.execute(
                        select(ResourceCount.digest).where(
                            ResourceCount.digest.in_(part), ResourceCount.apps >= min_apps
                        )
                    ).scalars()
                )
        return frozenset(found)

    def catalog_apps(self, after: int = 0, limit: int = 10_000) -> list[CatalogApp]:
        """Catalog rows with an id above `after`, in id order (the index reads them page by page)."""
        with self._reading() as s:
            rows = s.execute(
                select(CatalogEntry, App.withdrawn_at)
                .outerjoin(App, App.package == CatalogEntry.package)
                .where(CatalogEntry.id > after)
                .order_by(CatalogEntry.id)
                .limit(limit)
            ).all()
            return [_catalog_app(entry, withdrawn is not None) for entry, withdrawn in rows]

    def catalog_app(self, catalog_id: int) -> CatalogApp:
        with self._reading() as s:
            row = s.execute(
                select(CatalogEntry, App.withdrawn_at)
                .outerjoin(App, App.package == CatalogEntry.package)
                .where(CatalogEntry.id == catalog_id)
            ).first()
            if row is None:
                raise NotFound(f"no catalog app {catalog_id}")
            return _catalog_app(row[0], row[1] is not None)

    def catalog_apps_by_id(self, ids: Sequence[int]) -> dict[int, CatalogApp]:
        """The rows of these ids (the search's candidates), by id."""
        if not ids:
            return {}
        with self._reading() as s:
            rows = s.execute(
                select(CatalogEntry, App.withdrawn_at)
                .outerjoin(App, App.package == CatalogEntry.package)
                .where(CatalogEntry.id.in_(list(ids)))
            ).all()
            return {entry.id: _catalog_app(entry, withdrawn is not None) for entry, withdrawn in rows}

    def catalog_icons(self, ids: Sequence[int]) -> dict[int, bytes]:
        """The PNG icons of these catalog apps that have one in the blob store."""
        if not ids:
            return {}
        with self._reading() as s:
            rows = s.execute(
                select(CatalogEntry.id, CatalogEntry.icon_blob).where(
                    CatalogEntry.id.in_(list(ids)), CatalogEntry.icon_blob.is_not(None)
                )
            ).all()
        icons = {}
        for catalog_id, blob in rows:
            try:
                icons[int(catalog_id)] = self.blobs.read(str(blob))
            except OSError:
                continue
        return icons

    # -- the brand registry --------------------------------------------------------------------

    def protected_names(self) -> list[ProtectedNameEntry]:
        with self._reading() as s:
            rows = s.execute(select(ProtectedName).order_by(ProtectedName.name)).scalars()
            return [ProtectedNameEntry(r.name, r.developer, r.package, r.added_by, r.added_at) for r in rows]

    def protect_name(self, name: str, developer: str, package: str | None, by: str, now: datetime) -> bool:
        """False when the name is registered already."""
        self._require_lead(by)
        with self._writing() as s:
            if s.execute(select(ProtectedName.id).where(ProtectedName.name == name)).first() is not None:
                return False
            s.add(ProtectedName(name=name, developer=developer, package=package, added_by=by, added_at=now))
            self._append_event(
                s, "protected_name", f"name:{name}", {"change": "add", "developer": developer, "package": package}
            )
            return True

    def unprotect_name(self, name: str, by: str) -> bool:
        self._require_lead(by)
        with self._writing() as s:
            result = s.execute(
                delete(ProtectedName).where(ProtectedName.name == name).execution_options(synchronize_session=False)
            )
            removed = bool(getattr(result, "rowcount", 0))
            if removed:
                self._append_event(s, "protected_name", f"name:{name}", {"change": "remove"})
            return removed

    def catalog_stats(self) -> dict[str, Any]:
        with self._reading() as s:
            by_source = dict(s.execute(select(CatalogEntry.source, func.count()).group_by(CatalogEntry.source)).all())
            total = sum(int(n) for n in by_source.values())
            developers = s.execute(select(func.count(func.distinct(CatalogEntry.developer)))).scalar_one()
            icons = s.execute(select(func.count()).where(CatalogEntry.icon.is_not(None))).scalar_one()
            code = s.execute(select(func.count()).where(CatalogEntry.code.is_not(None))).scalar_one()
        return {
            "apps": total,
            "developers": int(developers),
            "with_icon": int(icons),
            "with_code": int(code),
            "by_source": {source: int(by_source.get(source, 0)) for source in ("add", "import", "approved")},
        }

    def approved_outside_catalog(self, limit: int = 100) -> list[tuple[int, str, str, dict[str, Any], str | None]]:
        """(submission id, artifact SHA-256, developer, facts, icon blob) of approved submissions with a package
        that the catalog does not hold yet, oldest first: workers add them."""
        with self._reading() as s:
            rows = s.execute(
                select(Submission.id, Artifact.sha256, Developer.name, Artifact.facts, Artifact.icon_blob)
                .join(Artifact, Artifact.id == Submission.artifact_id)
                .join(Developer, Developer.id == Submission.developer_id)
                .where(Submission.status == "approved")
                .where(~select(CatalogEntry.id).where(CatalogEntry.submission_id == Submission.id).exists())
                .order_by(Submission.id)
                .limit(limit)
            ).all()
        return [(int(i), str(sha), str(dev), dict(facts or {}), icon) for i, sha, dev, facts, icon in rows]

    def save_clone_result(self, artifact_sha256: str, result: CloneResult) -> None:
        with self._writing() as s:
            self._save_clone_result(s, artifact_sha256, result)

    def finish_clone_job(
        self,
        job_id: int,
        worker: str,
        now: datetime,
        artifact_sha256: str,
        result: CloneResult,
        flags: Mapping[int, Sequence[RedFlag]],
    ) -> bool:
        """The result, the red flags of the artifact's open submissions (source "clones", replacing earlier
        ones) and the job's end, all at once; False when the job is no longer this worker's."""
        with self._writing() as s:
            if not self._finish(s, job_id, worker, self._now(now), None):
                return False
            self._save_clone_result(s, artifact_sha256, result)
            for submission_id, submission_flags in flags.items():
                replace_flags(s, submission_id, "clones", submission_flags)
            return True

    @staticmethod
    def _save_clone_result(s: Session, artifact_sha256: str, result: CloneResult) -> None:
        artifact_id = s.execute(select(Artifact.id).where(Artifact.sha256 == artifact_sha256)).scalar_one_or_none()
        if artifact_id is None:
            raise NotFound(f"no artifact {artifact_sha256}")
        s.add(
            CloneComparison(
                artifact_id=artifact_id,
                verdict=result.verdict,
                candidates=[_candidate_json(c) for c in result.candidates],
                catalog_size=result.catalog_size,
                computed_at=result.computed_at,
            )
        )


def latest_clone_result(s: Session, artifact_id: int) -> CloneResult | None:
    row = (
        s.execute(
            select(CloneComparison)
            .where(CloneComparison.artifact_id == artifact_id)
            .order_by(CloneComparison.id.desc())
        )
        .scalars()
        .first()
    )
    if row is None:
        return None
    return CloneResult(
        verdict=row.verdict,
        candidates=tuple(_candidate(c) for c in row.candidates or ()),
        computed_at=row.computed_at,
        catalog_size=row.catalog_size,
    )


def _candidate_json(candidate: CloneCandidate) -> dict[str, Any]:
    return {**candidate.to_json(), "matched": dict(candidate.matched)}


def _candidate(data: dict[str, Any]) -> CloneCandidate:
    return CloneCandidate(
        catalog_id=int(data.get("catalog_id") or 0),
        package=str(data.get("package") or ""),
        label=str(data.get("label") or ""),
        developer=str(data.get("developer") or ""),
        score=float(data.get("score") or 0.0),
        signals=dict(data.get("signals") or {}),
        matched=dict(data.get("matched") or {}),
    )


def _catalog_app(entry: CatalogEntry, withdrawn: bool) -> CatalogApp:
    return CatalogApp(
        catalog_id=entry.id,
        package=entry.package,
        labels=dict(entry.labels or {}),
        developer=entry.developer,
        certificates=tuple(entry.certificates or ()),
        source=entry.source,
        added_at=entry.added_at,
        icon=dict(entry.icon) if entry.icon else None,
        icon_blob=entry.icon_blob,
        code=dict(entry.code) if entry.code else None,
        resources=tuple(entry.resources) if entry.resources is not None else None,
        cert_subjects=tuple(entry.cert_subjects or ()),
        permissions=tuple(entry.permissions or ()),
        submission_id=entry.submission_id,
        withdrawn=withdrawn,
    )
