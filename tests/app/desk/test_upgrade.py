"""A workspace made by version 0.1 (one master key under every password, a MAC-chained log)
upgrades in place: its content, lists, settings, review states and log come along, and from
then on every user has their own keys."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import AuthError, Conflict, PermissionDenied, WorkspaceError

DATA = Path(__file__).parents[2] / "data" / "v1-workspace.zip"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    with zipfile.ZipFile(DATA) as z:
        z.extractall(tmp_path)
    return tmp_path / "ws"


def test_an_old_workspace_asks_for_the_upgrade(old: Path) -> None:
    with pytest.raises(WorkspaceError, match="hotline workspace upgrade"):
        Desk.open(old, "ann", PASSWORD)


def test_only_an_admin_upgrades_and_nothing_changes_otherwise(old: Path) -> None:
    before = (old / "workspace.keys").read_bytes()
    with pytest.raises(PermissionDenied):
        Desk.upgrade(old, "sam", PASSWORD)
    assert (old / "workspace.keys").read_bytes() == before


def test_the_upgrade_carries_everything_and_gives_keys(old: Path, tmp_path: Path) -> None:
    v1_keys = (old / "workspace.keys").read_bytes()
    with Desk.upgrade(old, "admin", PASSWORD) as admin:
        check = admin.verify_audit(full=True)
        assert check.ok, check.problem
        assert admin.setting("hotline.name") == "Version One Hotline"
        waiting = {u.name for u in admin.list_users() if u.disabled}
        assert waiting == {"ann", "sam", "sofia", "old"}
        [upgraded] = admin.audit_entries(action="workspace.upgrade")
        assert "baseline" not in json.dumps(upgraded.detail)  # carried states: a count only
        for name in ("ann", "sam", "sofia"):
            admin.enable_user(name, "a-new-password-1")
    with pytest.raises(AuthError):
        Desk.open(old, "ann", PASSWORD)  # the old password and slot are gone
    with Desk.open(old, "sam", "a-new-password-1") as sam:
        final, waiting_item = 1, 2
        assert sam.item(final).final_verdict == "baseline"
        assert sam.item_content(final)[:2] == b"\xff\xd8"  # epoch 0 blob, still read
        assert sam.list_lookup("Partner", f"{1:032x}")  # a version 0 list file, still read
        out = sam.export_list("own:verified", tmp_path / "own.csv", "csv")
        assert out.entries == 1  # the carried final item counts as reviewed
        sam.assess(waiting_item, "national")  # round 1 on a carried item
        assert sam.verify_audit().ok
    (old / "workspace.keys").write_bytes(v1_keys)  # the old key file put back
    with pytest.raises(WorkspaceError):
        Desk.open(old, "admin", PASSWORD)


def test_the_upgrade_runs_once(old: Path) -> None:
    Desk.upgrade(old, "admin", PASSWORD).close()
    with pytest.raises(Conflict, match="nothing to upgrade"):
        Desk.upgrade(old, "admin", PASSWORD)


def test_a_broken_old_log_is_not_carried_over_silently(old: Path, tmp_path: Path) -> None:
    import sqlcipher3

    from app.workspace.keys import subkey
    from app.workspace.upgrade import _unlock

    master = _unlock(json.loads((old / "workspace.keys").read_text()), "admin", PASSWORD)
    conn = sqlcipher3.connect(str(old / "workspace.db"))
    conn.execute(f"PRAGMA key = \"x'{subkey(master, 'database').hex()}'\"")
    conn.execute("UPDATE audit SET user = 'nobody' WHERE seq = 4")
    conn.commit()
    conn.close()
    shutil.copy(old / "workspace.keys", tmp_path / "keys")
    with pytest.raises(WorkspaceError, match="broken at entry 4"):
        Desk.upgrade(old, "admin", PASSWORD)
    assert (old / "workspace.keys").read_bytes() == (tmp_path / "keys").read_bytes()
