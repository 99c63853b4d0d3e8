"""Code fingerprints: the same DEX repackaged scores about 1, different apps score low, library code shared by
unrelated apps does not count, and hostile archives are a clear error, never a hang."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import zipfile
from pathlib import Path

import pytest

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import ZipFormatError
from reviewer_app.similarity.code import CodePrint, code_print, code_similarity, shared_classes
from tests.conftest import ROOT
from tests.corpus import CORPUS, need_corpus

# Loaded from its file: the folder `packaging` would be shadowed by the PyPI distribution of that name.
_spec = importlib.util.spec_from_file_location("dexwriter", ROOT / "packaging" / "demo_apks" / "dexwriter.py")
assert _spec and _spec.loader
dexwriter = importlib.util.module_from_spec(_spec)
sys.modules["dexwriter"] = dexwriter
_spec.loader.exec_module(dexwriter)
ClassDef, Method, write_dex = dexwriter.ClassDef, dexwriter.Method, dexwriter.write_dex

# Apps of the corpus that share no code of their own (different authors and purposes).
DIFFERENT_APPS = [
    "a2dp.Vol_137.apk",
    "com.teleca.jamendo_35.apk",
    "org.dyndns.fules.ck_20.apk",
    "souch.smsbypass_9.apk",
    "com.politedroid_6.apk",
    "org.bitbucket.tickytacky.mirrormirror_4.apk",
    "hello-world.apk",
    "com.example.android.wearable.wear.weardrawers.apk",
    "TestActivity.apk",
    "urzip.apk",
]
DIFFERENT_MAX = 0.1


def _methods(count: int, prefix: str) -> list:
    return [Method(f"{prefix}{n}", "(Ljava/lang/String;I)V", code=[("return-void",)]) for n in range(count)]


def _app_classes(package: str, count: int, methods: int = 4) -> list:
    path = package.replace(".", "/")
    return [ClassDef(f"L{path}/C{n};", methods=_methods(methods, f"m{n}_")).with_constructor() for n in range(count)]


def _library(count: int = 30) -> list:
    return _app_classes("androidx.appcompat.widget", count, 6) + _app_classes("com.google.gson", count, 6)


def _apk(path: Path, classes: list, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00")
        zf.writestr("classes.dex", write_dex(classes))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def test_repackaged_copy_scores_one(tmp_path):
    classes = _app_classes("com.victim.app", 20)
    original = _apk(tmp_path / "original.apk", classes)
    copy = _apk(tmp_path / "copy.apk", classes, {"res/raw/extra.bin": b"added by the repackager"})
    a, b = code_print(original), code_print(copy)
    assert a is not None and b is not None
    assert a.classes == 20
    assert code_similarity(a, b) == 1.0


def test_an_added_class_keeps_the_score_high(tmp_path):
    classes = _app_classes("com.victim.app", 20)
    a = code_print(_apk(tmp_path / "a.apk", classes))
    b = code_print(_apk(tmp_path / "b.apk", [*classes, *_app_classes("com.fake.ads", 1)]))
    assert a and b
    assert code_similarity(a, b) >= 0.85


def test_sharing_only_libraries_does_not_count(tmp_path):
    one = _apk(tmp_path / "one.apk", [*_library(), *_app_classes("com.one.app", 5)])
    two = _apk(tmp_path / "two.apk", [*_library(), *_app_classes("com.two.app", 5)])
    a, b = code_print(one), code_print(two)
    assert a and b
    assert a.classes == 5
    assert code_similarity(a, b) < DIFFERENT_MAX
    assert shared_classes(one, two, 10) == []


def test_only_library_code_gives_no_print(tmp_path):
    assert code_print(_apk(tmp_path / "lib.apk", _library(5))) is None


def test_shared_classes_names_the_app_classes_both_carry(tmp_path):
    common = _app_classes("com.victim.app", 3)
    a = _apk(tmp_path / "a.apk", [*common, *_library(2), *_app_classes("com.a", 2)])
    b = _apk(tmp_path / "b.apk", [*common, *_library(2), *_app_classes("com.b", 2)])
    assert shared_classes(a, b, 10) == ["com.victim.app.C0", "com.victim.app.C1", "com.victim.app.C2"]
    assert shared_classes(a, b, 2) == ["com.victim.app.C0", "com.victim.app.C1"]


@pytest.mark.corpus
def test_corpus_repackaged_copies_score_about_one():
    need_corpus()
    # Same code, different signatures or none.
    for a, b in [("TestActivity.apk", "TestActivity_unsigned.apk"), ("urzip.apk", "urzip-release-unsigned.apk")]:
        pa, pb = code_print(CORPUS / a), code_print(CORPUS / b)
        assert pa and pb
        assert code_similarity(pa, pb) >= 0.95, (a, b)


@pytest.mark.corpus
def test_corpus_different_apps_score_low():
    need_corpus()
    prints = {name: code_print(CORPUS / name) for name in DIFFERENT_APPS}
    scores = {}
    for a, b in itertools.combinations(DIFFERENT_APPS, 2):
        pa, pb = prints[a], prints[b]
        assert pa and pb
        scores[(a, b)] = code_similarity(pa, pb)
    high = {pair: score for pair, score in scores.items() if score >= DIFFERENT_MAX}
    assert not high


@pytest.mark.corpus
def test_corpus_versions_of_one_app_stay_similar():
    need_corpus()
    names = [f"org.bitbucket.tickytacky.mirrormirror_{n}.apk" for n in (1, 2, 3, 4)]
    prints = [code_print(CORPUS / n) for n in names]
    assert all(prints)
    assert min(code_similarity(a, b) for a, b in itertools.combinations(prints, 2) if a and b) >= 0.8


def test_code_print_is_plain_data():
    value = CodePrint(minhash=(1, 2, 3), classes=3)
    assert code_similarity(value, value) == 1.0
    with pytest.raises(ValueError):
        code_similarity(value, CodePrint(minhash=(1, 2), classes=2))


@pytest.mark.timeout(30)
def test_zip_bomb_dex_is_a_clear_error(tmp_path):
    bomb = tmp_path / "bomb.apk"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("classes.dex", b"\0" * (64 * 1024 * 1024))
    limits = ParseLimits(max_entry_size=16 * 1024 * 1024)
    with pytest.raises(LimitExceeded):
        code_print(bomb, limits)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "dex", [b"dex\n035\0" + b"\xff" * 200, b"garbage", b""], ids=["tables-past-the-end", "not-dex", "empty"]
)
def test_damaged_dex_gives_none(tmp_path, dex):
    path = tmp_path / "damaged.apk"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("classes.dex", dex)
    assert code_print(path) is None


@pytest.mark.timeout(30)
def test_truncated_dex_keeps_what_was_read(tmp_path):
    data = write_dex(_app_classes("com.victim.app", 20))
    path = tmp_path / "cut.apk"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("classes.dex", data[: len(data) * 2 // 3])
    code_print(path)  # whatever could be read, or None; never an exception or a hang


def test_not_a_zip_is_a_clear_error(tmp_path):
    path = tmp_path / "not.apk"
    path.write_bytes(b"PK\x03\x04 this is not an archive")
    with pytest.raises(ZipFormatError):
        code_print(path)
