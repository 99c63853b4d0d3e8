"""The screenshot checks on labelled screens (tests/devices/screens.py): every blank screen and every crash
or ANR dialog is found and no normal screen is taken for either; screens that differ between devices of one
Android version, and screens that changed since the approved version, are flagged and nothing else is."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from reviewer_app.devices.checks import (
    BLANK_COVERAGE,
    content_coverage,
    crash_dialog_score,
    hamming,
    is_blank,
    is_crash_dialog,
    mark_peer_differences,
    mark_version_changes,
    with_screen_flags,
    work_image,
)
from reviewer_app.devices.images import DEFAULT_LIMITS, read_screenshot
from reviewer_app.domain import DeviceResult, DeviceScreenshot
from tests.devices import screens
from tests.devices.screens import BIG, PIXEL, SMALL, TALL, Phone

# TALL and BIG are other phones of PIXEL's Android version. (SMALL is 16:9: the same screen there can be as
# far from PIXEL's as another screen, see PEER_THRESHOLD.)


@dataclass(frozen=True)
class Verdict:
    name: str
    label: str
    coverage: float
    blank: bool
    dialog_score: float
    dialog: bool


@pytest.fixture(scope="module")
def verdicts() -> list[Verdict]:
    """Every labelled screen through both checks, once."""
    found = []
    for screen in screens.labelled():
        work = work_image(screen.image)
        found.append(Verdict(screen.name, screen.label, content_coverage(work), is_blank(work),
                             crash_dialog_score(work), is_crash_dialog(work)))  # fmt: skip
    return found


def test_the_labelled_sets_cover_both_phones_and_orientations(verdicts):
    for label in ("normal", "blank", "dialog"):
        names = {v.name.split("@")[1] for v in verdicts if v.label == label}
        assert names == {"pixel-portrait", "pixel-landscape", "small-portrait", "small-landscape"}


def test_every_blank_screen_is_found_and_no_other_screen_is_blank(verdicts):
    assert [v.name for v in verdicts if v.label == "blank" and not v.blank] == []
    assert [v.name for v in verdicts if v.label != "blank" and v.blank] == []


def test_the_blank_threshold_leaves_room_on_both_sides(verdicts):
    blank = max(v.coverage for v in verdicts if v.label == "blank")
    shown = min(v.coverage for v in verdicts if v.label != "blank")
    assert blank < BLANK_COVERAGE * 0.75 < BLANK_COVERAGE * 1.25 < shown


def test_every_crash_and_anr_dialog_is_found(verdicts):
    assert [v.name for v in verdicts if v.label == "dialog" and not v.dialog] == []


def test_no_normal_or_blank_screen_is_taken_for_a_dialog(verdicts):
    """Including a centred sign-in card on light, dark and black screens and a centred card with two text
    buttons: a dialog's shape without the dim around it."""
    assert [v.name for v in verdicts if v.label != "dialog" and v.dialog] == []


def test_the_dialog_score_is_positive_for_dialogs_only(verdicts):
    assert all((v.dialog_score > 0) == v.dialog for v in verdicts)
    assert max(v.dialog_score for v in verdicts if v.label != "dialog") < 0


@pytest.mark.parametrize("quality", [60, 90])
def test_the_checks_hold_for_jpeg_screenshots(quality):
    """Some clouds keep screenshots as JPEG: its noise and smeared edges change neither verdict."""
    for name, flags in (("stopped_dark_over_list", ("crash_dialog",)), ("anr_over_chat", ("crash_dialog",)),
                        ("spinner_white", ("blank_screen",)), ("dark_bars", ("blank_screen",)),
                        ("login_card_dark", ()), ("splash_logo_small", ()), ("settings_sparse", ())):  # fmt: skip
        for phone, orientation in ((PIXEL, "portrait"), (SMALL, "landscape")):
            data = screens.encoded(screens.draw(phone, orientation, name), "JPEG", quality=quality)
            checked = read_screenshot(data, f"{name}.jpg", DEFAULT_LIMITS)
            assert checked.flags == flags, (name, phone.name, orientation)
            assert checked.data == data  # JPEG is kept as it came


def test_hamming_counts_the_bits_that_differ():
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("8000000000000001", "0000000000000000") == 2
    assert hamming("c3a5c3a5c3a5c3a5", "c3a5c3a5c3a5c3a5") == 0


# -- comparisons ---------------------------------------------------------------------------------------------


def shot(
    name: str, phone: Phone = PIXEL, file: str | None = None, step: str = "", seed: int = 0, **kw
) -> DeviceScreenshot:
    """A screenshot record as the import makes it, from a labelled screen."""
    image = screens.draw(phone, "portrait", name, seed, **kw)
    checked = read_screenshot(screens.encoded(image, "PNG", compress_level=1), name, DEFAULT_LIMITS)
    return DeviceScreenshot(file or f"{name}.png", checked.sha256, checked.width, checked.height, step,
                            checked.phash, checked.flags)  # fmt: skip


def device(model: str, shots: list[DeviceScreenshot], version: str | None = "14", flags=()) -> DeviceResult:
    return DeviceResult(model, "success", os_version=version, orientation="portrait", screenshots=tuple(shots),
                        flags=tuple(flags))  # fmt: skip


def flagged(results, flag: str) -> list[tuple[str, int]]:
    return [(r.device, i) for r in results for i, s in enumerate(r.screenshots) if flag in s.flags]


