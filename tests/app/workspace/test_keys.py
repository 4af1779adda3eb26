import json
from pathlib import Path

import pytest

from app.errors import AuthError, WorkspaceError
from app.workspace.keys import KdfParams, KeyFile, subkey

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def make(tmp_path: Path) -> tuple[KeyFile, bytes]:
    keys, master = KeyFile.create(tmp_path / "workspace.keys")
    keys.set_slot(master, "Alice", "s3cret-password", FAST)
    keys.save()
    return KeyFile.load(tmp_path / "workspace.keys"), master


def test_the_right_password_unwraps_the_master_key(tmp_path: Path) -> None:
    keys, master = make(tmp_path)
    assert keys.unlock("alice", "s3cret-password") == master  # names are case-insensitive


def test_wrong_password_and_unknown_user_fail_alike(tmp_path: Path) -> None:
    keys, _ = make(tmp_path)
    with pytest.raises(AuthError) as wrong:
        keys.unlock("alice", "not-the-password")
    with pytest.raises(AuthError) as unknown:
        keys.unlock("mallory", "s3cret-password")
    assert str(wrong.value) == str(unknown.value) == "wrong user name or password"


def test_key_file_names_no_user(tmp_path: Path) -> None:
    make(tmp_path)
    assert b"alice" not in (tmp_path / "workspace.keys").read_bytes().lower()


def test_a_slot_moved_to_another_user_does_not_open(tmp_path: Path) -> None:
    keys, master = make(tmp_path)
    keys.set_slot(master, "bob", "bobs-password", FAST)
    keys.save()
    data = json.loads((tmp_path / "workspace.keys").read_text())
    a, b = keys.slot_id("alice"), keys.slot_id("bob")
    data["slots"][b] = data["slots"][a]
    (tmp_path / "workspace.keys").write_text(json.dumps(data))
    with pytest.raises(AuthError):
        KeyFile.load(tmp_path / "workspace.keys").unlock("bob", "s3cret-password")


def test_rewrap_replaces_the_old_password(tmp_path: Path) -> None:
    keys, master = make(tmp_path)
    keys.set_slot(master, "alice", "a-new-password", FAST)
    assert keys.unlock("alice", "a-new-password") == master
    with pytest.raises(AuthError):
        keys.unlock("alice", "s3cret-password")


def test_subkeys_differ_by_label() -> None:
    master = bytes(32)
    assert subkey(master, "database") != subkey(master, "vault-names")
    assert subkey(master, "database") == subkey(master, "database")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": "other"}',
                                     b'{"format": "hotline-keys", "version": 99}'])
def test_bad_key_files_are_clear_errors(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "workspace.keys").write_bytes(content)
    with pytest.raises(WorkspaceError):
        KeyFile.load(tmp_path / "workspace.keys")


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace"):
        KeyFile.load(tmp_path / "workspace.keys")


def test_damaged_slot_is_a_workspace_error(tmp_path: Path) -> None:
    keys, _ = make(tmp_path)
    data = json.loads((tmp_path / "workspace.keys").read_text())
    del data["slots"][keys.slot_id("alice")]["salt"]
    (tmp_path / "workspace.keys").write_text(json.dumps(data))
    with pytest.raises(WorkspaceError, match="damaged"):
        KeyFile.load(tmp_path / "workspace.keys").unlock("alice", "s3cret-password")
