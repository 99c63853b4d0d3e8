"""Where the files shipped beside the code live (resources/ in a checkout, reviewer_app.resources once installed)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import reviewer_app


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    checkout = Path(reviewer_app.__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    try:
        from importlib.resources import files

        installed = Path(str(files("reviewer_app.resources")))
        if installed.is_dir():
            return installed
    except (ModuleNotFoundError, TypeError):
        pass
    return checkout


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
