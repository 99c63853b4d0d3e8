"""DESIGN.md's layers as a check: only ui imports Qt, only store knows SQL, and ui -> review -> libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "reviewer_app"
QT = ("PySide6", "shiboken6", "qtpy")
SQL = ("sqlalchemy", "alembic", "psycopg")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def offenders(roots: tuple[str, ...], allowed_dir: str) -> list[str]:
    bad = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(f"reviewer_app/{allowed_dir}/"):
            continue
        if imported_modules(path) & set(roots):
            bad.append(rel)
    return bad


def test_only_ui_imports_qt():
    assert offenders(QT, "ui") == []


def test_only_store_knows_sql():
    assert offenders(SQL, "store") == []


def test_import_linter_contracts_hold():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 5 kept, 0 broken." in proc.stdout
    # The layers contract lets ui skip review; the forbidden one does not.
    assert "The GUI imports review and config only KEPT" in proc.stdout
