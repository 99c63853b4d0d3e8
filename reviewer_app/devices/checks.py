"""Checks that tell a reviewer which screenshots to look at first.

One screenshot alone: a blank or single-colour screen (the app did not render) and the system's crash or
"isn't responding" dialog, found by their layout, not by reading words. Screenshots against others: one that
differs strongly from what other devices of the same Android version showed at the same point, and one that
changed since the last approved version on the same device, by the Hamming distance of perceptual hashes.

Every threshold below was measured on the labelled screens of tests/devices/screens.py; bench/device_checks.py
prints each class's scores and the margin the threshold leaves (the figures quoted next to each constant).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from reviewer_app.domain import DEVICE_FLAGS, DeviceResult, DeviceScreenshot

# Screens are analysed at this short side (a 1080 x 2340 screenshot at 384 x 832): thin text strokes keep
# their brightness, and one screen costs a few milliseconds.
WORK_SIDE = 384
CELL = 8  # work pixels per side of a cell (about 9 dp on a phone): the grain of both single-screen checks
# The system's bars are not the app's, and a dialog does not dim them: the status bar on top (24 dp, up to about
# 50 dp beside a camera cutout) and the navigation bar (48 dp at most) at the bottom, or on the right in
# landscape. As shares of the short side of a 360-400 dp wide phone:
STATUS_BAR_SHARE = 0.13
NAV_BAR_SHARE = 0.14

# -- blank screens: the share of the screen's cells (bars left out) that show anything but the background.
PIXEL_TOLERANCE = 24  # a pixel further than this from the background colour (0..255, any channel) is ink
CELL_INK = 0.05  # a cell with at least this share of ink pixels shows something
# Below this share of showing cells the screen is blank. Measured: blank screens at most 0.0084 (a 48 dp spinner),
# every other screen at least 0.0325 (a 96 dp splash logo alone); 0.012 of margin on either side.
BLANK_COVERAGE = 0.02

# -- the crash / ANR dialog: a box of one colour, centred, in the middle band, around it a dimmed screen.
# Each condition's margin is a share of its threshold (or of half its range), clipped to -1..1; the score is the
# smallest. Measured: every dialog scores at least +0.12 (its tightest condition: ink, then darker), every other
# screen at most -0.67 (a centred sign-in card on a dark screen: too tall, and its filled button is solid).
BOX_TOLERANCE = 8  # a pixel this close to the box's colour (any channel) is the box's
BOX_CELL = 0.6  # a cell with this share of box-coloured pixels is part of the box
BOX_FILL = 0.8  # the box's cells fill at least this share of their bounding rectangle
CENTRE_OFFSET = 0.04  # the box's centre is at most this share of the width off the middle
MIDDLE_BAND = (0.3, 0.7)  # the box's centre lies in this band of the height
BOX_WIDTH = {"portrait": (0.7, 0.97), "landscape": (0.4, 0.8)}  # shares of the width
BOX_HEIGHT = {"portrait": (0.1, 0.4), "landscape": (0.25, 0.8)}  # shares of the height
# A dialog's window dims what is behind it by half or more, so nothing around the box is brighter than this:
DIM_LEVEL = 150
BRIGHT_MAX = 0.0002  # the share of the surround brighter than DIM_LEVEL may be no more than this (JPEG noise)
BOX_STEP = 10  # the box is brighter than the surround's pixels by at least this much (luminance) ...
DARKER_MIN = 0.4  # ... for at least this share of them
INK_RANGE = (0.01, 0.3)  # the box holds words (a title, buttons) but not much else
SOLID_MAX = 0.05  # at most this share of the box is blocks of another colour (a filled button, a picture)
SOLID_RANGE = 24  # a cell whose pixels span less luminance than this is uniform


@dataclass(frozen=True)
class DialogFeatures:
    """What the dialog check measured of the best box it found (bench/device_checks.py prints them)."""

    centre_offset: float
    centre_height: float
    width_share: float
    height_share: float
    fill: float
    surround_bright: float  # the share of the surround brighter than DIM_LEVEL
    surround_darker: float  # the share of the surround darker than the box by BOX_STEP
    ink: float
    solid: float
    orientation: str

    def margins(self) -> dict[str, float]:
        """Each condition's margin as a share of its threshold or range: positive when it holds."""
        width, height = BOX_WIDTH[self.orientation], BOX_HEIGHT[self.orientation]
        return {
            "centred": _clip((CENTRE_OFFSET - self.centre_offset) / CENTRE_OFFSET),
            "middle": _within(self.centre_height, MIDDLE_BAND),
            "width": _within(self.width_share, width),
            "height": _within(self.height_share, height),
            "fill": _clip((self.fill - BOX_FILL) / (1 - BOX_FILL)),
            "dimmed": _clip((BRIGHT_MAX - self.surround_bright) / BRIGHT_MAX),
            "darker": _clip((self.surround_darker - DARKER_MIN) / (1 - DARKER_MIN)),
            "ink": _within(self.ink, INK_RANGE),
            "solid": _clip((SOLID_MAX - self.solid) / SOLID_MAX),
        }

    def score(self) -> float:
        return min(self.margins().values())


