"""hotline workspace check: what a killed import leaves is found and repaired, audited."""

import json
import os
from pathlib import Path

from tests.e2e.conftest import FOLDER_ONLY
from tests.synthetic import jpeg


def left_behind(workspace: Path) -> None:
    """What a killed import leaves: a blob stored, its item never committed."""
    name = os.urandom(32).hex()
    (workspace / "vault" / name[:2]).mkdir(parents=True, exist_ok=True)
    (workspace / "vault" / name[:2] / name).write_bytes(os.urandom(3000))


@FOLDER_ONLY  # blob files left in the folder's vault; a server stores a blob with its item
def test_orphan_blobs_are_found_and_removed(hotline, tmp_path: Path) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    assert hotline("user", "add", "ann", "--role", "analyst").returncode == 0
    (tmp_path / "a.jpg").write_bytes(jpeg(4242))
    assert hotline("import", "--file", str(tmp_path / "a.jpg"), user="ann").returncode == 0
    r = hotline("workspace", "check")
    assert r.returncode == 0, r.stdout
    assert "1 blobs, 0 without an item" in r.stdout
    left_behind(hotline.workspace)
    r = hotline("workspace", "check", "--json")
    assert r.returncode == 1
    assert len(json.loads(r.stdout)["orphans"]) == 1
    assert hotline("workspace", "check", "--repair", user="ann").returncode == 1  # admins only
    r = hotline("workspace", "check", "--repair")
    assert r.returncode == 0, r.stdout
    assert "(1 removed)" in r.stdout
    assert hotline("workspace", "check").returncode == 0
    audit = json.loads(hotline("audit", "show", "--json", "--action", "workspace.repair")
                       .stdout)
    assert audit[0]["detail"]["removed"] == 1


@FOLDER_ONLY  # the folder's orphan blobs; on a server see test_a_killed_import_resumes...
def test_a_killed_import_is_cleaned_up_at_the_next_sign_in(hotline, tmp_path: Path) -> None:
    assert hotline("init", "--admin", "admin", user=None).returncode == 0
    left_behind(hotline.workspace)  # stored by the import...
    running = hotline.workspace / "running"
    running.mkdir()
    (running / "import-999999999").touch()  # ... whose process is gone
    assert hotline("user", "list").returncode == 0  # any sign-in
    assert not list(running.iterdir())
    r = hotline("workspace", "check")
    assert r.returncode == 0, r.stdout
    audit = json.loads(hotline("audit", "show", "--json", "--action", "workspace.repair")
                       .stdout)
    assert audit[0]["target"] == "after a crash"
    assert audit[0]["detail"]["removed"] == 1
