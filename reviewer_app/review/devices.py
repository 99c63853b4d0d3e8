"""Device results as evidence: importing a results folder or capturing from adb for a submission's package,
comparing its screenshots with the last approved version's, and the red flags a run raises.

Imports and captures run as worker jobs of kind "devices" (the folder or the capture in the job's payload),
so the GUI only asks for them; the command line imports at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewer_app.domain import DeviceRun, RedFlag
from reviewer_app.review.flags import SERIOUS

MAX_DEVICES_NAMED = 3  # in a flag's text; "Pixel 7, walleye, SM-G960F and 4 more"

# Device flags that are red flags for the queue's risk column, with the flag code they raise.
RED_FLAG_CODES = {
    "install_failed": "device_install_failed",
    "crash": "device_crash",
    "anr": "device_anr",
    "blank_screen": "device_blank_screen",
    "crash_dialog": "device_crash_dialog",
}


def device_flags(run: DeviceRun | None) -> list[RedFlag]:
    """The red flags of a finished run: one per kind of trouble, naming the devices it happened on."""
    if run is None:
        return []
    flags: list[RedFlag] = []
    for device_flag, code in RED_FLAG_CODES.items():
        devices = [result.device for result in run.results if device_flag in result.flags]
        if devices:
            flags.append(RedFlag(code, SERIOUS, "devices", {"devices": _names(devices)}))
    return flags


def _names(devices: Sequence[str]) -> str:
    unique = list(dict.fromkeys(devices))
    shown = ", ".join(unique[:MAX_DEVICES_NAMED])
    more = len(unique) - MAX_DEVICES_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def enqueue_import(service: Any, submission_id: int, folder: str) -> None:
    """Ask a worker to import this results folder for the submission's package (the GUI's "Import…")."""
    raise NotImplementedError


def enqueue_capture(service: Any, submission_id: int) -> None:
    """Ask a worker to capture the submission's package on the devices connected to it."""
    raise NotImplementedError


def cancel_capture(service: Any, submission_id: int) -> None:
    """Stop the capture running for the submission's package; the devices finished so far are kept."""
    raise NotImplementedError
