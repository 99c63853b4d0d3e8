"""Name signals for counterfeit ("山寨") apps: how alike two app names are, and short keys that find the
candidates worth comparing in a catalog of a million names.

The tricks counterfeiters play on a popular name, and what undoes each:

- full-width letters, case, spaces, punctuation, emoji, and invisible characters (zero-width space and
  joiners, BOM, soft hyphen, bidi controls, variation selectors...): `normalize`;
- traditional characters for simplified ones (騰訊 for 腾讯): `normalize` converts with OpenCC's `t2s`;
- letters of another script that look the same (Cyrillic о for Latin o, 0 for O, 1 for l): `skeleton`,
  Unicode's UTS #39 skeleton over its confusables table;
- words added at the end or the start (美团 极速版, Twitter+, 官方正版 微信): `split_marketing`;
- characters that sound the same (威信 for 微信): `pinyin_key`;
- characters that look alike (支付室 for 支付宝, 羙团 for 美团): `shapes.shape_similarity`, used by the edit
  similarity of `name_similarity`.

Data: Unicode's confusables.txt (UTS #39, version 13.0.0) ships in resources/confusables/ (see the README
there); OpenCC, pypinyin and the shape data come with their PyPI packages.

Threshold: `CLONE_THRESHOLD` (0.8). Every clone variant in tests/similarity/data scores at or above it and
every pair of unrelated names there scores below it (the tests measure both).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin

from reviewer_app.paths import resource_path
from reviewer_app.similarity.shapes import LOOK_ALIKE, four_corner_code, shape_similarity

CLONE_THRESHOLD = 0.8
"""From this `NameMatch.score` up, a name is a suspected copy of the other."""

# Scores of the signals (the edit similarity gives its own, 0..1).
SAME_NORMALIZED = 1.0
SAME_SKELETON = 0.95
HOMOPHONE = 0.9
"""The same pinyin, and at least one character in common (威信/微信)."""
HOMOPHONE_ONLY = 0.7
"""The same pinyin and no character in common (陌陌/脉脉 read "momo"): below CLONE_THRESHOLD."""
MARKETING_FACTOR = 0.9
"""A match of the core names only (marketing words set aside) scores this share of the match of the cores."""

# Characters that are invisible or change nothing visible, on top of the format characters (category Cf:
# ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi controls, Mongolian vowel separator...).
_INVISIBLE_EXTRA = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)]  # variation selectors 1-16
    + [chr(c) for c in range(0xE0100, 0xE01F0)]  # variation selectors 17-256
    + ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u17b4", "\u17b5", "\u180b", "\u180c", "\u180d", "\u180f"]
)

# -- marketing words -----------------------------------------------------------------------------
# Words a counterfeiter puts after (or before) a popular name. Chinese ones match anywhere at the end;
# Latin ones only as a word of their own (Lite in "Twitter Lite" and "美团Lite", not in "Satellite").
# Matching is on the simplified, NFKC form, so 極速版 and ＨＤ are covered too.
MARKETING_SUFFIXES_CJK = (
    "极速版",
    "官方版",
    "官方正版",
    "官方",
    "正版",
    "国际版",
    "精简版",
    "专业版",
    "破解版",
    "免费版",
    "最新版",
    "高清版",
    "轻量版",
    "青春版",
    "加强版",
    "增强版",
    "完整版",
    "旗舰版",
    "会员版",
    "去广告版",
    "无广告版",
    "汉化版",
    "中文版",
    "手机版",
    "安卓版",
    "特价版",
    "特惠版",
    "大字版",
    "长辈版",
    "关怀版",
    "简洁版",
    "畅享版",
    "尊享版",
    "测试版",
    "内测版",
    "新版",
    "版",
)
MARKETING_SUFFIXES_LATIN = (
    "pro",
    "hd",
    "lite",
    "plus",
    "free",
    "mini",
    "go",
    "vip",
    "x",
    "premium",
    "official",
    "beta",
    "new",
    "max",
    "ultra",
    "apk",
)
MARKETING_PREFIXES_CJK = ("官方正版", "官方", "正版", "最新版", "最新", "新版")
MARKETING_PREFIXES_LATIN = ("official", "new", "the new")
# Also stripped at the end: "+" and "++", a year (2024, 1999) and a single digit 2-9 after a name.

_SEP = r"[\s\W_]*"
_LATIN_SUFFIX = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(MARKETING_SUFFIXES_LATIN)}){_SEP}$", re.IGNORECASE)
_CJK_SUFFIX = re.compile(rf"(?:{'|'.join(sorted(MARKETING_SUFFIXES_CJK, key=len, reverse=True))}){_SEP}$")
_NUMBER_SUFFIX = re.compile(rf"(?<![0-9])(?:(?:19|20)[0-9]{{2}}|[2-9]){_SEP}$")
_PLUS_SUFFIX = re.compile(rf"\+{{1,2}}{_SEP}$")
_LATIN_PREFIX = re.compile(rf"^{_SEP}(?:{'|'.join(MARKETING_PREFIXES_LATIN)})(?![a-z0-9])", re.IGNORECASE)
_CJK_PREFIX = re.compile(rf"^{_SEP}(?:{'|'.join(sorted(MARKETING_PREFIXES_CJK, key=len, reverse=True))})")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _confusables() -> dict[str, str]:
    """Unicode's confusables.txt: each source character -> its prototype (one or more characters)."""
    table: dict[str, str] = {}
    text = resource_path("confusables", "confusables.txt").read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        data = line.partition("#")[0].strip()
        if not data:
            continue
        source, target, _kind = (field.strip() for field in data.split(";"))
        table[chr(int(source, 16))] = "".join(chr(int(code, 16)) for code in target.split())
    return table


