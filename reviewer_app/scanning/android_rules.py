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
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import struct
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from reviewer_app.apk import axml
from reviewer_app.apk.dex import DEX_NAME
from reviewer_app.apk.facts import ApkFacts
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.reader import read_apk
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.scanning.dexrefs import DexLimits, DexRefs, read_dex, read_zip
from reviewer_app.scanning.engine import Engine, EngineResult, Evidence, Verdict

# Bump when a rule, a table below or the verdict logic changes: stored verdicts say which rules made them.
RULES_VERSION = 1

MiB = 1024 * 1024


class Severity(StrEnum):
    INFO = "info"
    NOTABLE = "notable"
    STRONG = "strong"


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    severity: Severity
    summary: str  # what a hit means, for the reviewer


_RULES = (
    Rule("fee_deduction.sends_sms", "fee_deduction", Severity.NOTABLE,
         "holds SEND_SMS and its code calls SmsManager to send text, multipart or data SMS"),
    Rule("fee_deduction.sms_to_short_code", "fee_deduction", Severity.STRONG,
         "the code that sends SMS loads 4-6 digit numbers: short codes, which premium services use"),
    Rule("fee_deduction.premium_number", "fee_deduction", Severity.STRONG,
         "an app that sends SMS carries premium-rate service numbers (China's 106... SP numbers)"),
    Rule("fee_deduction.operator_lookup", "fee_deduction", Severity.NOTABLE,
         "an app that sends SMS reads the SIM's operator (IMSI, MCC-MNC): fee-deduction kits pick the "
         "premium number per operator"),
    Rule("fee_deduction.sms_receiver_priority", "fee_deduction", Severity.NOTABLE,
         "a receiver of incoming SMS with a high priority, ahead of the messaging app"),
    Rule("fee_deduction.aborts_sms", "fee_deduction", Severity.NOTABLE,
         "code that reads incoming SMS calls abortBroadcast: the user never sees those messages"),
    Rule("fee_deduction.deletes_sms", "fee_deduction", Severity.NOTABLE,
         "code deletes messages from the SMS store (content://sms)"),
    Rule("fee_deduction.background_send", "fee_deduction", Severity.NOTABLE,
         "SMS are sent from a service, receiver or thread, not from a screen the user sees"),
    Rule("dynamic_code.class_loader", "dynamic_code", Severity.NOTABLE,
         "the code loads DEX code at run time (DexClassLoader, InMemoryDexClassLoader; called, or named for "
         "reflection)"),
    Rule("dynamic_code.embedded_payload", "dynamic_code", Severity.NOTABLE,
         "the APK carries code outside classes*.dex: a DEX, JAR or APK in assets/ or res/raw (whose code these "
         "rules read too), or an encrypted file named as code"),
    Rule("dynamic_code.disguised_payload", "dynamic_code", Severity.STRONG,
         "an APK or DEX file hidden under a name that does not say it is code"),
    Rule("dynamic_code.encrypted_payload", "dynamic_code", Severity.STRONG,
         "an encrypted file named as code, which the app's code names: code decrypted and loaded at run time, "
         "out of a reviewer's sight"),
    Rule("dynamic_code.loads_from_assets", "dynamic_code", Severity.NOTABLE,
         "the code that loads classes at run time also opens the APK's assets or names a code file it carries"),
    Rule("dynamic_code.embedded_app", "dynamic_code", Severity.STRONG,
         "carries an APK that these rules, applied to it with its own manifest, find suspicious or malicious"),
    Rule("root.su_check", "root", Severity.INFO,
         "the code looks for su binaries or Superuser apps (root detection, common in SDKs)"),
    Rule("root.su", "root", Severity.NOTABLE,
         "code that starts processes (Runtime.exec, ProcessBuilder) loads su, su paths or busybox: it runs them"),
    Rule("root.system_write", "root", Severity.STRONG,
         "commands that remount /system writable, make setuid binaries or write into /system (in DEX or native "
         "code)"),
    Rule("device_admin.receiver", "device_admin", Severity.INFO,
         "a device administrator receiver (BIND_DEVICE_ADMIN), with the policies it asks for"),
    Rule("device_admin.lock_or_wipe", "device_admin", Severity.NOTABLE,
         "a device administrator whose code locks the device, resets its password or wipes it"),
    Rule("accessibility.service", "accessibility", Severity.INFO, "an accessibility service"),
    Rule("accessibility.with_other_risk", "accessibility", Severity.NOTABLE,
         "an accessibility service (it reads and drives other apps' screens) in an app with other risks"),
    Rule("overlay.system_window", "overlay", Severity.NOTABLE,
         "holds SYSTEM_ALERT_WINDOW and its code adds windows over other apps"),
    Rule("hide_icon.disable_launcher", "hide_icon", Severity.NOTABLE,
         "the code disables its own launcher activity with setComponentEnabledSetting: the icon disappears"),
    Rule("boot.receiver", "boot", Severity.INFO, "starts when the device boots"),
    Rule("boot.hidden_autostart", "boot", Severity.NOTABLE,
         "starts when the device boots and hides its launcher icon: it runs without the user seeing it"),
    Rule("native.libraries", "native", Severity.INFO, "native libraries (lib/<abi>/*.so)"),
    Rule("native.executable_outside_lib", "native", Severity.NOTABLE,
         "ELF programs outside lib/ (assets/, res/raw): copied out and run by the app, not installed by Android"),
    Rule("packer.known_protector", "packer", Severity.NOTABLE,
         "the stub or library of a known app protector (packer): the real code is encrypted and unpacked at run "
         "time, out of the rules' sight"),
    Rule("packer.unicode_names", "packer", Severity.NOTABLE,
         "most classes have names in unusual Unicode characters (commercial obfuscators)"),
)  # fmt: skip
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}

# ------------------------------------------------------------------------------------------------ tables

SEND_SMS = "android.permission.SEND_SMS"
RECEIVE_SMS = "android.permission.RECEIVE_SMS"
SYSTEM_ALERT_WINDOW = "android.permission.SYSTEM_ALERT_WINDOW"
BIND_DEVICE_ADMIN = "android.permission.BIND_DEVICE_ADMIN"
BIND_ACCESSIBILITY_SERVICE = "android.permission.BIND_ACCESSIBILITY_SERVICE"
SMS_RECEIVED = "android.provider.Telephony.SMS_RECEIVED"
BOOT_ACTIONS = ("android.intent.action.BOOT_COMPLETED", "android.intent.action.LOCKED_BOOT_COMPLETED",
                "android.intent.action.QUICKBOOT_POWERON")  # fmt: skip
