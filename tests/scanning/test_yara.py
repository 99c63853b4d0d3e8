"""The YARA engine with real yara-x: the shipped rules on APKs built here, on the project's demo APKs, on the
benign corpus and on the malware samples; rule folders of the store's own; the archive's caps."""

from __future__ import annotations

import io
import subprocess
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

from reviewer_app.apk.limits import ParseLimits
from reviewer_app.scanning import Verdict
from reviewer_app.scanning.yara_engine import YaraEngine, excerpt_of, shipped_rules_dir
from tests.conftest import DEMO_APKS, ROOT, TEST_APKS
from tests.corpus import corpus_files, malware_files, need_corpus, need_malware, need_tool
from tests.scanning.conftest import build_apk, build_dex, need_yara_x

NOTES = DEMO_APKS / "com.example.notes_1.apk"


@pytest.fixture(scope="module")
def engine() -> YaraEngine:
    need_yara_x()
    return YaraEngine()


def detected(result) -> set[str]:
    return set(result.detections)


def test_the_shipped_rules_compile_and_say_what_they_are(engine):
    files = sorted(p.name for p in shipped_rules_dir().glob("*.yar"))
    assert files == ["embedded.yar", "packers.yar", "sms_fraud.yar"]
    result = engine.scan(NOTES)
    assert result.engine_version.startswith("yara-x ")
    assert result.signatures_version.startswith("shipped rules: ") and ", 3 files sha256:" in result.signatures_version
    assert int(result.signatures_version.split(": ")[1].split()[0]) >= 10  # rules counted by yara-x


def test_the_shipped_rules_go_into_the_wheel():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["reviewer_app.resources"]
    shipped = sorted(p.name for p in (ROOT / "resources" / "yara").iterdir())
    assert shipped and all(any(fnmatch(f"yara/{name}", pattern) for pattern in patterns) for name in shipped)
    assert shipped_rules_dir() == ROOT / "resources" / "yara"


def test_the_shipped_rules_say_what_they_look_for_and_why(engine):
    yara_x = need_yara_x()
    for path in shipped_rules_dir().glob("*.yar"):
        compiler = yara_x.Compiler()
        compiler.define_global("file_kind", "")
        compiler.define_global("file_name", "")
        compiler.add_source(path.read_text(encoding="utf-8"))
        for rule in compiler.build():
            meta = dict(rule.metadata)
            assert len(str(meta.get("description", ""))) > 40, (path.name, rule.identifier)
            assert len(str(meta.get("why", ""))) > 20, (path.name, rule.identifier)
            assert meta.get("verdict") == "suspicious", (path.name, rule.identifier)  # heuristics, never proof


# Test APKs built to carry what the rules look for (packaging/demo_apks: real DEX code): an SMS kit that
# texts a premium short code, and an app that loads a plugin DEX from its assets.
BUILT_TO_BE_CAUGHT = {
    "sms-premium.apk": ("sms_fraud:PremiumShortCodeNumber",),
    "dynamic-loader.apk": ("embedded:EmbeddedDex",),
}


def test_the_shipped_rules_fire_on_the_projects_own_apks_only_where_they_were_built_to(engine):
    apks = sorted(DEMO_APKS.glob("*.apk")) + sorted(TEST_APKS.glob("*.apk"))
    assert len(apks) >= 7
    results = {p.name: engine.scan(p) for p in apks}
    assert {name: r.detections for name, r in results.items() if r.detections} == BUILT_TO_BE_CAUGHT
    assert {r.verdict for name, r in results.items() if name not in BUILT_TO_BE_CAUGHT} == {Verdict.CLEAN}
    assert {results[name].verdict for name in BUILT_TO_BE_CAUGHT} == {Verdict.SUSPICIOUS}


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ("assets/libjiagu.so", "packers:Jiagu360"),
        ("lib/arm64-v8a/libjiagu_a64.so", "packers:Jiagu360"),
        ("assets/libsecexe.so", "packers:Bangcle"),
        ("assets/ijiami.dat", "packers:Ijiami"),
        ("lib/armeabi/libAPKProtect.so", "packers:APKProtect"),
        ("assets/libshella-2.10.so", "packers:TencentLegu"),
    ],
)
def test_a_packers_loader_library_in_the_archive_is_named(engine, tmp_path, entry, rule):
    apk = build_apk(NOTES, tmp_path / "packed.apk", {entry: b"\x7fELF" + bytes(64)})
    result = engine.scan(apk)
    assert result.verdict == Verdict.SUSPICIOUS and detected(result) == {rule}
    (evidence,) = [e for e in result.evidence if e.rule == rule][:1]
    assert evidence.kind == "string" and evidence.detail.startswith("packed.apk @ 0x")


