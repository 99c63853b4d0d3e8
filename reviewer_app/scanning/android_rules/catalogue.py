"""The rule catalogue: every rule's stable code, category, severity and the sentence a reviewer reads.

A stored verdict names its rules by these codes, so they are kept apart from the code that finds them
(rules.py) and from the verdict logic (verdict.py); `RULES_VERSION` says which catalogue and logic made a
verdict, and the signatures version (tables.py) hashes this catalogue with the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Bump when a rule, a table (tables.py) or the verdict logic changes: stored verdicts say which rules made them.
RULES_VERSION = 1


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
