"""The quality dashboard on a real database through the real database worker: the table's values, the grouping
switch, the computation off the GUI thread, the exports, and only the latest request's answer shown."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from reviewer_app.config import Settings
from reviewer_app.review import ReviewService
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.quality import QualityDashboard
from reviewer_app.ui.quality_model import (
    COL_AGREEMENT,
    COL_DECISIONS,
    COL_KAPPA,
    COL_KIND,
    COL_MEDIAN,
    COL_MISSES,
    COL_REVIEWER,
    MISS_COLOR,
)


@pytest.fixture
def team_dir(tmp_path):
    """Yesterday: alice approves s1 (60 min) and rejects s2 (1800 min, past its deadline); bob approves s3
    (90 min). lena audits: s1 approve/agree, s2 approve/disagree, s2 again reject/agree, s3 approve/agree."""
    data_dir = tmp_path / "data"
    now = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    services = {
        name: ReviewService(Settings(data_dir=data_dir, reviewer=name), clock=lambda: now)
        for name in ("alice", "bob", "lena")
    }
    try:
        store = services["lena"].store

        def file(package: str, kind: str, minutes: int) -> int:
            submitted = now - timedelta(minutes=minutes)
            return store.add_submission(kind=kind, developer="dev", tier=3, submitted_at=submitted,
                                        deadline=submitted + timedelta(hours=24), package=package)  # fmt: skip

        s1, s2, s3 = file("com.a", "new", 60), file("com.b", "update", 1800), file("com.c", "new", 90)
        d1 = services["alice"].decide(s1, "approve").decision_id
        d2 = services["alice"].decide(s2, "reject", ["crash"], "It crashes.").decision_id
        d3 = services["bob"].decide(s3, "approve").decision_id
        for decision_id, outcome, verdict in (
            (d1, "agree", "approve"),
            (d2, "disagree", "approve"),
            (d2, "agree", "reject"),
            (d3, "agree", "approve"),
        ):
            store.add_audit(audit_id=str(uuid.uuid4()), decision_id=decision_id, auditor="lena", outcome=outcome,
                            verdict=verdict, audited_at=now)  # fmt: skip
    finally:
        for service in services.values():
            service.close()
    return data_dir


@pytest.fixture
def jobs(team_dir):
    bridge = DbJobs(lambda **_: ReviewService(Settings(data_dir=team_dir, reviewer="lena")))
    yield bridge
    assert bridge.shutdown()


@pytest.fixture
def dashboard(qtbot, jobs):
    """The dashboard, running its work through the database worker; records the threads it ran on."""
    threads: list[threading.Thread] = []

    def run(fn, on_done, on_error):
        def recorded(service):
            threads.append(threading.current_thread())
            return fn(service)

        return jobs.run(recorded, on_done, on_error)

    widget = QualityDashboard(run)
    widget.threads = threads  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    return widget


def shown(dashboard, qtbot, action) -> None:
    with qtbot.waitSignal(dashboard.sig_report, timeout=20_000):
        action()


def table_rows(dashboard) -> dict[str, dict[int, str]]:
    """{first visible cell: {column: text}} as the view shows them."""
    proxy = dashboard.proxy
    first = COL_REVIEWER if "reviewer" in dashboard.grouping() else COL_KIND
    return {
        proxy.index(r, first).data(): {c: proxy.index(r, c).data() for c in range(proxy.columnCount())}
        for r in range(proxy.rowCount())
    }


def test_the_table_shows_each_reviewer_computed_off_the_gui_thread(dashboard, qtbot):
    shown(dashboard, qtbot, dashboard.show)  # showing it computes the last 30 days
    assert dashboard.threads and all(t is not threading.main_thread() for t in dashboard.threads)
    rows = table_rows(dashboard)
    assert set(rows) == {"alice", "bob"}
    alice, bob = rows["alice"], rows["bob"]
    assert alice[COL_DECISIONS] == "2" and alice[COL_MISSES] == "1"
    assert alice[COL_AGREEMENT].replace(",", ".").startswith("66.7")
    assert alice[COL_KAPPA].replace(",", ".") == "0.40"
    assert alice[COL_MEDIAN] == "15:30"  # (60 + 1800) / 2 minutes
    assert bob[COL_KAPPA] == "—" and bob[COL_MEDIAN] == "1:30" and bob[COL_MISSES] == "0"
    assert dashboard.table.isColumnHidden(COL_KIND) and not dashboard.table.isColumnHidden(COL_REVIEWER)
    misses = {dashboard.proxy.index(r, COL_REVIEWER).data(): dashboard.proxy.index(r, COL_MISSES) for r in range(2)}
    assert misses["alice"].data(Qt.ItemDataRole.ForegroundRole).color() == MISS_COLOR
    assert misses["bob"].data(Qt.ItemDataRole.ForegroundRole) is None
    assert "3 decisions" in dashboard.team_label.text() and "1 SLA misses" in dashboard.team_label.text()
    assert dashboard.bars.data.labels == ("alice", "bob")
    decisions_per_day = dashboard.lines.data.series[0].values
    assert len(decisions_per_day) == 30 and sum(decisions_per_day) == 3


def test_switching_the_grouping_recomputes_per_kind(dashboard, qtbot):
    shown(dashboard, qtbot, dashboard.show)
    shown(dashboard, qtbot, lambda: dashboard.set_grouping(("kind",)))
    rows = table_rows(dashboard)
    assert {name: cells[COL_DECISIONS] for name, cells in rows.items()} == {"New app": "2", "Update": "1"}
    assert dashboard.table.isColumnHidden(COL_REVIEWER) and not dashboard.table.isColumnHidden(COL_KIND)
    assert dashboard.status_label.text().endswith("per kind")
    shown(dashboard, qtbot, lambda: dashboard.set_grouping(("reviewer", "kind")))
    assert dashboard.proxy.rowCount() == 3
    assert not dashboard.table.isColumnHidden(COL_REVIEWER) and not dashboard.table.isColumnHidden(COL_KIND)


def test_sorting_by_a_column_orders_by_its_numbers(dashboard, qtbot):
    shown(dashboard, qtbot, dashboard.show)
    dashboard.table.sortByColumn(COL_DECISIONS, Qt.SortOrder.DescendingOrder)
    assert [dashboard.proxy.index(r, COL_REVIEWER).data() for r in range(2)] == ["alice", "bob"]
    dashboard.table.sortByColumn(COL_KAPPA, Qt.SortOrder.AscendingOrder)  # undefined first
    assert [dashboard.proxy.index(r, COL_REVIEWER).data() for r in range(2)] == ["bob", "alice"]


def test_a_custom_period_without_decisions_and_one_that_ends_before_it_starts(dashboard, qtbot):
    shown(dashboard, qtbot, dashboard.show)
    long_ago = date.today() - timedelta(days=400)
    shown(dashboard, qtbot, lambda: dashboard.set_period(start=long_ago, end=long_ago + timedelta(days=3)))
    assert dashboard.proxy.rowCount() == 0 and len(dashboard.report.days) == 4
    report = dashboard.report
    dashboard.set_period(start=long_ago, end=long_ago - timedelta(days=1))
    assert "ends before it starts" in dashboard.status_label.text()
    assert dashboard.report is report and not dashboard.busy


def test_exports_write_csv_and_pdf_files(dashboard, qtbot, tmp_path):
    shown(dashboard, qtbot, dashboard.show)
    target = tmp_path / "quality.csv"
    with qtbot.waitSignal(dashboard.sig_exported, timeout=10_000) as written:
        dashboard.export_csv(str(target))
    assert written.args == [str(target), ""]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert [r["reviewer"] for r in csv.DictReader(io.StringIO(text[1:]))] == ["alice", "bob", "(team)"]
    pdf = tmp_path / "quality.pdf"
    with qtbot.waitSignal(dashboard.sig_exported, timeout=10_000):
        dashboard.export_pdf(str(pdf))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and len(data) > 2000
    with qtbot.waitSignal(dashboard.sig_exported, timeout=10_000) as failed:
        dashboard.export_csv(str(tmp_path / "missing" / "quality.csv"))
    assert failed.args[1] and "Could not write" in dashboard.status_label.text()


def test_only_the_latest_request_is_shown(qtbot, team_dir):
    """Answers that come back out of order: the first period's figures never replace the second's."""
    service = ReviewService(Settings(data_dir=team_dir, reviewer="lena"))
    queued = []
    widget = QualityDashboard(lambda fn, ok, err: queued.append((fn, ok, err)))
    qtbot.addWidget(widget)
    try:
        widget.set_grouping(("kind",))  # request 1: per kind
        widget.set_grouping(("reviewer",))  # request 2: per reviewer
        assert len(queued) == 2 and widget.busy
        (fn1, ok1, _), (fn2, ok2, _) = queued
        ok2(fn2(service))
        ok1(fn1(service))
        assert widget.report is not None and widget.report.by == ("reviewer",)
        assert not widget.busy
    finally:
        service.close()


def test_a_failure_is_said_in_one_line(qtbot):
    widget = QualityDashboard(lambda fn, ok, err: err(RuntimeError("the server went away\nand more")))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.sig_failed) as failed:
        widget.refresh()
    assert "the server went away" in failed.args[0] and "\n" not in failed.args[0]


def test_the_table_model_passes_the_model_tester(dashboard, qtbot, qtmodeltester):
    shown(dashboard, qtbot, dashboard.show)
    qtmodeltester.check(dashboard.model, force_py=True)
