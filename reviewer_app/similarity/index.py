"""The catalog's clone index: which live apps share name keys, package keys, an icon or a signing certificate
with a submission, fast enough to ask over a catalog of a million apps.

It only finds candidates, each with a cheap score per layer; the name, package and icon comparisons proper
(similarity/names.py, packages.py, icons.py) then judge the few hundred it returns.

Layers and how each is searched:

- name, package: an inverted index, key -> the apps holding it. A layer score is the share of keys in common,
  weighted by rarity: Dice over the keys with weight idf(k) = ln(1 + N / df(k)) (N live apps, df(k) apps
  holding key k), 2 * w(common) / (w(query) + w(app)). A key no app holds weighs as one held by one app.
  Posting cap: a key held by more than `max_postings` apps ("app", "com", a common bigram) is not used to
  find candidates (reading its postings would cost more than it tells), but it still counts in the weights,
  so it cannot raise a score by much. A query made only of such keys finds nothing in that layer. The apps
  are first ranked by the weight of the keys in common; the best 2 * limit of them are then scored exactly.
  (Which of several apps tied at that cut make the shortlist may differ from one process to the next: keys
  are held by Python's hash, which each process seeds anew.)
- icon: one 64-bit perceptual hash per variant (phash, dhash, ...), compared variant with variant. Every
  query computes the Hamming distance to every live app with numpy (xor and bitwise_count over a uint64
  array: about a millisecond of CPU per variant at a million apps, whatever the radius and however the
  hashes cluster), and keeps those within `icon_radius` bits. Multi-index hashing (chunked exact lookups)
  was the alternative: for a radius of 12 it needs 13 chunks or many bit-flip probes per chunk, and
  clustered real-world icon hashes fill its buckets unevenly; the linear scan is simpler and fast enough.
  Score: 1 - d/32 (0 bits -> 1.0, 12 bits -> 0.625; unrelated hashes lie about 32 bits apart).
- certificate: exact match of a certificate digest -> 1.0.

Adding or removing an app costs O(its keys) (removing also scans the posting lists of its keys, at C speed).
Slots of removed apps are reused.

Thread safety: every public method holds one lock, so a background search may run while another thread adds.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

LAYERS = ("name", "package", "icon", "certificate")

HASH_BITS = 64
_MASK64 = (1 << HASH_BITS) - 1
_ABSENT = np.uint8(0x80)  # or-ed onto a distance (at most 64): no hash for that variant, or a free slot

Candidates = list[tuple[int, float]]


_KEY_BITS = (1 << 60) - 1  # a key is held as 60 bits of its hash: an int of two digits, no string


def _key_hashes(keys: Iterable[str]) -> list[int]:
    return list(dict.fromkeys(hash(key) & _KEY_BITS for key in keys))


class _Records:
    """Per slot, the key hashes of the three key layers (name, package, certificate) in one bytes object:
    int64 counts of the first two layers' keys, then every layer's hashes in turn. One object per app, not
    three: about 80 MB less at a million apps."""

    def __init__(self) -> None:
        self._rows: list[bytes | None] = []

    def put(self, slot: int, layers: Sequence[list[int]]) -> None:
        row = array("q", (len(layers[0]), len(layers[1])))
        for hashes in layers:
            row.extend(hashes)
        while len(self._rows) <= slot:
            self._rows.append(None)
        self._rows[slot] = row.tobytes()

    def pop(self, slot: int) -> bytes | None:
        row = self._rows[slot] if slot < len(self._rows) else None
        if row is not None:
            self._rows[slot] = None
        return row

    @staticmethod
    def part(row: bytes | None, position: int) -> bytes:
        """The hashes (bytes of int64) of layer `position` (0, 1, 2) in a row."""
        if row is None:
            return b""
        counts = memoryview(row)[:16].cast("q")
        bounds = (2, 2 + counts[0], 2 + counts[0] + counts[1], len(row) // 8)
        return row[8 * bounds[position] : 8 * bounds[position + 1]]

    def get(self, slot: int, position: int) -> bytes:
        return self.part(self._rows[slot] if slot < len(self._rows) else None, position)


class _KeyLayer:
    """Inverted index for one layer: key -> slots.

    A key is held as 60 bits of Python's hash of it (two keys of the same 60 bits, about one pair in 10^5 at
    five million keys, would share their postings; the hash differs between processes, so it is never
    stored). A posting is an int (one slot) or an array('i') of slots: most keys (a whole name, a whole
    package) belong to one app, and an int costs far less than an array. The number of apps holding a key
    is the length of its posting. Each slot's key hashes are kept (bytes of int64) to remove it and to
    weigh it."""

    def __init__(self, records: _Records, position: int) -> None:
        self._postings: dict[int, int | array] = {}
        self._records = records
        self._position = position
        self._scratch = np.zeros(0, dtype=np.float64)  # per-slot sums of one search; all zero between searches

    def df(self, key: int) -> int:
        posting = self._postings.get(key)
        if posting is None:
            return 0
        return 1 if isinstance(posting, int) else len(posting)

    def add(self, slot: int, keys: Iterable[str]) -> list[int]:
        """Index the slot's keys; their hashes, for its record."""
        hashes = _key_hashes(keys)
        postings = self._postings
        for key in hashes:
            posting = postings.get(key)
            if posting is None:
                postings[key] = slot
            elif isinstance(posting, int):
                postings[key] = array("i", (posting, slot))
            else:
                posting.append(slot)
        return hashes

    def remove(self, slot: int, record: bytes | None) -> None:
        hashes = array("q")
        hashes.frombytes(self._records.part(record, self._position))
        postings = self._postings
        for key in hashes:
            posting = postings[key]
            if isinstance(posting, int):
                del postings[key]
            else:
                posting.remove(slot)
                if len(posting) == 1:
                    postings[key] = posting[0]

    def _slots(self, key: int) -> np.ndarray:
        posting = self._postings.get(key)
        if posting is None:
            return np.empty(0, dtype=np.int32)
        if isinstance(posting, int):
            return np.array([posting], dtype=np.int32)
        return np.array(posting, dtype=np.int32)  # a copy: a view would stop the array from growing

    def exact(self, keys: Iterable[str], limit: int) -> np.ndarray:
        """Slots holding any of the keys, in slot order (they all match exactly)."""
        hashes = [key for key in _key_hashes(keys) if key in self._postings]
        if not hashes:
            return np.empty(0, dtype=np.int64)
        slots = np.unique(np.concatenate([self._slots(key) for key in hashes]))
        return slots[:limit].astype(np.int64)

    def search(
        self, keys: Iterable[str], live: int, slots_in_use: int, limit: int, max_postings: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(slots, scores) of the best `limit` apps by idf-weighted Dice, best first."""
        empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
        if live <= 0 or limit <= 0:
            return empty
        query = _key_hashes(keys)
        if not query:
            return empty
        df = np.array([self.df(key) for key in query], dtype=np.float64)
        idf = np.log1p(live / np.maximum(df, 1.0))
        query_weight = float(idf.sum())
        usable = [(key, w) for key, d, w in zip(query, df, idf, strict=True) if 0 < d <= max_postings]
        if not usable:
            return empty
        parts = [self._slots(key) for key, _ in usable]
        slots = np.concatenate(parts)
        weights = np.repeat(np.array([w for _, w in usable]), [len(p) for p in parts])
        # Sum the weights per slot in a scratch array (no array of the catalog's size per search), read the
        # sums back at the postings, and clear what was touched.
        if len(self._scratch) < slots_in_use:
            self._scratch = np.zeros(max(slots_in_use, 2 * len(self._scratch)), dtype=np.float64)
        np.add.at(self._scratch, slots, weights)
        sums = self._scratch[slots]
        self._scratch[slots] = 0.0
        # Rank by the weight in common first, then score the best few exactly. A slot appears once per key it
        # shares, so the best `shortlist * len(usable)` postings hold the best `shortlist` slots.
        shortlist = max(2 * limit, 64)
        if len(slots) > shortlist * len(usable):
            best = np.argpartition(-sums, shortlist * len(usable) - 1)[: shortlist * len(usable)]
            slots, sums = slots[best], sums[best]
        hit, first = np.unique(slots, return_index=True)
        if len(hit) > shortlist:
            hit = hit[np.argpartition(-sums[first], shortlist - 1)[:shortlist]]
        records = [self._records.get(slot, self._position) for slot in hit.tolist()]
        held = np.frombuffer(b"".join(records), dtype=np.int64)
        lengths = np.array([len(r) // 8 for r in records], dtype=np.int64)
        # Every key of a live app has a posting: an int (one app) or an array.
        held_df = [1 if isinstance(p, int) else len(p) for p in map(self._postings.__getitem__, held.tolist())]
        weight = np.log1p(live / np.array(held_df, dtype=np.float64))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        app_weight = np.add.reduceat(weight, starts)
        common = np.add.reduceat(np.where(np.isin(held, np.array(query, dtype=np.int64)), weight, 0.0), starts)
        scores = 2.0 * common / (query_weight + app_weight)
        order = np.lexsort((hit, -scores))[:limit]
        return hit[order].astype(np.int64), scores[order]


class CloneIndex:
    """Candidate search over the catalog. App ids are the caller's (the database's); the index numbers
    them internally with dense slots."""

    def __init__(self, *, icon_variants: int = 3, icon_radius: int = 12, max_postings: int = 50_000) -> None:
        if icon_variants < 1:
            raise ValueError("icon_variants must be at least 1")
        self.icon_variants = icon_variants
        self.icon_radius = icon_radius
        self.max_postings = max_postings
        self._lock = threading.RLock()
        self._slot_of: dict[int, int] = {}
        self._free: list[int] = []
        self._high = 0  # slots in use or freed: [0, _high)
        capacity = 1024
        self._app_of = np.full(capacity, -1, dtype=np.int64)
        self._hashes = np.zeros((icon_variants, capacity), dtype=np.uint64)
        self._absent = np.full((icon_variants, capacity), _ABSENT, dtype=np.uint8)
        self._developer: list[str | None] = []
        self._developer_names: dict[str, str] = {}
        self._records = _Records()
        self._names = _KeyLayer(self._records, 0)
        self._packages = _KeyLayer(self._records, 1)
        self._certificates = _KeyLayer(self._records, 2)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, app_id: object) -> bool:
        return app_id in self._slot_of

    def developer_of(self, app_id: int) -> str | None:
        with self._lock:
            slot = self._slot_of.get(app_id)
            return None if slot is None else self._developer[slot]

    def _grow(self) -> None:
        extra = len(self._app_of)
        self._app_of = np.concatenate([self._app_of, np.full(extra, -1, dtype=np.int64)])
        self._hashes = np.concatenate([self._hashes, np.zeros((self.icon_variants, extra), dtype=np.uint64)], axis=1)
        self._absent = np.concatenate(
            [self._absent, np.full((self.icon_variants, extra), _ABSENT, dtype=np.uint8)], axis=1
        )

    def add(
        self,
        app_id: int,
        *,
        name_keys: Iterable[str],
        package_keys: Iterable[str],
        icon_hashes: Sequence[int | None],
        certificates: Iterable[str],
        developer: str,
    ) -> None:
        """Index one app; an app id already indexed is replaced (an update of its listing)."""
        if len(icon_hashes) > self.icon_variants:
            raise ValueError(f"{len(icon_hashes)} icon hashes for an index of {self.icon_variants} variants")
        with self._lock:
            if app_id in self._slot_of:
                self._remove(app_id)
            if self._free:
                slot = self._free.pop()
            else:
                if self._high == len(self._app_of):
                    self._grow()
                slot = self._high
                self._high += 1
            self._slot_of[app_id] = slot
            self._app_of[slot] = app_id
            for variant, value in enumerate(icon_hashes):
                if value is not None:
                    self._hashes[variant, slot] = value & _MASK64
                    self._absent[variant, slot] = 0
            developer = self._developer_names.setdefault(developer, developer)  # one string per developer
            if slot == len(self._developer):
                self._developer.append(developer)
            else:
                self._developer[slot] = developer
            self._records.put(
                slot,
                (
                    self._names.add(slot, name_keys),
                    self._packages.add(slot, package_keys),
                    self._certificates.add(slot, certificates),
                ),
            )

    def remove(self, app_id: int) -> bool:
        """Forget an app (withdrawn, or about to be re-added). False when it was not indexed."""
        with self._lock:
            return self._remove(app_id)

    def _remove(self, app_id: int) -> bool:
        slot = self._slot_of.pop(app_id, None)
        if slot is None:
            return False
        self._app_of[slot] = -1
        self._absent[:, slot] = _ABSENT
        self._developer[slot] = None
        record = self._records.pop(slot)
        self._names.remove(slot, record)
        self._packages.remove(slot, record)
        self._certificates.remove(slot, record)
        self._free.append(slot)
        return True

    def candidates(
        self,
        *,
        name_keys: Iterable[str] = (),
        package_keys: Iterable[str] = (),
        icon_hashes: Sequence[int | None] = (),
        certificates: Iterable[str] = (),
        limit_per_layer: int = 200,
        icon_radius: int | None = None,
    ) -> dict[str, Candidates]:
        """Per layer ("name", "package", "icon", "certificate"): (app id, layer score in 0..1), best first, at
        most `limit_per_layer` each. Every layer is present; one the query gives nothing for is empty."""
        with self._lock:
            return {
                "name": self._layer(self._names, name_keys, limit_per_layer),
                "package": self._layer(self._packages, package_keys, limit_per_layer),
                "icon": self._icon(
                    icon_hashes, limit_per_layer, self.icon_radius if icon_radius is None else icon_radius
                ),
                "certificate": self._certificate(certificates, limit_per_layer),
            }

    def layer_candidates(self, layer: str, **query) -> Candidates:
        """One layer's candidates alone (for timing one layer, or a panel that needs only one)."""
        limit = query.pop("limit_per_layer", 200)
        with self._lock:
            if layer == "name":
                return self._layer(self._names, query.get("name_keys", ()), limit)
            if layer == "package":
                return self._layer(self._packages, query.get("package_keys", ()), limit)
            if layer == "icon":
                radius = query.get("icon_radius")
                return self._icon(query.get("icon_hashes", ()), limit, self.icon_radius if radius is None else radius)
            if layer == "certificate":
                return self._certificate(query.get("certificates", ()), limit)
        raise ValueError(f"unknown layer {layer!r}; one of {LAYERS}")

    def _pairs(self, slots: np.ndarray, scores: np.ndarray) -> Candidates:
        return list(zip(self._app_of[slots].tolist(), scores.tolist(), strict=True))

    def _layer(self, layer: _KeyLayer, keys: Iterable[str], limit: int) -> Candidates:
        slots, scores = layer.search(keys, len(self._slot_of), self._high, limit, self.max_postings)
        return self._pairs(slots, scores)

    def _certificate(self, certificates: Iterable[str], limit: int) -> Candidates:
        if limit <= 0:
            return []
        slots = self._certificates.exact(certificates, limit)
        return self._pairs(slots, np.ones(len(slots)))

    def _icon(self, icon_hashes: Sequence[int | None], limit: int, radius: int) -> Candidates:
        if len(icon_hashes) > self.icon_variants:
            raise ValueError(f"{len(icon_hashes)} icon hashes for an index of {self.icon_variants} variants")
        high = self._high
        if limit <= 0 or high == 0 or radius < 0:
            return []
        best: np.ndarray | None = None
        for variant, value in enumerate(icon_hashes):
            if value is None:
                continue
            distance = np.bitwise_count(self._hashes[variant, :high] ^ np.uint64(value & _MASK64))
            distance |= self._absent[variant, :high]
            best = distance if best is None else np.minimum(best, distance, out=best)
        if best is None:
            return []
        hit = np.flatnonzero(best <= radius)
        if len(hit) > limit:
            hit = hit[np.argpartition(best[hit], limit - 1)[:limit]]
        hit = hit[np.lexsort((hit, best[hit]))]
        scores = np.maximum(0.0, 1.0 - best[hit].astype(np.float64) / (HASH_BITS / 2))
        return self._pairs(hit, scores)
