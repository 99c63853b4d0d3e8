"""The tables the rules match against: permissions, framework classes and methods, string patterns (short
codes, premium numbers, su and /system commands), app protectors' files and classes, and the thresholds.

They are data, not logic: a rule reads them, and `signatures_version()` hashes them with the rule catalogue,
so that a changed table or rule changes the version stored with every verdict (and triggers re-scans).
"""

from __future__ import annotations

import hashlib
import json
import re

from reviewer_app.scanning.android_rules.catalogue import _RULES, RULES_VERSION

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
