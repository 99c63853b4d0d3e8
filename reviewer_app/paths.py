"""Where the files shipped beside the code live: reviewer_app.resources once installed, resources/ in a checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import reviewer_app


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    from importlib.util import find_spec

    try:
        spec = find_spec("reviewer_app.resources")  # a folder without __init__.py: a namespace package
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return Path(reviewer_app.__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