def _within(value: float, bounds: tuple[float, float]) -> float:
    low, high = bounds
    return _clip(min(value - low, high - value) / ((high - low) / 2))


def _clip(margin: float) -> float:
    return max(-1.0, min(1.0, margin))


def work_image(image: Image.Image) -> Image.Image:
    """The screen as RGB at WORK_SIDE on its short side, the scale every threshold here was measured at."""
    if image.mode.startswith(("I", "F")):  # 16 or 32 bits a pixel: scaled to 8, not clipped to white
        values = np.asarray(image, dtype=np.float64)
        scale = 255 / 65535 if values.max(initial=0) > 255 else 1.0
        image = Image.fromarray(np.clip(values * scale, 0, 255).astype(np.uint8))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    scale = WORK_SIDE / min(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if size != image.size:
        image = image.resize(size, Image.Resampling.BOX, reducing_gap=2.0 if scale < 1 else None)
    return image.convert("RGB")


def _app_area(image: Image.Image, symmetric: bool = False) -> np.ndarray:
    """The work image's pixels without the system's bars, as three planes (red, green, blue; int32). In
    landscape the navigation bar may be on the right: that band goes too, and with `symmetric` the same band
    on the left, so that what is centred stays centred."""
    pixels = np.asarray(work_image(image))
    height, width = pixels.shape[:2]
    short = min(height, width)
    top, bottom = round(STATUS_BAR_SHARE * short), round(NAV_BAR_SHARE * short)
    side = bottom if width > height else 0
    area = pixels[top : height - bottom, (side if symmetric else 0) : width - side]
    return np.ascontiguousarray(area.transpose(2, 0, 1), dtype=np.int32)


def _near(planes: np.ndarray, colour: np.ndarray, tolerance: int) -> np.ndarray:
    """Where every channel is within `tolerance` of `colour`."""
    red, green, blue = (round(float(c)) for c in colour)
    return (
        (np.abs(planes[0] - red) <= tolerance)
        & (np.abs(planes[1] - green) <= tolerance)
        & (np.abs(planes[2] - blue) <= tolerance)
    )


def _colour_keys(planes: np.ndarray) -> np.ndarray:
    """Each pixel's colour to 16 levels a channel, as one number."""
    return (planes[0] >> 4) << 8 | (planes[1] >> 4) << 4 | planes[2] >> 4


def _cells(mask: np.ndarray) -> np.ndarray:
    """The mean of a boolean mask over CELL x CELL cells (partial cells at the edges dropped)."""
    rows, columns = mask.shape[0] // CELL, mask.shape[1] // CELL
    if rows == 0 or columns == 0:
        return np.zeros((max(rows, 1), max(columns, 1)))
    trimmed = mask[: rows * CELL, : columns * CELL].astype(np.float32)
    return trimmed.reshape(rows, CELL, columns, CELL).mean(axis=(1, 3))


def _commonest(planes: np.ndarray, count: int, least: float = 0.0) -> list[np.ndarray]:
    """The `count` commonest colours (to 16 levels a channel) that each cover at least `least` of the pixels,
    each as the mean of its pixels."""
    keys = _colour_keys(planes).ravel()
    counts = np.bincount(keys, minlength=4096)
    flat = planes.reshape(3, -1)
    colours = []
    for key in np.argsort(counts)[::-1][:count]:
        if counts[key] == 0 or counts[key] < keys.size * least:
            break
        colours.append(flat[:, keys == key].mean(axis=1))
    return colours


def content_coverage(image: Image.Image) -> float:
    """The share of the app's area (the bars left out) whose cells show something other than the background:
    0.0 for one flat colour, a few hundredths for a logo, much more for any real screen."""
    planes = _app_area(image)
    if planes.size == 0:
        return 0.0
    ink = ~_near(planes, _commonest(planes, 1)[0], PIXEL_TOLERANCE)
    return float((_cells(ink) >= CELL_INK).mean())


def is_blank(image: Image.Image) -> bool:
    return content_coverage(image) < BLANK_COVERAGE


def dialog_features(image: Image.Image) -> DialogFeatures | None:
    """The best candidate for a system dialog's box, measured; None when no box-like region is there."""
    planes = _app_area(image, symmetric=True)
    height, width = planes.shape[1:]
    if height < 4 * CELL or width < 4 * CELL:
        return None
    orientation = "landscape" if width > height * 1.2 else "portrait"
    luminance = (299 * planes[0] + 587 * planes[1] + 114 * planes[2]) // 1000
    # The box's colour is among the commonest of the middle of the screen (the centre fifth, the middle band).
    middle = planes[:, round(height * MIDDLE_BAND[0]) : round(height * MIDDLE_BAND[1]), width * 2 // 5 : width * 3 // 5]
    best: DialogFeatures | None = None
    for colour in _commonest(middle, 3, least=0.05):
        box = _box_of(planes, colour)
        if box is None:
            continue
        features = _measure(planes, luminance, colour, box, orientation)
        if best is None or features.score() > best.score():
            best = features
    return best


def crash_dialog_score(image: Image.Image) -> float:
    """The smallest margin of the dialog's conditions (positive: every one holds); -1.0 without a box."""
    features = dialog_features(image)
    return features.score() if features is not None else -1.0


def is_crash_dialog(image: Image.Image) -> bool:
    return crash_dialog_score(image) > 0


def _box_of(planes: np.ndarray, colour: np.ndarray) -> tuple[int, int, int, int, float] | None:
    """The largest region of `colour` cells that crosses the middle column and does not touch the edges,
    trimmed to its rectangle: (top, left, bottom, right) in cells, exclusive ends, and the share of that
    rectangle the region fills."""
    cells = _cells(_near(planes, colour, BOX_TOLERANCE)) >= BOX_CELL
    rows, columns = cells.shape
    seen = np.zeros_like(cells)
    best: tuple[int, int, int, int, float] | None = None
    best_size = 0
    middle = columns // 2
    for start_row in range(rows):
        if not cells[start_row, middle] or seen[start_row, middle]:
            continue
        region = _flood(cells, seen, start_row, middle)
        if len(region) <= best_size:
            continue
        mask = np.zeros_like(cells)
        ys, xs = zip(*region, strict=True)
        mask[list(ys), list(xs)] = True
        top, left, bottom, right = _rectangle(mask)
        if top == 0 or left == 0 or bottom == rows or right == columns or bottom - top < 2 or right - left < 2:
            continue
        best_size = len(region)
        best = (top, left, bottom, right, float(mask[top:bottom, left:right].mean()))
    return best


def _rectangle(mask: np.ndarray) -> tuple[int, int, int, int]:
    """The rectangle a region of cells makes: the rows it covers at least half of, or reaches both sides
    in (the box's margins beside a button), and the same for columns. Something of the box's colour touching
    the box from outside (a dimmed picture) then does not stretch it."""
    ys, xs = np.nonzero(mask)
    top, bottom, left, right = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    for _ in range(2):
        inner = mask[top:bottom, left:right]
        framed = inner[:, :2].any(axis=1) & inner[:, -2:].any(axis=1)
        top, bottom = (top + a for a in _run((inner.mean(axis=1) >= 0.5) | framed))
        inner = mask[top:bottom, left:right]
        framed = inner[:2, :].any(axis=0) & inner[-2:, :].any(axis=0)
        left, right = (left + a for a in _run((inner.mean(axis=0) >= 0.5) | framed))
    return top, left, bottom, right


def _run(flags: np.ndarray, gap: int = 1) -> tuple[int, int]:
    """The longest run of True (gaps of `gap` False allowed inside), as start and exclusive end."""
    best, start, last = (0, 0), -1, -10
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if index - last > gap + 1:
            start = index
        last = index
        if last + 1 - start > best[1] - best[0]:
            best = (start, last + 1)
    return best


def _flood(cells: np.ndarray, seen: np.ndarray, row: int, column: int) -> list[tuple[int, int]]:
    rows, columns = cells.shape
    region = []
    queue = deque([(row, column)])
    seen[row, column] = True
    while queue:
        r, c = queue.popleft()
        region.append((r, c))
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < rows and 0 <= nc < columns and cells[nr, nc] and not seen[nr, nc]:
                seen[nr, nc] = True
                queue.append((nr, nc))
    return region


def _measure(
    planes: np.ndarray,
    luminance: np.ndarray,
    colour: np.ndarray,
    box: tuple[int, int, int, int, float],
    orientation: str,
) -> DialogFeatures:
    top, left, bottom, right, fill = box
    height, width = planes.shape[1:]
    y0, x0, y1, x1 = top * CELL, left * CELL, bottom * CELL, right * CELL
    near = _near(planes[:, y0:y1, x0:x1], colour, BOX_TOLERANCE)
    # Ink: pixels of the box that are not its colour, its rounded corners and edges aside.
    core = near[CELL:-CELL, CELL:-CELL] if near.shape[0] > 2 * CELL and near.shape[1] > 2 * CELL else near
    ink = 1.0 - float(core.mean()) if core.size else 1.0
    # Solid: cells of the box of one other colour (a filled button, a picture), not letters on the box.
    box_luminance = luminance[y0:y1, x0:x1]
    rows, columns = (y1 - y0) // CELL, (x1 - x0) // CELL
    blocks = box_luminance[: rows * CELL, : columns * CELL].reshape(rows, CELL, columns, CELL)
    spread = blocks.max(axis=(1, 3)) - blocks.min(axis=(1, 3))
    other = _cells(~near) > 0.9
    solid = float((other[:rows, :columns] & (spread < SOLID_RANGE)).mean()) if rows and columns else 0.0
    # The surround: everything a cell or more away from the box.
    outside = np.ones((height, width), dtype=bool)
    outside[max(0, y0 - CELL) : y1 + CELL, max(0, x0 - CELL) : x1 + CELL] = False
    around = luminance[outside]
    box_level = float(np.dot(colour, [0.299, 0.587, 0.114]))
    bright = float((around > DIM_LEVEL).mean()) if around.size else 1.0
    darker = float((around < box_level - BOX_STEP).mean()) if around.size else 0.0
    return DialogFeatures(
        centre_offset=abs((x0 + x1) / 2 - width / 2) / width,
        centre_height=(y0 + y1) / 2 / height,
        width_share=(x1 - x0) / width,
        height_share=(y1 - y0) / height,
        fill=fill,
        surround_bright=bright,
        surround_darker=darker,
        ink=ink,
        solid=solid,
        orientation=orientation,
    )


def screen_flags(image: Image.Image) -> tuple[str, ...]:
    """The flags one screenshot earns by itself (SCREEN_FLAGS' "blank_screen" and "crash_dialog")."""
    work = image if min(image.size) == WORK_SIDE and image.mode == "RGB" else work_image(image)
    flags = []
    if is_blank(work):
        flags.append("blank_screen")
    elif is_crash_dialog(work):
        flags.append("crash_dialog")
    return tuple(flags)


# -- comparisons ----------------------------------------------------------------------------------------

# The same screen on another phone of the same Android version (another size and density) is at most this
# many bits of 64 away; more and the screenshot "differs_from_peers". Measured on the labelled screens drawn
# on six phones (16:9 to 20:9, density 1.75 to 3.5) against one: 4.5% of same-screen pairs lie above it (the
# 16:9 phone's most, and nearly empty screens such as a splash logo, whose hash is unstable), 3.6% of pairs of
# different layouts at or below it. The same layout in other colours is alike by design.
PEER_THRESHOLD = 20
# The same screen on the same phone in another run (another clock, an unread badge) is at most this far;
# more and it "changed_since_approved". Measured: the same screen at most 8 bits apart (median 0), 0.1% of
# pairs of different layouts at or below it.
CHANGE_THRESHOLD = 10
OWN_FLAGS = ("install_failed", "launch_failed", "crash", "anr")  # what a device earns without its screenshots


def hamming(a_hex: str, b_hex: str) -> int:
    """Bits that differ between two perceptual hashes given as hex digits."""
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def with_screen_flags(result: DeviceResult) -> DeviceResult:
    """The device's own flags and every flag of its screenshots, in DEVICE_FLAGS' order."""
    flags = {flag for flag in result.flags if flag in OWN_FLAGS}
    for shot in result.screenshots:
        flags.update(shot.flags)
    return replace(result, flags=tuple(flag for flag in DEVICE_FLAGS if flag in flags))


def _flagged(shot: DeviceScreenshot, flag: str, on: bool) -> DeviceScreenshot:
    flags = {*shot.flags, flag} if on else set(shot.flags) - {flag}
    return replace(shot, flags=tuple(f for f in DEVICE_FLAGS if f in flags))


def _slots(screenshots: Sequence[DeviceScreenshot], shared: set[str]) -> dict[tuple[str, int], int]:
    """Where each screenshot sits for the comparison: by its name when other devices have that name, else
    by its position. Returns key -> index in `screenshots`."""
    keys: dict[tuple[str, int], int] = {}
    seen: dict[str, int] = {}
    for index, shot in enumerate(screenshots):
        if shot.name in shared:
            occurrence = seen.get(shot.name, 0)
            seen[shot.name] = occurrence + 1
            keys.setdefault((f"name:{shot.name}", occurrence), index)
        else:
            keys.setdefault(("position", index), index)
    return keys


def mark_peer_differences(results: Sequence[DeviceResult]) -> tuple[DeviceResult, ...]:
    """Flag "differs_from_peers" on a screenshot most other devices of the same Android version and
    orientation did not show alike at the same point (with two devices: both, when they differ).

    Screenshots of a Monkey run are left out: the same random taps land on other things on another screen
    size, so their screens are not expected to match. Devices of unknown version are not compared."""
    screens = [[_flagged(s, "differs_from_peers", False) for s in r.screenshots] for r in results]
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, result in enumerate(results):
        if result.os_version is not None:
            groups.setdefault((result.os_version, result.orientation), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        _mark_group(members, screens)
    return tuple(
        with_screen_flags(replace(result, screenshots=tuple(shots)))
        for result, shots in zip(results, screens, strict=True)
    )


def _mark_group(members: list[int], screens: list[list[DeviceScreenshot]]) -> None:
    names: dict[str, int] = {}
    for member in members:
        for name in {s.name for s in screens[member]}:
            names[name] = names.get(name, 0) + 1
    shared = {name for name, count in names.items() if count > 1}
    slots: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for member in members:
        for key, index in _slots(screens[member], shared).items():
            shot = screens[member][index]
            if shot.phash and shot.step != "monkey":
                slots.setdefault(key, []).append((member, index))
    for entries in slots.values():
        if len(entries) < 2:
            continue
        hashes = [screens[m][i].phash for m, i in entries]
        for position, (member, index) in enumerate(entries):
            near = sum(
                1
                for other, h in enumerate(hashes)
                if other != position and hamming(hashes[position], h) <= PEER_THRESHOLD
            )
            if near * 2 < len(entries) - 1:
                screens[member][index] = _flagged(screens[member][index], "differs_from_peers", True)


def _device_key(result: DeviceResult) -> tuple[str, str | None, str | None]:
    return (result.device, result.os_version, result.orientation)


def mark_version_changes(results: Sequence[DeviceResult], previous: Sequence[DeviceResult]) -> tuple[DeviceResult, ...]:
    """Flag "changed_since_approved" on a screenshot that looks different from the one the same device
    (model, Android version, orientation) took of the last approved version: matched by name, else by
    position. Devices the approved version was not run on are not compared."""
    before: dict[tuple[str, str | None, str | None], DeviceResult] = {}
    for result in previous:
        before.setdefault(_device_key(result), result)
    marked = []
    for result in results:
        old = before.get(_device_key(result))
        shots = [_flagged(s, "changed_since_approved", False) for s in result.screenshots]
        if old is not None:
            shots = [
                _flagged(s, "changed_since_approved", _changed(s, i, old.screenshots)) for i, s in enumerate(shots)
            ]
        marked.append(with_screen_flags(replace(result, screenshots=tuple(shots))))
    return tuple(marked)


def _changed(shot: DeviceScreenshot, index: int, old: Sequence[DeviceScreenshot]) -> bool:
    match = next((s for s in old if s.name == shot.name), None)
    if match is None and index < len(old):
        match = old[index]
    if match is None or not match.phash or not shot.phash:
        return False
    return hamming(shot.phash, match.phash) > CHANGE_THRESHOLD
