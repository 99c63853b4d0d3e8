"""The rules themselves: one method per category, each turning the facts (facts.py) into hits with the
evidence a reviewer can check in the APK (a permission, a component, a method the code calls, a string it
loads, a file it carries).

Hits only: which combination of them makes an app suspicious or malicious is verdict.py's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from reviewer_app.scanning.android_rules.catalogue import RULES, Rule, Severity
from reviewer_app.scanning.android_rules.facts import AppFacts, Component
from reviewer_app.scanning.android_rules.limits import MAX_EVIDENCE
from reviewer_app.scanning.android_rules.tables import (
    ASSET_READERS,
    BACKGROUND_BASES,
    BIND_ACCESSIBILITY_SERVICE,
    BIND_DEVICE_ADMIN,
    BOOT_ACTIONS,
    CLASS_LOADER_NAMES,
    CLASS_LOADERS,
    DPM,
    DPM_METHODS,
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
    SU_STRING,
    SYSTEM_ALERT_WINDOW,
    SYSTEM_WRITE,
    UI_BASES,
    UNICODE_NAMES_SHARE,
    WINDOW_MANAGERS,
)
from reviewer_app.scanning.engine import Evidence, Verdict


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
