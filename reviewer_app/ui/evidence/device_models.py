"""The Devices panel's data: the compatibility matrix (a row per device), the screenshot gallery's entries,
and which screenshot to set beside which.

The records are review's device runs, read by their attributes (the GUI does not import the domain).
The model takes a plain list and only adapts it (the gallery's model is in device_gallery.py); the choices (flagged devices first, the same device in the
last approved version, the matching screenshot) are plain functions that tests call directly. Device
names, messages and stacks come from an untrusted results folder: item views show them as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

GOOD_COLOR = QColor("#2e7d32")
BAD_COLOR = QColor("#c62828")
AMBER_COLOR = QColor("#b26a00")  # dark enough to read on white
MUTED_COLOR = QColor("#6b6b6b")

OUTCOME_NAMES = {
    "success": QT_TRANSLATE_NOOP("DeviceOutcomes", "success"),
    "failure": QT_TRANSLATE_NOOP("DeviceOutcomes", "failure"),
    "inconclusive": QT_TRANSLATE_NOOP("DeviceOutcomes", "inconclusive"),
    "skipped": QT_TRANSLATE_NOOP("DeviceOutcomes", "skipped"),
    "flaky": QT_TRANSLATE_NOOP("DeviceOutcomes", "flaky"),
}
OUTCOME_COLORS = {"success": GOOD_COLOR, "failure": BAD_COLOR, "flaky": AMBER_COLOR, "inconclusive": AMBER_COLOR}
OUTCOME_RANK = {"failure": 0, "flaky": 1, "inconclusive": 2, "skipped": 3, "success": 4}  # the worst first

DEVICE_FLAG_NAMES = {  # short: they share a table cell and a thumbnail's badge
    "install_failed": QT_TRANSLATE_NOOP("DeviceFlags", "not installed"),
    "launch_failed": QT_TRANSLATE_NOOP("DeviceFlags", "did not start"),
    "crash": QT_TRANSLATE_NOOP("DeviceFlags", "crash"),
    "anr": QT_TRANSLATE_NOOP("DeviceFlags", "not responding"),
    "blank_screen": QT_TRANSLATE_NOOP("DeviceFlags", "blank"),
    "crash_dialog": QT_TRANSLATE_NOOP("DeviceFlags", "crash dialog"),
    "differs_from_peers": QT_TRANSLATE_NOOP("DeviceFlags", "differs"),
    "changed_since_approved": QT_TRANSLATE_NOOP("DeviceFlags", "changed"),
}
DEVICE_FLAG_TIPS = {
    "install_failed": QT_TRANSLATE_NOOP("DeviceFlags", "The package did not install."),
    "launch_failed": QT_TRANSLATE_NOOP("DeviceFlags", "The main activity did not start."),
    "crash": QT_TRANSLATE_NOOP("DeviceFlags", "The app crashed."),
    "anr": QT_TRANSLATE_NOOP("DeviceFlags", "The app stopped responding (ANR)."),
    "blank_screen": QT_TRANSLATE_NOOP("DeviceFlags", "A blank or single-colour screen: the app did not render."),
    "crash_dialog": QT_TRANSLATE_NOOP("DeviceFlags", "The system's crash or “isn't responding” dialog is on screen."),
    "differs_from_peers": QT_TRANSLATE_NOOP("DeviceFlags", "Differs strongly from other devices of the same Android."),
    "changed_since_approved": QT_TRANSLATE_NOOP(
        "DeviceFlags", "Changed against the last approved version on the same device."
    ),
}
# Trouble the app itself is in; the other flags ask for a look at the screens.
SEVERE_FLAGS = ("install_failed", "launch_failed", "crash", "anr", "blank_screen", "crash_dialog")
STEP_NAMES = {
    "launch": QT_TRANSLATE_NOOP("DeviceSteps", "launch"),
    "monkey": QT_TRANSLATE_NOOP("DeviceSteps", "monkey"),
}


def _tr(context: str, text: object) -> str:
    """Translate a message marked elsewhere with QT_TRANSLATE_NOOP (lupdate reads only literals)."""
    return QCoreApplication.translate(context, str(text))


def outcome_name(outcome: str) -> str:
    return _tr("DeviceOutcomes", OUTCOME_NAMES[outcome]) if outcome in OUTCOME_NAMES else outcome


def device_flag_name(flag: str) -> str:
    return _tr("DeviceFlags", DEVICE_FLAG_NAMES[flag]) if flag in DEVICE_FLAG_NAMES else flag


def device_flag_tip(flag: str) -> str:
    return _tr("DeviceFlags", DEVICE_FLAG_TIPS[flag]) if flag in DEVICE_FLAG_TIPS else flag


def step_name(step: str) -> str:
    return _tr("DeviceSteps", STEP_NAMES[step]) if step in STEP_NAMES else step


def flag_weight(flags: Sequence[str]) -> int:
    """How much a device's (or a screenshot's) flags ask for a look: severe ones count most."""
    return sum(100 if flag in SEVERE_FLAGS else 1 for flag in dict.fromkeys(flags))


def flagged_first(results: Sequence[Any]) -> list[tuple[int, Any]]:
    """(index in the run, result), the devices with the most serious flags first, then the worst outcome;
    otherwise in the run's order."""
    order = sorted(
        enumerate(results),
        key=lambda pair: (-flag_weight(pair[1].flags), OUTCOME_RANK.get(pair[1].outcome, 5), pair[0]),
    )
    return list(order)


