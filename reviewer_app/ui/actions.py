"""The window's menus, toolbar and help boxes. Single-letter keys (A, R, E, J, K) belong to the queue
table only, so that typing a message never decides anything; the menus show them after a tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from reviewer_app.review import KINDS
from reviewer_app.ui.text import kind_name


class WindowActions(QObject):
    """Builds the menu bar and the toolbar of `window`, whose slots they call."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.import_action = self._action(
            self.tr("&Import APKs…"), window.imports.choose_files, QKeySequence.StandardKey.Open
        )
        self.import_action.setStatusTip(self.tr("Parse APK files in the background and file them as submissions"))
        self.refresh_action = self._action(self.tr("&Refresh"), window.refresh, QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setStatusTip(self.tr("Load the queue again"))
        self.quit_action = self._action(self.tr("&Quit"), window.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        review_menu = bar.addMenu(self.tr("Re&view"))
        self.next_action = self._action(self.tr("Get &next"), window.get_next, QKeySequence("Ctrl+N"))
        self.next_action.setToolTip(self.tr("Claim the most urgent submission and show it (Ctrl+N)"))
        review_menu.addAction(self.next_action)
        review_menu.addSeparator()
        panel = window.decision_panel
        review_menu.addAction(self.tr("&Approve selected") + "\tA").triggered.connect(panel.approve)
        review_menu.addAction(self.tr("&Reject selected…") + "\tR").triggered.connect(panel.begin_reject)
        review_menu.addAction(self.tr("&Escalate selected…") + "\tE").triggered.connect(panel.begin_escalate)
        review_menu.addSeparator()
        self.undo_action = self._action(self.tr("&Undo last decision"), window.undo, QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        review_menu.addAction(self.undo_action)

        view_menu = bar.addMenu(self.tr("Vie&w"))
        self.toolbar = window.addToolBar(self.tr("Main toolbar"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.next_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.refresh_action)
        self.toolbar.addAction(self.import_action)
        view_menu.addAction(self.toolbar.toggleViewAction())
        self.log_action = window.log_dock.toggleViewAction()
        self.log_action.setText(self.tr("&Activity log"))
        view_menu.addAction(self.log_action)
        view_menu.addSeparator()
        kinds_menu = view_menu.addMenu(self.tr("Show &kinds"))
        self.kind_actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = kinds_menu.addAction(kind_name(kind))
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(window.on_kinds_changed)
            self.kind_actions[kind] = action
        self.conflicts_action = view_menu.addAction(self.tr("Decision &conflicts…"))
        self.conflicts_action.triggered.connect(window.show_conflicts)
        view_menu.addSeparator()
        view_menu.addAction(self.tr("Reset &layout")).triggered.connect(window.reset_layout)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts")).triggered.connect(self.show_shortcuts)
        about = help_menu.addAction(self.tr("&About"))
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def checked_kinds(self) -> list[str] | None:
        """The kinds the queue shows; None for all of them."""
        kinds = [kind for kind, action in self.kind_actions.items() if action.isChecked()]
        return kinds if len(kinds) != len(KINDS) else None

    def _box(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(self.window)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        return box

    def show_shortcuts(self) -> QMessageBox:
        return self._box(
            self.tr("Keyboard shortcuts"),
            self.tr(
                "In the queue:\n"
                "A  approve the selected submission (asks first when it has red flags)\n"
                "R  reject: tick reasons (Space), write a message, Ctrl+Enter\n"
                "E  escalate: optional note, Ctrl+Enter\n"
                "J / K or Down / Up  next / previous submission\n"
                "Esc  leave the form, back to the queue\n\n"
                "Ctrl+Z  undo the last decision (until it is sent)\n"
                "Ctrl+N  get the most urgent submission\n"
                "Ctrl+O  import APK files\n"
                "F5  refresh the queue"
            ),
        )

    def show_about(self) -> QMessageBox:
        from reviewer_app import __version__

        text = self.tr(
            "Reviewer workstation %1\nEvidence side by side; decisions to the shared review database."
        ).replace("%1", __version__)
        return self._box(self.tr("About"), text)
