"""`hotline workspace copy`: a folder workspace into a team server and back, the same
workspace each time: the same passwords, items, verdicts, lists, blobs and audit chain."""

import hashlib
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import PermissionDenied, WorkspaceError
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A folder workspace with users, a list, a report, a review under way and a final one."""
    root = tmp_path / "folder"
    with Desk.create(root, "admin", PASSWORD) as admin:
        admin.add_user("ann", "analyst", PASSWORD)
        admin.add_user("sue", "supervisor", PASSWORD)
        admin.add_user("sam", "supervisor", PASSWORD)
        admin.set_setting("hotline.name", "Copied Hotline")
    for i in range(3):
        (tmp_path / f"{i}.jpg").write_bytes(jpeg(3100 + i))
    (tmp_path / "list.csv").write_text("md5\n" + "ab" * 16 + "\n")
    with Desk.open(root, "sue", PASSWORD) as sue:
        sue.import_list(tmp_path / "list.csv", "Partner", "baseline")
    with Desk.open(root, "ann", PASSWORD) as ann:
        items = ann.import_report(files=[tmp_path / f"{i}.jpg" for i in range(3)],
                                  reference="R-COPY").item_ids
        for item in items:
            ann.assess(item, "national")
    for who in ("sue", "sam"):
        with Desk.open(root, who, PASSWORD) as desk:
            desk.assess(items[0], "national")
    return root


def summary(desk: Desk) -> dict:
    items = desk.find_items("R-COPY")
    return {"items": sorted(items),
            "states": [desk.item(i).state for i in sorted(items)],
            "hashes": [desk.item(i).sha256 for i in sorted(items)],
            "lists": [(info.name, info.entries) for info in desk.lists()],
            "setting": desk.setting("hotline.name"),
            "users": [(u.name, u.role.value) for u in desk.list_users()]}


def test_a_folder_goes_to_a_team_server_and_back(filled: Path, pg_conninfo: str,
                                                 tmp_path: Path) -> None:
    with Desk.open(filled, "admin", PASSWORD) as admin:
        before = summary(admin)
        report = admin.copy_workspace(pg_conninfo)
    assert report.blobs == 3
    assert report.list_files == 1
    assert report.rows["assessments"] == 5
    assert set(report.logins) == {"admin", "ann", "sue", "sam"}
    with Desk.open(pg_conninfo, "admin", PASSWORD) as admin:  # the same password
        assert summary(admin) == before
        assert admin.verify_audit().ok
        assert [e.action for e in admin.audit_entries(limit=1)] == ["audit.verify"]
        assert admin.audit_entries(action="workspace.copied")
        back = admin.copy_workspace(tmp_path / "back")
    assert back.rows["assessments"] == 5
    assert back.logins == {}
    with Desk.open(tmp_path / "back", "ann", PASSWORD) as ann:
        assert summary(ann) == {**before, "users": summary(ann)["users"]}
        assert ann.verify_audit().ok
        contents = [ann.item_content(i) for i in sorted(ann.find_items("R-COPY"))]
    assert [hashlib.sha256(c).hexdigest() for c in contents] == before["hashes"]  # whole


def test_a_copy_goes_only_into_an_empty_place_and_only_by_an_admin(
        filled: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x")
    with Desk.open(filled, "admin", PASSWORD) as admin, \
            pytest.raises(WorkspaceError, match="not empty"):
        admin.copy_workspace(tmp_path / "full")
    with Desk.open(filled, "sue", PASSWORD) as sue, pytest.raises(PermissionDenied):
        sue.copy_workspace(tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()
