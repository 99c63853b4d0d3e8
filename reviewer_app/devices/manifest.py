"""The JSON manifest of device results that the adb capture writes and other clouds can write too.

```
{"format": "reviewer-app-device-results/1", "package": "com.example.notes",
 "devices": [{"model": "Pixel 7", "brand": "Google", "os_version": "14", "api_level": 34, "locale": "zh_CN",
              "orientation": "portrait", "virtual": false, "installed": true, "launched": true,
              "outcome": "success", "crash": null, "logcat": "pixel7/logcat.txt",
              "screenshots": ["pixel7/01-launch.png", {"file": "pixel7/02.png", "step": "monkey"}],
              "messages": ["disconnected during the Monkey run"]}]}
```

Only `format` and `devices` (and each device's `model`) are required. A manifest that is not JSON, or holds a
wrong type or value anywhere, is refused whole with one line naming the place
(`manifest.json: devices[2].installed: expected true, false or null`): a half-understood manifest would file
half-true results. Keys the format does not know are ignored, so that a later writer can add some. Whether
the files it names exist is not this module's business (the folder reader warns per file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reviewer_app.devices.results import ResultsError
from reviewer_app.devices.run import MANIFEST_FORMAT, MANIFEST_NAME
from reviewer_app.domain import DEVICE_OUTCOMES

MAX_TEXT = 200  # model, brand, locale, paths: characters
MAX_MESSAGE = 500  # one message line: characters (longer ones are cut)
MAX_MESSAGES = 50
STEPS = ("", "launch", "monkey")
ORIENTATIONS = ("portrait", "landscape")


@dataclass(frozen=True)
class ManifestShot:
    file: str
    step: str | None  # None: the manifest does not say


@dataclass(frozen=True)
class ManifestDevice:
    model: str
    brand: str | None = None
    os_version: str | None = None
    api_level: int | None = None
    locale: str | None = None
    orientation: str | None = None
    virtual: bool | None = None
    installed: bool | None = None
    launched: bool | None = None
    outcome: str | None = None
    crash: str | None = None
    logcat: str | None = None
    screenshots: tuple[ManifestShot, ...] = ()
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    package: str | None
    devices: tuple[ManifestDevice, ...]


class _Refused(Exception):
    def __init__(self, place: str, reason: str) -> None:
        super().__init__(f"{place}: {reason}" if place else reason)


def parse_manifest(data: bytes, max_devices: int) -> Manifest:
    """The manifest in `data`, checked whole. Raises ResultsError with one line naming the place."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ResultsError(f"{MANIFEST_NAME}: not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise ResultsError(f"{MANIFEST_NAME}: not JSON ({exc})") from None
    except RecursionError:
        raise ResultsError(f"{MANIFEST_NAME}: not JSON (nested too deeply)") from None
    try:
        return _manifest(document, max_devices)
    except _Refused as exc:
        raise ResultsError(f"{MANIFEST_NAME}: {exc}") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _manifest(document: Any, max_devices: int) -> Manifest:
    if not isinstance(document, dict):
        raise _Refused("", f"expected an object at the top, found {_kind(document)}")
    if "format" not in document:
        raise _Refused("format", f'missing (expected "{MANIFEST_FORMAT}")')
    if document["format"] != MANIFEST_FORMAT:
        raise _Refused("format", f'{_show(document["format"])} is not "{MANIFEST_FORMAT}"')
    package = _text(document, "package", "", MAX_TEXT)
    devices = document.get("devices")
    if not isinstance(devices, list):
        raise _Refused("devices", "missing" if devices is None else f"expected a list, found {_kind(devices)}")
    if not devices:
        raise _Refused("devices", "empty: expected at least one device")
    if len(devices) > max_devices:
        raise _Refused("devices", f"{len(devices)} devices, more than the {max_devices} allowed")
    return Manifest(package, tuple(_device(entry, f"devices[{i}]") for i, entry in enumerate(devices)))