def is_invisible(char: str) -> bool:
    """A character that shows nothing (or changes nothing visible) in a name."""
    return unicodedata.category(char) == "Cf" or char in _INVISIBLE_EXTRA


def _visible(text: str) -> str:
    return "".join(c for c in text if not is_invisible(c))


def _letters(text: str) -> str:
    """Letters, marks and digits only: no punctuation, symbols (emoji, + and ™ too) or spaces."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LMN")


def _no_symbols(text: str) -> str:
    """Without symbols, emoji and +, and without ™ and ℡, which NFKC would spell out as letters; a symbol that
    stands for one letter or character (the Kangxi radical ⽀ for 支, Ⓐ for A) is kept for NFKC to map."""
    return "".join(c for c in text if unicodedata.category(c)[0] != "S" or len(unicodedata.normalize("NFKC", c)) == 1)


def _simplified(text: str) -> str:
    """NFKC (full-width -> ASCII), invisible characters removed, traditional Chinese -> simplified."""
    return _t2s().convert(unicodedata.normalize("NFKC", _visible(text)))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """NFKC, case folding, no invisible characters, punctuation, symbols or spaces, simplified Chinese."""
    folded = unicodedata.normalize("NFKC", _no_symbols(_visible(text))).casefold()
    return _letters(_t2s().convert(unicodedata.normalize("NFKC", folded)))


def _skeleton_map(text: str) -> str:
    table = _confusables()
    return unicodedata.normalize("NFD", "".join(table.get(c, c) for c in unicodedata.normalize("NFD", text)))


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """UTS #39's skeleton of the name: confusable characters mapped to their prototype (Cyrillic о -> o,
    0 -> O, 1 -> l), then case-folded and mapped again until nothing changes, so that case and script do not
    matter. The mapping runs before case folding: a capital I is mapped to l as the table says."""
    text = _letters(_simplified(_no_symbols(text)))
    for _ in range(4):
        mapped = _skeleton_map(_skeleton_map(text).casefold())
        if mapped == text:
            break
        text = mapped
    return _letters(unicodedata.normalize("NFKC", text))


def split_marketing(text: str) -> tuple[str, tuple[str, ...]]:
    """The core of a name and the marketing words around it: "美团 极速版" -> ("美团", ("极速版",)),
    "Twitter+" -> ("Twitter", ("+",)). Words are stripped from the end, then the start, as long as some of
    the name is left; the core is in simplified, NFKC form. The lists are MARKETING_SUFFIXES_CJK,
    MARKETING_SUFFIXES_LATIN, MARKETING_PREFIXES_CJK and MARKETING_PREFIXES_LATIN, plus "+", "++", a year
    and a single digit 2-9 at the end."""
    core = _simplified(text).strip()
    added: list[str] = []
    suffixes = (_CJK_SUFFIX, _LATIN_SUFFIX, _PLUS_SUFFIX, _NUMBER_SUFFIX)
    changed = True
    while changed:
        changed = False
        for pattern in suffixes:
            found = pattern.search(core)
            if found and _letters(core[: found.start()]):
                added.insert(0, _letters(found.group()) or found.group().strip())
                core = core[: found.start()].rstrip(" -_·:|/([{（【")
                changed = True
    for pattern in (_CJK_PREFIX, _LATIN_PREFIX):
        found = pattern.search(core)
        if found and _letters(core[found.end() :]):
            added.insert(0, found.group().strip())
            core = core[found.end() :].lstrip(" -_·:|/)]}）】")
    return core.strip(), tuple(added)


def _has_han(text: str) -> bool:
    return any(
        "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\U00020000" <= c <= "\U0003134f" for c in text
    )


@lru_cache(maxsize=65536)
def pinyin_syllables(text: str) -> tuple[str, ...]:
    """The toneless pinyin of the normalized name, one item per Chinese character; other runs kept whole."""
    return tuple(lazy_pinyin(normalize(text), style=Style.NORMAL, errors="default"))


def pinyin_key(text: str) -> str:
    """Toneless pinyin of the Chinese characters of the normalized name, other characters kept: 微信 and 威信
    both give "weixin", "QQ音乐" gives "qqyinyue"."""
    return "".join(pinyin_syllables(text))


# -- comparison ----------------------------------------------------------------------------------

DiffOp = tuple[str, str, str]


@dataclass(frozen=True)
class NameMatch:
    """How alike two names are: `score` 0..1 (CLONE_THRESHOLD and up: a suspected copy), `reasons` (short
    codes: identical, same_normalized, invisible_chars, traditional_simplified, same_skeleton, homophone,
    marketing_words, look_alike_chars, edit) and `diff`, the character alignment of the two names as given:
    ("equal" | "replace" | "insert" | "delete", text of a, text of b), runs of one kind merged. Only identical
    characters are "equal", so a full-width letter, a traditional character or a zero-width space shows."""

    score: float
    reasons: tuple[str, ...]
    diff: tuple[DiffOp, ...]


def _substitution_cost(a: str, b: str) -> tuple[float, bool]:
    """Cost of writing character b for a in a name, and whether it is a look-alike."""
    if a == b:
        return 0.0, False
    shape = shape_similarity(a, b)
    if shape >= LOOK_ALIKE:
        return max(0.05, 0.6 * (1.0 - shape)), True
    return 1.0, False


def weighted_edit_similarity(a: str, b: str) -> tuple[float, bool]:
    """1 - (edit distance / longer length), where a look-alike Chinese character costs 0.05 to 0.24 instead
    of 1; and whether a look-alike was used. The inputs are compared as given (pass skeletons)."""
    if not a and not b:
        return 1.0, False
    previous = [(float(j), False) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        current = [(float(i), False)]
        for j, cb in enumerate(b, 1):
            cost, alike = _substitution_cost(ca, cb)
            diagonal = previous[j - 1]
            options = [
                (previous[j][0] + 1.0, previous[j][1]),
                (current[j - 1][0] + 1.0, current[j - 1][1]),
                (diagonal[0] + cost, diagonal[1] or alike),
            ]
            current.append(min(options, key=lambda o: (o[0], not o[1])))
        previous = current
    distance, alike = previous[-1]
    return max(0.0, 1.0 - distance / max(len(a), len(b))), alike


def _compare(a: str, b: str) -> tuple[float, list[str]]:
    """Score and reasons for two names, without marketing words set aside."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0, []
    if na == nb:
        return SAME_NORMALIZED, ["same_normalized"]
    best, reasons = 0.0, []
    sa, sb = skeleton(a), skeleton(b)
    if sa and sa == sb:
        return SAME_SKELETON, ["same_skeleton"]
    if _has_han(na + nb) and pinyin_key(a) == pinyin_key(b):
        # 威信 for 微信 keeps a character; names that only sound alike (陌陌, 脉脉) are told, not flagged.
        best = HOMOPHONE if set(na) & set(nb) else HOMOPHONE_ONLY
        reasons = ["homophone"]
    edit, alike = weighted_edit_similarity(sa, sb)
    if edit > best:
        best, reasons = edit, ["look_alike_chars", "edit"] if alike else ["edit"]
    return best, reasons


