"""Everything PySide6: the reviewer's window, its panels, Qt models and the background-job bridge.

The only package that imports Qt. It talks to the database through `reviewer_app.review.ReviewService`
only, on a worker thread (see `jobs.py`).
"""


def run_gui(settings, *, argv=None, lang=None) -> int:
    """Start the GUI (imports Qt only when called)."""
    from reviewer_app.ui.app import run_gui as _run_gui

    return _run_gui(settings, argv=argv, lang=lang)


__all__ = ["run_gui"]
