"""Upgrading a workspace made before users had their own keys (key file version 1).

Version 1 wrapped one master key under every user's password, and chained the audit log with
a MAC key derived from that master key. The upgrade, by an admin with their password:
checks the old chain with the old MAC key (a broken log is not carried over silently), keeps
the old data keys as epoch 0 (blobs and list files stay as they are), writes a version 2 key
file holding only the admin's new key pair, and hands back the workspace. The Desk then signs
the `workspace.upgrade` entry that makes the admin's key the root, and rotates the master key
so that an old version 1 key file opens nothing. The other users are carried over disabled,
without keys: an admin enables each with a new password.
"""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import AuthError, PermissionDenied, WorkspaceError
from app.workspace import migrations
from app.workspace.audit import GENESIS
from app.workspace.data_keys import DataKeys
from app.workspace.db import connect, transaction
from app.workspace.keys import KdfParams, KeyFile, subkey
from app.workspace.users import Role
from hashdb.identity import Identity

LEGACY_AUDIT = "audit-v1"
_LEGACY_PURPOSES = ("vault-names", "vault-bodies", "lists")


def is_version_1(keys_path: Path) -> bool:
    try:
        return json.loads(keys_path.read_bytes()).get("version") == 1
    except (OSError, ValueError, AttributeError):
        return False


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _unlock(data: dict[str, Any], name: str, password: str) -> bytes:
    """The master key from a version 1 slot (named by HMAC(salt, name))."""
    sid = hmac.new(_unb64(data["salt"]), name.casefold().encode(),
                   hashlib.sha256).hexdigest()[:32]
    slot = data["slots"].get(sid)
    if slot is None:
        KdfParams().derive(password, b"\0" * 16)
        raise AuthError()
    key = KdfParams(slot["memory_kib"], slot["iterations"], slot["lanes"]).derive(
        password, _unb64(slot["salt"]))
    try:
        return AESGCM(key).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]),
                                   f"hotline-keyslot-v1:{sid}".encode())
    except InvalidTag:
        raise AuthError() from None


def legacy_mac(key: bytes, prev: str, row: tuple[Any, ...]) -> str:
    """Version 1's MAC over [prev, seq, at, user, action, target, outcome, detail]."""
    body = json.dumps([prev, *row], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def upgrade(root: Path, name: str, password: str) -> int:
    """Turn a version 1 workspace into version 2 for admin `name`; returns how many audit
    entries came from version 1. The caller opens it and signs the upgrade."""
    keys_path = root / "workspace.keys"
    data = json.loads(keys_path.read_bytes())
    master = _unlock(data, name, password)
    db = connect(root / "workspace.db", subkey(master, "database"))
    try:
        # Version 1's users and audit are read as they were written: the schema before data
        # keys, names and values were sealed (the rest applies when the upgraded workspace
        # opens, and seals the keys written here).
        migrations.apply(db, DataKeys(db, {}), migrations.until("0009_sealed_data_keys"))
        row = db.execute("SELECT role, disabled FROM users WHERE name = ?", [name]).fetchone()
        if row is None or row[0] != Role.ADMIN.value or row[1]:
            raise PermissionDenied("only an active admin may upgrade the workspace")
        audit_key = subkey(master, "audit")
        prev, count = GENESIS, 0
        for entry in db.execute("SELECT seq, at, user, action, target, outcome, detail, mac "
                                "FROM audit ORDER BY seq"):
            if entry[0] != count + 1 or not hmac.compare_digest(
                    entry[7], legacy_mac(audit_key, prev, entry[:7])):
                raise WorkspaceError(f"the audit log is broken at entry {count + 1}; the "
                                     "upgrade is refused (nothing was changed)")
            prev, count = entry[7], count + 1
        with transaction(db):
            for purpose in _LEGACY_PURPOSES:
                db.execute("INSERT OR REPLACE INTO secrets (purpose, epoch, key) VALUES (?, 0, ?)",
                           [purpose, subkey(master, purpose)])
            db.execute("INSERT OR REPLACE INTO secrets (purpose, epoch, key) VALUES (?, 0, ?)",
                       [LEGACY_AUDIT, audit_key])
    finally:
        db.close()
    identity = Identity.generate()
    keys = KeyFile.create(keys_path)
    keys.set_slot(name, password, identity)
    keys.grant(identity.public(), 0, master)
    keys.save()
    return count
