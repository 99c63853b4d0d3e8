"""The clone search on real APKs: how well it finds counterfeits and how often it cries wolf.

Catalog: the clone fixtures' originals (tests/data/clones), the demo apps and one half of the corpus
(../shared/corpus/apks, each file its own developer). Queries, each through the whole search (index
candidates, every signal, the verdict) with the default thresholds:
  * the counterfeit fixtures: recall@1 and @5 of their original, and how many are called counterfeits;
  * the update, the sibling app and the unrelated look-alike: their verdicts;
  * the other half of the corpus, the apps whose package the catalog does not hold, filed by new
    developers: the share called counterfeits (false alarms, target <= 1%; each one is listed).
Also the time per query (p50/p95) and the time to fill the catalog.

    python bench/clone_search.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLONES = ROOT / "tests" / "data" / "clones"
CORPUS = ROOT.parent / "shared" / "corpus" / "apks"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def prints_label(path: Path) -> str:
    from reviewer_app.apk.reader import read_apk

    facts = read_apk(path)
    return f"{facts.package}, {facts.label!r}"


def main() -> int:
    from reviewer_app.apk.reader import read_apk
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService
    from reviewer_app.review.catalog import add_apks
    from reviewer_app.review.clones import CloneSearch, package_prints

    index = json.loads((CLONES / "index.json").read_text(encoding="utf-8"))
    # The top folder only: apksig/ is one test app ("Tiny App for CTS") signed with a hundred keys, each
    # of them, rightly, a counterfeit of the others.
    corpus = sorted(CORPUS.glob("*.apk"))
    in_catalog, queries = corpus[::2], corpus[1::2]
    service = ReviewService(Settings(data_dir=Path(tempfile.mkdtemp(prefix="clone-bench-")), reviewer="bench"))
    started = time.perf_counter()
    for entry in index:
        if entry["kind"] == "original":
            list(add_apks(service, [str(CLONES / entry["file"])], f"developer {entry['signer']}"))
    demo = sorted((ROOT / "resources" / "demo" / "apks").glob("*.apk"))
    for i, path in enumerate([*demo, *in_catalog]):
        list(add_apks(service, [str(path)], f"catalog developer {i}"))
    filled = time.perf_counter() - started
    search = CloneSearch(service.store)
    search.refresh()
    print(f"catalog: {search.size} apps (3 originals, {len(demo)} demo apps, {len(in_catalog)} corpus APKs) filled "
          f"in {filled:.1f} s (parse and fingerprints of each)")  # fmt: skip

    times: list[float] = []

    def run(path: Path, developer: str):
        facts = read_apk(path)
        if not facts.ok:
            return None
        prints = package_prints(facts.to_json(), developer, str(path), facts.icon_png, service.settings.limits)
        t0 = time.perf_counter()
        result = search.search(prints, service.clock(), top_k=5)
        times.append(time.perf_counter() - t0)
        return result

    originals = {e["file"]: e["package"] for e in index if e["kind"] == "original"}
    at1 = at5 = called = 0
    counterfeits = [e for e in index if e["kind"] == "counterfeit"]
    for entry in counterfeits:
        result = run(CLONES / entry["file"], f"developer {entry['signer']}")
        packages = [c.package for c in result.candidates]
        at1 += bool(packages) and packages[0] == originals[entry["original"]]
        at5 += originals[entry["original"]] in packages
        called += result.verdict == "counterfeit_suspected"
    print(f"counterfeits ({len(counterfeits)}): recall@1 {at1 / len(counterfeits):.2f}, recall@5 "
          f"{at5 / len(counterfeits):.2f}, called counterfeit {called}/{len(counterfeits)}")  # fmt: skip
    for entry in index:
        if entry["kind"] in ("update", "sibling", "unrelated"):
            developer = f"developer {entry['signer']}"
            print(f"  {entry['kind']:9} {entry['file']}: {run(CLONES / entry['file'], developer).verdict}")

    # False alarms: corpus apps whose package the catalog half does not hold (the corpus carries several
    # builds of one app: one of them filed by a new developer is a copy, rightly called a counterfeit).
    held = {app.package for app in service.store.catalog_apps(limit=1_000_000)}
    alarms = []
    judged = 0
    for i, path in enumerate(queries):
        facts = read_apk(path)
        if not facts.ok or facts.package in held:
            continue
        result = run(path, f"new developer {i}")
        if result is None:
            continue
        judged += 1
        if result.verdict == "counterfeit_suspected":
            best = result.candidates[0]
            alarms.append(f"{path.name} ({result.candidates and prints_label(path)}) -> {best.package} "
                          f"({best.label}) {best.signals}")  # fmt: skip
    print(f"other corpus apps filed by new developers: {len(alarms)}/{judged} called counterfeits "
          f"({len(alarms) / max(judged, 1):.1%})")  # fmt: skip
    for alarm in alarms:
        print(f"  {alarm}")
    print(f"query time over {len(times)} searches: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {percentile(times, 0.95) * 1000:.1f} ms (candidates scored on every signal)")  # fmt: skip
    service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
