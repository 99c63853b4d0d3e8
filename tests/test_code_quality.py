"""The formatter, the linter and the type checker configured in pyproject.toml pass: the package, the tests,
the benchmarks and the packaging scripts are formatted and linted by ruff, the package is type-checked by
mypy. A failure prints what they say."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.corpus import missing_reference

SOURCES = ["reviewer_app", "tests", "bench", "packaging"]


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        missing_reference(f"{module} is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "args",
    [["format", "--check", "--diff", *SOURCES], ["check", "--no-fix", *SOURCES]],
    ids=["ruff-format", "ruff-check"],
)
def test_ruff(args):
    result = run_tool("ruff", *args)
    if result.returncode != 0:
        pytest.fail(f"ruff {' '.join(args)}:\n{result.stdout}{result.stderr}", pytrace=False)


def test_mypy():
    """mypy with the settings of [tool.mypy] (the package reviewer_app)."""
    result = run_tool("mypy")
    if result.returncode != 0:
        pytest.fail(f"mypy:\n{result.stdout}{result.stderr}", pytrace=False)
    assert "Success" in result.stdout
