"""The window's layout, kept per user (QSettings): size and place, the splitter between the queue and the
submission, the queue's columns, the evidence tab last looked at. The first start fits the screen
(a 1366 x 768 laptop included) and sizes the queue's columns to what they show."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication

ORGANIZATION = "reviewer-app"
APPLICATION = "reviewer-app"
DEFAULT_SIZE = (1400, 860)
FRAME_ALLOWANCE = 40  # title bar and frame, which the available geometry does not count


def app_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def fitting_size() -> tuple[int, int]:
    """The usual size, or what the screen has room for."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return DEFAULT_SIZE
    free = screen.availableGeometry()
    return min(DEFAULT_SIZE[0], free.width()), min(DEFAULT_SIZE[1], free.height() - FRAME_ALLOWANCE)


def reset_layout(window: Any) -> None:
    width = max(window.width(), 900)
    queue_width = int(width * 0.5)
    window.main_splitter.setSizes([queue_width, width - queue_width])
    window.submission_view.set_current_panel("facts")


def save_layout(window: Any) -> None:
    settings = app_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("window/mainSplitter", window.main_splitter.saveState())
    settings.setValue("queue/header", window.queue_view.horizontalHeader().saveState())
    settings.setValue("evidence/tab", window.submission_view.current_panel_key())
    settings.sync()


def restore_layout(window: Any) -> set[str]:
    """Put back what was saved; returns the keys restored ("queue/header": the reviewer's own columns)."""
    settings = app_settings()
    restored = set()
    for key, restore in (
        ("window/geometry", window.restoreGeometry),
        ("window/state", window.restoreState),
        ("window/mainSplitter", window.main_splitter.restoreState),
        ("queue/header", window.queue_view.horizontalHeader().restoreState),
    ):
        value = settings.value(key)
        if isinstance(value, QByteArray | bytes) and value and restore(QByteArray(value)):
            restored.add(key)
    window.submission_view.set_current_panel(str(settings.value("evidence/tab", "facts") or "facts"))
    return restored