SMS_MANAGERS = ("android.telephony.SmsManager", "android.telephony.gsm.SmsManager")
SMS_SEND_METHODS = ("sendTextMessage", "sendMultipartTextMessage", "sendDataMessage")
SMS_READERS = (("android.telephony.SmsMessage", "createFromPdu"), ("android.telephony.gsm.SmsMessage", "createFromPdu"),
               ("android.provider.Telephony$Sms$Intents", "getMessagesFromIntent"))  # fmt: skip
OPERATOR_METHODS = ("getSubscriberId", "getSimOperator", "getNetworkOperator")
# MCC-MNC of the operators that SMS fee-deduction kits choose numbers for (China, Russia)
OPERATOR_CODE = re.compile(r"^(?:460(?:0[0-9]|1[01])|250(?:01|02|20|99))$")
SHORT_CODE = re.compile(r"^\d{4,6}$")
# 0000, 1111..., 1234, 12345, 123456, and round numbers (1000, 20000: limits and timeouts, as text)
NOT_SHORT_CODE = re.compile(r"^(\d)\1+$|^0?12345?6?$|^\d{1,3}000$")
PREMIUM_NUMBER = re.compile(r"^(?:\+?86)?106\d{5,17}$")  # China's SP service numbers: 1065..., 1066..., 10620...
SMS_STORE = re.compile(r"^content://(?:sms|mms-sms)(?:/|$)")
BACKGROUND_BASES = (
    "android.app.Service", "android.app.IntentService", "android.content.BroadcastReceiver",
    "android.app.admin.DeviceAdminReceiver", "java.lang.Thread", "java.util.TimerTask",
    "android.database.ContentObserver", "android.app.job.JobService",
    "android.accessibilityservice.AccessibilityService",
)  # fmt: skip
UI_BASES = ("android.app.Activity", "android.app.Fragment", "android.app.Dialog", "android.view.View",
            "android.support.v4.app.Fragment", "androidx.fragment.app.Fragment")  # fmt: skip
# (DexFile.loadDex is not among them: the MultiDex support library loads an app's own classesN.dex with it.)
CLASS_LOADERS = (("dalvik.system.DexClassLoader", "<init>"), ("dalvik.system.InMemoryDexClassLoader", "<init>"))
CLASS_LOADER_NAMES = ("dalvik.system.DexClassLoader", "dalvik.system.InMemoryDexClassLoader")
ASSET_READERS = (("android.content.res.AssetManager", "open"), ("android.content.res.AssetManager", "openFd"),
                 ("android.content.res.Resources", "openRawResource"))  # fmt: skip
EXEC_METHODS = (("java.lang.Runtime", "exec"), ("java.lang.ProcessBuilder", "<init>"),
                ("java.lang.ProcessBuilder", "command"))  # fmt: skip
SU_STRING = re.compile(
    r"(?:^|[\s/'\"])(?:s?bin|xbin)/su(?:$|[\s;'\"])|^su(?:\s+-c\b.*)?$|superuser\.apk|\bdaemonsu\b|kinguser\.apk"
    r"|\bbusybox\b",
    re.IGNORECASE,
)
SYSTEM_WRITE = re.compile(
    r"mount\s+-o\s+\S*remount|remount\s*,?\s*rw|chmod\s+[0-7]?[4-7][0-7]{3}\s+/system"
    r"|chmod\s+\d+\s+/system/(?:x?bin|app)/|install-recovery\.sh"
    r"|(?:\bcat|\bcp|\bdd|ln\s+-s)\s+\S+\s*>?\s*/system/(?:x?bin|app)/",
)
SYSTEM_WRITE_BYTES = re.compile(SYSTEM_WRITE.pattern.encode())
SU_BYTES = re.compile(rb"/system/(?:s?bin|xbin)/su\b|\bdaemonsu\b|[Ss]uperuser\.apk|\bbusybox\b")
DPM = "android.app.admin.DevicePolicyManager"
DPM_METHODS = ("lockNow", "resetPassword", "resetPasswordWithToken", "wipeData", "wipeDevice")
WINDOW_MANAGERS = ("android.view.WindowManager", "android.view.ViewManager")
# WindowManager.LayoutParams types that draw over other apps
OVERLAY_TYPES = {2002: "TYPE_PHONE", 2003: "TYPE_SYSTEM_ALERT", 2006: "TYPE_SYSTEM_OVERLAY",
                 2007: "TYPE_PRIORITY_PHONE", 2010: "TYPE_SYSTEM_ERROR", 2038: "TYPE_APPLICATION_OVERLAY"}  # fmt: skip
# App protectors ("packers") by the files and classes they leave in an APK.
PACKER_LIBRARIES = {
    "libsecexe.so": "Bangcle", "libsecmain.so": "Bangcle", "libsecshell.so": "Bangcle", "libdexhelper.so": "SecNeo",
    "libexec.so": "Ijiami", "libexecmain.so": "Ijiami", "libjiagu.so": "360 Jiagu", "libjiagu_art.so": "360 Jiagu",
    "libprotectclass.so": "360 Jiagu", "libshella.so": "Tencent Legu", "libshellx.so": "Tencent Legu",
    "libtup.so": "Tencent Legu", "libbaiduprotect.so": "Baidu", "libmobisec.so": "Alibaba",
    "libapkprotect.so": "APKProtect", "libnqshield.so": "NQ Shield", "libddog.so": "Nagapt", "libfdog.so": "Nagapt",
    "libchaosvmp.so": "Nagapt", "libnesec.so": "NetEase Yidun", "libdexprotector.so": "DexProtector",
}  # fmt: skip
PACKER_LIBRARY_PREFIXES = {"libshella-": "Tencent Legu", "libshellx-": "Tencent Legu", "libjiagu_": "360 Jiagu",
                           "libmobisecy": "Alibaba"}  # fmt: skip
