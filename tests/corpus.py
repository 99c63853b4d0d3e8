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
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
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


@pytest.fixture(scope="session")
def apksigner_verdicts() -> dict[tuple[Path, int | None], ApksignerVerdict]:
    """apksigner's verdict for every run of apksigner_runs(), computed once, in parallel."""
    need_corpus()
    tool = need_tool("apksigner")

    def run(item: tuple[Path, int | None]) -> ApksignerVerdict:
        path, min_sdk = item
        args = [tool, "verify", "--print-certs", "-v"]
        if min_sdk is not None:
            args += ["--min-sdk-version", str(min_sdk)]
        proc = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=120)
        return parse_apksigner(proc.stdout + proc.stderr)

    return run_parallel(run, apksigner_runs())
