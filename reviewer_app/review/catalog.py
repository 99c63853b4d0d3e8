"""Filling the catalog of live apps: from APK files (`catalog add`), from a JSONL export (`catalog import`),
and from approvals (workers add every approved package).

An import is untrusted input: each line is checked on its own, a bad line (not JSON, a missing field, an
icon file that is missing or not an image) gives one error naming its line, and every good line is kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reviewer_app.review.clones import Prints, icon_from_json, icon_json, package_prints

BATCH = 5_000
MAX_LINE = 1_000_000  # characters of one JSONL line
MAX_ICON_BYTES = 4 * 1024 * 1024
HEX = set("0123456789abcdef")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    error: str


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    problems: tuple[ImportProblem, ...]
    lines: int


def add_apks(
    service: Any, paths: list[str], developer: str | Callable[[str], str]
) -> Iterator[tuple[str, bool, str | None, int | None]]:
    """(file, ok, error, catalog rows added) for each APK, in order: parsed in capped worker processes.

    `developer` names the developer of every file, or says it per file (one pool for a catalog of many
    developers: starting the capped workers costs more than reading a small APK)."""
    from reviewer_app.apk.pool import FactsPool

    settings = service.settings
    with FactsPool(workers=settings.parse_workers, limits=settings.limits) as pool:
        for path, facts in zip(paths, pool.inspect(paths), strict=True):
            if not facts.ok:
                yield path, False, facts.error or "unreadable", None
                continue
            owner = developer(path) if callable(developer) else developer
            prints = package_prints(facts.to_json(), owner, path, facts.icon_png, settings.limits)
            icon_blob = service.store.blobs.put_bytes(facts.icon_png) if facts.icon_png else None
            added = service.store.add_catalog_apps([prints.catalog_row("add", service.clock(), icon_blob)])
            yield path, True, None, added


def import_jsonl(service: Any, path: str | os.PathLike[str]) -> ImportOutcome:
    """One app per line: `package`, `label` (or `labels`: locale -> label), `developer`, `cert_sha256` (one or
    a list), optional `icon_path` (relative to the file) or precomputed `icon` ({"phash": hex, ...})."""
    from reviewer_app.similarity.icons import IconPrint, icon_print

    base = Path(path).parent
    problems: list[ImportProblem] = []
    batch: list[dict[str, Any]] = []
    added = 0
    count = 0
    now = service.clock()
    with open(path, encoding="utf-8", errors="replace") as handle:
        for count, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = _row(text, base, now, icon_print, IconPrint, service)
            except ValueError as exc:
                problems.append(ImportProblem(count, str(exc)))
                continue
            batch.append(row)
            if len(batch) >= BATCH:
                added += service.store.add_catalog_apps(batch)
                batch = []
    added += service.store.add_catalog_apps(batch)
    return ImportOutcome(added, tuple(problems), count)


def _row(text: str, base: Path, now: datetime, icon_print: Any, icon_class: Any, service: Any) -> dict[str, Any]:
    if len(text) > MAX_LINE:
        raise ValueError(f"line longer than {MAX_LINE} characters")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    package = data.get("package")
    if not isinstance(package, str) or not package.strip():
        raise ValueError("no package")
    labels = data.get("labels")
    if labels is None:
        label = data.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ValueError("no label")
        labels = {"": label}
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise ValueError("labels must map locales to names")
    developer = data.get("developer")
    if not isinstance(developer, str) or not developer.strip():
        raise ValueError("no developer")
    certificates = data.get("cert_sha256") or []
    certificates = [certificates] if isinstance(certificates, str) else certificates
    if not isinstance(certificates, list) or not all(_is_sha256(c) for c in certificates):
        raise ValueError("cert_sha256 must be SHA-256 digests (64 hexadecimal digits)")
    icon = None
    icon_blob = None
    if data.get("icon_path"):
        icon_file = base / str(data["icon_path"])
        try:
            if icon_file.stat().st_size > MAX_ICON_BYTES:
                raise ValueError(f"icon {data['icon_path']} is larger than {MAX_ICON_BYTES} bytes")
            png = icon_file.read_bytes()
        except OSError as exc:
            raise ValueError(f"icon {data['icon_path']}: {exc.strerror or exc}") from None
        try:
            icon = icon_json(icon_print(png))
        except (ValueError, OSError) as exc:
            raise ValueError(f"icon {data['icon_path']} is not a readable image ({exc})") from None
        icon_blob = service.store.blobs.put_bytes(png)
    elif data.get("icon") is not None:
        try:
            icon = icon_json(icon_from_json(data["icon"]))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # json.JSONDecodeError is a ValueError
            raise ValueError(f"icon fingerprints not readable ({exc})") from None
    prints = Prints(package=package.strip(), labels=tuple(v for v in labels.values() if v), developer=developer.strip(),
                    certificates=tuple(c.lower() for c in certificates))  # fmt: skip
    row = prints.catalog_row("import", now, icon_blob)
    row["labels"] = {str(k): v for k, v in labels.items()}
    row["icon"] = icon
    return row


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value.lower()) <= HEX