PACKER_ASSETS = {"bangcle_classes.jar": "Bangcle", "ijiami.dat": "Ijiami", "ijiami.ajm": "Ijiami",
                 "secdata0.jar": "Bangcle", "libjiagu.so": "360 Jiagu", "jiagu_data.bin": "360 Jiagu"}  # fmt: skip
PACKER_CLASS_PREFIXES = {
    "com.secneo.apkwrapper.": "SecNeo", "com.bangcle.": "Bangcle", "com.qihoo.util.StubApp": "360 Jiagu",
    "com.stub.StubApp": "360 Jiagu", "com.tencent.StubShell.": "Tencent Legu", "com.baidu.protect.": "Baidu",
    "com.ali.mobisecenhance.": "Alibaba", "com.shell.SuperApplication": "Ijiami", "s.h.e.l.l.": "Ijiami",
    "com.payegis.": "Payegis", "com.nqshield.": "NQ Shield",
}  # fmt: skip
CODE_SUFFIXES = (".dex", ".jar", ".apk", ".odex", ".zip")
HIGH_PRIORITY = 100  # an SMS receiver's priority from which it counts as jumping the queue (apps get up to 999)
ENCRYPTED_ENTROPY = 7.5  # bits per byte of the first 64 KiB, from which a file named as code counts as encrypted
UNICODE_NAMES_SHARE = 0.5  # share of class names in non-ASCII characters that marks Unicode obfuscation

# Byte budgets for what is read beyond the manifest and the DEX files.
MAX_PAYLOAD_ENTRIES = 2000  # entries of assets/ and res/raw whose first bytes are looked at
MAX_NESTED_ZIP = 64 * MiB  # an embedded zip read to list its entries
MAX_PAYLOAD_CODE = 64 * MiB  # embedded DEX, JAR and APK files whose code is read, in all
MAX_NATIVE_BYTES = 16 * MiB  # of each ELF file searched for root commands
MAX_NATIVE_TOTAL = 128 * MiB
MAX_RES_XML = 64 * 1024  # a res/*.xml looked at for device-admin policies
MAX_RES_XML_FILES = 5000
MAX_EVIDENCE = 12  # items of evidence shown per rule


def signatures_version() -> str:
    """A hash of the rule definitions and the tables they use: it changes whenever a rule does."""
    tables = {
        "rules": [[r.code, r.category, str(r.severity), r.summary] for r in _RULES],
        "patterns": [p.pattern for p in (OPERATOR_CODE, SHORT_CODE, NOT_SHORT_CODE, PREMIUM_NUMBER, SMS_STORE,
                                         SU_STRING, SYSTEM_WRITE)] + [SU_BYTES.pattern.decode()],
        "names": [SMS_RECEIVED, BOOT_ACTIONS, SMS_MANAGERS, SMS_SEND_METHODS, SMS_READERS, OPERATOR_METHODS,
                  BACKGROUND_BASES, UI_BASES, CLASS_LOADERS, CLASS_LOADER_NAMES, ASSET_READERS, EXEC_METHODS, DPM,
                  DPM_METHODS, WINDOW_MANAGERS, CODE_SUFFIXES],
        "overlay_types": sorted(OVERLAY_TYPES.items()),
        "packers": [PACKER_LIBRARIES, PACKER_LIBRARY_PREFIXES, PACKER_ASSETS, PACKER_CLASS_PREFIXES],
        "thresholds": [HIGH_PRIORITY, ENCRYPTED_ENTROPY, UNICODE_NAMES_SHARE],
        "version": RULES_VERSION,
    }  # fmt: skip
    digest = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
    return f"sha256:{digest[:16]}"


# ------------------------------------------------------------------------------------------------ facts


@dataclass
class IntentFilter:
    actions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    priority: int = 0


@dataclass
class Component:
    kind: str  # activity, activity-alias, service, receiver, provider
    name: str
    permission: str | None = None
    target: str | None = None  # an activity-alias's targetActivity
    filters: list[IntentFilter] = field(default_factory=list)

    def handles(self, action: str) -> IntentFilter | None:
        return next((f for f in self.filters if action in f.actions), None)

    @property
    def is_launcher(self) -> bool:
        return any(
            "android.intent.action.MAIN" in f.actions and "android.intent.category.LAUNCHER" in f.categories
            for f in self.filters
        )


@dataclass
class Payload:
    path: str
    kind: str  # "apk", "jar", "dex", "encrypted"
    disguised: bool  # its name does not say it is code
    gzipped: bool = False
    data: bytes | None = field(default=None, repr=False)  # its bytes until its code is read (plain payloads)


@dataclass
class EmbeddedApp:
    """An APK inside the APK, judged by the same rules with its own manifest."""

    path: str
    package: str | None
    verdict: Verdict
    reason: str


@dataclass
class AppFacts:
    """What the rules look at, gathered once per APK."""

    apk: ApkFacts
    components: list[Component] = field(default_factory=list)
    dex: DexRefs = field(default_factory=DexRefs)
    entries: list[str] = field(default_factory=list)
    payloads: list[Payload] = field(default_factory=list)
    executables: list[str] = field(default_factory=list)  # ELF files outside lib/
    # ELF file -> (commands that write into /system, su paths) found in its bytes, for files with such commands
    native_root: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    admin_policies: list[str] = field(default_factory=list)
    payload_code: list[str] = field(default_factory=list)  # payloads whose DEX code was read into `dex`
    embedded_apps: list[EmbeddedApp] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def permissions(self) -> set[str]:
        return set(self.apk.permissions) | set(self.apk.implied_permissions)

    def of_kind(self, *kinds: str) -> list[Component]:
        return [c for c in self.components if c.kind in kinds]


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


def _first_bytes(zf: SafeZip, name: str, size: int = 64 * 1024) -> bytes:
    return b"".join(_capped(zf.iter_chunks(name), size))


def _entropy(data: bytes) -> float:
    if not data:
        return 0.0
    counts = [0] * 256
    for byte in data:
        counts[byte] += 1
    total = len(data)
    return -sum(c / total * math.log2(c / total) for c in counts if c)


