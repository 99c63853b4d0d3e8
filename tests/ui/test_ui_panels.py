"""The evidence panel and the decision form: models, permission flags, asynchronous loading."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from reviewer_app.apk import read_apk
from reviewer_app.apk.diff import diff_versions
from reviewer_app.review import REASONS, format_time_left
from reviewer_app.review.detail import PermissionEntry
from reviewer_app.ui.decision_panel import ReasonListModel, form_problem
from reviewer_app.ui.evidence.widgets import BANNER_STYLE, ERROR_BANNER_STYLE, PermissionListModel
from reviewer_app.ui.text import REASON_DESCRIPTIONS, REASON_TITLES, time_left_text
from tests.corpus import need_corpus


def test_qtmodeltester_on_the_reason_list(qtmodeltester):
    model = ReasonListModel()
    qtmodeltester.check(model, force_py=True)
    model.set_checked("privacy")
    model.set_checked("malware")
    qtmodeltester.check(model, force_py=True)
    assert model.checked_codes() == ["malware", "privacy"]  # in the order of REASONS
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    model.clear()
    assert model.checked_codes() == []


def test_qtmodeltester_on_the_permission_list(qtmodeltester):
    model = PermissionListModel()
    qtmodeltester.check(model, force_py=True)
    model.set_entries(
        [
            PermissionEntry("android.permission.SEND_SMS", dangerous=True, added=True),
            PermissionEntry("android.permission.INTERNET"),
            PermissionEntry("android.permission.READ_EXTERNAL_STORAGE", implied=True, max_sdk=28),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    sms = model.index(0, 0)
    assert "dangerous" in model.data(sms) and "new" in model.data(sms)
    assert model.data(sms, Qt.ItemDataRole.FontRole).bold()
    assert model.data(sms, Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None


def test_every_reason_code_has_a_translatable_title():
    assert set(REASON_TITLES) == {r.code for r in REASONS} == set(REASON_DESCRIPTIONS)
    for reason in REASONS:
        assert REASON_TITLES[reason.code] == reason.title, "keep ui/text.py in step with review/reasons.py"
        assert REASON_DESCRIPTIONS[reason.code] == reason.description


def test_decision_problems_are_translated_sentences():
    assert form_problem("reject", [], "msg") == "Choose at least one reason before rejecting."
    assert form_problem("reject", ["malware"], "  ") == "Write a message to the developer before rejecting."
    assert form_problem("reject", ["malware"], "msg") is None
    assert form_problem("escalate", [], "") is None
    assert form_problem("approve", [], "") is None


def test_detail_panel_shows_the_evidence_of_an_update(
    qtbot, make_window, service, demo_apks, demo_facts, select_and_load
):
    v1 = service.submit_facts(
        demo_facts["com.example.notes_1.apk"],
        demo_apks["com.example.notes_1.apk"],
        kind="new",
        developer="Acme Apps",
        tier=5,
    )
    assert service.decide(v1.submission_id, "approve").ok
    v2 = service.submit_facts(
        demo_facts["com.example.notes_2.apk"],
        demo_apks["com.example.notes_2.apk"],
        kind="update",
        developer="Acme Apps",
        tier=5,
    )
    legacy = service.submit_facts(
        demo_facts["com.example.legacy_9.apk"],
        demo_apks["com.example.legacy_9.apk"],
        kind="new",
        developer="Old Corp",
        tier=2,
    )
    window = make_window(expect_rows=2)
    assert window.model.submission_id(0) == v2.submission_id  # tier 5: the two-hour deadline comes first

    select_and_load(window, 0)
    panel = window.facts_panel
    header = window.submission_view.header
    assert header.title_label.text() == "Notes"
    assert header.package_label.text() == "com.example.notes"
    assert "1.1" in header.version_label.text()
    assert not header.icon_label.pixmap().isNull()
    assert header.icon_label.pixmap().width() <= 96
    entries = panel.permission_model.entries()
    assert [e.name for e in entries][:2] == ["android.permission.CAMERA", "android.permission.READ_CONTACTS"]
    assert all(e.dangerous and e.added for e in entries[:2])
    internet = next(e for e in entries if e.name == "android.permission.INTERNET")
    assert not internet.dangerous and not internet.added
    assert "CAMERA" in panel.changes_label.text()
    assert "1.0" in panel.banner.text()  # the last approved version
    assert "different key" not in panel.banner.text() and "not higher" not in panel.banner.text()
    assert panel.banner.styleSheet() == BANNER_STYLE
    facts = demo_facts["com.example.notes_2.apk"]
    assert facts.sha256 in panel.hashes_label.text() and facts.md5 in panel.hashes_label.text()
    assert panel.hashes_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert "Acme Apps" in panel.signers_label.text()
    assert "min 21" in panel.sdk_value.text()
    assert panel.components_tree.topLevelItemCount() == 4
    old_components = set(demo_facts["com.example.notes_1.apk"].components)
    added = [
        panel.components_tree.topLevelItem(i).child(j).text(0)
        for i in range(4)
        for j in range(panel.components_tree.topLevelItem(i).childCount())
        if "new since the last approved version" in panel.components_tree.topLevelItem(i).child(j).text(0)
    ]
    expected = sorted(set(demo_facts["com.example.notes_2.apk"].components) - old_components)
    assert expected, "the demo update adds a component"
    assert sorted(text.split()[0] for text in added) == expected
    assert f"{len(expected)} new" in panel.components_section.toggle.text()
    assert panel.components_tree.isVisibleTo(panel)  # opened to show them
    assert panel.warnings_label.isHidden()

    select_and_load(window, 1)
    assert window.submission_view.submission_id == legacy.submission_id
    assert not panel.warnings_label.isHidden()
    assert "v1" in panel.warnings_label.text()
    assert header.title_label.text() == "Legacy Tool"
    assert "new" not in panel.components_section.toggle.text()  # no approved version to compare with


def test_an_update_signed_by_another_key_or_going_back_in_version_is_flagged(
    qtbot, make_window, service, demo_facts, file_submission, select_and_load
):
    def notes(apk, **changes):
        return file_submission(apk=apk, package="com.example.notes", label="Notes", **changes)

    v1 = notes("com.example.notes_1.apk", tier=5)
    assert service.decide(v1, "approve").ok
    other_key = list(demo_facts["com.example.legacy_9.apk"].signers)
    hijack = notes("com.example.notes_2.apk", kind="update", signers=other_key, due_in=timedelta(hours=1))
    older = notes("com.example.notes_2.apk", kind="update", version_code=1, due_in=timedelta(hours=2))
    old_key = demo_facts["com.example.notes_1.apk"].signers[0].sha256
    rotated = notes(
        "com.example.notes_2.apk",
        kind="update",
        signers=other_key,
        signing_lineage=[old_key],
        due_in=timedelta(hours=3),
    )
    window = make_window(expect_rows=3)
    panel = window.facts_panel

    assert select_and_load(window, 0) == hijack
    assert "Signed by a different key than the last approved version" in panel.banner.text()
    assert "not higher" not in panel.banner.text()
    assert panel.banner.styleSheet() == ERROR_BANNER_STYLE

    assert select_and_load(window, 1) == older
    assert "different key" not in panel.banner.text()
    assert "Version code 1 is not higher than the last approved 1" in panel.banner.text()
    assert panel.banner.styleSheet() == ERROR_BANNER_STYLE

    assert select_and_load(window, 2) == rotated  # another key, reached by a proof of rotation: the same developer
    assert "signing key was rotated" in panel.banner.text() and "different key" not in panel.banner.text()
    assert panel.banner.styleSheet() == BANNER_STYLE
    assert "Name changed" not in panel.banner.text() and "SDK" not in panel.banner.text()


def test_an_update_says_what_else_changed_since_the_last_approved_version(
    qtbot, make_window, service, demo_facts, file_submission, select_and_load
):
    before = demo_facts["com.example.notes_1.apk"]
    v1 = file_submission(apk="com.example.notes_1.apk", package="com.example.notes", label="Notes")
    assert service.decide(v1, "approve").ok
    file_submission(
        apk="com.example.notes_2.apk",
        package="com.example.notes",
        label="Notes Pro",
        kind="update",
        native_abis=["arm64-v8a", "x86_64"],
        target_sdk=(before.target_sdk or 0) + 1,
        icon_sha256="0" * 64,
    )
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    banner = window.facts_panel.banner.text()
    assert "Name changed: “Notes” → “Notes Pro”." in banner
    assert "The icon changed." in banner
    assert "Native code added: arm64-v8a, x86_64." in banner
    assert f"Target SDK {before.target_sdk} → {before.target_sdk + 1}." in banner
    assert "Minimum SDK" not in banner and "Native code removed" not in banner
    assert window.facts_panel.banner.styleSheet() == BANNER_STYLE  # worth a look, not an alarm


def test_the_code_of_an_update_is_compared_with_the_approved_version(qtbot, make_window, service, select_and_load):
    corpus = need_corpus()
    old, new = corpus / "com.politedroid_3.apk", corpus / "com.politedroid_6.apk"
    (approved,) = service.submit([old], kind="new", developer="Polite", tier=3)
    assert service.decide(approved.submission_id, "approve").ok
    (update,) = service.submit([new], kind="update", developer="Polite", tier=3)
    expected = diff_versions(read_apk(old, classes=True), read_apk(new, classes=True))
    window = make_window(expect_rows=1)
    assert select_and_load(window, 0) == update.submission_id
    label = window.facts_panel.code_label
    qtbot.waitUntil(lambda: "classes added" in label.text(), timeout=30_000)
    assert f"classes added {len(expected.classes_added)}, removed {len(expected.classes_removed)}." in label.text()
    new_packages = {name.rsplit(".", 1)[0] for name in expected.classes_added} - {
        name.rsplit(".", 1)[0] for name in read_apk(old, classes=True).classes
    }
    assert new_packages and all(f"{package} (" in label.text() for package in new_packages)
    assert label.isVisible()


def test_demo_updates_without_dex_say_so(qtbot, make_window, service, demo_apks, select_and_load):
    (approved,) = service.submit([demo_apks["com.example.notes_1.apk"]], kind="new", developer="Acme Apps", tier=5)
    assert service.decide(approved.submission_id, "approve").ok
    (update,) = service.submit([demo_apks["com.example.notes_2.apk"]], kind="update", developer="Acme Apps", tier=5)
    assert update.ok
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    label = window.facts_panel.code_label
    qtbot.waitUntil(lambda: label.text() == "Neither version has DEX code.", timeout=30_000)


def test_stale_detail_results_are_dropped(qtbot, make_window, file_submission, wait_idle):
    first = file_submission(label="First", due_in=timedelta(hours=1))
    second = file_submission(label="Second", due_in=timedelta(hours=2))
    window = make_window(expect_rows=2)
    wait_idle(window)
    shown = []
    window.sig_detail_loaded.connect(shown.append)
    window.queue_view.select_row(0)
    window._load_current()  # asks for the first at once (no debounce)...
    window.queue_view.select_row(1)
    window._load_current()  # ...and for the second before the first has answered
    qtbot.waitUntil(lambda: window.submission_view.data is not None and window.submission_view.submission_id == second)
    wait_idle(window)
    assert shown == [second]
    assert window.submission_view.header.title_label.text() == "Second"
    assert first != second


def test_untrusted_labels_are_shown_as_plain_text(qtbot, make_window, file_submission, select_and_load):
    file_submission(label="<b>Bold</b><img src='x'>", due_in=timedelta(hours=1))
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    assert window.submission_view.header.title_label.textFormat() == Qt.TextFormat.PlainText
    assert window.submission_view.header.title_label.text() == "<b>Bold</b><img src='x'>"


def test_time_left_reads_like_the_cli_in_english():
    for minutes in (0, 5, 59, 60, 61, 125, 24 * 60 - 1, 24 * 60, 3 * 24 * 60 + 7, -5, -65, -3000):
        left = timedelta(minutes=minutes, seconds=20)
        assert time_left_text(left) == format_time_left(left)
