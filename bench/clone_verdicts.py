"""The whole clone search (index candidates, every signal, the verdict) over a synthetic catalog of a million
apps: does it find the originals of counterfeits, call them counterfeits, and leave unrelated apps alone?

bench/clone_index.py measures the index alone (ranked by the best layer score); this one fills a throw-away
SQLite store with the catalog (`Store.add_catalog_apps`, rows as `Prints.catalog_row` makes them), builds the
index with `CloneSearch.refresh()` and asks `CloneSearch.search()` with the default thresholds.

Catalog: names from bench/clone_index.py's word lists (70% Chinese), packages com.<company>.<word>,
developers with a Pareto tail of apps (a developer's apps share its certificate), icon prints with
structure (pHash and dHash of the whole icon random; the trimmed one 0-3 bits from the whole, each masked
one 6-14 bits from it), a code MinHash for 10% of the apps (no resources).

Queries:
  * clones of random catalog apps, each with one name trick (a look-alike character: Cyrillic letters or a
    Chinese 形近字; a marketing suffix; full-width letters; traditional characters via OpenCC s2t; a
    homophone; one character changed), one icon trick (recompressed: 1-4 bits flipped in every hash; badge:
    one masked variant within 2 bits, the rest 12-20 bits off; redrawn: a new icon), the package renamed,
    another developer and certificate; a clone of an app with code carries code 80% alike half the time;
  * unrelated new apps: names from the same generator that no catalog app has, random icons, new
    developers and packages;
  * updates of catalog apps by their developer (same package, developer and certificate, icon 0-3 bits off,
    the name unchanged or with a version word).
Prints the catalog's insert time, the index's build time and memory, per-query times (index, rows, the
rest: signals and verdict), recall@1/@5 of the original, the verdict shares per kind of query and per
trick, and which signal made the unrelated apps' close candidates close.

    python bench/clone_verdicts.py [--apps 1000000] [--queries 1000] [--updates 300] [--seed 7]

On a 2-core shared development machine, a million apps, with the verdict of review/clones.py as it is now
(--apps 1000000 --queries 300 --updates 100, 599 s in all):

    insert 1M rows (add_catalog_apps, 10k a batch)   133 s (80 s of it making the rows), DB 814 MiB
    index (CloneSearch.refresh)                       276 s (276 µs per app), RSS growth 1,316 MiB
    whole search per query    p50 208 ms  p95 454 ms  (index 25/40; the rest scores ~400 candidates)
    clones (300)              recall@1 99.3%  @5 99.3%  called counterfeit 98.0%
    unrelated new apps (300)  called counterfeit 0.0%    (target <= 1%)
    updates by the developer  called counterfeit 0.0%, family 100%

Misses: with the icon redrawn (the name alone) 79% are called counterfeits; a changed character (one of
four, name 0.75 < 0.8) and a full-width name in a crowded catalog are the ones missed. Before the verdict
required a name merely a few characters apart to be backed by the icon or the package, and called updates
of live apps their developer's family, the same run (500/500/200 queries) called 28.0% of unrelated apps
and 68.0% of updates counterfeits: 'Browser Smart Run' / 'Browser Smart Cut' (0.875), 健身彩票达人 /
健身机票达人 (0.833), and updates clashing with another developer's identical generic name. The synthetic
names are combinations of ~250 common words, denser than a real store's.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _sibling(name: str) -> Any:
    """A script beside this one, loaded by its path (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_index_bench = _sibling("clone_index")
EN_WORDS, LETTERS, SIMILAR_CHARS, ZH_WORDS = (
    _index_bench.EN_WORDS,
    _index_bench.LETTERS,
    _index_bench.SIMILAR_CHARS,
    _index_bench.ZH_WORDS,
)
mutate_package, random_cert, random_company = (
    _index_bench.mutate_package,
    _index_bench.random_cert,
    _index_bench.random_company,
)
random_name, rss_mib = _index_bench.random_name, _index_bench.rss_mib

from reviewer_app.review.clones import CloneSearch, Prints, catalog_prints, is_close  # noqa: E402
from reviewer_app.similarity.code import CodePrint  # noqa: E402
from reviewer_app.similarity.icons import IconPrint  # noqa: E402
from reviewer_app.store import Store  # noqa: E402

BATCH = 10_000
CODE_SHARE = 0.1
CYRILLIC = dict(zip("aceopxyijsACEHKMOPTXB", "асеорхуіјѕАСЕНКМОРТХВ", strict=True))
SUFFIXES = ("极速版", " Pro", " Lite", "+", " HD", "官方版", "Plus", " 2024")
NAME_TRICKS = ("look_alike", "suffix", "full_width", "traditional", "homophone", "changed_char")
ICON_TRICKS = ("recompressed", "badge", "redrawn")
ICON_WEIGHTS = (0.45, 0.45, 0.10)


def flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def random_icon(rng: random.Random) -> IconPrint:
    """Hashes of one icon: the trimmed one close to the whole one, each masked one a little further."""
    phash, dhash = rng.getrandbits(64), rng.getrandbits(64)
    return IconPrint(
        phash=phash,
        dhash=dhash,
        trim_phash=flip(phash, rng.randint(0, 3), rng),
        trim_dhash=flip(dhash, rng.randint(0, 3), rng),
        masked_phash=tuple(flip(phash, rng.randint(6, 14), rng) for _ in range(4)),  # type: ignore[arg-type]
        masked_dhash=tuple(flip(dhash, rng.randint(6, 14), rng) for _ in range(4)),  # type: ignore[arg-type]
    )


def shift_icon(icon: IconPrint, low: int, high: int, rng: random.Random, keep: int | None = None) -> IconPrint:
    """Every hash `low`..`high` bits off; masked variant `keep` (a badge's corner) only 0-2 bits off."""

    def moved(value: int, quadrant: int | None = None) -> int:
        if keep is not None and quadrant == keep:
            return flip(value, rng.randint(0, 2), rng)
        return flip(value, rng.randint(low, high), rng)

    return IconPrint(
        phash=moved(icon.phash),
        dhash=moved(icon.dhash),
        trim_phash=moved(icon.trim_phash),
        trim_dhash=moved(icon.trim_dhash),
        masked_phash=tuple(moved(v, q) for q, v in enumerate(icon.masked_phash)),  # type: ignore[arg-type]
        masked_dhash=tuple(moved(v, q) for q, v in enumerate(icon.masked_dhash)),  # type: ignore[arg-type]
    )


def random_code(rng: random.Random) -> CodePrint:
    return CodePrint(tuple(rng.getrandbits(32) for _ in range(128)), rng.randint(5, 800))


def look_alikes() -> dict[str, str]:
    """For each Chinese character of the word lists, its most look-alike other character (形近字), where
    shapes.py calls one look-alike."""
    from reviewer_app.similarity.shapes import LOOK_ALIKE, shape_similarity

    chars = sorted(set("".join(ZH_WORDS)))
    pool = sorted(set(SIMILAR_CHARS + "".join(chars) + "室羙夭太玉曰士已入未末东意竟戈代伐鸟乌巳八兔失矢甲由申田"))
    table = {}
    for char in chars:
        score, other = max((shape_similarity(char, b), b) for b in pool if b != char)
        if score >= LOOK_ALIKE:
            table[char] = other
    return table


def homophones() -> dict[str, list[str]]:
    """Characters of the same toneless pinyin, among the word lists' and common characters."""
    from pypinyin import Style, lazy_pinyin

    by_sound: dict[str, list[str]] = defaultdict(list)
    for char in sorted(set("".join(ZH_WORDS) + SIMILAR_CHARS)):
        by_sound[lazy_pinyin(char, style=Style.NORMAL)[0]].append(char)
    return {c: [o for o in chars if o != c] for chars in by_sound.values() for c in chars if len(chars) > 1}


class Tricks:
    def __init__(self) -> None:
        import opencc

        self.s2t = opencc.OpenCC("s2t")
        self.alike = look_alikes()
        self.sounds = homophones()

    def name(self, name: str, trick: str, rng: random.Random) -> str | None:
        """The name with the trick played on it; None where the trick changes nothing in this name."""
        chinese = any("\u4e00" <= c <= "\u9fff" for c in name)
        if trick == "suffix":
            return name + rng.choice(SUFFIXES)
        if trick == "look_alike":
            places = [i for i, c in enumerate(name) if c in self.alike or c in CYRILLIC]
            if not places:
                return None
            i = rng.choice(places)
            return name[:i] + (self.alike.get(name[i]) or CYRILLIC[name[i]]) + name[i + 1 :]
        if trick == "full_width":
            if chinese:
                return None
            return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
        if trick == "traditional":
            changed = self.s2t.convert(name)
            return changed if changed != name else None
        if trick == "homophone":
            places = [i for i, c in enumerate(name) if c in self.sounds]
            if not places:
                return None
            i = rng.choice(places)
            return name[:i] + rng.choice(self.sounds[name[i]]) + name[i + 1 :]
        if trick == "changed_char":
            places = [i for i, c in enumerate(name) if c != " "]
            i = rng.choice(places)
            pool = SIMILAR_CHARS if ord(name[i]) > 127 else LETTERS
            return name[:i] + rng.choice([c for c in pool if c != name[i].lower()]) + name[i + 1 :]
        raise ValueError(trick)


def build_catalog(store: Store, apps: int, rng: random.Random, now: datetime) -> tuple[set[str], list[str]]:
    """Fill the store; the set of catalog names and each developer's name (index = its number)."""
    nrng = np.random.default_rng(rng.getrandbits(32))
    developers = max(1, apps // 5)
    dev_certs = [random_cert(rng) for _ in range(developers)]
    dev_company = [random_company(rng) for _ in range(developers)]
    dev_names = [f"{dev_company[d]} {d}" for d in range(developers)]
    app_dev = np.minimum((nrng.pareto(1.2, apps) * developers / 50).astype(np.int64), developers - 1).tolist()
    names: set[str] = set()
    started, cpu_started = time.perf_counter(), time.process_time()
    generate = 0.0
    for first in range(0, apps, BATCH):
        t0 = time.perf_counter()
        rows = []
        for dev in app_dev[first : first + BATCH]:
            name = random_name(rng)
            names.add(name)
            word = rng.choice(EN_WORDS)
            package = f"com.{dev_company[dev]}.{word}{rng.randint(0, 99) if rng.random() < 0.5 else ''}"
            prints = Prints(
                package=package,
                labels=(name,),
                developer=dev_names[dev],
                certificates=(dev_certs[dev],),
                icon=random_icon(rng),
                code=random_code(rng) if rng.random() < CODE_SHARE else None,
            )
            rows.append(prints.catalog_row("import", now))
        generate += time.perf_counter() - t0
        store.add_catalog_apps(rows)
        if (first // BATCH) % 20 == 19:
            print(f"  {first + BATCH:,} apps in {time.perf_counter() - started:.0f} s", flush=True)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    biggest = Counter(app_dev).most_common(1)[0][1]
    print(
        f"catalog: {apps:,} apps of {developers:,} developers (the biggest has {biggest:,} apps);"
        f" inserted in {took:.0f} s ({cpu:.0f} s of CPU, {generate:.0f} s of it making the rows),"
        f" {took / apps * 1e6:.0f} µs per app"
    )
    return names, dev_names


def percentiles(values: list[float]) -> str:
    ms = np.array(values) * 1000
    return f"p50 {np.percentile(ms, 50):6.1f}  p95 {np.percentile(ms, 95):6.1f}  max {ms.max():7.1f} ms"


def close_signal(candidate, thresholds) -> str:
    """Which signal made a candidate close (the first that does, in the order is_close checks)."""
    s, m = candidate.signals, candidate.matched
    if s["name"] >= thresholds.name:
        return "name (" + "+".join(m.get("name_reasons") or ()) + ")"
    if s["icon"] >= thresholds.icon:
        return "icon"
    if s["code"] is not None and s["code"] >= thresholds.code and m.get("code_classes", 5) >= 5:
        return "code"
    return "resources"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000, help="clones, and as many unrelated apps")
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--examples", type=int, default=8, help="misses and false alarms listed")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    run_started = time.perf_counter()

    tmp = Path(tempfile.mkdtemp(prefix="clone-verdicts-"))
    store = Store(f"sqlite:///{tmp / 'catalog.sqlite3'}", tmp / "blobs", reviewer="bench")
    names, _dev_names = build_catalog(store, args.apps, rng, now)
    size = (tmp / "catalog.sqlite3").stat().st_size
    print(f"database: {size / 2**20:,.0f} MiB ({size / args.apps:,.0f} bytes per app)")

    gc.collect()
    rss_before = rss_mib()
    search = CloneSearch(store)
    started, cpu_started = time.perf_counter(), time.process_time()
    search.refresh()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    gc.collect()
    rss_after = rss_mib()
    print(
        f"index: refresh() of {search.size:,} apps in {took:.0f} s ({cpu:.0f} s of CPU, {took / args.apps * 1e6:.0f}"
        f" µs per app); RSS growth {rss_after - rss_before:,.0f} MiB (RSS now {rss_after:,.0f} MiB)"
    )

    # Per-query time of each part: the index, reading the candidates' rows, the rest (signals, verdict).
    parts: dict[str, float] = {}
    index_candidates, rows_by_id = search.index.candidates, store.catalog_apps_by_id

    def timed_candidates(**kwargs):
        t0 = time.perf_counter()
        found = index_candidates(**kwargs)
        parts["index"] = time.perf_counter() - t0
        parts["candidates"] = len({a for hits in found.values() for a, _ in hits})
        return found

    def timed_rows(ids):
        t0 = time.perf_counter()
        found = rows_by_id(ids)
        parts["rows"] = time.perf_counter() - t0
        return found

    search.index.candidates = timed_candidates
    store.catalog_apps_by_id = timed_rows

    tricks = Tricks()
    originals = rng.sample(range(1, args.apps + 1), args.queries + args.updates)
    apps = rows_by_id(originals)
    queries: list[tuple[str, str, str, Prints, int | None]] = []  # kind, name trick, icon trick, prints, original
    for original in originals[: args.queries]:
        app = catalog_prints(apps[original])
        trick = rng.choice(NAME_TRICKS)
        name = tricks.name(app.labels[0], trick, rng)
        while name is None or name == app.labels[0]:
            trick = rng.choice(NAME_TRICKS)
            name = tricks.name(app.labels[0], trick, rng)
        icon_trick = rng.choices(ICON_TRICKS, ICON_WEIGHTS)[0]
        if icon_trick == "recompressed":
            icon = shift_icon(app.icon, 1, 4, rng)
        elif icon_trick == "badge":
            icon = shift_icon(app.icon, 12, 20, rng, keep=rng.randrange(4))
        else:
            icon = random_icon(rng)
        code = None
        if app.code is not None and rng.random() < 0.5:
            code = CodePrint(tuple(v if rng.random() < 0.8 else rng.getrandbits(32) for v in app.code.minhash),
                             app.code.classes + rng.randint(0, 20))  # fmt: skip
        clone = Prints(mutate_package(app.package, rng), (name,), f"counterfeiter {original}", (random_cert(rng),),
                       icon=icon, code=code)  # fmt: skip
        queries.append(("clone", trick, icon_trick, clone, original))
    for _ in range(args.queries):
        name = random_name(rng)
        while name in names:
            name = random_name(rng)
        new = Prints(f"com.{random_company(rng)}.{rng.choice(EN_WORDS)}", (name,), f"newcomer {len(queries)}",
                     (random_cert(rng),), icon=random_icon(rng),
                     code=random_code(rng) if rng.random() < CODE_SHARE else None)  # fmt: skip
        queries.append(("unrelated", "-", "-", new, None))
    for original in originals[args.queries :]:
        app = catalog_prints(apps[original])
        label = app.labels[0] + (rng.choice((" 2", " 2.0", "")) if rng.random() < 0.3 else "")
        update = Prints(app.package, (label,), app.developer, app.certificates, icon=shift_icon(app.icon, 0, 3, rng),
                        code=app.code)  # fmt: skip
        queries.append(("update", "-", "-", update, original))

    print(
        f"\n{len(queries):,} queries ({args.queries:,} clones, {args.queries:,} unrelated, {args.updates:,} updates),"
        " each through CloneSearch.search():"
    )
    records = []
    times: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for number, (kind, trick, icon_trick, prints, original) in enumerate(queries, 1):
        parts.clear()
        t0 = time.perf_counter()
        result = search.search(prints, now)
        total = time.perf_counter() - t0
        times["whole search"].append(total)
        times["  index"].append(parts["index"])
        times["  rows"].append(parts["rows"])
        times["  signals+verdict"].append(total - parts["index"] - parts["rows"])
        times["candidates"].append(parts["candidates"])
        ids = [c.catalog_id for c in result.candidates]
        rank = ids.index(original) + 1 if original in ids else None
        records.append((kind, trick, icon_trick, prints, original, result, rank))
        if number % 500 == 0:
            print(f"  {number:,} queries in {time.perf_counter() - started:.0f} s", flush=True)
    for label, values in times.items():
        if label == "candidates":
            print(f"  candidates per query: median {statistics.median(values):.0f}, max {max(values):.0f}")
        else:
            print(f"  {label:<17} {percentiles(values)}")

    def summary(rows: list) -> str:
        n = len(rows)
        verdicts = Counter(r[5].verdict for r in rows)
        line = f"n {n:5,}  counterfeit {verdicts['counterfeit_suspected'] / n:6.1%}"
        line += f"  family {verdicts['same_developer_family'] / n:6.1%}  no match {verdicts['no_match'] / n:6.1%}"
        if rows[0][4] is not None:
            at1 = sum(r[6] == 1 for r in rows) / n
            at5 = sum(r[6] is not None and r[6] <= 5 for r in rows) / n
            line = f"recall@1 {at1:6.1%}  @5 {at5:6.1%}  " + line
        return line

    by_kind = defaultdict(list)
    for record in records:
        by_kind[record[0]].append(record)
    print("\nverdicts:")
    for kind in ("clone", "unrelated", "update"):
        if by_kind[kind]:
            print(f"  {kind:<10} {summary(by_kind[kind])}")
    clones = by_kind["clone"]
    print("clones by name trick:")
    for trick in NAME_TRICKS:
        rows = [r for r in clones if r[1] == trick]
        if rows:
            print(f"  {trick:<13} {summary(rows)}")
    print("clones by icon trick:")
    for trick in ICON_TRICKS:
        rows = [r for r in clones if r[2] == trick]
        if rows:
            print(f"  {trick:<13} {summary(rows)}")
    print("clones by name trick, the icon redrawn (the name alone):")
    for trick in NAME_TRICKS:
        rows = [r for r in clones if r[1] == trick and r[2] == "redrawn"]
        if rows:
            print(f"  {trick:<13} {summary(rows)}")

    thresholds = search.thresholds
    print("\nwhat made a candidate of another developer close (signal: queries), counterfeit verdicts only:")
    for kind in ("clone", "unrelated", "update"):
        why: Counter[str] = Counter()
        for r in by_kind[kind]:
            if r[5].verdict != "counterfeit_suspected":
                continue
            for c in r[5].candidates:
                if (
                    c.developer != r[3].developer
                    and c.signals["certificate"] != "same"
                    and is_close(c.signals, thresholds, bool(c.matched.get("icon_common")), c.matched)
                ):
                    why[close_signal(c, thresholds)] += 1
                    break
        print(f"  {kind:<10} " + (", ".join(f"{k} {v}" for k, v in why.most_common()) or "-"))

    def show(r) -> str:
        best = r[5].candidates[0] if r[5].candidates else None
        mine = r[3].labels[0]
        if best is None:
            return f"    {mine!r}: no candidate"
        orig = f" (original {r[4]} at rank {r[6]})" if r[4] is not None else ""
        return (f"    {mine!r} [{r[1]}, {r[2]}] -> {r[5].verdict}: best {best.label!r} #{best.catalog_id}"
                f" name {best.signals['name']} icon {best.signals['icon']} pkg {best.signals['package']}{orig}")  # fmt: skip

    missed = [r for r in clones if r[5].verdict != "counterfeit_suspected" or r[6] != 1]
    alarms = [r for r in by_kind["unrelated"] + by_kind["update"] if r[5].verdict == "counterfeit_suspected"]
    if missed:
        print(f"\nclones not called counterfeit or not ranked first ({len(missed)}), a few:")
        for r in missed[: args.examples]:
            print(show(r))
    if alarms:
        print(f"unrelated apps and updates called counterfeit ({len(alarms)}), a few:")
        for r in alarms[: args.examples]:
            print(show(r))
    print(f"\nthe whole run took {time.perf_counter() - run_started:.0f} s (store in {tmp}, removed)")
    store.close()
    for path in sorted(tmp.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
