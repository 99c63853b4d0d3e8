"""Facts as Android reads them: manifest attributes by resource id, and strings read as leniently as the
platform reads them, so that neither a foreign namespace string nor a malformed string hides an app's facts.

The namespace case is a real APK the project builds (packaging/demo_apks/build.py: foreign-namespace.apk),
checked against Debian's aapt. The malformed-string cases are real APKs of the project with one string
broken here, in memory, and a real malware sample of the corpus whose manifest has such strings.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk.axml import ANDROID_NS
from reviewer_app.apk.reader import read_apk
from tests.conftest import DEMO_APKS, TEST_APKS
from tests.corpus import MALWARE, malware_files, need_malware, need_tool

FOREIGN = TEST_APKS / "foreign-namespace.apk"
SMS_HELPER = DEMO_APKS / "com.example.smshelper_23.apk"
GEINIMI = MALWARE / "geinimi__08E4A73F0F352C3ACCC03EA9D4E9467F.apk"


def codes(facts) -> dict[str, dict[str, str]]:
    """warning code -> its parameters."""
    return {coded["code"]: coded["params"] for coded in facts.warning_codes.values()}


def badging(path: Path) -> str:
    aapt = need_tool("aapt")
    return subprocess.run([aapt, "dump", "badging", str(path)], capture_output=True, text=True, timeout=60).stdout


def xmltree_components(path: Path, package: str) -> dict[str, list[str]]:
    """Component names per kind, from `aapt dump xmltree` of the manifest (aapt reads attributes by id)."""
    aapt = need_tool("aapt")
    tree = subprocess.run(
        [aapt, "dump", "xmltree", str(path), "AndroidManifest.xml"], capture_output=True, text=True, timeout=60
    ).stdout
    found: dict[str, list[str]] = {"activity": [], "service": [], "receiver": [], "provider": []}
    current = None
    for line in tree.splitlines():
        element = re.match(r"\s*E: ([\w-]+) ", line)
        if element:
            current = element.group(1)
            continue
        name = re.match(r'\s*A: [\w:]*\(0x01010003\)="([^"]*)"', line)
        if name and current in found:
            value = name.group(1)
            found[current].append(package + value if value.startswith(".") else value)
            current = None
    return {kind: sorted(names) for kind, names in found.items()}


# ------------------------------------------------------------------------------------------ namespace


def test_the_namespace_apk_really_carries_another_namespace():
    manifest = zipfile.ZipFile(FOREIGN).read("AndroidManifest.xml")
    assert ANDROID_NS.encode("utf-16-le") not in manifest and ANDROID_NS.encode() not in manifest
    assert b"android.permission.SEND_SMS" in manifest.replace(b"\0", b"")


def test_facts_of_a_foreign_namespace_manifest_are_what_aapt_prints():
    facts = read_apk(FOREIGN)
    out = badging(FOREIGN)
    assert facts.ok, facts.error
    package = re.search(r"^package: name='([^']*)' versionCode='(\d+)' versionName='([^']*)'", out, re.M)
    assert package, out
    assert (facts.package, facts.version_code, facts.version_name) == (
        package.group(1),
        int(package.group(2)),
        package.group(3),
    )
    assert facts.min_sdk == int(re.search(r"^sdkVersion:'(\d+)'", out, re.M).group(1))
    assert facts.target_sdk == int(re.search(r"^targetSdkVersion:'(\d+)'", out, re.M).group(1))
    assert facts.label == re.search(r"^application-label:'(.*)'$", out, re.M).group(1)
    implied = set(re.findall(r"^uses-implied-permission: name='([^']*)'", out, re.M))
    requested = set(re.findall(r"^uses-permission(?:-sdk-23)?: name='([^']*)'", out, re.M)) - implied
    assert set(facts.permissions) == requested and len(requested) == 5
    assert set(facts.implied_permissions) == implied
    max_sdk = dict(re.findall(r"^uses-permission: name='([^']*)' maxSdkVersion='(\d+)'", out, re.M))
    assert {r.name: str(r.max_sdk) for r in facts.permission_requests if r.max_sdk} == {
        name: sdk for name, sdk in max_sdk.items() if name not in implied
    }
    assert facts.main_activity == re.search(r"^launchable-activity: name='([^']*)'", out, re.M).group(1)
    components = xmltree_components(FOREIGN, facts.package)
    assert facts.activities == components["activity"] and len(facts.activities) == 2
    assert facts.services == components["service"] and facts.services
    assert facts.receivers == components["receiver"] and facts.receivers
    assert facts.providers == components["provider"] and facts.providers
    assert facts.icon_path and facts.icon_path.endswith("ic_launcher.png")


def test_facts_of_a_foreign_namespace_manifest_match_its_index_and_name_the_namespace(test_apk_index):
    """The same file against what the build declared (runs without aapt)."""
    (entry,) = [e for e in test_apk_index if e["file"] == FOREIGN.name]
    facts = read_apk(FOREIGN)
    assert (facts.package, facts.label, facts.version_code, facts.version_name) == (
        entry["package"],
        entry["label"],
        entry["version_code"],
        entry["version_name"],
    )
    assert (facts.min_sdk, facts.target_sdk) == (entry["min_sdk"], entry["target_sdk"])
    assert facts.permissions == entry["permissions"]
    assert facts.implied_permissions == entry["implied_permissions"]
    assert facts.activities == sorted(entry["activities"]) and facts.receivers == entry["receivers"]
    assert codes(facts)["manifest_namespace"] == {"namespace": repr(entry["manifest_namespace"])}
    assert "manifest_packed" not in codes(facts) and "no_version_code" not in codes(facts)


def test_an_attribute_with_an_app_resource_id_is_not_taken_for_an_android_one(tmp_path):
    """Only the resource id says what an attribute is: a name string "name" whose id is not android:name's is
    not a permission name, whatever its namespace string says (aapt ignores it too)."""
    data = zipfile.ZipFile(SMS_HELPER).read("AndroidManifest.xml")
    manifest = bytearray(data)
    ids_at, count = resource_map(manifest)
    ids = list(struct.unpack_from(f"<{count}I", manifest, ids_at))
    struct.pack_into("<I", manifest, ids_at + 4 * ids.index(0x01010003), 0x7F010003)
    facts = read_apk(rezip(SMS_HELPER, tmp_path / "renamed.apk", {"AndroidManifest.xml": bytes(manifest)}))
    assert facts.ok, facts.error
    assert facts.permissions == [] and facts.activities == [] and facts.receivers == []
    assert facts.package == "com.example.smshelper" and facts.version_code == 23


# ------------------------------------------------------------------------------------------ malformed strings


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """`source` with some entries' bytes replaced (its signatures no longer verify: not what is tested)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
    return target


