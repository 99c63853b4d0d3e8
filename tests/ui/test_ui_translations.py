"""The Simplified Chinese translation is complete, compiled, and used when the app runs in zh_CN."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator

from reviewer_app.ui.i18n import install_translators, remove_translators, resources_dir, translations_dir
from tests.corpus import missing_reference

UI_SOURCES = Path(__file__).resolve().parents[2] / "reviewer_app" / "ui"
TS = translations_dir() / "reviewer_app_zh_CN.ts"
PLURALS = translations_dir() / "reviewer_app_plurals_en.ts"
QM = translations_dir() / "reviewer_app_zh_CN.qm"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = r"%\d|\{\w+\}"  # Qt's %1, and the {name} of APK warnings (filled by str.format)


def _messages():
    root = ET.parse(TS).getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message


def test_resources_are_found_from_the_source_tree():
    assert (resources_dir() / "translations").is_dir()
    assert TS.is_file() and QM.is_file()


def test_every_message_of_the_ts_file_is_translated_and_finished():
    messages = list(_messages())
    assert len(messages) > 150
    problems = []
    for context, message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        if translation is None:
            problems.append((context, source, "no translation"))
            continue
        if translation.get("type") in ("unfinished", "obsolete", "vanished"):
            problems.append((context, source, translation.get("type")))
        forms = [f.text for f in translation.findall("numerusform")] or [translation.text]
        if not all(f and f.strip() for f in forms):
            problems.append((context, source, "empty"))
        for form in forms:
            if form and sorted(re.findall(PLACEHOLDER, source)) != sorted(re.findall(PLACEHOLDER, form)):
                problems.append((context, source, "placeholders differ"))
            if form and "&" in source.replace("&&", "") and "&" not in form:
                problems.append((context, source, "keyboard accelerator lost"))
    assert not problems, problems


def test_the_ts_file_covers_every_string_in_the_sources(tmp_path):
    """Running lupdate over reviewer_app/ui finds nothing new: the translation is not behind the code."""
    # The venv's scripts are not on PATH when the tests run as `.venv/bin/python -m pytest`.
    lupdate = shutil.which("pyside6-lupdate") or shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        missing_reference("pyside6-lupdate is not installed (it comes with PySide6)")
    copy = tmp_path / TS.name
    copy.write_bytes(TS.read_bytes())
    result = subprocess.run(
        [
            lupdate,
            *sorted(str(p) for p in UI_SOURCES.rglob("*.py")),
            "-ts",
            str(copy),
            "-no-obsolete",
            "-locations",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"\(0 new and \d+ already existing\)", result.stdout), result.stdout
    texts = [(m.findtext("source"), m.find("translation").get("type")) for _, m in _iter(copy)]
    assert not [t for t in texts if t[1]], "lupdate found strings without a translation"


def test_every_message_with_a_count_reads_right_in_english(qapp, tmp_path):
    """Messages with %n are written once ("%n decision(s)"); the English catalog has both forms of each."""
    lupdate = shutil.which("pyside6-lupdate") or shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        missing_reference("pyside6-lupdate is not installed (it comes with PySide6)")
    copy = tmp_path / PLURALS.name
    copy.write_bytes(PLURALS.read_bytes())
    sources = sorted(str(p) for p in UI_SOURCES.rglob("*.py"))
    args = ["-pluralonly", "-source-language", "en", "-target-language", "en", "-no-obsolete", "-locations", "none"]
    result = subprocess.run([lupdate, *sources, "-ts", str(copy), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    plural = [m for _, m in _iter(copy) if m.get("numerus") == "yes"]
    assert len(plural) >= 5
    unfinished = [m.findtext("source") for m in plural if m.find("translation").get("type")]
    assert not unfinished, f"messages with %n and no English forms: {unfinished}"
    for message in plural:
        one, many = (f.text for f in message.find("translation").findall("numerusform"))
        assert "(s)" not in one + many and one != many, message.findtext("source")
    # Installed with the application, whatever the language.
    from reviewer_app.ui.app import ensure_application

    assert ensure_application() is qapp
    offline = "Offline — %n decision(s) waiting"
    assert QCoreApplication.translate("SessionController", offline, "", 1) == "Offline — 1 decision waiting"
    assert QCoreApplication.translate("SessionController", offline, "", 3) == "Offline — 3 decisions waiting"


def _iter(path):
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


def test_the_compiled_catalog_loads_and_translates(qapp):
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.translate("DecisionPanel", "&Approve") == "通过(&A)"
    assert CJK.search(translator.translate("Reasons", "Malware detected"))
    assert translator.translate("TimeLeft", "%1h %2m") == "%1小时%2分"


@pytest.fixture
def chinese(qapp):
    previous = QLocale()
    installed = install_translators(qapp, "zh_CN")
    yield installed
    remove_translators(qapp, installed)
    QLocale.setDefault(previous)


def test_switching_to_zh_cn_shows_chinese_texts(qtbot, chinese, make_window, file_submission, select_and_load):
    assert chinese, "no translator installed for zh_CN"
    file_submission(label="Notes", due_in=-timedelta(minutes=90))
    window = make_window(expect_rows=1)
    panel = window.decision_panel
    assert panel.approve_button.text() == "通过(&A)"
    assert panel.reject_button.text() == "驳回(&R)…"
    assert panel.escalate_button.text() == "上报(&E)…"
    assert CJK.search(window.window_actions.import_action.text())
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "剩余时间"
    assert CJK.search(panel.reason_model.data(panel.reason_model.index(0, 0)))
    select_and_load(window, 0)
    qtbot.waitUntil(lambda: window.model.queue_row(0) is not None)
    time_left = window.model.data(window.model.index(0, 0))
    assert time_left.startswith(("-1小时30分", "-1小时29分"))
    qtbot.waitUntil(lambda: window.overdue_label.text() == "超时：1", timeout=10_000)
    assert "已超时" in window.sla_label.text()
    qtbot.waitUntil(lambda: window.connection_label.text() == "在线", timeout=10_000)
    assert window.show_conflicts().windowTitle() == "结论冲突"


def test_the_gui_knows_every_apk_warning_by_its_exact_english_text():
    from reviewer_app.apk.warnings import TEMPLATES
    from reviewer_app.ui.text import WARNING_TEXTS

    assert WARNING_TEXTS == TEMPLATES


def test_every_red_flag_is_said_in_the_reviewers_language(qapp, chinese):
    from reviewer_app.review import RedFlag
    from reviewer_app.review.flags import TEXTS, WARNING_SEVERITY
    from reviewer_app.ui.text import FLAG_TEXTS, WARNING_TEXTS, flag_text

    assert FLAG_TEXTS == TEXTS  # the GUI's copy for lupdate is the domain's English
    assert set(WARNING_SEVERITY) <= set(WARNING_TEXTS)  # a flag from a warning is said like the warning
    changed = flag_text(RedFlag("version_not_higher", 1, "update", {"old": "7", "new": "5"}))
    assert changed == "版本号 5 不高于上次通过的 7"
    janus = flag_text(RedFlag("janus_v1_only", 1, "facts", {"first": "5.0", "last": "7.0"}))
    assert CJK.search(janus) and "5.0" in janus and "7.0" in janus


def test_apk_warnings_are_shown_in_chinese_with_their_values(
    qtbot, chinese, make_window, file_submission, demo_facts, select_and_load
):
    facts = demo_facts["com.example.legacy_9.apk"]
    janus = next(text for text, coded in facts.warning_codes.items() if coded["code"] == "janus_v1_only")
    file_submission(apk="com.example.legacy_9.apk")
    window = make_window(expect_rows=1)
    select_and_load(window, 0)
    shown = window.facts_panel.warnings_label.text()
    first, last = facts.warning_codes[janus]["params"]["first"], facts.warning_codes[janus]["params"]["last"]
    assert f"在 Android {first}-{last} 上易受 Janus 漏洞" in shown
    assert janus not in shown


def test_a_file_that_cannot_be_imported_is_named_with_the_reason_in_chinese(qtbot, chinese, make_window, tmp_path):
    bogus = tmp_path / "bogus.apk"
    bogus.write_bytes(b"not an apk at all")
    window = make_window(expect_rows=0)
    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000) as finished:
        window.import_files([str(bogus)], kind="new", developer="Acme Apps")
    assert finished.args[1:] == [0, 1]
    assert any("bogus.apk" in line and "不是 zip 归档" in line for line in window.log_lines()), window.log_lines()


def test_a_warning_whose_translation_does_not_fit_is_shown_in_english(chinese):
    from reviewer_app.ui.text import warning_text

    english = "launcher icon res/x.png is missing from the archive"
    assert CJK.search(warning_text(english, {"code": "icon_missing", "params": {"path": "res/x.png"}}))
    assert warning_text(english, {"code": "icon_missing", "params": {}}) == english  # a parameter is missing
    assert warning_text(english, {"code": "no_such_code", "params": {}}) == english
    assert warning_text(english, None) == english


def test_lang_environment_variable_picks_the_language(qapp, monkeypatch):
    monkeypatch.setenv("REVIEWER_APP_LANG", "zh_CN")
    previous = QLocale()
    installed = install_translators(qapp)
    try:
        assert installed
        assert QCoreApplication.translate("WindowActions", "&Refresh") == "刷新(&R)"
    finally:
        remove_translators(qapp, installed)
        QLocale.setDefault(previous)
    monkeypatch.setenv("REVIEWER_APP_LANG", "en")
    installed = install_translators(qapp)
    try:
        assert installed == []
        assert QCoreApplication.translate("WindowActions", "&Refresh") == "&Refresh"
    finally:
        remove_translators(qapp, installed)
        QLocale.setDefault(previous)
