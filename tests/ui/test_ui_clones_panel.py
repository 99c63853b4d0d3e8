"""The Clones panel, given plain data: the verdict, the submission side by side with each candidate, the
name comparison, permissions, signals, keyboard, and the suggested rejection."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QTextDocument

from reviewer_app.domain import CloneCandidate, CloneResult, SubmissionDetail
from reviewer_app.review import QueueRow, RedFlag, SubmissionView
from reviewer_app.review.detail import ReviewDetail
from reviewer_app.ui.evidence import ClonesPanel, panel_classes
from reviewer_app.ui.evidence.clone_parts import HIGHLIGHT_STYLE, ICON_SIZE, name_diff_html
from reviewer_app.ui.evidence.clones import (
    COL_LABEL,
    COL_PACKAGE,
    COL_PERMISSION,
    COL_SCORE,
    SideRole,
    WithdrawnRole,
)

SHA = "cd" * 32
T0 = datetime(2026, 11, 29, 18, 2, tzinfo=UTC)
COUNTERFEIT_APK = "com.exampel.notes_1.apk"
ORIGINAL_APK = "com.example.notes_1.apk"
ACME_SUBJECT = "CN=Acme Apps, OU=Public demo key - not for production, O=Acme Apps, C=US"


def candidate(catalog_id: int = 1, **changes) -> CloneCandidate:
    """The demo's original Notes app, as the clone search would report it against its look-alike."""
    values = {
        "catalog_id": catalog_id,
        "package": "com.example.notes",
        "label": "Notes",
        "developer": "Acme Apps",
        "score": 0.93,
        "signals": {
            "name": 1.0,
            "icon": 0.97,
            "package": 0.94,
            "certificate": "different",
            "code": None,
            "resources": 0.4,
        },
        "matched": {
            "name_diff": [["equal", "Notes", "Notes"]],
            "name_reasons": ["same_skeleton"],
            "cert_subjects": [ACME_SUBJECT],
            "permissions": ["android.permission.INTERNET"],
            "labels": {"": "Notes", "zh-CN": "笔记"},
        },
    }
    values.update(changes)
    return CloneCandidate(**values)


def result(verdict: str = "counterfeit_suspected", candidates=None, catalog_size: int = 812) -> CloneResult:
    return CloneResult(
        verdict=verdict,
        candidates=tuple(candidates if candidates is not None else [candidate()]),
        computed_at=T0,
        catalog_size=catalog_size,
    )


def review_detail(
    facts=None,
    clones: CloneResult | None = None,
    clone_job: str | None = None,
    artifact_sha256: str | None = SHA,
    clone_icons: dict[int, bytes] | None = None,
    icon: QImage | None = None,
    submission_id: int = 9,
    red_flags=(),
) -> ReviewDetail:
    row = QueueRow(
        submission_id=submission_id,
        kind="new" if artifact_sha256 else "metadata",
        package=facts.package if facts is not None else "com.exampel.notes",
        label=facts.label if facts is not None else "Notes",
        developer="Shady Labs",
        tier=1,
        submitted_at=T0 - timedelta(hours=1),
        deadline=T0 + timedelta(hours=23),
        status="pending",
        claimed_by="alice",
        lease_until=None,
    )
    record = SubmissionDetail(
        row=row,
        artifact_sha256=artifact_sha256,
        facts=None,
        icon_png=None,
        note=None,
        row_version=1,
        clones=clones,
        clone_job=clone_job,
    )
    return ReviewDetail(
        view=SubmissionView(record, facts, None),
        red_flags=tuple(red_flags),
        icon=icon,
        clone_icons=dict(clone_icons or {}),
    )


@pytest.fixture
def counterfeit(demo_facts):
    """The demo's look-alike Notes (com.exampel.notes, signed by Shady Labs)."""
    return demo_facts[COUNTERFEIT_APK]


@pytest.fixture
def original_icon(demo_facts) -> bytes:
    png = demo_facts[ORIGINAL_APK].icon_png
    assert png
    return png


