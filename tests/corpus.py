"""The external APK corpus and the reference tools the tests compare against, in one place.

The corpus lives next to the checkout (../shared/corpus/apks, or $REVIEWER_APP_CORPUS); the references are
Debian's aapt, apksigner and dexdump (or the program named by $AAPT, $APKSIGNER, $DEXDUMP). Without one of
them the tests that need it are skipped with the reason, except under CI=true, where a missing reference is
a failure: a skip must never hide that a comparison did not run.

Every test imports these helpers from here; the fixtures (`apksigner_verdicts`, `aapt_badging`)
are registered for the whole suite by tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("REVIEWER_APP_CORPUS") or ROOT.parent / "shared" / "corpus" / "apks")
IN_CI = os.environ.get("CI", "").lower() == "true"
WORKERS = os.cpu_count() or 2

T = TypeVar("T")
R = TypeVar("R")


def missing_reference(message: str) -> NoReturn:
    """A reference (corpus, tool, server) is missing: skip with the reason, fail under CI=true."""
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it")
    pytest.skip(message)


def need_corpus() -> Path:
    if not CORPUS.is_dir():
        missing_reference(f"APK corpus not found at {CORPUS} (set REVIEWER_APP_CORPUS)")
    return CORPUS


def need_tool(name: str, package: str | None = None) -> str:
    """The path of a reference program: $NAME (upper case) if set, else `name` on PATH."""
    found = os.environ.get(name.upper().replace("-", "_")) or shutil.which(name)
    if not found or not (os.path.isfile(found) and os.access(found, os.X_OK)):
        missing_reference(f"{name} is not installed (Debian package {package or name})")
    return found


def corpus_files() -> list[Path]:
    """Every corpus APK (the top folder and apksig/), or [] without a corpus (the tests that need it fail
    under CI=true through need_corpus)."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*.apk")) + sorted((CORPUS / "apksig").glob("*.apk"))


# Real malware samples sit beside the APK corpus (../shared/corpus/malware): inert files, parsed, never run.
MALWARE = CORPUS.parent / "malware"


def need_malware() -> Path:
    if not MALWARE.is_dir():
        missing_reference(f"malware samples not found at {MALWARE} (beside the APK corpus, REVIEWER_APP_CORPUS)")
    return MALWARE


def malware_files() -> list[Path]:
    """Every malware sample, or [] without them."""
    return sorted(MALWARE.glob("*.apk")) if MALWARE.is_dir() else []


def corpus_id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def run_parallel(function: Callable[[T], R], items: Iterable[T]) -> dict[T, R]:
    """function(item) for every item, on a thread per CPU (each item runs a subprocess)."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(items, pool.map(function, items), strict=True))


# -- aapt -----------------------------------------------------------------------------------------


def run_aapt_badging(paths: Iterable[Path]) -> dict[Path, str | None]:
    """`aapt dump badging` of each file (None where aapt cannot read it)."""
    aapt = need_tool("aapt")

    def run(path: Path) -> str | None:
        proc = subprocess.run([aapt, "dump", "badging", str(path)], capture_output=True, text=True, timeout=60)
        return proc.stdout if proc.returncode == 0 and "package: name=" in proc.stdout else None

    return run_parallel(run, paths)


@pytest.fixture(scope="session")
def aapt_badging() -> dict[Path, str | None]:
    """`aapt dump badging` of every corpus file, run once per session."""
    need_corpus()
    return run_aapt_badging(corpus_files())


# -- apksigner ------------------------------------------------------------------------------------


# (corpus file, --min-sdk-version or None for the APK's own) pairs that apksigner is asked about.
# apksig's test APKs are also checked as if their min SDK were 24 (Android 7.0, v2 required) and 28
# (Android 9, v3 required): most of them declare no min SDK, which would make v1 decide every verdict.
def apksigner_runs() -> list[tuple[Path, int | None]]:
    runs: list[tuple[Path, int | None]] = [(path, None) for path in corpus_files()]
    for path in corpus_files():
        if path.parent.name == "apksig":
            runs += [(path, 24), (path, 28)]
    return runs


@dataclass
class ApksignerVerdict:
    """What `apksigner verify --print-certs -v` printed for one file."""

    verifies: bool | None  # None: apksigner gave no verdict (it failed with an exception)
    schemes: dict[str, bool] = field(default_factory=dict)  # "v1".."v4" -> "Verified using vN scheme"
    signers: list[tuple[str, str]] = field(default_factory=list)  # (DN, SHA-256), in printed order
    output: str = ""


def parse_apksigner(output: str) -> ApksignerVerdict:
    lines = {line.strip() for line in output.splitlines()}
    verifies = True if "Verifies" in lines else False if "DOES NOT VERIFY" in lines else None
    verdict = ApksignerVerdict(verifies, output=output)
    for number, value in re.findall(r"^Verified using v(\d) scheme \([^)]*\): (true|false)$", output, re.M):
        verdict.schemes[f"v{number}"] = value == "true"
    dns = dict(re.findall(r"^Signer #(\d+) certificate DN: (.*)$", output, re.M))
    digests = dict(re.findall(r"^Signer #(\d+) certificate SHA-256 digest: ([0-9a-f]+)$", output, re.M))
    verdict.signers = [(dns.get(n, ""), digests[n]) for n in sorted(digests, key=int)]
    return verdict


# apksigner is a Java program: a thousand runs are a thousand JVM starts, most of their time spent loading
# and interpreting the same classes. These options change how fast the JVM starts, not what apksigner
# decides: C1 compiler only, the serial GC, no perf-data file, no JVM log lines in apksigner's output, and
# the classes of a first run kept in a class-data-sharing archive that the other runs map instead of loading
# (HotSpot 13+; without it they start the usual way). About a third less CPU per run.
JVM_OPTIONS = ["-JXX:TieredStopAtLevel=1", "-JXX:+UseSerialGC", "-JXX:-UsePerfData", "-JXlog:disable"]
ARCHIVE_SAMPLE = ROOT / "resources" / "demo" / "apks" / "com.example.notes_1.apk"


def apksigner_command(tool: str, workdir: Path) -> list[str]:
    """apksigner with fast-start JVM options; the class-data archive is made by verifying a demo APK."""
    archive = workdir / "apksigner.jsa"
    if not archive.exists():
        dump = f"-JXX:ArchiveClassesAtExit={archive}"
        subprocess.run(
            [tool, *JVM_OPTIONS, dump, "verify", "--print-certs", "-v", str(ARCHIVE_SAMPLE)],
            capture_output=True,
            timeout=120,
        )
    options = [*JVM_OPTIONS, f"-JXX:SharedArchiveFile={archive}"] if archive.is_file() else JVM_OPTIONS
    return [tool, *options]


@pytest.fixture(scope="session")
def apksigner(tmp_path_factory) -> list[str]:
    """The apksigner command line to run (Debian's apksigner, started fast), made once per session."""
    return apksigner_command(need_tool("apksigner"), tmp_path_factory.mktemp("apksigner"))


def apksigner_verify(
    command: list[str], path: Path, min_sdk: int | None = None, env: dict[str, str] | None = None
) -> ApksignerVerdict:
    args = [*command, "verify", "--print-certs", "-v"]
    if min_sdk is not None:
        args += ["--min-sdk-version", str(min_sdk)]
    proc = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=120, env=env)
    return parse_apksigner(proc.stdout + proc.stderr)


