"""One screenshot from a results folder, checked before anything keeps it.

The bytes are untrusted: the size is checked, then the pixel count from the header before anything is
decoded (a small PNG can claim 50,000 x 50,000 pixels), and only formats a device cloud writes are opened.
PNG and JPEG are kept as they came (their hash is the file's); WebP, BMP and GIF (its first frame) are kept as
PNG, so that everything downstream shows one of two formats.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import warnings
from dataclasses import dataclass

import imagehash
from PIL import Image

from reviewer_app.devices.checks import WORK_SIDE, screen_flags, work_image
from reviewer_app.devices.results import ResultsError

FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")
KEPT_AS_IS = ("PNG", "JPEG", "MPO")  # MPO: a JPEG with a second picture, which Pillow opens as JPEG
_PILLOW_WARNINGS = threading.Lock()


@dataclass(frozen=True)
class ImageLimits:
    """Caps on what a results folder may hold; a folder past a whole-folder cap is refused."""

    max_file_bytes: int = 16 * 1024 * 1024  # one screenshot
    max_pixels: int = 40_000_000  # one screenshot's width x height, from its header
    max_total_bytes: int = 2 * 1024 * 1024 * 1024  # every file read from one folder
    max_devices: int = 500
    max_screenshots_per_device: int = 200  # more are left out with a warning
    max_files_walked: int = 20_000  # entries looked at while walking the folder


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True)
class CheckedImage:
    data: bytes  # what to keep: the file as it came (PNG, JPEG) or converted to PNG
    sha256: str  # of data
    width: int
    height: int
    phash: str  # imagehash.phash as 16 hex digits
    flags: tuple[str, ...]  # what the screenshot alone shows: "blank_screen", "crash_dialog"


def read_screenshot(data: bytes, name: str, limits: ImageLimits) -> CheckedImage:
    """Check and decode one screenshot. Raises ResultsError, one line naming `name`, for a file that is
    over a cap, not an image, damaged or in a format a device cloud does not write. Safe to call from
    several threads at once (the decoding runs in parallel)."""
    if len(data) > limits.max_file_bytes:
        raise ResultsError(f"{name}: {len(data)} bytes, more than the {limits.max_file_bytes} allowed")
    try:
        with _PILLOW_WARNINGS, warnings.catch_warnings():
            # Pillow warns of a decompression bomb while it reads the header (a GIF also while it decodes);
            # the warning is made an error here. Warning filters are the process's: one thread at a time.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size  # the header's claim: nothing is decoded yet
            if width <= 0 or height <= 0 or width * height > limits.max_pixels:
                raise ResultsError(f"{name}: {width}x{height} pixels, more than the {limits.max_pixels} allowed")
            if image.format == "GIF":
                image.load()
        if image.format in ("JPEG", "MPO"):
            scale = WORK_SIDE / min(width, height)  # decode at a fraction: the checks need no more
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()  # the first frame of an animation
        work = work_image(image)
        kept = data if image.format in KEPT_AS_IS else _png(image)
    except ResultsError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ResultsError(f"{name}: too many pixels ({exc})") from None
    except Image.UnidentifiedImageError:
        raise ResultsError(f"{name}: not an image (not PNG, JPEG, WebP, BMP or GIF)") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise ResultsError(f"{name}: a damaged image ({type(exc).__name__}: {_first_line(exc)})") from None
    return CheckedImage(
        data=kept,
        sha256=hashlib.sha256(kept).hexdigest(),
        width=width,
        height=height,
        phash=str(imagehash.phash(work)),
        flags=screen_flags(work),
    )


def _png(image: Image.Image) -> bytes:
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else "no detail"
