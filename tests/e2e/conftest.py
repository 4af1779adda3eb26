"""Run the real `hotline` command in a subprocess, as scripts and administrators do."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PASSWORD = "correct-horse-battery"


def run_hotline(workspace: Path | str, *args: str, user: str | None = "admin",
                password: str = PASSWORD, new_password: str = PASSWORD,
                timeout: float = 120, log_dir: Path | None = None,
                ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HOTLINE_") or k == "HOTLINE_LOG_DIR"}
    env.update(HOTLINE_PASSWORD=password, HOTLINE_NEW_PASSWORD=new_password)
    if log_dir is not None:
        env["HOTLINE_LOG_DIR"] = str(log_dir)
    place = ["--server", workspace] if isinstance(workspace, str) else [
        "--workspace", str(workspace)]  # a team server's conninfo, or a folder
    cmd = [sys.executable, "-m", "app", *place]
    if user:
        cmd += ["--user", user]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)


BACKENDS = [b for b in os.environ.get("HOTLINE_BACKENDS", "folder,server").split(",") if b]
FOLDER_ONLY = pytest.mark.parametrize("hotline", ["folder"], indirect=True)


@pytest.fixture(params=BACKENDS)
def hotline(request: pytest.FixtureRequest, tmp_path: Path
            ) -> Callable[..., subprocess.CompletedProcess[str]]:
    """The command on a workspace in a folder, or on a team server (a fresh database)."""
    workspace: Path | str = tmp_path / "ws"
    if request.param == "server":
        workspace = str(request.getfixturevalue("pg_conninfo"))

    def _run(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
        return run_hotline(workspace, *args, **kw)  # type: ignore[arg-type]

    _run.workspace = workspace  # type: ignore[attr-defined]
    return _run
