"""Device results as evidence of a submission: a results folder filed whole (from the command line or by a
worker), its red flags in the queue, the comparison with the last approved version's screenshots, and who may
write what on PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reviewer_app.config import Settings
from reviewer_app.review import PermissionDenied, admin
from reviewer_app.review.detail import load_detail
from reviewer_app.review.devices import DeviceImportError, cancel_capture, enqueue_import, import_folder
from reviewer_app.review.worker import run_worker
from tests.conftest import DEMO_APKS
from tests.review.conftest import Team

LOGCAT_CRASH = """\
11-29 10:00:01.000  1234  1234 I ActivityManager: Start proc 4321:com.example.notes/u0a77 for activity
11-29 10:00:02.000  4321  4321 E AndroidRuntime: FATAL EXCEPTION: main
11-29 10:00:02.000  4321  4321 E AndroidRuntime: Process: com.example.notes, PID: 4321
11-29 10:00:02.000  4321  4321 E AndroidRuntime: java.lang.NullPointerException: boom
11-29 10:00:02.000  4321  4321 E AndroidRuntime: \tat com.example.notes.MainActivity.onCreate(MainActivity.java:42)
"""
LOGCAT_FINE = "11-29 10:00:01.000  1234  1234 I ActivityManager: Displayed com.example.notes/.MainActivity: +480ms\n"


def app_screen(path: Path, seed: int, size=(540, 1170)) -> None:
    """A list screen: a toolbar and rows whose widths follow `seed` (different seeds, different screens)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0], 120], fill=(25, 118, 210))
    for row in range(12):
        top = 150 + row * 80
        width = 120 + (seed * 37 + row * 53) % 360
        draw.rectangle([30, top, 30 + 50, top + 50], fill=((seed * 60) % 255, 120, 80))
        draw.rectangle([100, top + 10, 100 + width, top + 30], fill=(60, 60, 60))
    image.save(path)


def blank_screen(path: Path, size=(540, 1170)) -> None:
    Image.new("RGB", size, (250, 250, 250)).save(path)


def results_folder(root: Path, devices: dict[str, tuple[str, list[int | None]]]) -> Path:
    """A results folder as Test Lab writes it: `devices` maps a device folder name to (logcat, screens), a
    screen being a seed for an app screen or None for a blank one."""
    for name, (logcat, screens) in devices.items():
        folder = root / name
        shots = folder / "artifacts" / "sdcard" / "screenshots"
        shots.mkdir(parents=True)
        (folder / "logcat").write_text(logcat)
        for index, seed in enumerate(screens):
            path = shots / f"{index + 1:02d}.png"
            blank_screen(path) if seed is None else app_screen(path, seed)
    return root


def submit_demo(team: Team, *files: str) -> list[int]:
    outcomes = list(team.intake.submit([str(DEMO_APKS / f) for f in files], kind="new", developer="Acme Apps"))
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    return [o.submission_id for o in outcomes]


def worker_settings(team: Team) -> Settings:
    if team.backend == "postgresql":
        owner = Settings(data_dir=team.tmp_path / "owner", db_url=team.pg_server.url(database=team.database))
        admin.add_user(owner, "wendy", "worker", None)
    return Settings(data_dir=team.tmp_path / "adam", db_url=team.url("wendy"), reviewer="wendy")


