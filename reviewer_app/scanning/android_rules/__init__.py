"""The built-in Android risk rules: what an app does, read from its manifest, its DEX code and its files.

Every rule looks for behaviour and the evidence of it (a permission, a component, a method the code calls,
a string it loads, a file it carries), never for a hash or a package name: the malware that matters is the
one nobody has seen yet. Each hit names its rule (`RULES`: stable codes such as
`fee_deduction.sms_to_short_code`) and its evidence, so a reviewer can check every claim in the APK.

How hits become a verdict (`decide`):

* `info` hits (start on boot, native libraries, a device-admin receiver, an accessibility service, a root
  check) describe the app; alone, they never make it suspicious.
* `notable` hits are capabilities that ordinary apps have too (sending SMS, loading code, drawing over
  other apps). One category of them is what an ordinary app of that kind looks like (an SMS filter sends,
  receives and aborts SMS: souch.smsbypass does); two different categories, or one `strong` hit, make the
  app `suspicious`, and so does sending SMS while reading the SIM's operator or while intercepting and
  hiding SMS.
* `malicious` needs a combination that ordinary apps do not have: sending SMS with short or premium
  numbers in the sending code plus intercepting or hiding SMS, or every other mark of an SMS fee-deduction
  kit at once; writing into the system partition with root tools; or carrying an APK that is malicious by
  these rules.

Code the APK carries outside classes*.dex (a DEX or JAR in assets/) is read too, as the same app's code; an
APK inside the APK is judged on its own, with its own manifest.

The APK is hostile: the archive is read with SafeZip within ParseLimits, the DEX files with dexrefs'
caps, native code and payloads only up to fixed byte budgets; nothing from it is run. The runner bounds
the time and memory of the whole scan (this engine runs in a process of its own).

The package, by its seams (each module says why it exists):

- `catalogue`: the rules' codes, categories, severities and summaries; `RULES_VERSION`;
- `tables`: the permissions, APIs, strings and patterns the rules match, and `signatures_version()`;
- `limits`: the byte budgets, and the caps from the engine's options;
- `facts`, `reading`, `files`: the facts of one APK and how they are read (`gather`);
- `rules`: the rules, from facts to hits with evidence;
- `verdict`: from hits to a verdict (`decide`, `evaluate`);
- `engine`: the `AndroidRules` scan engine.

The caps and tables can be replaced on the package itself, as on the module it once was (tests do, to try a
smaller budget or a changed rule): setting one here sets it in every module that uses it.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from reviewer_app.scanning.android_rules import catalogue, engine, facts, files, limits, reading, rules, tables, verdict
from reviewer_app.scanning.android_rules.catalogue import _RULES, RULES, RULES_VERSION, Rule, Severity
from reviewer_app.scanning.android_rules.engine import AndroidRules
from reviewer_app.scanning.android_rules.facts import AppFacts, Component, EmbeddedApp, IntentFilter, Payload
from reviewer_app.scanning.android_rules.limits import (
    MAX_EVIDENCE,
    MAX_NATIVE_BYTES,
    MAX_NATIVE_TOTAL,
    MAX_NESTED_ZIP,
    MAX_PAYLOAD_CODE,
    MAX_PAYLOAD_ENTRIES,
    MAX_RES_XML,
    MAX_RES_XML_FILES,
    MiB,
)
from reviewer_app.scanning.android_rules.reading import NOT_AN_APK, UnreadableApk, gather
from reviewer_app.scanning.android_rules.rules import Hit, _quoted
from reviewer_app.scanning.android_rules.tables import (
    ASSET_READERS,
    BACKGROUND_BASES,
    BIND_ACCESSIBILITY_SERVICE,
    BIND_DEVICE_ADMIN,
    BOOT_ACTIONS,
    CLASS_LOADER_NAMES,
    CLASS_LOADERS,
    CODE_SUFFIXES,
    DPM,
    DPM_METHODS,
    ENCRYPTED_ENTROPY,
    EXEC_METHODS,
    HIGH_PRIORITY,
    NOT_SHORT_CODE,
    OPERATOR_CODE,
    OPERATOR_METHODS,
    OVERLAY_TYPES,
    PACKER_ASSETS,
    PACKER_CLASS_PREFIXES,
    PACKER_LIBRARIES,
    PACKER_LIBRARY_PREFIXES,
    PREMIUM_NUMBER,
    RECEIVE_SMS,
    SEND_SMS,
    SHORT_CODE,
    SMS_MANAGERS,
    SMS_READERS,
    SMS_RECEIVED,
    SMS_SEND_METHODS,
    SMS_STORE,
    SU_BYTES,
    SU_STRING,
    SYSTEM_ALERT_WINDOW,
    SYSTEM_WRITE,
    SYSTEM_WRITE_BYTES,
    UI_BASES,
    UNICODE_NAMES_SHARE,
    WINDOW_MANAGERS,
    signatures_version,
)
from reviewer_app.scanning.android_rules.verdict import Decision, decide, evaluate
from reviewer_app.scanning.dexrefs import DexLimits

__all__ = [
    "ASSET_READERS",
    "BACKGROUND_BASES",
    "BIND_ACCESSIBILITY_SERVICE",
    "BIND_DEVICE_ADMIN",
    "BOOT_ACTIONS",
    "CLASS_LOADERS",
    "CLASS_LOADER_NAMES",
    "CODE_SUFFIXES",
    "DPM",
    "DPM_METHODS",
    "ENCRYPTED_ENTROPY",
    "EXEC_METHODS",
    "HIGH_PRIORITY",
    "MAX_EVIDENCE",
    "MAX_NATIVE_BYTES",
    "MAX_NATIVE_TOTAL",
    "MAX_NESTED_ZIP",
    "MAX_PAYLOAD_CODE",
    "MAX_PAYLOAD_ENTRIES",
    "MAX_RES_XML",
    "MAX_RES_XML_FILES",
    "NOT_AN_APK",
    "NOT_SHORT_CODE",
    "OPERATOR_CODE",
    "OPERATOR_METHODS",
    "OVERLAY_TYPES",
    "PACKER_ASSETS",
    "PACKER_CLASS_PREFIXES",
    "PACKER_LIBRARIES",
    "PACKER_LIBRARY_PREFIXES",
    "PREMIUM_NUMBER",
    "RECEIVE_SMS",
    "RULES",
    "RULES_VERSION",
    "SEND_SMS",
    "SHORT_CODE",
    "SMS_MANAGERS",
    "SMS_READERS",
    "SMS_RECEIVED",
    "SMS_SEND_METHODS",
    "SMS_STORE",
    "SU_BYTES",
    "SU_STRING",
    "SYSTEM_ALERT_WINDOW",
    "SYSTEM_WRITE",
    "SYSTEM_WRITE_BYTES",
    "UI_BASES",
    "UNICODE_NAMES_SHARE",
    "WINDOW_MANAGERS",
    "_RULES",
    "AndroidRules",
    "AppFacts",
    "Component",
    "Decision",
    "DexLimits",
    "EmbeddedApp",
    "Hit",
    "IntentFilter",
    "MiB",
    "Payload",
    "Rule",
    "Severity",
    "UnreadableApk",
    "_quoted",
    "decide",
    "evaluate",
    "gather",
    "signatures_version",
]  # fmt: skip

_MODULES = (catalogue, tables, limits, facts, files, reading, rules, verdict, engine)


class _Package(ModuleType):
    """Setting a name on the package sets it in every module of it that has that name too."""

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        for module in _MODULES:
            if name in vars(module) and not isinstance(value, ModuleType):
                setattr(module, name, value)


sys.modules[__name__].__class__ = _Package
