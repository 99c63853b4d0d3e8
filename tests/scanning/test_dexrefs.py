"""DEX references read from the tables and code items agree with AOSP's dexdump, in Android's load order,
within caps; a damaged DEX file gives what could be read and a note, never an exception."""

from __future__ import annotations

import io
import json
import random
import re
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk.dex import java_name
from reviewer_app.apk.safezip import SafeZip
from reviewer_app.scanning.dexrefs import DexLimits, DexRefs, MethodRef, decode_mutf8, read_apk_dex, read_dex, read_zip
from tests.conftest import TEST_APKS
from tests.corpus import malware_files, need_corpus, need_malware, need_tool

CODE_APKS = [e["file"] for e in json.loads((TEST_APKS / "index.json").read_text(encoding="utf-8")) if "dex" in e]
SEND_TEXT = MethodRef(
    "android.telephony.SmsManager",
    "sendTextMessage",
    "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V",
)


def _index(name: str) -> dict:
    return next(e for e in json.loads((TEST_APKS / "index.json").read_text(encoding="utf-8")) if e["file"] == name)


def _dex_of(apk: Path, entry: str = "classes.dex") -> bytes:
    with zipfile.ZipFile(apk) as zf:
        return zf.read(entry)


def _zip(entries: dict[str, bytes]) -> SafeZip:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return SafeZip(buffer.getvalue())


# -- what dexdump says ---------------------------------------------------------------------------------


def dexdump_view(dexdump: str, path: Path) -> dict[str, dict[str, set]]:
    """Per class, from `dexdump -d`: the invoked methods, const-string values, const-class types and the
    integer literals of const/16 and const."""
    out = subprocess.run([dexdump, "-d", str(path)], capture_output=True, text=True, errors="replace", timeout=120)
    assert out.returncode == 0, out.stderr
    view: dict[str, dict[str, set]] = {}
    current: dict[str, set] = {}
    for line in out.stdout.splitlines():
        if m := re.match(r"  Class descriptor  : '(.*)'", line):
            current = view.setdefault(java_name(m.group(1)), {"calls": set(), "strings": set(), "types": set(),
                                                                "literals": set()})  # fmt: skip
        elif m := re.search(
            r"\|[0-9a-f]{4}: invoke-[\w/-]+ \{[^}]*\}, (L[^;]+;|\[[^.]+)\.([^:]+):(\S+) // method@", line
        ):
            current["calls"].add(MethodRef(java_name(m.group(1)), m.group(2), m.group(3)))
        elif m := re.search(r'\|[0-9a-f]{4}: const-string(?:/jumbo)? v\d+, "(.*)" // string@', line):
            current["strings"].add(m.group(1))
        elif m := re.search(r"\|[0-9a-f]{4}: const-class v\d+, (\S+) // type@", line):
            current["types"].add(java_name(m.group(1)))
        elif m := re.search(r"\|[0-9a-f]{4}: const(/16)? v\d+, #\w+ \S+ // #([0-9a-f]+)", line):
            value, bits = int(m.group(2), 16), 16 if m.group(1) else 32
            current["literals"].add(value - (1 << bits) if value >> (bits - 1) else value)
    return view


def assert_agrees_with_dexdump(dexdump: str, data: bytes, tmp_path: Path) -> int:
    """Every class's calls, const-class types and literals are exactly dexdump's; the plain const-strings
    dexdump prints (no escapes) are among its constants. Returns the number of classes compared."""
    path = tmp_path / "classes.dex"
    path.write_bytes(data)
    view = dexdump_view(dexdump, path)
    refs = read_dex(data)
    assert refs.notes == [] and refs.code_read
    assert set(view) == refs.classes
    for cls, seen in view.items():
        assert refs.calls.get(cls, set()) == seen["calls"], cls
        assert refs.class_refs.get(cls, set()) == seen["types"], cls
        assert refs.literals.get(cls, set()) == seen["literals"], cls
        plain = {s for s in seen["strings"] if s.isascii() and "\\" not in s and len(s) < 4096}
        assert plain <= refs.constants.get(cls, set()), cls
    return len(view)


@pytest.mark.parametrize("name", CODE_APKS)
def test_the_test_apks_code_is_read_as_dexdump_reads_it(name, tmp_path):
    dexdump = need_tool("dexdump")
    assert assert_agrees_with_dexdump(dexdump, _dex_of(TEST_APKS / name), tmp_path) == len(
        _index(name)["dex"]["classes"]
    )


