#!/usr/bin/env python3
"""Build the small, real APKs of the demo workspace and of the test suite.

Every APK is made with Debian's Android tools, so that the files are what a real build chain produces:

* ``aapt package`` (Debian package ``aapt``) compiles ``manifests/<name>.xml`` and ``res/<set>/`` against
  ``/usr/share/android-framework-res/framework-res.apk`` (package ``android-framework-res``);
* launcher icons are PNGs drawn here with Pillow (48/72/96/144/192 px for mdpi..xxxhdpi);
* native libraries (weather only) are tiny placeholder ELF files added to the zip before signing;
* ``apksigner sign`` (package ``apksigner``) signs with the public demo keys in ``keys/``;
* ``signer-mismatch.apk`` is signed by apksigner (v1+v2, key fixture-a), then its APK Signing Block is
  replaced by a v2 block of key fixture-b computed here.  The code that computes it is first checked to
  reproduce apksigner's own v2 block byte for byte, so the v2 half of that file is as valid as apksigner's.
* ``foreign-namespace.apk``: after ``aapt package``, the android namespace URI string of the compiled
  manifest is overwritten by another of the same length (the pool keeps its layout, every attribute its
  resource id), the archive is written back entry by entry, then signed.  Android and aapt read its
  attributes by resource id; the index's ``manifest_namespace`` says which string it carries.
* the APKs with code (the risk rules' test APKs: sms-premium, sms-compose, dynamic-loader, hidden-icon,
  admin-locker, plain): Debian has no d8, so ``classes.dex`` is written by ``dexwriter.py`` from the
  classes of ``fixture_code.py`` and added to the zip before signing, with any assets the fixture carries
  (a JAR with its own classes.dex).  The check runs AOSP's ``dexdump -d`` (Debian package ``dexdump``),
  which verifies each DEX file (checksum, signature, sorted tables, map) before it disassembles it, and
  compares its classes and invoked methods with the index's ``dex`` entry.

* the clone fixtures (tests/data/clones/, specs CLONE_SPECS): three originals by distinct developers,
  counterfeits of them as counterfeiters make them (look-alike, Cyrillic, full-width or traditional-Chinese
  labels, marketing suffixes, package typos, recoloured/cropped/badged icons drawn from the original's
  PNG, the original's code repackaged with one class more), each signed by a counterfeiter's key, and
  relatives that are not counterfeits (an update and a sibling by the same key, an unrelated app with a
  similar name). Manifests come from manifests/clone-app.xml, assets from assets/; their index.json adds
  `signer`, `original`, `tricks` (CLONE_TRICKS) and, for an unrelated app, `resembles`, and the check
  verifies that the signers and tricks it states hold in the files.

At the end every file is checked with ``apksigner verify --print-certs`` and ``aapt dump badging`` against
the index.json written beside it; any difference stops the build with a non-zero exit status.

Outputs (committed):
    resources/demo/apks/<package>_<versionCode>.apk + index.json   demo workspace (shipped in the package)
    tests/data/apks/*.apk + index.json       edge cases for tests only
    tests/data/clones/*.apk + index.json     clone fixtures: originals, counterfeits, legitimate relatives

Usage (from anywhere; paths are relative to the repository):
    python packaging/demo_apks/build.py               build, verify, write the outputs
    python packaging/demo_apks/build.py --check       build in a temporary folder, verify, and compare
                                                      byte for byte with the committed outputs
    python packaging/demo_apks/build.py --verify-only verify the committed outputs against their index.json
    python packaging/demo_apks/build.py --make-keys   create missing keys in keys/ with openssl (done once;
                                                      the keys are committed, so builds reuse them)

Tool locations can be overridden with the environment variables AAPT, APKSIGNER, DEXDUMP, OPENSSL and
ANDROID_FRAMEWORK_RES.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import io
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MANIFESTS = HERE / "manifests"
RES = HERE / "res"
ASSETS = HERE / "assets"
KEYS = HERE / "keys"

OUTPUT_DIRS = {
    "demo": REPO / "resources" / "demo" / "apks",
    "tests": REPO / "tests" / "data" / "apks",
    "clones": REPO / "tests" / "data" / "clones",
}

AAPT = os.environ.get("AAPT", "/usr/bin/aapt")
APKSIGNER = os.environ.get("APKSIGNER", "/usr/bin/apksigner")
DEXDUMP = os.environ.get("DEXDUMP", "/usr/bin/dexdump")
OPENSSL = os.environ.get("OPENSSL", "openssl")
FRAMEWORK_RES = os.environ.get("ANDROID_FRAMEWORK_RES", "/usr/share/android-framework-res/framework-res.apk")

# Every input file gets this modification time before aapt reads it (aapt itself writes 1980-01-01 into
# the zip); entries this script adds use the same DOS time.
FIXED_MTIME = 315532800  # 1980-01-01T00:00:00Z
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

SCHEMES = ("v1", "v2", "v3")
DENSITIES = (("mdpi", 48), ("hdpi", 72), ("xhdpi", 96), ("xxhdpi", 144), ("xxxhdpi", 192))
DENSITY_DPI = {"mdpi": 160, "hdpi": 240, "xhdpi": 320, "xxhdpi": 480, "xxxhdpi": 640}


class BuildError(RuntimeError):
    pass


_FIXTURE_CODE_LOCK = threading.Lock()


def _fixture_code() -> Any:
    """fixture_code.py beside this script (a folder of scripts, not a package: loaded by its path).

    The build threads call this at once: the lock keeps the others from seeing the module in sys.modules
    before it has finished running."""
    import importlib.util

    with _FIXTURE_CODE_LOCK:
        if "fixture_code" not in sys.modules:
            spec = importlib.util.spec_from_file_location("fixture_code", HERE / "fixture_code.py")
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["fixture_code"] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules["fixture_code"]
                raise
        return sys.modules["fixture_code"]


# --------------------------------------------------------------------------------------------- keys


@dataclasses.dataclass(frozen=True)
class KeySpec:
    name: str
    subject: str  # openssl -subj form


KEY_SPECS = (
    KeySpec("acme", "/C=US/O=Acme Apps/OU=Public demo key - not for production/CN=Acme Apps"),
    KeySpec("shady", "/C=CN/O=Shady Labs/OU=Public demo key - not for production/CN=Shady Labs"),
    KeySpec("quicktools", "/C=CN/O=Quick Tools/OU=Public demo key - not for production/CN=Quick Tools"),
    KeySpec("skysoft", "/C=DE/O=Sky Soft/OU=Public demo key - not for production/CN=Sky Soft"),
    KeySpec("oldcorp", "/C=US/O=Old Corp/OU=Public demo key - not for production/CN=Old Corp"),
    KeySpec("fixture-a", "/O=reviewer_app tests/OU=Public test key - not for production/CN=Fixture Key A"),
    KeySpec("fixture-b", "/O=reviewer_app tests/OU=Public test key - not for production/CN=Fixture Key B"),
    # The clone fixtures (tests/data/clones/): three original developers and two counterfeiters.
    KeySpec("penguin", "/C=CN/O=Penguin Chat/OU=Public test key - not for production/CN=Penguin Chat"),
    KeySpec("kangaroo", "/C=CN/O=Kangaroo Life/OU=Public test key - not for production/CN=Kangaroo Life"),
    KeySpec("birdie", "/C=US/O=Birdie Social/OU=Public test key - not for production/CN=Birdie Social"),
    KeySpec("copycat", "/C=CN/O=Copycat Studio/OU=Public test key - not for production/CN=Copycat Studio"),
    KeySpec("knockoff", "/C=CN/O=Knockoff Apps/OU=Public test key - not for production/CN=Knockoff Apps"),
)


def key_paths(name: str) -> tuple[Path, Path]:
    """(PKCS#8 DER private key, PEM certificate): the two files apksigner's --key/--cert take."""
    return KEYS / f"{name}.pk8", KEYS / f"{name}.x509.pem"


def make_keys() -> None:
    """Create the keys that are missing (RSA 2048, self-signed, 30 years). Existing keys are never replaced."""
    KEYS.mkdir(parents=True, exist_ok=True)
    for spec in KEY_SPECS:
        pk8, cert = key_paths(spec.name)
        if pk8.exists() and cert.exists():
            print(f"key {spec.name}: exists, kept")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            pem_key = Path(tmp) / "key.pem"
            run(
                [
                    OPENSSL,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-sha256",
                    "-days",
                    "10950",
                    "-subj",
                    spec.subject,
                    "-keyout",
                    str(pem_key),
                    "-out",
                    str(cert),
                ]
            )
            run([OPENSSL, "pkcs8", "-topk8", "-nocrypt", "-in", str(pem_key), "-outform", "DER", "-out", str(pk8)])
        print(f"key {spec.name}: created")


@dataclasses.dataclass(frozen=True)
class Key:
    name: str
    pk8: Path
    cert: Path
    cert_der: bytes

    @property
    def cert_sha256(self) -> str:
        return hashlib.sha256(self.cert_der).hexdigest()


def load_key(name: str) -> Key:
    pk8, cert = key_paths(name)
    if not (pk8.exists() and cert.exists()):
        raise BuildError(f"key {name!r} missing in {KEYS} (run build.py --make-keys once)")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(serialization.Encoding.DER)
    return Key(name, pk8, cert, der)


# --------------------------------------------------------------------------------------------- specs


@dataclasses.dataclass(frozen=True)
class Icon:
    folder: str  # "mipmap" or "drawable"
    name: str  # resource name: ic_launcher, icon, ...
    color: str  # background of the rounded square, #RRGGBB
    glyph: str  # key of GLYPHS
    glyph_color: str = "#FFFFFF"


@dataclasses.dataclass(frozen=True)
class Perm:
    name: str
    source: str = "uses-permission"  # "uses-permission", "uses-permission-sdk-23" or "implied"
    max_sdk: int | None = None


@dataclasses.dataclass(frozen=True)
class Clone:
    """What a clone fixture (tests/data/clones/) is to the original it copies or resembles.

    Its manifest is manifests/clone-app.xml filled in from the spec, its label the string resource app_name
    written from spec.label; spec.kind is one of CLONE_KINDS."""

    original: str | None  # file name of the original it copies (counterfeit) or belongs with (update, sibling)
    tricks: tuple[str, ...] = ()  # keys of CLONE_TRICKS
    resembles: str | None = None  # an unrelated app: the original whose name it looks like
    assets: str | None = None  # folder in assets/, added with aapt -A
    icon_variant: str | None = None  # "recolor", "crop-pad" or "badge": spec.icon drawn, then changed so


CLONE_KINDS = ("original", "counterfeit", "update", "sibling", "unrelated")
CLONE_TRICKS = {
    "lookalike-char": "a CJK character of the label replaced by one that looks like it (团 stays, 美 -> 羙)",
    "homoglyph-cyrillic": "a Latin letter of the label replaced by the Cyrillic letter that looks the same",
    "fullwidth": "the label in full-width Latin letters (NFKC folds them back)",
    "label-suffix": "the original's label with a marketing suffix (Lite, 极速版)",
    "traditional-chinese": "the simplified-Chinese label written in traditional characters",
    "same-label": "exactly the original's label",
    "package-typo": "the original's package with one letter changed",
    "package-suffix": "the original's package with a segment appended",
    "same-package": "exactly the original's package",
    "icon-copied": "the original's launcher PNGs, byte for byte",
    "icon-recolor": "the original's icon with its hue turned",
    "icon-crop-pad": "the original's icon cropped and padded back to size",
    "icon-badge": "the original's icon with a LITE badge in a corner",
    "code-copied": "the original's classes.dex, byte for byte",
    "repackaged": "the original's classes plus one class added",
    "assets-copied": "the original's assets/ files, byte for byte",
    "res-copied": "the original's resources (strings, colours, raw files)",
}


@dataclasses.dataclass(frozen=True)
class Spec:
    file: str
    dest: str  # key of OUTPUT_DIRS
    manifest: str  # file name in manifests/
    res: str | None  # folder in res/, or None
    icon: Icon | None
    signing: dict[str, str]  # scheme -> key name; empty: unsigned
    package: str
    label: str
    localized_labels: dict[str, str]
    version_code: int
    version_name: str
    min_sdk: int
    target_sdk: int | None
    permissions: tuple[Perm, ...]
    developer: str
    tier: int
    kind: str
    notes: str
    native_abis: tuple[str, ...] = ()
    adaptive_icon: bool = False
    same_icon_as: str | None = None  # file name of another spec whose icon PNGs must be identical
    # Written over the android namespace URI in the compiled manifest (same length): see replace_manifest_namespace.
    manifest_namespace: str | None = None
    activities: tuple[str, ...] = ()
    receivers: tuple[str, ...] = ()
    code: str | None = None  # key of fixture_code.FIXTURES: the APK gets that classes.dex (and files)
    clone: Clone | None = None  # a clone fixture: see Clone

    @property
    def verifies(self) -> bool:
        return bool(self.signing) and len(set(self.signing.values())) == 1


# Same length as ANDROID_NS, so the compiled manifest keeps its layout when one is written over the other.
ANDROID_NS = "http://schemas.android.com/apk/res/android"
FOREIGN_NAMESPACE = "http://schemas.example.org/apk/res/android"

NOTES_ICON = Icon("mipmap", "ic_launcher", "#F9A825", "N")
INTERNET = Perm("android.permission.INTERNET")

# --------------------------------------------------------------------------------------------- clone fixtures
# tests/data/clones/: three originals by distinct developers, counterfeits of them made the way counterfeiters
# make them (signed by other keys), and relatives that are not counterfeits. See Clone and CLONE_TRICKS.

CHAT_ICON = Icon("mipmap", "ic_launcher", "#07C160", "bubbles")
SHOP_ICON = Icon("mipmap", "ic_launcher", "#FFC300", "bag", glyph_color="#222222")
SOCIAL_ICON = Icon("mipmap", "ic_launcher", "#1DA1F2", "bird")
PHONE_STATE = Perm("android.permission.READ_PHONE_STATE")


def _clone_spec(
    file: str,
    *,
    package: str,
    label: str,
    key: str,
    kind: str,
    developer: str,
    tier: int,
    icon: Icon,
    code: str,
    clone: Clone,
    notes: str,
    version_code: int = 1,
    version_name: str = "1.0",
    res: str | None = None,
    activities: tuple[str, ...] = (),
    permissions: tuple[Perm, ...] = (INTERNET, PHONE_STATE),
) -> Spec:
    return Spec(
        file=file,
        dest="clones",
        manifest="clone-app.xml",
        res=res,
        icon=icon,
        signing={"v1": key, "v2": key},
        package=package,
        label=label,
        localized_labels={},
        version_code=version_code,
        version_name=version_name,
        min_sdk=21,
        target_sdk=34,
        permissions=permissions,
        activities=activities or (f"{package}.MainActivity",),
        developer=developer,
        tier=tier,
        kind=kind,
        notes=notes,
        code=code,
        clone=clone,
    )


CHAT = {
    "package": "com.example.chat",
    "label": "微信",
    "version_code": 800,
    "version_name": "8.0.0",
    "res": "clone-chat",
    "icon": CHAT_ICON,
    "activities": ("com.example.chat.MainActivity", "com.example.chat.ChatActivity"),
    "permissions": (INTERNET, Perm("android.permission.CAMERA")),
}
SHOP = {
    "package": "com.example.shop",
    "label": "美团",
    "version_code": 500,
    "version_name": "5.0.0",
    "res": "clone-shop",
    "icon": SHOP_ICON,
    "activities": ("com.example.shop.MainActivity", "com.example.shop.OrderActivity"),
    "permissions": (INTERNET, Perm("android.permission.ACCESS_FINE_LOCATION")),
}
SOCIAL = {
    "package": "com.example.social",
    "label": "Birdie",
    "version_code": 42,
    "version_name": "4.2",
    "res": "clone-social",
    "icon": SOCIAL_ICON,
    "activities": ("com.example.social.MainActivity", "com.example.social.ComposeActivity"),
    "permissions": (INTERNET,),
}
COPYCAT = {"key": "copycat", "kind": "counterfeit", "developer": "Copycat Studio", "tier": 1}
KNOCKOFF = {"key": "knockoff", "kind": "counterfeit", "developer": "Knockoff Apps", "tier": 1}

CLONE_SPECS: tuple[Spec, ...] = (
    # ---- originals
    _clone_spec(
        "chat.apk",
        **CHAT,
        key="penguin",
        kind="original",
        developer="Penguin Chat",
        tier=5,
        code="clone-chat",
        clone=Clone(None, assets="clone-chat"),
        notes="Original: a popular messenger (label 微信), green icon with two speech bubbles, four classes, assets.",
    ),
    _clone_spec(
        "shop.apk",
        **SHOP,
        key="kangaroo",
        kind="original",
        developer="Kangaroo Life",
        tier=5,
        code="clone-shop",
        clone=Clone(None, assets="clone-shop"),
        notes="Original: a popular shopping app (label 美团), yellow icon with a bag, four classes, assets.",
    ),
    _clone_spec(
        "social.apk",
        **SOCIAL,
        key="birdie",
        kind="original",
        developer="Birdie Social",
        tier=5,
        code="clone-social",
        clone=Clone(None, assets="clone-social"),
        notes="Original: a popular English-language social app (label Birdie), blue icon with a bird, four classes.",
    ),
    # ---- counterfeits
    _clone_spec(
        "shop-lookalike-char.apk",
        package="com.copycat.shop",
        label="羙团",
        **COPYCAT,
        icon=SHOP_ICON,
        code="shell-copycat-shop",
        clone=Clone("shop.apk", ("lookalike-char", "icon-copied")),
        notes="Counterfeit of shop.apk: 美 replaced by the look-alike 羙, the original's icon byte for byte, own code.",
    ),
    _clone_spec(
        "shop-suffix.apk",
        package="com.example.shop.lite",
        label="美团 极速版",
        **COPYCAT,
        icon=SHOP_ICON,
        code="shell-shop-lite",
        clone=Clone("shop.apk", ("label-suffix", "package-suffix", "icon-badge"), icon_variant="badge"),
        notes=(
            "Counterfeit of shop.apk: the label with the suffix 极速版 (express edition), the package with .lite "
            "appended, the original's icon with a LITE badge; own code."
        ),
    ),
    _clone_spec(
        "shop-package-typo.apk",
        **{**SHOP, "package": "com.exampie.shop"},
        **COPYCAT,
        code="clone-shop",
        clone=Clone(
            "shop.apk",
            ("package-typo", "same-label", "icon-copied", "code-copied", "res-copied", "assets-copied"),
            assets="clone-shop",
        ),
        notes=(
            "Counterfeit of shop.apk: package com.exampie.shop (l -> i), everything else the original's: label, "
            "icon, classes.dex, resources and assets, version; another key."
        ),
    ),
    _clone_spec(
        "shop-traditional.apk",
        package="com.copycat.shoptw",
        label="美團",
        **COPYCAT,
        icon=SHOP_ICON,
        code="shell-copycat-shoptw",
        clone=Clone("shop.apk", ("traditional-chinese", "icon-copied")),
        notes="Counterfeit of shop.apk: the label in traditional characters (美团 -> 美團), the original's icon.",
    ),
    _clone_spec(
        "chat-repack.apk",
        **CHAT,
        **COPYCAT,
        code="clone-chat-repack",
        clone=Clone(
            "chat.apk",
            ("repackaged", "same-package", "same-label", "icon-copied", "res-copied", "assets-copied"),
            assets="clone-chat",
        ),
        notes=(
            "Repackaged chat.apk: the same package, label, icon, resources, assets and classes, plus one class "
            "(com.adsdk.core.Payload reads the device id), re-signed with another key."
        ),
    ),
    _clone_spec(
        "social-cyrillic.apk",
        package="com.knockoff.social",
        label="\u0412irdie",
        **KNOCKOFF,
        icon=SOCIAL_ICON,
        code="shell-knockoff-social",
        clone=Clone("social.apk", ("homoglyph-cyrillic", "icon-copied")),
        notes="Counterfeit of social.apk: label Вirdie with CYRILLIC CAPITAL LETTER VE (U+0412) for B, same icon.",
    ),
    _clone_spec(
        "social-fullwidth.apk",
        package="com.knockoff.birdie",
        label="\uff22\uff49\uff52\uff44\uff49\uff45",
        **KNOCKOFF,
        icon=SOCIAL_ICON,
        code="shell-knockoff-birdie",
        clone=Clone("social.apk", ("fullwidth", "icon-recolor"), icon_variant="recolor"),
        notes="Counterfeit of social.apk: label Ｂｉｒｄｉｅ in full-width letters, the original's icon with its hue turned.",
    ),
    _clone_spec(
        "social-suffix.apk",
        package="com.knockoff.birdielite",
        label="Birdie Lite",
        **KNOCKOFF,
        icon=SOCIAL_ICON,
        code="shell-knockoff-birdielite",
        clone=Clone("social.apk", ("label-suffix", "icon-crop-pad"), icon_variant="crop-pad"),
        notes="Counterfeit of social.apk: label Birdie Lite, the original's icon cropped and padded back to size.",
    ),
    # ---- not counterfeits
    _clone_spec(
        "shop-update.apk",
        **{**SHOP, "version_code": 501, "version_name": "5.0.1"},
        key="kangaroo",
        kind="update",
        developer="Kangaroo Life",
        tier=5,
        code="clone-shop-update",
        clone=Clone("shop.apk", assets="clone-shop"),
        notes=(
            "Update of shop.apk (5.0.0 -> 5.0.1) by the same key: same package, label, icon and assets; its "
            "classes plus one (Coupons). Not a counterfeit."
        ),
    ),
    _clone_spec(
        "shop-sibling.apk",
        package="com.example.shop.waimai",
        label="美团外卖",
        key="kangaroo",
        kind="sibling",
        developer="Kangaroo Life",
        tier=5,
        icon=Icon("mipmap", "ic_launcher", "#FFC300", "bowl", glyph_color="#222222"),
        code="clone-waimai",
        version_code=100,
        version_name="1.0.0",
        clone=Clone("shop.apk"),
        notes=(
            "The shop developer's food-delivery app, same key: label 美团外卖 contains the original's, the package "
            "extends it, the icon has the brand colour but another glyph; own code. Not a counterfeit."
        ),
    ),
    _clone_spec(
        "birdwatch.apk",
        package="com.example.birdwatch",
        label="Birdwatch",
        key="skysoft",
        kind="unrelated",
        developer="Sky Soft",
        tier=4,
        icon=Icon("mipmap", "ic_launcher", "#558B2F", "binoculars"),
        code="clone-birdwatch",
        permissions=(INTERNET, Perm("android.permission.ACCESS_COARSE_LOCATION")),
        clone=Clone(None, resembles="social.apk"),
        notes=(
            "A bird-watching field guide by another developer: its label shares the word Bird with Birdie, "
            "nothing else (own icon, package and code). Not a counterfeit."
        ),
    ),
)


SPECS: tuple[Spec, ...] = (
    Spec(
        file="com.example.notes_1.apk",
        dest="demo",
        manifest="notes-v1.xml",
        res="notes",
        icon=NOTES_ICON,
        signing={"v1": "acme", "v2": "acme"},
        package="com.example.notes",
        label="Notes",
        localized_labels={"zh-CN": "笔记"},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(INTERNET,),
        activities=("com.example.notes.MainActivity",),
        developer="Acme Apps",
        tier=5,
        kind="new",
        notes=(
            "Baseline: a clean first release from a top-tier developer; the reference for the update and the "
            "look-alike."
        ),
    ),
    Spec(
        file="com.example.notes_2.apk",
        dest="demo",
        manifest="notes-v2.xml",
        res="notes",
        icon=NOTES_ICON,
        signing={"v1": "acme", "v2": "acme"},
        package="com.example.notes",
        label="Notes",
        localized_labels={"zh-CN": "笔记"},
        version_code=2,
        version_name="1.1",
        min_sdk=21,
        target_sdk=34,
        permissions=(
            INTERNET,
            Perm("android.permission.READ_CONTACTS", "uses-permission-sdk-23"),
            Perm("android.permission.CAMERA", "uses-permission-sdk-23"),
        ),
        activities=("com.example.notes.MainActivity", "com.example.notes.ShareActivity"),
        developer="Acme Apps",
        tier=5,
        kind="update",
        notes=(
            "Update of com.example.notes 1.0 by the same key: adds READ_CONTACTS and CAMERA (uses-permission-"
            "sdk-23) and an exported ShareActivity."
        ),
    ),
    Spec(
        file="com.exampel.notes_1.apk",
        dest="demo",
        manifest="exampel-notes.xml",
        res="notes",
        icon=NOTES_ICON,
        signing={"v1": "shady", "v2": "shady"},
        package="com.exampel.notes",
        label="Notes",
        localized_labels={"zh-CN": "笔记"},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(INTERNET,),
        activities=("com.example.notes.MainActivity",),
        developer="Shady Labs",
        tier=1,
        kind="new",
        same_icon_as="com.example.notes_1.apk",
        notes=(
            "Counterfeit of com.example.notes: same label, byte-identical icon and activity class name, package "
            "with two letters swapped, another developer's certificate."
        ),
    ),
    Spec(
        file="com.example.smshelper_23.apk",
        dest="demo",
        manifest="smshelper.xml",
        res="smshelper",
        icon=Icon("mipmap", "ic_launcher", "#2E7D32", "S"),
        signing={"v1": "quicktools", "v2": "quicktools"},
        package="com.example.smshelper",
        label="SMS Helper",
        localized_labels={"zh-CN": "短信助手"},
        version_code=23,
        version_name="2.3",
        min_sdk=19,
        target_sdk=28,
        permissions=(
            Perm("android.permission.SEND_SMS"),
            Perm("android.permission.RECEIVE_SMS"),
            Perm("android.permission.READ_SMS"),
            Perm("android.permission.READ_PHONE_STATE"),
        ),
        activities=("com.example.smshelper.MainActivity",),
        receivers=("com.example.smshelper.SmsReceiver",),
        developer="Quick Tools",
        tier=2,
        kind="sensitive",
        notes=(
            "Fee-deduction suspect: sends, reads and receives SMS, reads phone state, and a high-priority "
            "SMS_RECEIVED receiver."
        ),
    ),
    Spec(
        file="com.example.weather_30.apk",
        dest="demo",
        manifest="weather.xml",
        res="weather",
        icon=Icon("mipmap", "ic_launcher", "#2F80ED", "sun", glyph_color="#FFD54F"),
        adaptive_icon=True,
        signing={"v2": "skysoft", "v3": "skysoft"},
        package="com.example.weather",
        label="Weather",
        localized_labels={"zh-CN": "天气预报"},
        version_code=30,
        version_name="3.0",
        min_sdk=26,
        target_sdk=34,
        permissions=(INTERNET, Perm("android.permission.ACCESS_COARSE_LOCATION")),
        native_abis=("arm64-v8a", "armeabi-v7a"),
        activities=("com.example.weather.MainActivity",),
        developer="Sky Soft",
        tier=4,
        kind="new",
        notes=(
            "Adaptive icon (mipmap-anydpi-v26 XML, vector foreground) with PNG fallbacks; native libraries for "
            "two ABIs; v2+v3 only, no JAR signature."
        ),
    ),
    Spec(
        file="com.example.legacy_9.apk",
        dest="demo",
        manifest="legacy.xml",
        res="legacy",
        icon=Icon("drawable", "icon", "#607D8B", "L"),
        signing={"v1": "oldcorp"},
        package="com.example.legacy",
        label="Legacy Tool",
        localized_labels={"zh-CN": "旧版工具"},
        version_code=9,
        version_name="0.9",
        min_sdk=3,
        target_sdk=None,
        permissions=(
            Perm("android.permission.WRITE_EXTERNAL_STORAGE"),
            Perm("android.permission.READ_CONTACTS"),
            Perm("android.permission.READ_PHONE_STATE", "implied"),
            Perm("android.permission.READ_EXTERNAL_STORAGE", "implied"),
            Perm("android.permission.READ_CALL_LOG", "implied"),
        ),
        activities=("com.example.legacy.LegacyTool",),
        developer="Old Corp",
        tier=3,
        kind="new",
        notes=(
            "minSdk 3 and no targetSdkVersion: Android silently adds READ_PHONE_STATE, READ_EXTERNAL_STORAGE and "
            "READ_CALL_LOG; v1 (SHA-1) signature only; icon in drawable-*."
        ),
    ),
    Spec(
        file="com.example.wallet_120.apk",
        dest="demo",
        manifest="wallet.xml",
        res="wallet",
        icon=Icon("mipmap", "ic_launcher", "#3949AB", "W"),
        signing={"v1": "acme", "v2": "acme", "v3": "acme"},
        package="com.example.wallet",
        label="Wallet",
        localized_labels={"zh-CN": "钱包"},
        version_code=120,
        version_name="1.2.0",
        min_sdk=23,
        target_sdk=34,
        permissions=(
            INTERNET,
            Perm("android.permission.ACCESS_FINE_LOCATION"),
            Perm("android.permission.WRITE_EXTERNAL_STORAGE", max_sdk=28),
            Perm("android.permission.READ_EXTERNAL_STORAGE", "implied", max_sdk=28),
        ),
        activities=("com.example.wallet.MainActivity",),
        receivers=("com.example.wallet.AdminReceiver",),
        developer="Acme Apps",
        tier=5,
        kind="sensitive",
        notes=(
            "Device administrator (lock, wipe, reset password) and precise location in a payment app; storage "
            "write (and implied read) only up to API 28; same certificate as Notes; v1+v2+v3."
        ),
    ),
    # ---- tests only
    Spec(
        file="signer-mismatch.apk",
        dest="tests",
        manifest="signer-mismatch.xml",
        res="fixture-mismatch",
        icon=Icon("mipmap", "ic_launcher", "#C62828", "M"),
        signing={"v1": "fixture-a", "v2": "fixture-b"},
        package="com.example.fixture.mismatch",
        label="Signer Mismatch",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.mismatch.MainActivity",),
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes=(
            "JAR signature by fixture-a and a valid v2 signature by fixture-b: each half verifies alone, together"
            " they do not."
        ),
    ),
    Spec(
        file="no-icon.apk",
        dest="tests",
        manifest="no-icon.xml",
        res="fixture-noicon",
        icon=None,
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.noicon",
        label="No Icon",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.noicon.MainActivity",),
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes="No android:icon and no image resources at all.",
    ),
    Spec(
        file="label-literal.apk",
        dest="tests",
        manifest="label-literal.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#6A1B9A", "T"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.literal",
        label="Literal Label",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.literal.MainActivity",),
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes=(
            "android:label is a literal string in the manifest, not a string resource; no resources.arsc strings "
            "at all."
        ),
    ),
    Spec(
        file="foreign-namespace.apk",
        dest="tests",
        manifest="foreign-namespace.xml",
        res="fixture-namespace",
        icon=Icon("mipmap", "ic_launcher", "#00838F", "N"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.namespace",
        label="Foreign Namespace",
        localized_labels={},
        version_code=7,
        version_name="0.7",
        min_sdk=16,
        target_sdk=30,
        permissions=(
            Perm("android.permission.SEND_SMS"),
            Perm("android.permission.READ_CONTACTS"),
            INTERNET,
            Perm("android.permission.WRITE_EXTERNAL_STORAGE", max_sdk=28),
            Perm("android.permission.CAMERA", "uses-permission-sdk-23"),
            Perm("android.permission.READ_EXTERNAL_STORAGE", "implied", max_sdk=28),
        ),
        activities=("com.example.fixture.namespace.MainActivity", "com.example.fixture.namespace.SettingsActivity"),
        receivers=("com.example.fixture.namespace.BootReceiver",),
        manifest_namespace=FOREIGN_NAMESPACE,
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes=(
            "The compiled manifest's android namespace URI is replaced by another string of the same length: "
            "Android and aapt read every android: attribute by its resource id, a parser that goes by the "
            "namespace string sees no permissions, no SDK levels and no components."
        ),
    ),
    Spec(
        file="unsigned.apk",
        dest="tests",
        manifest="unsigned.xml",
        res="fixture-unsigned",
        icon=Icon("mipmap", "ic_launcher", "#6D4C41", "U"),
        signing={},
        package="com.example.fixture.unsigned",
        label="Unsigned",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.unsigned.MainActivity",),
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes="aapt output never signed: no META-INF and no APK Signing Block.",
    ),
    # ---- tests only, with code: the Android risk rules (reviewer_app/scanning/android_rules/)
    Spec(
        file="sms-premium.apk",
        dest="tests",
        manifest="sms-premium.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#AD1457", "S"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.smspremium",
        label="Ringtones Free",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=28,
        permissions=(
            Perm("android.permission.SEND_SMS"),
            Perm("android.permission.RECEIVE_SMS"),
            Perm("android.permission.READ_PHONE_STATE"),
            Perm("android.permission.RECEIVE_BOOT_COMPLETED"),
        ),
        activities=("com.example.fixture.smspremium.MainActivity",),
        receivers=("com.example.fixture.smspremium.SmsInterceptor", "com.example.fixture.smspremium.BootReceiver"),
        code="sms-premium",
        developer="Fixture Developer",
        tier=1,
        kind="new",
        notes=(
            "SMS fee-deduction kit: a service reads the IMSI and sends SMS to a premium-rate number (1065880021) and "
            "a short code (83120); an SMS_RECEIVED receiver with priority 1000 aborts and deletes the replies; "
            "starts at boot."
        ),
    ),
    Spec(
        file="sms-compose.apk",
        dest="tests",
        manifest="sms-compose.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#00897B", "S"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.smscompose",
        label="Quick SMS",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(Perm("android.permission.SEND_SMS"),),
        activities=("com.example.fixture.smscompose.MainActivity",),
        code="sms-compose",
        developer="Fixture Developer",
        tier=3,
        kind="sensitive",
        notes="An ordinary SMS app: sends the text the user typed to the number the user typed, from its screen.",
    ),
    Spec(
        file="dynamic-loader.apk",
        dest="tests",
        manifest="dynamic-loader.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#5E35B1", "L"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.loader",
        label="Plugin Host",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.loader.MainActivity",),
        code="dynamic-loader",
        developer="Fixture Developer",
        tier=3,
        kind="new",
        notes=(
            "Opens assets/plugin.jar and loads its classes with a DexClassLoader; the plugin's code runs `su -c id`."
        ),
    ),
    Spec(
        file="hidden-icon.apk",
        dest="tests",
        manifest="hidden-icon.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#F57F17", "U"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.hiddenicon",
        label="Battery Saver",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(Perm("android.permission.RECEIVE_BOOT_COMPLETED"),),
        activities=("com.example.fixture.hiddenicon.MainActivity",),
        receivers=("com.example.fixture.hiddenicon.BootReceiver",),
        code="hidden-icon",
        developer="Fixture Developer",
        tier=2,
        kind="new",
        notes=(
            "Disables its own launcher activity with setComponentEnabledSetting on first start, and starts a service "
            "at every boot."
        ),
    ),
    Spec(
        file="admin-locker.apk",
        dest="tests",
        manifest="admin-locker.xml",
        res="fixture-locker",
        icon=Icon("mipmap", "ic_launcher", "#37474F", "L"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.locker",
        label="Video Player HD",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=22,
        permissions=(Perm("android.permission.SYSTEM_ALERT_WINDOW"),),
        activities=("com.example.fixture.locker.MainActivity",),
        receivers=("com.example.fixture.locker.LockAdmin",),
        code="admin-locker",
        developer="Fixture Developer",
        tier=1,
        kind="new",
        notes=(
            "Screen locker: a device administrator (force-lock, reset-password) whose service resets the password, "
            "locks the device and adds a TYPE_SYSTEM_ERROR window over other apps."
        ),
    ),
    Spec(
        file="plain.apk",
        dest="tests",
        manifest="plain.xml",
        res=None,
        icon=Icon("mipmap", "ic_launcher", "#1565C0", "N"),
        signing={"v1": "fixture-a", "v2": "fixture-a"},
        package="com.example.fixture.plain",
        label="Plain Notes",
        localized_labels={},
        version_code=1,
        version_name="1.0",
        min_sdk=21,
        target_sdk=34,
        permissions=(),
        activities=("com.example.fixture.plain.MainActivity",),
        code="plain",
        developer="Fixture Developer",
        tier=4,
        kind="new",
        notes="An ordinary app with code (logs a line, shows a toast) and nothing for the risk rules to report.",
    ),
    *CLONE_SPECS,
)


# --------------------------------------------------------------------------------------------- icons


def _arc(cx: float, cy: float, r: float, a0: float, a1: float, steps: int = 24) -> list[tuple[float, float]]:
    """Points of an arc in unit coordinates; angles in degrees, counter-clockwise on screen."""
    pts = []
    for i in range(steps + 1):
        a = math.radians(a0 + (a1 - a0) * i / steps)
        pts.append((cx + r * math.cos(a), cy - r * math.sin(a)))
    return pts


# Each glyph is a list of strokes (polylines) and discs, in coordinates where the icon is the unit square.
GLYPHS: dict[str, list[tuple[str, Any]]] = {
    "N": [("line", [(0.33, 0.70), (0.33, 0.30), (0.67, 0.70), (0.67, 0.30)])],
    "S": [("line", _arc(0.5, 0.385, 0.115, 30, 270) + _arc(0.5, 0.615, 0.115, 90, -150)[1:])],
    "L": [("line", [(0.37, 0.29), (0.37, 0.70), (0.66, 0.70)])],
    "W": [("line", [(0.26, 0.31), (0.37, 0.70), (0.50, 0.43), (0.63, 0.70), (0.74, 0.31)])],
    "M": [("line", [(0.29, 0.70), (0.29, 0.30), (0.50, 0.56), (0.71, 0.30), (0.71, 0.70)])],
    "T": [("line", [(0.31, 0.31), (0.69, 0.31)]), ("line", [(0.50, 0.31), (0.50, 0.70)])],
    "U": [("line", [(0.33, 0.29), (0.33, 0.53), *_arc(0.5, 0.53, 0.17, 180, 360)[1:], (0.67, 0.29)])],
    "sun": [("disc", (0.5, 0.5, 0.13))]
    + [
        (
            "line",
            [
                (0.5 + 0.21 * math.cos(math.radians(a)), 0.5 + 0.21 * math.sin(math.radians(a))),
                (0.5 + 0.29 * math.cos(math.radians(a)), 0.5 + 0.29 * math.sin(math.radians(a))),
            ],
        )
        for a in range(0, 360, 45)
    ],
    # The clone fixtures' originals and relatives.
    "bubbles": [("disc", (0.42, 0.44, 0.20)), ("disc", (0.63, 0.60, 0.15)), ("line", [(0.30, 0.66), (0.27, 0.74)])],
    "bag": [
        ("line", [(0.29, 0.40), (0.71, 0.40), (0.67, 0.75), (0.33, 0.75), (0.29, 0.40)]),
        ("line", _arc(0.5, 0.40, 0.11, 0, 180)),
    ],
    "bird": [("disc", (0.45, 0.56, 0.17)), ("disc", (0.63, 0.38, 0.10)), ("line", [(0.72, 0.37), (0.81, 0.34)])],
    "bowl": [
        ("line", [(0.26, 0.50), (0.74, 0.50), *_arc(0.5, 0.50, 0.24, 0, -180)[1:]]),
        ("line", [(0.55, 0.44), (0.74, 0.24)]),
    ],
    "binoculars": [
        ("disc", (0.35, 0.60, 0.13)),
        ("disc", (0.65, 0.60, 0.13)),
        ("line", [(0.35, 0.32), (0.35, 0.55)]),
        ("line", [(0.65, 0.32), (0.65, 0.55)]),
        ("line", [(0.35, 0.42), (0.65, 0.42)]),
    ],
}


def _rgb(hex_color: str) -> tuple[int, int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255


def draw_icon(size: int, icon: Icon) -> bytes:
    """A rounded square in icon.color with icon.glyph on it, as PNG bytes (palette, transparent corners)."""
    from PIL import Image, ImageDraw

    ss = 4  # supersampling factor, box-filtered down for smooth edges
    s = size * ss
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    margin = round(s / 16)
    d.rounded_rectangle((margin, margin, s - margin - 1, s - margin - 1), radius=round(s * 0.18), fill=_rgb(icon.color))
    ink = _rgb(icon.glyph_color)
    width = max(ss, round(s * 0.085))
    for kind, data in GLYPHS[icon.glyph]:
        if kind == "line":
            pts = [(x * s, y * s) for x, y in data]
            d.line(pts, fill=ink, width=width, joint="curve")
            r = width / 2
            for x, y in (pts[0], pts[-1]):  # round caps
                d.ellipse((x - r, y - r, x + r, y + r), fill=ink)
        elif kind == "disc":
            cx, cy, rr = data
            d.ellipse(((cx - rr) * s, (cy - rr) * s, (cx + rr) * s, (cy + rr) * s), fill=ink)
    return _png(im.resize((size, size), Image.Resampling.BOX))


def _png(im: Any) -> bytes:
    """An RGBA image as PNG bytes: 64-colour palette, no dithering, optimized (reproducible)."""
    from PIL import Image

    im = im.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# Strokes of the letters of a LITE badge, each in a unit cell (x right, y down).
BADGE_LETTERS: dict[str, list[list[tuple[float, float]]]] = {
    "L": [[(0.25, 0.0), (0.25, 1.0), (0.85, 1.0)]],
    "I": [[(0.5, 0.0), (0.5, 1.0)]],
    "T": [[(0.1, 0.0), (0.9, 0.0)], [(0.5, 0.0), (0.5, 1.0)]],
    "E": [[(0.8, 0.0), (0.2, 0.0), (0.2, 1.0), (0.8, 1.0)], [(0.2, 0.5), (0.7, 0.5)]],
}


def vary_icon(png: bytes, variant: str) -> bytes:
    """What a counterfeiter does to the original's launcher PNG: "recolor" turns its hue, "crop-pad" cuts a
    tenth off every side and pads the rest back to size (a little smaller, transparent border), "badge" puts
    a red LITE badge in the bottom-right corner."""
    from PIL import Image, ImageDraw

    im = Image.open(io.BytesIO(png)).convert("RGBA")
    size = im.width
    if variant == "recolor":
        alpha = im.getchannel("A")
        h, sat, v = im.convert("RGB").convert("HSV").split()
        h = h.point(lambda x: (x + 40) % 256)
        im = Image.merge("HSV", (h, sat, v)).convert("RGB")
        im.putalpha(alpha)
    elif variant == "crop-pad":
        cut = round(size / 10)
        inner = im.crop((cut, cut, size - cut, size - cut))
        pad = round(size / 16)
        canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        canvas.paste(inner.resize((size - 2 * pad, size - 2 * pad), Image.Resampling.BOX), (pad, pad))
        im = canvas
    elif variant == "badge":
        ss = 4
        s = size * ss
        layer = Image.new("RGBA", (s, s), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        x0, y0, x1, y1 = 0.40 * s, 0.68 * s, 0.98 * s, 0.96 * s
        d.rounded_rectangle((x0, y0, x1, y1), radius=round(s * 0.06), fill=_rgb("#E53935"))
        cell_w, pad_x, pad_y = (x1 - x0 - 0.08 * s) / 4, 0.04 * s, 0.06 * s
        width = max(ss, round(s * 0.035))
        for i, letter in enumerate("LITE"):
            left = x0 + pad_x + i * cell_w
            for stroke in BADGE_LETTERS[letter]:
                pts = [(left + (0.15 + 0.7 * x) * cell_w, y0 + pad_y + y * (y1 - y0 - 2 * pad_y)) for x, y in stroke]
                d.line(pts, fill=_rgb("#FFFFFF"), width=width, joint="curve")
        im = Image.alpha_composite(im, layer.resize((size, size), Image.Resampling.BOX))
    else:
        raise BuildError(f"unknown icon variant {variant!r}")
    return _png(im)


# --------------------------------------------------------------------------------------------- native libs


def placeholder_elf(abi: str) -> bytes:
    """A minimal ELF shared-object header (no sections, no code) for the ABI, plus a note saying what it is."""
    note = b"placeholder native library of the reviewer_app demo APKs; contains no code\n"
    if abi == "arm64-v8a":
        ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)  # ELFCLASS64, little endian, version 1
        header = ident + struct.pack("<HHIQQQIHHHHHH", 3, 183, 1, 0, 0, 0, 0, 64, 0, 0, 64, 0, 0)
    elif abi == "armeabi-v7a":
        ident = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)  # ELFCLASS32
        header = ident + struct.pack("<HHIIIIIHHHHHH", 3, 40, 1, 0, 0, 0, 0x05000000, 52, 0, 0, 40, 0, 0)
    else:
        raise BuildError(f"no placeholder ELF for ABI {abi}")
    return header + note


# --------------------------------------------------------------------------------------------- helpers


def run(cmd: list[str], *, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if check and proc.returncode != 0:
        raise BuildError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return proc


def require_tools(*, signing: bool = True) -> None:
    missing = []
    if not Path(AAPT).exists() and shutil.which(AAPT) is None:
        missing.append(f"aapt ({AAPT}; Debian package aapt)")
    if signing and not Path(APKSIGNER).exists() and shutil.which(APKSIGNER) is None:
        missing.append(f"apksigner ({APKSIGNER}; Debian package apksigner)")
    if not Path(FRAMEWORK_RES).exists():
        missing.append(f"framework-res.apk ({FRAMEWORK_RES}; Debian package android-framework-res)")
    if not Path(DEXDUMP).exists() and shutil.which(DEXDUMP) is None:
        missing.append(f"dexdump ({DEXDUMP}; Debian package dexdump)")
    if missing:
        raise BuildError("missing tools: " + "; ".join(missing))


def fix_mtimes(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        os.utime(p, (FIXED_MTIME, FIXED_MTIME))
    os.utime(root, (FIXED_MTIME, FIXED_MTIME))


def add_zip_entries(apk: Path, entries: Iterable[tuple[str, bytes]]) -> None:
    """Append entries with a fixed timestamp and no host attributes, like aapt's own entries."""
    with zipfile.ZipFile(apk, "a") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def replace_manifest_namespace(apk: Path, namespace: str) -> None:
    """Write `namespace` over the android namespace URI string in the compiled AndroidManifest.xml of `apk`.

    The string has the same length and encoding, so the string pool keeps its layout: the namespace
    declaration and every android: attribute now carry the other string, and each attribute keeps the
    resource id that aapt gave its name. Every entry is written back in the same order, with the same name,
    time and compression method (its bytes unchanged but for the manifest's).
    """
    if len(namespace) != len(ANDROID_NS) or not namespace.isascii() or namespace == ANDROID_NS:
        raise BuildError(
            f"manifest namespace {namespace!r}: must be ASCII, differ from and have the length of {ANDROID_NS}"
        )
    with zipfile.ZipFile(apk) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    patched = []
    for info, data in entries:
        if info.filename == "AndroidManifest.xml":
            for encoding in ("utf-16-le", "utf-8"):
                old = ANDROID_NS.encode(encoding)
                if data.count(old) == 1:
                    data = data.replace(old, namespace.encode(encoding))
                    break
            else:
                raise BuildError(f"{apk.name}: the android namespace URI is not once in the compiled manifest")
        patched.append((info, data))
    with zipfile.ZipFile(apk, "w") as zf:
        for info, data in patched:
            zf.writestr(info, data, compress_type=info.compress_type, compresslevel=9)


# --------------------------------------------------------------------------------------------- APK Signature Scheme v2

APK_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
V2_BLOCK_ID = 0x7109871A
VERITY_PADDING_BLOCK_ID = 0x42726577
RSA_PKCS1_V1_5_WITH_SHA256 = 0x0103
PAGE = 4096


def _lp(b: bytes) -> bytes:
    return struct.pack("<I", len(b)) + b


def _seq(items: Iterable[bytes]) -> bytes:
    return b"".join(_lp(i) for i in items)


def _eocd(apk: bytes) -> int:
    pos = apk.rfind(b"PK\x05\x06")
    if pos < 0 or len(apk) - pos != 22:
        raise BuildError("EOCD not found at the end of the file (archive comments are not supported here)")
    return pos


def split_signing_block(apk: bytes) -> tuple[bytes, bytes | None, bytes, bytes]:
    """(zip entries, APK Signing Block or None, central directory, EOCD) of an APK."""
    eocd = _eocd(apk)
    cd_size, cd_off = struct.unpack_from("<II", apk, eocd + 12)
    cd = apk[cd_off : cd_off + cd_size]
    if cd_off >= 24 and apk[cd_off - 16 : cd_off] == APK_SIG_BLOCK_MAGIC:
        size = struct.unpack_from("<Q", apk, cd_off - 24)[0]
        start = cd_off - size - 8
        return apk[:start], apk[start:cd_off], cd, apk[eocd:]
    return apk[:cd_off], None, cd, apk[eocd:]


def strip_signing_block(apk: bytes) -> bytes:
    """The APK without its APK Signing Block (the zero padding apksigner put before it stays)."""
    entries, _, cd, eocd = split_signing_block(apk)
    e = bytearray(eocd)
    struct.pack_into("<I", e, 16, len(entries))
    return entries + cd + bytes(e)


def _content_digest(sections: list[bytes]) -> bytes:
    chunk = 1 << 20
    digests = []
    for section in sections:
        for i in range(0, len(section), chunk):
            c = section[i : i + chunk]
            digests.append(hashlib.sha256(b"\xa5" + struct.pack("<I", len(c)) + c).digest())
    return hashlib.sha256(b"\x5a" + struct.pack("<I", len(digests)) + b"".join(digests)).digest()


def add_v2_signature(apk: bytes, key: Key) -> bytes:
    """Insert an APK Signature Scheme v2 block by `key` (RSA, PKCS#1 v1.5 with SHA-256) into an APK that has
    no APK Signing Block, laid out as apksig 31 lays it out (entries padded to 4096, block padded to 4096)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    entries, block, cd, eocd = split_signing_block(apk)
    if block is not None:
        raise BuildError("add_v2_signature: the APK already has an APK Signing Block")
    entries += b"\0" * (-len(entries) % PAGE)
    e = bytearray(eocd)
    struct.pack_into("<I", e, 16, len(entries))  # digested EOCD points at the signing block
    digest = _content_digest([entries, cd, bytes(e)])

    private = serialization.load_der_private_key(key.pk8.read_bytes(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey) or private.key_size > 3072:
        raise BuildError(f"key {key.name}: only RSA keys up to 3072 bits are supported here")
    public = (
        x509.load_der_x509_certificate(key.cert_der)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signed_data = _seq(
        [
            _seq([struct.pack("<I", RSA_PKCS1_V1_5_WITH_SHA256) + _lp(digest)]),
            _seq([key.cert_der]),
            b"",  # additional attributes: none
            b"",  # apksig writes an empty trailing element here as well
        ]
    )
    signature = private.sign(signed_data, padding.PKCS1v15(), hashes.SHA256())
    signer = _seq([signed_data, _seq([struct.pack("<I", RSA_PKCS1_V1_5_WITH_SHA256) + _lp(signature)]), public])
    v2_value = _lp(_seq([signer]))

    pairs = struct.pack("<QI", 4 + len(v2_value), V2_BLOCK_ID) + v2_value
    total = 8 + len(pairs) + 8 + 16
    if total % PAGE:
        pad = PAGE - total % PAGE
        if pad < 12:
            pad += PAGE
        pairs += struct.pack("<QI", pad - 8, VERITY_PADDING_BLOCK_ID) + b"\0" * (pad - 12)
    size = struct.pack("<Q", len(pairs) + 24)
    signing_block = size + pairs + size + APK_SIG_BLOCK_MAGIC
    struct.pack_into("<I", e, 16, len(entries) + len(signing_block))
    return entries + signing_block + cd + bytes(e)


# --------------------------------------------------------------------------------------------- build


def apksigner_sign(src: Path, dst: Path, key: Key, schemes: Iterable[str]) -> None:
    enabled = set(schemes)
    cmd = [APKSIGNER, "sign", "--key", str(key.pk8), "--cert", str(key.cert), "--v1-signer-name", "CERT"]
    for scheme in SCHEMES:
        cmd += [f"--{scheme}-signing-enabled", "true" if scheme in enabled else "false"]
    cmd += ["--v4-signing-enabled", "false", "--out", str(dst), str(src)]
    run(cmd)


def check_v2_signer_against_apksigner(work: Path, base: Path, key: Key) -> None:
    """add_v2_signature must give exactly the bytes apksigner gives for a v2-only signature."""
    ref = work / "v2-reference.apk"
    apksigner_sign(base, ref, key, ["v2"])
    ref_bytes = ref.read_bytes()
    mine = add_v2_signature(strip_signing_block(ref_bytes), key)
    if mine != ref_bytes:
        raise BuildError(
            "the v2 signer of build.py no longer matches apksigner byte for byte; "
            "signer-mismatch.apk would not be trustworthy"
        )


def clone_manifest(spec: Spec) -> str:
    """manifests/clone-app.xml filled in: the first activity is the launcher's, the others are not exported."""
    import string

    if any(p.source != "uses-permission" or p.max_sdk for p in spec.permissions):
        raise BuildError(f"{spec.file}: the clone manifest takes plain uses-permission elements only")
    permissions = "".join(f'    <uses-permission android:name="{p.name}" />\n' for p in spec.permissions)
    launcher = (
        "            <intent-filter>\n"
        '                <action android:name="android.intent.action.MAIN" />\n'
        '                <category android:name="android.intent.category.LAUNCHER" />\n'
        "            </intent-filter>\n"
    )
    activities = "\n".join(
        f'        <activity android:name="{name}" android:exported="true">\n{launcher}        </activity>'
        if i == 0
        else f'        <activity android:name="{name}" android:exported="false" />'
        for i, name in enumerate(spec.activities)
    )
    template = string.Template((MANIFESTS / spec.manifest).read_text(encoding="utf-8"))
    return template.substitute(
        package=spec.package,
        version_code=spec.version_code,
        version_name=spec.version_name,
        min_sdk=spec.min_sdk,
        target_sdk=spec.target_sdk,
        permissions=permissions,
        activities=activities,
    )


def app_name_resource(label: str) -> str:
    """res/values/app_name.xml: the string resource app_name, the label of a clone fixture."""
    from xml.sax.saxutils import escape

    if any(c in label for c in "'\"\\@?\n") or label != label.strip():
        raise BuildError(
            f"label {label!r}: quotes, backslashes, @, ? and outer spaces need escaping in a string resource"
        )
    return f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n    <string name="app_name">{escape(label)}</string>\n</resources>\n'


def build_one(spec: Spec, work_root: Path, out_dir: Path, keys: dict[str, Key]) -> Path:
    work = work_root / spec.file.removesuffix(".apk")
    stage = work / "stage"
    res = stage / "res"
    res.mkdir(parents=True)
    if spec.res:
        shutil.copytree(RES / spec.res, res, dirs_exist_ok=True)
    if spec.clone:
        (stage / "AndroidManifest.xml").write_text(clone_manifest(spec), encoding="utf-8")
        (res / "values").mkdir(exist_ok=True)
        (res / "values" / "app_name.xml").write_text(app_name_resource(spec.label), encoding="utf-8")
        if spec.clone.assets:
            shutil.copytree(ASSETS / spec.clone.assets, stage / "assets")
    else:
        shutil.copyfile(MANIFESTS / spec.manifest, stage / "AndroidManifest.xml")
    if spec.icon:
        variant = spec.clone.icon_variant if spec.clone else None
        for density, px in DENSITIES:
            folder = res / f"{spec.icon.folder}-{density}"
            folder.mkdir(exist_ok=True)
            png = draw_icon(px, spec.icon)
            (folder / f"{spec.icon.name}.png").write_bytes(vary_icon(png, variant) if variant else png)
    fix_mtimes(stage)

    base = work / "base.apk"
    cmd = [AAPT, "package", "-f", "-M", str(stage / "AndroidManifest.xml")]
    if any(res.iterdir()):
        cmd += ["-S", str(res)]
    if (stage / "assets").is_dir():
        cmd += ["-A", str(stage / "assets")]
    run([*cmd, "-I", FRAMEWORK_RES, "-F", str(base)])
    if spec.native_abis:
        add_zip_entries(
            base,
            [
                (f"lib/{abi}/lib{spec.package.rsplit('.', 1)[-1]}.so", placeholder_elf(abi))
                for abi in sorted(spec.native_abis)
            ],
        )

    if spec.code:
        code = _fixture_code().FIXTURES[spec.code]()
        add_zip_entries(base, [("classes.dex", code.dex), *code.files])

    if spec.manifest_namespace:
        replace_manifest_namespace(base, spec.manifest_namespace)

    out = out_dir / spec.file
    key_names = set(spec.signing.values())
    if not spec.signing:
        shutil.copyfile(base, out)
    elif len(key_names) == 1:
        apksigner_sign(base, out, keys[key_names.pop()], spec.signing)
    elif set(spec.signing) == {"v1", "v2"}:
        # JAR signature (with apksigner's anti-stripping header) by one key; the v2 block by another.
        first, second = keys[spec.signing["v1"]], keys[spec.signing["v2"]]
        check_v2_signer_against_apksigner(work, base, second)
        v12 = work / "v1v2-first-key.apk"
        apksigner_sign(base, v12, first, ["v1", "v2"])
        out.write_bytes(add_v2_signature(strip_signing_block(v12.read_bytes()), second))
    else:
        raise BuildError(f"{spec.file}: unsupported signing plan {spec.signing}")
    return out


def index_entry(spec: Spec, apk: Path, keys: dict[str, Key], subjects: dict[str, str]) -> dict[str, Any]:
    data = apk.read_bytes()
    by_key: dict[str, list[str]] = {}
    for scheme in SCHEMES:
        if scheme in spec.signing:
            by_key.setdefault(spec.signing[scheme], []).append(scheme)
    signers = [
        {"sha256": keys[k].cert_sha256, "subject": subjects[k], "schemes": s, "key": k} for k, s in by_key.items()
    ]
    requested = [p for p in spec.permissions if p.source != "implied"]
    entry = {
        "file": spec.file,
        "package": spec.package,
        "label": spec.label,
        "version_code": spec.version_code,
        "developer": spec.developer,
        "tier": spec.tier,
        "kind": spec.kind,
        "notes": spec.notes,
        "version_name": spec.version_name,
        "localized_labels": dict(spec.localized_labels),
        "min_sdk": spec.min_sdk,
        "target_sdk": spec.target_sdk,
        "permissions": sorted(p.name for p in requested),
        "implied_permissions": sorted(p.name for p in spec.permissions if p.source == "implied"),
        "permission_requests": [{"name": p.name, "source": p.source, "max_sdk": p.max_sdk} for p in spec.permissions],
        "activities": list(spec.activities),
        "receivers": list(spec.receivers),
        "has_icon": spec.icon is not None,
        "adaptive_icon": spec.adaptive_icon,
        "native_abis": sorted(spec.native_abis),
        "schemes": [s for s in SCHEMES if s in spec.signing],
        "signers": signers,
        "verifies": spec.verifies,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if spec.manifest_namespace:  # only where set: the other entries keep the shape they had
        entry["manifest_namespace"] = spec.manifest_namespace
    if spec.clone:  # after "kind": what the fixture is to its original
        (key,) = set(spec.signing.values())
        clone: dict[str, Any] = {"signer": key, "original": spec.clone.original, "tricks": list(spec.clone.tricks)}
        if spec.clone.resembles:
            clone["resembles"] = spec.clone.resembles
        items = list(entry.items())
        at = [k for k, _ in items].index("kind") + 1
        entry = dict(items[:at] + list(clone.items()) + items[at:])
    if spec.code:
        code = _fixture_code().FIXTURES[spec.code]()
        entry["dex"] = {
            "classes": sorted(c.name for c in code.classes),
            "calls": list(code.calls),
            "files": {name: sorted(classes) for name, classes in code.file_classes.items()},
        }
    return entry


def cert_subject(key: Key) -> str:
    """The certificate DN in the form `apksigner verify --print-certs` prints it."""
    from cryptography import x509

    cert = x509.load_der_x509_certificate(key.cert_der)
    return ", ".join(rdn.rfc4514_string() for rdn in reversed(cert.subject.rdns))


def build_all(out_root: Path) -> dict[str, Path]:
    """Build every spec into out_root/<dest>/, write index.json files there; return dest -> folder."""
    require_tools()
    keys = {name: load_key(name) for name in sorted({k for s in SPECS for k in s.signing.values()})}
    subjects = {name: cert_subject(k) for name, k in keys.items()}
    dirs = {dest: out_root / dest for dest in OUTPUT_DIRS}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="demo-apks-") as tmp,
        concurrent.futures.ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool,
    ):
        futures = {spec.file: pool.submit(build_one, spec, Path(tmp), dirs[spec.dest], keys) for spec in SPECS}
        outputs = {name: f.result() for name, f in futures.items()}
    for dest, folder in dirs.items():
        entries = [index_entry(s, outputs[s.file], keys, subjects) for s in SPECS if s.dest == dest]
        write_index(folder / "index.json", entries)
    return dirs


def write_index(path: Path, entries: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------- verification

_BADGING_KV = re.compile(r"(\w+)='([^']*)'")


@dataclasses.dataclass
class Badging:
    package: str | None = None
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    label: str | None = None
    localized_labels: dict[str, str] = dataclasses.field(default_factory=dict)
    icons: dict[str, str] = dataclasses.field(default_factory=dict)  # density -> path
    app_icon: str = ""
    permissions: list[tuple[str, str, int | None]] = dataclasses.field(default_factory=list)
    implied: list[tuple[str, int | None]] = dataclasses.field(default_factory=list)
    activities: list[str] = dataclasses.field(default_factory=list)
    native_abis: list[str] = dataclasses.field(default_factory=list)


def parse_badging(text: str) -> Badging:
    b = Badging()
    for line in text.splitlines():
        head, _, rest = line.partition(":")
        kv = dict(_BADGING_KV.findall(rest))
        if head == "package":
            b.package = kv.get("name")
            b.version_code = int(kv["versionCode"]) if kv.get("versionCode") else None
            b.version_name = kv.get("versionName")
        elif head == "sdkVersion":
            b.min_sdk = int(rest.strip("'"))
        elif head == "targetSdkVersion":
            b.target_sdk = int(rest.strip("'"))
        elif head == "application-label":
            b.label = rest[1:-1]
        elif head.startswith("application-label-"):
            b.localized_labels[head.removeprefix("application-label-")] = rest[1:-1]
        elif head.startswith("application-icon-"):
            b.icons[head.removeprefix("application-icon-")] = rest[1:-1]
        elif head == "application":
            b.app_icon = kv.get("icon", "")
        elif head in ("uses-permission", "uses-permission-sdk-23"):
            max_sdk = int(kv["maxSdkVersion"]) if "maxSdkVersion" in kv else None
            b.permissions.append((kv["name"], head, max_sdk))
        elif head == "uses-implied-permission":
            b.implied.append((kv["name"], int(kv["maxSdkVersion"]) if "maxSdkVersion" in kv else None))
        elif head == "launchable-activity":
            b.activities.append(kv["name"])
        elif head == "native-code":
            b.native_abis = re.findall(r"'([^']+)'", rest)
    return b


_SCHEME_LINE = re.compile(r"Verified using (v\d) scheme[^:]*: (true|false)")
_CERT_LINE = re.compile(r"Signer #\d+ certificate SHA-256 digest: ([0-9a-f]{64})")
_DN_LINE = re.compile(r"Signer #\d+ certificate DN: (.*)")


@dataclasses.dataclass
class Verification:
    verifies: bool
    schemes: list[str]
    certs: list[str]
    subjects: list[str]
    text: str


def apksigner_verify(apk: Path, *extra: str) -> Verification:
    proc = run([APKSIGNER, "verify", "-v", "--print-certs", *extra, str(apk)], check=False)
    text = proc.stdout + proc.stderr
    first = text.strip().splitlines()[0] if text.strip() else ""
    verifies = proc.returncode == 0 and first == "Verifies"
    schemes = [s for s, ok in _SCHEME_LINE.findall(text) if ok == "true" and s in SCHEMES]
    return Verification(verifies, schemes, _CERT_LINE.findall(text), _DN_LINE.findall(text), text)


def verify_outputs(dirs: dict[str, Path]) -> list[str]:
    """Check every APK of every index.json with aapt and apksigner; return the problems found."""
    require_tools()
    jobs: list[tuple[Path, dict[str, Any]]] = []
    for folder in dirs.values():
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        listed = {e["file"] for e in index}
        for apk in sorted(folder.glob("*.apk")):
            if apk.name not in listed:
                jobs.append((apk, {}))
        jobs.extend((folder / e["file"], e) for e in index)

    def check(apk: Path, entry: dict[str, Any]) -> list[str]:
        if not entry:
            return [f"{apk}: not listed in index.json"]
        if not apk.exists():
            return [f"{apk}: missing"]
        problems: list[str] = []

        def expect(what: str, got: Any, want: Any) -> None:
            if got != want:
                problems.append(f"{apk.name}: {what}: tools say {got!r}, index.json says {want!r}")

        data = apk.read_bytes()
        expect("size", len(data), entry["size"])
        expect("sha256", hashlib.sha256(data).hexdigest(), entry["sha256"])

        badging = run([AAPT, "dump", "badging", str(apk)], check=False)
        if badging.returncode != 0:
            return [*problems, f"{apk.name}: aapt dump badging failed: {badging.stderr.strip()}"]
        b = parse_badging(badging.stdout)
        expect("package", b.package, entry["package"])
        expect("versionCode", b.version_code, entry["version_code"])
        expect("versionName", b.version_name, entry["version_name"])
        expect("label", b.label, entry["label"])
        expect("localized labels", b.localized_labels, entry["localized_labels"])
        expect("minSdk", b.min_sdk, entry["min_sdk"])
        expect("targetSdk", b.target_sdk, entry["target_sdk"])  # aapt prints none when the manifest has none
        # aapt lists an implied permission twice: as uses-permission and as uses-implied-permission.
        implied = {name for name, _ in b.implied}
        want = sorted(((p["name"], p["source"], p["max_sdk"]) for p in entry["permission_requests"]), key=str)
        got = sorted(
            [p for p in b.permissions if p[0] not in implied]
            + [(name, "implied", max_sdk) for name, max_sdk in b.implied],
            key=str,
        )
        expect("permission requests", got, want)
        expect("permissions", sorted(p[0] for p in b.permissions if p[0] not in implied), entry["permissions"])
        expect("implied permissions", sorted(implied), entry["implied_permissions"])
        expect("launchable activities", b.activities, entry["activities"][:1])
        expect("native ABIs", sorted(b.native_abis), entry["native_abis"])
        expect("has icon", bool(b.app_icon), entry["has_icon"])
        if entry["has_icon"]:
            dpis = {str(DENSITY_DPI[d]) for d, _ in DENSITIES}
            if not dpis <= set(b.icons):
                problems.append(f"{apk.name}: icon densities {sorted(b.icons)} lack some of {sorted(dpis)}")
            expect("adaptive icon", b.app_icon.endswith(".xml"), entry["adaptive_icon"])
            # A PNG of the launcher icon in every density folder (the fallbacks, for an adaptive icon).
            m = re.fullmatch(r"res/(\w+)-[\w-]+/(\w+)\.(png|xml)", b.app_icon)
            with zipfile.ZipFile(apk) as zf:
                names = zf.namelist()
            found = set()
            if m:
                pat = re.compile(rf"res/{m.group(1)}-(\w+dpi)(-v\d+)?/{m.group(2)}\.png")
                found = {pm.group(1) for n in names if (pm := pat.fullmatch(n))}
            expect("icon PNG densities", sorted(found), sorted(d for d, _ in DENSITIES))
        else:
            expect("icon densities", b.icons, {})
        components = _manifest_components(apk)
        expect("activities", components["activity"], entry["activities"])
        expect("receivers", components["receiver"], entry["receivers"])
        namespaces = re.findall(r"^N: android=(\S+)$", _xmltree(apk), re.M)
        expect("android namespace URI", namespaces, [entry.get("manifest_namespace", ANDROID_NS)])
        with zipfile.ZipFile(apk) as zf:
            has_code = "classes.dex" in zf.namelist()
        expect("has classes.dex", has_code, "dex" in entry)
        if "dex" in entry and has_code:
            problems.extend(check_code(apk, entry["dex"]))

        # signatures
        v = apksigner_verify(apk)
        expect("apksigner verifies", v.verifies, entry["verifies"])
        if entry["verifies"]:
            expect("schemes", v.schemes, entry["schemes"])
            expect("signer certificates", v.certs, [s["sha256"] for s in entry["signers"]])
            expect("signer subjects", v.subjects, [s["subject"] for s in entry["signers"]])
        elif entry["schemes"]:
            # Several signers: each scheme alone must verify with its own certificate.
            for s in entry["signers"]:
                for scheme in s["schemes"]:
                    sdk = ["--max-sdk-version", "23"] if scheme == "v1" else ["--min-sdk-version", "24"]
                    if scheme == "v3":
                        sdk = ["--min-sdk-version", "28"]
                    alone = apksigner_verify(apk, *sdk)
                    expect(f"{scheme} alone verifies", alone.verifies, True)
                    expect(f"{scheme} signer", alone.certs, [s["sha256"]])
                    expect(f"{scheme} signer subject", alone.subjects, [s["subject"]])
        else:
            _, block, _, _ = split_signing_block(data)
            with zipfile.ZipFile(apk) as zf:
                meta = [n for n in zf.namelist() if n.upper().startswith("META-INF/")]
            expect("APK Signing Block present", block is not None, False)
            expect("META-INF entries", meta, [])
        return problems

    problems: list[str] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(12, (os.cpu_count() or 2) * 2)) as pool:
        for result in pool.map(lambda job: check(*job), jobs):
            problems.extend(result)

    # Demo premises that involve two files.
    for spec in SPECS:
        if spec.same_icon_as:
            other = next(s for s in SPECS if s.file == spec.same_icon_as)
            a, b = dirs[spec.dest] / spec.file, dirs[other.dest] / other.file
            if a.exists() and b.exists() and _icon_bytes(a) != _icon_bytes(b):
                problems.append(f"{spec.file}: icon is not byte-identical to {other.file}'s")
    if "clones" in dirs:
        problems.extend(check_clone_premises(dirs["clones"]))
    return problems


def _same_entries(za: zipfile.ZipFile, zb: zipfile.ZipFile, names: Iterable[str]) -> bool:
    """Every named entry of zb is in za with the same bytes."""
    mine = set(za.namelist())
    return all(n in mine and za.read(n) == zb.read(n) for n in names)


def check_clone_premises(folder: Path) -> list[str]:
    """What the clone fixtures' index.json says of each file and its original holds in the files: a
    counterfeit or unrelated app has another signer, an update or a sibling the same; each trick is there."""
    index = {e["file"]: e for e in json.loads((folder / "index.json").read_text(encoding="utf-8"))}
    problems: list[str] = []
    for name, entry in index.items():
        if any(not (folder / f).exists() for f in (name, entry["original"] or name)):
            continue  # reported as missing already
        kind, tricks = entry.get("kind"), set(entry.get("tricks", ()))
        if kind not in CLONE_KINDS or not tricks <= set(CLONE_TRICKS):
            problems.append(f"{name}: kind {kind!r} or tricks {sorted(tricks)} unknown")
            continue
        if (kind == "counterfeit") != bool(tricks):
            problems.append(f"{name}: a counterfeit needs tricks, and only a counterfeit has them")
        if (kind == "original") != (entry["original"] is None and "resembles" not in entry):
            problems.append(f"{name}: an original names no original; every other fixture names one or resembles one")
        other = entry["original"] or entry.get("resembles")
        if not other:
            continue
        orig = index.get(other)
        if orig is None or orig["kind"] != "original":
            problems.append(f"{name}: {other} is not an original of this index")
            continue
        same_key = [s["sha256"] for s in entry["signers"]] == [s["sha256"] for s in orig["signers"]]
        if same_key != (kind in ("update", "sibling")):
            problems.append(f"{name}: signer {'equals' if same_key else 'differs from'} {other}'s, but kind is {kind}")
        if kind == "update" and not (
            entry["package"] == orig["package"] and entry["version_code"] > orig["version_code"]
        ):
            problems.append(f"{name}: an update has the package of {other} and a higher versionCode")

        a, b = folder / name, folder / other
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            theirs = set(zb.namelist())

            def same(names: Iterable[str]) -> bool:
                return _same_entries(za, zb, names)

            icons = sorted(n for n in theirs if re.fullmatch(r"res/mipmap-\w+(-v\d+)?/ic_launcher\.png", n))
            assets = sorted(n for n in theirs if n.startswith("assets/"))
            facts = {
                "same-label": entry["label"] == orig["label"],
                "same-package": entry["package"] == orig["package"],
                "icon-copied": bool(icons) and same(icons),
                "code-copied": same(["classes.dex"]),
                "assets-copied": bool(assets) and same(assets),
                "res-copied": same(n for n in theirs if n.startswith("res/raw/")),
                "repackaged": set(orig["dex"]["classes"]) < set(entry["dex"]["classes"])
                and len(entry["dex"]["classes"]) == len(orig["dex"]["classes"]) + 1,
            }
            variants = {"icon-recolor", "icon-crop-pad", "icon-badge"}
            if tricks & variants:  # every density redrawn, none the original's
                facts.update(dict.fromkeys(tricks & variants, bool(icons) and not any(same([n]) for n in icons)))
        for trick, holds in facts.items():
            if kind == "counterfeit" and (trick in tricks) != holds:
                problems.append(f"{name}: {trick} is {'' if holds else 'not '}true of it and {other}")
        for trick, holds in facts.items():
            if trick in tricks & variants and not holds:
                problems.append(f"{name}: {trick}: an icon PNG is still the original's")
    return problems


def dexdump(data: bytes) -> subprocess.CompletedProcess[str]:
    """`dexdump -d` of DEX bytes: ART's verifier runs first (checksum, signature, sorted tables, map list)."""
    with tempfile.TemporaryDirectory(prefix="demo-apks-dex-") as tmp:
        path = Path(tmp) / "classes.dex"
        path.write_bytes(data)
        return run([DEXDUMP, "-d", str(path)], check=False)


def check_code(apk: Path, expected: dict[str, Any]) -> list[str]:
    """Every DEX file of an APK with code (classes.dex and those in the JARs it carries) passes dexdump's
    verification, defines the classes index.json lists, and classes.dex invokes the methods it lists."""
    problems: list[str] = []
    with zipfile.ZipFile(apk) as zf:
        dexes = {"classes.dex": (zf.read("classes.dex"), expected["classes"])}
        for name, classes in expected["files"].items():
            with zipfile.ZipFile(io.BytesIO(zf.read(name))) as inner:
                dexes[f"{name}!classes.dex"] = (inner.read("classes.dex"), classes)
    for label, (data, classes) in dexes.items():
        proc = dexdump(data)
        failure = re.search(r"Failure to verify[^\n]*", proc.stderr)
        if proc.returncode != 0 or failure:
            problems.append(f"{apk.name}: {label}: dexdump: {failure.group() if failure else proc.stderr.strip()}")
            continue
        found = sorted(re.findall(r"^  Class descriptor  : '([^']+)'$", proc.stdout, re.M))
        if found != sorted(classes):
            problems.append(f"{apk.name}: {label}: dexdump says classes {found}, index.json says {sorted(classes)}")
        if label == "classes.dex":
            invoked = set(re.findall(r"\|[0-9a-f]{4}: invoke-[\w/-]+ \{[^}]*\}, (\S+) // method@", proc.stdout))
            missing = [call for call in expected["calls"] if call not in invoked]
            if missing:
                problems.append(f"{apk.name}: classes.dex: dexdump shows no invoke of {missing}")
    return problems


def _icon_bytes(apk: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(apk) as zf:
        return {n: zf.read(n) for n in sorted(zf.namelist()) if n.endswith(".png")}


def _xmltree(apk: Path) -> str:
    return run([AAPT, "dump", "xmltree", str(apk), "AndroidManifest.xml"]).stdout


def _manifest_components(apk: Path) -> dict[str, list[str]]:
    """Fully qualified activity and receiver names, from `aapt dump xmltree` of the manifest."""
    tree = _xmltree(apk)
    package = re.search(r'A: package="([^"]+)"', tree)
    pkg = package.group(1) if package else ""
    found: dict[str, list[str]] = {"activity": [], "receiver": []}
    current: str | None = None
    for line in tree.splitlines():
        el = re.match(r"\s*E: (\w[\w-]*) ", line)
        if el:
            current = el.group(1)
            continue
        attr = re.match(r'\s*A: android:name\(0x[0-9a-f]+\)="([^"]+)"', line)
        if attr and current in found:
            name = attr.group(1)
            found[current].append(pkg + name if name.startswith(".") else name)
            current = None
    return found


# --------------------------------------------------------------------------------------------- main


def compare_trees(built: dict[str, Path], committed: dict[str, Path]) -> list[str]:
    problems = []
    for dest, folder in built.items():
        names = sorted(p.name for p in folder.iterdir())
        for name in names:
            theirs = committed[dest] / name
            if not theirs.exists():
                problems.append(f"{theirs}: missing (the build makes it)")
            elif theirs.read_bytes() != (folder / name).read_bytes():
                problems.append(f"{theirs}: differs from a fresh build")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="build in a temporary folder and compare with the committed outputs"
    )
    mode.add_argument("--verify-only", action="store_true", help="only verify the committed outputs against index.json")
    mode.add_argument("--make-keys", action="store_true", help="create missing keys in keys/ with openssl")
    args = parser.parse_args(argv)

    try:
        if args.make_keys:
            make_keys()
            return 0
        if args.verify_only:
            problems = verify_outputs(OUTPUT_DIRS)
        else:
            with tempfile.TemporaryDirectory(prefix="demo-apks-out-") as tmp:
                built = build_all(Path(tmp))
                problems = verify_outputs(built)
                if not problems and args.check:
                    problems = compare_trees(built, OUTPUT_DIRS)
                elif not problems:
                    for dest, folder in built.items():
                        OUTPUT_DIRS[dest].mkdir(parents=True, exist_ok=True)
                        for f in sorted(folder.iterdir()):
                            shutil.copyfile(f, OUTPUT_DIRS[dest] / f.name)
                    # Read back what is now in the repository, including any stray *.apk not in index.json.
                    problems = verify_outputs(OUTPUT_DIRS)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2

    if problems:
        print("build.py: FAILED", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if args.check:
        print("build.py: OK (a fresh build is byte-identical to the committed outputs)")
        return 0
    for folder in OUTPUT_DIRS.values():
        for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
            schemes = "+".join(entry["schemes"]) or "unsigned"
            note = "" if entry["verifies"] else " (does not verify, by design)"
            print(f"{folder.relative_to(REPO)}/{entry['file']}: {entry['size']} bytes, {schemes}{note}")
    print("build.py: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
