"""The main window: navigation on the left, one screen at a time, a status bar with who is
working, where, today's exposure and background jobs."""

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.desk import Capability, Desk
from app.errors import AuthError, HotlineError
from app.ui import theme, workers
from app.ui.admin_pages import SettingsPage, UsersPage
from app.ui.change_watch import ChangeWatch
from app.ui.import_page import ImportPage
from app.ui.lock import IdleWatcher
from app.ui.lock_screen import LockScreen
from app.ui.pages import AuditPage, ListsPage, ReportsPage
from app.ui.queue_page import QueuePage
from app.ui.takedown_pages import NoticesPage, ProvidersPage, StatsPage


class MainWindow(QMainWindow):
    signed_out = Signal()  # the user signed out: the login comes back, the program goes on

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.signing_out = False
        self.ended_because = ""  # set when the session was ended for the user (reset, disabled)
        self.setWindowTitle(f"Hotline Triage - {Path(desk.where).name or desk.where}")
        self.nav = QListWidget()
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        supervisor = desk.may(Capability.SUPERVISE)
        if desk.may(Capability.REVIEW):
            title = "Reviews: rounds 2 and 3, disputes" if supervisor else \
                "Queue: unknown first, then near, then known"
            self.queue = QueuePage(desk, title)
            self.queue.exposure.connect(self._exposure)
            self.queue.changed.connect(self._update_status)
            self._add("Reviews" if supervisor else "Queue", self.queue)
            self.importer = ImportPage(desk)
            self.importer.imported.connect(lambda _: self._refresh_all())
            self.importer.arrived.connect(self.queue.refresh_live)
            changes = desk.changes()  # other workstations' work (a team's server)
            self._watch = ChangeWatch(changes, self) if changes else None
            if self._watch is not None:
                self._watch.changed.connect(self.queue.heard_of_changes)
                self._watch.start()
            self._add("New report", self.importer)
        reports = ReportsPage(desk)
        reports.opened.connect(self.show_report)
        self._add("Reports", reports)
        if supervisor:
            self._add("Notices", NoticesPage(desk))
        if desk.may(Capability.PROVIDERS):
            self._add("Providers", ProvidersPage(desk))
        self._add("Lists", ListsPage(desk))
        self._add("Statistics", StatsPage(desk))
        self._add("Audit", AuditPage(desk))
        if desk.may(Capability.ADMINISTER):
            self._add("Users", UsersPage(desk))
            self._add("Settings", SettingsPage(desk))
        self.nav.currentRowChanged.connect(self._switch)
        work = QWidget()
        layout = QHBoxLayout(work)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        # Locked, the work area is taken out of the window, not blurred: nothing of an item
        # (picture, URL, hashes) stays on screen behind the password field.
        self.lock_screen = LockScreen(desk.user.name)
        self.lock_screen.unlock_requested.connect(self._try_unlock)
        self.lock_screen.quit_requested.connect(self.close)
        self.central = QStackedWidget()
        self.central.addWidget(work)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)
        self.who = QLabel()
        self.exposure_label = QLabel()
        self.jobs_label = QLabel()
        self.statusBar().addWidget(self.who)
        self.statusBar().addPermanentWidget(self.jobs_label)
        self.statusBar().addPermanentWidget(self.exposure_label)
        workers.board().changed.connect(self._jobs)
        self._jobs(workers.board().names())
        self._menus()
        settings = {s.key: s.value for s in desk.settings()}
        self.break_after = settings["welfare.break_minutes"] * 60
        self._break_shown = False
        self.idle = IdleWatcher(settings["session.idle_lock_minutes"], self)
        self.idle.idle.connect(self.lock)
        self.destroyed.connect(self.idle.stop)
        self._update_status()
        self._refresh_all()
        self.nav.setCurrentRow(0)
        self.resize(1380, 860)

    def _add(self, name: str, page: QWidget) -> None:
        self.pages[name] = page
        self.nav.addItem(name)
        self.stack.addWidget(page)

    def _menus(self) -> None:
        bar = self.menuBar()
        go = bar.addMenu("&Go")
        for i, name in enumerate(self.pages):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            go.addAction(action)
        session = bar.addMenu("&Session")
        lock = QAction("&Lock now", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        session.addAction(lock)
        sign_out = QAction("Sign &out (switch user)", self)
        sign_out.setShortcut(QKeySequence("Ctrl+Shift+L"))
        sign_out.triggered.connect(self.sign_out)
        session.addAction(sign_out)
        themes = session.addMenu("&Theme")
        for choice in theme.CHOICES:
            action = QAction(choice.capitalize() if choice != "system" else
                             "Follow the system", self, checkable=True)
            action.setChecked(choice == theme.saved())
            action.triggered.connect(lambda _=False, c=choice: self._theme(c))
            themes.addAction(action)
        self._theme_actions = themes.actions()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        session.addAction(quit_action)
        if hasattr(self, "queue"):
            menus = {"Assess": bar.addMenu("&Assess"), "View": bar.addMenu("&View")}
            for binding in self.queue.keys:  # the queue's own key map: one list for both
                action = QAction(f"{binding.text}\t{binding.label}", self)
                action.triggered.connect(binding.slot)
                menus[binding.menu].addAction(action)

    def show_report(self, reference: str) -> None:
        """A report's items in the queue (or reviews): the report filter set to it."""
        if not hasattr(self, "queue"):
            return
        self.nav.setCurrentRow(list(self.pages.values()).index(self.queue))
        self.queue.report_filter.setText(reference)
        self.queue.refresh()
        self.queue.table.setFocus()

    def _switch(self, row: int) -> None:
        if hasattr(self, "queue"):
            self.queue.blur()
            self.queue.strip.stop()
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        refresh = getattr(page, "refresh", None)
        if refresh is not None and page is not getattr(self, "queue", None):
            refresh()
        self._focus_page()

    def _focus_page(self) -> None:
        """The keyboard goes where the keys work: on the queue, its table (J, B, N, X, Space
        work at once after login and after every switch)."""
        page = self.stack.currentWidget()
        if page is getattr(self, "queue", None):
            self.queue.table.setFocus()
        elif page is not None:
            page.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._focus_page()

    def _refresh_all(self) -> None:
        for page in self.pages.values():
            if hasattr(page, "refresh"):
                page.refresh()
        self._update_status()

    def _jobs(self, names: list[str]) -> None:
        self.jobs_label.setText(("Background: " + ", ".join(names)) if names else
                                "No background work")

    def _update_status(self) -> None:
        u = self.desk.user
        self.who.setText(f"{u.name} ({u.role.value}) - workspace {self.desk.where}")
        self._exposure(self.desk.exposure_today())

    def _exposure(self, e: object) -> None:
        seconds = getattr(e, "seconds", 0.0)
        views = getattr(e, "views", 0)
        self.exposure_label.setText(f"Today: {views} unblurred views, {seconds / 60:.1f} min")
        if seconds >= self.break_after and not self._break_shown:
            self._break_shown = True
            QMessageBox.information(
                self, "Time for a break",
                f"You have looked at unblurred content for {seconds / 60:.0f} minutes today. "
                "Step away for a few minutes; the queue will wait.")

    # ------------------------------------------------------------ idle lock

    @property
    def is_locked(self) -> bool:
        return self.central.currentWidget() is self.lock_screen

    def lock(self) -> None:
        if self.is_locked:
            return
        if hasattr(self, "queue"):
            self.queue.blur()
            self.queue.strip.stop()
            self.queue.hide_content()
        self.idle.locked = True
        self.menuBar().setEnabled(False)
        self.central.setCurrentWidget(self.lock_screen)
        self.lock_screen.start()
        try:
            self.desk.lock()
        except HotlineError as exc:
            self.lock_screen.error.setText(str(exc))

    def _try_unlock(self, password: str) -> None:
        try:
            unlocked = self.desk.unlock(password)
        except AuthError as exc:
            # disabled, or the password was reset (new keys): this session cannot go on
            self.ended_because = str(exc)
            self.sign_out()
            return
        except HotlineError as exc:
            self.lock_screen.error.setText(str(exc))
            return
        if not unlocked:
            self.lock_screen.refused()
            return
        self.central.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.idle.unlocked()
        if hasattr(self, "queue"):
            self.queue.refresh()
        self._focus_page()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """Another window came to the front: blur (a held Space's release would never come)."""
        if (event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow()
                and hasattr(self, "queue")):
            self.queue.blur(key_still_down=False)
        super().changeEvent(event)

    def _theme(self, choice: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, choice)
        for action, name in zip(self._theme_actions, theme.CHOICES, strict=True):
            action.setChecked(name == choice)

    def sign_out(self) -> None:
        """Close this session (the window) without quitting: the login asks who is next."""
        self.signing_out = True
        if not self.close():
            self.signing_out = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        running = workers.board().names()
        if running and not self.is_locked:
            answer = QMessageBox.question(
                self, "Hotline Triage",
                f"Still running: {', '.join(running)}.\nStop it and "
                + ("sign out" if self.signing_out else "quit")
                + "? (An import stopped now resumes when you import the same report again.)")
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if hasattr(self, "queue"):
            self.queue.blur()
            self.queue.strip.stop()
            if self._watch is not None:
                self._watch.stop()
        self.idle.stop()
        super().closeEvent(event)
        if self.signing_out:
            self.signed_out.emit()


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 8px; }")
    app.setApplicationName("Hotline Triage")
    app.setOrganizationName("hotline-triage")
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    theme.apply(app)