@pytest.mark.corpus
def test_a_large_app_and_the_malware_are_read_as_dexdump_reads_them(tmp_path):
    dexdump = need_tool("dexdump")
    weardrawers = need_corpus() / "com.example.android.wearable.wear.weardrawers.apk"
    compared = 0
    for entry in ("classes.dex", "classes2.dex"):
        compared += assert_agrees_with_dexdump(dexdump, _dex_of(weardrawers, entry), tmp_path)
    assert compared == 3055
    for sample in malware_files()[::4] or [need_malware()]:
        assert_agrees_with_dexdump(dexdump, _dex_of(sample), tmp_path)


# -- what the rules need, on the test APKs -----------------------------------------------------------


def test_calls_constants_classes_and_literals_of_the_sms_kit():
    refs = read_apk_dex(TEST_APKS / "sms-premium.apk")
    pkg = "com.example.fixture.smspremium."
    assert refs.files == ["classes.dex"]
    assert refs.classes == {java_name(c) for c in _index("sms-premium.apk")["dex"]["classes"]}
    assert SEND_TEXT in refs.calls[pkg + "ChargeService"]
    assert SEND_TEXT in refs.methods
    assert refs.callers("android.telephony.SmsManager", "sendTextMessage") == [pkg + "ChargeService"]
    assert {"1065880021", "83120", "KJ01", "phone"} <= refs.constants[pkg + "ChargeService"]
    assert refs.users("content://sms/inbox") == [pkg + "SmsInterceptor"]
    assert MethodRef(pkg + "SmsInterceptor", "abortBroadcast", "()V") in refs.calls[pkg + "SmsInterceptor"]
    assert refs.superclasses[pkg + "SmsInterceptor"] == "android.content.BroadcastReceiver"
    assert refs.class_refs[pkg + "MainActivity"] == {pkg + "ChargeService"}  # new Intent(this, ChargeService.class)


def test_literals_and_const_class_of_the_locker_and_the_hidden_icon():
    locker = read_apk_dex(TEST_APKS / "admin-locker.apk")
    assert 2010 in locker.literals["com.example.fixture.locker.LockService"]  # TYPE_SYSTEM_ERROR
    hidden = read_apk_dex(TEST_APKS / "hidden-icon.apk")
    main = "com.example.fixture.hiddenicon.MainActivity"
    assert main in hidden.class_refs[main]  # new ComponentName(this, MainActivity.class)


def test_an_embedded_jar_is_read_and_merged_first_definition_first():
    loader = TEST_APKS / "dynamic-loader.apk"
    with zipfile.ZipFile(loader) as zf:
        plugin = read_zip(SafeZip(zf.read("assets/plugin.jar")))
    assert plugin.classes == {"com.example.plugin.Entry"}
    assert "su -c id" in plugin.constants["com.example.plugin.Entry"]
    host = read_apk_dex(loader)
    host.merge(plugin, "assets/plugin.jar!")
    assert host.files == ["classes.dex", "assets/plugin.jar!classes.dex"]
    assert host.users("su -c id") == ["com.example.plugin.Entry"]
    again = DexRefs(classes={"com.example.plugin.Entry"})
    again.merge(plugin)
    assert "com.example.plugin.Entry" not in again.constants  # the class already defined wins


# -- load order ----------------------------------------------------------------------------------------


def test_dex_files_are_read_in_androids_order_and_a_gap_ends_it():
    first = _dex_of(TEST_APKS / "plain.apk")
    second = _dex_of(TEST_APKS / "sms-compose.apk")
    third = _dex_of(TEST_APKS / "hidden-icon.apk")
    refs = read_zip(_zip({"classes3.dex": third, "classes2.dex": second, "classes.dex": first}))
    assert refs.files == ["classes.dex", "classes2.dex", "classes3.dex"]
    assert "com.example.fixture.hiddenicon.MainActivity" in refs.classes
    gap = read_zip(_zip({"classes.dex": first, "classes3.dex": third}))
    assert gap.files == ["classes.dex"]
    assert "com.example.fixture.hiddenicon.MainActivity" not in gap.classes
    assert any("classes3.dex" in note and "not loaded by Android" in note for note in gap.notes)


@pytest.mark.corpus
def test_the_corpus_multidex_app_is_read_from_both_files():
    refs = read_apk_dex(need_corpus() / "multidex.apk")
    assert refs.files == ["classes.dex", "classes2.dex"]
    assert refs.notes == []


