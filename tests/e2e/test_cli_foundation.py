"""The foundation's promises, checked through the real command line."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.workspace.workspace import Workspace
from tests.e2e.conftest import FOLDER_ONLY, PASSWORD


def init(hotline) -> None:
    r = hotline("init", "--admin", "admin", user=None)
    assert r.returncode == 0, r.stderr


def test_init_user_settings_audit_roundtrip(hotline) -> None:
    init(hotline)
    assert hotline("user", "add", "ann", "--role", "analyst").returncode == 0
    assert hotline("settings", "set", "hotline.country", "NL").returncode == 0
    users = json.loads(hotline("user", "list", "--json").stdout)
    assert [(u["name"], u["role"]) for u in users] == [("admin", "admin"), ("ann", "analyst")]
    settings = json.loads(hotline("settings", "show", "--json").stdout)
    assert settings["hotline.country"] == "NL"
    shown = json.loads(hotline("audit", "show", "--json").stdout)
    assert {"workspace.create", "user.add", "settings.set"} <= {e["action"] for e in shown}
    r = hotline("audit", "verify")
    assert r.returncode == 0
    assert "intact" in r.stdout


def test_init_twice_fails(hotline) -> None:
    init(hotline)
    r = hotline("init", "--admin", "other", user=None)
    assert r.returncode == 1
    assert "exists already" in r.stderr


def test_wrong_password_is_one_line_and_exit_1(hotline) -> None:
    init(hotline)
    for user, password in (("admin", "not-the-password"), ("ghost", PASSWORD)):
        r = hotline("user", "list", user=user, password=password)
        assert r.returncode == 1
        assert r.stderr == "hotline: wrong user name or password\n"
        assert "Traceback" not in r.stdout + r.stderr


def test_usage_error_exit_2(hotline) -> None:
    assert hotline("user", "add").returncode == 2
    assert hotline("no-such-command").returncode == 2


def test_analyst_refused_and_audited(hotline) -> None:
    init(hotline)
    hotline("user", "add", "ann", "--role", "analyst")
    r = hotline("settings", "set", "pdq.threshold", "5", user="ann")
    assert r.returncode == 1
    assert "only admin users may change settings" in r.stderr
    r = hotline("user", "add", "eve", "--role", "admin", user="ann")
    assert r.returncode == 1
    refused = json.loads(hotline("audit", "show", "--json").stdout)
    assert {e["action"] for e in refused if e["outcome"] == "refused"} == {
        "settings.set", "user.add"}


@FOLDER_ONLY  # the folder's files; a server's dump: tests/security/test_team_server.py
def test_nothing_readable_at_rest(hotline) -> None:
    init(hotline)
    hotline("user", "add", "zebediah", "--role", "supervisor")
    hotline("settings", "set", "hotline.name", "Quokka Hotline Foundation")
    hotline("settings", "set", "hosting.asn_db", "/srv/geo/secret-asn-marker.mmdb")
    secrets = [b"zebediah", b"supervisor", b"Quokka Hotline", b"secret-asn-marker", b"admin"]
    for path in hotline.workspace.rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            for secret in secrets:
                assert secret.lower() not in data, (path, secret)
    assert not (hotline.workspace / "workspace.db").read_bytes().startswith(b"SQLite format 3")


def tamper(workspace: Path, sql: str) -> None:
    ws = Workspace.unlock(workspace, "admin", PASSWORD)
    ws.db.execute(sql)
    ws.db.conn.commit()
    ws.close()


def test_edited_audit_entry_fails_verify(hotline) -> None:
    init(hotline)
    hotline("user", "add", "ann", "--role", "analyst")
    tamper(hotline.workspace, "UPDATE audit SET actor = 'nobody' WHERE seq = 3")
    r = hotline("audit", "verify")
    assert r.returncode == 1
    assert "entry 3" in r.stdout
    assert r.stderr.strip().splitlines()[-1] == "hotline: the audit log is broken at entry 3"


def test_deleted_audit_entry_fails_verify(hotline) -> None:
    init(hotline)
    hotline("user", "add", "ann", "--role", "analyst")
    tamper(hotline.workspace, "DELETE FROM audit WHERE seq = 2")
    r = hotline("audit", "verify", "--json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["first_bad"] == 2


WRITER = """
import sys
from pathlib import Path
from app.desk import Desk
desk = Desk.open(Desk.location_of(sys.argv[1]), sys.argv[2], sys.argv[3])
print("ready", flush=True)
i = 0
while True:
    i += 1
    desk.set_setting("hotline.name", f"name {sys.argv[2]} {i}")
    if sys.argv[4] == "users" and i % 3 == 0:
        desk.add_user(f"u{sys.argv[2]}{i}", "analyst", sys.argv[3])
    if i >= int(sys.argv[5]):
        break
print("done", i, flush=True)
"""


def start_writer(workspace: Path | str, user: str, mode: str, count: int
                 ) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(workspace), user, PASSWORD,
                             mode, str(count)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_sigkill_mid_write_leaves_a_consistent_workspace(hotline) -> None:
    init(hotline)
    for delay in (0.3, 0.7, 1.1):
        proc = start_writer(hotline.workspace, "admin", "users", 10**9)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        r = hotline("audit", "verify")
        assert r.returncode == 0, r.stdout + r.stderr
        users = json.loads(hotline("user", "list", "--json").stdout)
        assert users[0]["name"] == "admin"
    if isinstance(hotline.workspace, Path):  # a folder's files (a server keeps none)
        leftovers = list(hotline.workspace.rglob("*.tmp"))
        assert len(leftovers) <= 1  # at most the one temp file the kill interrupted


def test_two_processes_write_at_once(hotline) -> None:
    init(hotline)
    hotline("user", "add", "admin2", "--role", "admin")
    a = start_writer(hotline.workspace, "admin", "settings", 40)
    b = start_writer(hotline.workspace, "admin2", "settings", 40)
    assert a.communicate(timeout=120)[0].strip() == "done 40"
    assert b.communicate(timeout=120)[0].strip() == "done 40"
    assert a.returncode == b.returncode == 0
    r = hotline("audit", "verify", "--json")
    assert r.returncode == 0
    entries = json.loads(hotline("audit", "show", "--json", "--limit", "500").stdout)
    assert sum(e["action"] == "settings.set" for e in entries) == 80
