"""Icon fingerprints: a counterfeiter's copies of real icons match their original, icons of different apps do
not (the false-alarm rate over every pair is measured), and a hostile image is a clear error."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from reviewer_app.apk.reader import read_apk
from reviewer_app.similarity.icons import (
    MATCH_THRESHOLD,
    IconError,
    IconPrint,
    icon_print,
    icon_similarity,
)
from tests.conftest import DEMO_APKS
from tests.corpus import CORPUS, need_corpus

# Icons of different apps that are the same artwork: Android Studio's stock launcher icon (two sizes), and a
# test icon shared by several test APKs. They are copies, not false alarms (sha256 prefixes of the PNGs).
SAME_ARTWORK = [{"c6e7620e6c5d", "a9ca2573500e"}, {"fb0f3bb45312", "d27c9866aded", "b2b8093a34d5"}]
# Pairs of different apps' icons allowed to match, at most, as a share of all pairs.
MAX_FALSE_ALARMS = 0.02


def _icons(folder: Path) -> dict[str, bytes]:
    """Distinct icons (sha256 prefix -> PNG bytes) of the APKs in a folder."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.glob("*.apk")):
        try:
            png = read_apk(path).icon_png
        except Exception:  # a deliberately malformed corpus file
            continue
        if png:
            found.setdefault(hashlib.sha256(png).hexdigest()[:12], png)
    return found


@pytest.fixture(scope="module")
def demo_icons() -> dict[str, bytes]:
    icons = _icons(DEMO_APKS)
    assert len(icons) >= 5
    return icons


@pytest.fixture(scope="module")
def all_icons(demo_icons) -> dict[str, bytes]:
    need_corpus()
    return {**demo_icons, **_icons(CORPUS)}


def _flat(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, image).convert("RGB")


def _encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _hue_rotated(image: Image.Image, shift: int) -> Image.Image:
    h, s, v = image.convert("HSV").split()
    h = h.point(lambda x: (x + shift) % 256)
    return Image.merge("HSV", (h, s, v)).convert("RGB")


def _crop_pad(image: Image.Image, area: float = 0.9) -> Image.Image:
    """Keep the central `area` of the icon and pad it back to its size with white."""
    w, h = image.size
    keep = area**0.5
    dx, dy = round(w * (1 - keep) / 2), round(h * (1 - keep) / 2)
    out = Image.new("RGB", (w, h), (255, 255, 255))
    out.paste(image.crop((dx, dy, w - dx, h - dy)), (dx, dy))
    return out


