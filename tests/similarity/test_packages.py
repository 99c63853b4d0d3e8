"""Package-name signals: segment-aware similarity and index keys."""

from __future__ import annotations

import itertools

import pytest

from reviewer_app.similarity.packages import (
    PACKAGE_CLONE_THRESHOLD,
    package_keys,
    package_similarity,
    significant_segments,
)

ORIGINAL = "com.tencent.mm"

PACKAGES = [
    "com.tencent.mm",
    "com.tencent.mobileqq",
    "com.eg.android.AlipayGphone",
    "com.taobao.taobao",
    "com.sankuai.meituan",
    "com.ss.android.ugc.aweme",
    "com.smile.gifmaker",
    "com.xunmeng.pinduoduo",
    "com.jingdong.app.mall",
    "com.baidu.searchbox",
    "com.autonavi.minimap",
    "tv.danmaku.bili",
    "com.netease.cloudmusic",
    "com.sina.weibo",
    "com.xingin.xhs",
    "com.zhihu.android",
    "com.whatsapp",
    "com.facebook.katana",
    "com.instagram.android",
    "com.twitter.android",
    "org.telegram.messenger",
    "com.google.android.youtube",
    "com.spotify.music",
    "com.netflix.mediaclient",
    "com.duolingo",
    "com.ubercab",
    "com.alibaba.android.rimet",
    "com.ss.android.lark",
    "com.tencent.wework",
    "com.moji.mweather",
]


def test_significant_segments_drop_common_ones():
    assert significant_segments("com.tencent.mm") == ("tencent", "mm")
    assert significant_segments("cn.com.Example.App") == ("example",)
    assert significant_segments("com.android") == ("com", "android")  # nothing else: kept whole


@pytest.mark.parametrize(
    "clone",
    [
        "com.tencent.mm.lite",
        "com.tencnet.mm",
        "com.tencent.mm2",
        "cn.tencent.mm",
        "com.tecent.mm",
        "com.tencent.mm.pro",
    ],
)
def test_clones_of_a_package_score_high_and_share_a_key(clone):
    assert PACKAGE_CLONE_THRESHOLD <= package_similarity(ORIGINAL, clone) < 1.0
    assert package_similarity(clone, ORIGINAL) == package_similarity(ORIGINAL, clone)
    assert package_keys(ORIGINAL) & package_keys(clone)


def test_the_same_package_scores_one_and_ranks_first():
    assert package_similarity(ORIGINAL, "COM.tencent.mm") == 1.0
    assert package_similarity(ORIGINAL, "com.tencent.mm2") > package_similarity(ORIGINAL, "com.tencnet.mm")


@pytest.mark.parametrize(
    "other", ["com.tencent.mobileqq", "com.taobao.taobao", "com.sankuai.meituan", "org.tencent.wechat"]
)
def test_other_packages_score_low(other):
    assert package_similarity(ORIGINAL, other) < PACKAGE_CLONE_THRESHOLD


def test_same_vendor_another_app_stays_below():
    assert package_similarity(ORIGINAL, "com.tencent.qq") < PACKAGE_CLONE_THRESHOLD


def test_unrelated_packages_of_the_list_stay_below_and_rarely_share_keys():
    pairs = list(itertools.combinations(PACKAGES, 2))
    assert not [(a, b) for a, b in pairs if package_similarity(a, b) >= PACKAGE_CLONE_THRESHOLD]
    sharing = [(a, b) for a, b in pairs if package_keys(a) & package_keys(b)]
    assert len(sharing) / len(pairs) < 0.05, sharing


def test_package_keys():
    keys = package_keys("com.tencent.mm.lite")
    assert "pc:tencent.mm" in keys
    assert "pk:tencent.mm.lite" in keys
    assert "pa:ceenntt" in keys
    assert not any(k.startswith(("pa:", "pt:")) and "lite" in k for k in keys)
