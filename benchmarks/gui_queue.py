"""The queue with 100,000 items: opening it and scrolling it end to end, frame by frame.

    python benchmarks/gui_queue.py [--items 100000] [--backend folder|server]

Offscreen. The process's first window (on a queue of 10 items) is built and painted first: Qt's
and PySide's one-time setup, the same whatever the queue, is said apart. A frame is the GUI
thread's work between two turns of its event loop: a 1 ms timer on the GUI thread records when
it gets to run, and the gaps between its ticks are the frames a user would see stall. Measured:
opening the queue page (window built, shown, painted, the queue's ids arriving), then scrolling
the table from the first row to the last a page at a time, each page painted (as holding Page
Down does), then dragging the scroll bar to the end and back in 50 steps. Prints the longest
frame and the 99th percentile of each phase.
"""

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.desk import Desk  # noqa: E402
from app.ui.app import collect_in_the_gui_thread  # noqa: E402
from app.ui.queue_page import QueuePage  # noqa: E402
from app.workspace.db import transaction  # noqa: E402

PASSWORD = "benchmark-password"


class Frames:
    """Gaps between the ticks of a 1 ms timer on the GUI thread: the frames."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def take(self, extra: float = 0.0) -> list[float]:
        """The gaps so far (with a block measured outside the loop), and start again."""
        gaps = [*self.gaps, extra] if extra else self.gaps
        self.gaps, self._last = [], time.perf_counter()
        return gaps


def seed(desk: Desk, items: int) -> None:
    """`items` unknown pictures in one report, written in bulk as the item store would (a
    benchmark's shortcut: importing 100,000 files would take most of an hour)."""
    ws = desk._ws
    sealer = ws.sealer
    with transaction(ws.db):
        report = ws.items.report_or_new("BULK", "public", None, "", desk.user.name)[0].id
        md5, sha1 = sealer.seal("items.md5", ""), sealer.seal("items.sha1", "")
        ws.db.executemany(
            "INSERT INTO items (sha256, sha256_key, md5, md5_key, sha1, sha1_key, kind, mime, "
            "size, status, first_report, created, state) VALUES (?, ?, ?, '', ?, '', 'image', "
            "'image/jpeg', 250000, 'unknown', ?, '2026-11-29T00:00:00.000000Z', 'round1')",
            ([sealer.seal("items.sha256", f"{i:064x}"), os.urandom(16), md5, sha1, report]
             for i in range(items)))


def pump(app: QApplication, until: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.perf_counter() + seconds
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def report(label: str, gaps: list[float]) -> None:
    if any(g > 0.05 for g in gaps):
        print("    frames over 50 ms, in order:",
              ", ".join(f"#{i} {g * 1e3:.0f} ms" for i, g in enumerate(gaps) if g > 0.05))
    ms = sorted(g * 1000 for g in gaps)
    p99 = ms[int(0.99 * (len(ms) - 1))] if ms else 0
    over = sum(1 for g in ms if g > 50)
    print(f"  {label:34s} {len(ms):6d} frames, longest {ms[-1]:6.1f} ms, p99 {p99:5.1f} ms, "
          f"median {statistics.median(ms):4.1f} ms, over 50 ms: {over}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_in_the_gui_thread(app)  # as the window does: the collector's pauses count too
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        with Desk.create(root, "admin", PASSWORD) as admin:
            admin.add_user("anna", "analyst", PASSWORD)
        desk = Desk.open(root, "anna", PASSWORD)
        seed(desk, args.items)
        print(f"a queue of {args.items:,} items, offscreen")
        small_root = Path(tmp) / "small"
        with Desk.create(small_root, "admin", PASSWORD) as admin:
            admin.add_user("anna", "analyst", PASSWORD)
        small = Desk.open(small_root, "anna", PASSWORD)
        seed(small, 10)
        start = time.perf_counter()
        first = QueuePage(small, "Queue")  # the process's first window, on a queue of 10:
        first.resize(1400, 900)            # Qt's fonts and styles, PySide's enum classes
        first.show()                       # built on first use; the same whatever the queue
        first.refresh()
        pump(app, lambda: first.current_item() is not None)
        app.processEvents()
        print(f"  the first window of the process, on a queue of 10 items: "
              f"{(time.perf_counter() - start) * 1e3:.0f} ms (one-time setup, not counted)")
        first.close()
        first.deleteLater()
        app.processEvents()
        small.close()
        frames = Frames()
        start = time.perf_counter()
        page = QueuePage(desk, "Queue")
        page.resize(1400, 900)
        page.show()
        page.refresh()
        built = time.perf_counter() - start
        pump(app, lambda: page.model.rowCount() >= args.items and page.current_item() is not None)
        opened = time.perf_counter() - start
        report(f"opening (built in {built * 1e3:.0f} ms, full in {opened:.2f} s)",
               frames.take(built))

        bar = page.table.verticalScrollBar()
        steps = 0
        start = time.perf_counter()
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            page.table.viewport().repaint()
            app.processEvents()
            steps += 1
        report(f"page by page ({steps} pages, {time.perf_counter() - start:.1f} s)",
               frames.take())

        start = time.perf_counter()
        for target in [*range(51), *range(50, -1, -1)]:
            bar.setValue(bar.maximum() * target // 50)
            page.table.viewport().repaint()
            app.processEvents()
        report(f"dragging the bar ({time.perf_counter() - start:.1f} s)", frames.take())
        start = time.perf_counter()
        gc.collect()
        print(f"  a full collection of the heap now takes {(time.perf_counter() - start) * 1e3:.1f}"
              " ms (the window runs one every few seconds)")
        page.close()
        page.deleteLater()
        app.processEvents()
        desk.close()
    os._exit(0)  # Qt's objects outlive the interpreter's teardown otherwise


if __name__ == "__main__":
    main()
