"""One file scanned by every enabled engine: the gate and each engine's row (`reviewer-app scan --json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer_app.scanning.engine import EngineResult
from reviewer_app.scanning.gate import GateDecision, GatePolicy


@dataclass(frozen=True)
class ScanReport:
    file: str
    ok: bool  # False: the file could not be scanned at all (missing, unreadable); `error` says why
    policy: GatePolicy
    decision: GateDecision | None = None
    results: tuple[EngineResult, ...] = field(default_factory=tuple)  # in the order they arrived
    error: str | None = None
    seconds: float = 0.0  # wall time of the whole scan

    def to_json(self) -> dict[str, Any]:
        """CLI.md's names first (`file`, `ok`, `error`, `gate`, `policy`, `engines`), extra fields after."""
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "gate": str(self.decision.gate) if self.decision is not None else None,
            "policy": str(self.policy),
            "engines": [r.to_json() for r in self.results],
            "gate_reason": self.decision.reason if self.decision is not None else None,
            "malware_after_pass": list(self.decision.malware_after_pass) if self.decision is not None else [],
            "seconds": round(self.seconds, 3),
        }
