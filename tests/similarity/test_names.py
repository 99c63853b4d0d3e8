"""Name signals: normalisation, skeletons, marketing words, pinyin, look-alike characters, the score, the diff
and the candidate keys, on single cases and on a list of 250 app names (tests/similarity/app_names.py)."""

from __future__ import annotations

import itertools

import pytest

from reviewer_app.similarity.names import (
    CLONE_THRESHOLD,
    NameMatch,
    name_keys,
    name_similarity,
    normalize,
    pinyin_key,
    skeleton,
    split_marketing,
)
from reviewer_app.similarity.shapes import LOOK_ALIKE, shape_similarity
from tests.similarity.app_names import APP_NAMES, CLONES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＷｅＣｈａｔ", "wechat"),
        ("We Chat!", "wechat"),
        ("騰訊視頻", "腾讯视频"),
        ("微\u200b信", "微信"),  # zero-width space
        ("微\u200c\u200d\ufeff信", "微信"),  # ZWNJ, ZWJ, BOM
        ("Tele\u00adgram", "telegram"),  # soft hyphen
        ("\u202eWeChat\u202c", "wechat"),  # bidi override and pop
        ("抖\ufe0f音", "抖音"),  # variation selector
        ("美团™ 🍔", "美团"),  # symbols and emoji
        ("STRASSE", "strasse"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_skeleton_maps_confusables_across_scripts():
    assert skeleton("Gооgle") == skeleton("Google")  # Cyrillic о
    assert skeleton("G00gle") == skeleton("Google")  # digit zero
    assert skeleton("PayPaI") == skeleton("PayPal")  # capital I for small l
    assert normalize("Gооgle") != normalize("Google")  # normalisation alone keeps the Cyrillic letters
    assert skeleton("Google") != skeleton("Goggle")


@pytest.mark.parametrize(
    ("text", "core", "added"),
    [
        ("美团 极速版", "美团", ("极速版",)),
        ("美团（极速版）", "美团", ("极速版",)),
        ("Twitter+", "Twitter", ("+",)),
        ("Twitter Lite", "Twitter", ("Lite",)),
        ("美团Lite", "美团", ("Lite",)),
        ("抖音2024", "抖音", ("2024",)),
        ("官方正版 微信", "微信", ("官方正版",)),
        ("QQ音乐HD版", "QQ音乐", ("HD", "版")),
        ("極速版 快手", "极速版 快手", ()),  # at the start only the prefix list; the core is simplified
        ("快手極速版", "快手", ("极速版",)),  # traditional form of a listed word
        ("Satellite", "Satellite", ()),  # "lite" inside a word is not a word
        ("12306", "12306", ()),  # nothing left: the name stays whole
        ("2048", "2048", ()),
        ("Pro", "Pro", ()),
    ],
)
def test_split_marketing(text, core, added):
    assert split_marketing(text) == (core, added)


def test_pinyin_key():
    assert pinyin_key("微信") == pinyin_key("威信") == "weixin"
    assert pinyin_key("QQ音乐") == "qqyinyue"
    assert pinyin_key("淘宝") != pinyin_key("美团")


@pytest.mark.parametrize(
    ("a", "b"), [("未", "末"), ("宝", "室"), ("美", "羙"), ("己", "已"), ("天", "夫"), ("王", "玉")]
)
def test_look_alike_characters(a, b):
    assert LOOK_ALIKE <= shape_similarity(a, b) == shape_similarity(b, a)


@pytest.mark.parametrize(("a", "b"), [("美", "团"), ("淘", "宝"), ("腾", "讯"), ("微", "威"), ("a", "b"), ("美", "m")])
def test_unlike_characters(a, b):
    assert shape_similarity(a, b) < LOOK_ALIKE


def test_shape_similarity_of_a_character_with_itself_and_without_data():
    assert shape_similarity("美", "美") == 1.0
    assert shape_similarity("a", "a") == 1.0
    assert shape_similarity("a", "o") == 0.0


@pytest.mark.parametrize(
    ("a", "b", "score", "reason"),
    [
        ("美团", "羙团", 0.85, "look_alike_chars"),
        ("支付宝", "支付室", 0.85, "look_alike_chars"),
        ("WeChat", "ＷｅＣｈａｔ", 1.0, "same_normalized"),
        ("Google", "Gооgle", 0.95, "same_skeleton"),
        ("腾讯", "騰訊", 1.0, "traditional_simplified"),
        ("微信读书", "微信讀書", 1.0, "traditional_simplified"),  # 微信 itself is written alike in both
        ("支付宝", "\u2f40付宝", 1.0, "same_normalized"),  # KANGXI RADICAL BRANCH for 支
        ("美团", "美团 极速版", 0.9, "marketing_words"),
        ("Twitter", "Twitter+", 1.0, "marketing_words"),
        ("Twitter", "Twitter Lite", 0.9, "marketing_words"),
        ("微信", "威信", 0.9, "homophone"),
        ("微信", "微\u200b信", 1.0, "invisible_chars"),
        ("Google", "Gооgle Lite", 0.85, "marketing_words"),
    ],
)
def test_clones_score_high_with_their_reason(a, b, score, reason):
    match = name_similarity(a, b)
    assert isinstance(match, NameMatch)
    assert match.score >= score >= CLONE_THRESHOLD
    assert reason in match.reasons
    assert name_similarity(b, a).score == match.score


def test_same_skeleton_is_not_exactly_equal():
    assert name_similarity("Google", "Gооgle").score < 1.0
    assert "same_normalized" not in name_similarity("Google", "Gооgle").reasons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("美团", "淘宝"),
        ("WeChat", "Weather"),
        ("天气预报", "天气通"),  # share 天气, a word, not a brand: 0.5
        ("美团", "美图"),  # different apps, one character apart: 0.5
        ("陌陌", "脉脉"),  # both read "momo": a homophone with no character in common stays below
        ("QQ", "QQ音乐"),
        ("Uber", "Viber"),
    ],
)
def test_unrelated_names_score_low(a, b):
    assert name_similarity(a, b).score < CLONE_THRESHOLD


