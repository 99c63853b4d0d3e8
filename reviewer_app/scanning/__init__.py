"""Malware scanning: engines (ClamAV, YARA, built-in Android risk rules, reputation), a runner that runs
them side by side in processes of their own, and the gate policy. Plain Python: no Qt, no database."""

from reviewer_app.scanning.engine import Engine, EngineResult, EngineSpec, Evidence, Verdict
from reviewer_app.scanning.gate import Gate, GateDecision, GatePolicy, PolicyError, decide
from reviewer_app.scanning.report import ScanReport

__all__ = [
    "Engine",
    "EngineResult",
    "EngineSpec",
    "Evidence",
    "Gate",
    "GateDecision",
    "GatePolicy",
    "PolicyError",
    "ScanReport",
    "Verdict",
    "decide",
]
