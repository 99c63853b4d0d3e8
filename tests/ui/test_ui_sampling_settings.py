"""Lead mode's *Sampling settings* dialog on a real database through the real database worker: it shows the
team's shares (or the workstation's while the team has none), saves changes as the team's with their event
in the audit trail, says in one line what is wrong without saving, and a reviewer's save is refused. The
audit queue's *Sample now* starts from the team's shares."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from reviewer_app.config import AuditSettings, Settings
from reviewer_app.review import ReviewService
from reviewer_app.review.sampling import SamplingShares, sampling_settings, set_sampling
from reviewer_app.ui.jobs import DbJobs
from reviewer_app.ui.lead.audit_queue import AuditQueueTab, SampleDialog
from reviewer_app.ui.lead.sampling_dialog import SamplingSettingsDialog

WORKSTATION = AuditSettings(rate=0.05, new_reviewer_first_n=20)


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    owner = ReviewService(Settings(data_dir=data, reviewer="adam"))
    try:
        owner.store.set_user_role("adam", "admin")
        owner.store.set_user_role("lena", "lead")
        owner.store.set_user_role("alice", "reviewer")
    finally:
        owner.close()
    return data


@pytest.fixture
def jobs_as(data_dir):
    """A database worker for `name`, as lead mode has; each shut down at the end."""
    made: list[DbJobs] = []
    threads: list[threading.Thread] = []

    def make(name: str) -> DbJobs:
        def service(**_):
            threads.append(threading.current_thread())
            return ReviewService(Settings(data_dir=data_dir, reviewer=name, audits=WORKSTATION))

        jobs = DbJobs(service)
        jobs.threads = threads  # type: ignore[attr-defined]
        made.append(jobs)
        return jobs

    yield make
    for jobs in made:
        assert jobs.shutdown()


def read_as(data_dir, name: str = "lena"):
    service = ReviewService(Settings(data_dir=data_dir, reviewer=name, audits=WORKSTATION))
    try:
        return sampling_settings(service), [e for e in service.store.audit_events() if e.action == "settings"]
    finally:
        service.close()


def open_dialog(qtbot, jobs) -> SamplingSettingsDialog:
    dialog = SamplingSettingsDialog(jobs)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_a_lead_sees_the_workstations_shares_then_saves_them_as_the_teams(qtbot, jobs_as, data_dir):
    jobs = jobs_as("lena")
    dialog = open_dialog(qtbot, jobs)
    assert threading.main_thread() not in jobs.threads  # read on the database worker
    assert "no sampling settings yet" in dialog.source_label.text()
    assert (dialog.rate_spin.value(), dialog.first_spin.value()) == (5.0, 20)
    assert not any(check.isChecked() for check in dialog.kind_checks.values()) and dialog.reviewer_rows == []
    assert not dialog.kind_spins["sensitive"].isEnabled()

    dialog.rate_spin.setValue(10)
    dialog.first_spin.setValue(5)
    dialog.kind_checks["sensitive"].setChecked(True)
    assert dialog.kind_spins["sensitive"].isEnabled()
    dialog.kind_spins["sensitive"].setValue(50)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (row,) = dialog.reviewer_rows
    row.name_edit.setText("alice")
    row.share_spin.setValue(25)
    dialog.resize(dialog.sizeHint())
    dialog.grab().save("/tmp/sampling_settings.png")
    with qtbot.waitSignal(dialog.sig_saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].from_team and not dialog.isVisible()

    wanted = SamplingShares(0.1, {"sensitive": 0.5}, {"alice": 0.25}, 5)
    current, events = read_as(data_dir)
    assert current.from_team and current.shares == wanted and current.updated_by == "lena"
    (event,) = events
    assert event.actor == "lena" and event.details == {"key": "team.audit_sampling", "old": None,
                                                       "new": wanted.to_json()}  # fmt: skip

    again = open_dialog(qtbot, jobs)  # the team's now, whoever opens it
    assert "last changed by lena" in again.source_label.text()
    assert (again.rate_spin.value(), again.first_spin.value()) == (10.0, 5)
    assert again.kind_checks["sensitive"].isChecked() and again.kind_spins["sensitive"].value() == 50.0
    assert [(r.name_edit.text(), r.share_spin.value()) for r in again.reviewer_rows] == [("alice", 25.0)]
    qtbot.mouseClick(again.reviewer_rows[0].remove_button, Qt.MouseButton.LeftButton)
    again.kind_checks["sensitive"].setChecked(False)
    with qtbot.waitSignal(again.sig_saved, timeout=10_000):
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    current, events = read_as(data_dir)
    assert current.shares == SamplingShares(0.1, {}, {}, 5) and len(events) == 2
    assert events[1].details["old"] == wanted.to_json()


@pytest.mark.parametrize(("names", "words"), [(["", "bob"], "user name"), (["bob", " bob "], "bob is listed twice")])
def test_what_is_wrong_is_one_line_and_nothing_is_saved(qtbot, jobs_as, data_dir, names, words):
    dialog = open_dialog(qtbot, jobs_as("lena"))
    for name in names:
        dialog.add_reviewer(name, 0.5)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert words in dialog.problem_label.text() and "\n" not in dialog.problem_label.text()
    assert dialog.isVisible()
    qtbot.wait(100)
    current, events = read_as(data_dir)
    assert not current.from_team and events == []


def test_a_reviewers_save_is_refused_in_one_line_and_the_dialog_stays(qtbot, jobs_as, data_dir):
    dialog = open_dialog(qtbot, jobs_as("alice"))
    dialog.rate_spin.setValue(100)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problem_label.text() != "", timeout=10_000)
    text = dialog.problem_label.text()
    assert text.startswith("Not saved:") and "not a lead" in text and "\n" not in text
    assert dialog.isVisible() and dialog.save_button.isEnabled()  # to try again, or cancel
    current, events = read_as(data_dir)
    assert not current.from_team and events == []


def test_the_audit_queue_opens_the_dialog_and_samples_from_the_teams_shares(qtbot, jobs_as, data_dir):
    lena = ReviewService(Settings(data_dir=data_dir, reviewer="lena"))
    try:
        set_sampling(lena, SamplingShares(0.3, {}, {"bob": 1.0}, 7))
    finally:
        lena.close()
    tab = AuditQueueTab(jobs_as("lena"), Settings(data_dir=data_dir, reviewer="lena", audits=WORKSTATION))
    qtbot.addWidget(tab)
    tab.show()
    qtbot.mouseClick(tab.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(tab.dialog, SampleDialog), timeout=10_000)
    rate, _seed, first_n = tab.dialog.values()
    assert (rate, first_n) == (0.3, 7)  # the team's, not the workstation's 5 % and 20
    tab.dialog.close()
    qtbot.mouseClick(tab.settings_button, Qt.MouseButton.LeftButton)
    assert isinstance(tab.dialog, SamplingSettingsDialog)
    qtbot.waitUntil(lambda: tab.dialog.loaded, timeout=10_000)
    assert [r.name_edit.text() for r in tab.dialog.reviewer_rows] == ["bob"]
    logged: list[tuple[str, bool]] = []
    tab.sig_log.connect(lambda text, error: logged.append((text, error)))
    with qtbot.waitSignal(tab.dialog.sig_saved, timeout=10_000):
        tab.dialog.first_spin.setValue(8)
        qtbot.mouseClick(tab.dialog.save_button, Qt.MouseButton.LeftButton)
    assert logged == [("The team's sampling settings are saved.", False)]
    assert read_as(data_dir)[0].shares.new_reviewer_first_n == 8
