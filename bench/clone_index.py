"""How fast does the clone index answer over a catalog of a million apps, how much memory does it take, and
does it find the originals of counterfeits?

A synthetic catalog (Chinese and English app names from word lists, packages com.<company>.<word>, three
random 64-bit icon hashes per app, certificates of developers, some of whom have many apps) is indexed; then
1,000 clones of catalog apps (name with a suffix or a changed character, icon hashes with 3-8 bits flipped,
package changed, another certificate) and 1,000 unrelated new apps are asked. Prints build time and memory,
p50/p95 query times per layer and for all layers, recall@1/@5 of the original, and the share of unrelated
apps whose best candidate scores above a threshold (false alarms).

The name and package keys are those of similarity/names.py and similarity/packages.py when they can be
imported, otherwise simple stand-ins defined here (the output says which).

    python bench/clone_index.py [--apps 1000000] [--queries 1000] [--seed 7]

On a 2-core development machine, a million apps, p95 per query:

                       build (CPU)  memory    name   package  icon  certificate  all layers  recall@1 (no icon)
    stand-in keys      23 s         629 MiB   14 ms   2.9 ms  4.0 ms  0.01 ms     17 ms      99.0% (60.4%)
    names.py/packages  34 s         855 MiB   21 ms    19 ms  3.1 ms  0.01 ms     36 ms      95.9% (54.9%)

(the second with the name and package keys of the similarity branch, about 24 name keys per app; a
certificate held by 8,852 apps: 1.5 ms). Unrelated apps whose best candidate scores above 0.8: 0.1% and
0.3%. Clones whose original scores above 0.8: 96.7% and 97.7%.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewer_app.similarity.index import LAYERS, CloneIndex  # noqa: E402

try:
    from reviewer_app.similarity.names import name_keys  # type: ignore[import-not-found]

    NAME_KEYS = "similarity.names.name_keys"
except ImportError:

    def name_keys(text: str) -> frozenset[str]:
        """Stand-in: character bigrams of the lowercased name without spaces, and the whole name."""
        folded = "".join(text.lower().split())
        return frozenset([folded, *(folded[i : i + 2] for i in range(len(folded) - 1))])

    NAME_KEYS = "stand-in (character bigrams + whole name; similarity/names.py not importable)"

try:
    from reviewer_app.similarity.packages import package_keys  # type: ignore[import-not-found]

    PACKAGE_KEYS = "similarity.packages.package_keys"
except ImportError:

    def package_keys(package: str) -> frozenset[str]:
        """Stand-in: the dotted segments, neighbouring pairs of them, and the whole package."""
        parts = package.lower().split(".")
        return frozenset([package.lower(), *parts, *(f"{a}.{b}" for a, b in itertools.pairwise(parts))])

    PACKAGE_KEYS = "stand-in (segments, pairs of segments, whole package; similarity/packages.py not importable)"


_ZH = (
    "天气 音乐 视频 地图 购物 金融 阅读 相机 浏览器 助手 管家 宝 通 钱包 短信 日历 闹钟 计算器 翻译 词典 新闻 头条 "
    "小说 漫画 直播 游戏 棋牌 斗地主 麻将 消消乐 跑酷 赛车 射击 外卖 打车 租房 招聘 健身 跑步 记账 理财 股票 基金 "
    "银行 保险 彩票 快递 旅行 酒店 机票 火车票 美食 菜谱 育儿 学习 英语 数学 作业 考试 驾考 医生 挂号 药店 美颜 "
    "修图 壁纸 主题 锁屏 清理 加速 省电 安全 杀毒 文件 云盘 备份 手电筒 录音 扫描 二维码 输入法 键盘 邮箱 社交 "
    "聊天 交友 相册 剪辑 铃声 收音机 电视 影视 追剧 读书 听书 天天 快乐 超级 全能 万能 极速 智能 掌上 口袋 随身 "
    "手机 大师 专家 精灵 达人 中心 之家 世界 王国 传奇 江湖 三国 西游 仙侠 修仙"
)
_EN = (
    "weather music video map shop money reader camera browser helper wallet message calendar alarm calculator "
    "translate dictionary news novel comic live game poker chess puzzle runner racing shooter food taxi rent job "
    "fitness run budget finance stock fund bank insurance lottery express travel hotel flight train recipe baby "
    "learn english math homework exam driving doctor pharmacy beauty photo editor wallpaper theme lock cleaner "
    "booster battery security antivirus file cloud backup flashlight recorder scanner qr keyboard mail social chat "
    "dating gallery cut ringtone radio tv movie drama book audio super smart pocket mobile master expert pro my "
    "easy fast quick daily best free"
)
ZH_WORDS = _ZH.split()
EN_WORDS = _EN.split()
SUFFIXES = ("极速版", "Pro", "Lite", "HD", "2024", "助手", "官方版", "Plus", "国际版", "免费版")
SIMILAR_CHARS = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def random_name(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return "".join(rng.choice(ZH_WORDS) for _ in range(rng.choice((2, 2, 3, 3, 4))))
    words = [rng.choice(EN_WORDS).capitalize() for _ in range(rng.choice((1, 2, 2, 3)))]
    return " ".join(words)


def random_company(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 9)))


def random_cert(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def mutate_name(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return name + rng.choice(SUFFIXES)
    position = rng.randrange(len(name))
    if roll < 0.7 and name[position] != " ":
        return (
            name[:position] + rng.choice(SIMILAR_CHARS if ord(name[position]) > 127 else LETTERS) + name[position + 1 :]
        )
    return name[:position] + rng.choice(SIMILAR_CHARS) + name[position:]


def mutate_package(package: str, rng: random.Random) -> str:
    parts = package.split(".")
    roll = rng.random()
    if roll < 0.4:
        return ".".join([*parts, rng.choice(("pro", "lite", "hd", "free"))])
    if roll < 0.7:
        company = parts[1]
        position = rng.randrange(len(company))
        parts[1] = company[:position] + rng.choice(LETTERS) + company[position + 1 :]
        return ".".join(parts)
    return ".".join([parts[0], random_company(rng), *parts[2:]])


def flip_bits(value: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), rng.randint(3, 8)):
        value ^= 1 << bit
    return value


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentiles(samples: list[tuple[float, float]]) -> str:
    """Wall-clock and CPU (this thread's) milliseconds: on a shared machine the wall clock includes waiting."""
    wall = np.array([w for w, _ in samples]) * 1000
    cpu = np.array([c for _, c in samples]) * 1000
    return (
        f"wall p50 {np.percentile(wall, 50):6.2f} p95 {np.percentile(wall, 95):6.2f} max {wall.max():7.2f} ms"
        f" | cpu p50 {np.percentile(cpu, 50):6.2f} p95 {np.percentile(cpu, 95):6.2f} ms"
    )


def timed(func, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.thread_time()
    result = func(*args, **kwargs)
    return result, (time.perf_counter() - wall, time.thread_time() - cpu)


def rank(found: dict[str, list[tuple[int, float]]]) -> tuple[list[int], float]:
    """App ids by their best layer score, best first (ties by app id), and the best score."""
    combined: dict[int, float] = {}
    for pairs in found.values():
        for app_id, score in pairs:
            if score > combined.get(app_id, -1.0):
                combined[app_id] = score
    ranking = sorted(combined, key=lambda a: (-combined[a], a))
    return ranking, combined[ranking[0]] if ranking else 0.0


def recall(ranks: list[int | None]) -> str:
    found = [r for r in ranks if r is not None]
    at1 = sum(r <= 1 for r in found) / len(ranks)
    at5 = sum(r <= 5 for r in found) / len(ranks)
    return f"recall@1 {at1:6.1%}   recall@5 {at5:6.1%}   anywhere {len(found) / len(ranks):6.1%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000, help="clones, and as many unrelated apps")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.8, help="best combined score that raises an alarm")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    nrng = np.random.default_rng(args.seed)

    print(f"name keys:    {NAME_KEYS}")
    print(f"package keys: {PACKAGE_KEYS}")
    started = time.perf_counter()
    # Developers: a few with thousands of apps, most with one or two (a Pareto tail).
    developers = max(1, args.apps // 5)
    dev_certs = [random_cert(rng) for _ in range(developers)]
    dev_company = [random_company(rng) for _ in range(developers)]
    app_dev = np.minimum((nrng.pareto(1.2, args.apps) * developers / 50).astype(np.int64), developers - 1)
    names = [random_name(rng) for _ in range(args.apps)]
    packages = [
        f"com.{dev_company[d]}.{rng.choice(EN_WORDS)}{rng.randint(0, 99) if rng.random() < 0.5 else ''}"
        for d in app_dev.tolist()
    ]
    hashes = nrng.integers(0, 2**64, size=(args.apps, 3), dtype=np.uint64, endpoint=False).tolist()
    biggest = np.bincount(app_dev).max()
    print(
        f"catalog: {args.apps:,} apps, {developers:,} developers (the biggest has {biggest:,} apps), generated in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    keys = [(name_keys(n), package_keys(p)) for n, p in zip(names, packages, strict=True)]
    key_seconds = time.perf_counter() - started
    gc.collect()
    rss_before = rss_mib()
    index = CloneIndex()
    started, cpu_started = time.perf_counter(), time.process_time()
    for app_id, ((nkeys, pkeys), icons, dev) in enumerate(zip(keys, hashes, app_dev.tolist(), strict=True)):
        index.add(
            app_id,
            name_keys=nkeys,
            package_keys=pkeys,
            icon_hashes=icons,
            certificates=(dev_certs[dev],),
            developer=f"dev{dev}",
        )
    build_seconds = time.perf_counter() - started
    build_cpu = time.process_time() - cpu_started
    gc.collect()
    rss_after = rss_mib()  # before the keys are dropped: what they free is not the index's
    del keys
    print(
        f"keys computed in {key_seconds:.1f} s; index built in {build_seconds:.1f} s, {build_cpu:.1f} s of CPU"
        f" ({build_cpu / args.apps * 1e6:.1f} µs per app)"
    )
    print(f"RSS growth while building: {rss_after - rss_before:,.0f} MiB (RSS now {rss_after:,.0f} MiB)")

    queries: list[tuple[str, dict, int | None]] = []
    for _ in range(args.queries):
        original = rng.randrange(args.apps)
        query = {
            "name_keys": name_keys(mutate_name(names[original], rng)),
            "package_keys": package_keys(mutate_package(packages[original], rng)),
            "icon_hashes": [flip_bits(h, rng) for h in hashes[original]],
            "certificates": (random_cert(rng),),
        }
        queries.append(("clone", query, original))
    existing = set(names)
    for _ in range(args.queries):
        name = random_name(rng)
        while name in existing:  # a new app: no live app has exactly its name (its words, though, are common)
            name = random_name(rng)
        query = {
            "name_keys": name_keys(name),
            "package_keys": package_keys(f"com.{random_company(rng)}.{rng.choice(EN_WORDS)}"),
            "icon_hashes": [rng.getrandbits(64) for _ in range(3)],
            "certificates": (random_cert(rng),),
        }
        queries.append(("unrelated", query, None))
    # A developer's own new app: same certificate as the biggest developer (the certificate layer's worst case).
    big_cert = dev_certs[int(np.bincount(app_dev).argmax())]

    print(
        f"\nquery times over {len(queries):,} queries ({args.queries:,} clones, {args.queries:,} unrelated), limit 200 per layer:"
    )
    for layer in LAYERS:
        times = [timed(index.layer_candidates, layer, **query)[1] for _, query, _ in queries]
        print(f"  {layer:<13} {percentiles(times)}")
    times = [timed(index.layer_candidates, "certificate", certificates=(big_cert,))[1] for _ in range(200)]
    print(f"  {'cert, big dev':<13} {percentiles(times)}  ({biggest:,} apps share that certificate)")

    times = []
    ranks: list[int | None] = []
    ranks_without_icon: list[int | None] = []
    best_unrelated: list[float] = []
    best_clone: list[float] = []
    alarm_layers = dict.fromkeys(LAYERS, 0)
    per_layer_found = dict.fromkeys(LAYERS, 0)
    for kind, query, original in queries:
        found, took = timed(index.candidates, **query)
        times.append(took)
        ranking, best = rank(found)
        if kind == "clone":
            for layer, pairs in found.items():
                per_layer_found[layer] += original in {app_id for app_id, _ in pairs}
            ranks.append(ranking.index(original) + 1 if original in ranking else None)
            without_icon, _ = rank({layer: pairs for layer, pairs in found.items() if layer != "icon"})
            ranks_without_icon.append(without_icon.index(original) + 1 if original in without_icon else None)
            best_clone.append(best)
        else:
            best_unrelated.append(best)
            for layer, pairs in found.items():
                if pairs and pairs[0][1] > args.threshold:
                    alarm_layers[layer] += 1
    print(f"  {'all layers':<13} {percentiles(times)}")

    print(f"\nclones ({len(ranks):,}): the original among the candidates of each layer:")
    for layer in LAYERS:
        print(f"  {layer:<13} {per_layer_found[layer] / len(ranks):6.1%}")
    print(f"  all layers    {recall(ranks)}   (ranked by the best layer score; ties by app id)")
    print(f"  without icon  {recall(ranks_without_icon)}   (as if the counterfeit had redrawn its icon)")
    unrelated = np.array(best_unrelated)
    clone = np.array(best_clone)
    print("\nbest combined score of a query (max over its candidates' layer scores):")
    for threshold in sorted({0.6, 0.7, args.threshold, 0.9}):
        print(
            f"  > {threshold:.2f}: unrelated (false alarms) {np.mean(unrelated > threshold):6.1%}   clones {np.mean(clone > threshold):6.1%}"
        )
    print(
        f"  unrelated apps above {args.threshold:.2f} by layer: "
        + ", ".join(f"{k} {v / len(unrelated):.1%}" for k, v in alarm_layers.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
