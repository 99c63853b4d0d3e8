"""Settings: defaults < config file (platformdirs) < environment < command-line flags."""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from reviewer_app.apk.limits import ParseLimits
from reviewer_app.paths import resources_dir

if TYPE_CHECKING:
    from reviewer_app.scanning.engine import EngineSpec

__all__ = [
    "AuditSettings",
    "ClamavSettings",
    "ConfigError",
    "ScanSettings",
    "Settings",
    "SlaSettings",
    "YaraSettings",
    "load_settings",
    "resources_dir",
]

log = logging.getLogger(__name__)

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
class ClamavSettings:
    """`[scanning.clamav]`: clamd's socket (none: clamscan), the official database's folders, and the folder
    of the store's own signature files."""

    socket: str | None = None
    database_dirs: tuple[str, ...] = ("/var/lib/clamav",)
    signatures_dir: str | None = None


@dataclass(frozen=True)
class YaraSettings:
    """`[scanning.yara]`: the folder of .yar/.yara rules (none: the rules shipped in resources/yara)."""

    rules_dir: str | None = None


# The reputation engine is not among them: its blocklists live in the database, and the worker that reads
# them adds its spec with the lists (`--engines reputation` runs it with empty lists: clean, not vouching).
DEFAULT_SCAN_ENGINES = ("clamav", "yara", "android_rules")


@dataclass(frozen=True)
class ScanSettings:
    """`[scanning]`: which engines run, the gate policy, and each engine's time and memory limit.
    `engine_options`: the `[scanning.NAME]` tables of engines other than clamav and yara, handed to them as
    they are."""

    engines: tuple[str, ...] = DEFAULT_SCAN_ENGINES
    policy: str = "any_clean"
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    clamav: ClamavSettings = field(default_factory=ClamavSettings)
    yara: YaraSettings = field(default_factory=YaraSettings)
    engine_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CloneSettings:
    """`[clones]`: what makes a catalog app *close* to a submission (review/clones.py), and how many
    candidates a search keeps. The defaults are the measured thresholds: names 0.8 (every clone variant of
    tests/similarity scores at least that, no unrelated pair of 250 app names does), icons 0.75 (every
    counterfeiter's variant of the corpus icons above, 0.6% of unrelated pairs), code 0.6 (repackaged apps
    0.85 and up, different apps near 0), resources 0.6 (a copy with one file changed 0.9 and up)."""

    name: float = 0.8
    icon: float = 0.8
    code: float = 0.6
    resources: float = 0.6
    top_k: int = 10


@dataclass(frozen=True)
class DeviceSettings:
    """`[devices]`: captures on the phones and emulators of this machine's adb server (review/devices.py).
    `capture`: whether this machine's workers take capture jobs (default: when adb is installed here)."""

    adb_server: str = "127.0.0.1:5037"
    events: int = 500  # Monkey events per device
    seed: int = 1  # the same seed repeats the same Monkey run
    throttle_ms: int = 100
    capture: bool | None = None

    def takes_captures(self) -> bool:
        return self.capture if self.capture is not None else shutil.which("adb") is not None

    def server(self) -> tuple[str, int]:
        host, _, port = self.adb_server.rpartition(":")
        return (host or "127.0.0.1", int(port))


