"""The clone index over small catalogs: each layer finds the original of a copy, the icon radius holds, common
keys do not flood, and adding or removing an app shows in the next query."""

from __future__ import annotations

import random

import pytest

from reviewer_app.similarity.index import LAYERS, CloneIndex


def keys_of(text: str) -> list[str]:
    """Character bigrams and the whole text: enough keys for the index's tests."""
    return [text, *(text[i : i + 2] for i in range(len(text) - 1))]


def flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


class Catalog:
    def __init__(self, size: int, seed: int = 1, **options) -> None:
        self.rng = random.Random(seed)
        self.index = CloneIndex(**options)
        self.apps: dict[int, dict] = {}
        for app_id in range(1000, 1000 + size):
            self.add(app_id)

    def add(self, app_id: int, **overrides) -> dict:
        rng = self.rng
        app = {
            "name_keys": keys_of("".join(rng.choice("天气音乐视频地图购物金融阅读相机助手管家宝通") for _ in range(6))),
            "package_keys": keys_of(f"com.{rng.getrandbits(40):x}.app"),
            "icon_hashes": [rng.getrandbits(64) for _ in range(3)],
            "certificates": [f"{rng.getrandbits(256):064x}"],
            "developer": f"dev{app_id % 50}",
        } | overrides
        self.index.add(app_id, **app)
        self.apps[app_id] = app
        return app


def ids(pairs):
    return [app_id for app_id, _ in pairs]


def test_an_empty_index_answers_every_layer_with_nothing():
    index = CloneIndex()
    found = index.candidates(name_keys=["微信"], package_keys=["com"], icon_hashes=[1, 2, 3], certificates=["ab"])
    assert found == {layer: [] for layer in LAYERS}
    assert len(index) == 0
    assert not index.remove(5)


def test_a_clone_is_found_in_each_layer_with_the_original_first():
    catalog = Catalog(2000)
    rng = random.Random(9)
    original = catalog.apps[1500]
    found = catalog.index.candidates(
        name_keys=keys_of(original["name_keys"][0] + "极速版"),
        package_keys=keys_of(original["package_keys"][0] + ".pro"),
        icon_hashes=[flip(h, 6, rng) for h in original["icon_hashes"]],
        certificates=original["certificates"],
    )
    for layer in LAYERS:
        assert found[layer], layer
        assert found[layer][0][0] == 1500, (layer, found[layer][:3])
    assert found["certificate"] == [(1500, 1.0)]
    assert found["icon"][0][1] == pytest.approx(1 - 6 / 32)
    # Scores are in 0..1 and best first.
    for pairs in found.values():
        scores = [score for _, score in pairs]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


def test_an_identical_name_scores_one_and_a_longer_copy_less():
    catalog = Catalog(300)
    name = catalog.apps[1100]["name_keys"]
    exact = catalog.index.candidates(name_keys=name)["name"]
    assert exact[0] == (1100, pytest.approx(1.0))
    longer = catalog.index.candidates(name_keys=keys_of(name[0] + "极速版"))["name"]
    assert longer[0][0] == 1100
    assert 0.3 < longer[0][1] < 1.0


def test_the_icon_radius_is_honoured():
    catalog = Catalog(500)
    rng = random.Random(3)
    base = rng.getrandbits(64)
    catalog.add(1, icon_hashes=[base, None, None])
    index = catalog.index
    at_12 = index.candidates(icon_hashes=[flip(base, 12, rng)])["icon"]
    at_13 = index.candidates(icon_hashes=[flip(base, 13, rng)])["icon"]
    at_20 = index.candidates(icon_hashes=[flip(base, 20, rng)])["icon"]
    assert (1, pytest.approx(1 - 12 / 32)) in at_12
    assert 1 not in ids(at_13)
    assert 1 not in ids(at_20)
    assert 1 in ids(index.candidates(icon_hashes=[flip(base, 20, rng)], icon_radius=20)["icon"])
    assert ids(index.layer_candidates("icon", icon_hashes=[base])) == [1]