def device_title(result: Any) -> str:
    """The model, its brand and "emulator" when it is one: "walleye (Google, emulator)"."""
    extras = [result.brand] if result.brand else []
    if result.virtual:
        extras.append(QCoreApplication.translate("DeviceMatrix", "emulator"))
    return f"{result.device} ({', '.join(extras)})" if extras else str(result.device)


def android_text(result: Any) -> str:
    if result.os_version and result.api_level is not None:
        return (
            QCoreApplication.translate("DeviceMatrix", "%1 · API %2")
            .replace("%1", str(result.os_version))
            .replace("%2", str(result.api_level))
        )
    if result.os_version:
        return str(result.os_version)
    if result.api_level is not None:
        return QCoreApplication.translate("DeviceMatrix", "API %1").replace("%1", str(result.api_level))
    return "—"


def device_details(result: Any) -> str:
    """The device, its outcome and flags, its crashes and ANRs with their stacks, and its messages."""
    lines = [f"{device_title(result)} — {android_text(result)} — {outcome_name(result.outcome)}"]
    lines.extend("⚠ " + device_flag_tip(flag) for flag in dict.fromkeys(result.flags))
    for crash in result.crashes:
        what = (
            QCoreApplication.translate("DeviceDetails", "ANR in %1")
            if crash.kind == "anr"
            else QCoreApplication.translate("DeviceDetails", "Crash in %1")
        )
        lines.append("")
        lines.append(what.replace("%1", str(crash.process) or "?"))
        lines.extend("    " + str(line) for line in crash.stack)
    if result.messages:
        lines.append("")
        lines.append(QCoreApplication.translate("DeviceDetails", "Messages:"))
        lines.extend("    " + str(message) for message in result.messages)
    if not result.crashes and not result.messages:
        lines.append(QCoreApplication.translate("DeviceDetails", "No crash, ANR or message on this device."))
    return "\n".join(lines)


SOURCE_NAMES = {
    "test_lab": QT_TRANSLATE_NOOP("DeviceSources", "Test Lab results"),
    "manifest": QT_TRANSLATE_NOOP("DeviceSources", "manifest"),
    "adb": QT_TRANSLATE_NOOP("DeviceSources", "adb capture"),
}


def source_name(source: str) -> str:
    return _tr("DeviceSources", SOURCE_NAMES[source]) if source in SOURCE_NAMES else source