@dataclass(frozen=True)
class AuditSettings:
    """`[audits]`: the share of final decisions sampled for spot-check audits each day (and by `audit sample`
    unless told otherwise), per kind and per reviewer where `[audits.per_kind]` and `[audits.per_reviewer]`
    say otherwise (a reviewer's share first, then the kind's), and how many of a new reviewer's first
    decisions are all audited. `daily`: whether the workers take the day's sample."""

    rate: float = 0.05
    per_kind: Mapping[str, float] = field(default_factory=dict, hash=False)
    per_reviewer: Mapping[str, float] = field(default_factory=dict, hash=False)
    new_reviewer_first_n: int = 20
    daily: bool = True


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
    scanning: ScanSettings = field(default_factory=ScanSettings)
    clones: CloneSettings = field(default_factory=CloneSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    audits: AuditSettings = field(default_factory=AuditSettings)

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

    def scan_specs(
        self,
        names: Sequence[str] | None = None,
        overrides: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[EngineSpec]:
        """How to make each scan engine to run: `names` (default: the settings' list) in that order, each with
        its options from the settings, then `overrides` (engine name -> options that replace the settings'
        for one run). An engine that is neither built in nor installed as a plug-in is skipped with a
        warning, not an error: the default list names engines that a given installation may lack."""
        from reviewer_app.scanning.engine import EngineSpec

        scanning = self.scanning
        specs: list[EngineSpec] = []
        for name in names if names is not None else scanning.engines:
            reason = engine_missing(name)
            if reason is not None:
                log.warning("scan engine %s skipped: %s", name, reason)
                continue
            options = dict(self._engine_options(name))
            options.update((overrides or {}).get(name, {}))
            specs.append(
                EngineSpec(
                    name,
                    options,
                    timeout_seconds=scanning.timeout_seconds,
                    memory_bytes=scanning.memory_mb * 1024 * 1024,
                )
            )
        return specs

    def _engine_options(self, name: str) -> Mapping[str, Any]:
        scanning = self.scanning
        # The engines' own time limit, a little under the runner's hard one: an engine stops its scanner and
        # says "ran past N s" itself rather than being killed with it.
        own_timeout = round(scanning.timeout_seconds * 0.9, 1)
        if name == "clamav":
            clamav = scanning.clamav
            return {
                "socket": clamav.socket,
                "database_dirs": list(clamav.database_dirs),
                "signatures_dirs": [clamav.signatures_dir] if clamav.signatures_dir else [],
                "timeout_seconds": own_timeout,
                "max_file_size": self.limits.max_file_size,
            }
        if name == "yara":
            return {
                "rules_dir": scanning.yara.rules_dir,
                "timeout_seconds": own_timeout,
                "limits": self.limits,
            }
        return scanning.engine_options.get(name, {})


def engine_missing(name: str) -> str | None:
    """Why the scan engine `name` cannot be made here (not registered, its module not installed), or None.
    Decided without importing the engine's module (its library may be heavy)."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    from reviewer_app.scanning import registry

    if name in registry.BUILT_IN or ":" in name:
        module = (registry.BUILT_IN.get(name) or name).partition(":")[0]
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        return None if found else f"its module {module} is not installed"
    if any(entry.name == name for entry in entry_points(group=registry.ENTRY_POINT_GROUP)):
        return None
    return "no such engine is built in or installed as a plug-in"


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


def _scan_settings(raw: Any, base: Path) -> ScanSettings:
    """`[scanning]` of config.toml; a wrong value is a ConfigError that names its key. Relative folders are
    relative to the config file's folder."""
    from reviewer_app.scanning.clamav import SocketAddressError, parse_socket
    from reviewer_app.scanning.gate import GatePolicy, PolicyError

    table = _table(raw, "scanning")
    defaults = ScanSettings()
    known = {"engines", "policy", "timeout_seconds", "memory_mb", "clamav", "yara"}
    engines = defaults.engines
    if "engines" in table:
        value = table["engines"]
        if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
            raise ConfigError("scanning.engines must be a list of engine names")
        engines = tuple(n.strip() for n in value)
    policy = table.get("policy", defaults.policy)
    try:
        policy = str(GatePolicy.parse(policy if isinstance(policy, str) else ""))
    except PolicyError as exc:
        raise ConfigError(f"scanning.policy: {exc}") from None
    timeout = _number(table, "timeout_seconds", defaults.timeout_seconds, 1, 3600, "scanning.timeout_seconds")
    if "memory_mb" in table and (isinstance(table["memory_mb"], bool) or not isinstance(table["memory_mb"], int)):
        raise ConfigError("scanning.memory_mb must be a whole number of MiB")
    memory = int(_number(table, "memory_mb", defaults.memory_mb, 64, 1024 * 1024, "scanning.memory_mb"))

    clamav_raw = _table(table.get("clamav", {}), "scanning.clamav")
    _only(clamav_raw, {"socket", "database_dirs", "signatures_dir"}, "scanning.clamav")
    socket = clamav_raw.get("socket")
    if socket is not None:
        if not isinstance(socket, str) or not socket.strip():
            raise ConfigError("scanning.clamav.socket must be a socket path or tcp:HOST:PORT")
        try:
            parse_socket(socket)
        except SocketAddressError as exc:
            raise ConfigError(f"scanning.clamav.socket: {exc}") from None
        if parse_socket(socket).family == "unix":
            socket = str(_folder(socket.removeprefix("unix://").removeprefix("unix:"), base))
    database_dirs = ClamavSettings.database_dirs
    if "database_dirs" in clamav_raw:
        value = clamav_raw["database_dirs"]
        if not isinstance(value, list) or not all(isinstance(d, str) and d for d in value):
            raise ConfigError("scanning.clamav.database_dirs must be a list of folders")
        database_dirs = tuple(str(_folder(d, base)) for d in value)
    signatures_dir = _optional_folder(clamav_raw, "signatures_dir", base, "scanning.clamav.signatures_dir")

    yara_raw = _table(table.get("yara", {}), "scanning.yara")
    _only(yara_raw, {"rules_dir"}, "scanning.yara")
    rules_dir = _optional_folder(yara_raw, "rules_dir", base, "scanning.yara.rules_dir")

    engine_options: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in known:
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"scanning.{key}: unknown setting (engine options go in a [scanning.{key}] table)")
        engine_options[key] = dict(value)
    return ScanSettings(
        engines=engines,
        policy=policy,
        timeout_seconds=timeout,
        memory_mb=memory,
        clamav=ClamavSettings(socket, database_dirs, signatures_dir),
        yara=YaraSettings(rules_dir),
        engine_options=engine_options,
    )


def _clone_settings(raw: Any) -> CloneSettings:
    table = _table(raw, "clones")
    _only(table, {"name", "icon", "code", "resources", "top_k"}, "clones")
    defaults = CloneSettings()
    values = {name: _number(table, name, getattr(defaults, name), 0.0, 1.0, f"clones.{name}")
              for name in ("name", "icon", "code", "resources")}  # fmt: skip
    top_k = int(_number(table, "top_k", defaults.top_k, 1, 100, "clones.top_k"))
    return CloneSettings(**values, top_k=top_k)


def _device_settings(raw: Any) -> DeviceSettings:
    table = _table(raw, "devices")
    _only(table, {"adb_server", "events", "seed", "throttle_ms", "capture"}, "devices")
    defaults = DeviceSettings()
    server = str(table.get("adb_server", defaults.adb_server))
    host, _, port = server.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"devices.adb_server must be HOST:PORT, not {server!r}")
    capture = table.get("capture")
    if capture is not None and not isinstance(capture, bool):
        raise ConfigError("devices.capture must be true or false")
    return DeviceSettings(
        adb_server=server,
        events=int(_number(table, "events", defaults.events, 1, 100_000, "devices.events")),
        seed=int(_number(table, "seed", defaults.seed, 0, 2**31 - 1, "devices.seed")),
        throttle_ms=int(_number(table, "throttle_ms", defaults.throttle_ms, 0, 10_000, "devices.throttle_ms")),
        capture=capture,
    )


