"""Labelled phone screens drawn with Pillow, for measuring and testing the screenshot checks.

Each screen is laid out in dp and drawn at a phone's density, so the same screen on another phone (or turned
to landscape) is the same layout at another size, as a device cloud would show it. The classes:

- "normal": app screens (lists, cards, photos, text, chat, a player, dark theme, a centred login card, a
  centred card over an app bar, an empty state, a sparse settings list) and splash screens with a real logo;
- "blank": what an app that did not render shows (white, black, one flat colour, a status bar over a flat
  colour, a tiny spinner or a thin progress line);
- "dialog": Android's "has stopped" and "isn't responding" dialogs, old and new layouts, light and dark, over
  different app screens and over the bare starting window, with the dim a dialog casts.

The words drawn do not matter to the checks (they do no OCR); the shapes do.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Phone:
    name: str
    width: int  # in portrait
    height: int
    density: float  # pixels per dp


PIXEL = Phone("pixel", 1080, 2340, 2.625)
SMALL = Phone("small", 720, 1280, 2.0)
PHONES = (PIXEL, SMALL)  # the labelled sets are drawn on these
# More phones, for measuring how far the same screen on another phone of one Android version is: another
# aspect (20:9, 18:9, the 16:9 of SMALL) or density (BIG draws PIXEL's layout at 3.5).
TALL = Phone("tall", 1080, 2400, 2.625)
WIDE = Phone("wide", 1080, 2160, 2.625)
BIG = Phone("big", 1440, 3120, 3.5)
HD = Phone("hd", 720, 1600, 1.75)
PEERS = (PIXEL, TALL, WIDE, BIG, HD, SMALL)
ORIENTATIONS = ("portrait", "landscape")


@dataclass(frozen=True)
class Theme:
    dark: bool
    background: RGB
    surface: RGB
    primary: RGB
    on_primary: RGB
    text: RGB
    text2: RGB
    divider: RGB
    accent: RGB


LIGHT = Theme(False, (255, 255, 255), (255, 255, 255), (63, 81, 181), (255, 255, 255), (33, 33, 33), (117, 117, 117),
              (224, 224, 224), (255, 64, 129))  # fmt: skip
LIGHT_GREEN = Theme(False, (250, 250, 250), (255, 255, 255), (0, 137, 123), (255, 255, 255), (30, 30, 30),
                    (110, 110, 110), (220, 220, 220), (255, 160, 0))  # fmt: skip
DARK = Theme(True, (18, 18, 18), (30, 30, 30), (31, 31, 31), (230, 230, 230), (225, 225, 225), (160, 160, 160),
             (50, 50, 50), (187, 134, 252))  # fmt: skip
BLACK = Theme(True, (0, 0, 0), (22, 22, 22), (0, 0, 0), (240, 240, 240), (235, 235, 235), (150, 150, 150),
              (40, 40, 40), (3, 218, 197))  # fmt: skip

WORDS = ("note", "meeting", "groceries", "travel", "ideas", "photos", "budget", "recipe", "music", "weekend",
         "project", "report", "birthday", "garden", "books", "call", "plan", "draft")  # fmt: skip


@dataclass(frozen=True)
class Screen:
    name: str
    label: str  # "normal", "blank" or "dialog"
    image: Image.Image


class Canvas:
    """A screen being drawn: sizes in dp, turned into pixels at the phone's density."""

    def __init__(self, phone: Phone, orientation: str, background: RGB, seed: int = 0, clock: str = "12:30",
                 badge: bool = False) -> None:  # fmt: skip
        width, height = (phone.width, phone.height) if orientation == "portrait" else (phone.height, phone.width)
        self.image = Image.new("RGB", (width, height), background)
        self.draw = ImageDraw.Draw(self.image)
        self.density = phone.density
        self.width, self.height = width, height
        self.random = random.Random(seed)
        self.clock = clock  # what the status bar's clock shows
        self.badge = badge  # a small unread-count badge on the app bar: a change too small to matter

    def dp(self, value: float) -> int:
        return round(value * self.density)

    def text(self, x: int, y: int, words: str, sp: float, fill: RGB, anchor: str = "la") -> None:
        self.draw.text((x, y), words, font=_font(round(sp * self.density)), fill=fill, anchor=anchor)

    def words(self, count: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(count)).capitalize()


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


