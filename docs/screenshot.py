"""Regenerate docs/screenshot.png: the real window on the demo workspace, offscreen, at the size of a
1366 x 768 laptop screen (less its panel).

    python docs/screenshot.py [--row N] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("REVIEWER_APP_LANG", "en")
# The window as a new user first sees it: no layout saved by an earlier run (QSettings live here on Linux).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="screenshot-config-")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--row", type=int, default=None,
                        help="queue row to select (default: the update, reviewed against its approved version)")
    parser.add_argument("--kind", default="update", help="select the first row of this kind (default: update)")
    parser.add_argument("--package", default=None, help="select the first row of this package instead")
    parser.add_argument("--tab", default=None, help="show this evidence panel (facts, scan, history...)")
    parser.add_argument("--recalls", action="store_true",
                        help="take lead mode's Recalls tab instead (every case, the first one selected)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    args = parser.parse_args()

    from reviewer_app.config import Settings
    from reviewer_app.review.demo import create_demo_workspace

    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="screenshot-")), reviewer="alice")
    create_demo_workspace(settings)

    from PySide6.QtCore import QEventLoop

    from reviewer_app.ui.app import create_main_window, ensure_application
    from reviewer_app.ui.i18n import install_translators

    app = ensure_application([])
    install_translators(app)
    window = create_main_window(settings=settings)
    window.resize(1366, 728)
    window.show()

    def wait(condition, timeout=30.0):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    wait(lambda: window.model.loaded and window.model.rowCount() > (args.row or 0))
    wait(lambda: all(window.model.queue_row(r) is not None for r in range(window.model.rowCount())))
    row = args.row
    if row is None and args.package:
        row = next(r for r in range(window.model.rowCount()) if window.model.queue_row(r).package == args.package)
    if row is None:
        row = next(r for r in range(window.model.rowCount()) if window.model.queue_row(r).kind == args.kind)
    window.queue_view.setFocus()
    window.queue_view.select_row(row)
    sid = window.current_submission_id()
    wait(lambda: window.submission_view.data is not None and window.submission_view.submission_id == sid)
    wait(lambda: window.jobs.idle and not window.parser.busy)  # the code comparison of an update too
    if args.tab:
        window.submission_view.tabs.setCurrentWidget(window.submission_view.panel(args.tab))
    shown = window
    if args.recalls:
        lead_mode = window.lead_mode
        lead_mode.show_recalls()
        shown = lead_mode.lead_window
        shown.resize(1366, 728)
        view = lead_mode.recalls_tab.view
        view.set_open_only(False)
        wait(lambda: window.jobs.idle and view.table.topLevelItemCount() > 0)
        view.table.setCurrentItem(view.table.topLevelItem(0))
    for _ in range(20):
        app.processEvents()
    out = Path(args.out)
    shown.grab().save(str(out))
    window.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
