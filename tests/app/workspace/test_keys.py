import json
from pathlib import Path

import pytest

from app.errors import AuthError, WorkspaceError
from app.workspace.keys import KdfParams, KeyFile, subkey
from hashdb.identity import Identity

FAST = KdfParams(memory_kib=1024, iterations=1, lanes=1)
MASTER = bytes(range(32))


def make(tmp_path: Path) -> tuple[KeyFile, Identity]:
    keys, alice = KeyFile.create(tmp_path / "workspace.keys", FAST), Identity.generate()
    keys.set_slot("Alice", "s3cret-password", alice)
    keys.grant(alice.public(), 0, MASTER)
    keys.save()
    return KeyFile.load(tmp_path / "workspace.keys"), alice


def test_the_right_password_opens_the_key_pair_and_its_grant(tmp_path: Path) -> None:
    keys, alice = make(tmp_path)
    session = keys.unlock("alice", "s3cret-password")  # names are case-insensitive
    assert session.name == "Alice"
    assert session.public.fingerprint == alice.public().fingerprint
    assert keys.masters(session) == [(0, MASTER)]


def test_the_product_cost_is_owasps_or_more() -> None:
    """Tests make cheap key files (tests/conftest.py); what the product makes is not."""
    assert KdfParams().memory_kib >= 19 * 1024
    assert KdfParams().iterations >= 2


def test_wrong_password_and_unknown_user_fail_alike(tmp_path: Path) -> None:
    keys, _ = make(tmp_path)
    with pytest.raises(AuthError) as wrong:
        keys.unlock("alice", "not-the-password")
    with pytest.raises(AuthError) as unknown:
        keys.unlock("mallory", "s3cret-password")
    assert str(wrong.value) == str(unknown.value) == "wrong user name or password"


def test_key_file_names_no_user_and_no_slot_can_be_tied_to_a_name(tmp_path: Path) -> None:
    """A slot's id comes from name and password together: with the key file alone, nobody
    can tell whether "alice" has a slot (no offline confirmation of user names)."""
    keys, _ = make(tmp_path)
    raw = (tmp_path / "workspace.keys").read_bytes().lower()
    assert b"alice" not in raw
    assert keys._derive("alice", "a-guess")[1] not in json.loads(raw)["slots"]


def test_a_slot_moved_to_another_name_does_not_open(tmp_path: Path) -> None:
    keys, _ = make(tmp_path)
    bob_slot = keys.set_slot("bob", "bobs-password", Identity.generate())
    keys.save()
    data = json.loads((tmp_path / "workspace.keys").read_text())
    alice_slot = keys._derive("alice", "s3cret-password")[1]
    data["slots"][bob_slot] = data["slots"][alice_slot]
    (tmp_path / "workspace.keys").write_text(json.dumps(data))
    with pytest.raises(AuthError):
        KeyFile.load(tmp_path / "workspace.keys").unlock("bob", "bobs-password")


def test_a_new_slot_under_a_new_password_leaves_the_old_one_to_remove(tmp_path: Path) -> None:
    keys, alice = make(tmp_path)
    old = keys._derive("alice", "s3cret-password")[1]
    keys.set_slot("alice", "a-new-password", alice)
    keys.remove_slot(old)
    assert keys.unlock("alice", "a-new-password").public.fingerprint == \
        alice.public().fingerprint
    with pytest.raises(AuthError):
        keys.unlock("alice", "s3cret-password")


def test_a_revoked_key_has_no_grant(tmp_path: Path) -> None:
    keys, alice = make(tmp_path)
    session = keys.unlock("alice", "s3cret-password")
    keys.revoke(alice.public().fingerprint)
    with pytest.raises(AuthError, match="no access"):
        keys.masters(session)


def test_grants_of_older_epochs_go_when_a_rotation_ends(tmp_path: Path) -> None:
    keys, alice = make(tmp_path)
    keys.grant(alice.public(), 1, bytes(32))
    session = keys.unlock("alice", "s3cret-password")
    assert [e for e, _ in keys.masters(session)] == [1, 0]
    keys.keep_epoch(1)
    assert keys.masters(session) == [(1, bytes(32))]


def test_subkeys_differ_by_label() -> None:
    master = bytes(32)
    assert subkey(master, "database") != subkey(master, "vault-names")
    assert subkey(master, "database") == subkey(master, "database")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": "other"}',
                                     b'{"format": "hotline-keys", "version": 99}',
                                     b'{"format": "hotline-keys", "version": 2}'])
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
    slot = keys._derive("alice", "s3cret-password")[1]
    data["slots"][slot]["nonce"] = "%%%"
    (tmp_path / "workspace.keys").write_text(json.dumps(data))
    with pytest.raises(WorkspaceError, match="damaged"):
        KeyFile.load(tmp_path / "workspace.keys").unlock("alice", "s3cret-password")