def _device(entry: Any, place: str) -> ManifestDevice:
    if not isinstance(entry, dict):
        raise _Refused(place, f"expected an object, found {_kind(entry)}")
    model = entry.get("model")
    if not isinstance(model, str) or not model.strip() or len(model) > MAX_TEXT:
        raise _Refused(f"{place}.model", f"expected a non-empty string of at most {MAX_TEXT} characters")
    return ManifestDevice(
        model=model.strip(),
        brand=_text(entry, "brand", place, MAX_TEXT),
        os_version=_version(entry.get("os_version"), f"{place}.os_version"),
        api_level=_api_level(entry.get("api_level"), f"{place}.api_level"),
        locale=_text(entry, "locale", place, MAX_TEXT),
        orientation=_choice(entry, "orientation", place, ORIENTATIONS),
        virtual=_flag(entry, "virtual", place),
        installed=_flag(entry, "installed", place),
        launched=_flag(entry, "launched", place),
        outcome=_choice(entry, "outcome", place, DEVICE_OUTCOMES),
        crash=_text(entry, "crash", place, None),
        logcat=_text(entry, "logcat", place, MAX_TEXT * 4),
        screenshots=_screenshots(entry.get("screenshots"), f"{place}.screenshots"),
        messages=_messages(entry.get("messages"), f"{place}.messages"),
    )


def _text(entry: dict[str, Any], key: str, place: str, limit: int | None) -> str | None:
    value = entry.get(key)
    where = f"{place}.{key}" if place else key
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Refused(where, f"expected a string or null, found {_kind(value)}")
    if limit is not None and len(value) > limit:
        raise _Refused(where, f"{len(value)} characters, more than the {limit} allowed")
    return value


def _version(value: Any, place: str) -> str | None:
    """Android's version as text: "14", "8.1", "12L"; a JSON number is taken as its text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Refused(place, f"expected a string, a number or null, found {_kind(value)}")
    text = format(value, "g") if isinstance(value, int | float) else value.strip()
    if not text or len(text) > 20:
        raise _Refused(place, 'expected a version such as "14" or "8.1"')
    return text


def _api_level(value: Any, place: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise _Refused(place, f"expected an API level (an integer from 1 to 1000), found {_show(value)}")
    return value


def _choice(entry: dict[str, Any], key: str, place: str, choices: tuple[str, ...]) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if value not in choices:
        words = ", ".join(f'"{c}"' for c in choices)
        raise _Refused(f"{place}.{key}", f"expected one of {words} or null, found {_show(value)}")
    return str(value)


def _flag(entry: dict[str, Any], key: str, place: str) -> bool | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, bool):
        raise _Refused(f"{place}.{key}", "expected true, false or null")
    return value


def _screenshots(value: Any, place: str) -> tuple[ManifestShot, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Refused(place, f"expected a list, found {_kind(value)}")
    shots = []
    for index, item in enumerate(value):
        where = f"{place}[{index}]"
        if isinstance(item, str):
            shots.append(ManifestShot(_path(item, where), None))
            continue
        if not isinstance(item, dict):
            raise _Refused(where, f'expected a path or {{"file": ..., "step": ...}}, found {_kind(item)}')
        file = item.get("file")
        if not isinstance(file, str):
            raise _Refused(f"{where}.file", "expected a path (a string)")
        step = item.get("step")
        if step is not None and step not in STEPS:
            raise _Refused(f"{where}.step", f'expected "launch", "monkey", "" or null, found {_show(step)}')
        shots.append(ManifestShot(_path(file, f"{where}.file"), step))
    return tuple(shots)


def _path(value: str, place: str) -> str:
    if not value or len(value) > MAX_TEXT * 4 or "\x00" in value:
        raise _Refused(place, f"expected a path of 1 to {MAX_TEXT * 4} characters")
    return value


def _messages(value: Any, place: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Refused(place, f"expected a list of strings, found {_kind(value)}")
    lines = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _Refused(f"{place}[{index}]", f"expected a string, found {_kind(item)}")
        line = " ".join(item.split())
        lines.append(line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…")
    return tuple(lines[:MAX_MESSAGES])


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _show(value: Any) -> str:
    """A value for an error line: JSON, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