class ApksignerVerdicts(Mapping[tuple[Path, int | None], ApksignerVerdict]):
    """apksigner's verdicts on a list of runs, each computed once, on a thread per CPU, as the tests ask for
    them: reading one waits for that one alone (no single test waits for the whole corpus, so none runs into
    its timeout), and the threads work a few runs ahead of the latest one asked for, in the order given, so
    they stay busy while the test checks a verdict, and stay quiet while unrelated tests run (whose timings
    a background load would upset)."""

    def __init__(self, command: list[str], runs: Iterable[tuple[Path, int | None]]) -> None:
        self._command = command
        # The environment, copied now: tests change os.environ (monkeypatch) while these threads start
        # programs, and a child started with the process's own environment reads it as it is being replaced
        # (execve then fails with EFAULT, "Bad address").
        self._env = dict(os.environ)
        self._runs = list(runs)
        self._index = {run: i for i, run in enumerate(self._runs)}
        self._futures: dict[tuple[Path, int | None], Future[ApksignerVerdict]] = {run: Future() for run in self._runs}
        self._started = [False] * len(self._runs)
        self._unstarted = len(self._runs)
        self._lookahead = 2 * WORKERS
        self._urgent: deque[int] = deque()  # asked for before its turn
        self._next = 0  # the next run in order
        self._horizon = self._lookahead - 1  # runs in order up to this one may start
        self._closed = False
        self._cond = threading.Condition()
        self._threads = [threading.Thread(target=self._work, name=f"apksigner-{n}") for n in range(WORKERS)]
        for thread in self._threads:
            thread.start()

    def _take(self) -> int | None:
        """The next run to start (called with the lock held), or None for now."""
        while self._urgent:
            i = self._urgent.popleft()
            if not self._started[i]:
                return i
        while self._next < len(self._runs) and self._next <= self._horizon:
            i, self._next = self._next, self._next + 1
            if not self._started[i]:
                return i
        return None

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._closed and self._unstarted and (i := self._take()) is None:
                    self._cond.wait()
                if self._closed or not self._unstarted:
                    return
                self._started[i] = True
                self._unstarted -= 1
            run = self._runs[i]
            try:
                self._futures[run].set_result(apksigner_verify(self._command, *run, env=self._env))
            except BaseException as exc:  # handed to the test that reads it
                self._futures[run].set_exception(exc)

    def __getitem__(self, run: tuple[Path, int | None]) -> ApksignerVerdict:
        future = self._futures[run]
        with self._cond:
            i = self._index[run]
            if not self._started[i]:
                self._urgent.append(i)
                self._next = max(self._next, i + 1)  # the runs skipped over start when they are asked for
            self._horizon = max(self._horizon, i + self._lookahead)
            self._cond.notify_all()
        return future.result()

    def __contains__(self, run: object) -> bool:
        return run in self._futures  # without waiting for it

    def __iter__(self) -> Iterator[tuple[Path, int | None]]:
        return iter(self._runs)

    def __len__(self) -> int:
        return len(self._runs)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()
        for future in self._futures.values():
            future.cancel()


@pytest.fixture(scope="session")
def apksigner_verdicts(apksigner) -> Iterator[ApksignerVerdicts]:
    """apksigner's verdict for every run of apksigner_runs(), each computed once per session: the corpus facts
    and the signature tests both compare with it. The runs at the APK's own min SDK come first."""
    need_corpus()
    verdicts = ApksignerVerdicts(apksigner, apksigner_runs())
    yield verdicts
    verdicts.close()