@dataclass(frozen=True)
class KeptView:
    """What was on show of a submission: the run, the device selected, the two screenshots side by side."""

    submission_id: int
    run_id: int | None
    device: int | None
    comparing: bool
    left: GalleryEntry | None
    right: GalleryEntry | None


# -- what goes beside what ----------------------------------------------------------------------


@dataclass(frozen=True)
class GalleryEntry:
    """One thumbnail: a device's screenshot, or one of the developer's store-listing images."""

    kind: str  # "screenshot", "previous" (the last approved version's) or "listing"
    path: str | None  # the image file; None when the detail has none for it
    device_index: int = -1  # in the run's results (-1: a listing image)
    device: str = ""
    os_version: str | None = None
    name: str = ""
    step: str = ""
    position: int = 0  # the screenshot's place among its device's, or the listing image's
    flags: tuple[str, ...] = ()
    width: int = 0
    height: int = 0


def screenshot_entries(
    results: Sequence[Any], device_files: dict[str, str], kind: str = "screenshot"
) -> list[GalleryEntry]:
    """The screenshots of the devices, flagged devices first, each device's in its own order."""
    entries = []
    for index, result in flagged_first(results):
        for position, shot in enumerate(result.screenshots):
            entries.append(
                GalleryEntry(
                    kind=kind,
                    path=device_files.get(shot.sha256),
                    device_index=index,
                    device=str(result.device),
                    os_version=result.os_version,
                    name=str(shot.name),
                    step=str(shot.step or ""),
                    position=position,
                    flags=tuple(shot.flags),
                    width=int(shot.width or 0),
                    height=int(shot.height or 0),
                )
            )
    return entries


def listing_entries(listing_files: Sequence[str]) -> list[GalleryEntry]:
    return [
        GalleryEntry(kind="listing", path=str(path), name=PurePath(str(path)).name, position=position)
        for position, path in enumerate(listing_files)
    ]


def same_device(result: Any, others: Sequence[Any]) -> tuple[int, Any] | None:
    """The device of `others` that is `result`'s: the same model on the same Android version."""
    for index, other in enumerate(others):
        if other.device == result.device and other.os_version == result.os_version:
            return index, other
    return None


def matching_screenshot(name: str, position: int, other: Any) -> tuple[int, Any] | None:
    """`other`'s screenshot that corresponds to one named `name` at `position`: by name, else by place."""
    shots = tuple(other.screenshots)
    for index, shot in enumerate(shots):
        if shot.name == name:
            return index, shot
    if 0 <= position < len(shots):
        return position, shots[position]
    return None


def compare_choices(
    left: GalleryEntry,
    results: Sequence[Any],
    previous_results: Sequence[Any],
    listing_files: Sequence[str],
    device_files: dict[str, str],
) -> list[GalleryEntry]:
    """What may go on the right of `left`, the best first: the same device in the last approved version,
    the corresponding screenshot of every other device, then the store-listing images."""
    choices: list[GalleryEntry] = []

    def entry(kind: str, index: int, result: Any, position: int, shot: Any) -> GalleryEntry:
        return GalleryEntry(
            kind=kind,
            path=device_files.get(shot.sha256),
            device_index=index,
            device=str(result.device),
            os_version=result.os_version,
            name=str(shot.name),
            step=str(shot.step or ""),
            position=position,
            flags=tuple(shot.flags),
            width=int(shot.width or 0),
            height=int(shot.height or 0),
        )

    if left.kind == "screenshot" and 0 <= left.device_index < len(results):
        mine = results[left.device_index]
        previous = same_device(mine, previous_results)
        if previous is not None:
            shot = matching_screenshot(left.name, left.position, previous[1])
            if shot is not None:
                choices.append(entry("previous", previous[0], previous[1], shot[0], shot[1]))
    for index, result in flagged_first(results):
        if left.kind != "listing" and index == left.device_index:
            continue
        if left.kind == "listing":
            shot = (0, result.screenshots[0]) if result.screenshots else None
        else:
            shot = matching_screenshot(left.name, left.position, result)
        if shot is not None:
            choices.append(entry("screenshot", index, result, shot[0], shot[1]))
    for listing in listing_entries(listing_files):
        if not (left.kind == "listing" and listing.position == left.position):
            choices.append(listing)
    return choices


