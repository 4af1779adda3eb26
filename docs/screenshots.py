"""Take the README's screenshots of the demo (synthetic content only) in a real window.

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 python docs/screenshots.py

Driven by timers inside the event loop (QApplication.processEvents() in a loop crashes
PySide6 6.12 on Python 3.11)."""

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.demo.build import PASSWORD, build
from app.desk import Desk
from app.ui.admin_pages import SettingDialog
from app.ui.main_window import MainWindow, apply_style

DOCS = Path(__file__).resolve().parent


def settle_workflow(workspace: Path) -> None:
    """Three pairs of eyes on every human item, machine verdicts confirmed: notices can be
    built (the same steps a user takes in the window)."""
    people = {n: Desk.open(workspace, n, PASSWORD) for n in ("anna", "sam", "sofia")}
    try:
        for who in ("anna", "sam", "sofia"):
            for item in people[who].queue_ids():
                row = people[who].queue_row(item)
                if row.state != "machine":
                    people[who].assess(item, "national" if item % 3 else "not_illegal")
        people["sam"].confirm(report="DEMO-1")
    finally:
        for desk in people.values():
            desk.close()


def main() -> None:
    app = QApplication(sys.argv)
    apply_style(app)
    demo = build(Path(tempfile.mkdtemp()) / "ws")
    demo.site.stop()
    anna = MainWindow(Desk.open(demo.workspace, "anna", PASSWORD))
    anna.resize(1400, 900)
    anna.show()
    queue = anna.queue
    steps: list[Callable[[], object]] = []

    def shot(widget: QWidget, name: str) -> Callable[[], None]:
        return lambda: widget.grab().save(str(DOCS / name))

    def go(window: MainWindow, page: str) -> Callable[[], None]:
        return lambda: window.nav.setCurrentRow(list(window.pages).index(page))

    video_row = next(r for r in range(queue.model.rowCount())
                     if queue.desk.queue_row(queue.model.item_id(r)).kind == "video")
    steps += [lambda: queue.select(0), shot(anna, "queue-blurred.png"),
              queue.viewer.reveal, shot(anna, "queue-revealed.png"),
              queue.viewer.conceal, lambda: queue.select(video_row),
              lambda: None, lambda: queue.strip.step(2),
              shot(anna, "queue-video.png"),
              go(anna, "New report"), shot(anna, "new-report.png"),
              go(anna, "Lists"), shot(anna, "lists.png"),
              go(anna, "Audit"), shot(anna, "audit.png")]
    later: dict[str, MainWindow] = {}

    def admin_window() -> None:
        anna.close()
        later["admin"] = MainWindow(Desk.open(demo.workspace, "admin", PASSWORD))
        later["admin"].resize(1400, 900)
        later["admin"].show()
        go(later["admin"], "Users")()

    def settings_dialog() -> None:
        window = later["admin"]
        go(window, "Settings")()
        view = next(s for s in window.desk.settings() if s.key == "pdq.threshold")
        dialog = SettingDialog(view, window)
        dialog.show()
        later["dialog"] = dialog  # type: ignore[assignment]

    def supervisor_window() -> None:
        later["dialog"].close()
        later["admin"].close()
        settle_workflow(demo.workspace)
        later["sam"] = MainWindow(Desk.open(demo.workspace, "sam", PASSWORD))
        later["sam"].resize(1400, 900)
        later["sam"].show()
        go(later["sam"], "Notices")()
        later["sam"].pages["Notices"].build()

    def preview() -> None:
        page = later["sam"].pages["Notices"]
        page.view.selectRow(0)
        dialog = page.preview()
        if dialog is not None:
            dialog.resize(900, 860)
            dialog.show()
            later["preview"] = dialog  # type: ignore[assignment]

    steps += [admin_window, lambda: shot(later["admin"], "users.png")(),
              settings_dialog,
              lambda: later["dialog"].grab().save(str(DOCS / "settings-dialog.png")),
              supervisor_window, lambda: shot(later["sam"], "notices.png")(),
              preview,
              lambda: later["preview"].grab().save(str(DOCS / "letter-preview.png")),
              lambda: later["preview"].close()]

    def stats() -> None:
        go(later["sam"], "Statistics")()

    steps += [stats, lambda: shot(later["sam"], "statistics.png")(),
              app.quit]

    def run(i: int = 0) -> None:
        steps[i]()
        if i + 1 < len(steps):
            QTimer.singleShot(1500, lambda: run(i + 1))

    QTimer.singleShot(500, run)
    app.exec()


if __name__ == "__main__":
    main()
