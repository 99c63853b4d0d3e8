"""The review window on a queue of 100,000 submissions: time to first paint and to scroll to the end.

Builds a temporary SQLite workspace with N open submissions, opens the real main window (offscreen unless
a display is set), and prints: time until the first screen of rows is painted with real data, the time
to scroll to the end (at once, while the rest of the ids may still be coming) and paint real rows there,
the time until every id is in place, how many row blocks were fetched, and the longest time the GUI
thread was busy in one go while all that happened.

    python bench/queue_model.py [--rows 100000] [--workspace DIR]

`--workspace DIR` keeps the workspace in DIR and uses it again on the next run with the same --rows
(creating a million submissions takes a minute); the window claims the first row, nothing else changes.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workspace", type=Path, help="keep the workspace here and use it again")
    args = parser.parse_args()

    from reviewer_app.config import Settings
    from reviewer_app.review import ReviewService

    tmp = args.workspace or Path(tempfile.mkdtemp(prefix="queue-bench-"))
    settings = Settings(data_dir=tmp, reviewer="bench")
    service = ReviewService(settings)
    if len(service.queue_ids()) == args.rows:
        service.close()
        print(f"workspace: {args.rows} open submissions in SQLite (from {tmp})")
    else:
        create_workspace(service, args.rows)

    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QTimer

    from reviewer_app.ui.app import create_main_window, ensure_application

    app = ensure_application([])
    busy = {"max": 0.0, "phase": 0.0}
    timer = QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setInterval(5)

    def beat():
        elapsed = timer.restart() / 1000.0 - 0.005
        busy["max"] = max(busy["max"], elapsed)
        busy["phase"] = max(busy["phase"], elapsed)

    def phase_stall() -> str:
        stall, busy["phase"] = busy["phase"], 0.0
        return f"longest GUI stall {stall * 1000:.0f} ms"

    grabs: list[float] = []

    def paint() -> None:
        """Paint the whole window now. Timed on its own, not as a stall: the window paints itself in
        the event loop anyway (its first paint after show is the same work), this only makes it happen now."""
        started = time.perf_counter()
        window.grab()
        grabs.append(time.perf_counter() - started)
        timer.restart()

    heartbeat.timeout.connect(beat)

    def wait_until(condition, timeout=60.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not get there in time")
            # Sleep until something happens (the heartbeat wakes it every 5 ms), as the window's event
            # loop does: a loop that spins here keeps the interpreter lock from the database worker.
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def visible_rows_ready(view, model) -> bool:
        first = view.rowAt(0)
        last = view.rowAt(view.viewport().height() - 1)
        if first < 0:
            return False
        last = last if last >= 0 else model.rowCount() - 1
        return all(model.queue_row(r) is not None for r in range(first, last + 1))

    t0 = time.perf_counter()
    window = create_main_window(settings=settings)
    window.resize(1400, 850)
    window.show()
    gc.freeze()  # as run_gui does once the window is up
    timer.start()
    heartbeat.start()
    model, view = window.model, window.queue_view
    wait_until(lambda: model.rowCount() == args.rows and visible_rows_ready(view, model))
    paint()
    first_paint = time.perf_counter() - t0
    first_stall = phase_stall()
    fetches_at_start = model.fetch_count

    t1 = time.perf_counter()
    view.scrollToBottom()
    wait_until(lambda: visible_rows_ready(view, model))
    paint()
    scrolled = time.perf_counter() - t1
    scroll_stall = phase_stall()
    wait_until(lambda: getattr(model, "complete", not model.loading))
    complete = time.perf_counter() - t0
    complete_stall = phase_stall()
    print(
        f"first paint with real rows: {first_paint * 1000:.0f} ms (window creation, first answer, first rows; {first_stall})"
    )
    print(f"scroll to the end and paint real rows: {scrolled * 1000:.0f} ms ({scroll_stall})")
    print(f"every id in place: {complete * 1000:.0f} ms after opening the window ({complete_stall} after the scroll)")
    print(
        f"row blocks fetched: {fetches_at_start} for the first screen, {model.fetch_count - fetches_at_start} "
        f"for the end; rows cached: {len(model.state.cached_ids())} of {args.rows}"
    )
    print(f"longest GUI-thread stall while loading and scrolling: {busy['max'] * 1000:.0f} ms")
    print(
        "painting the whole window (window.grab, not counted as stalls): "
        + ", ".join(f"{g * 1000:.0f} ms" for g in grabs)
    )
    heartbeat.stop()
    window.close()
    QCoreApplication.processEvents()
    return 0


def create_workspace(service, rows: int) -> None:
    now = datetime.now(UTC)
    started = time.perf_counter()
    service.store.add_submissions_bulk(
        [
            {
                "kind": ("new", "update", "metadata", "sensitive")[i % 4],
                "developer": f"Developer {i % 700}",
                "tier": 1 + i % 5,
                "package": f"com.bench.app{i % 20000}",
                "label": f"App {i % 20000}",
                "submitted_at": now - timedelta(minutes=i % 1440),
                "deadline": now + timedelta(seconds=(i * 7919) % 86400 - 3600),
            }
            for i in range(rows)
        ]
    )
    service.close()
    print(f"workspace: {rows} open submissions in SQLite ({time.perf_counter() - started:.1f} s to create)")


if __name__ == "__main__":
    sys.exit(main())
