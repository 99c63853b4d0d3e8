"""Every third-party module the code imports comes from a distribution that pyproject.toml declares: the
package's from `dependencies`, the tests', benchmarks' and packaging scripts' from those or the `test` extra.
An undeclared one works here only because something else happened to pull it in."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

import pytest

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}


def third_party_imports(folder: str) -> dict[str, set[str]]:
    """Top-level module -> the files importing it, for absolute imports outside the stdlib and the project."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in {"reviewer_app", "tests", "bench", "__future__"}:
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


@pytest.mark.parametrize(
    ("folder", "allowed"),
    [
        ("reviewer_app", declared(PROJECT["dependencies"])),
        ("tests", declared(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])),
        ("bench", declared(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])),
        ("packaging", declared(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])),
    ],
)
def test_every_imported_distribution_is_declared(folder, allowed):
    distributions = packages_distributions()
    imports = third_party_imports(folder)
    assert imports  # the scan found the imports it checks
    undeclared = {
        module: sorted(files)
        for module, files in imports.items()
        if not {normalise(d) for d in distributions.get(module, [module])} & allowed
    }
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
