"""Perceptual fingerprints of app icons, for spotting an icon copied from another app.

A counterfeit app rarely ships the original icon file: it is resized, recompressed (JPEG, WebP), shifted in
colour or brightness, cropped or padded, or stamped with a "LITE"/"HD" badge in a corner, so byte hashes miss
it. Each icon is therefore hashed several ways with `imagehash` (a DCT hash, pHash, and a gradient hash,
dHash, 64 bits each) over a few geometries: the whole icon, the icon with its uniform border trimmed (padding
added or removed does not move the drawing), and the icon with each corner quadrant masked (a badge in that
corner is hidden on both sides). Colour is dropped and contrast stretched before hashing, so a hue rotation
or a darker copy keeps its hashes. The image is untrusted: its size in bytes and pixels is checked before it
is decoded, and a damaged file is a clear `IconError`.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageChops, ImageDraw, ImageOps

from reviewer_app.apk.limits import ParseLimits

# Hashes are 64 bits (an 8x8 grid). Each geometry compares pHash and dHash together: d = their two Hamming
# distances summed, 0..128, about 64 for unrelated images. icon_similarity maps the best geometry's d to
# 1 - d / 64, clipped to 0..1: identical 1.0, unrelated ~0.
HASH_BITS = 64
# A similarity at or above this is "the same icon". Measured on the corpus and demo icons (tests/similarity/
# test_icons.py): every counterfeiter variant there scores >= 0.79 (d <= 13), while pairs of different apps'
# icons score <= 0.73 (median 0.31) except one pair of the demo's letter-on-a-square icons (0.86, top-left
# quadrant masked): 1 false alarm in 167 pairs.
MATCH_THRESHOLD = 0.75

MAX_ICON_BYTES = 8 * 1024 * 1024
WORK_SIZE = 128  # every icon is scaled to this square before hashing
TRIM_TOLERANCE = 24  # a pixel differing from the border colour by more than this (0..255) is drawing
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")


class IconError(ValueError):
    """The icon cannot be read (damaged, not an image, over a cap); the message is a one-line reason."""


@dataclass(frozen=True)
class IconPrint:
    """The hashes of one icon, each a 64-bit int. masked_* hold the hashes with quadrant 0 (top left),
    1 (top right), 2 (bottom left) and 3 (bottom right) masked."""

    phash: int
    dhash: int
    trim_phash: int
    trim_dhash: int
    masked_phash: tuple[int, int, int, int]
    masked_dhash: tuple[int, int, int, int]

    def geometries(self) -> list[tuple[int, int]]:
        """(pHash, dHash) per geometry: whole, trimmed, then the four masked ones."""
        return [
            (self.phash, self.dhash),
            (self.trim_phash, self.trim_dhash),
            *zip(self.masked_phash, self.masked_dhash, strict=True),
        ]

    def to_json(self) -> str:
        """Hex strings (16 digits each), for storage."""
        return json.dumps(
            {
                "phash": _hex(self.phash),
                "dhash": _hex(self.dhash),
                "trim_phash": _hex(self.trim_phash),
                "trim_dhash": _hex(self.trim_dhash),
                "masked_phash": [_hex(v) for v in self.masked_phash],
                "masked_dhash": [_hex(v) for v in self.masked_dhash],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> IconPrint:
        data = json.loads(text)
        masked_p = tuple(int(v, 16) for v in data["masked_phash"])
        masked_d = tuple(int(v, 16) for v in data["masked_dhash"])
        if len(masked_p) != 4 or len(masked_d) != 4:
            raise ValueError("an icon print has four masked hashes of each kind")
        return cls(
            phash=int(data["phash"], 16),
            dhash=int(data["dhash"], 16),
            trim_phash=int(data["trim_phash"], 16),
            trim_dhash=int(data["trim_dhash"], 16),
            masked_phash=(masked_p[0], masked_p[1], masked_p[2], masked_p[3]),
            masked_dhash=(masked_d[0], masked_d[1], masked_d[2], masked_d[3]),
        )


def _hex(value: int) -> str:
    return f"{value:016x}"


def _bits(h: imagehash.ImageHash) -> int:
    return int(str(h), 16)


def _load(data: bytes, max_pixels: int) -> Image.Image:
    """The icon flattened on white, as RGB, within the caps."""
    if len(data) > MAX_ICON_BYTES:
        raise IconError(f"icon is {len(data)} bytes, more than {MAX_ICON_BYTES}")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        width, height = image.size  # from the header: nothing decoded yet
        if width <= 0 or height <= 0 or width * height > max_pixels:
            raise IconError(f"icon is {width}x{height} pixels, more than {max_pixels}")
        image.load()  # first frame only
        rgba = image.convert("RGBA")
    except IconError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise IconError(f"icon cannot be read ({type(exc).__name__}: {exc})") from None
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, rgba).convert("RGB")
    return flat.resize((WORK_SIZE, WORK_SIZE), Image.Resampling.LANCZOS)


def _trim(image: Image.Image) -> Image.Image:
    """The drawing without its uniform border (the colour of most corners), centred on a square of that
    colour and scaled back to WORK_SIZE. An icon that is all border, or whose drawing is tiny, is kept."""
    w, h = image.size
    corners = [image.getpixel((0, 0)), image.getpixel((w - 1, 0)), image.getpixel((0, h - 1))]
    corners.append(image.getpixel((w - 1, h - 1)))
    border = max(corners, key=corners.count)
    diff = ImageChops.difference(image, Image.new("RGB", image.size, border)).convert("L")
    box = diff.point(lambda v: 255 if v > TRIM_TOLERANCE else 0).getbbox()
    if not box:
        return image
    x0, y0, x1, y1 = box
    if (x1 - x0) * (y1 - y0) < 0.05 * w * h:
        return image
    side = max(x1 - x0, y1 - y0)
    square = Image.new("RGB", (side, side), border)
    square.paste(image.crop(box), ((side - (x1 - x0)) // 2, (side - (y1 - y0)) // 2))
    return square.resize((WORK_SIZE, WORK_SIZE), Image.Resampling.LANCZOS)


def _masked(image: Image.Image, quadrant: int) -> Image.Image:
    half = WORK_SIZE // 2
    x, y = (quadrant % 2) * half, (quadrant // 2) * half
    copy = image.copy()
    mean = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    ImageDraw.Draw(copy).rectangle((x, y, x + half - 1, y + half - 1), fill=mean)
    return copy


def _grey(image: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(image.convert("L"), cutoff=1)


def _hashes(image: Image.Image) -> tuple[int, int]:
    grey = _grey(image)
    return _bits(imagehash.phash(grey)), _bits(imagehash.dhash(grey))


def icon_print(data: bytes, max_pixels: int = ParseLimits().max_image_pixels) -> IconPrint:
    """The fingerprint of an icon given as image bytes (PNG, JPEG, WebP, GIF, BMP).

    Raises IconError for an image that is damaged, not an image, or larger than the caps."""
    image = _load(data, max_pixels)
    phash, dhash = _hashes(image)
    trim_phash, trim_dhash = _hashes(_trim(image))
    masked = [_hashes(_masked(image, q)) for q in range(4)]
    return IconPrint(
        phash=phash,
        dhash=dhash,
        trim_phash=trim_phash,
        trim_dhash=trim_dhash,
        masked_phash=(masked[0][0], masked[1][0], masked[2][0], masked[3][0]),
        masked_dhash=(masked[0][1], masked[1][1], masked[2][1], masked[3][1]),
    )


def icon_distance(a: IconPrint, b: IconPrint) -> int:
    """The smallest pHash + dHash Hamming distance over the geometries (0..128)."""
    return min(
        (pa ^ pb).bit_count() + (da ^ db).bit_count()
        for (pa, da), (pb, db) in zip(a.geometries(), b.geometries(), strict=True)
    )


def icon_similarity(a: IconPrint, b: IconPrint) -> float:
    """1 - d / 64 for the best geometry's summed distance d, clipped to 0..1 (see HASH_BITS)."""
    return max(0.0, 1.0 - icon_distance(a, b) / HASH_BITS)