def _badged(image: Image.Image) -> Image.Image:
    big = image.resize((192, 192), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(big)
    draw.rectangle((120, 150, 190, 188), fill=(220, 20, 20))
    draw.text((128, 156), "LITE", fill="white", font=ImageFont.load_default(size=22))
    return big


VARIANTS = {
    "resized-2/3": lambda im: _encoded(im.resize((max(16, im.width * 2 // 3),) * 2, Image.Resampling.BILINEAR)),
    "upscaled-512": lambda im: _encoded(im.resize((512, 512), Image.Resampling.BICUBIC)),
    "jpeg-q30": lambda im: _encoded(im, "JPEG", quality=30),
    "webp-q20": lambda im: _encoded(im, "WEBP", quality=20),
    "hue+60": lambda im: _encoded(_hue_rotated(im, 60)),
    "brighter-1.3": lambda im: _encoded(ImageEnhance.Brightness(im).enhance(1.3)),
    "darker-0.7": lambda im: _encoded(ImageEnhance.Brightness(im).enhance(0.7)),
    "less-contrast-0.7": lambda im: _encoded(ImageEnhance.Contrast(im).enhance(0.7)),
    "crop-10%-pad": lambda im: _encoded(_crop_pad(im)),
    "lite-badge": lambda im: _encoded(_badged(im)),
    "badge+jpeg": lambda im: _encoded(_badged(im), "JPEG", quality=50),
}


def _padded(image: Image.Image) -> bytes:
    side = image.width * 4 // 3
    out = Image.new("RGB", (side, side), (255, 255, 255))
    out.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return _encoded(out)


VARIANTS["padded"] = _padded
# Not matched: a hue rotation that swaps which of two colours is the lighter (the demo's yellow sun on blue,
# rotated by -40 or +128 of 256, scores 0.42 and 0.45): the grey image the hashes see is inverted there.


def _has_structure(png: bytes) -> bool:
    """A featureless icon (one flat colour) has nothing to hash; the corpus has one, a grey square."""
    grey = _flat(png).convert("L")
    low, high = grey.getextrema()
    return high - low > 32


def test_identical_icon_scores_one(demo_icons):
    png = next(iter(demo_icons.values()))
    assert icon_similarity(icon_print(png), icon_print(png)) == 1.0


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_counterfeiter_variants_of_demo_icons_match(demo_icons, variant):
    for key, png in demo_icons.items():
        copy = VARIANTS[variant](_flat(png))
        score = icon_similarity(icon_print(png), icon_print(copy))
        assert score >= MATCH_THRESHOLD, f"{variant} of {key}: {score:.3f}"


@pytest.mark.corpus
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_counterfeiter_variants_of_corpus_icons_match(all_icons, variant):
    scores = {}
    for key, png in all_icons.items():
        if _has_structure(png):
            scores[key] = icon_similarity(icon_print(png), icon_print(VARIANTS[variant](_flat(png))))
    missed = {key: round(score, 3) for key, score in scores.items() if score < MATCH_THRESHOLD}
    assert len(scores) >= 15
    assert not missed, f"{variant}: {missed}"


def _same_artwork(a: str, b: str) -> bool:
    return any({a, b} <= group for group in SAME_ARTWORK)


@pytest.mark.corpus
def test_icons_of_different_apps_rarely_match(all_icons):
    prints = {key: icon_print(png) for key, png in all_icons.items()}
    pairs = [(a, b) for a, b in itertools.combinations(sorted(prints), 2) if not _same_artwork(a, b)]
    scores = {(a, b): icon_similarity(prints[a], prints[b]) for a, b in pairs}
    alarms = {pair: round(score, 3) for pair, score in scores.items() if score >= MATCH_THRESHOLD}
    assert len(pairs) >= 150
    assert len(alarms) / len(pairs) <= MAX_FALSE_ALARMS, alarms
    # Most pairs are nowhere near the threshold.
    assert sorted(scores.values())[len(scores) // 2] < 0.4


@pytest.mark.corpus
def test_same_artwork_in_different_apps_matches(all_icons):
    for group in SAME_ARTWORK:
        present = [all_icons[key] for key in sorted(group) if key in all_icons]
        for a, b in itertools.combinations(present, 2):
            assert icon_similarity(icon_print(a), icon_print(b)) >= MATCH_THRESHOLD


def test_json_round_trip(demo_icons):
    png = next(iter(demo_icons.values()))
    fingerprint = icon_print(png)
    text = fingerprint.to_json()
    assert IconPrint.from_json(text) == fingerprint
    assert all(len(v) == 16 for v in json.loads(text)["masked_phash"])


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge image, with almost no pixel data (a decompression bomb's shape)."""
    small = _encoded(Image.new("RGB", (1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    patched = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return small[:8] + patched + small[8 + 25 :]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "cannot be read"),
        (b"not an image at all" * 10, "cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cannot be read"),
        (_png_header_claiming(100_000, 100_000), "pixels"),
        (_png_header_claiming(5000, 5000), "pixels"),
    ],
    ids=["empty", "garbage", "png-signature-only", "pixel-bomb", "over-max-pixels"],
)
def test_hostile_images_are_clear_errors(data, reason):
    with pytest.raises(IconError, match=reason):
        icon_print(data, max_pixels=16_000_000 if b"IHDR" not in data[:16] else 1_000_000)


@pytest.mark.timeout(20)
def test_truncated_icon_is_a_clear_error(demo_icons):
    png = next(iter(demo_icons.values()))
    with pytest.raises(IconError, match="cannot be read"):
        icon_print(png[: len(png) // 2])


def test_too_many_bytes_is_a_clear_error():
    with pytest.raises(IconError, match="bytes"):
        icon_print(b"\x89PNG" + b"\x00" * (9 * 1024 * 1024))
