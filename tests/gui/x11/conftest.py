"""The window on a real X server (Xvfb), driven by real X key and mouse events (xdotool), as
a person drives it: focus, X auto-repeat and timing are the X server's, not Qt's synthetic
events. CI installs Xvfb and xdotool and sets HOTLINE_X11_REQUIRED, so these never skip there.
"""

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageGrab

from app.demo.build import PASSWORD

SHOTS = os.environ.get("HOTLINE_X11_SHOTS")  # keep screenshots here (docs/x11)


def _free_display() -> int:
    """A display number nobody holds: high and random, because the lowest free one (what
    -displayfd picks) may be a socket another X server on this machine still answers on."""
    while True:
        number = random.randint(200, 899)
        if not (Path(f"/tmp/.X{number}-lock").exists()
                or Path(f"/tmp/.X11-unix/X{number}").exists()):
            return number


def _start_xvfb(log: Path) -> tuple[subprocess.Popen, str] | None:
    """One Xvfb on a free display, once a client gets in; None when it exits or never answers."""
    name = f":{_free_display()}"
    with log.open("ab") as errors:
        server = subprocess.Popen(
            ["Xvfb", name, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            stderr=errors, stdout=errors)
    deadline = time.monotonic() + 30
    while server.poll() is None and time.monotonic() < deadline:
        if subprocess.run(["xdotool", "getdisplaygeometry"], env={**os.environ, "DISPLAY": name},
                          capture_output=True, check=False).returncode == 0:
            return server, name
        time.sleep(0.2)
    server.terminate()
    server.wait(10)
    return None


@pytest.fixture(scope="module")
def display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        if os.environ.get("HOTLINE_X11_REQUIRED"):
            pytest.fail("Xvfb and xdotool are required here (apt-get install xvfb xdotool)")
        pytest.skip("needs Xvfb and xdotool (apt-get install xvfb xdotool)")
    log = tmp_path_factory.mktemp("xvfb") / "xvfb.log"
    for _attempt in range(3):
        started = _start_xvfb(log)
        if started:
            break
    else:
        raise RuntimeError(f"Xvfb did not accept clients in three tries:\n{log.read_text()}")
    server, name = started
    yield name
    server.terminate()
    server.wait(10)


@dataclass
class Window:
    """The running window and the X display it is on."""

    display: str
    process: subprocess.Popen
    wid: str

    def xdotool(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display},
                              check=True, capture_output=True, text=True, timeout=30).stdout

    def key_down(self, key: str) -> None:
        self.xdotool("keydown", key)

    def key_up(self, key: str) -> None:
        self.xdotool("keyup", key)

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--delay", "120", *keys)

    def click(self, x: int, y: int) -> None:
        """Click at (x, y) in the window."""
        self.xdotool("mousemove", "--window", self.wid, str(x), str(y), "click", "1")

    def grab(self) -> Image.Image:
        geometry = dict(line.split("=") for line in
                        self.xdotool("getwindowgeometry", "--shell", self.wid).split())
        x, y = int(geometry["X"]), int(geometry["Y"])
        w, h = int(geometry["WIDTH"]), int(geometry["HEIGHT"])
        return ImageGrab.grab(bbox=(x, y, x + w, y + h), xdisplay=self.display)

    def still(self, timeout: float = 20.0) -> Image.Image:
        """The window once it stopped changing (the first item opened and painted)."""
        last = self.grab()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.4)
            now = self.grab()
            if changed(last, now) is None:
                return now
            last = now
        raise AssertionError("the window never came to rest")

    def keep(self, image: Image.Image, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            image.save(Path(SHOTS) / f"{name}.png")


def changed(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int] | None:
    return ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()


def busy(n: int = 2) -> list[subprocess.Popen]:
    """Load both cores, as a running import does: X auto-repeat then reaches the window as
    ordinary key presses (Qt marks repeats only when it sees the pair queued together)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def settle(seconds: float) -> None:
    time.sleep(seconds)


def _wait_for_window(display: str, process: subprocess.Popen, timeout: float = 60) -> str:
    """The window's X id, once it is mapped; if the program ends or never shows a window,
    the failure says what it printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                "Hotline Triage - "], env={**os.environ, "DISPLAY": display},
                               capture_output=True, text=True, timeout=30, check=False)
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[0]
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    output = process.communicate()[0] or b""
    raise AssertionError(f"no window on {display} (xdotool: {found.stderr.strip()!r}); "
                         f"the program printed: {output.decode(errors='replace')[-2000:]}")


@pytest.fixture
def window(display: str, workspace: Path, tmp_path: Path) -> Iterator[Window]:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "HOTLINE_PASSWORD": PASSWORD, "HOME": str(home), "TMPDIR": str(tmp_path),
           "XDG_RUNTIME_DIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "app", "--workspace", str(workspace),
                                "--user", "anna"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        wid = _wait_for_window(display, process)
        win = Window(display, process, wid)
        win.xdotool("windowfocus", "--sync", wid)
        win.still()
        yield win
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
