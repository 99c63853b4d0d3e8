"""APK file -> ApkFacts, from the manifest and resources only (no DEX analysis).

Every failure becomes an `ok: false` record with a one-line reason; nothing raises to the caller.
Hostile input is bounded by SafeZip (entries, decompressed bytes) and by the image pixel cap here;
time and memory are bounded by the worker process that runs this (see `pool.py`).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from pathlib import Path
from typing import Any

from loguru import logger

from reviewer_app.apk import axml
from reviewer_app.apk.axml import Element, LenientStringBlock, MalformedString
from reviewer_app.apk.facts import ApkFacts, PermissionRequest
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.apk.warnings import ApkWarning, code_of, warning_codes

logger.disable("androguard")

from androguard.core.axml import (  # noqa: E402  (after silencing its logger)
    ARSCParser,
    ARSCResTableConfig,
)

MANIFEST = "AndroidManifest.xml"
MAX_MANIFEST_SIZE = 16 * 1024 * 1024
BITMAP_SUFFIXES = (".png", ".webp", ".jpg", ".jpeg", ".gif", ".bmp")
PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
ANYDPI, NODPI = 0xFFFE, 0xFFFF

WRITE_EXTERNAL_STORAGE = "android.permission.WRITE_EXTERNAL_STORAGE"
READ_EXTERNAL_STORAGE = "android.permission.READ_EXTERNAL_STORAGE"
READ_PHONE_STATE = "android.permission.READ_PHONE_STATE"
READ_CONTACTS = "android.permission.READ_CONTACTS"
WRITE_CONTACTS = "android.permission.WRITE_CONTACTS"
READ_CALL_LOG = "android.permission.READ_CALL_LOG"
WRITE_CALL_LOG = "android.permission.WRITE_CALL_LOG"


class ApkError(Exception):
    """The file is not a usable APK; the message is the one-line reason."""


def read_apk(
    path: str | os.PathLike[str],
    limits: ParseLimits | None = None,
    display_name: str | None = None,
    *,
    classes: bool = False,
) -> ApkFacts:
    """`classes`: also list the classes of its DEX files (`facts.classes`), which takes longer."""
    limits = limits or ParseLimits()
    facts = ApkFacts(file=display_name if display_name is not None else str(path))
    started = time.perf_counter()
    try:
        data = _read_file(Path(path), limits)
        facts.size = len(data)
        facts.sha256 = hashlib.sha256(data).hexdigest()
        facts.sha1 = hashlib.sha1(data).hexdigest()
        facts.md5 = hashlib.md5(data).hexdigest()
        _ApkReader(data, facts, limits).run(classes=classes)
        facts.ok = True
    except (ApkError, ZipFormatError, LimitExceeded) as exc:
        facts.error = _one_line(str(exc))
        facts.error_code = code_of(exc)
    except MemoryError:
        reason = ApkWarning("parse_memory")
        facts.error, facts.error_code = str(reason), code_of(reason)
    except RecursionError:
        facts.error = "manifest nesting too deep"
    except Exception as exc:  # a parser bug or a file crafted against it: one record, not a crash
        facts.error = _one_line(f"unreadable APK ({type(exc).__name__}: {exc})")
    facts.parse_seconds = time.perf_counter() - started
    facts.warning_codes = warning_codes(facts.warnings)
    facts.warnings = [str(text) for text in facts.warnings]  # plain strings from here on (JSON, pickling)
    if not facts.ok:
        facts.icon_png = None
    return facts


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text[:300] if text else "unreadable APK"


def _read_file(path: Path, limits: ParseLimits) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ApkError(ApkWarning("is_directory"))
        if size > limits.max_file_size:
            raise ApkError(ApkWarning("file_too_large", size=size, limit=limits.max_file_size))
        with path.open("rb") as fh:
            data = fh.read(size + 1)  # what stat() promised; a file still growing is read only that far
        if len(data) > limits.max_file_size:
            raise ApkError(ApkWarning("file_too_large", size=len(data), limit=limits.max_file_size))
        return data
    except FileNotFoundError:
        raise ApkError(ApkWarning("no_such_file")) from None
    except PermissionError:
        raise ApkError(ApkWarning("permission_denied")) from None
    except IsADirectoryError:
        raise ApkError(ApkWarning("is_directory")) from None
    except OSError as exc:
        raise ApkError(f"cannot read file ({exc.strerror or exc})") from None


def _int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value, 0) if value.lower().startswith("0x") else int(value)
    except ValueError:
        return None


class _ApkReader:
    def __init__(self, data: bytes, facts: ApkFacts, limits: ParseLimits) -> None:
        self.data = data
        self.facts = facts
        self.limits = limits
        self.zf = SafeZip(data, limits)
        self._arsc: ARSCParser | None = None
        self._arsc_loaded = False
        self._string_pools: list[tuple[str, LenientStringBlock]] = []  # (file, pool) read leniently
        self.warnings: list[str] = []
        self.target_sandbox_version: int | None = None

    def run(self, classes: bool = False) -> None:
        zf, facts = self.zf, self.facts
        manifest = self._manifest()
        self._identity(manifest)
        self._sdk(manifest)
        self._permissions(manifest)
        self._components(manifest)
        self._application_flags(manifest)
        facts.label = self._label(manifest)
        self._icon(manifest)
        facts.native_abis = sorted(
            {n.split("/")[1] for n in zf.namelist() if n.startswith("lib/") and n.count("/") >= 2 and n.endswith(".so")}
        )
        self._signatures()
        if classes:
            self._classes()
        self._malformed_strings()
        facts.warnings = _dedupe(zf.warnings + self.warnings + facts.warnings)

    # -- manifest --------------------------------------------------------------------------------

    def _manifest(self) -> Element:
        if MANIFEST not in self.zf:
            raise ApkError(ApkWarning("manifest_missing"))
        raw = self.zf.read(MANIFEST, max_size=MAX_MANIFEST_SIZE)
        if not raw:
            raise ApkError(ApkWarning("manifest_empty"))
        if raw.lstrip()[:1] == b"<":
            raise ApkError(ApkWarning("manifest_plain_text"))
        document = axml.parse(raw)
        if document.strings is not None:
            self._string_pools.append((MANIFEST, document.strings))
        if not document.valid:
            raise ApkError(ApkWarning("manifest_invalid"))
        root = document.root
        if root is None or root.tag != "manifest":
            raise ApkError(ApkWarning("manifest_no_root"))
        if document.packed:
            self.warnings.append(ApkWarning("manifest_packed"))
        for namespace in document.foreign_namespaces:
            if namespace:  # none at all is what obfuscators write (see manifest_packed)
                self.warnings.append(ApkWarning("manifest_namespace", namespace=_quoted(namespace)))
        return root

    def _attr(self, element: Element | None, name: str) -> str | None:
        """android:`name` by its resource id, as Android reads it (axml.Element.android)."""
        return element.android(name) if element is not None else None

    def _identity(self, manifest) -> None:
        facts = self.facts
        package = manifest.get("package")
        if not package:
            raise ApkError(ApkWarning("manifest_no_package"))
        if not PACKAGE_RE.match(package):
            self.warnings.append(ApkWarning("package_name_invalid", package=repr(package)))
        facts.package = package
        code = self._resolve_int(self._attr(manifest, "versionCode"))
        major = self._resolve_int(self._attr(manifest, "versionCodeMajor"))
        if code is None:
            self.warnings.append(ApkWarning("no_version_code"))
            code = 0
        facts.version_code = ((major or 0) << 32) | (code & 0xFFFFFFFF)
        name = self._attr(manifest, "versionName")
        facts.version_name = self._resolve_string(name, "android:versionName") if name is not None else None
        self.target_sandbox_version = self._resolve_int(self._attr(manifest, "targetSandboxVersion"))

    def _sdk(self, manifest) -> None:
        facts = self.facts
        uses_sdk = manifest.find("uses-sdk")
        min_raw = self._attr(uses_sdk, "minSdkVersion") if uses_sdk is not None else None
        target_raw = self._attr(uses_sdk, "targetSdkVersion") if uses_sdk is not None else None
        max_raw = self._attr(uses_sdk, "maxSdkVersion") if uses_sdk is not None else None
        facts.min_sdk = self._sdk_level(min_raw, "minSdkVersion", default=1)
        facts.target_sdk = self._sdk_level(target_raw, "targetSdkVersion", default=facts.min_sdk)
        facts.max_sdk = self._sdk_level(max_raw, "maxSdkVersion", default=None)

    def _sdk_level(self, raw: str | None, what: str, default: int | None) -> int | None:
        if raw is None:
            return default
        value = self._resolve_int(raw)
        if value is None:
            self.warnings.append(ApkWarning("sdk_codename", attribute=what, codename=repr(raw)))
        return value

    def _permissions(self, manifest) -> None:
        facts = self.facts
        requests: list[PermissionRequest] = []
        for tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"):
            for element in manifest.iter(tag):
                if element.getparent() is not manifest:
                    continue  # Android only reads them as direct children of <manifest>
                name = self._attr(element, "name")
                if not name:
                    continue
                source = "uses-permission" if tag == "uses-permission" else "uses-permission-sdk-23"
                requests.append(
                    PermissionRequest(name, self._resolve_int(self._attr(element, "maxSdkVersion")), source)
                )
        requested = {r.name for r in requests}
        facts.permission_requests = requests
        facts.permissions = sorted(requested)
        facts.implied_permissions = self._implied(requests)

    def _implied(self, requests: list[PermissionRequest]) -> list[str]:
        """Permissions Android grants on top of the requested ones, with aapt's rules."""
        requested = {r.name for r in requests}
        target = self.facts.target_sdk or 1
        implied: list[str] = []
        write_external = WRITE_EXTERNAL_STORAGE in requested
        if target < 4:
            if not write_external:
                implied.append(WRITE_EXTERNAL_STORAGE)
                write_external = True
            if READ_PHONE_STATE not in requested:
                implied.append(READ_PHONE_STATE)
        if write_external and READ_EXTERNAL_STORAGE not in requested:
            implied.append(READ_EXTERNAL_STORAGE)
        if target < 16:
            if READ_CONTACTS in requested and READ_CALL_LOG not in requested:
                implied.append(READ_CALL_LOG)
            if WRITE_CONTACTS in requested and WRITE_CALL_LOG not in requested:
                implied.append(WRITE_CALL_LOG)
        return sorted(implied)

    def _components(self, manifest) -> None:
        facts = self.facts
        application = manifest.find("application")
        if application is None:
            return
        kinds = {
            "activity": facts.activities,
            "activity-alias": facts.activities,
            "service": facts.services,
            "receiver": facts.receivers,
            "provider": facts.providers,
        }
        for element in application:
            target = kinds.get(element.tag)
            if target is None:
                continue
            name = self._class_name(self._attr(element, "name"))
            if not name:
                continue
            target.append(name)
            if (
                facts.main_activity is None
                and element.tag.startswith("activity")
                and self._is_launcher(element)
                and self._attr(element, "enabled") != "false"
            ):
                facts.main_activity = name
        for bucket in (facts.activities, facts.services, facts.receivers, facts.providers):
            bucket[:] = sorted(set(bucket))

    def _class_name(self, name: str | None) -> str | None:
        if not name:
            return None
        package = self.facts.package or ""
        if name.startswith("."):
            return package + name
        if "." not in name:
            return f"{package}.{name}"
        return name

    def _is_launcher(self, element) -> bool:
        for intent_filter in element.iter("intent-filter"):
            actions = {self._attr(a, "name") for a in intent_filter.iter("action")}
            categories = {self._attr(c, "name") for c in intent_filter.iter("category")}
            if "android.intent.action.MAIN" in actions and "android.intent.category.LAUNCHER" in categories:
                return True
        return False

    def _application_flags(self, manifest) -> None:
        application = manifest.find("application")
        if application is None:
            return
        if self._resolve_bool(self._attr(application, "debuggable")):
            self.warnings.append(ApkWarning("debuggable"))
        if self._resolve_bool(self._attr(application, "testOnly")):
            self.warnings.append(ApkWarning("test_only"))

    # -- resources -------------------------------------------------------------------------------

    @property
    def arsc(self) -> ARSCParser | None:
        if not self._arsc_loaded:
            self._arsc_loaded = True
            if "resources.arsc" in self.zf:
                try:
                    self._arsc = ARSCParser(self.zf.read("resources.arsc"))
                except (LimitExceeded, MemoryError):
                    raise
                except Exception as exc:
                    self.warnings.append(_one_line(f"resources.arsc could not be read ({type(exc).__name__})"))
                else:
                    self._string_pools.extend(("resources.arsc", pool) for pool in axml.lenient_arsc(self._arsc))
        return self._arsc

    def _resource_values(self, ref: str, default_only: bool = True) -> list[tuple[Any, str]]:
        """Values of '@7f050000' for the default configuration, else for every configuration."""
        if not ref.startswith("@") or self.arsc is None:
            return []
        try:
            res_id = int(ref[1:].split(":")[-1], 16)
        except ValueError:
            return []
        try:
            values = []
            if default_only:
                values = self.arsc.get_resolved_res_configs(res_id, ARSCResTableConfig.default_config())
            return values or self.arsc.get_resolved_res_configs(res_id)
        except Exception:
            return []

    def _resolve_string(self, value: str, attribute: str | None = None) -> str:
        """A literal, or the default value of a string resource. A malformed string resource is named in a
        warning (with `attribute`, the manifest attribute it is the value of) and given as far as it could be
        read; when nothing could, the reference is returned, as for one that does not resolve."""
        if value.startswith("@"):
            values = self._resource_values(value)
            if values:
                resolved = values[0][1]
                if isinstance(resolved, MalformedString):
                    self.warnings.append(
                        ApkWarning(
                            "string_malformed",
                            attribute=attribute or "string",
                            reference=value,
                            reason=resolved.reason,
                        )
                    )
                    if not resolved:
                        return value  # nothing could be read: as unresolved (a label is then null)
                return str(resolved)
            self.warnings.append(ApkWarning("string_unresolved", reference=value))
        return value

    def _resolve_int(self, value: str | None) -> int | None:
        if value is None:
            return None
        if value.startswith("@"):
            values = self._resource_values(value)
            value = str(values[0][1]) if values else None
        return _int_or_none(value)

    def _resolve_bool(self, value: str | None) -> bool:
        if value is not None and value.startswith("@"):
            values = self._resource_values(value)
            value = str(values[0][1]) if values else None
        return value is not None and value.lower() in ("true", "1", "-1")

    def _label(self, manifest: Element) -> str | None:
        application = manifest.find("application")
        label = self._attr(application, "label")
        if label is None and self.facts.main_activity:
            label = self._launcher_attr(manifest, "label")
        if label is None:
            return None
        resolved = self._resolve_string(label, "android:label")
        return None if resolved.startswith("@") else resolved

    def _launcher_attr(self, manifest, name: str) -> str | None:
        application = manifest.find("application")
        if application is None:
            return None
        for element in application:
            if (
                element.tag.startswith("activity")
                and self._class_name(self._attr(element, "name")) == self.facts.main_activity
            ):
                return self._attr(element, name)
        return None

    def _icon(self, manifest: Element) -> None:
        application = manifest.find("application")
        ref = self._attr(application, "icon")
        if ref is None:
            ref = self._launcher_attr(manifest, "icon")
        if ref is None or not ref.startswith("@"):
            return
        if not self._resource_values(ref, default_only=False):
            self.warnings.append(ApkWarning("icon_unresolved", reference=ref))
            return
        path = self._best_bitmap(ref, depth=0)
        if path is None:
            self.warnings.append(ApkWarning("icon_no_bitmap"))
            return
        try:
            raw = self.zf.read(path, max_size=32 * 1024 * 1024)
        except KeyError:
            self.warnings.append(ApkWarning("icon_missing", path=path))
            return
        png = self._to_png(raw, path)
        if png is None:
            return
        facts = self.facts
        facts.icon_path = path
        facts.icon_sha256 = hashlib.sha256(raw).hexdigest()
        facts.icon_png = png

    def _best_bitmap(self, ref: str, depth: int) -> str | None:
        """Highest-density bitmap of a drawable; an adaptive icon falls back to its foreground layer."""
        candidates = self._resource_values(ref, default_only=False)
        best: tuple[int, str] | None = None
        xml_files: list[str] = []
        for config, value in candidates:
            path = str(value)
            if path.lower().endswith(BITMAP_SUFFIXES) and path in self.zf:
                try:
                    density = config.get_density()
                except Exception:
                    density = 0
                rank = -1 if density == NODPI else (density if density != ANYDPI else 0)
                if best is None or rank > best[0]:
                    best = (rank, path)
            elif path.lower().endswith(".xml") and path in self.zf:
                xml_files.append(path)
        if best is not None:
            return best[1]
        if depth >= 2:
            return None
        for xml_path in xml_files:
            try:
                root = axml.parse(self.zf.read(xml_path, max_size=1024 * 1024)).root
            except (LimitExceeded, MemoryError):
                raise
            except Exception:
                continue
            if root is None:
                continue
            for layer in ("foreground", "background"):
                element = root.find(layer)
                drawable = self._attr(element, "drawable") if element is not None else None
                if drawable and drawable.startswith("@"):
                    found = self._best_bitmap(drawable, depth + 1)
                    if found:
                        return found
        return None

    def _to_png(self, raw: bytes, path: str) -> bytes | None:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(raw)) as image:
                width, height = image.size
                if width * height > self.limits.max_image_pixels:
                    self.warnings.append(ApkWarning("icon_too_large", path=path, width=width, height=height))
                    return None
                image.load()
                if image.format == "PNG":
                    return raw
                out = io.BytesIO()
                image.save(out, format="PNG")
                return out.getvalue()
        except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
            self.warnings.append(_one_line(f"launcher icon {path} is not a readable image ({exc})"))
            return None

    def _malformed_strings(self) -> None:
        """One warning per file whose string pools had malformed strings among those read."""
        found: dict[str, list[dict[int, str]]] = {}
        for file, pool in self._string_pools:
            if pool.problems:
                found.setdefault(file, []).append(pool.problems)
        for file, pools in found.items():
            first = min(pools[0])
            count = sum(len(problems) for problems in pools)
            self.warnings.append(
                ApkWarning("strings_malformed", file=file, count=count, index=first, reason=pools[0][first])
            )

    # -- signatures ------------------------------------------------------------------------------

    def _signatures(self) -> None:
        from reviewer_app.apk.signing import verify_signatures

        facts = self.facts
        # Like `apksigner verify`: every platform version from min SDK up (Android ignores maxSdkVersion).
        report = verify_signatures(
            self.zf,
            facts.min_sdk or 1,
            None,
            target_sdk=facts.target_sdk,
            target_sandbox_version=self.target_sandbox_version,
        )
        facts.signers = list(report.signers)
        facts.signature_schemes = {
            name: ("verified" if result.verified else "failed" if result.present else "absent")
            for name, result in report.schemes.items()
        }
        self.warnings.extend(report.warnings)
        if not report.verifies and report.signers:
            self.warnings.append(ApkWarning("signature_partial"))
        lineage = [
            der
            for name in ("v3", "v3.1")
            if name in report.schemes and report.schemes[name].verified
            for der in report.schemes[name].lineage
        ]
        facts.signing_lineage = list(dict.fromkeys(hashlib.sha256(der).hexdigest() for der in lineage))

    def _classes(self) -> None:
        from reviewer_app.apk.dex import class_names

        try:
            self.facts.classes = class_names(self.zf, self.limits)
        except (ValueError, LimitExceeded) as exc:  # the facts stand; only the code cannot be compared
            self.warnings.append(_one_line(f"classes not read: {exc}"))


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _quoted(text: str, limit: int = 100) -> str:
    """An untrusted string for a warning: quoted, escaped, and cut to `limit` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