def test_icon_variants_are_compared_with_their_own_kind_and_the_best_one_counts():
    index = CloneIndex()
    index.add(1, name_keys=[], package_keys=[], icon_hashes=[0, 0xFFFF, None], certificates=[], developer="d")
    # The query's first variant equals the app's second: different kinds of hash, no match.
    assert index.candidates(icon_hashes=[0xFFFF, 0])["icon"] == []
    # An app without a third variant never matches on it, even a query of all zeroes.
    assert index.candidates(icon_hashes=[None, None, 0])["icon"] == []
    # Best of the variants: first is 3 bits off, second exact.
    assert index.candidates(icon_hashes=[0b111, 0xFFFF])["icon"] == [(1, 1.0)]
    assert index.candidates(icon_hashes=[0b111, None])["icon"] == [(1, pytest.approx(1 - 3 / 32))]
    with pytest.raises(ValueError):
        index.candidates(icon_hashes=[1, 2, 3, 4])
    with pytest.raises(ValueError):
        index.add(2, name_keys=[], package_keys=[], icon_hashes=[1, 2, 3, 4], certificates=[], developer="d")


def test_negative_hashes_are_read_as_64_bit_twos_complement():
    index = CloneIndex()
    index.add(1, name_keys=[], package_keys=[], icon_hashes=[-1], certificates=[], developer="d")
    assert index.candidates(icon_hashes=[(1 << 64) - 1])["icon"] == [(1, 1.0)]


def test_common_keys_do_not_flood_the_results():
    catalog = Catalog(0, max_postings=100)
    for app_id in range(1, 501):
        catalog.add(app_id, name_keys=["app", "助手", f"unique{app_id}"])
    index = catalog.index
    # Over the posting cap: "app" finds nothing by itself.
    assert index.candidates(name_keys=["app"])["name"] == []
    # A rare key with a common one: the app with the rare key only, not 500 others.
    found = index.candidates(name_keys=["app", "unique42"])["name"]
    assert ids(found) == [42]
    # Under the cap a common key finds its apps, but the rare key in common ranks far above.
    wide = CloneIndex()
    for app_id in range(1, 501):
        wide.add(
            app_id, name_keys=["app", f"unique{app_id}"], package_keys=[], icon_hashes=[], certificates=[], developer=""
        )
    found = wide.candidates(name_keys=["app", "unique42"], limit_per_layer=10)["name"]
    assert len(found) == 10
    assert found[0] == (42, pytest.approx(1.0))
    assert found[1][1] < 0.3


def test_limit_per_layer_is_honoured():
    catalog = Catalog(0)
    for app_id in range(1, 301):
        catalog.add(app_id, certificates=["shared"], name_keys=["same"], icon_hashes=[7, 7, 7])
    found = catalog.index.candidates(name_keys=["same"], certificates=["shared"], icon_hashes=[7], limit_per_layer=25)
    assert {layer: len(pairs) for layer, pairs in found.items()} == {
        "name": 25,
        "package": 0,
        "icon": 25,
        "certificate": 25,
    }
    assert all(len(set(ids(pairs))) == len(pairs) for pairs in found.values())


def test_a_certificate_matches_exactly():
    catalog = Catalog(200)
    cert = catalog.apps[1010]["certificates"][0]
    catalog.add(2, certificates=["other", cert])
    index = catalog.index
    assert sorted(ids(index.candidates(certificates=[cert])["certificate"])) == [2, 1010]
    assert index.candidates(certificates=[cert[:-1]])["certificate"] == []
    assert index.candidates(certificates=[cert.upper()])["certificate"] == []
    assert index.candidates(certificates=["other"])["certificate"] == [(2, 1.0)]