def test_an_imported_folder_is_filed_whole_with_its_red_flags(team, tmp_path):
    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    folder = results_folder(tmp_path / "matrix", {
        "walleye-28-en-portrait": (LOGCAT_FINE, [1, 2]),
        "starqlteue-26-zh_CN-portrait": (LOGCAT_CRASH, [1, None]),
    })  # fmt: skip
    store = team.intake.store
    sha = store.detail(sid).artifact_sha256
    run = import_folder(store, sha, folder, "com.example.notes", by="adam", now=team.clock())

    assert run.source == "test_lab" and run.state == "done" and len(run.results) == 2
    samsung = next(r for r in run.results if r.device == "starqlteue")
    assert (samsung.os_version, samsung.crashed, samsung.outcome) == ("8.0", True, "failure")
    assert {"crash", "blank_screen"} <= set(samsung.flags)
    assert samsung.crashes[0].stack and "NullPointerException" in " ".join(samsung.crashes[0].stack)

    # every workstation reads it back, screenshots from the blob store
    seen = team["alice"].view(sid).detail
    assert [r.device for r in seen.device_runs[0].results] == [r.device for r in run.results]
    shots = [s for r in seen.device_runs[0].results for s in r.screenshots]
    assert len(shots) == 4 and all(store.blobs.path(s.sha256).is_file() for s in shots)
    detail = load_detail(team["alice"], sid, claim=False)
    assert set(detail.device_files) == {s.sha256 for s in shots}
    codes = {f.code for f in detail.red_flags if f.source == "devices"}
    assert codes == {"device_crash", "device_blank_screen"}
    crash = next(f for f in detail.red_flags if f.code == "device_crash")
    assert crash.params["devices"] == "starqlteue"
    # the queue's risk column counts them without opening the submission
    row = next(r for r in team["alice"].queue() if r.submission_id == sid)
    assert {"device_crash", "device_blank_screen"} <= {f.code for f in row.red_flags}


def test_a_folder_that_cannot_be_read_leaves_nothing_behind(team, tmp_path):
    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    store = team.intake.store
    sha = store.detail(sid).artifact_sha256
    empty = tmp_path / "empty"
    empty.mkdir()
    from reviewer_app.devices.results import ResultsError

    with pytest.raises(ResultsError) as refused:
        import_folder(store, sha, empty, "com.example.notes", by="adam", now=team.clock())
    assert "\n" not in str(refused.value) and str(refused.value)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "manifest.json").write_text(
        '{"format": "reviewer-app-device-results/1", "package": "com.evil.other", "devices": [{"model": "X"}]}'
    )
    with pytest.raises(DeviceImportError, match=r"com\.evil\.other"):
        import_folder(store, sha, tmp_path / "other", "com.example.notes", by="adam", now=team.clock())
    assert store.device_runs(sha) == ()


def test_screens_that_changed_since_the_approved_version_are_marked(team, tmp_path):
    (v1,) = submit_demo(team, "com.example.notes_1.apk")
    store = team.intake.store
    sha1 = store.detail(v1).artifact_sha256
    import_folder(store, sha1, results_folder(tmp_path / "v1", {"walleye-28-en-portrait": (LOGCAT_FINE, [1, 2])}),
                  "com.example.notes", by="adam", now=team.clock())  # fmt: skip
    assert team["lena"].decide(v1, "approve").ok

    (v2,) = submit_demo(team, "com.example.notes_2.apk")
    sha2 = store.detail(v2).artifact_sha256
    folder = results_folder(tmp_path / "v2", {"walleye-28-en-portrait": (LOGCAT_FINE, [1, 7])})
    run = import_folder(store, sha2, folder, "com.example.notes", by="adam", now=team.clock())
    first, second = run.results[0].screenshots
    assert "changed_since_approved" not in first.flags
    assert "changed_since_approved" in second.flags
    assert "changed_since_approved" in run.results[0].flags
    seen = team["alice"].view(v2).detail
    assert seen.previous_device_run is not None and seen.previous_device_run.artifact_sha256 == sha1


def test_cli_devices_import_prints_one_line_per_device(tmp_path):
    from tests.test_cli import lines, run

    data = tmp_path / "data"
    run("submit", str(DEMO_APKS / "com.example.notes_1.apk"), "--kind", "new", "--developer", "Acme Apps",
        data_dir=data, check_rc=0)  # fmt: skip
    folder = results_folder(tmp_path / "results", {
        "walleye-28-en-portrait": (LOGCAT_FINE, [1, 2, 3]),
        "starqlteue-26-zh_CN-portrait": (LOGCAT_CRASH, [None]),
    })  # fmt: skip
    (folder / "walleye-28-en-portrait" / "artifacts" / "broken.png").write_bytes(b"\x89PNG not really")
    proc = run("devices", "import", str(folder), "--submission", "1", "--json", data_dir=data, check_rc=0)
    records = {r["device"]: r for r in lines(proc)}
    assert set(records) == {"walleye", "starqlteue"}
    assert set(records["walleye"]) == {
        "device",
        "os_version",
        "installed",
        "launched",
        "crashed",
        "screenshots",
        "flags",
    }
    assert records["walleye"]["os_version"] == "9" and records["walleye"]["screenshots"] == 3
    assert records["walleye"]["crashed"] is False and records["walleye"]["launched"] is True
    assert records["starqlteue"]["crashed"] is True and "blank_screen" in records["starqlteue"]["flags"]
    assert "broken.png" in proc.stderr  # the file left out is named, the rest is filed

    refused = run("devices", "import", str(tmp_path / "nowhere"), "--submission", "1", "--json", data_dir=data)
    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1 and "nowhere" in refused.stderr