def resource_map(xml: bytes | bytearray) -> tuple[int, int]:
    """(offset, count) of the resource ids of a binary XML file's resource map chunk."""
    pos = struct.unpack_from("<H", xml, 2)[0]
    while pos + 8 <= len(xml):
        kind, header, size = struct.unpack_from("<HHI", xml, pos)
        if kind == 0x0180:
            return pos + header, (size - header) // 4
        pos += size
    raise AssertionError("no resource map")


def pool_strings(blob: bytes | bytearray, at: int) -> tuple[list[tuple[int, int, str]], bool]:
    """[(offset of its length, offset of its terminator, text)] of the string pool chunk at `at`, and whether
    it is UTF-8. Written from the format (ResourceTypes.h), not from the parser under test."""
    _, header, _, count, _, flags, start, _ = struct.unpack_from("<HHIIIIII", blob, at)
    utf8 = bool(flags & 0x100)
    out = []
    for i in range(count):
        pos = at + start + struct.unpack_from("<I", blob, at + header + 4 * i)[0]
        p = pos
        if utf8:
            p += 2 if blob[p] & 0x80 else 1  # UTF-16 length
            n = blob[p] if not blob[p] & 0x80 else ((blob[p] & 0x7F) << 8) | blob[p + 1]
            p += 2 if blob[p] & 0x80 else 1
            out.append((pos, p + n, bytes(blob[p : p + n]).decode("utf-8")))
        else:
            n = struct.unpack_from("<H", blob, p)[0]
            p += 2
            out.append((pos, p + 2 * n, bytes(blob[p : p + 2 * n]).decode("utf-16-le")))
    return out, utf8


def unterminated(blob: bytes, pool_at: int, text: str) -> bytes:
    """`blob` with the terminating NUL of string `text` overwritten: the string's length still says where it
    ends, but it is not null-terminated (as in the pools some repackaging tools write)."""
    strings, utf8 = pool_strings(blob, pool_at)
    (end,) = [end for _, end, s in strings if s == text]
    patched = bytearray(blob)
    patched[end : end + (1 if utf8 else 2)] = b"!" if utf8 else b"!\0"
    return bytes(patched)


