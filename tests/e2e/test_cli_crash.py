"""kill -9 of an import: its hashing workers end with it (they would otherwise wait forever
on the pool's queue), and the import resumes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import PASSWORD
from tests.synthetic import encode, scene

pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_import(hotline, tmp_path: Path) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    assert hotline("user", "add", "ann", "--role", "analyst").returncode == 0
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"{i}.png").write_bytes(encode(scene(9000 + i, (640, 480)), "PNG"))
    env = {**os.environ, "HOTLINE_PASSWORD": PASSWORD}
    place = ["--server", hotline.workspace] if isinstance(hotline.workspace, str) else [
        "--workspace", str(hotline.workspace)]
    process = subprocess.Popen([sys.executable, "-m", "app", *place, "--user", "ann",
                                "import", "--file",
                                str(folder), "--report", "R-KILL"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 3:  # forkserver + 2 workers
        time.sleep(0.2)
        workers = descendants(process.pid)
    assert len(workers) >= 3, "the import never started its pool"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if alive(p)], "workers outlived the killed import"
    again = hotline("import", "--file", str(folder), "--report", "R-KILL", user="ann",
                    timeout=300)
    assert again.returncode == 0, again.stderr
