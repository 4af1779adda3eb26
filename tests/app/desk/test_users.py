from collections.abc import Callable
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import AuthError, Conflict, InvalidInput, PermissionDenied, WorkspaceError
from tests.app.conftest import PASSWORD


def test_create_makes_the_first_admin(admin_desk: Desk) -> None:
    [user] = admin_desk.list_users()
    assert (user.name, user.role.value, user.disabled) == ("admin", "admin", False)


def test_create_refuses_an_existing_workspace(workspace: Path, admin_desk: Desk) -> None:
    with pytest.raises(WorkspaceError, match="exists already"):
        Desk.create(workspace, "other", PASSWORD)


def test_create_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "somefile").write_text("x")
    with pytest.raises(WorkspaceError, match="not empty"):
        Desk.create(tmp_path, "admin", PASSWORD)


def test_open_a_missing_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace"):
        Desk.open(tmp_path / "nothing", "admin", PASSWORD)


def test_wrong_password_and_unknown_user(workspace: Path, admin_desk: Desk) -> None:
    for user, password in (("admin", "wrong-password"), ("nobody", PASSWORD)):
        with pytest.raises(AuthError, match=r"^wrong user name or password$"):
            Desk.open(workspace, user, password)


def test_add_user_and_log_in(open_as: Callable[..., Desk]) -> None:
    desk = open_as("carol", "supervisor")
    assert (desk.user.name, desk.user.role.value) == ("carol", "supervisor")


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "../etc", "名前"])
def test_bad_user_names(admin_desk: Desk, name: str) -> None:
    with pytest.raises(InvalidInput):
        admin_desk.add_user(name, "analyst", PASSWORD)


def test_short_password_refused(admin_desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="at least"):
        admin_desk.add_user("dave", "analyst", "short")


def test_unknown_role_refused(admin_desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="unknown role"):
        admin_desk.add_user("dave", "boss", PASSWORD)


def test_duplicate_user_refused_case_insensitively(admin_desk: Desk) -> None:
    admin_desk.add_user("erin", "analyst", PASSWORD)
    with pytest.raises(Conflict):
        admin_desk.add_user("ERIN", "analyst", PASSWORD)


def test_analyst_cannot_manage_users_and_refusals_are_audited(
        admin_desk: Desk, open_as: Callable[..., Desk]) -> None:
    analyst = open_as("ann")
    with pytest.raises(PermissionDenied, match="only admin users may add users"):
        analyst.add_user("eve", "admin", PASSWORD)
    with pytest.raises(PermissionDenied):
        analyst.disable_user("admin")
    with pytest.raises(PermissionDenied):
        analyst.change_password("admin", "hijacked-password")
    refused = [e for e in admin_desk.audit_entries(user="ann") if e.outcome == "refused"]
    assert {e.action for e in refused} == {"user.add", "user.disable", "user.passwd"}


def test_disabled_user_cannot_open(workspace: Path, admin_desk: Desk,
                                   open_as: Callable[..., Desk]) -> None:
    open_as("frank")
    admin_desk.disable_user("frank")
    with pytest.raises(AuthError):
        Desk.open(workspace, "frank", PASSWORD)


def test_disabling_ends_an_open_session(admin_desk: Desk, open_as: Callable[..., Desk]) -> None:
    frank = open_as("frank")
    admin_desk.disable_user("frank")
    with pytest.raises(AuthError, match="disabled"):
        frank.list_users()


def test_enable_needs_a_new_password(workspace: Path, admin_desk: Desk,
                                     open_as: Callable[..., Desk]) -> None:
    open_as("gina")
    admin_desk.disable_user("gina")
    admin_desk.enable_user("gina", "a-fresh-password")
    with pytest.raises(AuthError):
        Desk.open(workspace, "gina", PASSWORD)
    Desk.open(workspace, "gina", "a-fresh-password").close()


def test_the_last_admin_stays(admin_desk: Desk) -> None:
    with pytest.raises(Conflict, match="last active admin"):
        admin_desk.disable_user("admin")
    with pytest.raises(Conflict, match="last active admin"):
        admin_desk.set_role("admin", "analyst")
    admin_desk.add_user("second", "admin", PASSWORD)
    admin_desk.set_role("admin", "supervisor")
    assert admin_desk.user.role.value == "admin"  # the object is a snapshot
    with pytest.raises(PermissionDenied):
        admin_desk.add_user("third", "analyst", PASSWORD)


def test_change_own_password(workspace: Path, open_as: Callable[..., Desk]) -> None:
    desk = open_as("hank")
    desk.change_password("hank", "hanks-new-password")
    with pytest.raises(AuthError):
        Desk.open(workspace, "hank", PASSWORD)
    Desk.open(workspace, "hank", "hanks-new-password").close()


def test_admin_resets_a_password(workspace: Path, admin_desk: Desk,
                                 open_as: Callable[..., Desk]) -> None:
    open_as("ivy")
    admin_desk.change_password("ivy", "reset-by-admin")
    Desk.open(workspace, "ivy", "reset-by-admin").close()


def test_every_change_is_one_audit_entry(admin_desk: Desk) -> None:
    before = admin_desk.audit_entries(limit=1)[0].seq
    admin_desk.add_user("jack", "analyst", PASSWORD)
    admin_desk.set_role("jack", "supervisor")
    admin_desk.set_setting("hotline.country", "DE")
    entries = admin_desk.audit_entries(limit=10)
    assert [e.action for e in entries if e.seq > before] == [
        "settings.set", "user.role", "user.add"]