def test_a_manifest_string_without_its_terminator_is_read_by_its_length(tmp_path):
    with zipfile.ZipFile(SMS_HELPER) as zf:
        manifest = zf.read("AndroidManifest.xml")
    broken = unterminated(manifest, 8, "android.permission.SEND_SMS")
    assert broken != manifest
    facts = read_apk(rezip(SMS_HELPER, tmp_path / "sms.apk", {"AndroidManifest.xml": broken}))
    intact = read_apk(SMS_HELPER)
    assert facts.ok, facts.error
    assert "android.permission.SEND_SMS" in facts.permissions
    assert (facts.package, facts.label, facts.version_code, facts.permissions, facts.receivers) == (
        intact.package,
        intact.label,
        intact.version_code,
        intact.permissions,
        intact.receivers,
    )
    assert codes(facts)["strings_malformed"] == {
        "file": "AndroidManifest.xml",
        "count": "1",
        "index": codes(facts)["strings_malformed"]["index"],
        "reason": "it is not null-terminated",
    }
    assert "strings_malformed" not in codes(intact)


def test_a_label_that_cannot_be_decoded_is_null_and_named_and_the_other_facts_stay(tmp_path):
    with zipfile.ZipFile(SMS_HELPER) as zf:
        arsc = bytearray(zf.read("resources.arsc"))
    strings, _ = pool_strings(arsc, 12)  # the table's global string pool follows its 12-byte header
    index = [s for _, _, s in strings].index("SMS Helper")
    header = struct.unpack_from("<H", arsc, 14)[0]
    struct.pack_into("<I", arsc, 12 + header + 4 * index, 0x00FFFFF0)  # the string starts past the pool's end
    facts = read_apk(rezip(SMS_HELPER, tmp_path / "nolabel.apk", {"resources.arsc": bytes(arsc)}))
    intact = read_apk(SMS_HELPER)
    assert facts.ok, facts.error
    assert facts.label is None and intact.label == "SMS Helper"
    assert (facts.package, facts.version_code, facts.version_name, facts.permissions, facts.icon_sha256) == (
        intact.package,
        intact.version_code,
        intact.version_name,
        intact.permissions,
        intact.icon_sha256,
    )
    coded = codes(facts)
    assert coded["string_malformed"]["attribute"] == "android:label"
    assert coded["string_malformed"]["reference"].startswith("@7F")
    assert "past the end" in coded["string_malformed"]["reason"]
    assert coded["strings_malformed"]["file"] == "resources.arsc"
    assert coded["strings_malformed"]["index"] == str(index)


def test_a_label_without_its_terminator_is_shown_with_a_warning(tmp_path):
    with zipfile.ZipFile(SMS_HELPER) as zf:
        arsc = zf.read("resources.arsc")
    facts = read_apk(
        rezip(SMS_HELPER, tmp_path / "label.apk", {"resources.arsc": unterminated(arsc, 12, "SMS Helper")})
    )
    assert facts.ok, facts.error
    assert facts.label == "SMS Helper"
    assert codes(facts)["string_malformed"]["reason"] == "it is not null-terminated"


def test_geinimi_whose_manifest_aapt_gives_up_on_halfway_gives_every_fact():
    """A real trojan: the repackaging tool appended its strings (receiver, service, SEND_SMS...) to the
    manifest's string pool without terminators. aapt prints package, version and label, then stops; Android
    versions of its time read it all. Our facts include what aapt printed and what it could not."""
    need_malware()
    facts = read_apk(GEINIMI)
    out = badging(GEINIMI)
    assert "uses-permission" not in out  # aapt stopped at the first malformed string
    assert facts.ok, facts.error
    package = re.search(r"^package: name='([^']*)' versionCode='(\d+)' versionName='([^']*)'", out, re.M)
    assert (facts.package, facts.version_code, facts.version_name) == (
        package.group(1),
        int(package.group(2)),
        package.group(3),
    )
    assert facts.label == re.search(r"^application-label:'(.*)'$", out, re.M).group(1)
    assert {"android.permission.SEND_SMS", "android.permission.READ_SMS"} <= set(facts.permissions)
    assert facts.receivers and facts.services
    assert codes(facts)["strings_malformed"]["file"] == "AndroidManifest.xml"
    assert int(codes(facts)["strings_malformed"]["count"]) > 10


@pytest.mark.parametrize("path", malware_files(), ids=[p.name.split("__")[0] for p in malware_files()])
def test_every_malware_sample_aapt_reads_is_read_and_agrees_with_it(path):
    need_malware()
    out = badging(path)
    package = re.search(r"^package: name='([^']*)' versionCode='(\d*)' versionName='([^']*)'", out, re.M)
    if package is None:
        pytest.skip("aapt cannot read this sample either")
    facts = read_apk(path)
    assert facts.ok, facts.error
    assert (facts.package, facts.version_code, facts.version_name or "") == (
        package.group(1),
        int(package.group(2) or 0),
        package.group(3),
    )
    label = re.search(r"^application-label:'(.*)'$", out, re.M)
    if label:
        assert facts.label == label.group(1)


def test_the_malware_samples_are_there():
    need_malware()
    assert len(malware_files()) >= 30
