"""Reading one APK into the facts the rules use (`gather`): read_apk's facts, the manifest's components
with their intent filters, the DEX references (dexrefs), the files it carries, and the code of its payloads
as the same app's code; an APK inside the APK is judged on its own, with its own manifest.

A file that is no readable APK raises `UnreadableApk` (unsupported when it is no Android package at all).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reviewer_app.apk import axml
from reviewer_app.apk.facts import ApkFacts
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.reader import read_apk
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.scanning.android_rules.facts import AppFacts, Component, EmbeddedApp, IntentFilter
from reviewer_app.scanning.android_rules.files import admin_policies, read_files
from reviewer_app.scanning.android_rules.limits import MAX_NESTED_ZIP, MAX_PAYLOAD_CODE, MiB
from reviewer_app.scanning.dexrefs import DexLimits, read_dex, read_zip
from reviewer_app.scanning.engine import Verdict

# android: attributes by resource id, as Android reads them (axml.Element.android knows only a few by id).
_ATTRIBUTE_IDS = {"name": 0x01010003, "permission": 0x01010006, "priority": 0x0101001C,
                  "targetActivity": 0x01010202}  # fmt: skip


def _attr(element: axml.Element, name: str) -> str | None:
    rid = _ATTRIBUTE_IDS[name]
    for attribute in element.attributes:
        if attribute.resource_id == rid:
            return attribute.value
    return element.android(name)


def _int(value: str | None) -> int:
    if not value:
        return 0
    try:
        number = int(value, 0) if value.lower().startswith(("0x", "-0x")) else int(value)
    except ValueError:
        return 0
    return number - (1 << 32) if number >= 1 << 31 else number


def _components(zf: SafeZip, package: str) -> list[Component]:
    """Components with their intent filters, from the binary manifest (read_apk keeps names only)."""
    document = axml.parse(zf.read("AndroidManifest.xml", max_size=16 * MiB))
    application = document.root.find("application") if document.root is not None else None
    if application is None:
        return []

    def full(name: str | None) -> str:
        if not name:
            return ""
        return package + name if name.startswith(".") else name if "." in name else f"{package}.{name}"

    found: list[Component] = []
    for element in application:
        if element.tag not in ("activity", "activity-alias", "service", "receiver", "provider"):
            continue
        component = Component(
            element.tag,
            full(_attr(element, "name")),
            _attr(element, "permission"),
            full(_attr(element, "targetActivity")) or None,
        )
        for node in element.iter("intent-filter"):
            component.filters.append(
                IntentFilter(
                    [a for a in (_attr(x, "name") for x in node.iter("action")) if a],
                    [c for c in (_attr(x, "name") for x in node.iter("category")) if c],
                    _int(_attr(node, "priority")),
                )
            )
        found.append(component)
    return found


class UnreadableApk(Exception):
    """The file is not an APK the rules can read; `unsupported`: not an APK at all (no zip, no manifest)."""

    def __init__(self, reason: str, unsupported: bool = False) -> None:
        super().__init__(reason)
        self.unsupported = unsupported


# read_apk's error codes for a file that is not an Android package at all (the rules cannot judge it)
NOT_AN_APK = {"not_zip", "empty_zip", "manifest_missing", "manifest_empty", "manifest_plain_text", "is_directory",
              "no_such_file"}  # fmt: skip


def gather(path: str | os.PathLike[str], limits: ParseLimits | None = None,
           dex_limits: DexLimits | None = None) -> AppFacts:  # fmt: skip
    """Everything the rules need from one APK. Raises UnreadableApk (or ZipFormatError, LimitExceeded) with a
    one-line reason when the file is not a readable APK."""
    limits = limits or ParseLimits()
    apk = read_apk(path, limits)
    if not apk.ok:
        code = (apk.error_code or {}).get("code")
        raise UnreadableApk(apk.error or "unreadable APK", unsupported=code in NOT_AN_APK)
    with Path(path).open("rb") as fh:
        data = fh.read(limits.max_file_size + 1)
    if len(data) > limits.max_file_size:
        raise LimitExceeded("file exceeds size limit")
    return _gather(apk, data, limits, dex_limits, nested=False)


def _gather(apk: ApkFacts, data: bytes, limits: ParseLimits, dex_limits: DexLimits | None, nested: bool) -> AppFacts:
    zf = SafeZip(data, limits)
    app = AppFacts(apk, entries=zf.namelist())
    app.components = _components(zf, apk.package or "")
    app.dex = read_zip(zf, dex_limits)
    app.notes.extend(app.dex.notes)
    read_files(zf, app)
    app.admin_policies = admin_policies(zf)
    budget = MAX_PAYLOAD_CODE
    for payload in app.payloads:
        code, payload.data = payload.data, None
        if code is None:
            continue
        budget -= len(code)
        if budget < 0:
            app.notes.append(f"{payload.path}: code not read (embedded code past {MAX_PAYLOAD_CODE} bytes)")
        elif payload.kind == "apk":
            if nested:
                app.notes.append(f"{payload.path}: an APK inside an embedded APK, not read")
            else:
                app.embedded_apps.append(_embedded_app(payload.path, code, limits, dex_limits))
        else:
            try:
                refs = read_dex(code, payload.path, dex_limits) if payload.kind == "dex" else read_zip(
                    SafeZip(code, ParseLimits(max_total_size=MAX_NESTED_ZIP)), dex_limits)  # fmt: skip
            except (ZipFormatError, LimitExceeded) as exc:
                app.notes.append(f"{payload.path}: code not read ({exc})")
                continue
            app.dex.merge(refs, f"{payload.path}!")
            app.payload_code.append(payload.path)
            app.notes.extend(f"{payload.path}!{note}" for note in refs.notes)
    return app


def _embedded_app(path: str, data: bytes, limits: ParseLimits, dex_limits: DexLimits | None) -> EmbeddedApp:
    """An APK carried inside the APK, judged on its own (read from a temporary file, never installed)."""
    with tempfile.TemporaryDirectory(prefix="reviewer-rules-") as tmp:
        file = Path(tmp) / "embedded.apk"
        file.write_bytes(data)
        apk = read_apk(file, limits, display_name=path)
    if not apk.ok:
        return EmbeddedApp(path, None, Verdict.ERROR, apk.error or "unreadable APK")
    try:
        nested = _gather(apk, data, limits, dex_limits, nested=True)
    except (ZipFormatError, LimitExceeded) as exc:
        return EmbeddedApp(path, apk.package, Verdict.ERROR, str(exc))
    except Exception as exc:  # crafted against a parser: the embedded APK's verdict only
        return EmbeddedApp(path, apk.package, Verdict.ERROR, f"unreadable ({type(exc).__name__})")
    from reviewer_app.scanning.android_rules.verdict import evaluate  # the rules read these facts: not at import

    decision, _hits = evaluate(nested)
    return EmbeddedApp(path, apk.package, decision.verdict, decision.reason)
