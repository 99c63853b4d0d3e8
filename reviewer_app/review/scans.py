"""What a scan means for review: the red flags it raises, the recall case it opens, and the scan job itself.

A scan is kept with its artifact; what follows from it depends on where the artifact's submissions stand:
- an open submission (pending, escalated) gets the scan's red flags, which replace its earlier ones: a
  blocked gate and malware found after an `any_clean` pass are critical, a held gate is serious, and so is
  a fee-deduction hit of the Android rules (sending SMS to short or premium numbers, aborting or deleting
  incoming SMS...), critical when the rules call it malicious;
- a live app (an approved submission whose app is not withdrawn) that any engine now finds malicious gets
  a recall case, which a lead closes by recalling the app or dismissing the case.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from reviewer_app.domain import (
    OPEN_STATUSES,
    BlocklistEntry,
    JobRecord,
    RedFlag,
    ScanEngineRow,
    ScanRecord,
    worst_first,
)

log = logging.getLogger(__name__)

CRITICAL, SERIOUS = 2, 1

# Rule codes of the Android rules that are fee deduction. Sending SMS alone is what an SMS app does.
FEE_DEDUCTION_PREFIX = "fee_deduction."
FEE_DEDUCTION_ORDINARY = {"fee_deduction.sends_sms"}


def scan_flags(scan: ScanRecord) -> list[RedFlag]:
    """The red flags of a finished scan, worst first (none for a clean pass, nor while it runs)."""
    if scan.state != "done":
        return []
    flags: list[RedFlag] = []
    malicious = scan.malicious
    if scan.gate == "block":
        flags.append(RedFlag("scan_blocked", CRITICAL, "scan", _engines_params(malicious)))
    elif scan.gate == "hold":
        flags.append(RedFlag("scan_held", SERIOUS, "scan", {"reason": scan.gate_reason}))
    if scan.malware_after_pass:
        late = [row for row in malicious if row.engine in scan.malware_after_pass]
        flags.append(RedFlag("malware_after_pass", CRITICAL, "scan", _engines_params(late)))
    fee_rules: list[str] = []
    fee_malicious = False
    for row in scan.engines:
        hits = [d for d in row.detections if d.startswith(FEE_DEDUCTION_PREFIX) and d not in FEE_DEDUCTION_ORDINARY]
        if hits and row.verdict in ("malicious", "suspicious"):
            fee_rules += [hit for hit in hits if hit not in fee_rules]
            fee_malicious = fee_malicious or row.verdict == "malicious"
    if fee_rules:
        flags.append(
            RedFlag("fee_deduction", CRITICAL if fee_malicious else SERIOUS, "scan", {"rules": ", ".join(fee_rules)})
        )
    return list(worst_first(flags))


def _engines_params(rows: Sequence[ScanEngineRow]) -> dict[str, str]:
    detections = [d for row in rows for d in row.detections]
    return {"engines": ", ".join(row.engine for row in rows), "detections": ", ".join(dict.fromkeys(detections))}


def signatures_digest(rows: Sequence[tuple[str, str, str]]) -> str:
    """One value for "what the engines know": (engine, engine version, signatures version) of each. When it
    changes (new signatures, rules or blocklist), live apps are scanned again."""
    text = json.dumps(sorted(rows), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def reputation_options(entries: Sequence[BlocklistEntry]) -> dict[str, Any]:
    """The reputation engine's options from the database's blocklist (the engine itself has no database)."""
    sha = {e.value: e.reason for e in entries if e.kind == "sha256"}
    certs = {e.value: e.reason for e in entries if e.kind == "certificate"}
    version = hashlib.sha256(json.dumps([sorted(sha), sorted(certs)]).encode()).hexdigest()[:16]
    return {"sha256": sha, "certificates": certs, "version": f"blocklist {len(sha) + len(certs)} ({version})"}


class ScanJob:
    """Runs scan jobs for one worker: a `ScanRunner` per set of engine specs (rebuilt when the blocklist
    changes), the artifact from the blob store, the result and what follows from it stored at once."""

    def __init__(self, store: Any, specs_for: Callable[[Sequence[BlocklistEntry]], list[Any]], policy: str,
                 workers_per_engine: int = 1) -> None:  # fmt: skip
        self.store = store
        self.specs_for = specs_for
        self.policy = policy
        self.workers_per_engine = workers_per_engine
        self._runner: Any = None
        self._runner_key: str | None = None
        self._versions: list[tuple[str, str, str]] | None = None

    def runner(self) -> Any:
        from reviewer_app.scanning.runner import ScanRunner

        specs = self.specs_for(self.store.blocklist())
        key = repr([(spec.name, sorted(spec.options.items(), key=lambda kv: kv[0])) for spec in specs])
        if self._runner is None or key != self._runner_key:
            if self._runner is not None:
                self._runner.close()
            self._runner = ScanRunner(specs, self.policy, workers_per_engine=self.workers_per_engine)
            self._runner_key = key
            self._versions = None
        return self._runner

    def signatures(self) -> str:
        runner = self.runner()
        if self._versions is None:
            self._versions = runner.versions()
        return signatures_digest(self._versions)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None

    def run(
        self,
        job: JobRecord,
        worker: str,
        clock: Callable[[], datetime],
        renew: Callable[[], bool],
        cancel: threading.Event | None = None,
    ) -> bool:
        """Scan the job's artifact and store the result; False when the job was lost meanwhile, or given back
        because `cancel` was set (the worker is stopping: another run takes it again)."""
        from reviewer_app.scanning.gate import decide

        sha = job.artifact_sha256
        if sha is None:
            return self.store.finish_job(job.job_id, worker, clock(), "the job names no package")
        path = self.store.blobs.path(sha)
        runner = self.runner()
        signatures = self.signatures()
        scan_id = self.store.start_scan(
            job_id=job.job_id,
            artifact_sha256=sha,
            submission_id=job.submission_id,
            reason=job.reason,
            policy=str(runner.policy),
            engines_expected=len(runner.specs),
            signatures=signatures,
            worker=worker,
            now=clock(),
        )
        if not os.path.isfile(path):
            return self.store.finish_scan(
                scan_id, job_id=job.job_id, worker=worker, now=clock(), engines=(), gate=None, gate_reason="",
                error="the package is not in this worker's blob store",
            )  # fmt: skip
        rows: list[ScanEngineRow] = []

        def progress(result: Any, decision: Any) -> None:
            rows.append(ScanEngineRow.from_json(result.to_json()))
            if len(rows) < len(runner.specs):
                self.store.scan_progress(scan_id, rows, str(decision.gate), decision.reason)

        report = runner.scan(path, progress, cancel)
        if cancel is not None and cancel.is_set():
            self.store.abandon_job(job.job_id, worker, scan_id, clock())
            return False
        decision = report.decision or decide(runner.policy, report.results, len(runner.specs))
        engines = tuple(ScanEngineRow.from_json(r.to_json()) for r in report.results)
        record = ScanRecord(
            scan_id=scan_id,
            artifact_sha256=sha,
            state="done" if report.ok else "failed",
            reason=job.reason,
            policy=str(runner.policy),
            gate=str(decision.gate) if report.ok else None,
            gate_reason=decision.reason if report.ok else "",
            engines=engines,
            engines_expected=len(runner.specs),
            started_at=clock(),
            malware_after_pass=tuple(decision.malware_after_pass),
            error=report.error,
        )
        flags, recall = consequences(record, self.store.artifact_submissions(sha))
        return self.store.finish_scan(
            scan_id,
            job_id=job.job_id,
            worker=worker,
            now=clock(),
            engines=engines,
            gate=record.gate,
            gate_reason=record.gate_reason,
            malware_after_pass=record.malware_after_pass,
            error=record.error,
            flags=flags,
            recall=recall,
        )


def consequences(
    scan: ScanRecord, submissions: Sequence[tuple[int, str]]
) -> tuple[dict[int, list[RedFlag]], dict[str, Any] | None]:
    """(red flags per open submission, the recall case to open or None) for a finished scan of an artifact
    whose submissions stand as `submissions` ((id, status), oldest first)."""
    flags = scan_flags(scan)
    per_submission = {sid: flags for sid, status in submissions if status in OPEN_STATUSES}
    approved = [sid for sid, status in submissions if status == "approved"]
    recall = None
    if approved and scan.state == "done" and scan.malicious:
        recall = {"submission_id": approved[-1], "evidence": scan.malicious}
    return per_submission, recall