def test_the_dex_files_the_tests_build_are_real_dex_files(tmp_path):
    path = tmp_path / "classes.dex"
    path.write_bytes(build_dex(["Lcom/example/Main;", "sendTextMessage", "包月"]))
    proc = subprocess.run([need_tool("dexdump"), "-f", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "string_ids_size     : 3" in proc.stdout, proc.stdout + proc.stderr


def with_code(source: Path, target: Path, *strings: str) -> bytes:
    """An APK of the demo's with a classes.dex holding `strings`, as bytes."""
    return build_apk(source, target, {"classes.dex": build_dex(["Lcom/example/Main;", *strings])}).read_bytes()


def test_an_apk_inside_the_apk_is_found_and_a_misleading_name_is_said(engine, tmp_path):
    inner = with_code(DEMO_APKS / "com.example.wallet_120.apk", tmp_path / "inner.apk")
    resources_only = (DEMO_APKS / "com.example.wallet_120.apk").read_bytes()  # no code: a theme, a split
    honest = engine.scan(build_apk(NOTES, tmp_path / "plugin.apk", {"assets/plugin.apk": inner}))
    disguised = engine.scan(build_apk(NOTES, tmp_path / "dropper.apk", {"assets/libupdate.so": inner}))
    no_code = engine.scan(build_apk(NOTES, tmp_path / "theme.apk", {"assets/theme.apk": resources_only}))
    assert detected(honest) == {"embedded:EmbeddedApk"}
    assert detected(disguised) == {"embedded:EmbeddedApk", "embedded:EmbeddedApkDisguised"}
    assert no_code.verdict == Verdict.CLEAN
    where = {e.value if e.kind == "file" else e.detail.split(" @ ")[0] for e in disguised.evidence}
    assert where == {"assets/libupdate.so"}  # strings: "FILE @ 0xOFFSET"; a rule on the file's shape: the file
    manifest = [e for e in disguised.evidence if e.value.startswith("$manifest")]
    assert manifest and manifest[0].value == "$manifest: AndroidManifest.xml"


def test_dex_code_outside_androids_own_dex_files_is_found(engine, tmp_path):
    dex = build_dex(["Lcom/example/Payload;", "loadClass"])
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("classes.dex", dex)
    plain = engine.scan(build_apk(NOTES, tmp_path / "a.apk", {"assets/extra.dat": dex}))
    in_jar = engine.scan(build_apk(NOTES, tmp_path / "b.apk", {"assets/payload.jar": jar.getvalue()}))
    # Android stops at the first missing number: classes3.dex without classes2.dex is not loaded by it
    skipped = engine.scan(build_apk(NOTES, tmp_path / "c.apk", {"classes.dex": dex, "classes3.dex": dex}))
    loaded = engine.scan(build_apk(NOTES, tmp_path / "d.apk", {"classes.dex": dex, "classes2.dex": dex}))
    assert detected(plain) == detected(in_jar) == detected(skipped) == {"embedded:EmbeddedDex"}
    assert skipped.evidence[0].value == "classes3.dex" and skipped.evidence[0].kind == "file"
    assert loaded.verdict == Verdict.CLEAN  # a second DEX Android loads itself is ordinary multidex


@pytest.mark.parametrize(
    ("strings", "rules"),
    [
        # a premium SP access number, or the operator's service number, as strings of their own
        (["sendTextMessage", "1065800123456"], {"sms_fraud:PremiumShortCodeNumber"}),
        (["sendMultipartTextMessage", "10086"], {"sms_fraud:PremiumShortCodeNumber"}),
        (["sendTextMessage", "call 1065800123456 for help"], set()),  # inside a sentence: not a number string
        (["1065800123456", "10086"], set()),  # no SMS is sent
        # billing words next to reading the inbox or stopping incoming messages
        (["content://sms/inbox", "body like '%包月%'"], {"sms_fraud:BillingNoticeHiding"}),
        (["abortBroadcast", "信息费"], {"sms_fraud:BillingNoticeHiding"}),
        # a number table keyed by the SIM's operator codes
        (["sendTextMessage", "getSimOperator", "RUSSIA_MCC"], {"sms_fraud:PerOperatorSmsNumbers"}),
        (["sendTextMessage", "getNetworkOperator", "My MCCMNC: "], {"sms_fraud:PerOperatorSmsNumbers"}),
        # an SMS blocker sends, reads and aborts SMS and asks for the operator: none of that alone fires
        (
            [
                "sendTextMessage",
                "abortBroadcast",
                "content://sms",
                "getSimOperator",
                "android.provider.Telephony.SMS_RECEIVED",
            ],
            set(),
        ),
    ],
)
def test_sms_fraud_strings_in_the_code(engine, tmp_path, strings, rules):
    result = engine.scan(build_apk(NOTES, tmp_path / "sms.apk", {"classes.dex": build_dex(strings)}))
    assert detected(result) == rules
    assert all(e.detail.startswith("classes.dex @ 0x") for e in result.evidence)


def test_sms_fraud_strings_outside_the_code_do_not_fire_the_code_rules(engine, tmp_path):
    text = "sendTextMessage 1065800123456 content://sms 包月".encode()
    result = engine.scan(build_apk(NOTES, tmp_path / "text.apk", {"assets/readme.txt": text}, stored=True))
    assert result.verdict == Verdict.CLEAN


def write_rules(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_each_dex_is_scanned_as_itself_in_androids_order(tmp_path):
    need_yara_x()
    rules = write_rules(tmp_path / "rules", "store.yar", 'rule InDex { strings: $m = "secret-marker-in-dex" condition: file_kind == "dex" and $m }')  # fmt: skip
    first, second, third = build_dex(["a"]), build_dex(["b"]), build_dex(["secret-marker-in-dex"])
    apk = build_apk(
        NOTES, tmp_path / "multi.apk", {"classes.dex": first, "classes2.dex": second, "classes3.dex": third}
    )
    result = YaraEngine(rules_dir=str(rules)).scan(apk)
    assert result.verdict == Verdict.MALICIOUS  # a store rule without a verdict in its meta is a detection
    assert result.detections == ("store:InDex",)
    assert result.evidence[0].value == "$m: secret-marker-in-dex"
    assert result.evidence[0].detail == f"classes3.dex @ 0x{third.index(b'secret'):x}"
    assert result.signatures_version.startswith("rules in rules/: 1 rule, 1 file sha256:")


def test_rules_that_do_not_compile_are_an_error_on_every_file_not_a_crash(tmp_path):
    need_yara_x()
    rules = write_rules(tmp_path / "rules", "broken.yar", "rule Broken { condition: no_such_thing }")
    result = YaraEngine(rules_dir=str(rules)).scan(NOTES)
    assert result.verdict == Verdict.ERROR
    assert result.error.startswith("YARA rules do not compile:") and "(broken.yar)" in result.error
    assert "no_such_thing" in result.error and "\n" not in result.error
    empty = YaraEngine(rules_dir=str(tmp_path)).scan(NOTES)
    missing = YaraEngine(rules_dir=str(tmp_path / "nope")).scan(NOTES)
    assert (empty.verdict, empty.error) == (Verdict.ERROR, f"no .yar or .yara files in {tmp_path}")
    assert (missing.verdict, missing.error) == (Verdict.ERROR, f"YARA rules folder not found: {tmp_path / 'nope'}")


def test_a_package_read_only_in_part_is_an_error_unless_something_was_found(engine, tmp_path):
    big_dex = build_dex(["x" * 60_000 + str(i) for i in range(40)])  # 2.4 MB of strings
    apk = build_apk(NOTES, tmp_path / "big.apk", {"classes.dex": big_dex})
    small = YaraEngine(limits=ParseLimits(max_entry_size=1 << 20))
    capped = small.scan(apk)
    assert capped.verdict == Verdict.ERROR and "decompressed size exceeds limit" in capped.error
    packed = build_apk(apk, tmp_path / "packed.apk", {"assets/libjiagu.so": b"\x7fELF"})
    found = small.scan(packed)  # the raw APK already showed the packer: that stands
    assert found.verdict == Verdict.SUSPICIOUS and found.detections == ("packers:Jiagu360",)
    not_zip = tmp_path / "not.apk"
    not_zip.write_bytes(b"this is no zip archive at all " * 10)
    result = engine.scan(not_zip)
    assert result.verdict == Verdict.ERROR and "not a zip archive" in result.error


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    need_yara_x()
    result = YaraEngine(limits=ParseLimits(max_file_size=1000)).scan(NOTES)
    assert result.verdict == Verdict.ERROR and result.error.startswith("file exceeds size limit")


def test_excerpts_are_readable_text():
    assert excerpt_of(b"\x00\x06\xe5\x8c\x85\xe6\x9c\x88\x00") == "包月"  # a DEX string: length and NUL trimmed
    assert excerpt_of(b"ab\x01\xffcd") == "ab\\x01\\xffcd"
    assert len(excerpt_of(b"x" * 500)) == 60


def test_past_the_cap_on_embedded_files_the_scan_is_an_error(engine, tmp_path, monkeypatch):
    import reviewer_app.scanning.yara_engine as yara_engine

    monkeypatch.setattr(yara_engine, "MAX_EMBEDDED", 2)
    zips = {f"assets/level{i}.zip": (DEMO_APKS / "com.example.notes_2.apk").read_bytes() for i in range(3)}
    result = engine.scan(build_apk(NOTES, tmp_path / "game.apk", zips))
    assert result.verdict == Verdict.ERROR and "more than 2 embedded archives or DEX files" in result.error


# -- the corpus ------------------------------------------------------------------------------------------


def carries_apk(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "AndroidManifest.xml" in names and any(n.startswith("classes") and n.endswith(".dex") for n in names)


# The loader libraries and payload files of the packers the rules cover, as they appear in an APK's file
# list: how this test tells, on its own, which samples are packed.
PACKER_FILES = ("libjiagu", "libsecexe", "libsecmain", "bangcle_classes.jar", "ijiami.", "libapkprotect.so", "libshella-", "libshellx-")  # fmt: skip


def independent_view(path: Path) -> tuple[bool, bool]:
    """(packed, carries an APK), read with Python's zipfile (not the engine's reader, not yara)."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        packed = any(marker in name.lower().rsplit("/", 1)[-1] for name in names for marker in PACKER_FILES)
        embedded = False
        for info in archive.infolist():
            if info.filename.startswith(("assets/", "res/", "lib/")) and info.file_size < 64 << 20:
                with archive.open(info) as fh:
                    if fh.read(4) == b"PK\x03\x04":
                        embedded |= carries_apk(archive.read(info))
    return packed, embedded


@pytest.mark.corpus
def test_no_shipped_rule_fires_on_the_benign_corpus(engine):
    need_corpus()
    files = corpus_files()
    assert len(files) > 300
    fired = {p.name: engine.scan(p).detections for p in files}
    assert {name: d for name, d in fired.items() if d} == {}
    assert "souch.smsbypass_9.apk" in fired  # an SMS blocker (SEND_SMS, abortBroadcast): not SMS fraud


@pytest.mark.corpus
def test_the_malware_that_carries_a_packer_or_an_apk_is_found(engine, capsys):
    need_malware()
    files = malware_files()
    assert len(files) >= 30
    expected_packed, expected_embedded, found_packed, found_embedded, sms = set(), set(), set(), set(), set()
    for path in files:
        packed, embedded = independent_view(path)
        result = engine.scan(path)
        namespaces = {d.split(":")[0] for d in result.detections}
        if packed:
            expected_packed.add(path.name)
        if embedded:
            expected_embedded.add(path.name)
        if "packers" in namespaces:
            found_packed.add(path.name)
        if {"embedded:EmbeddedApk"} & set(result.detections):
            found_embedded.add(path.name)
        if "sms_fraud" in namespaces:
            sms.add(path.name)
        assert result.verdict in (Verdict.CLEAN, Verdict.SUSPICIOUS), (path.name, result.error)
    assert len(expected_packed) >= 2 and len(expected_embedded) >= 2  # the corpus holds such samples
    assert found_packed == expected_packed
    assert found_embedded == expected_embedded
    assert len(sms) >= 4  # premium-SMS strings in some of the SMS trojans; none in the benign corpus (above)
    with capsys.disabled():
        hits = found_packed | found_embedded | sms
        print(
            f"\nshipped YARA rules on {len(files)} malware samples: {len(hits)} with a detection "
            f"(packer {len(found_packed)}, embedded APK {len(found_embedded)}, SMS fraud {len(sms)})"
        )