def test_a_worker_imports_a_folder_a_reviewer_asked_for(team, tmp_path):
    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    folder = results_folder(tmp_path / "results", {"walleye-28-en-portrait": (LOGCAT_FINE, [1])})
    alice = team["alice"]
    assert enqueue_import(alice, sid, str(folder)) is not None
    assert alice.view(sid).detail.device_job == "queued"
    assert enqueue_import(alice, sid, str(folder)) is None  # one waits already

    bad = tmp_path / "bad"
    bad.write_text("not a folder")
    run_worker(worker_settings(team), threading.Event(), once=True, poll_seconds=0.1)
    seen = alice.view(sid).detail
    assert seen.device_job is None and seen.device_runs[0].state == "done"
    assert seen.device_runs[0].results[0].device == "walleye"

    enqueue_import(alice, sid, str(bad))
    run_worker(worker_settings(team), threading.Event(), once=True, poll_seconds=0.1)
    failed = alice.view(sid).detail.device_runs[0]
    assert failed.state == "failed" and failed.error and "\n" not in failed.error
    # the failed import does not hide the run before it, nor its flags
    assert alice.view(sid).detail.device_runs[1].state == "done"
    assert cancel_capture(alice, sid) == 0  # nothing is running


def test_who_may_write_device_runs_on_postgresql(tmp_path, pg_server):
    from datetime import UTC, datetime

    from tests.review.conftest import Clock

    team = Team("postgresql", tmp_path, Clock(datetime.now(UTC)), pg_server)
    try:
        (sid,) = submit_demo(team, "com.example.notes_1.apk")
        folder = results_folder(tmp_path / "results", {"walleye-28-en-portrait": (LOGCAT_FINE, [1])})
        sha = team.intake.store.detail(sid).artifact_sha256
        with pytest.raises(PermissionDenied):  # a reviewer asks a worker; the worker files it
            import_folder(team["alice"].store, sha, folder, "com.example.notes", by="alice", now=team.clock())
        assert team["alice"].store.device_runs(sha) == ()
        assert enqueue_import(team["alice"], sid, str(folder)) is not None
        run_worker(worker_settings(team), threading.Event(), once=True, poll_seconds=0.1)
        run = team["alice"].view(sid).detail.device_runs[0]
        assert run.state == "done" and run.created_by == "wendy"
        # an admin files a device cloud's results directly
        again = import_folder(team.intake.store, sha, folder, "com.example.notes", by="adam", now=team.clock())
        assert again.created_by == "adam"
    finally:
        team.close()


def test_a_capture_on_adb_devices_is_a_job_with_progress_and_a_stop(team, tmp_path):
    from reviewer_app.config import DeviceSettings
    from reviewer_app.devices.adb import CaptureSettings
    from reviewer_app.review import ReviewService
    from reviewer_app.review.devices import DeviceJob, enqueue_capture
    from tests.corpus import need_tool
    from tests.devices.fake_adb import FakeAdbServer, FakeDevice

    need_tool("adb", "adb")
    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    alice = team["alice"]
    assert enqueue_capture(alice, sid) is not None
    assert alice.view(sid).detail.device_job == "queued"

    phones = [FakeDevice("emulator-5554", qemu=True), FakeDevice("R58M41", model="SM-G960F", brand="samsung",
                                                                 release="10", sdk="29", crash_in_monkey=True)]  # fmt: skip
    worker = ReviewService(worker_settings(team), clock=team.clock)
    try:
        with FakeAdbServer(phones, "com.example.notes") as server:
            settings = DeviceSettings(adb_server=f"{server.address[0]}:{server.address[1]}", capture=True)
            fast = CaptureSettings(events=20, throttle_ms=0, launch_wait_s=0, shot_interval_s=0)
            job = worker.store.take_job("wendy-test", team.clock(), timedelta(minutes=5), kinds=("device_capture",))
            assert job is not None
            assert DeviceJob(worker.store, settings, capture_settings=fast).run(
                job, "wendy-test", team.clock, lambda: True
            )
    finally:
        worker.close()
    run = alice.view(sid).detail.device_runs[0]
    assert run.source == "adb" and run.state == "done" and run.devices_total == 2
    samsung = next(r for r in run.results if r.device == "SM-G960F")
    assert samsung.crashed is True and "crash" in samsung.flags and samsung.os_version == "10"
    emulator = next(r for r in run.results if r.virtual)
    assert emulator.installed is True and emulator.launched is True and emulator.screenshots
    assert all(not phone.installed for phone in phones)  # uninstalled from every phone
    assert "device_crash" in {f.code for f in load_detail(alice, sid, claim=False).red_flags}