def _char_cost(a: str, b: str) -> float:
    """Cost of aligning character a with b in the diff of the names as given."""
    if a == b:
        return 0.0
    if normalize(a) and normalize(a) == normalize(b):
        return 0.1
    if skeleton(a) and skeleton(a) == skeleton(b):
        return 0.2
    if pinyin_key(a) and _has_han(a + b) and pinyin_key(a) == pinyin_key(b):
        return 0.4
    return _substitution_cost(normalize(a) or a, normalize(b) or b)[0]


def _gap_cost(char: str) -> float:
    return 1.0 if normalize(char) else 0.3  # spaces, punctuation and invisible characters are cheap


def name_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """Character alignment of two names as given (see NameMatch.diff)."""
    n, m = len(a), len(b)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = cost[i - 1][0] + _gap_cost(a[i - 1])
    for j in range(1, m + 1):
        cost[0][j] = cost[0][j - 1] + _gap_cost(b[j - 1])
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + _char_cost(a[i - 1], b[j - 1]),
                cost[i - 1][j] + _gap_cost(a[i - 1]),
                cost[i][j - 1] + _gap_cost(b[j - 1]),
            )
    steps: list[DiffOp] = []
    i, j = n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + _char_cost(a[i - 1], b[j - 1]):
            steps.append(("equal" if a[i - 1] == b[j - 1] else "replace", a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + _gap_cost(a[i - 1]):
            steps.append(("delete", a[i - 1], ""))
            i -= 1
        else:
            steps.append(("insert", "", b[j - 1]))
            j -= 1
    merged: list[DiffOp] = []
    for op, x, y in reversed(steps):
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + x, merged[-1][2] + y)
        else:
            merged.append((op, x, y))
    return tuple(merged)


def name_similarity(a: str, b: str) -> NameMatch:
    """How alike two app names are: the best of the same name after `normalize`, the same `skeleton`, the
    same pinyin, the same core after `split_marketing` (scored MARKETING_FACTOR of the cores' match), and the
    edit similarity of the skeletons with look-alike Chinese characters nearly equal."""
    diff = name_diff(a, b)
    if a == b:
        return NameMatch(1.0 if normalize(a) else 0.0, ("identical",), diff)
    score, reasons = _compare(a, b)
    (core_a, added_a), (core_b, added_b) = split_marketing(a), split_marketing(b)
    if added_a or added_b:
        core_score, core_reasons = _compare(core_a, core_b)
        core_score *= MARKETING_FACTOR
        if core_score > score:
            score, reasons = core_score, ["marketing_words", *core_reasons]
        elif {normalize(w) for w in added_a} != {normalize(w) for w in added_b}:
            reasons = [*reasons, "marketing_words"]  # Twitter+: the words differ, the letters do not
    extra = []
    if any(is_invisible(c) for c in a + b):
        extra.append("invisible_chars")
    if score > 0 and (_t2s().convert(a) != a or _t2s().convert(b) != b):
        extra.append("traditional_simplified")
    return NameMatch(round(score, 4), tuple(dict.fromkeys([*reasons, *extra])), diff)


# -- candidate keys ------------------------------------------------------------------------------


def _grams(items: tuple[str, ...] | str, size: int) -> set[str]:
    return {"".join(items[i : i + size]) for i in range(len(items) - size + 1)}


def _shape_code(char: str) -> str:
    code = four_corner_code(char)
    return code[:4] if code else char


@lru_cache(maxsize=65536)
def name_keys(text: str) -> frozenset[str]:
    """Keys for an inverted index of names: a catalog name is a candidate for a submission when they share one.

    Of the core name (marketing words set aside) and, where different, of the whole name:
    - "s:" its skeleton (catches case, width, script, traditional characters, invisible characters);
    - "p:" its pinyin, "pb:" each pair of neighbouring syllables (homophones, one character changed);
    - "f:" its four corners (one code per Chinese character) and "fb:" each pair of neighbouring codes
      (look-alike characters: 宝/室 and 美/羙 share their four corners);
    - "b:" each pair of neighbouring characters of the skeleton where it has Chinese characters, "t:" each
      three of them otherwise (a changed or added letter leaves most trigrams).
    A name of one character or letter has only its "s:", "p:" and "f:" keys.
    """
    core, _ = split_marketing(text)
    keys: set[str] = set()
    for name in dict.fromkeys([core, text]):
        skel = skeleton(name)
        if not skel:
            continue
        keys.add(f"s:{skel}")
        if _has_han(skel):
            syllables = pinyin_syllables(name)
            keys.add(f"p:{''.join(syllables)}")
            keys |= {f"pb:{gram}" for gram in _grams(tuple(s + "|" for s in syllables), 2)}
            codes = tuple(_shape_code(c) + "|" for c in skel)
            keys.add(f"f:{''.join(codes)}")
            keys |= {f"fb:{gram}" for gram in _grams(codes, 2)}
            keys |= {f"b:{gram}" for gram in _grams(skel, 2)}
        else:
            keys |= {f"t:{gram}" for gram in _grams(skel, 3)}
    return frozenset(keys)
