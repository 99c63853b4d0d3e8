"""Parse APKs in worker processes that have a memory cap and a deadline.

A hostile file can at worst exhaust or hang one worker; the pool kills and replaces it and the caller
gets an `ok: false` record for that file, like for any other bad input.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, TimeoutError
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from reviewer_app.apk.facts import ApkFacts
from reviewer_app.apk.limits import ParseLimits
from reviewer_app.apk.warnings import ApkWarning, code_of


def _virtual_memory_size() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _init_worker(limits: ParseLimits) -> None:
    """Runs in each worker: cap its address space, keep it quiet."""
    try:
        import resource

        cap = _virtual_memory_size() + limits.memory_bytes
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on Linux/macOS: time caps still apply
    import reviewer_app.apk.reader  # noqa: F401  (import once per worker, not per file)


def _read_in_worker(path: str, display_name: str, limits: ParseLimits, classes: bool = False) -> ApkFacts:
    from reviewer_app.apk.reader import read_apk

    return read_apk(path, limits, display_name, classes=classes)


def _failed(display_name: str, reason: ApkWarning) -> ApkFacts:
    return ApkFacts(file=display_name, error=str(reason), error_code=code_of(reason))


def _context():
    if sys.platform.startswith("linux"):
        # A forkserver starts clean (no Qt or database threads to copy) and forks fast afterwards.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["reviewer_app.apk.reader"])
        return ctx
    return multiprocessing.get_context("spawn")


class FactsPool:
    """A pool of APK parsers; results come back in the order the files were given."""

    def __init__(self, workers: int | None = None, limits: ParseLimits | None = None) -> None:
        self.limits = limits or ParseLimits()
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool = ProcessPool(
            max_workers=self.workers,
            max_tasks=500,
            initializer=_init_worker,
            initargs=(self.limits,),
            context=_context(),
        )

    def submit(self, path: str | os.PathLike[str], display_name: str | None = None, *, classes: bool = False) -> Future:
        """`classes`: list the DEX classes too (`facts.classes`)."""
        name = display_name if display_name is not None else str(path)
        return self._pool.schedule(
            _read_in_worker,
            args=(os.fspath(Path(path).absolute()), name, self.limits, classes),
            timeout=self.limits.timeout_seconds,
        )

    def result(self, future: Future, display_name: str) -> ApkFacts:
        """The facts of a submitted file; a killed or timed-out worker becomes an error record."""
        try:
            return future.result()
        except TimeoutError:
            return _failed(display_name, ApkWarning("parse_timeout"))
        except ProcessExpired as exc:
            return ApkFacts(file=display_name, error=f"parser process died (exit code {exc.exitcode}): memory limit?")
        except MemoryError:
            return _failed(display_name, ApkWarning("parse_memory"))
        except Exception as exc:
            return ApkFacts(file=display_name, error=f"parser failed ({type(exc).__name__}: {exc})")

    def inspect(
        self, paths: Iterable[str | os.PathLike[str]], on_result: Callable[[int, ApkFacts], None] | None = None
    ) -> Iterator[ApkFacts]:
        names = [os.fspath(p) for p in paths]
        futures = [self.submit(p, p) for p in names]
        for index, (name, future) in enumerate(zip(names, futures, strict=True)):
            facts = self.result(future, name)
            if on_result is not None:
                on_result(index, facts)
            yield facts

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=5)

    def __enter__(self) -> FactsPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