# -- parts ----------------------------------------------------------------------------------------------


def status_bar(c: Canvas, background: RGB | None, foreground: RGB) -> int:
    """The system's status bar (24 dp): the clock on the left, signal, wifi and battery on the right."""
    height = c.dp(24)
    if background is not None:
        c.draw.rectangle((0, 0, c.width, height), fill=background)
    c.text(c.dp(16), height // 2, c.clock, 13, foreground, anchor="lm")
    x = c.width - c.dp(16)
    c.draw.rectangle((x - c.dp(9), c.dp(7), x, c.dp(17)), fill=foreground)  # battery
    x -= c.dp(16)
    c.draw.pieslice((x - c.dp(12), c.dp(6), x, c.dp(22)), 225, 315, fill=foreground)  # wifi
    x -= c.dp(16)
    c.draw.polygon([(x, c.dp(17)), (x - c.dp(11), c.dp(17)), (x, c.dp(6))], fill=foreground)  # signal
    return height


def nav_bar(c: Canvas, background: RGB | None, foreground: RGB, gesture: bool) -> int:
    """The navigation bar at the bottom: a gesture pill (16 dp) or back, home and recents (48 dp)."""
    height = c.dp(16 if gesture else 48)
    top = c.height - height
    if background is not None:
        c.draw.rectangle((0, top, c.width, c.height), fill=background)
    middle = top + height // 2
    if gesture:
        c.draw.rounded_rectangle((c.width // 2 - c.dp(54), middle - c.dp(2), c.width // 2 + c.dp(54),
                                  middle + c.dp(2)), radius=c.dp(2), fill=foreground)  # fmt: skip
        return height
    r = c.dp(8)
    for i, shape in enumerate(("back", "home", "recents")):
        x = c.width // 2 + (i - 1) * c.dp(96)
        if shape == "back":
            c.draw.polygon([(x - r, middle), (x + r, middle - r), (x + r, middle + r)], outline=foreground,
                           width=c.dp(2))  # fmt: skip
        elif shape == "home":
            c.draw.ellipse((x - r, middle - r, x + r, middle + r), outline=foreground, width=c.dp(2))
        else:
            c.draw.rectangle((x - r, middle - r, x + r, middle + r), outline=foreground, width=c.dp(2))
    return height


def system_bars(c: Canvas, theme: Theme, gesture: bool = True) -> tuple[int, int]:
    foreground = (255, 255, 255) if theme.dark or sum(theme.primary) < 300 else (40, 40, 40)
    top = status_bar(c, _mix(theme.primary, (0, 0, 0), 0.2), foreground)
    nav_fg = (230, 230, 230) if theme.dark else (60, 60, 60)
    bottom = nav_bar(c, theme.background, nav_fg, gesture)
    return top, bottom


def app_bar(c: Canvas, top: int, theme: Theme, title: str, colour: RGB | None = None) -> int:
    """A 56 dp app bar with a menu icon, a title and an overflow menu."""
    fill = colour or theme.primary
    fg = theme.on_primary if fill == theme.primary else theme.text
    bottom = top + c.dp(56)
    c.draw.rectangle((0, top, c.width, bottom), fill=fill)
    middle = (top + bottom) // 2
    for dy in (-6, 0, 6):
        c.draw.rectangle((c.dp(16), middle + c.dp(dy) - c.dp(1), c.dp(34), middle + c.dp(dy) + c.dp(1)), fill=fg)
    c.text(c.dp(72), middle, title, 20, fg, anchor="lm")
    for dy in (-6, 0, 6):
        x, y = c.width - c.dp(24), middle + c.dp(dy)
        c.draw.ellipse((x - c.dp(2), y - c.dp(2), x + c.dp(2), y + c.dp(2)), fill=fg)
    if c.badge:
        x = c.width - c.dp(64)
        c.draw.ellipse((x - c.dp(9), middle - c.dp(9), x + c.dp(9), middle + c.dp(9)), fill=(229, 57, 53))
        c.text(x, middle, "3", 11, (255, 255, 255), anchor="mm")
    return bottom


def photo(c: Canvas, box: tuple[int, int, int, int]) -> None:
    """A photo-like picture: a gradient sky, blobs of colour, softened."""
    width, height = max(1, box[2] - box[0]), max(1, box[3] - box[1])
    small = Image.new("RGB", (48, 48), (0, 0, 0))
    draw = ImageDraw.Draw(small)
    top = tuple(c.random.randrange(40, 256) for _ in range(3))
    bottom = tuple(c.random.randrange(0, 200) for _ in range(3))
    for y in range(48):
        draw.line((0, y, 48, y), fill=_mix(top, bottom, y / 47))  # type: ignore[arg-type]
    for _ in range(c.random.randrange(3, 8)):
        x, y, r = c.random.randrange(48), c.random.randrange(48), c.random.randrange(4, 16)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(c.random.randrange(256) for _ in range(3)))
    picture = small.filter(ImageFilter.GaussianBlur(1.2)).resize((width, height), Image.Resampling.BILINEAR)
    c.image.paste(picture, box[:2])