def _code_zip(zf: SafeZip, name: str) -> tuple[str, bytes] | None:
    """("apk" or "jar", its bytes) when an embedded zip holds DEX code (classes.dex); ("too large", b"") when it
    is past the byte budget; else None."""
    if zf.entries[name].uncompressed_size > MAX_NESTED_ZIP:
        return ("too large", b"")
    try:
        data = zf.read(name, max_size=MAX_NESTED_ZIP)
        names = SafeZip(data, ParseLimits(max_total_size=MAX_NESTED_ZIP)).namelist()
    except LimitExceeded:
        return ("too large", b"")
    except (ZipFormatError, ValueError, struct.error):
        return None
    if not any(DEX_NAME.match(n) for n in names):
        return None
    return ("apk" if "AndroidManifest.xml" in names else "jar"), data


def _files(zf: SafeZip, app: AppFacts) -> None:
    """Payloads, executables outside lib/, and root commands in native code."""
    candidates = [
        n
        for n in zf.namelist()
        if not n.endswith("/")
        and (n.startswith(("assets/", "res/raw")) or ("/" not in n and not DEX_NAME.match(n)))
        and n not in ("AndroidManifest.xml", "resources.arsc")
    ]
    if len(candidates) > MAX_PAYLOAD_ENTRIES:
        app.notes.append(f"only the first {MAX_PAYLOAD_ENTRIES} of {len(candidates)} asset files were looked at")
        candidates = candidates[:MAX_PAYLOAD_ENTRIES]
    elf: list[str] = [n for n in zf.namelist() if n.startswith("lib/") and n.endswith(".so")]
    for name in candidates:
        try:
            _look_at(zf, name, app, elf)
        except ZipFormatError as exc:  # a damaged entry costs that entry only
            app.notes.append(f"{name}: not read ({exc})")
        except LimitExceeded as exc:
            app.notes.append(f"{name} and later files: not read ({exc})")
            break
    budget = MAX_NATIVE_TOTAL
    for name in elf:
        if budget <= 0:
            app.notes.append("native code past the byte budget was not searched")
            break
        try:
            data = b"".join(_capped(zf.iter_chunks(name), min(MAX_NATIVE_BYTES, budget)))
        except (ZipFormatError, LimitExceeded) as exc:
            app.notes.append(f"{name}: not read ({exc})")
            continue
        budget -= len(data)
        writes = sorted({m.group().decode("latin-1") for m in SYSTEM_WRITE_BYTES.finditer(data)})
        if writes:
            su = sorted({m.group().decode("latin-1") for m in SU_BYTES.finditer(data)})
            app.native_root[name] = (writes[:5], su[:5])


def _look_at(zf: SafeZip, name: str, app: AppFacts, elf: list[str]) -> None:
    """What one file of assets/ or res/raw is, by its first bytes: a payload, a program, or neither."""
    head = _first_bytes(zf, name)
    named_as_code = name.lower().removesuffix(".gz").endswith(CODE_SUFFIXES)
    gzipped = head[:2] == b"\x1f\x8b"
    if gzipped:  # a gzip-compressed file: what is inside (the first bytes only)
        try:
            head = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            head = b""
    if head[:4] == b"dex\n":
        payload = Payload(name, "dex", not named_as_code, gzipped)
        if not gzipped and zf.entries[name].uncompressed_size <= MAX_NESTED_ZIP:
            payload.data = zf.read(name, max_size=MAX_NESTED_ZIP)
        app.payloads.append(payload)
    elif head[:4] == b"PK\x03\x04" and gzipped:  # a gzipped zip is not opened
        if named_as_code:
            app.payloads.append(Payload(name, "apk", False, gzipped))
    elif head[:4] == b"PK\x03\x04":
        found = _code_zip(zf, name)
        if found and found[0] == "too large":
            if named_as_code:
                app.payloads.append(Payload(name, "jar", False))
                app.notes.append(f"{name}: too large to look into (more than {MAX_NESTED_ZIP} bytes)")
        elif found:
            app.payloads.append(Payload(name, found[0], not named_as_code, data=found[1]))
    elif head[:4] == b"\x7fELF":
        app.executables.append(name + (" (gzip-compressed)" if gzipped else ""))
        if not gzipped:
            elf.append(name)
    elif not gzipped and named_as_code and len(head) >= 1024 and _entropy(head) > ENCRYPTED_ENTROPY:
        app.payloads.append(Payload(name, "encrypted", False))