def entry_caption(entry: GalleryEntry) -> str:
    """One line naming an image: whose, which Android, which screenshot."""
    if entry.kind == "listing":
        return (
            QCoreApplication.translate("DeviceGallery", "Store listing image %1 — %2")
            .replace("%1", str(entry.position + 1))
            .replace("%2", entry.name)
        )
    android = (
        QCoreApplication.translate("DeviceGallery", "Android %1").replace("%1", entry.os_version)
        if entry.os_version
        else ""
    )
    parts = [entry.device, android, entry.name]
    text = " — ".join(part for part in parts if part)
    if entry.kind == "previous":
        text = QCoreApplication.translate("DeviceGallery", "Last approved version: %1").replace("%1", text)
    return text


def entry_label(entry: GalleryEntry) -> str:
    """The two short lines under a thumbnail: the device (or "Store listing"), then the step."""
    if entry.kind == "listing":
        return QCoreApplication.translate("DeviceGallery", "Store listing") + "\n" + str(entry.position + 1)
    second = f"{step_name(entry.step)} {entry.position + 1}" if entry.step else PurePath(entry.name).stem
    return f"{entry.device}\n{second}"


# -- the compatibility matrix --------------------------------------------------------------------

COL_DEVICE, COL_ANDROID, COL_OUTCOME, COL_INSTALLED, COL_LAUNCHED, COL_CRASHED, COL_SCREENSHOTS, COL_FLAGS = range(8)
SortRole = Qt.ItemDataRole.UserRole + 1
ResultRole = Qt.ItemDataRole.UserRole + 2  # the device's result
DeviceIndexRole = Qt.ItemDataRole.UserRole + 3  # its place in the run's results
EntryRole = Qt.ItemDataRole.UserRole + 4  # a gallery row's GalleryEntry


def tri_state(value: bool | None, good_when: bool) -> tuple[str, QColor, int]:
    """(text, colour, sort rank) of a yes/no/unknown fact: ✓ when it is good, ✗ when bad, — when unknown.

    The word says the fact, so that the cell reads without its colour; ranks put the bad ones first."""
    if value is None:
        return "—", MUTED_COLOR, 1
    word = (
        QCoreApplication.translate("DeviceMatrix", "yes") if value else QCoreApplication.translate("DeviceMatrix", "no")
    )
    if bool(value) == good_when:
        return "✓ " + word, GOOD_COLOR, 2
    return "✗ " + word, BAD_COLOR, 0


