"""Run every enabled engine on a file at once, each in a process of its own with its own time and memory
limit: the wall time is close to the slowest engine's, not the sum, and an engine that hangs or crashes on
a hostile file gives `timeout` or `error` for that file, never a hung scan.

A `ScanRunner` keeps one process per engine alive between files (a worker scans many), made from the
engine's `EngineSpec` in that process; a process that died or ran past its limit is replaced. Verdicts
are handed to `on_result` as they arrive, with the gate as it stands then (any_clean may pass before the
slowest engine has answered).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, TimeoutError, wait
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from reviewer_app.apk.pool import _context, _virtual_memory_size
from reviewer_app.scanning.engine import EngineResult, EngineSpec, Verdict
from reviewer_app.scanning.gate import GateDecision, GatePolicy, decide
from reviewer_app.scanning.report import ScanReport

OnResult = Callable[[EngineResult, GateDecision], None]

_engines: dict[str, object] = {}  # in an engine's process: its engine, made once (keyed by its spec)


def _init_engine_process(memory_bytes: int) -> None:
    try:
        import resource

        cap = _virtual_memory_size() + memory_bytes
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on Linux/macOS: the time limit still applies


def _scan_in_process(spec: EngineSpec, path: str) -> EngineResult:
    """In the engine's process: make the engine once, scan; every failure is a result, not a raise."""
    from reviewer_app.scanning.registry import make_engine

    started = time.perf_counter()
    try:
        key = repr((spec.name, sorted(spec.options.items())))
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(spec)
        result = engine.scan(path)  # type: ignore[attr-defined]
    except MemoryError:
        return EngineResult.failed(spec.name, Verdict.ERROR, "memory limit exceeded", time.perf_counter() - started)
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
        return EngineResult.failed(spec.name, Verdict.ERROR, text, time.perf_counter() - started)
    if not result.seconds:
        from dataclasses import replace

        result = replace(result, seconds=time.perf_counter() - started)
    return result


def _versions_in_process(spec: EngineSpec) -> tuple[str, str, str]:
    """In the engine's process: (name, engine version, signatures version), for the signatures digest."""
    from reviewer_app.scanning.registry import make_engine

    try:
        key = repr((spec.name, sorted(spec.options.items())))
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(spec)
        return spec.name, str(engine.engine_version()), str(engine.signatures_version())  # type: ignore[attr-defined]
    except Exception as exc:
        return spec.name, "", f"unavailable: {type(exc).__name__}"


class ScanRunner:
    """Engines side by side; `scan(path)` returns the report when every engine has answered.

    `workers_per_engine` > 1 lets that many files be scanned at once (a worker running several jobs);
    each engine still has a process of its own per file."""

    def __init__(
        self, specs: Sequence[EngineSpec], policy: GatePolicy | str = "any_clean", workers_per_engine: int = 1
    ) -> None:
        self.specs = list(specs)
        self.policy = GatePolicy.parse(policy) if isinstance(policy, str) else policy
        self._pools = [  # one process per engine (two specs of one engine are two engines)
            ProcessPool(
                max_workers=max(1, workers_per_engine),
                max_tasks=200,
                initializer=_init_engine_process,
                initargs=(spec.memory_bytes,),
                context=_context(),
            )
            for spec in self.specs
        ]

    def scan(
        self,
        path: str | os.PathLike[str],
        on_result: OnResult | None = None,
        cancel: threading.Event | None = None,
    ) -> ScanReport:
        """Every engine on one file; `cancel` set meanwhile stops waiting (the report is not ok: "cancelled")."""
        name = os.fspath(path)
        started = time.perf_counter()
        if not Path(name).is_file():
            return ScanReport(name, False, self.policy, error="no such file")
        absolute = os.fspath(Path(name).absolute())
        futures: dict[Future, EngineSpec] = {
            pool.schedule(_scan_in_process, args=(spec, absolute), timeout=spec.timeout_seconds): spec
            for pool, spec in zip(self._pools, self.specs, strict=True)
        }
        results: list[EngineResult] = []
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.25 if cancel is not None else None, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                for future in pending:
                    future.cancel()
                return ScanReport(name, False, self.policy, None, tuple(results), error="cancelled",
                                  seconds=time.perf_counter() - started)  # fmt: skip
            for future in done:
                result = self._result(future, futures[future])
                results.append(result)
                if on_result is not None:
                    on_result(result, decide(self.policy, results, len(self.specs)))
        decision = decide(self.policy, results, len(self.specs))
        return ScanReport(name, True, self.policy, decision, tuple(results), seconds=time.perf_counter() - started)

    def versions(self, timeout: float = 60.0) -> list[tuple[str, str, str]]:
        """(engine, engine version, signatures version) of every engine, asked in its own process."""
        futures = [
            pool.schedule(_versions_in_process, args=(spec,), timeout=timeout)
            for pool, spec in zip(self._pools, self.specs, strict=True)
        ]
        versions = []
        for future, spec in zip(futures, self.specs, strict=True):
            try:
                versions.append(future.result())
            except Exception as exc:
                versions.append((spec.name, "", f"unavailable: {type(exc).__name__}"))
        return versions

    @staticmethod
    def _result(future: Future, spec: EngineSpec) -> EngineResult:
        try:
            return future.result()
        except TimeoutError:
            return EngineResult.failed(spec.name, Verdict.TIMEOUT, f"no verdict within {spec.timeout_seconds:g} s",
                                       spec.timeout_seconds)  # fmt: skip
        except ProcessExpired as exc:
            return EngineResult.failed(spec.name, Verdict.ERROR, f"engine process died (exit code {exc.exitcode})")
        except Exception as exc:
            return EngineResult.failed(spec.name, Verdict.ERROR, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        for pool in self._pools:
            pool.stop()
        for pool in self._pools:
            pool.join(timeout=5)

    def __enter__(self) -> ScanRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scan_file(
    path: str | os.PathLike[str],
    specs: Sequence[EngineSpec],
    policy: GatePolicy | str = "any_clean",
    on_result: OnResult | None = None,
) -> ScanReport:
    """One file, every engine once (the runner's processes are made and stopped around it)."""
    with ScanRunner(specs, policy) as runner:
        return runner.scan(path, on_result)