def _capped(chunks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    read = 0
    try:
        for chunk in chunks:
            yield chunk[: limit - read]
            read += len(chunk)
            if read >= limit:
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def _admin_policies(zf: SafeZip) -> list[str]:
    """The policies of the app's device-admin XML (res/*: the file a device_admin meta-data names)."""
    marker_utf16, marker_utf8 = "device-admin".encode("utf-16-le"), b"device-admin"
    checked = 0
    for name in zf.namelist():
        if not (name.startswith("res/") and name.endswith(".xml")):
            continue
        if zf.entries[name].uncompressed_size > MAX_RES_XML or checked >= MAX_RES_XML_FILES:
            continue
        checked += 1
        try:
            raw = zf.read(name, max_size=MAX_RES_XML)
            if marker_utf16 not in raw and marker_utf8 not in raw:
                continue
            document = axml.parse(raw)
        except (ZipFormatError, LimitExceeded):
            continue
        except Exception:  # a file crafted against androguard's XML parser: that file only
            continue
        if document.root is None or document.root.tag != "device-admin":
            continue
        policies = document.root.find("uses-policies")
        return sorted({child.tag for child in policies}) if policies is not None else []
    return []


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
    _files(zf, app)
    app.admin_policies = _admin_policies(zf)
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
    decision, _hits = evaluate(nested)
    return EmbeddedApp(path, apk.package, decision.verdict, decision.reason)


# ------------------------------------------------------------------------------------------------ rules


@dataclass
class Hit:
    code: str
    evidence: list[Evidence]

    def shown(self) -> list[Evidence]:
        """The evidence a reviewer gets: the first MAX_EVIDENCE items and a count of the rest."""
        if len(self.evidence) <= MAX_EVIDENCE:
            return list(self.evidence)
        rest = len(self.evidence) - MAX_EVIDENCE
        return [*self.evidence[:MAX_EVIDENCE], Evidence(self.code, "more", f"{rest} more of the same kind")]

    @property
    def rule(self) -> Rule:
        return RULES[self.code]


def _shown(names: Iterable[str], limit: int = 5) -> str:
    unique = sorted(set(names))
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return ", ".join(unique[:limit]) + more


def _quoted(text: str, limit: int = 200) -> str:
    """A string from the APK for evidence: control characters escaped, cut to `limit` characters."""
    text = text if len(text) <= limit else text[:limit] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class _Rules:
    """Runs every rule over one app's facts; `hits` in rule order."""

    def __init__(self, app: AppFacts) -> None:
        self.app = app
        self.dex = app.dex
        self.hits: dict[str, Hit] = {}
        self._bases: dict[str, set[str]] = {}

    def hit(self, code: str, *evidence: Evidence) -> None:
        if code not in RULES:
            raise KeyError(code)
        self.hits.setdefault(code, Hit(code, [])).evidence.extend(evidence)

    def ev(self, code: str, kind: str, value: str, detail: str = "") -> Evidence:
        """Evidence with the APK's strings made safe to show (escaped, cut)."""
        return Evidence(code, kind, _quoted(value), _quoted(detail, 400))

    # -- helpers over the code

    def callers(self, pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
        """ "Class.method" -> the classes that invoke it, for (class, method) pairs."""
        wanted = set(pairs)
        found: dict[str, set[str]] = {}
        for caller, methods in self.dex.calls.items():
            for m in methods:
                if (m.class_name, m.name) in wanted:
                    found.setdefault(f"{m.class_name}.{m.name}", set()).add(caller)
        return found

    def callers_of_name(self, name: str, descriptor: str | None = None) -> set[str]:
        """Classes that invoke a method by name whatever class the reference names (inherited methods are
        referenced through the subclass: `MyReceiver.abortBroadcast`)."""
        return {
            caller
            for caller, methods in self.dex.calls.items()
            if any(m.name == name and (descriptor is None or m.descriptor == descriptor) for m in methods)
        }

    def bases(self, cls: str) -> set[str]:
        """The class and every superclass the DEX files and the framework tables name (cycles stop)."""
        if cls not in self._bases:
            chain, current = {cls}, cls
            for _ in range(64):
                parent = self.dex.superclasses.get(current)
                if not parent or parent in chain:
                    break
                chain.add(parent)
                current = parent
            self._bases[cls] = chain
        return self._bases[cls]

    def top_level(self, cls: str) -> str:
        return cls.split("$", 1)[0]

    def neighbourhood(self, classes: set[str]) -> set[str]:
        """The classes, their outer and inner classes, the app classes they call, and the classes that call
        them: where the data a piece of code uses is usually found."""
        tops = {self.top_level(c) for c in classes}
        near = set(classes) | {c for c in self.dex.classes if self.top_level(c) in tops}
        own = set(near)
        for cls in own:
            near |= {m.class_name for m in self.dex.calls.get(cls, ()) if m.class_name in self.dex.classes}
        for caller, methods in self.dex.calls.items():
            if any(m.class_name in own for m in methods):
                near.add(caller)
        return near

    def constants(self, classes: Iterable[str]) -> dict[str, set[str]]:
        """String constant -> the classes (of `classes`) that load it."""
        found: dict[str, set[str]] = {}
        for cls in classes:
            for value in self.dex.constants.get(cls, ()):
                found.setdefault(value, set()).add(cls)
        return found

    # -- the rules

    def run(self) -> dict[str, Hit]:
        for rule in (self.fee_deduction, self.dynamic_code, self.root, self.device_admin, self.overlay,
                     self.hide_icon, self.boot, self.native, self.packer, self.accessibility):  # fmt: skip
            rule()
        return self.hits

    def fee_deduction(self) -> None:
        app, dex = self.app, self.dex
        permissions = app.permissions
        sending = self.callers((m, n) for m in SMS_MANAGERS for n in SMS_SEND_METHODS)
        senders = set().union(*sending.values()) if sending else set()
        sends = SEND_SMS in permissions and bool(senders)
        if sends:
            self.hit(
                "fee_deduction.sends_sms",
                self.ev("fee_deduction.sends_sms", "permission", SEND_SMS),
                *(
                    self.ev("fee_deduction.sends_sms", "method", method, f"called by {_shown(classes)}")
                    for method, classes in sorted(sending.items())
                ),
            )
            near = self.neighbourhood(senders)
            near_constants = self.constants(near)
            short = {s: c for s, c in near_constants.items() if SHORT_CODE.match(s) and not NOT_SHORT_CODE.match(s)}
            operator_codes = {s: c for s, c in short.items() if OPERATOR_CODE.match(s)}
            for s in operator_codes:
                del short[s]
            for number, classes in sorted(short.items()):
                self.hit("fee_deduction.sms_to_short_code",
                         self.ev("fee_deduction.sms_to_short_code", "string", number, f"loaded by {_shown(classes)}, "
                                 f"beside code that sends SMS ({_shown(senders, 3)})"))  # fmt: skip
            premium = {s: c for s, c in self.constants(dex.constants).items() if PREMIUM_NUMBER.match(s.strip())}
            for number, classes in sorted(premium.items()):
                self.hit("fee_deduction.premium_number",
                         self.ev("fee_deduction.premium_number", "string", number, f"loaded by {_shown(classes)}"))  # fmt: skip
            operator = self.callers(("android.telephony.TelephonyManager", n) for n in OPERATOR_METHODS)
            for method, classes in sorted(operator.items()):
                self.hit("fee_deduction.operator_lookup",
                         self.ev("fee_deduction.operator_lookup", "method", method, f"called by {_shown(classes)}"))  # fmt: skip
            for code, classes in sorted(operator_codes.items()):
                self.hit("fee_deduction.operator_lookup",
                         self.ev("fee_deduction.operator_lookup", "string", code,
                                 f"an operator's MCC-MNC, loaded by {_shown(classes)} beside code that sends SMS"))  # fmt: skip
            background = sorted(c for c in senders if self.bases(c) & set(BACKGROUND_BASES) and not
                                self.bases(c) & set(UI_BASES))  # fmt: skip
            for cls in background:
                base = sorted(self.bases(cls) & set(BACKGROUND_BASES))[0]
                self.hit("fee_deduction.background_send",
                         self.ev("fee_deduction.background_send", "class", cls, f"extends {base} and sends SMS"))  # fmt: skip
        # Incoming SMS: seen first (priority), hidden (abortBroadcast), deleted from the store.
        # (without RECEIVE_SMS, Android delivers no SMS to any of them)
        sms_receivers = (
            [c for c in app.of_kind("receiver") if c.handles(SMS_RECEIVED)] if RECEIVE_SMS in permissions else []
        )
        for receiver in sms_receivers:
            flt = receiver.handles(SMS_RECEIVED)
            if flt is not None and flt.priority >= HIGH_PRIORITY:
                above = " (above 999, the highest Android grants apps)" if flt.priority > 999 else ""
                self.hit("fee_deduction.sms_receiver_priority",
                         self.ev("fee_deduction.sms_receiver_priority", "component", receiver.name,
                                 f"receives {SMS_RECEIVED} with priority {flt.priority}{above}"))  # fmt: skip
        dynamic = sorted(
            cls
            for cls, values in dex.constants.items()
            if RECEIVE_SMS in permissions
            and SMS_RECEIVED in values
            and any(
                m.class_name == "android.content.IntentFilter" and m.name == "setPriority"
                for m in dex.calls.get(cls, ())
            )
        )
        for cls in dynamic:
            self.hit("fee_deduction.sms_receiver_priority",
                     self.ev("fee_deduction.sms_receiver_priority", "class", cls,
                             f"registers a receiver of {SMS_RECEIVED} with IntentFilter.setPriority"))  # fmt: skip
        if RECEIVE_SMS in permissions:
            readers = {c for classes in self.callers(SMS_READERS).values() for c in classes}
            readers |= {r.name for r in sms_receivers}
            readers |= {c for c, values in dex.constants.items() if SMS_RECEIVED in values or "pdus" in values}
            reading_tops = {self.top_level(c) for c in readers}
            aborting = sorted(
                c for c in self.callers_of_name("abortBroadcast", "()V") if self.top_level(c) in reading_tops
            )
            for cls in aborting:
                self.hit("fee_deduction.aborts_sms",
                         self.ev("fee_deduction.aborts_sms", "method", f"{cls}.abortBroadcast",
                                 "in code that reads incoming SMS"))  # fmt: skip
        deleters = self.callers([("android.content.ContentResolver", "delete")])
        for cls in sorted(deleters.get("android.content.ContentResolver.delete", ())):
            uris = sorted(s for s in dex.constants.get(cls, ()) if SMS_STORE.match(s))
            if uris:
                self.hit("fee_deduction.deletes_sms",
                         self.ev("fee_deduction.deletes_sms", "method", "android.content.ContentResolver.delete",
                                 f"called by {cls}, which loads {_shown(uris, 3)}"))  # fmt: skip

    def dynamic_code(self) -> None:
        app, dex = self.app, self.dex
        loading = self.callers(CLASS_LOADERS)
        loaders = set().union(*loading.values()) if loading else set()
        for method, classes in sorted(loading.items()):
            self.hit("dynamic_code.class_loader",
                     self.ev("dynamic_code.class_loader", "method", method, f"called by {_shown(classes)}"))  # fmt: skip
        by_reflection = {c for c, values in dex.constants.items() if values & set(CLASS_LOADER_NAMES)}
        for cls in sorted(by_reflection):
            names = sorted(dex.constants[cls] & set(CLASS_LOADER_NAMES))
            self.hit("dynamic_code.class_loader",
                     self.ev("dynamic_code.class_loader", "string", names[0], f"loaded by {cls} (reflection)"))  # fmt: skip
        loaders |= by_reflection
        # Code the APK carries outside classes*.dex; where it names it, the code loads it from there (a class
        # loader can also be reached by reflection or from native code, out of sight).
        basenames = {PurePosixPath(p.path).name: p.path for p in app.payloads}
        named: dict[str, list[tuple[str, set[str]]]] = {}
        for value, classes in self.constants(dex.constants).items():
            if len(value) < 512 and PurePosixPath(value).name in basenames:
                named.setdefault(basenames[PurePosixPath(value).name], []).append((value, classes))
        for payload in app.payloads:
            what = {"apk": "an APK", "jar": "a JAR with DEX code", "dex": "a DEX file",
                    "encrypted": "an encrypted file named as code"}[payload.kind]  # fmt: skip
            what += ", gzip-compressed" if payload.gzipped else ""
            if payload.path in app.payload_code:
                what += "; its code is read by these rules too"
            code = "dynamic_code.embedded_payload"
            if payload.disguised:
                code = "dynamic_code.disguised_payload"
            elif payload.kind == "encrypted" and payload.path in named:
                code = "dynamic_code.encrypted_payload"
            self.hit(code, self.ev(code, "file", payload.path, what))
            for value, classes in sorted(named.get(payload.path, ()))[:3]:
                self.hit(code, self.ev(code, "string", value, f"names {payload.path}; loaded by {_shown(classes)}"))
        for embedded in app.embedded_apps:
            if embedded.verdict in (Verdict.SUSPICIOUS, Verdict.MALICIOUS):
                self.hit("dynamic_code.embedded_app",
                         self.ev("dynamic_code.embedded_app", "file", embedded.path,
                                 f"{embedded.package}: {embedded.verdict} ({embedded.reason})"))  # fmt: skip
        if loaders:
            near = self.neighbourhood(loaders)
            opening = self.callers(ASSET_READERS)
            for method, classes in sorted(opening.items()):
                openers = classes & near
                if openers:
                    self.hit("dynamic_code.loads_from_assets",
                             self.ev("dynamic_code.loads_from_assets", "method", method,
                                     f"called by {_shown(openers)}, beside the class loading in {_shown(loaders, 3)}"))  # fmt: skip
            for path, found in sorted(named.items()):
                for value, classes in found[:3]:
                    self.hit("dynamic_code.loads_from_assets",
                             self.ev("dynamic_code.loads_from_assets", "string", value,
                                     f"names the embedded {path}; loaded by {_shown(classes)}"))  # fmt: skip

    def root(self) -> None:
        dex = self.dex
        executing = self.callers(EXEC_METHODS)
        runners = {self.top_level(c) for classes in executing.values() for c in classes}
        su: dict[str, set[str]] = {}
        writes: dict[str, set[str]] = {}
        for cls, values in dex.constants.items():
            for value in values:
                if len(value) < 2000 and SU_STRING.search(value):
                    su.setdefault(value, set()).add(cls)
                if len(value) < 2000 and SYSTEM_WRITE.search(value):
                    writes.setdefault(value, set()).add(cls)
        for value, classes in sorted(su.items()):
            running = sorted(c for c in classes if self.top_level(c) in runners)
            if running:
                methods = sorted(m for m, callers in executing.items() if {self.top_level(c) for c in callers} &
                                 {self.top_level(c) for c in running})  # fmt: skip
                self.hit("root.su", self.ev("root.su", "string", _quoted(value),
                                            f"loaded by {_shown(running)}, which runs commands ({_shown(methods, 2)})"))  # fmt: skip
            elif value != "su":  # the word alone says nothing where no command is run
                self.hit("root.su_check",
                         self.ev("root.su_check", "string", _quoted(value), f"loaded by {_shown(classes)}"))  # fmt: skip
        for value, classes in sorted(writes.items()):
            self.hit("root.system_write",
                     self.ev("root.system_write", "string", _quoted(value), f"loaded by {_shown(classes)}"))  # fmt: skip
        for path, (commands, su_paths) in sorted(self.app.native_root.items()):
            self.hit("root.system_write",
                     self.ev("root.system_write", "file", path, "native code with: " + "; ".join(commands)))  # fmt: skip
            if su_paths:
                self.hit("root.su",
                         self.ev("root.su", "file", path, "the same native code names " + ", ".join(su_paths)))  # fmt: skip

    def device_admin(self) -> None:
        app = self.app
        admins = [c for c in app.of_kind("receiver") if c.permission == BIND_DEVICE_ADMIN
                  or c.handles("android.app.action.DEVICE_ADMIN_ENABLED")]  # fmt: skip
        if not admins:
            return
        policies = ", ".join(app.admin_policies) or "none found"
        for receiver in admins:
            self.hit("device_admin.receiver",
                     self.ev("device_admin.receiver", "component", receiver.name, f"policies: {policies}"))  # fmt: skip
        calls = self.callers((DPM, n) for n in DPM_METHODS)
        for method, classes in sorted(calls.items()):
            self.hit("device_admin.lock_or_wipe",
                     self.ev("device_admin.lock_or_wipe", "method", method, f"called by {_shown(classes)}"))  # fmt: skip

    def overlay(self) -> None:
        if SYSTEM_ALERT_WINDOW not in self.app.permissions:
            return
        adding = self.callers((wm, "addView") for wm in WINDOW_MANAGERS)
        if not adding:
            return
        evidence = [self.ev("overlay.system_window", "permission", SYSTEM_ALERT_WINDOW)]
        for method, classes in sorted(adding.items()):
            types = sorted(
                {OVERLAY_TYPES[v] for c in classes for v in self.dex.literals.get(c, ()) if v in OVERLAY_TYPES}
            )
            detail = f"called by {_shown(classes)}" + (f", with {', '.join(types)}" if types else "")
            evidence.append(self.ev("overlay.system_window", "method", method, detail))
        self.hit("overlay.system_window", *evidence)

    def launchers(self) -> list[Component]:
        return [c for c in self.app.of_kind("activity", "activity-alias") if c.is_launcher]

    def hide_icon(self) -> None:
        launchers = self.launchers()
        if not launchers:
            return
        names = {c.name for c in launchers} | {c.target for c in launchers if c.target}
        tops = {self.top_level(n) for n in names}
        calls = self.callers([("android.content.pm.PackageManager", "setComponentEnabledSetting")])
        for cls in sorted(calls.get("android.content.pm.PackageManager.setComponentEnabledSetting", ())):
            named = (self.dex.class_refs.get(cls, set()) | self.dex.constants.get(cls, set())) & names
            if self.top_level(cls) in tops or named:
                why = f"names {_shown(named)}" if named else "is the launcher activity"
                self.hit("hide_icon.disable_launcher",
                         self.ev("hide_icon.disable_launcher", "method",
                                 "android.content.pm.PackageManager.setComponentEnabledSetting",
                                 f"called by {cls}, which {why}"))  # fmt: skip

    def boot(self) -> None:
        receivers = [c for c in self.app.of_kind("receiver") if any(c.handles(a) for a in BOOT_ACTIONS)]
        for receiver in receivers:
            self.hit("boot.receiver", self.ev("boot.receiver", "component", receiver.name))
        if receivers and "hide_icon.disable_launcher" in self.hits:
            self.hit("boot.hidden_autostart",
                     self.ev("boot.hidden_autostart", "component", receivers[0].name,
                             "starts on boot; the launcher icon is disabled (hide_icon.disable_launcher)"))  # fmt: skip

    def native(self) -> None:
        libraries = sorted(n for n in self.app.entries if n.startswith("lib/") and n.endswith(".so"))
        if libraries:
            self.hit("native.libraries",
                     self.ev("native.libraries", "file", _shown(libraries, 3), f"{len(libraries)} libraries, "
                             f"ABIs: {', '.join(self.app.apk.native_abis)}"))  # fmt: skip
        for path in self.app.executables:
            self.hit("native.executable_outside_lib", self.ev("native.executable_outside_lib", "file", path))

    def packer(self) -> None:
        found: dict[str, str] = {}
        for name in self.app.entries:
            base = PurePosixPath(name).name.lower()
            if name.startswith(("lib/", "assets/")):
                vendor = PACKER_LIBRARIES.get(base) or PACKER_ASSETS.get(base)
                vendor = vendor or next((v for p, v in PACKER_LIBRARY_PREFIXES.items() if base.startswith(p)), None)
                if vendor:
                    found[name] = vendor
        for path, vendor in sorted(found.items()):
            self.hit("packer.known_protector", self.ev("packer.known_protector", "file", path, vendor))
        for prefix, vendor in PACKER_CLASS_PREFIXES.items():
            stubs = sorted(c for c in self.dex.classes if c.startswith(prefix))
            if stubs:
                self.hit("packer.known_protector", self.ev("packer.known_protector", "class", stubs[0], vendor))
        classes = self.dex.classes
        odd = [c for c in classes if not c.isascii()]
        if len(classes) >= 10 and len(odd) > UNICODE_NAMES_SHARE * len(classes):
            self.hit("packer.unicode_names",
                     self.ev("packer.unicode_names", "class", _shown(odd, 3),
                             f"{len(odd)} of {len(classes)} classes"))  # fmt: skip

    def accessibility(self) -> None:
        services = [
            c for c in self.app.of_kind("service")
            if c.permission == BIND_ACCESSIBILITY_SERVICE
            or c.handles("android.accessibilityservice.AccessibilityService")
        ]  # fmt: skip
        for service in services:
            self.hit("accessibility.service", self.ev("accessibility.service", "component", service.name))
        others = sorted({h.rule.category for h in self.hits.values() if h.rule.severity != Severity.INFO})
        others = [c for c in others if c != "accessibility"]
        if services and others:
            self.hit("accessibility.with_other_risk",
                     self.ev("accessibility.with_other_risk", "component", services[0].name,
                             f"together with: {', '.join(others)}"))  # fmt: skip


# ------------------------------------------------------------------------------------------------ verdict


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str  # the combination that decided it, in words


def decide(hits: dict[str, Hit], embedded_apps: Iterable[EmbeddedApp] = ()) -> Decision:
    """The verdict from the hits (see the module docstring)."""
    has = hits.__contains__
    sends = has("fee_deduction.sends_sms")
    numbers = has("fee_deduction.sms_to_short_code") or has("fee_deduction.premium_number")
    operator = has("fee_deduction.operator_lookup")
    intercepts = has("fee_deduction.sms_receiver_priority") or has("fee_deduction.aborts_sms")
    hides = has("fee_deduction.deletes_sms") or has("fee_deduction.background_send")
    if sends and numbers and (intercepts or hides):
        return Decision(Verdict.MALICIOUS, "fee deduction: sends SMS to short or premium numbers, and intercepts "
                        "or hides SMS")  # fmt: skip
    if sends and operator and intercepts and hides:
        return Decision(Verdict.MALICIOUS, "fee deduction: sends SMS, picks its numbers by the SIM's operator, "
                        "intercepts incoming SMS and hides SMS")  # fmt: skip
    for embedded in embedded_apps:
        if embedded.verdict == Verdict.MALICIOUS:
            return Decision(Verdict.MALICIOUS, f"carries an APK that these rules find malicious: {embedded.path}")
    root_tools = has("root.su") or has("native.executable_outside_lib") or has("dynamic_code.class_loader")
    if has("root.system_write") and root_tools:
        return Decision(Verdict.MALICIOUS, "root: writes into the system partition, with su, programs of its own "
                        "or code loaded at run time")  # fmt: skip
    strong = sorted(code for code, hit in hits.items() if hit.rule.severity == Severity.STRONG)
    categories = sorted({hit.rule.category for hit in hits.values() if hit.rule.severity != Severity.INFO})
    reasons = []  # every reason that applies, so the reviewer sees all of them
    if strong:
        reasons.append(f"strong evidence: {', '.join(strong)}")
    if len(categories) >= 2:
        reasons.append(f"risks in {len(categories)} categories: {', '.join(categories)}")
    if sends and (operator or (intercepts and hides)):
        reasons.append("fee deduction: sends SMS and " + ("reads the SIM's operator" if operator else
                                                          "intercepts and hides SMS"))  # fmt: skip
    if reasons:
        return Decision(Verdict.SUSPICIOUS, "; ".join(reasons))
    if categories:
        return Decision(Verdict.CLEAN, f"one kind of risk only ({categories[0]}), as ordinary apps of that kind have")
    return Decision(Verdict.CLEAN, "no risk found" if not hits else "informational findings only")


# ------------------------------------------------------------------------------------------------ engine


def evaluate(app: AppFacts) -> tuple[Decision, list[Hit]]:
    hits = _Rules(app).run()
    return decide(hits, app.embedded_apps), [hits[r.code] for r in _RULES if r.code in hits]


class AndroidRules(Engine):
    """Built-in Android risk rules ("android_rules"). Options: none needed; `parse_limits` and `dex_limits`
    (a ParseLimits / DexLimits, or a table of their fields, as a `[scanning.android_rules]` settings table
    gives them) override the caps."""

    name = "android_rules"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.parse_limits = _limits(options.get("parse_limits"), ParseLimits)
        self.dex_limits = _limits(options.get("dex_limits"), DexLimits)

    def engine_version(self) -> str:
        return f"android_rules {RULES_VERSION}"

    def signatures_version(self) -> str:
        return signatures_version()

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        started = time.perf_counter()

        def failed(verdict: Verdict, reason: str) -> EngineResult:
            return EngineResult(self.name, self.engine_version(), self.signatures_version(), verdict,
                                seconds=time.perf_counter() - started, error=_one_line(reason))  # fmt: skip

        try:
            app = gather(path, self.parse_limits, self.dex_limits)
        except UnreadableApk as exc:
            return failed(Verdict.UNSUPPORTED if exc.unsupported else Verdict.ERROR, str(exc))
        except (ZipFormatError, LimitExceeded, OSError) as exc:
            return failed(Verdict.ERROR, str(exc) or type(exc).__name__)
        decision, hits = evaluate(app)
        evidence = [Evidence("verdict", "reason", decision.reason)]
        for hit in hits:
            evidence.extend(hit.shown())
        for note in app.notes:
            evidence.append(Evidence("notes", "note", _one_line(note)))
        detections = tuple(h.code for h in hits if h.rule.severity != Severity.INFO)
        return EngineResult(
            self.name,
            self.engine_version(),
            self.signatures_version(),
            decision.verdict,
            detections,
            time.perf_counter() - started,
            tuple(evidence),
        )


L = TypeVar("L", ParseLimits, DexLimits)


def _limits(value: object, kind: type[L]) -> L | None:
    """Caps from an engine option: the object itself, or a table of its fields (unknown names refused)."""
    if value is None or isinstance(value, kind):
        return value
    if isinstance(value, dict):
        known = {f.name for f in fields(kind)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {kind.__name__} fields: {', '.join(unknown)}")
        return kind(**value)
    raise ValueError(f"{kind.__name__} option must be a table, not {type(value).__name__}")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300] or "unreadable APK"
