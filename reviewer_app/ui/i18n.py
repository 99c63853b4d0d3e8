"""Where the shipped resources are, and the translators for the reviewer's language."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from reviewer_app.config import resources_dir

LANG_ENV = "REVIEWER_APP_LANG"
CATALOG = "reviewer_app"
PLURALS = "reviewer_app_plurals_en"  # English plural forms of the %n messages ("1 decision", "2 decisions")


def translations_dir() -> Path:
    return resources_dir() / "translations"


def wanted_locale(lang: str | None = None) -> QLocale:
    """`lang`, else $REVIEWER_APP_LANG (zh_CN, en...), else the system locale."""
    lang = lang or os.environ.get(LANG_ENV) or ""
    return QLocale(lang) if lang else QLocale.system()


def install_translators(app: QCoreApplication, lang: str | None = None) -> list[QTranslator]:
    """Install this app's catalog and Qt's own (standard buttons) for the wanted language.

    Returns the translators installed (parented to the app, so they live as long as it does). English,
    or a language without a catalog, installs none and the source texts show.
    """
    locale = wanted_locale(lang)
    QLocale.setDefault(locale)
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(locale, CATALOG, "_", str(translations_dir())):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        ours.deleteLater()
    if installed:  # Qt's own strings only where we translate ours, so the window is in one language
        qt = QTranslator(app)
        if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            installed.append(qt)
        else:
            qt.deleteLater()
    return installed


def install_plural_forms(app: QCoreApplication) -> QTranslator | None:
    """The English plural forms, installed once per application whatever the language: messages with %n
    are written once ("%n decision(s)"), and English needs a catalog to say them right. A language's own
    catalog, installed after it, is asked first."""
    if app.property("reviewer_app_plurals"):
        return None
    plurals = QTranslator(app)
    if not plurals.load(PLURALS, str(translations_dir())):
        plurals.deleteLater()
        return None
    app.installTranslator(plurals)
    app.setProperty("reviewer_app_plurals", True)
    return plurals


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()