def _audit_settings(raw: Any) -> AuditSettings:
    from reviewer_app.domain import KINDS

    table = _table(raw, "audits")
    _only(table, {"rate", "per_kind", "per_reviewer", "new_reviewer_first_n", "daily"}, "audits")
    defaults = AuditSettings()
    per_kind = _table(table.get("per_kind", {}), "audits.per_kind")
    unknown = sorted(set(per_kind) - set(KINDS))
    if unknown:
        raise ConfigError(f"audits.per_kind.{unknown[0]}: unknown kind (use {', '.join(KINDS)})")
    per_reviewer = _table(table.get("per_reviewer", {}), "audits.per_reviewer")
    daily = table.get("daily", defaults.daily)
    if not isinstance(daily, bool):
        raise ConfigError("audits.daily must be true or false")
    return AuditSettings(
        rate=_number(table, "rate", defaults.rate, 0.0, 1.0, "audits.rate"),
        per_kind={k: _number(per_kind, k, 0, 0.0, 1.0, f"audits.per_kind.{k}") for k in per_kind},
        per_reviewer={k: _number(per_reviewer, k, 0, 0.0, 1.0, f"audits.per_reviewer.{k}") for k in per_reviewer},
        new_reviewer_first_n=int(
            _number(
                table, "new_reviewer_first_n", defaults.new_reviewer_first_n, 0, 100_000, "audits.new_reviewer_first_n"
            )
        ),
        daily=daily,
    )


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key} must be a table ([{key}])")
    return value


def _only(table: dict[str, Any], allowed: set[str], key: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}: unknown setting (known: {', '.join(sorted(allowed))})")


def _number(table: dict[str, Any], name: str, default: float, low: float, high: float, key: str) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{key} must be a number")
    if not low <= value <= high:
        raise ConfigError(f"{key} must be between {_plain(low)} and {_plain(high)}, not {_plain(value)}")
    return float(value)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _folder(text: str, base: Path) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


def _optional_folder(table: dict[str, Any], name: str, base: Path, key: str) -> str | None:
    if name not in table:
        return None
    value = table[name]
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key} must be a folder")
    return str(_folder(value, base))


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
        if "scanning" in raw:
            try:
                settings = replace(settings, scanning=_scan_settings(raw["scanning"], path.parent))
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
        if "clones" in raw:
            try:
                settings = replace(settings, clones=_clone_settings(raw["clones"]))
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
        if "devices" in raw:
            try:
                settings = replace(settings, devices=_device_settings(raw["devices"]))
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
        if "audits" in raw:
            try:
                settings = replace(settings, audits=_audit_settings(raw["audits"]))
            except ConfigError as exc:
                raise ConfigError(f"{path}: {exc}") from None
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
