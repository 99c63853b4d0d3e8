"""Which engines exist: the built-in ones by name, and third-party ones from installed plug-ins (entry
point group `reviewer_app.scan_engines`, each an `Engine` subclass). The runner makes engines here, in the
process that runs them."""

from __future__ import annotations

import logging
from importlib import import_module
from importlib.metadata import entry_points

from reviewer_app.scanning.engine import Engine, EngineSpec

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "reviewer_app.scan_engines"

# name -> "module:Class", imported only when that engine is made (its library may be heavy or missing).
BUILT_IN: dict[str, str] = {
    "clamav": "reviewer_app.scanning.clamav:ClamavEngine",
    "yara": "reviewer_app.scanning.yara_engine:YaraEngine",
    "android_rules": "reviewer_app.scanning.android_rules:AndroidRules",
    "reputation": "reviewer_app.scanning.reputation:ReputationEngine",
}

_registered: dict[str, type[Engine]] = {}


def register_engine(cls: type[Engine]) -> type[Engine]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _registered[cls.name] = cls
    return cls


def engine_class(name: str) -> type[Engine]:
    """By registered name, built-in name, plug-in entry point, or "package.module:Class"."""
    if name in _registered:
        return _registered[name]
    if ":" in name:
        module, _, attr = name.partition(":")
        cls = getattr(import_module(module), attr)
        if not (isinstance(cls, type) and issubclass(cls, Engine)):
            raise ValueError(f"{name} is not an Engine")
        return cls
    if name in BUILT_IN:
        module, _, attr = BUILT_IN[name].partition(":")
        cls = getattr(import_module(module), attr)
        _registered[name] = cls
        return cls
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == name:
            cls = entry.load()
            if not (isinstance(cls, type) and issubclass(cls, Engine)):
                raise ValueError(f"scan engine plug-in {name!r} is not an Engine")
            _registered[name] = cls
            return cls
    raise KeyError(f"no scan engine {name!r} (known: {', '.join(known_engines())})")


def known_engines() -> list[str]:
    names = set(BUILT_IN) | set(_registered)
    names |= {entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(names)


def make_engine(spec: EngineSpec) -> Engine:
    return engine_class(spec.name)(**spec.options)
