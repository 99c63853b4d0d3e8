"""What every scan engine is and says: a name, versions, and a verdict with its evidence for one file.

Engines are plain Python (no Qt, no database). The runner builds each engine from an `EngineSpec` inside a
process of its own (so a hostile file that hangs or crashes an engine costs that engine's verdict only),
which is why an engine is made from a picklable spec and never passed around itself. Third-party engines
register under the entry point group `reviewer_app.scan_engines` (see registry.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar


class Verdict(StrEnum):
    CLEAN = "clean"
    MALICIOUS = "malicious"
    SUSPICIOUS = "suspicious"
    ERROR = "error"  # the engine failed on this file (the reason is in `error`)
    TIMEOUT = "timeout"  # it ran past its time limit and was stopped
    UNSUPPORTED = "unsupported"  # it cannot judge this kind of file


@dataclass(frozen=True)
class Evidence:
    """Why an engine says what it says, checkable by a reviewer: which rule, on what, where.

    `kind`: "permission", "class", "method", "string", "file", "signature", "certificate", "hash", ...
    """

    rule: str
    kind: str
    value: str
    detail: str = ""  # where (a DEX file, an entry of the APK) or what else a reviewer should know

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "kind": self.kind, "value": self.value, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        return cls(str(data.get("rule", "")), str(data.get("kind", "")), str(data.get("value", "")),
                   str(data.get("detail", "")))  # fmt: skip


@dataclass(frozen=True)
class EngineResult:
    """One engine's verdict on one file; the CLI's `engines` items (CLI.md names first)."""

    engine: str
    engine_version: str
    signatures_version: str
    verdict: Verdict
    detections: tuple[str, ...] = ()  # names of what was found ("Android.Trojan.SmsSend", a rule name...)
    seconds: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    error: str | None = None  # one line, for error / timeout / unsupported
    # Whether a `clean` verdict speaks for the file. A lookup that found nothing (a blocklist) says nothing
    # about the package: its clean does not vouch, and the gate counts it as nothing (gate.py).
    vouches: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "engine_version": self.engine_version,
            "signatures_version": self.signatures_version,
            "verdict": str(self.verdict),
            "detections": list(self.detections),
            "seconds": round(self.seconds, 3),
            "evidence": [e.to_json() for e in self.evidence],
            "error": self.error,
            "vouches": self.vouches,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EngineResult:
        return cls(
            engine=str(data["engine"]),
            engine_version=str(data.get("engine_version") or ""),
            signatures_version=str(data.get("signatures_version") or ""),
            verdict=Verdict(data["verdict"]),
            detections=tuple(data.get("detections") or ()),
            seconds=float(data.get("seconds") or 0.0),
            evidence=tuple(Evidence.from_json(e) for e in data.get("evidence") or ()),
            error=data.get("error"),
            vouches=bool(data.get("vouches", True)),
        )

    @classmethod
    def failed(cls, engine: str, verdict: Verdict, error: str, seconds: float = 0.0) -> EngineResult:
        """A result that says why the engine could not judge (error, timeout, unsupported)."""
        return cls(engine, "", "", verdict, seconds=seconds, error=error)


@dataclass(frozen=True)
class EngineSpec:
    """How to make one engine: its registered name and its options (paths, limits; picklable values)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    timeout_seconds: float = 120.0
    memory_bytes: int = 2048 * 1024 * 1024


class Engine:
    """Base of the scan engines. Subclasses set `name` and implement `scan`; versions are strings a
    reviewer can compare ("ClamAV 1.4.6", "daily.cvd 27412")."""

    name: ClassVar[str] = ""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def engine_version(self) -> str:
        return ""

    def signatures_version(self) -> str:
        return ""

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        raise NotImplementedError
