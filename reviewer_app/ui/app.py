"""Start the GUI: application, translators, background workers, main window, event loop, clean exit."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from reviewer_app.review import utc_now
from reviewer_app.ui.i18n import install_plural_forms, install_translators, remove_translators
from reviewer_app.ui.jobs import DbJobs, ParseJobs
from reviewer_app.ui.main_window import APPLICATION, ORGANIZATION, MainWindow

log = logging.getLogger(__name__)


def default_service_factory(settings: Any) -> Callable[..., Any]:
    """A factory the database worker calls on its own thread (opening runs the migrations).

    Called with `password=` when the reviewer typed one (the keyring had none, or a wrong one).
    """

    def open_service(password: str | None = None):
        from reviewer_app.review import ReviewService

        return ReviewService(settings, password=password)

    return open_service


def default_pool_factory(settings: Any) -> Callable[[], Any]:
    def open_pool():
        from reviewer_app.review.imports import open_facts_pool

        return open_facts_pool(getattr(settings, "parse_workers", None), getattr(settings, "limits", None))

    return open_pool


def ensure_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    install_plural_forms(app)
    return app  # type: ignore[return-value]


def create_main_window(
    service_factory: Callable[[], Any] | None = None,
    settings: Any = None,
    *,
    pool_factory: Callable[[], Any] | None = None,
    clock: Callable[[], datetime] = utc_now,
    **window_options: Any,
) -> MainWindow:
    """Build the window and its two background threads without running an event loop (tests use this).

    `service_factory()` runs on the database thread and returns a ReviewService (or an object with the
    same methods); it is called with `password=` after the reviewer typed one. Closing the window stops
    the background threads (database, parsing, live updates).
    """
    if settings is None:
        from reviewer_app.config import load_settings

        settings = load_settings()
    app = QCoreApplication.instance()
    if app is not None:
        install_plural_forms(app)
    jobs = DbJobs(service_factory or default_service_factory(settings))
    parser = ParseJobs(pool_factory or default_pool_factory(settings))
    try:
        return MainWindow(jobs, parser, settings, clock=clock, **window_options)
    except Exception:
        parser.shutdown()
        jobs.shutdown()
        raise


# Versions of the Qt binding that must not run the window (pyproject.toml excludes them too).
BROKEN_BINDINGS = {"6.12.0": "drops a reference to True on every signal emit and aborts after a few thousand"}


class UnsupportedBinding(RuntimeError):
    pass


def check_binding() -> None:
    import PySide6

    problem = BROKEN_BINDINGS.get(PySide6.__version__)
    if problem:
        raise UnsupportedBinding(
            f"PySide6 {PySide6.__version__} {problem}; install another version: "
            "pip install 'PySide6-Essentials>=6.6,!=6.12.0'"
        )


def local_worker(settings: Any) -> Any:
    """A single-user SQLite workstation runs the scan jobs itself, on a thread (a team's PostgreSQL
    database has `reviewer-app worker` processes for that)."""
    from reviewer_app.review.worker import BackgroundWorker

    url = str(getattr(settings, "database_url", "") or "")
    if not url.startswith("sqlite") or not settings.scanning.engines:
        return None
    return BackgroundWorker(settings)


def run_gui(settings: Any, *, argv: Sequence[str] | None = None, lang: str | None = None) -> int:
    """Run the reviewer workstation until its window closes; returns the exit status."""
    check_binding()
    app = ensure_application(argv)
    previous_locale = QLocale()
    translators = install_translators(app, lang)
    QApplication.setApplicationDisplayName(QCoreApplication.translate("App", "Reviewer workstation"))
    worker = local_worker(settings)
    try:
        window = create_main_window(default_service_factory(settings), settings)
        window.show()
        if worker is not None:
            worker.start()
        # What start-up made lives as long as the window: full collections need not walk it again (a
        # collection with the interpreter lock held is a stall of the GUI thread: 40-80 ms -> 3-6 ms).
        gc.freeze()
        try:
            return int(app.exec())
        finally:
            window.shutdown()  # a no-op when the window was closed; joins both threads otherwise
            window.deleteLater()
    finally:
        if worker is not None:
            worker.stop()  # a scan in flight is given back, to be taken again at the next start
        remove_translators(app, translators)
        QLocale.setDefault(previous_locale)
