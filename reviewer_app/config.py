"""Settings: defaults < config file (platformdirs) < environment < command-line flags."""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from reviewer_app.apk.limits import ParseLimits
from reviewer_app.paths import resources_dir

__all__ = ["ConfigError", "Settings", "SlaSettings", "load_settings", "resources_dir"]

APP_NAME = "reviewer-app"
APP_AUTHOR = "reviewer-app"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "config.toml"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "reviewer"


@dataclass(frozen=True)
class SlaSettings:
    """Decision deadlines: fast for developers with a high star tier, a working day for the rest."""

    fast_hours: float = 2.0
    default_hours: float = 24.0
    fast_min_tier: int = 4


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    db_url: str | None = None  # None: SQLite file in data_dir
    reviewer: str | None = None  # identity on SQLite; PostgreSQL uses the connection's user
    sla: SlaSettings = field(default_factory=SlaSettings)
    lease_minutes: float = 15.0
    undo_seconds: float = 10.0  # the window keeps a decision back this long, so that it can be undone
    limits: ParseLimits = field(default_factory=ParseLimits)
    parse_workers: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def database_url(self) -> str:
        return self.db_url or sqlite_url(self.data_dir / "reviewer.sqlite3")

    @property
    def journal_path(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def reviewer_name(self) -> str:
        return self.reviewer or os_user()


class ConfigError(Exception):
    """A config file or value is wrong; the message names it."""


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_settings(
    *,
    config_file: Path | None = None,
    env: dict[str, str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    db_url: str | None = None,
    reviewer: str | None = None,
) -> Settings:
    env = dict(os.environ) if env is None else env
    path = Path(env["REVIEWER_APP_CONFIG"]) if "REVIEWER_APP_CONFIG" in env else (config_file or default_config_file())
    raw = _from_file(path)
    settings = Settings()
    try:
        if "data_dir" in raw:
            settings = replace(settings, data_dir=Path(raw["data_dir"]).expanduser())
        if "db" in raw:
            from reviewer_app.credentials import has_password

            if has_password(str(raw["db"])):
                raise ConfigError(
                    f"{path}: the database URL holds a password; keep it in the system keyring instead "
                    "(reviewer-app db login)"
                )
            settings = replace(settings, db_url=str(raw["db"]))
        if "reviewer" in raw:
            settings = replace(settings, reviewer=str(raw["reviewer"]))
        if "lease_minutes" in raw:
            settings = replace(settings, lease_minutes=float(raw["lease_minutes"]))
        if "undo_seconds" in raw:
            undo = float(raw["undo_seconds"])
            if not 0 <= undo <= 600:
                raise ValueError(f"undo_seconds must be between 0 and 600, not {undo:g}")
            settings = replace(settings, undo_seconds=undo)
        if "sla" in raw:
            sla = raw["sla"]
            settings = replace(
                settings,
                sla=SlaSettings(
                    fast_hours=float(sla.get("fast_hours", settings.sla.fast_hours)),
                    default_hours=float(sla.get("default_hours", settings.sla.default_hours)),
                    fast_min_tier=int(sla.get("fast_min_tier", settings.sla.fast_min_tier)),
                ),
            )
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if env.get("REVIEWER_APP_DATA"):
        settings = replace(settings, data_dir=Path(env["REVIEWER_APP_DATA"]).expanduser())
    if env.get("REVIEWER_APP_DB"):
        settings = replace(settings, db_url=env["REVIEWER_APP_DB"])
    if env.get("REVIEWER_APP_REVIEWER"):
        settings = replace(settings, reviewer=env["REVIEWER_APP_REVIEWER"])
    if data_dir:
        settings = replace(settings, data_dir=Path(data_dir).expanduser())
    if db_url:
        settings = replace(settings, db_url=db_url)
    if reviewer:
        settings = replace(settings, reviewer=reviewer)
    return settings
