"""Counterfeits made the way counterfeiters make them (tests/data/clones: look-alike characters, full-width and
Cyrillic letters, marketing suffixes, a renamed package, a recoloured, cropped or badged icon, repackaged
code, traditional characters; each signed with another key) are found at rank 1 among many decoys, and the
legitimate relatives (an update, a sibling app of the same developer and key) and an unrelated app with a
similar word are not called counterfeits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer_app.review.catalog import add_apks
from reviewer_app.review.clones import CloneSearch, package_prints
from tests.corpus import corpus_files

ROOT = Path(__file__).resolve().parents[2]
CLONES = ROOT / "tests" / "data" / "clones"
INDEX = json.loads((CLONES / "index.json").read_text(encoding="utf-8"))
ORIGINALS = {e["file"]: e for e in INDEX if e["kind"] == "original"}
DEVELOPERS = {"penguin": "Penguin Tech", "kangaroo": "Kangaroo Group", "birdie": "Birdie Inc",
              "copycat": "Copy Cat Studio", "knockoff": "Knock Off Apps", "skysoft": "Sky Soft"}  # fmt: skip


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """The originals among decoys: the demo apps and the corpus's readable APKs, each by its own developer."""
    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    service = ReviewService(Settings(data_dir=tmp_path_factory.mktemp("catalog"), reviewer="lena"))
    by_file = {str(CLONES / name): DEVELOPERS[entry["signer"]] for name, entry in ORIGINALS.items()}
    assert all(ok for _p, ok, _e, _a in add_apks(service, list(by_file), by_file.__getitem__))
    decoys = [str(p) for p in sorted((ROOT / "resources" / "demo" / "apks").glob("*.apk")) + corpus_files()]
    numbers = {path: i for i, path in enumerate(decoys)}
    list(add_apks(service, decoys, lambda path: f"decoy developer {numbers[path]}"))
    search = CloneSearch(service.store)
    search.refresh()
    yield service, search
    service.close()


def search_for(catalog, entry):
    from reviewer_app.apk.reader import read_apk

    service, search = catalog
    path = CLONES / entry["file"]
    facts = read_apk(path)
    prints = package_prints(facts.to_json(), DEVELOPERS[entry["signer"]], str(path), facts.icon_png,
                            service.settings.limits)  # fmt: skip
    return search.search(prints, service.clock(), top_k=5)


@pytest.mark.parametrize("entry", [e for e in INDEX if e["kind"] == "counterfeit"], ids=lambda e: e["file"])
def test_each_counterfeit_finds_its_original_first(catalog, entry):
    result = search_for(catalog, entry)
    original = ORIGINALS[entry["original"]]
    assert result.catalog_size > len(ORIGINALS) + 5  # among many decoys
    assert result.candidates[0].package == original["package"], [c.package for c in result.candidates]
    assert result.verdict == "counterfeit_suspected"
    assert result.candidates[0].signals["certificate"] == "different"


@pytest.mark.parametrize("entry", [e for e in INDEX if e["kind"] in ("update", "sibling")], ids=lambda e: e["file"])
def test_the_developers_own_apps_are_not_counterfeits(catalog, entry):
    result = search_for(catalog, entry)
    assert result.verdict != "counterfeit_suspected"
    if entry["kind"] == "update":  # the same app: close on every signal, signed with the same key
        assert result.verdict == "same_developer_family"
        assert result.candidates[0].package == ORIGINALS[entry["original"]]["package"]
        assert result.candidates[0].signals["certificate"] == "same"


def test_an_unrelated_app_with_a_similar_word_is_no_counterfeit(catalog):
    (entry,) = [e for e in INDEX if e["kind"] == "unrelated"]
    assert search_for(catalog, entry).verdict != "counterfeit_suspected"


def test_what_matched_is_kept_for_the_panel(catalog):
    (entry,) = [e for e in INDEX if e["file"] == "shop-lookalike-char.apk"]
    best = search_for(catalog, entry).candidates[0]
    assert ["replace", "羙", "美"] in best.matched["name_diff"]
    assert "look_alike_chars" in best.matched["name_reasons"]
    assert best.matched["cert_subjects"] and best.matched["permissions"] is not None
