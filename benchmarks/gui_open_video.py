"""Opening a 200 MB video item in the queue: does the window stay responsive?

A timer ticks every 5 ms on the GUI thread while the queue opens the item and its keyframe
strip loads; the longest gap between ticks is the longest the window was frozen. Measured in
one run both ways: as the queue does it now (the decoding worker reads the content, decrypted
into one buffer 4 MB at a time, and decodes from it without copying) and as it did before
(the whole blob read and decrypted on the GUI thread when the item is opened).

    python benchmarks/gui_open_video.py [--megabytes 200]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.demo.clips import encode, frames  # noqa: E402
from app.desk import Desk  # noqa: E402
from app.ui.queue_page import QueuePage  # noqa: E402

PASSWORD = "benchmark-password"


class Gaps:
    """The longest time between two ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def reset(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()


def big_video(path: Path, megabytes: int) -> None:
    """A real 12 s H.264 clip, then zeros up to the size (the demuxer ignores them; the vault
    reads and decrypts every byte)."""
    data = encode(frames(7, seconds=12))
    path.write_bytes(data + bytes(megabytes * 1_000_000 - len(data)))


def wait_for(app: QApplication, done: "callable", seconds: float = 120) -> None:
    deadline = time.perf_counter() + seconds
    while not done() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        with Desk.create(root, "admin", PASSWORD) as admin:
            admin.add_user("anna", "analyst", PASSWORD)
            admin.set_setting("fetch.max_media_bytes", str(args.megabytes * 2_000_000))
        video = Path(tmp) / "big.mp4"
        big_video(video, args.megabytes)
        picture = Path(tmp) / "small.jpg"
        Image.new("RGB", (320, 240), (40, 90, 160)).save(picture)
        desk = Desk.open(root, "anna", PASSWORD)
        item, other = desk.import_report(files=[video, picture], reference="BIG").item_ids
        page = QueuePage(desk, "Queue")
        page.show()
        gaps = Gaps()
        page.refresh()
        rows = {page.model.item_id(r): r for r in range(page.model.rowCount())}
        row = rows[item]
        page.select(rows[other])  # start on the picture, then move to the video
        wait_for(app, lambda: page.current_item() == other)
        gaps.reset()
        start = time.perf_counter()
        page.select(row)
        wait_for(app, lambda: not page.strip.is_loading and len(page.strip.stills) > 0)
        now_way = (gaps.longest, time.perf_counter() - start)

        gaps.reset()
        start = time.perf_counter()
        desk.item_content(item)  # the old way: the whole blob read and decrypted right here
        app.processEvents()
        old_way = (gaps.longest, time.perf_counter() - start)
        page.close()
        desk.close()
    print(f"{args.megabytes} MB video item: opening it in the queue froze the window for at "
          f"most {now_way[0] * 1000:.0f} ms (keyframes shown after {now_way[1]:.1f} s); "
          f"reading it on the GUI thread, as before, froze it for {old_way[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
