"""Key slots and grants: who can open the workspace, and with which key pair.

`workspace.keys` is plain JSON, so it must reveal nothing:

- A *slot* holds one user's key pair (Ed25519 to sign, X25519 to receive), sealed under a key
  that Argon2id derives from the user's name and password together. The slot's id comes from
  the same derivation, so neither a user name nor a slot owner can be confirmed offline without
  the password; an unknown name and a wrong password fail alike, after the same work.
- A *grant* is the workspace's master key of one epoch, encrypted to one user's X25519 public
  key. Disabling a user deletes their grants and moves the workspace to a new master key that
  only the remaining users are granted, so a slot or grant pasted back opens nothing.
"""

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import AuthError, WorkspaceError
from app.workspace.atomic import write_atomic
from hashdb.errors import HashdbError
from hashdb.identity import Identity, PublicIdentity
from hashdb.sealed import Recipient

FORMAT = "hotline-keys"
VERSION = 2
MASTER_KEY_BYTES = 32
_SLOT_AAD = b"hotline-keyslot-v2:"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. OWASP's 2024 advice is at least 19 MiB / 2 passes; we take 64 MiB / 3."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def derive(self, password: str, salt: bytes, length: int = 32) -> bytes:
        kdf = Argon2id(salt=salt, length=length, iterations=self.iterations, lanes=self.lanes,
                       memory_cost=self.memory_kib)
        return kdf.derive(password.encode("utf-8"))


# The cost new workspaces get. Tests lower it (see tests/conftest.py) to save ~1.5 s a sign-in;
# the product never does. A key file keeps its own cost, so a cheap one stays cheap only for
# a workspace that was created cheap.
DEFAULT_KDF = KdfParams()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def subkey(master: bytes, label: str) -> bytes:
    """A key for one purpose (the database), derived from an epoch's master key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"hotline/{label}".encode())
    return hkdf.derive(master)


@dataclass(frozen=True)
class Session:
    """Who opened the workspace: the name sealed in their slot and their key pair."""

    name: str
    keys: Identity
    slot: str

    @property
    def public(self) -> PublicIdentity:
        return self.keys.public()


class KeyStore(Protocol):
    """Where the key file is kept: `workspace.keys` in a folder, or a row on a team's server.
    `where` names it in messages; `read` gives None when there is none."""

    where: str

    def read(self) -> bytes | None: ...

    def write(self, data: bytes) -> None: ...


class FileKeys:
    """The key file of a folder workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path.parent)  # the workspace

    def read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise WorkspaceError(f"the key file {self.path} is unreadable: {exc}") from None

    def write(self, data: bytes) -> None:
        write_atomic(self.path, data)


