"""After a GUI session, no plaintext media is on disk: not in the workspace, not in the temp
folder, not in Qt's or anybody's cache under HOME. The session runs in a subprocess whose
TMPDIR, HOME and XDG folders are fresh, so everything it could have written is scanned."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.demo.build import PASSWORD
from app.desk import Desk

SESSION = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.demo.build import PASSWORD, build
from app.desk import Desk
from app.ui.main_window import MainWindow

app = QApplication(sys.argv)
demo = build(Path(sys.argv[1]))
demo.site.stop()
window = MainWindow(Desk.open(demo.workspace, "anna", PASSWORD))
window.show()
page = window.queue
steps = []
for row in range(page.model.rowCount()):
    steps += [lambda row=row: page.select(row), page.viewer.reveal, page.viewer.conceal]
video = next(r for r in range(page.model.rowCount())
             if page.desk.queue_row(page.model.item_id(r)).kind == "video")
steps += [lambda: page.select(video), lambda: None, lambda: None, page.strip.toggle_play,
          page.viewer.reveal, lambda: None, page.viewer.conceal, page.strip.stop,
          lambda: page.assess("baseline"), lambda: window.nav.setCurrentRow(2), window.close,
          app.quit]

def run(i=0):
    steps[i]()
    if i + 1 < len(steps):
        QTimer.singleShot(400, lambda: run(i + 1))

QTimer.singleShot(100, run)
app.exec()
print("session done")
"""

MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"\x1aE\xdf\xa3", b"RIFF")


def needles(data: bytes) -> list[bytes]:
    """Three 48-byte pieces from inside the content: any copy of it would hold them."""
    return [data[at:at + 48] for at in (len(data) // 4, len(data) // 2, 3 * len(data) // 4)]


@pytest.mark.slow
def test_a_gui_session_leaves_no_plaintext_on_disk(tmp_path: Path) -> None:
    home, temp, workspace = tmp_path / "home", tmp_path / "tmp", tmp_path / "ws"
    home.mkdir()
    temp.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(temp), "TMP": str(temp),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_STATE_HOME": str(home / ".local/state"), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SESSION, str(workspace)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert "session done" in done.stdout, done.stderr[-2000:]
    desk = Desk.open(workspace, "anna", PASSWORD)
    try:
        contents = [desk.item_content(i) for i in desk.queue_ids()]
        assert len(contents) >= 10
        assert any(c[4:8] == b"ftyp" or c[:4] == b"\x1aE\xdf\xa3" for c in contents)  # videos
    finally:
        desk.close()
    pieces = [n for c in contents for n in needles(c)]
    files = [p for root in (home, temp, workspace) for p in root.rglob("*") if p.is_file()]
    assert files  # the workspace at least
    for path in files:
        data = path.read_bytes()
        assert not data.startswith(MAGIC), f"media file: {path}"
        assert data[4:8] != b"ftyp", f"video file: {path}"
        for piece in pieces:
            assert piece not in data, f"plaintext content in {path}"
        assert b"clip-new.mp4" not in data, f"plaintext metadata in {path}"