@pytest.fixture
def panel(qtbot):
    widget = ClonesPanel()
    qtbot.addWidget(widget)
    widget.resize(700, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def plain(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def marked(rich: str) -> list[str]:
    """The pieces of a name that the panel marks as different."""
    return re.findall(r'<span style="' + re.escape(HIGHLIGHT_STYLE) + r'">(.*?)</span>', rich)


def rows(tree):
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def test_the_panel_is_registered_between_scans_and_history():
    keys = [cls.key for cls in panel_classes()]
    assert keys.index("scan") < keys.index("clones") < keys.index("history")
    assert ClonesPanel.title() == "Clones"
    assert ClonesPanel.sources == ("clones",)


def test_a_suspected_counterfeit_names_the_app_it_copies_in_red(panel, counterfeit):
    panel.show_detail(review_detail(counterfeit, result()))
    banner = panel.verdict_banner
    assert banner.isVisible()
    assert "Counterfeit suspected" in banner.text()
    assert "Looks like Notes (com.example.notes) by Acme Apps, signed by someone else" in banner.text()
    assert "#fdecea" in banner.styleSheet()
    assert banner.property("verdict") == "counterfeit_suspected"
    assert "812" in panel.info_label.text()
    assert not panel.state_label.isVisible()


def test_the_same_developer_family_is_blue_and_cannot_be_rejected_as_counterfeit(panel, counterfeit):
    family = candidate(signals={**candidate().signals, "certificate": "same"})
    panel.show_detail(review_detail(counterfeit, result("same_developer_family", [family])))
    assert "Same developer family" in panel.verdict_banner.text()
    assert "Notes (com.example.notes) by Acme Apps" in panel.verdict_banner.text()
    assert "#e8f0fe" in panel.verdict_banner.styleSheet()
    assert not panel.reject_button.isEnabled()


def test_no_match_is_green_and_says_how_many_apps_were_compared(panel, qtbot, counterfeit):
    panel.show_detail(review_detail(counterfeit, result("no_match", [], catalog_size=812)))
    assert "No match" in panel.verdict_banner.text()
    assert "Compared with 812 catalog apps" in panel.verdict_banner.text()
    assert "#e6f4ea" in panel.verdict_banner.styleSheet()
    assert not panel.splitter.isVisible()  # no candidates: nothing to compare side by side
    assert panel.reject_button.isVisible() and not panel.reject_button.isEnabled()
    with qtbot.assertNotEmitted(panel.sig_reject):
        panel.reject_as_counterfeit()


def test_reject_as_counterfeit_suggests_the_counterfeit_reason(panel, qtbot, counterfeit):
    panel.show_detail(review_detail(counterfeit, result()))
    assert panel.reject_button.isEnabled()
    with qtbot.waitSignal(panel.sig_reject, timeout=1000) as blocker:
        qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [("counterfeit",)]


def test_the_submission_view_forwards_a_suggested_rejection(qtbot):
    from reviewer_app.ui.submission_view import SubmissionView as SubmissionWidget

    view = SubmissionWidget()
    qtbot.addWidget(view)
    clones = view.panel("clones")
    assert isinstance(clones, ClonesPanel)
    with qtbot.waitSignal(view.sig_reject, timeout=1000) as blocker:
        clones.suggest_rejection(["counterfeit"])
    assert blocker.args == [("counterfeit",)]


def test_the_submission_and_the_candidate_side_by_side(panel, counterfeit):
    panel.show_detail(review_detail(counterfeit, result()))
    assert plain(panel.sub_name.text()) == "Notes" and plain(panel.cand_name.text()) == "Notes"
    assert panel.sub_package.text() == "com.exampel.notes"
    assert panel.cand_package.text() == "com.example.notes"
    assert panel.sub_developer.text() == "Shady Labs"
    assert panel.cand_developer.text() == "Acme Apps"
    assert "CN=Shady Labs" in panel.sub_signers.text()
    assert panel.cand_signers.text() == ACME_SUBJECT
    assert "zh-CN: 笔记" in panel.cand_locales.text()
    assert "Candidate 1 of 1" in panel.cand_title.text() and "93%" in panel.cand_title.text()
    assert "the same letters" in panel.reasons_label.text()
    assert panel.reasons_label.isVisible()


def test_a_metadata_submission_has_no_package_to_compare(panel):
    panel.show_detail(review_detail(None, None, artifact_sha256=None))
    assert panel.state_label.isVisible()
    assert "No package to compare" in panel.state_label.text()
    assert not panel.verdict_banner.isVisible()
    assert not panel.splitter.isVisible()
    assert not panel.reject_button.isVisible()


@pytest.mark.parametrize(
    ("job", "words"),
    [("queued", "Waiting for a worker"), ("running", "Comparing with the catalog…"), (None, "Not compared")],
)
def test_while_the_comparison_waits_or_runs_the_panel_says_so(panel, counterfeit, job, words):
    panel.show_detail(review_detail(counterfeit, None, clone_job=job))
    assert panel.state_label.isVisible()
    assert words in panel.state_label.text()
    assert not panel.verdict_banner.isVisible()
    assert not panel.reject_button.isVisible()


def test_a_new_comparison_running_keeps_the_last_one_on_show(panel, counterfeit):
    panel.show_detail(review_detail(counterfeit, result(), clone_job="running"))
    assert "A new comparison is running" in panel.state_label.text()
    assert panel.verdict_banner.isVisible()
    assert panel.selected_candidate().catalog_id == 1


def test_the_name_diff_marks_exactly_the_differing_characters():
    diff = [["replace", "羙", "美"], ["equal", "团", "团"]]
    assert marked(name_diff_html(diff, "submission")) == ["羙"]
    assert marked(name_diff_html(diff, "candidate")) == ["美"]
    inserted = [["equal", "Notes", "Notes"], ["insert", "", " Pro"], ["delete", "!", ""]]
    assert marked(name_diff_html(inserted, "submission")) == ["!"]
    assert marked(name_diff_html(inserted, "candidate")) == [" Pro"]
    assert name_diff_html("not a list", "submission") == ""


def test_the_panel_marks_the_look_alike_character_of_a_chinese_name(panel, counterfeit):
    sub = dataclasses.replace(counterfeit, label="羙团")
    meituan = candidate(
        label="美团",
        package="com.sankuai.meituan",
        developer="Meituan",
        matched={"name_diff": [["replace", "羙", "美"], ["equal", "团", "团"]], "name_reasons": ["look_alike_chars"]},
    )
    panel.show_detail(review_detail(sub, result(candidates=[meituan])))
    assert marked(panel.sub_name.text()) == ["羙"]
    assert marked(panel.cand_name.text()) == ["美"]
    assert plain(panel.sub_name.text()) == "羙团" and plain(panel.cand_name.text()) == "美团"
    assert "characters that look alike" in panel.reasons_label.text()


def test_names_are_escaped_never_read_as_html(panel, counterfeit):
    sub = dataclasses.replace(counterfeit, label="<b>x</b>")
    tricky = candidate(label="<img src=x>", matched={})  # no diff: both names shown as they are
    panel.show_detail(review_detail(sub, result(candidates=[tricky])))
    assert plain(panel.sub_name.text()) == "<b>x</b>"
    assert plain(panel.cand_name.text()) == "<img src=x>"
    assert "<b>x" not in panel.sub_name.text()

    diff = [["replace", "<b>", "<i>"], ["equal", "x</", "x</"], ["replace", "b", "i"], ["equal", ">", ">"]]
    with_diff = candidate(label="<i>x</i>", matched={"name_diff": diff})
    panel.show_detail(review_detail(sub, result(candidates=[with_diff]), submission_id=10))
    assert marked(panel.sub_name.text()) == ["&lt;b&gt;", "b"]
    assert marked(panel.cand_name.text()) == ["&lt;i&gt;", "i"]
    assert plain(panel.sub_name.text()) == "<b>x</b>"
    assert plain(panel.cand_name.text()) == "<i>x</i>"


def test_a_diff_that_does_not_spell_a_name_is_not_used_for_it(panel, counterfeit):
    """The diff is of the labels the search compared; a side whose label differs shows its name unmarked."""
    stale = candidate(label="Notes", matched={"name_diff": [["replace", "N", "M"], ["equal", "otes", "otes"]]})
    panel.show_detail(review_detail(counterfeit, result(candidates=[stale])))
    assert marked(panel.sub_name.text()) == ["N"]  # the submission's "Notes" is what the diff spells
    assert marked(panel.cand_name.text()) == [] and plain(panel.cand_name.text()) == "Notes"


def test_permissions_only_one_side_asks_for_are_marked(panel, counterfeit):
    sub = dataclasses.replace(counterfeit, permissions=["android.permission.INTERNET", "android.permission.SEND_SMS"])
    other = candidate(
        matched={**candidate().matched, "permissions": ["android.permission.INTERNET", "android.permission.CAMERA"]}
    )
    panel.show_detail(review_detail(sub, result(candidates=[other])))
    by_name = {item.toolTip(COL_PERMISSION).split(" ")[0]: item for item in rows(panel.permission_tree)}
    assert set(by_name) == {"android.permission.INTERNET", "android.permission.SEND_SMS", "android.permission.CAMERA"}
    sms, camera, internet = (by_name[f"android.permission.{n}"] for n in ("SEND_SMS", "CAMERA", "INTERNET"))
    assert sms.data(COL_PERMISSION, SideRole) == "submission"
    assert camera.data(COL_PERMISSION, SideRole) == "candidate"
    assert internet.data(COL_PERMISSION, SideRole) == "both"
    assert sms.font(COL_PERMISSION).bold() and camera.font(COL_PERMISSION).bold()
    assert not internet.font(COL_PERMISSION).bold()
    assert (sms.text(1), sms.text(2)) == ("✓", "") and (camera.text(1), camera.text(2)) == ("", "✓")
    assert rows(panel.permission_tree)[-1] is internet  # the differences first
    assert "1 only here, 1 only in the candidate, 1 both" in panel.permission_section.toggle.text()


def test_signals_show_scores_and_not_compared(panel, counterfeit):
    panel.show_detail(review_detail(counterfeit, result()))
    values = {key: label.text() for key, label in panel.signal_values.items()}
    assert values == {
        "name": "100%",
        "icon": "97%",
        "package": "94%",
        "certificate": "different key",
        "code": "not compared",
        "resources": "40%",
    }
    assert panel.signal_values["certificate"].font().bold()


def test_keyboard_flips_through_the_candidates(panel, qtbot, counterfeit):
    others = [
        candidate(1),
        candidate(2, package="com.example.notes.lite", label="Notes Lite", developer="Acme Apps", score=0.71),
        candidate(3, package="org.notes.free", label="Free Notes", developer="Open Notes", score=0.55),
    ]
    panel.show_detail(review_detail(counterfeit, result(candidates=others)))
    tree = panel.candidate_list
    assert [item.text(COL_PACKAGE) for item in rows(tree)] == [c.package for c in others]
    assert rows(tree)[0].text(COL_SCORE) == "93%"
    panel.setFocus()
    assert tree.hasFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert panel.selected_candidate().catalog_id == 2
    assert panel.cand_package.text() == "com.example.notes.lite"
    assert plain(panel.cand_name.text()) == "Notes Lite"
    assert "Candidate 2 of 3" in panel.cand_title.text()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert panel.cand_developer.text() == "Open Notes"
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    assert panel.selected_candidate().catalog_id == 2
    qtbot.keyClick(tree, Qt.Key.Key_PageUp)
    assert panel.selected_candidate().catalog_id == 1

    # The same submission shown again (a live update) keeps the candidate on show.
    qtbot.keyClick(tree, Qt.Key.Key_End)
    panel.show_detail(review_detail(counterfeit, result(candidates=others)))
    assert panel.selected_candidate().catalog_id == 3


def test_a_withdrawn_candidate_is_marked(panel, counterfeit):
    recalled = candidate(2, matched={**candidate().matched, "withdrawn": True}, score=0.6)
    panel.show_detail(review_detail(counterfeit, result(candidates=[candidate(1), recalled])))
    first, second = rows(panel.candidate_list)
    assert not first.data(COL_SCORE, WithdrawnRole) and "withdrawn" not in first.text(COL_LABEL)
    assert second.data(COL_SCORE, WithdrawnRole) and "(withdrawn)" in second.text(COL_LABEL)
    assert second.font(COL_LABEL).style() == QFont.Style.StyleItalic
    assert not panel.withdrawn_label.isVisible()
    panel.select_candidate(2)
    assert panel.withdrawn_label.isVisible()
    assert "Withdrawn" in panel.withdrawn_label.text()


def test_shared_classes_and_resources_are_counted_and_folded(panel, counterfeit):
    classes = [f"com.example.notes.C{i}" for i in range(350)]
    rich = candidate(matched={**candidate().matched, "shared_classes": classes, "shared_resources": ["res/a.png"]})
    panel.show_detail(review_detail(counterfeit, result(candidates=[rich])))
    assert panel.classes_section.isVisible() and "(350)" in panel.classes_section.toggle.text()
    assert not panel.classes_section.body.isVisible()  # folded until asked for
    listed = panel.classes_model.stringList()
    assert listed[0] == "com.example.notes.C0" and listed[-1] == "… and 50 more"
    assert "(1)" in panel.resources_section.toggle.text()
    panel.resources_section.toggle.click()
    assert panel.resources_view.isVisible()
    assert panel.resources_model.stringList() == ["res/a.png"]

    panel.show_detail(review_detail(counterfeit, result(), submission_id=11))  # no such keys: not compared
    assert not panel.classes_section.isVisible() and not panel.resources_section.isVisible()


def test_icons_at_the_same_size_and_bad_bytes_do_not_break_anything(panel, counterfeit, original_icon):
    own = QImage.fromData(counterfeit.icon_png)
    others = [candidate(1), candidate(2), candidate(3), candidate(4)]
    icons = {1: original_icon, 2: b"not a png", 3: b"\x89PNG\r\n\x1a\n" + b"\x00" * 40}  # 4: none at all
    panel.show_detail(review_detail(counterfeit, result(candidates=others), clone_icons=icons, icon=own))
    sub_pixmap, cand_pixmap = panel.sub_icon.pixmap(), panel.cand_icon.pixmap()
    assert not sub_pixmap.isNull() and not cand_pixmap.isNull()
    assert max(sub_pixmap.width(), sub_pixmap.height()) == ICON_SIZE
    assert max(cand_pixmap.width(), cand_pixmap.height()) == ICON_SIZE
    assert panel.sub_icon.size() == panel.cand_icon.size()
    for catalog_id in (2, 3, 4):
        assert panel.select_candidate(catalog_id)
        assert panel.cand_icon.pixmap().isNull()
        assert panel.cand_icon.text() == "no icon"
        assert panel.cand_package.text() == "com.example.notes"


def test_attention_is_the_clone_red_flags(panel, counterfeit):
    flags = (RedFlag("counterfeit", 2, "clones"), RedFlag("scan_blocked", 2, "scan"))
    panel.show_detail(review_detail(counterfeit, result(), red_flags=flags))
    assert [flag.code for flag in panel.attention()] == ["counterfeit"]
    panel.clear()
    assert panel.attention() == ()
    assert not panel.verdict_banner.isVisible() and not panel.splitter.isVisible()