class KeyFile:
    """The key file's slots and grants. Callers hold the workspace lock around changes."""

    def __init__(self, store: KeyStore, data: dict[str, Any]) -> None:
        self.store = store
        self._data = data
        self._salt = _unb64(data["salt"])
        self.kdf = KdfParams(**data["kdf"])

    @classmethod
    def create(cls, store: KeyStore | Path, kdf: KdfParams | None = None) -> "KeyFile":
        data = {"format": FORMAT, "version": VERSION, "salt": _b64(os.urandom(16)),
                "kdf": asdict(kdf or DEFAULT_KDF), "slots": {}, "grants": {}}
        return cls(FileKeys(store) if isinstance(store, Path) else store, data)

    @classmethod
    def load(cls, store: KeyStore | Path) -> "KeyFile":
        store = FileKeys(store) if isinstance(store, Path) else store
        raw = store.read()
        if raw is None:
            raise WorkspaceError(f"no workspace at {store.where}")
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise WorkspaceError(f"the key file of {store.where} is unreadable: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise WorkspaceError(f"the key file of {store.where} is not a Hotline Triage key "
                                 "file")
        if data.get("version") == 1:
            raise WorkspaceError(
                f"{store.where} was made by an earlier version, before users had their own "
                "keys; an admin upgrades it once with `hotline workspace upgrade`")
        if data.get("version") != VERSION:
            raise WorkspaceError(f"the key file of {store.where} has version "
                                 f"{data.get('version')}, this program reads version {VERSION}")
        try:
            return cls(store, data)
        except (KeyError, TypeError, ValueError) as exc:
            raise WorkspaceError(f"the key file of {store.where} is damaged: {exc}") from None

    def save(self) -> None:
        self.store.write(json.dumps(self._data, indent=1, sort_keys=True).encode())

    def data(self) -> dict[str, Any]:
        """The slots and grants as they would be saved (a copy)."""
        return json.loads(json.dumps(self._data))

    # ------------------------------------------------------------ slots

    def _derive(self, name: str, password: str) -> tuple[bytes, str]:
        """The slot's wrapping key and its id, both from name and password together."""
        salt = hashlib.sha256(self._salt + b"\0" + name.casefold().encode()).digest()[:16]
        derived = self.kdf.derive(password, salt, length=48)
        return derived[:32], derived[32:].hex()

    def set_slot(self, name: str, password: str, keys: Identity) -> str:
        """Seal `keys` under name and password; returns the slot id (kept in the database, so
        that the slot can be removed when the password changes or the user is disabled)."""
        wrap, sid = self._derive(name, password)
        nonce = os.urandom(12)
        body = json.dumps({"name": name, "keys": keys.to_json()}).encode()
        self._data["slots"][sid] = {
            "nonce": _b64(nonce),
            "sealed": _b64(AESGCM(wrap).encrypt(nonce, body, _SLOT_AAD + sid.encode()))}
        return sid

    def remove_slot(self, sid: str | None) -> None:
        if sid:
            self._data["slots"].pop(sid, None)

    def unlock(self, name: str, password: str) -> Session:
        """The user's key pair, or AuthError; an unknown name costs the same as a wrong
        password (the Argon2id run comes first, whatever the name)."""
        wrap, sid = self._derive(name, password)
        slot = self._data["slots"].get(sid)
        if slot is None:
            raise AuthError()
        try:
            body = AESGCM(wrap).decrypt(_unb64(slot["nonce"]), _unb64(slot["sealed"]),
                                        _SLOT_AAD + sid.encode())
            sealed = json.loads(body)
            keys = Identity.from_json(sealed["keys"])
        except InvalidTag:
            raise AuthError() from None
        except (KeyError, ValueError, TypeError) as exc:
            raise WorkspaceError(f"a key slot of {self.store.where} is damaged: {exc}") from None
        if sealed.get("name", "").casefold() != name.casefold():
            raise AuthError()
        return Session(sealed["name"], keys, sid)

    # ------------------------------------------------------------ grants

    def grant(self, public: PublicIdentity, epoch: int, master: bytes) -> None:
        """Give the holder of `public` the master key of `epoch`."""
        wrapped = Recipient(public.encryption).wrap(master)
        self._data["grants"].setdefault(public.fingerprint, {})[str(epoch)] = wrapped

    def revoke(self, fingerprint: str) -> None:
        """Every grant to this key, of every epoch."""
        self._data["grants"].pop(fingerprint, None)

    def keep_epoch(self, epoch: int) -> None:
        """Drop the grants of every other epoch (after a rotation has finished)."""
        for grants in self._data["grants"].values():
            for other in [e for e in grants if e != str(epoch)]:
                del grants[other]

    def masters(self, session: Session) -> list[tuple[int, bytes]]:
        """The master keys granted to this session's key pair, newest epoch first."""
        grants = self._data["grants"].get(session.public.fingerprint, {})
        out = []
        for epoch in sorted(grants, key=int, reverse=True):
            try:
                out.append((int(epoch), session.keys.unwrap().unwrap(grants[epoch])))
            except HashdbError:
                continue
        if not out:
            raise AuthError("this account has been disabled, or has no access to the "
                            "workspace any more")
        return out
