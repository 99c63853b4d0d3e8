"""Resource fingerprints: a copy with one file changed scores high, different apps low, files common to many
apps are left out when the caller names them, and a zip bomb is a clear error."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import ZipFormatError
from reviewer_app.similarity.resources import ResourcePrint, resource_print, resource_similarity, shared_resources
from tests.conftest import DEMO_APKS
from tests.corpus import CORPUS, need_corpus

DIFFERENT_APPS = [
    "a2dp.Vol_137.apk",
    "com.teleca.jamendo_35.apk",
    "org.dyndns.fules.ck_20.apk",
    "souch.smsbypass_9.apk",
    "hello-world.apk",
    "com.example.android.wearable.wear.weardrawers.apk",
    "com.politedroid_6.apk",
]


def _apk(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00")
        zf.writestr("classes.dex", b"dex\n035\0")
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _resources(app: str, count: int = 20) -> dict[str, bytes]:
    files = {f"res/drawable/img{n}.png": f"{app} image {n}".encode() * 50 for n in range(count)}
    files["assets/data.json"] = f'{{"app": "{app}"}}'.encode()
    return files


def test_copy_with_one_file_changed_scores_high(tmp_path):
    files = _resources("victim")
    original = resource_print(_apk(tmp_path / "a.apk", files))
    changed = dict(files, **{"res/drawable/img0.png": b"the counterfeiter's own image"})
    copy = resource_print(_apk(tmp_path / "b.apk", changed))
    assert len(original.digests) == 21
    assert resource_similarity(original, copy) >= 0.9
    assert resource_similarity(original, original) == 1.0


def test_renamed_files_still_match(tmp_path):
    files = _resources("victim")
    renamed = {name.replace("img", "x"): data for name, data in files.items()}
    a = resource_print(_apk(tmp_path / "a.apk", files))
    b = resource_print(_apk(tmp_path / "b.apk", renamed))
    assert resource_similarity(a, b) == 1.0


def test_different_apps_score_low(tmp_path):
    a = resource_print(_apk(tmp_path / "a.apk", _resources("one")))
    b = resource_print(_apk(tmp_path / "b.apk", _resources("two")))
    assert resource_similarity(a, b) == 0.0


def test_common_files_are_left_out(tmp_path):
    stock = {f"res/mipmap/ic_launcher{n}.png": f"stock icon {n}".encode() for n in range(10)}
    one = _apk(tmp_path / "one.apk", {**stock, **_resources("one", 3)})
    two = _apk(tmp_path / "two.apk", {**stock, **_resources("two", 3)})
    a, b = resource_print(one), resource_print(two)
    assert resource_similarity(a, b) > 0.5  # the stock files alone make them look alike
    common = resource_print(_apk(tmp_path / "stock.apk", stock)).digests
    assert resource_similarity(a, b, common) == 0.0
    assert shared_resources(one, two) == sorted(stock)
    assert shared_resources(one, two, common=common) == []


def test_only_res_and_assets_count_and_empty_files_do_not(tmp_path):
    path = _apk(tmp_path / "a.apk", {"lib/arm64-v8a/libx.so": b"native", "res/raw/empty": b"", "assets/a": b"a"})
    assert len(resource_print(path).digests) == 1


def test_no_resources_scores_zero():
    assert resource_similarity(ResourcePrint(frozenset()), ResourcePrint(frozenset())) == 0.0


def test_demo_counterfeit_carries_the_original_resources():
    a = resource_print(DEMO_APKS / "com.example.notes_1.apk")
    b = resource_print(DEMO_APKS / "com.exampel.notes_1.apk")
    c = resource_print(DEMO_APKS / "com.example.wallet_120.apk")
    assert resource_similarity(a, b) == 1.0
    assert resource_similarity(a, c) < 0.2


@pytest.mark.corpus
def test_corpus_same_app_high_different_apps_low():
    need_corpus()
    same = [("TestActivity.apk", "TestActivity_unsigned.apk"), ("urzip.apk", "urzip-release-unsigned.apk")]
    for x, y in same:
        assert resource_similarity(resource_print(CORPUS / x), resource_print(CORPUS / y)) == 1.0
    prints = {name: resource_print(CORPUS / name) for name in DIFFERENT_APPS}
    scores = {(x, y): resource_similarity(prints[x], prints[y]) for x, y in itertools.combinations(prints, 2)}
    assert max(scores.values()) < 0.1, scores


@pytest.mark.timeout(30)
def test_zip_bomb_entry_is_a_clear_error(tmp_path):
    bomb = tmp_path / "bomb.apk"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("res/raw/bomb.bin", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(LimitExceeded):
        resource_print(bomb, ParseLimits(max_entry_size=16 * 1024 * 1024))
    with pytest.raises(LimitExceeded):
        resource_print(bomb, ParseLimits(max_total_size=8 * 1024 * 1024))


def test_not_a_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "not.apk"
    path.write_bytes(b"not a zip archive at all" * 10)
    with pytest.raises(ZipFormatError):
        resource_print(path)
