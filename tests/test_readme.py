"""The README starts with the two set-up commands, and CI runs the second one exactly as written."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, re.DOTALL)[:2]


def test_readme_opens_with_two_commands_gui_then_tests():
    gui, tests = setup_commands()
    assert "pip install ." in gui and "reviewer-app demo" in gui
    assert "[test]" in tests and "pytest" in tests
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index(gui) < text.index(tests) < text.index("## ")


def test_ci_runs_the_readme_test_command_verbatim():
    _, tests = setup_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