def icon(c: Canvas, x: int, y: int, size: int, colour: RGB, shape: int) -> None:
    half = size // 2
    box = (x - half, y - half, x + half, y + half)
    if shape % 3 == 0:
        c.draw.ellipse(box, fill=colour)
    elif shape % 3 == 1:
        c.draw.rounded_rectangle(box, radius=size // 4, fill=colour)
    else:
        c.draw.polygon([(x, y - half), (x + half, y + half), (x - half, y + half)], fill=colour)


def text_lines(c: Canvas, x: int, y: int, width: int, lines: int, sp: float, colour: RGB) -> int:
    """Lines of words as wide as `width` allows (the last one shorter); returns the y below them."""
    step = c.dp(sp * 1.5)
    for i in range(lines):
        words = c.words(12)
        font = _font(round(sp * c.density))
        while words and font.getlength(words) > width * (0.55 if i == lines - 1 else 1.0):
            words = words.rsplit(" ", 1)[0] if " " in words else ""
        c.text(x, y, words, sp, colour)
        y += step
    return y


def fab(c: Canvas, theme: Theme, bottom: int) -> None:
    x, y, r = c.width - c.dp(44), bottom - c.dp(44), c.dp(28)
    c.draw.ellipse((x - r, y - r, x + r, y + r), fill=theme.accent)
    c.draw.rectangle((x - c.dp(8), y - c.dp(1), x + c.dp(8), y + c.dp(1)), fill=(255, 255, 255))
    c.draw.rectangle((x - c.dp(1), y - c.dp(8), x + c.dp(1), y + c.dp(8)), fill=(255, 255, 255))


# -- normal screens -------------------------------------------------------------------------------------


def list_screen(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme, gesture=False)
    y = app_bar(c, top, theme, "Notes")
    row = c.dp(72)
    index = 0
    while y + row < c.height - bottom:
        colour = tuple(c.random.randrange(60, 230) for _ in range(3))
        icon(c, c.dp(36), y + row // 2, c.dp(40), colour, 0)  # type: ignore[arg-type]
        c.text(c.dp(72), y + c.dp(16), c.words(3), 16, theme.text)
        c.text(c.dp(72), y + c.dp(40), c.words(5), 14, theme.text2)
        c.draw.line((c.dp(72), y + row - 1, c.width, y + row - 1), fill=theme.divider, width=max(1, c.dp(1)))
        y += row
        index += 1
    fab(c, theme, c.height - bottom)


def cards_screen(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme)
    y = app_bar(c, top, theme, "Discover", colour=theme.surface) + c.dp(8)
    columns = 2 if c.width > c.height else 1
    gap = c.dp(12)
    width = (c.width - gap * (columns + 1)) // columns
    height = c.dp(220)
    column = 0
    while y + c.dp(80) < c.height - bottom:
        x = gap + column * (width + gap)
        shadow = _mix(theme.background, (0, 0, 0), 0.12)
        c.draw.rounded_rectangle((x, y + c.dp(1), x + width, y + height + c.dp(2)), radius=c.dp(8), fill=shadow)
        c.draw.rounded_rectangle((x, y, x + width, y + height), radius=c.dp(8), fill=theme.surface)
        photo(c, (x, y, x + width, y + c.dp(140)))
        c.text(x + c.dp(16), y + c.dp(152), c.words(3), 18, theme.text)
        c.text(x + c.dp(16), y + c.dp(182), c.words(6), 14, theme.text2)
        column += 1
        if column == columns:
            column = 0
            y += height + gap
    fab(c, theme, c.height - bottom)


def photo_grid(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme)
    y = app_bar(c, top, theme, "Gallery")
    columns = 5 if c.width > c.height else 3
    side = (c.width - c.dp(2) * (columns - 1)) // columns
    while y < c.height - bottom:
        for i in range(columns):
            x = i * (side + c.dp(2))
            photo(c, (x, y, x + side, min(y + side, c.height - bottom)))
        y += side + c.dp(2)


def article(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme)
    y = app_bar(c, top, theme, "Reader", colour=theme.surface)
    photo(c, (0, y, c.width, y + c.dp(180)))
    y += c.dp(196)
    c.text(c.dp(16), y, c.words(4), 24, theme.text)
    y += c.dp(44)
    while y + c.dp(120) < c.height - bottom:
        y = text_lines(c, c.dp(16), y, c.width - c.dp(32), 4, 15, theme.text) + c.dp(12)


def chat(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme)
    y = app_bar(c, top, theme, "Anna") + c.dp(12)
    mine = _mix(theme.primary, theme.background, 0.75 if not theme.dark else 0.3)
    theirs = _mix(theme.background, (128, 128, 128), 0.2)
    end = c.height - bottom - c.dp(64)
    while y + c.dp(60) < end:
        own = c.random.random() < 0.5
        width = c.dp(c.random.randrange(120, max(121, int(c.width / c.density * 0.7))))
        lines = c.random.randrange(1, 3)
        height = c.dp(20 + 22 * lines)
        x = c.width - c.dp(12) - width if own else c.dp(12)
        c.draw.rounded_rectangle((x, y, x + width, y + height), radius=c.dp(16), fill=mine if own else theirs)
        text_lines(c, x + c.dp(12), y + c.dp(10), width - c.dp(24), lines, 15, theme.text)
        y += height + c.dp(8)
    c.draw.rounded_rectangle((c.dp(8), end + c.dp(8), c.width - c.dp(64), end + c.dp(56)), radius=c.dp(24),
                             fill=theirs)  # fmt: skip
    c.text(c.dp(28), end + c.dp(32), "Message", 16, theme.text2, anchor="lm")
    icon(c, c.width - c.dp(32), end + c.dp(32), c.dp(44), theme.accent, 0)


def player(c: Canvas, theme: Theme) -> None:
    top, bottom = system_bars(c, theme)
    landscape = c.width > c.height
    side = min(c.width - c.dp(64), c.height - top - bottom - c.dp(240)) if not landscape else c.height - c.dp(96)
    x0, y0 = (c.width - side) // 2 if not landscape else c.dp(32), top + c.dp(32)
    photo(c, (x0, y0, x0 + side, y0 + side))
    if landscape:
        x, y = x0 + side + c.dp(32), y0 + c.dp(24)
    else:
        x, y = c.dp(32), y0 + side + c.dp(24)
    c.text(x, y, c.words(3), 22, theme.text)
    c.text(x, y + c.dp(32), c.words(2), 16, theme.text2)
    right = c.width - c.dp(32)
    c.draw.rectangle((x, y + c.dp(72), right, y + c.dp(76)), fill=theme.divider)
    c.draw.rectangle((x, y + c.dp(72), x + (right - x) // 3, y + c.dp(76)), fill=theme.accent)
    for i in range(3):
        cx = x + (right - x) * (i + 1) // 4
        icon(c, cx, y + c.dp(124), c.dp(64 if i == 1 else 36), theme.text if i != 1 else theme.accent, 2 - i)


def settings_sparse(c: Canvas, theme: Theme) -> None:
    """A settings page with three switches and nothing else: little ink, but rendered."""
    status_bar(c, theme.background, theme.text)
    y = c.dp(24) + c.dp(32)
    c.text(c.dp(16), y, "Settings", 28, theme.text)
    y += c.dp(64)
    for _ in range(3):
        c.text(c.dp(16), y + c.dp(8), c.words(2), 16, theme.text)
        c.text(c.dp(16), y + c.dp(32), c.words(4), 13, theme.text2)
        x = c.width - c.dp(56)
        c.draw.rounded_rectangle((x, y + c.dp(16), x + c.dp(36), y + c.dp(30)), radius=c.dp(7), fill=theme.divider)
        c.draw.ellipse((x + c.dp(16), y + c.dp(13), x + c.dp(36), y + c.dp(33)), fill=theme.accent)
        y += c.dp(72)


def login_card(c: Canvas, theme: Theme) -> None:
    """A sign-in form on a card in the middle of the screen (no dim around it)."""
    background = _mix(theme.background, theme.primary, 0.08) if not theme.dark else theme.background
    c.draw.rectangle((0, 0, c.width, c.height), fill=background)
    status_bar(c, None, theme.text)
    card = _mix(theme.surface, (255, 255, 255), 0.06) if theme.dark else theme.surface
    width = min(c.width - c.dp(48), c.dp(380))
    height = c.dp(340)
    x0, y0 = (c.width - width) // 2, max(c.dp(32), (c.height - height) // 2)
    c.draw.rounded_rectangle((x0, y0 + c.dp(2), x0 + width, y0 + height + c.dp(3)), radius=c.dp(12),
                             fill=_mix(background, (0, 0, 0), 0.1))  # fmt: skip
    c.draw.rounded_rectangle((x0, y0, x0 + width, y0 + height), radius=c.dp(12), fill=card)
    icon(c, c.width // 2, y0 + c.dp(44), c.dp(48), theme.primary if not theme.dark else theme.accent, 0)
    c.text(c.width // 2, y0 + c.dp(92), "Sign in", 22, theme.text, anchor="mm")
    y = y0 + c.dp(120)
    for hint in ("Email", "Password"):
        c.draw.rounded_rectangle((x0 + c.dp(20), y, x0 + width - c.dp(20), y + c.dp(52)), radius=c.dp(4),
                                 outline=theme.text2, width=max(1, c.dp(1)))  # fmt: skip
        c.text(x0 + c.dp(36), y + c.dp(26), hint, 16, theme.text2, anchor="lm")
        y += c.dp(64)
    c.draw.rounded_rectangle((x0 + c.dp(20), y + c.dp(4), x0 + width - c.dp(20), y + c.dp(48)), radius=c.dp(22),
                             fill=theme.accent if theme.dark else theme.primary)  # fmt: skip
    c.text(c.width // 2, y + c.dp(26), "Continue", 16, (255, 255, 255), anchor="mm")


def centred_card(c: Canvas, theme: Theme) -> None:
    """A card in the middle of an app screen with a title and two text buttons: a dialog's shape, undimmed."""
    top, bottom = system_bars(c, theme)
    app_bar(c, top, theme, "Welcome")
    background = _mix(theme.background, (128, 128, 128), 0.06)
    c.draw.rectangle((0, top + c.dp(56), c.width, c.height - bottom), fill=background)
    width = min(c.width - c.dp(56), c.dp(560))
    x0 = (c.width - width) // 2
    y0 = (c.height - c.dp(180)) // 2
    c.draw.rounded_rectangle((x0, y0, x0 + width, y0 + c.dp(180)), radius=c.dp(16), fill=theme.surface)
    c.text(x0 + c.dp(24), y0 + c.dp(36), c.words(3), 20, theme.text, anchor="lm")
    text_lines(c, x0 + c.dp(24), y0 + c.dp(64), width - c.dp(48), 2, 14, theme.text2)
    c.text(x0 + width - c.dp(24), y0 + c.dp(150), "START", 14, theme.accent, anchor="rm")
    c.text(x0 + width - c.dp(110), y0 + c.dp(150), "LATER", 14, theme.accent, anchor="rm")


def empty_state(c: Canvas, theme: Theme) -> None:
    """A white screen with nothing to list yet: an app bar, a picture, a line of text."""
    top, bottom = system_bars(c, theme)
    app_bar(c, top, theme, "Notes", colour=theme.surface)
    cx, cy = c.width // 2, c.height // 2
    c.draw.ellipse((cx - c.dp(56), cy - c.dp(90), cx + c.dp(56), cy + c.dp(22)), fill=theme.divider)
    icon(c, cx, cy - c.dp(34), c.dp(48), theme.text2, 1)
    c.text(cx, cy + c.dp(56), "No notes yet", 18, theme.text, anchor="mm")
    c.text(cx, cy + c.dp(84), "Tap + to write one", 14, theme.text2, anchor="mm")
    fab(c, theme, c.height - bottom)


def splash(c: Canvas, logo: RGB, with_name: bool, size_dp: int = 128) -> None:
    """A splash screen: a logo in the middle (a badge with a mark on it), the app's name under it or not."""
    cx, cy = c.width // 2, c.height // 2
    half = c.dp(size_dp) // 2
    c.draw.rounded_rectangle((cx - half, cy - half, cx + half, cy + half), radius=half // 3, fill=logo)
    inner = _mix(logo, (255, 255, 255), 0.85)
    c.draw.ellipse((cx - half // 2, cy - half // 2, cx + half // 2, cy + half // 2), fill=inner)
    c.draw.polygon([(cx - half // 4, cy - half // 3), (cx + half // 3, cy), (cx - half // 4, cy + half // 3)],
                   fill=logo)  # fmt: skip
    if with_name:
        background = c.image.getpixel((0, c.height // 2))
        assert isinstance(background, tuple)
        light = sum(background[:3]) > 384
        c.text(cx, cy + half + c.dp(40), "Melody", 28, (40, 40, 40) if light else (245, 245, 245), anchor="mm")


# -- blank screens --------------------------------------------------------------------------------------


def spinner(c: Canvas, colour: RGB, size_dp: int) -> None:
    cx, cy, r = c.width // 2, c.height // 2, c.dp(size_dp) // 2
    c.draw.arc((cx - r, cy - r, cx + r, cy + r), 30, 300, fill=colour, width=max(2, c.dp(4)))


def progress_line(c: Canvas, colour: RGB, top: int) -> None:
    c.draw.rectangle((0, top, c.width * 2 // 5, top + c.dp(4)), fill=colour)


# -- dialogs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DialogStyle:
    box: RGB
    title: RGB
    text: RGB
    button: RGB
    radius_dp: int


MATERIAL_LIGHT = DialogStyle((250, 250, 250), (33, 33, 33), (117, 117, 117), (0, 133, 119), 2)
MATERIAL_DARK = DialogStyle((66, 66, 66), (255, 255, 255), (190, 190, 190), (128, 203, 196), 2)
MODERN_LIGHT = DialogStyle((243, 237, 247), (29, 27, 32), (73, 69, 79), (103, 80, 164), 28)
MODERN_DARK = DialogStyle((43, 41, 48), (230, 225, 229), (202, 196, 208), (208, 188, 255), 28)


def dim(image: Image.Image, amount: float) -> Image.Image:
    """What a dialog's window does to what is behind it: a black scrim of `amount` opacity."""
    return Image.blend(image, Image.new("RGB", image.size, (0, 0, 0)), amount)


def crash_dialog(c: Canvas, style: DialogStyle, layout: str, app: str = "Notes", amount: float = 0.6) -> None:
    """Android's dialog for a crash or an ANR over what the canvas holds, its status bar left bright.

    layout: "stopped" (Android 9+: title, then "App info" and "Close app" rows with icons), "unfortunately"
    (Android 5-8: a wrapped title and an OK button), "anr" (Android 9+: "Close app" and "Wait" rows) or
    "anr_old" (a title, a question, WAIT and OK buttons)."""
    c.image.paste(dim(c.image, amount))
    status_bar(c, None, (255, 255, 255))
    landscape = c.width > c.height
    width = min(c.dp(560), round(c.width * 0.62)) if landscape else c.width - c.dp(48)
    rows = {"stopped": ("App info", "Close app"), "anr": ("Close app", "Wait")}.get(layout, ())
    if layout == "stopped" or layout == "anr":
        height = c.dp(24 + 28 + 16 + 48 * len(rows) + 12)
    elif layout == "unfortunately":
        height = c.dp(24 + 56 + 24 + 52)
    else:
        height = c.dp(24 + 28 + 12 + 22 + 24 + 52)
    x0, y0 = (c.width - width) // 2, (c.height - height) // 2
    c.draw.rounded_rectangle((x0, y0, x0 + width, y0 + height), radius=c.dp(style.radius_dp), fill=style.box)
    y = y0 + c.dp(24)
    if layout == "stopped":
        c.text(x0 + c.dp(24), y, f"{app} keeps stopping", 20, style.title)
    elif layout == "anr" or layout == "anr_old":
        c.text(x0 + c.dp(24), y, f"{app} isn't responding", 20, style.title)
    else:
        c.text(x0 + c.dp(24), y, "Unfortunately,", 20, style.title)
        c.text(x0 + c.dp(24), y + c.dp(28), f"{app} has stopped.", 20, style.title)
        y += c.dp(28)
    y += c.dp(28 + 16)
    for shape, label in enumerate(rows):
        middle = y + c.dp(24)
        icon(c, x0 + c.dp(36), middle, c.dp(20), style.text, shape)
        c.text(x0 + c.dp(72), middle, label, 16, style.title, anchor="lm")
        y += c.dp(48)
    if layout == "anr_old":
        c.text(x0 + c.dp(24), y - c.dp(4), "Do you want to close it?", 16, style.text)
    if layout in ("unfortunately", "anr_old"):
        buttons = ("OK",) if layout == "unfortunately" else ("OK", "WAIT")
        x = x0 + width - c.dp(24)
        for label in buttons:
            c.text(x, y0 + height - c.dp(26), label, 14, style.button, anchor="rm")
            x -= c.dp(72)


# -- the labelled sets ----------------------------------------------------------------------------------

Draw = Callable[[Canvas], None]

NORMAL: dict[str, tuple[RGB, Draw]] = {
    "list": (LIGHT.background, lambda c: list_screen(c, LIGHT)),
    "list_dark": (DARK.background, lambda c: list_screen(c, DARK)),
    "cards": (LIGHT_GREEN.background, lambda c: cards_screen(c, LIGHT_GREEN)),
    "cards_dark": (DARK.background, lambda c: cards_screen(c, DARK)),
    "photos": (LIGHT.background, lambda c: photo_grid(c, LIGHT)),
    "photos_black": (BLACK.background, lambda c: photo_grid(c, BLACK)),
    "article": (LIGHT.background, lambda c: article(c, LIGHT)),
    "chat": (LIGHT_GREEN.background, lambda c: chat(c, LIGHT_GREEN)),
    "chat_dark": (DARK.background, lambda c: chat(c, DARK)),
    "player_dark": (DARK.background, lambda c: player(c, DARK)),
    "player_black": (BLACK.background, lambda c: player(c, BLACK)),
    "settings_sparse": (LIGHT.background, lambda c: settings_sparse(c, LIGHT)),
    "settings_sparse_dark": (DARK.background, lambda c: settings_sparse(c, DARK)),
    "login_card": (LIGHT.background, lambda c: login_card(c, LIGHT)),
    "login_card_dark": (DARK.background, lambda c: login_card(c, DARK)),
    "login_card_black": (BLACK.background, lambda c: login_card(c, BLACK)),
    "centred_card": (LIGHT.background, lambda c: centred_card(c, LIGHT)),
    "centred_card_dark": (DARK.background, lambda c: centred_card(c, DARK)),
    "empty_state": (LIGHT.background, lambda c: empty_state(c, LIGHT)),
    "splash_logo": ((255, 255, 255), lambda c: splash(c, (63, 81, 181), with_name=False)),
    "splash_logo_small": ((255, 255, 255), lambda c: splash(c, (229, 57, 53), with_name=False, size_dp=96)),
    "splash_logo_name": ((98, 0, 238), lambda c: splash(c, (255, 193, 7), with_name=True)),
    "splash_logo_dark": ((18, 18, 18), lambda c: splash(c, (3, 218, 197), with_name=True, size_dp=108)),
}

BLANK: dict[str, tuple[RGB, Draw]] = {
    "white": ((255, 255, 255), lambda c: None),
    "black": ((0, 0, 0), lambda c: None),
    "purple": ((98, 0, 238), lambda c: None),
    "teal": ((0, 150, 136), lambda c: None),
    "dark_grey": ((18, 18, 18), lambda c: None),
    "white_status_bar": ((255, 255, 255), lambda c: status_bar(c, (48, 63, 159), (255, 255, 255))),
    "white_bars": (
        (255, 255, 255),
        lambda c: (
            status_bar(c, (48, 63, 159), (255, 255, 255)),
            nav_bar(c, (0, 0, 0), (255, 255, 255), gesture=False),
        ),
    ),
    "dark_bars": (
        (18, 18, 18),
        lambda c: (status_bar(c, None, (255, 255, 255)), nav_bar(c, None, (230, 230, 230), gesture=True)),
    ),
    "orange_status_bar": ((255, 87, 34), lambda c: status_bar(c, (230, 74, 25), (255, 255, 255))),
    "spinner_white": (
        (255, 255, 255),
        lambda c: (status_bar(c, (48, 63, 159), (255, 255, 255)), spinner(c, (63, 81, 181), 48)),
    ),
    "spinner_dark": (
        (18, 18, 18),
        lambda c: (status_bar(c, None, (255, 255, 255)), spinner(c, (187, 134, 252), 36)),
    ),
    "progress_line": (
        (250, 250, 250),
        lambda c: progress_line(c, (63, 81, 181), status_bar(c, (48, 63, 159), (255, 255, 255))),
    ),
}

# (what is behind, dialog style, layout, dim amount)
DIALOGS: dict[str, tuple[str, DialogStyle, str, float]] = {
    "stopped_over_list": ("list", MODERN_LIGHT, "stopped", 0.6),
    "stopped_over_photos": ("photos", MATERIAL_LIGHT, "stopped", 0.6),
    "stopped_over_white": ("white", MODERN_LIGHT, "stopped", 0.6),
    "unfortunately_over_article": ("article", MATERIAL_LIGHT, "unfortunately", 0.6),
    "unfortunately_over_cards": ("cards", MATERIAL_LIGHT, "unfortunately", 0.5),
    "anr_over_chat": ("chat", MODERN_LIGHT, "anr", 0.6),
    "anr_old_over_login": ("login_card", MATERIAL_LIGHT, "anr_old", 0.6),
    "anr_over_splash": ("splash_logo_name", MODERN_LIGHT, "anr", 0.5),
    "stopped_dark_over_list": ("list_dark", MODERN_DARK, "stopped", 0.6),
    "stopped_dark_over_black": ("dark_grey", MODERN_DARK, "stopped", 0.6),
    "unfortunately_dark_over_player": ("player_dark", MATERIAL_DARK, "unfortunately", 0.6),
    "anr_dark_over_cards": ("cards_dark", MODERN_DARK, "anr", 0.6),
    "anr_old_dark_over_photos": ("photos_black", MATERIAL_DARK, "anr_old", 0.6),
}


def draw(phone: Phone, orientation: str, name: str, seed: int = 0, clock: str = "12:30",
         badge: bool = False) -> Image.Image:  # fmt: skip
    """The screen `name` (of NORMAL, BLANK or DIALOGS) on that phone. The same seed draws the same words,
    colours and pictures; `clock` and `badge` make the small differences of another run of the same app."""
    if name in DIALOGS:
        behind, style, layout, amount = DIALOGS[name]
        c = _canvas(phone, orientation, behind, seed, clock, badge)
        crash_dialog(c, style, layout, amount=amount)
        return c.image
    return _canvas(phone, orientation, name, seed, clock, badge).image


def _canvas(phone: Phone, orientation: str, name: str, seed: int, clock: str, badge: bool) -> Canvas:
    background, paint = NORMAL[name] if name in NORMAL else BLANK[name]
    c = Canvas(phone, orientation, background, seed, clock, badge)
    paint(c)
    return c


def family(name: str) -> str:
    """The layout a screen name draws, whatever its colours: "cards" for "cards" and "cards_dark", one family
    for every dialog and one for every blank screen. Screens of one family look alike by design."""
    if name in DIALOGS:
        return "dialog"
    if name in BLANK:
        return "blank"
    return name.split("_")[0]


@cache
def labelled() -> tuple[Screen, ...]:
    """Every labelled screen on both phones in both orientations."""
    screens: list[Screen] = []
    for phone in PHONES:
        for orientation in ORIENTATIONS:
            for label, names in (("normal", NORMAL), ("blank", BLANK), ("dialog", DIALOGS)):
                for seed, name in enumerate(names):
                    image = draw(phone, orientation, name, seed)
                    screens.append(Screen(f"{name}@{phone.name}-{orientation}", label, image))
    return tuple(screens)


@cache
def png(name: str, phone: Phone = SMALL, orientation: str = "portrait", seed: int = 0) -> bytes:
    """The screen as a PNG file (quickly compressed: the tests write many)."""
    buffer = io.BytesIO()
    draw(phone, orientation, name, seed).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def encoded(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()
