"""The [scanning] settings of config.toml and the engine specs made from them (for the CLI and the workers)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reviewer_app.config import ConfigError, Settings, load_settings
from reviewer_app.scanning.registry import make_engine


def settings_from(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(config_file=path, env={})


def test_the_defaults_name_three_engines_and_the_stores_policy(caplog):
    settings = Settings()
    assert settings.scanning.engines == ("clamav", "yara", "android_rules")  # reputation: added by the worker
    assert settings.scanning.policy == "any_clean"
    with caplog.at_level(logging.WARNING, logger="reviewer_app.config"):
        specs = settings.scan_specs()
    names = [spec.name for spec in specs]
    assert names[:2] == ["clamav", "yara"]  # built in; the others only where they are installed
    skipped = {r.getMessage().split()[2] for r in caplog.records}
    assert set(names) | skipped == {"clamav", "yara", "android_rules"}
    assert all("skipped" in r.getMessage() for r in caplog.records)


def test_every_scanning_setting_reaches_its_engine(tmp_path):
    settings = settings_from(
        tmp_path,
        """
[scanning]
engines = ["yara", "clamav", "some_plugin"]
policy = "quorum:2"
timeout_seconds = 30
memory_mb = 512

[scanning.clamav]
socket = "clamd.sock"
database_dirs = ["/srv/clamav"]
signatures_dir = "~/store-sigs"

[scanning.yara]
rules_dir = "rules"

[scanning.some_plugin]
api = "https://example.invalid/v1"
""",
    )
    scanning = settings.scanning
    assert scanning.policy == "quorum:2" and scanning.engines == ("yara", "clamav", "some_plugin")
    assert scanning.clamav.socket == str(tmp_path / "clamd.sock")  # relative to the config file
    assert scanning.clamav.signatures_dir == str(Path("~/store-sigs").expanduser())
    assert scanning.yara.rules_dir == str(tmp_path / "rules")
    assert scanning.engine_options == {"some_plugin": {"api": "https://example.invalid/v1"}}
    specs = {spec.name: spec for spec in settings.scan_specs(["yara", "clamav"])}
    assert list(specs) == ["yara", "clamav"]
    assert specs["clamav"].options["socket"] == str(tmp_path / "clamd.sock")
    assert specs["clamav"].options["database_dirs"] == ["/srv/clamav"]
    assert specs["clamav"].options["signatures_dirs"] == [str(Path("~/store-sigs").expanduser())]
    assert specs["yara"].options["rules_dir"] == str(tmp_path / "rules")
    for spec in specs.values():
        assert spec.timeout_seconds == 30 and spec.memory_bytes == 512 * 1024 * 1024
        assert spec.options["timeout_seconds"] == 27  # the engine's own limit, under the runner's
    engine = make_engine(specs["clamav"])  # the options are the engine's own keyword arguments
    assert str(engine.address) == str(tmp_path / "clamd.sock") and engine.signatures_dirs == specs["clamav"].options["signatures_dirs"]  # fmt: skip


def test_overrides_replace_the_settings_for_one_run(tmp_path):
    settings = settings_from(tmp_path, '[scanning.clamav]\nsignatures_dir = "/srv/sigs"\n')
    (spec,) = settings.scan_specs(["clamav"], {"clamav": {"signatures_dirs": ["/srv/sigs", "/tmp/extra"]}, "yara": {"rules_dir": "x"}})  # fmt: skip
    assert spec.options["signatures_dirs"] == ["/srv/sigs", "/tmp/extra"]
    assert spec.options["database_dirs"] == ["/var/lib/clamav"]  # untouched by the override


def test_an_engine_that_is_not_installed_is_skipped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="reviewer_app.config"):
        specs = Settings().scan_specs(["yara", "no_such_engine", "no_such_module:Engine"])
    assert [spec.name for spec in specs] == ["yara"]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "scan engine no_such_engine skipped: no such engine is built in or installed as a plug-in",
        "scan engine no_such_module:Engine skipped: its module no_such_module is not installed",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[scanning]\npolicy = "fastest"', "scanning.policy: unknown gate policy 'fastest'"),
        ('[scanning]\npolicy = "quorum:0"', "scanning.policy: unknown gate policy 'quorum:0'"),
        ('[scanning]\nengines = "clamav"', "scanning.engines must be a list of engine names"),
        ('[scanning]\nengines = ["clamav", ""]', "scanning.engines must be a list of engine names"),
        ('[scanning]\ntimeout_seconds = "long"', "scanning.timeout_seconds must be a number"),
        ("[scanning]\ntimeout_seconds = 0", "scanning.timeout_seconds must be between 1 and 3600, not 0"),
        ("[scanning]\nmemory_mb = 1.5", "scanning.memory_mb must be a whole number of MiB"),
        ("[scanning]\nmemory_mb = 16", "scanning.memory_mb must be between 64 and 1048576, not 16"),
        ("[scanning]\nsla = 3", "scanning.sla: unknown setting"),
        ('[scanning.clamav]\nsockets = "/run/clamd"', "scanning.clamav.sockets: unknown setting"),
        ('[scanning.clamav]\nsocket = "tcp:host"', "scanning.clamav.socket: not a clamd socket: 'tcp:host'"),
        ('[scanning.clamav]\ndatabase_dirs = "/var/lib/clamav"', "scanning.clamav.database_dirs must be a list"),
        ("[scanning.clamav]\nsignatures_dir = 3", "scanning.clamav.signatures_dir must be a folder"),
        ("[scanning.yara]\nrules_dir = true", "scanning.yara.rules_dir must be a folder"),
        ('scanning = "all"', "scanning must be a table"),
    ],
)
def test_a_wrong_value_is_a_config_error_that_names_its_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as raised:
        settings_from(tmp_path, text)
    assert str(raised.value).startswith(f"{tmp_path / 'config.toml'}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