def test_a_reviewer_stops_a_running_capture_and_keeps_what_was_captured(team, tmp_path):
    from reviewer_app.config import DeviceSettings
    from reviewer_app.devices.adb import CaptureSettings
    from reviewer_app.review import ReviewService
    from reviewer_app.review.devices import DeviceJob, enqueue_capture
    from tests.corpus import need_tool
    from tests.devices.fake_adb import FakeAdbServer, FakeDevice

    need_tool("adb", "adb")
    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    alice = team["alice"]
    enqueue_capture(alice, sid)
    phone = FakeDevice("emulator-5554", qemu=True, monkey_seconds=3.0)
    worker = ReviewService(worker_settings(team), clock=team.clock)
    outcome: list[bool] = []
    try:
        with FakeAdbServer([phone], "com.example.notes") as server:
            settings = DeviceSettings(adb_server=f"{server.address[0]}:{server.address[1]}", capture=True)
            fast = CaptureSettings(events=20, throttle_ms=0, launch_wait_s=0, shot_interval_s=0)
            job = worker.store.take_job("wendy-test", team.clock(), timedelta(minutes=5), kinds=("device_capture",))
            runner = threading.Thread(
                target=lambda: outcome.append(
                    DeviceJob(worker.store, settings, capture_settings=fast).run(job, "wendy-test", team.clock, bool)
                )
            )
            runner.start()
            deadline = time.monotonic() + 20
            while "monkey" not in " ".join(phone.commands) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert alice.view(sid).detail.device_runs[0].state == "running"
            assert cancel_capture(alice, sid) == 1  # during the Monkey run
            runner.join(30)
    finally:
        worker.close()
    run = alice.view(sid).detail.device_runs[0]
    assert outcome == [True]
    assert run.state == "cancelled" and run.error == "stopped by a reviewer"
    (result,) = run.results
    assert result.screenshots and all(shot.step != "monkey" for shot in result.screenshots)  # none after the stop
    assert not phone.installed  # uninstalled all the same


def test_stopping_a_capture_is_one_event_in_the_stops_own_transaction(team):
    from reviewer_app.review import ReviewService
    from reviewer_app.review import trail as audit_trail

    (sid,) = submit_demo(team, "com.example.notes_1.apk")
    alice = team["alice"]
    sha = alice.store.detail(sid).artifact_sha256
    worker = ReviewService(worker_settings(team), clock=team.clock)
    try:
        run_id = worker.store.start_device_run(sha, source="adb", label="adb: 2 devices", devices_total=2,
                                               by="wendy", now=team.clock())  # fmt: skip
        start = alice.store.audit_events()[-1].event_id
        assert cancel_capture(alice, sid) == 1
        (event,) = alice.store.audit_events(start)
        assert (event.actor, event.action, event.subject) == ("alice", "job_request", f"submission:{sid}")
        assert event.details == {"kind": "device_capture", "change": "cancel", "runs": [run_id]}
        assert worker.store.device_run_progress(run_id, 1) is True  # the worker is told to stop
        assert cancel_capture(alice, sid) == 0  # asked already: nothing changes, nothing is recorded
        worker.store.finish_device_run(run_id, state="cancelled", now=team.clock())
        assert cancel_capture(alice, sid) == 0  # nothing running
        assert alice.store.audit_events(start) == [event]
        assert audit_trail.verify(alice.store).ok
    finally:
        worker.close()