def test_homophone_without_a_common_character_is_reported_but_not_flagged():
    match = name_similarity("陌陌", "脉脉")
    assert "homophone" in match.reasons
    assert match.score < CLONE_THRESHOLD


def test_identical_and_empty_names():
    assert name_similarity("微信", "微信") == NameMatch(1.0, ("identical",), (("equal", "微信", "微信"),))
    assert name_similarity("", "微信").score == 0.0
    assert name_similarity("!!", "??").score == 0.0


def test_diff_marks_the_characters_that_differ():
    assert name_similarity("支付宝", "支付室").diff == (("equal", "支付", "支付"), ("replace", "宝", "室"))
    assert name_similarity("微信", "微\u200b信").diff == (
        ("equal", "微", "微"),
        ("insert", "", "\u200b"),
        ("equal", "信", "信"),
    )
    assert name_similarity("Google", "Gооgle").diff == (
        ("equal", "G", "G"),
        ("replace", "oo", "оо"),
        ("equal", "gle", "gle"),
    )
    assert name_similarity("美团", "美团 极速版").diff == (("equal", "美团", "美团"), ("insert", "", " 极速版"))
    assert name_similarity("腾讯", "騰訊").diff == (("replace", "腾讯", "騰訊"),)


def test_diff_covers_both_names_whole():
    for a, b in CLONES:
        diff = name_similarity(a, b).diff
        assert "".join(x for _, x, _ in diff) == a
        assert "".join(y for _, _, y in diff) == b
        assert all(op in {"equal", "replace", "insert", "delete"} for op, _, _ in diff)


def test_name_keys_of_a_clone_share_one_with_the_original():
    assert name_keys("美团") & name_keys("羙团")
    assert name_keys("支付宝") & name_keys("支付室")
    assert name_keys("微信") & name_keys("威信")
    assert name_keys("Google") & name_keys("Gооgle")
    assert not name_keys("美团") & name_keys("淘宝")
    assert not name_keys("WeChat") & name_keys("Weather")


# -- the list of app names --------------------------------------------------------------------------


def test_the_list_is_large_and_has_no_duplicates():
    assert len(APP_NAMES) >= 200
    assert len(set(APP_NAMES)) == len(APP_NAMES)
    assert {a for a, _ in CLONES} <= set(APP_NAMES)


@pytest.mark.parametrize(("original", "clone"), CLONES, ids=[f"{a}~{b}" for a, b in CLONES])
def test_every_clone_variant_scores_above_the_threshold_and_shares_a_key(original, clone):
    assert name_similarity(original, clone).score >= CLONE_THRESHOLD
    assert name_keys(original) & name_keys(clone)


def test_unrelated_names_of_the_list_stay_below_the_threshold():
    above = [
        (a, b, m.score, m.reasons)
        for a, b in itertools.combinations(APP_NAMES, 2)
        if (m := name_similarity(a, b)).score >= CLONE_THRESHOLD
    ]
    assert not above


def test_unrelated_names_of_the_list_rarely_share_a_key():
    """Of the 31,125 pairs, about 0.7% share a key (mostly a common word: 视频, 银行, 音乐)."""
    pairs = list(itertools.combinations(APP_NAMES, 2))
    sharing = sum(1 for a, b in pairs if name_keys(a) & name_keys(b))
    assert sharing / len(pairs) < 0.02


def test_variant_words_of_real_chinese_apps_are_marketing_words():
    """特价版, 大字版, 长辈版... are how big apps name their variants, and how copies pass for them."""
    for variant in ("淘宝特价版", "淘宝 大字版", "微信长辈版"):
        match = name_similarity(variant, variant[:2])
        assert match.score >= CLONE_THRESHOLD and "marketing_words" in match.reasons, (variant, match)
    assert name_similarity("淘宝", "天猫").score < CLONE_THRESHOLD
