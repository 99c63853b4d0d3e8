"""Importing APK files: asked for (menu, Ctrl+O, or dropped on the window), parsed in the background by
capped worker processes, filed on the database worker, one line in the activity log per bad file.

The parsing thread also runs the code comparisons of the detail loader; results for ids this controller
did not start are not its business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from reviewer_app.review.imports import ImportProgress, short_name
from reviewer_app.review.session import one_line
from reviewer_app.ui.import_dialog import ImportDialog
from reviewer_app.ui.jobs import DbJobs, ParsedFile, ParseJobs
from reviewer_app.ui.text import warning_text


def apk_paths(mime: QMimeData) -> list[str]:
    """The local .apk files among what is dragged."""
    if not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile().lower().endswith(".apk")]


@dataclass
class _Import:
    progress: ImportProgress
    kind: str
    developer: str
    tier: int | None
    paths: list[str]
    seen: set[int] = field(default_factory=set)


class ImportController(QObject):
    sig_log = Signal(str, bool)  # line, is an error
    sig_message = Signal(str, int)  # status bar message, milliseconds
    sig_progress = Signal(int, int, int)  # done, parsed, total (0 total: nothing running)
    sig_finished = Signal(int, int, int)  # import id, filed, failed

    def __init__(self, jobs: DbJobs, parser: ParseJobs, window: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.jobs = jobs
        self.parser = parser
        self.window = window
        self.settings = settings
        self._imports: dict[int, _Import] = {}
        self._last_developer = ""
        parser.sig_parsed.connect(self._on_parsed)
        parser.sig_finished.connect(self._on_parse_finished)
        window.setAcceptDrops(True)
        window.installEventFilter(self)  # APK files dropped anywhere on the window are imported

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is not self.window or kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return super().eventFilter(watched, event)
        assert isinstance(event, QDropEvent)  # drag-enter and drag-move events are drop events too
        paths = apk_paths(event.mimeData())
        if not paths:
            event.ignore()
            return True
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            # Ask after the drop has finished, so the source application is not kept waiting.
            QTimer.singleShot(0, lambda: self.ask(paths))
        return True

    @property
    def importing(self) -> bool:
        return bool(self._imports)

    def choose_files(self) -> None:
        start = str(self.settings.value("import/lastDir", str(Path.home())))
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, self.tr("Import APK files"), start, self.tr("Android packages (*.apk);;All files (*)")
        )
        if paths:
            self.settings.setValue("import/lastDir", str(Path(paths[0]).parent))
            self.ask(paths)

    def ask(self, paths: Sequence[str]) -> ImportDialog:
        """Ask kind, developer and tier (a window-modal dialog that does not block), then import."""
        dialog = ImportDialog([str(p) for p in paths], self.window, developer=self._last_developer)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.start(dialog.paths, kind=dialog.kind, developer=dialog.developer, tier=dialog.tier)
        )
        dialog.open()
        return dialog

    def start(self, paths: Sequence[str], *, kind: str, developer: str, tier: int | None = None) -> int:
        """Parse in the background, file each good APK on the database worker; returns the import id."""
        paths = [str(p) for p in paths]
        self._last_developer = developer
        import_id = self.parser.start(paths)
        self._imports[import_id] = _Import(ImportProgress(total=len(paths)), kind, developer, tier, paths)
        self.sig_log.emit(self.tr("Importing %n file(s) for %1…", "", len(paths)).replace("%1", developer), False)
        self._report_progress()
        return import_id

    def cancel(self) -> None:
        for import_id in list(self._imports):
            self.parser.cancel(import_id)
        self.sig_message.emit(self.tr("Cancelling the import…"), 4000)

    # -- parsing and filing ------------------------------------------------------------------------

    def _on_parsed(self, import_id: int, batch: list[ParsedFile]) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        good: list[ParsedFile] = []
        for parsed in batch:
            job.seen.add(parsed.index)
            job.progress.parsed += 1
            facts = parsed.facts
            if facts is not None and getattr(facts, "ok", False):
                good.append(parsed)
            else:
                error = getattr(facts, "error", None)
                reason = warning_text(error, getattr(facts, "error_code", None)) if error else ""
                self._failure(job.progress, parsed.path, reason or self.tr("not a readable APK"))
        if good:
            job.progress.filing += len(good)
            kind, developer, tier = job.kind, job.developer, job.tier

            def file_all(service: Any, good: list[ParsedFile] = good) -> list[Any]:
                return [service.submit_facts(p.facts, p.path, kind=kind, developer=developer, tier=tier) for p in good]

            self.jobs.run(
                file_all,
                on_success=partial(self._on_filed, import_id, good),
                on_failure=partial(self._on_file_failed, import_id, good),
                label="file submissions",
            )
        self._report_progress()

    def _failure(self, progress: ImportProgress, path: str, error: str) -> None:
        progress.fail(path, error)
        name, reason = progress.failures[-1]
        text = self.tr("%1: not imported: %2").replace("%1", name).replace("%2", reason or self.tr("unknown error"))
        self.sig_log.emit(text, True)

    def _on_filed(self, import_id: int, good: list[ParsedFile], outcomes: list[Any]) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        job.progress.filing -= len(good)
        for parsed, outcome in zip(good, outcomes, strict=True):
            if outcome.ok:
                job.progress.filed += 1
                job.progress.filed_ids.append(outcome.submission_id)
                facts = parsed.facts
                name = facts.label or facts.package or short_name(parsed.path)
                text = (
                    self.tr("Filed %1 as submission %2").replace("%1", name).replace("%2", str(outcome.submission_id))
                )
                self.sig_log.emit(text, False)
            else:
                self._failure(job.progress, parsed.path, outcome.error or "")
        self._report_progress()
        self._finish_if_done(import_id)

    def _on_file_failed(self, import_id: int, good: list[ParsedFile], exc: BaseException) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        job.progress.filing -= len(good)
        for parsed in good:
            self._failure(job.progress, parsed.path, one_line(exc))
        self._report_progress()
        self._finish_if_done(import_id)

    def _on_parse_finished(self, import_id: int, error: str) -> None:
        job = self._imports.get(import_id)
        if job is None:
            return
        job.progress.parse_done = True
        for index, path in enumerate(job.paths):
            if index not in job.seen:
                self._failure(job.progress, path, error or self.tr("cancelled"))
        self._report_progress()
        self._finish_if_done(import_id)

    def _finish_if_done(self, import_id: int) -> None:
        job = self._imports.get(import_id)
        if job is None or not job.progress.finished:
            return
        del self._imports[import_id]
        progress = job.progress
        text = (
            self.tr("Import finished: %1 of %2 filed, %3 failed.")
            .replace("%1", str(progress.filed))
            .replace("%2", str(progress.total))
            .replace("%3", str(progress.failed))
        )
        self.sig_log.emit(text, bool(progress.failed))
        self.sig_message.emit(text, 15000)
        self._report_progress()
        self.sig_finished.emit(import_id, progress.filed, progress.failed)

    def _report_progress(self) -> None:
        jobs = self._imports.values()
        total = sum(job.progress.total for job in jobs)
        parsed = sum(job.progress.parsed for job in jobs)
        done = sum(job.progress.done for job in jobs)
        self.sig_progress.emit(done, parsed, total)
