"""The wheel that `pip install .` builds holds everything the installed program reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (path,) = out.glob("*.whl")
    return path


def test_wheel_holds_every_package_and_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "reviewer_app").rglob("__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names, f"{package} is missing from the wheel"
    assert "reviewer_app/resources/demo/apks/index.json" in names
    assert "reviewer_app/resources/translations/reviewer_app_zh_CN.qm" in names
    demo = {p.name for p in (ROOT / "resources/demo/apks").glob("*.apk")}
    assert demo and all(f"reviewer_app/resources/demo/apks/{n}" in names for n in demo)
    migrations = {p.name for p in (ROOT / "reviewer_app/store/migrations/versions").glob("*.py")}
    assert all(f"reviewer_app/store/migrations/versions/{n}" in names for n in migrations)
    assert "reviewer_app/store/migrations/env.py" in names


def test_installed_copy_finds_its_resources_and_migrates(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from reviewer_app.paths import resources_dir; from reviewer_app.review.demo import demo_apk_dir;"
        "print(resources_dir()); print((demo_apk_dir() / 'index.json').is_file())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path, check=True, timeout=120
    ).stdout.split()
    assert out[0].startswith(str(target)) and out[1] == "True"
    demo = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from reviewer_app.cli import main; sys.exit(main(sys.argv[2:]))",
            str(target),
            "--data-dir",
            str(tmp_path / "ws"),
            "demo",
            "--no-gui",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    assert "submissions filed" in demo.stderr
