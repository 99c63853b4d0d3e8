"""Where an import of APK files stands: parsed, filed, failed (one line per bad file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def open_facts_pool(workers: int | None = None, limits: Any = None) -> Any:
    """Capped worker processes that read APK files (apk/pool.py), for imports and code comparisons."""
    from reviewer_app.apk.pool import FactsPool

    return FactsPool(workers=workers, limits=limits)


def short_name(path: str) -> str:
    """The file name of a path, for one-line messages."""
    return path.replace("\\", "/").rsplit("/", 1)[-1] or path


@dataclass
class ImportProgress:
    total: int
    parsed: int = 0
    filed: int = 0
    filing: int = 0  # handed to the database worker, answer not back yet
    parse_done: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, one-line error)
    filed_ids: list[int] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def done(self) -> int:
        return self.filed + self.failed

    @property
    def finished(self) -> bool:
        return self.parse_done and self.filing == 0

    def fail(self, path: str, error: str | None) -> None:
        lines = (error or "").strip().splitlines()
        self.failures.append((short_name(path), lines[0] if lines else ""))
