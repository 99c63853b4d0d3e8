"""Corpus fixtures for the APK tests: the external APK corpus, and Debian's apksigner as the reference.

The corpus lives next to the checkout (../shared/corpus/apks, or $REVIEWER_APP_CORPUS), the malware samples
beside it (../shared/corpus/malware). Without them, or
without /usr/bin/apksigner, the tests that need them are skipped with the reason, except under CI=true,
where a missing corpus or tool is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CORPUS_DIR = Path(os.environ.get("REVIEWER_APP_CORPUS") or Path(__file__).parents[2].parent / "shared/corpus/apks")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _skip_or_fail(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it")
    pytest.skip(message)


def corpus_apks() -> list[Path]:
    """Every corpus APK (the top folder and apksig/), or [] without a corpus."""
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(CORPUS_DIR.rglob("*.apk"))


def require_corpus() -> Path:
    if not CORPUS_DIR.is_dir():
        _skip_or_fail(f"APK corpus not found at {CORPUS_DIR} (set REVIEWER_APP_CORPUS)")
    return CORPUS_DIR


# Real malware samples sit beside the APK corpus (../shared/corpus/malware): inert files, parsed, never run.
MALWARE_DIR = CORPUS_DIR.parent / "malware"


def malware_apks() -> list[Path]:
    """Every malware sample, or [] without them."""
    return sorted(MALWARE_DIR.glob("*.apk")) if MALWARE_DIR.is_dir() else []


def require_malware() -> Path:
    if not MALWARE_DIR.is_dir():
        _skip_or_fail(f"malware samples not found at {MALWARE_DIR} (beside the APK corpus, REVIEWER_APP_CORPUS)")
    return MALWARE_DIR


# (corpus file, --min-sdk-version or None for the APK's own) pairs that apksigner is asked about.
# apksig's test APKs are also checked as if their min SDK were 24 (Android 7.0, v2 required) and 28
# (Android 9, v3 required): most of them declare no min SDK, which would make v1 decide every verdict.
def apksigner_runs() -> list[tuple[Path, int | None]]:
    runs: list[tuple[Path, int | None]] = [(path, None) for path in corpus_apks()]
    for path in corpus_apks():
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
    require_corpus()
    tool = shutil.which("apksigner")
    if tool is None:
        _skip_or_fail("apksigner is not installed (Debian package apksigner)")

    def run(item: tuple[Path, int | None]) -> ApksignerVerdict:
        path, min_sdk = item
        args = [tool, "verify", "--print-certs", "-v"]
        if min_sdk is not None:
            args += ["--min-sdk-version", str(min_sdk)]
        proc = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=120)
        return parse_apksigner(proc.stdout + proc.stderr)

    runs = apksigner_runs()
    with ThreadPoolExecutor(max_workers=max(2, min(8, (os.cpu_count() or 2) * 2))) as pool:
        return dict(zip(runs, pool.map(run, runs), strict=True))
