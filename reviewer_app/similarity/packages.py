"""Package-name signals: com.tencent.mm against com.tencent.mm.lite, com.tencnet.mm, com.tencent.mm2.

A package name is compared by its segments, without the common ones that say nothing about the app (com,
cn, org, net, android, app...): com.tencent.mm -> (tencent, mm). `package_similarity` aligns the two lists of
segments (a segment may be dropped or added) and averages the similarity of aligned segments, weighted by
their length. Two segments compare by their Damerau (optimal string alignment) distance, so a swapped pair
of letters (tencnet) costs one edit; a digit or a marketing word added to a segment (mm2, mmlite) and a whole
marketing segment added (.lite, .pro) cost little. Thresholds: `PACKAGE_CLONE_THRESHOLD` (0.8).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

PACKAGE_CLONE_THRESHOLD = 0.8
"""From this `package_similarity` up, a package name is a suspected copy of the other."""

COMMON_SEGMENTS = frozenset(
    {"com", "cn", "org", "net", "io", "me", "co", "android", "app", "apps", "mobile", "www", "top", "xyz", "gov"}
)
"""Segments dropped before comparing: top-level domains and words that nearly every package has."""

MARKETING_SEGMENTS = frozenset(
    {"lite", "pro", "free", "hd", "mini", "plus", "vip", "go", "x", "premium", "beta", "new", "official", "max"}
)
"""Segments (or segment endings) that counterfeiters add, as with app names."""

_ADDED = re.compile(rf"(?:[0-9]+|{'|'.join(sorted(MARKETING_SEGMENTS, key=len, reverse=True))})$")
ADDED_SEGMENT_COST = 0.15
"""Share of a segment's weight lost when a marketing segment is added (com.tencent.mm.lite)."""


@lru_cache(maxsize=65536)
def significant_segments(package: str) -> tuple[str, ...]:
    """The segments of a package name that identify the app: lower case, common segments dropped."""
    parts = [p for p in re.split(r"[._\-]+", package.strip().lower()) if p]
    kept = tuple(p for p in parts if p not in COMMON_SEGMENTS)
    return kept or tuple(parts)


def _stem(segment: str) -> str:
    """A segment without a trailing number or marketing word (mm2 -> mm, mmlite -> mm), if anything is left."""
    stem = _ADDED.sub("", segment)
    return stem or segment


def segment_similarity(a: str, b: str) -> float:
    """0..1: 1 for the same segment, 0.9 for the same stem (mm/mm2), else 1 - OSA distance / longer length."""
    if a == b:
        return 1.0
    if _stem(a) == _stem(b):
        return 0.9
    return max(0.0, 1.0 - OSA.distance(a, b) / max(len(a), len(b)))


def _gap_penalty(segment: str) -> float:
    weight = float(len(segment))
    return weight * ADDED_SEGMENT_COST if segment in MARKETING_SEGMENTS or segment.isdigit() else weight


@lru_cache(maxsize=65536)
def package_similarity(a: str, b: str) -> float:
    """How alike two package names are, 0..1 (see the module's notes)."""
    sa, sb = significant_segments(a), significant_segments(b)
    if not sa or not sb:
        return 0.0
    if sa == sb:
        return 1.0 if a.strip().lower() == b.strip().lower() else 0.95
    n, m = len(sa), len(sb)
    # best[i][j]: (similarity mass gained, weight lost) for aligning sa[:i] with sb[:j]; maximise gained - lost.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0] = best[i - 1][0] - _gap_penalty(sa[i - 1])
    for j in range(1, m + 1):
        best[0][j] = best[0][j - 1] - _gap_penalty(sb[j - 1])
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            x, y = sa[i - 1], sb[j - 1]
            weight = max(len(x), len(y))
            sim = segment_similarity(x, y)
            best[i][j] = max(
                best[i - 1][j - 1] + weight * (2 * sim - 1),  # a poor match costs like a gap
                best[i - 1][j] - _gap_penalty(x),
                best[i][j - 1] - _gap_penalty(y),
            )
    total = sum(len(s) for s in sa) + sum(len(s) for s in sb)
    # Every character aligned perfectly gives +1 per character of the longer side; scale to 0..1.
    score = (best[n][m] + total / 2) / total
    return round(min(1.0, max(0.0, score)), 4)


@lru_cache(maxsize=65536)
def package_keys(package: str) -> frozenset[str]:
    """Keys for an inverted index of package names; a clone shares at least one with its original.

    - "pk:" the significant segments joined (same app under another top-level domain: cn.x.y / com.x.y);
    - "pc:" the same with trailing numbers and marketing words dropped (mm2, .lite, .pro);
    - "pa:" each segment's letters sorted, for segments of 4 letters and more (a swapped pair: tencnet);
    - "pt:" each three letters of each segment of 4 letters and more (a changed letter leaves the others).
    """
    segments = significant_segments(package)
    stems = [_stem(s) for s in segments if s not in MARKETING_SEGMENTS] or list(segments)
    keys = {f"pk:{'.'.join(segments)}", f"pc:{'.'.join(stems)}"}
    for segment in stems:
        if len(segment) >= 4:
            keys.add(f"pa:{''.join(sorted(segment))}")
            keys |= {f"pt:{segment[i : i + 3]}" for i in range(len(segment) - 2)}
    return frozenset(keys)