# -- damage and caps -----------------------------------------------------------------------------------


def test_a_damaged_dex_gives_what_could_be_read_and_a_note():
    good = _dex_of(TEST_APKS / "sms-premium.apk")
    whole = read_dex(good)
    for cut in (0x20, 0x70, len(good) // 3, len(good) // 2, len(good) - 40):
        refs = read_dex(good[:cut])
        assert refs.notes, cut
        assert refs.classes <= whole.classes
        assert len(refs.strings - whole.strings) <= 1  # the string the cut runs through, as far as it goes
    half = read_dex(good[: len(good) // 2])
    assert half.strings and not half.code_read  # the strings before the cut, no class
    assert any(f"the header says {len(good)} bytes" in note for note in half.notes)
    tail = read_dex(good[:-40])  # only the map list is gone: all the code is there
    assert tail.classes == whole.classes and tail.calls == whole.calls
    flipped = bytearray(good)
    flipped[-8] ^= 1
    assert read_dex(bytes(flipped)).notes == ["classes.dex: the header's checksum does not match the file's content"]

    def patched(offset: int, value: int) -> bytes:
        data = bytearray(good)
        struct.pack_into("<I", data, offset, value)
        return bytes(data)

    for offset in (0x38, 0x3C, 0x44, 0x58, 0x5C, 0x60, 0x64):  # table sizes and offsets
        refs = read_dex(patched(offset, 0xFFFFFFF0))
        assert refs.notes, hex(offset)
    not_dex = read_dex(b"this is not a DEX file at all" * 10)
    assert not_dex.notes == ["classes.dex is not a DEX file"] and not not_dex.classes


def test_a_class_whose_code_offset_is_bogus_costs_that_class_only():
    data = bytearray(_dex_of(TEST_APKS / "sms-premium.apk"))
    count, offset = struct.unpack_from("<II", data, 0x60)
    struct.pack_into("<I", data, offset + 32 * 0 + 24, len(data) - 2)  # class_data_off of the first class
    refs = read_dex(bytes(data))
    assert len(refs.classes) == count
    assert not refs.code_read and refs.notes
    assert refs.callers("android.telephony.SmsManager", "sendTextMessage")  # the other classes were read


def test_random_damage_never_raises():
    good = _dex_of(TEST_APKS / "admin-locker.apk")
    rng = random.Random(20240601)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256)
        read_dex(bytes(data), limits=DexLimits(max_seconds=5))


def test_caps_stop_the_reading_with_a_note():
    data = _dex_of(TEST_APKS / "sms-premium.apk")
    few_strings = read_dex(data, limits=DexLimits(max_strings=10))
    assert len(few_strings.strings) <= 10
    assert any("strings read (cap)" in note for note in few_strings.notes)
    little_code = read_dex(data, limits=DexLimits(max_code_units=20))
    assert not little_code.code_read and any("code units" in note for note in little_code.notes)
    no_time = read_dex(data, limits=DexLimits(max_seconds=0))
    assert not no_time.code_read and any("s spent (cap)" in note for note in no_time.notes)
    few_files = read_zip(_zip({"classes.dex": data, "classes2.dex": data}), DexLimits(max_dex_files=1))
    assert few_files.files == ["classes.dex"]


def test_modified_utf8_strings():
    assert decode_mutf8(b"plain") == "plain"
    assert decode_mutf8(b"a\xc0\x80b") == "a\0b"  # NUL is two bytes in DEX strings
    assert decode_mutf8("短信".encode()) == "短信"
    assert decode_mutf8(b"\xed\xa0\xbd\xed\xb8\x80") == "\U0001f600"  # a surrogate pair, each half encoded
    assert decode_mutf8(b"\xff\xfe") == "\ufffd\ufffd"


# -- speed ---------------------------------------------------------------------------------------------


@pytest.mark.corpus
def test_a_large_app_is_read_in_well_under_a_second_or_two():
    """weardrawers (2.5 MB, 3,055 classes, 33,649 calls): 0.24 s on the development machine."""
    path = need_corpus() / "com.example.android.wearable.wear.weardrawers.apk"
    started = time.perf_counter()
    refs = read_apk_dex(path)
    elapsed = time.perf_counter() - started
    assert len(refs.classes) == 3055 and sum(len(c) for c in refs.calls.values()) == 33649
    assert elapsed < 2.0, elapsed