def test_adds_and_removes_show_in_the_next_query():
    catalog = Catalog(1000)
    index = catalog.index
    query = {
        "name_keys": keys_of("超级手电筒"),
        "package_keys": keys_of("com.torch.light"),
        "icon_hashes": [123, 456, 789],
        "certificates": ["cafe"],
    }
    assert all(7 not in ids(pairs) for pairs in index.candidates(**query).values())
    catalog.add(7, **query)
    assert len(index) == 1001
    assert 7 in index
    assert index.developer_of(7) == "dev7"
    assert all(ids(pairs)[:1] == [7] for pairs in index.candidates(**query).values())

    assert index.remove(7)
    assert len(index) == 1000
    assert 7 not in index
    assert index.developer_of(7) is None
    assert all(7 not in ids(pairs) for pairs in index.candidates(**query).values())

    # The freed slot goes to the next app: nothing of app 7 stays attached to it.
    catalog.add(8, icon_hashes=[None, None, None], certificates=[])
    assert all(8 not in ids(pairs) for pairs in index.candidates(**query).values())


def test_adding_an_app_id_again_replaces_it():
    index = CloneIndex()
    common = {"package_keys": [], "certificates": [], "developer": "d"}
    index.add(1, name_keys=["旧名字"], icon_hashes=[1], **common)
    index.add(1, name_keys=["新名字"], icon_hashes=[2], **common)
    assert len(index) == 1
    assert index.candidates(name_keys=["旧名字"])["name"] == []
    assert index.candidates(name_keys=["新名字"])["name"] == [(1, pytest.approx(1.0))]
    assert index.candidates(icon_hashes=[1])["icon"] == [(1, pytest.approx(1 - 2 / 32))]


def test_removing_every_app_leaves_an_empty_index_that_still_works():
    catalog = Catalog(50)
    for app_id in list(catalog.apps):
        assert catalog.index.remove(app_id)
    app = catalog.apps[1020]
    assert catalog.index.candidates(**{k: v for k, v in app.items() if k != "developer"}) == {
        layer: [] for layer in LAYERS
    }
    catalog.add(3, **{k: v for k, v in app.items() if k != "developer"})
    found = catalog.index.candidates(name_keys=app["name_keys"], icon_hashes=app["icon_hashes"])
    assert ids(found["name"]) == [3]
    assert ids(found["icon"]) == [3]


def test_layer_candidates_names_an_unknown_layer():
    with pytest.raises(ValueError, match="unknown layer"):
        CloneIndex().layer_candidates("code")


def test_a_key_shared_by_apps_removed_one_by_one_finds_the_rest():
    index = CloneIndex()
    for app_id in (1, 2, 3):
        index.add(
            app_id,
            name_keys=["共享", f"own{app_id}"],
            package_keys=[],
            icon_hashes=[],
            certificates=["k"],
            developer="",
        )
    assert sorted(ids(index.candidates(name_keys=["共享"])["name"])) == [1, 2, 3]
    index.remove(2)
    assert sorted(ids(index.candidates(name_keys=["共享"])["name"])) == [1, 3]
    index.remove(1)
    assert index.candidates(certificates=["k"])["certificate"] == [(3, 1.0)]
    assert ids(index.candidates(name_keys=["共享"])["name"]) == [3]
    index.remove(3)
    assert index.candidates(name_keys=["共享"], certificates=["k"]) == {layer: [] for layer in LAYERS}
    # The same app id comes back with the same keys.
    index.add(3, name_keys=["共享"], package_keys=[], icon_hashes=[], certificates=["k"], developer="")
    assert index.candidates(name_keys=["共享"])["name"] == [(3, pytest.approx(1.0))]


def test_a_query_key_no_app_holds_lowers_the_score():
    index = CloneIndex()
    for app_id in range(1, 101):
        index.add(
            app_id,
            name_keys=[f"n{app_id}", f"m{app_id}"],
            package_keys=[],
            icon_hashes=[],
            certificates=[],
            developer="",
        )
    same = index.candidates(name_keys=["n5", "m5"])["name"][0]
    more = index.candidates(name_keys=["n5", "m5", "never-seen"])["name"][0]
    assert same == (5, pytest.approx(1.0))
    assert more[0] == 5
    assert more[1] == pytest.approx(2 * 2 / (3 + 2))  # every key here is held by one app or none: equal weights