def test_one_device_of_three_showing_something_else_is_the_only_one_flagged():
    """Galaxy shows the empty state where the others show the cards (its list did not load)."""
    results = [
        device("Pixel 7", [shot("list", PIXEL, "1.png"), shot("cards", PIXEL, "2.png")]),
        device("Pixel 7 Pro", [shot("list", TALL, "1.png"), shot("cards", TALL, "2.png")]),
        device("Galaxy", [shot("list", BIG, "1.png"), shot("empty_state", BIG, "2.png")]),
    ]
    marked = mark_peer_differences(results)
    assert flagged(marked, "differs_from_peers") == [("Galaxy", 1)]
    assert marked[2].flags == ("differs_from_peers",)
    assert marked[0].flags == () and marked[1].flags == ()


def test_with_two_devices_both_are_flagged_when_they_differ():
    differ = mark_peer_differences(
        [device("A", [shot("list", PIXEL)]), device("B", [shot("photos", TALL, "list.png")])]
    )
    assert flagged(differ, "differs_from_peers") == [("A", 0), ("B", 0)]
    alike = mark_peer_differences([device("A", [shot("list", PIXEL)]), device("B", [shot("list", TALL)])])
    assert flagged(alike, "differs_from_peers") == []


def test_only_devices_of_the_same_android_version_and_orientation_are_compared():
    results = [
        device("A", [shot("list", PIXEL)]),
        device("B", [shot("list", TALL)]),
        device("C", [shot("photos", PIXEL, "list.png")], version="13"),
        device("D", [shot("article", PIXEL, "list.png")], version=None),
        replace(device("E", [shot("chat", PIXEL, "list.png")]), orientation="landscape"),
    ]
    assert flagged(mark_peer_differences(results), "differs_from_peers") == []


def test_screenshots_are_matched_by_name_else_by_position():
    """By name when devices share it (the capture's "01-launch.png"), whatever the order; else by position
    (Test Lab's robo names differ per device)."""
    by_name = mark_peer_differences([
        device("A", [shot("list", PIXEL, "launch.png"), shot("cards", PIXEL, "after.png")]),
        device("B", [shot("cards", TALL, "after.png"), shot("list", TALL, "launch.png")]),
        device("C", [shot("list", BIG, "launch.png"), shot("photos", BIG, "after.png")]),
    ])  # fmt: skip
    assert flagged(by_name, "differs_from_peers") == [("C", 1)]
    by_position = mark_peer_differences([
        device("A", [shot("list", PIXEL, "a-1.png"), shot("cards", PIXEL, "a-2.png")]),
        device("B", [shot("list", TALL, "b-1.png"), shot("cards", TALL, "b-2.png")]),
        device("C", [shot("article", BIG, "c-1.png"), shot("cards", BIG, "c-2.png")]),
    ])  # fmt: skip
    assert flagged(by_position, "differs_from_peers") == [("C", 0)]


def test_monkey_screens_are_not_compared_across_devices():
    """The same seeded taps land on other things on another screen size."""
    results = [
        device("A", [shot("list", PIXEL, "m1.png", step="monkey")]),
        device("B", [shot("photos", TALL, "m1.png", step="monkey")]),
    ]
    assert flagged(mark_peer_differences(results), "differs_from_peers") == []


def test_marking_again_recomputes_the_flags_and_keeps_the_devices_own():
    stale = replace(shot("list", TALL), flags=("differs_from_peers",))
    results = [
        device("A", [shot("list", PIXEL)], flags=("crash", "differs_from_peers")),
        device("B", [stale], flags=("differs_from_peers",)),
    ]
    marked = mark_peer_differences(results)
    assert [r.flags for r in marked] == [("crash",), ()]
    assert mark_peer_differences(marked) == marked


def test_with_screen_flags_orders_the_devices_flags():
    result = device("A", [replace(shot("white"), flags=("changed_since_approved", "blank_screen"))],
                    flags=("anr", "install_failed", "blank_screen"))  # fmt: skip
    assert with_screen_flags(result).flags == ("install_failed", "anr", "blank_screen", "changed_since_approved")


def test_a_screen_that_changed_since_the_approved_version_is_flagged():
    approved = [device("Pixel 7", [shot("list", file="1.png"), shot("cards", file="2.png")])]
    same = [device("Pixel 7", [shot("list", file="1.png", clock="9:41", badge=True),
                               shot("cards", file="2.png", clock="9:41")])]  # fmt: skip
    assert flagged(mark_version_changes(same, approved), "changed_since_approved") == []
    changed = [device("Pixel 7", [shot("list", file="1.png"), shot("unfortunately_over_cards", file="2.png")])]
    marked = mark_version_changes(changed, approved)
    assert flagged(marked, "changed_since_approved") == [("Pixel 7", 1)]
    assert "changed_since_approved" in marked[0].flags


def test_version_changes_match_by_name_else_position_and_only_the_same_device():
    approved = [device("Pixel 7", [shot("list", file="list.png"), shot("cards", file="cards.png")])]
    swapped = [device("Pixel 7", [shot("cards", file="cards.png"), shot("list", file="list.png")])]
    assert flagged(mark_version_changes(swapped, approved), "changed_since_approved") == []
    renamed = [device("Pixel 7", [shot("list", file="a.png"), shot("photos", file="b.png")])]
    assert flagged(mark_version_changes(renamed, approved), "changed_since_approved") == [("Pixel 7", 1)]
    other_devices = [
        device("Galaxy", [shot("photos", file="list.png")]),
        device("Pixel 7", [shot("photos", file="list.png")], version="13"),
        replace(device("Pixel 7", [shot("photos", file="list.png")]), orientation="landscape"),
    ]
    assert flagged(mark_version_changes(other_devices, approved), "changed_since_approved") == []
    earlier = mark_version_changes(renamed, approved)
    assert flagged(mark_version_changes(earlier, []), "changed_since_approved") == []  # recomputed, not kept
