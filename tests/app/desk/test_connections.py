"""A workstation remembers its team server (`hotline connect`, the sign-in), never a
password written into the connection string."""

import os
import subprocess
import sys

from app.desk import Desk
from tests.app.conftest import PASSWORD


def test_a_saved_server_keeps_no_password() -> None:
    try:
        saved = Desk.save_server("postgresql://db.example/team?user=hl1_u2&password=s3cret"
                                 "&sslmode=verify-full")
        assert saved is not None
        assert "s3cret" not in saved
        assert "sslmode=verify-full" in saved
        assert Desk.saved_server() == saved
    finally:
        Desk.save_server(None)
    assert Desk.saved_server() is None


def test_hotline_alone_opens_the_saved_server(pg_conninfo: str) -> None:
    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        admin.set_setting("hotline.name", "Team Hotline")
    env = {**os.environ, "HOTLINE_PASSWORD": PASSWORD}
    env.pop("HOTLINE_WORKSPACE", None)
    env.pop("HOTLINE_SERVER", None)

    def hotline(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", *args], env=env,
                              capture_output=True, text=True, timeout=120)
    try:
        assert hotline("--user", "admin", "connect", pg_conninfo).returncode == 0
        shown = hotline("--user", "admin", "settings", "show")
        assert shown.returncode == 0, shown.stderr
        assert "Team Hotline" in shown.stdout
    finally:
        hotline("connect", "--forget")
