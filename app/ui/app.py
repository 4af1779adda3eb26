"""Start the desktop application."""

import gc
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from app.desk import Desk
from app.errors import HotlineError
from app.ui import workers
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow, apply_style

GC_SECONDS = 5


def icon() -> QIcon:
    pixmap = QPixmap()
    pixmap.loadFromData((resources.files("resources") / "icons" / "hotline.png").read_bytes())
    return QIcon(pixmap)


def collect_in_the_gui_thread(app: QObject) -> None:
    """Python's cycle collector runs in whichever thread happens to allocate; a Qt widget it
    destroys from a background worker crashes the process. So, as Anki does, automatic
    collection is off and the GUI thread collects every few seconds. What exists before the
    window (the modules, Qt's bindings) is frozen out of those passes: it is never garbage,
    and walking it took 66 ms a pass, a stalled frame every few seconds."""
    gc.disable()
    gc.collect()
    gc.freeze()
    timer = QTimer(app, interval=GC_SECONDS * 1000)
    timer.timeout.connect(gc.collect)
    timer.start()


def run(workspace: Path | str, user: str | None = None, desk: Desk | None = None) -> int:
    """Open the window: with a Desk already open (the demo), with --user and HOTLINE_PASSWORD
    (automation, screenshots), or after the login dialog."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_in_the_gui_thread(app)
    apply_style(app)  # type: ignore[arg-type]
    app.setWindowIcon(icon())  # type: ignore[attr-defined]
    if desk is None and user and os.environ.get("HOTLINE_PASSWORD") is not None:
        try:
            desk = Desk.open(workspace, user, os.environ["HOTLINE_PASSWORD"])
        except HotlineError as exc:
            print(f"hotline: {exc}", file=sys.stderr)
            return 1
    signed_out_before, message = False, ""
    while True:
        if desk is None:
            dialog = LoginDialog(workspace, user or "", message=message)
            if not dialog.exec() or dialog.desk is None:
                return 0 if signed_out_before else 1
            desk = dialog.desk
        window = MainWindow(desk)
        window.show()
        if desk.warnings:  # a log behind or beside what this workstation saw: said loudly
            QMessageBox.warning(window, "The workspace was changed behind your back",
                                "\n\n".join(desk.warnings)
                                + "\n\nThis was written to the audit log. Tell your admin.")
        try:
            status = app.exec()
        finally:
            workers.board().finish()
            desk.close()
        if not window.signing_out:
            return status
        # signed out: the same program asks who is next, in the same workspace
        workspace, desk, user, signed_out_before = desk.location, None, None, True
        message = window.ended_because