class DeviceMatrixModel(QAbstractTableModel):
    """A row per device of a run, flagged devices first: what it is, its outcome, whether the package
    installed, launched and crashed, its screenshots and its flags."""

    HEADERS = (
        QT_TRANSLATE_NOOP("DeviceMatrix", "Device"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Android"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Outcome"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Install"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Launch"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Crash"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Shots"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Flags"),
    )
    HEADER_TIPS = (
        QT_TRANSLATE_NOOP("DeviceMatrix", "The phone model or emulator, and its brand"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Android version and API level"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "The test outcome, in Test Lab's words"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Did the package install? ✓ yes, ✗ no, — not known"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Did the main activity start? ✓ yes, ✗ no, — not known"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Did the app crash or stop responding? ✗ yes, ✓ no, — not known"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "Screenshots taken on the device"),
        QT_TRANSLATE_NOOP("DeviceMatrix", "What the checks found"),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, Any]] = []
        self._cells: list[list[tuple[str, QBrush | None, QFont | None]]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_results(self, results: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = flagged_first(results)
        # What a paint asks of every visible cell, worked out once: a view asks again on every repaint.
        self._cells = [self._paint_cells(result) for _index, result in self._rows]
        self.endResetModel()

    def _paint_cells(self, result: Any) -> list[tuple[str, QBrush | None, QFont | None]]:
        severe = any(flag in SEVERE_FLAGS for flag in result.flags)
        cells = []
        for column in range(len(self.HEADERS)):
            color = self._color(result, column)
            font = self._bold if severe and column in (COL_DEVICE, COL_FLAGS) else None
            cells.append((self._text(result, column), QBrush(color) if color is not None else None, font))
        return cells

    def result(self, row: int) -> Any:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def row_of_device(self, device_index: int) -> int:
        return next((row for row, (index, _r) in enumerate(self._rows) if index == device_index), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr("DeviceMatrix", self.HEADERS[section])
        if horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _tr("DeviceMatrix", self.HEADER_TIPS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= column < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][column][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._cells[row][column][1]
        if role == Qt.ItemDataRole.FontRole:
            return self._cells[row][column][2]
        device_index, result = self._rows[row]
        if role == ResultRole:
            return result
        if role == DeviceIndexRole:
            return device_index
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._cells[row][column][0]
            return QCoreApplication.translate("DeviceMatrix", "not known") if text == "—" else text
        if role == SortRole:
            return self._sort_key(device_index, result, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(result)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SCREENSHOTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_INSTALLED, COL_LAUNCHED, COL_CRASHED):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, result: Any, column: int) -> str:
        if column == COL_DEVICE:
            return device_title(result)
        if column == COL_ANDROID:
            return android_text(result)
        if column == COL_OUTCOME:
            return outcome_name(result.outcome)
        if column in (COL_INSTALLED, COL_LAUNCHED, COL_CRASHED):
            return self._tri(result, column)[0]
        if column == COL_SCREENSHOTS:
            return str(len(result.screenshots))
        if column == COL_FLAGS:
            flags = sorted(dict.fromkeys(result.flags), key=lambda f: (f not in SEVERE_FLAGS, f))
            return ", ".join(device_flag_name(flag) for flag in flags)
        return ""

    @staticmethod
    def _tri(result: Any, column: int) -> tuple[str, QColor, int]:
        if column == COL_INSTALLED:
            return tri_state(result.installed, good_when=True)
        if column == COL_LAUNCHED:
            return tri_state(result.launched, good_when=True)
        return tri_state(result.crashed, good_when=False)

    def _color(self, result: Any, column: int) -> QColor | None:
        if column == COL_OUTCOME:
            return OUTCOME_COLORS.get(result.outcome, MUTED_COLOR)
        if column in (COL_INSTALLED, COL_LAUNCHED, COL_CRASHED):
            return self._tri(result, column)[1]
        if column == COL_FLAGS and result.flags:
            return BAD_COLOR if any(flag in SEVERE_FLAGS for flag in result.flags) else AMBER_COLOR
        if column == COL_ANDROID and not (result.os_version or result.api_level is not None):
            return MUTED_COLOR
        return None

    def _sort_key(self, device_index: int, result: Any, column: int) -> Any:
        """What a column sorts by; ascending puts the rows that need a look first where that is a question."""
        if column == COL_DEVICE:
            return device_title(result).casefold()
        if column == COL_ANDROID:
            return result.api_level if result.api_level is not None else -1
        if column == COL_OUTCOME:
            return OUTCOME_RANK.get(result.outcome, 5)
        if column in (COL_INSTALLED, COL_LAUNCHED, COL_CRASHED):
            return self._tri(result, column)[2]
        if column == COL_SCREENSHOTS:
            return len(result.screenshots)
        if column == COL_FLAGS:
            return -flag_weight(result.flags)
        return device_index

    def _tooltip(self, result: Any) -> str:
        lines = [device_title(result), android_text(result)]
        where = ", ".join(str(part) for part in (result.locale, result.orientation) if part)
        if where:
            lines.append(where)
        lines.extend(f"⚠ {device_flag_tip(flag)}" for flag in dict.fromkeys(result.flags))
        lines.extend(str(message) for message in result.messages)
        return "\n".join(lines)
