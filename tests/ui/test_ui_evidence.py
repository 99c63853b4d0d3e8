"""The evidence area: one tab per registered panel, badges, the History panel."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from PySide6.QtWidgets import QLabel, QVBoxLayout

from reviewer_app.review import RedFlag
from reviewer_app.ui.evidence import EvidencePanel, register_panel, unregister_panel


class DummyPanel(EvidencePanel):
    """A panel from outside the window: it shows the package and flags every app whose label says so."""

    key: ClassVar[str] = "dummy"
    order: ClassVar[int] = 50
    shown: ClassVar[list[int]] = []

    @classmethod
    def title(cls) -> str:
        return "Dummy"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        QVBoxLayout(self).addWidget(self.label)

    def show_detail(self, detail, now=None) -> None:
        super().show_detail(detail, now)
        self.label.setText(detail.view.row.package or "")
        DummyPanel.shown.append(detail.submission_id)

    def clear(self) -> None:
        super().clear()
        self.label.clear()

    def attention(self):
        if self.detail is None or "suspect" not in (self.detail.view.row.label or ""):
            return ()
        return (RedFlag("dummy_suspect", 2, "dummy"), RedFlag("dummy_other", 1, "dummy"))


def test_a_panel_registered_from_outside_gets_a_tab_with_a_badge(qtbot, make_window, file_submission, select_and_load):
    plain = file_submission(label="plain", due_in=timedelta(hours=1))
    suspect = file_submission(label="suspect", due_in=timedelta(hours=2))
    register_panel(DummyPanel)
    try:
        window = make_window(expect_rows=2)
    finally:
        unregister_panel("dummy")
    tabs = window.submission_view.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == ["Facts", "Scans", "Devices", "Clones", "Dummy", "History"]  # in `order`
    dummy = window.submission_view.panel("dummy")

    assert select_and_load(window, 0) == plain
    assert dummy.label.text() == window.model.cached_row(plain).package
    assert tabs.tabText(tabs.indexOf(dummy)) == "Dummy" and tabs.tabIcon(tabs.indexOf(dummy)).isNull()

    assert select_and_load(window, 1) == suspect
    assert DummyPanel.shown[-1] == suspect
    assert tabs.tabText(tabs.indexOf(dummy)) == "Dummy (2)"
    assert not tabs.tabIcon(tabs.indexOf(dummy)).isNull()
    assert "dummy_suspect" in tabs.tabToolTip(tabs.indexOf(dummy))
    # Its flags count where every panel's do: the header and the question before approving.
    assert "2 red flags" in window.submission_view.header.flags_label.text()
    assert [f.code for f in window.decisions.red_flags_of(suspect)] == ["dummy_suspect", "dummy_other"]


def test_history_shows_the_decisions_and_the_other_versions_of_the_app(
    qtbot, make_window, service, demo_facts, demo_apks, service_as, select_and_load
):
    v1 = service.submit_facts(demo_facts["com.example.notes_1.apk"], demo_apks["com.example.notes_1.apk"],
                              kind="new", developer="Acme Apps", tier=5)  # fmt: skip
    assert service.decide(v1.submission_id, "approve").ok
    v2 = service.submit_facts(demo_facts["com.example.notes_2.apk"], demo_apks["com.example.notes_2.apk"],
                              kind="update", developer="Acme Apps", tier=5)  # fmt: skip
    bob = service_as("bob")
    assert bob.decide(v2.submission_id, "escalate", message="Camera and contacts, for notes?").ok
    window = make_window(expect_rows=1)  # alice works as a lead on an unconfigured workstation
    select_and_load(window, 0)
    history = window.submission_view.panel("history")
    assert "bob: Escalated" in history.decisions_label.text()
    assert "Camera and contacts" in history.decisions_label.text()
    item = history.versions_tree.topLevelItem(0)
    assert history.versions_tree.topLevelItemCount() == 1
    assert item.text(0).startswith(f"#{v1.submission_id}")
    assert "1.0" in item.text(1) and item.text(3) == "Approved" and item.text(4).startswith("alice")


def test_a_panel_asks_for_work_on_the_database_worker_and_sees_the_submission_again(
    qtbot, make_window, file_submission, select_and_load
):
    import threading

    sid = file_submission(label="suspect", due_in=timedelta(hours=1))
    register_panel(DummyPanel)
    try:
        window = make_window(expect_rows=1)
    finally:
        unregister_panel("dummy")
    assert select_and_load(window, 0) == sid
    shown_before = len(DummyPanel.shown)
    ran = []

    def work(service):  # what a re-scan button asks for: review's function, run with the service
        ran.append((service.reviewer, threading.current_thread() is threading.main_thread()))

    window.submission_view.panel("dummy").run_in_background(work, "dummy work")
    qtbot.waitUntil(lambda: len(DummyPanel.shown) > shown_before, timeout=10_000)
    assert ran == [("alice", False)]  # on the worker, with this reviewer's service
    assert DummyPanel.shown[-1] == sid  # and the submission shown again afterwards
