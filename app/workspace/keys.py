"""Key slots: the workspace's master key wrapped once per user under that user's password.

`workspace.keys` is plain JSON, so it must reveal nothing: a slot is named by a keyed hash of
the user name, never the name itself, and holds only the Argon2id parameters, a nonce and the
wrapped key. A wrong password and an unknown user fail in the same way and take the same time.
"""

import base64
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import AuthError, WorkspaceError
from app.workspace.atomic import write_atomic

FORMAT = "hotline-keys"
VERSION = 1
MASTER_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. OWASP's 2024 advice is at least 19 MiB / 2 passes; we take 64 MiB / 3."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def derive(self, password: str, salt: bytes) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(password.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def subkey(master: bytes, label: str) -> bytes:
    """A key for one purpose (database, vault names, vault bodies, audit, lists)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"hotline/{label}".encode())
    return hkdf.derive(master)


class KeyFile:
    """The `workspace.keys` file. Callers hold the workspace lock around changes."""

    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self._data = data
        self._salt = _unb64(data["salt"])

    @classmethod
    def create(cls, path: Path) -> tuple["KeyFile", bytes]:
        """A new key file with no slots, and the fresh master key it will protect."""
        data = {"format": FORMAT, "version": VERSION, "salt": _b64(os.urandom(16)), "slots": {}}
        return cls(path, data), os.urandom(MASTER_KEY_BYTES)

    @classmethod
    def load(cls, path: Path) -> "KeyFile":
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise WorkspaceError(f"no workspace at {path.parent}") from None
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"the key file {path} is unreadable: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise WorkspaceError(f"{path} is not a Hotline Triage key file")
        if data.get("version") != VERSION:
            raise WorkspaceError(f"{path} has key file version {data.get('version')}, "
                                 f"this program reads version {VERSION}")
        return cls(path, data)

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self._data, indent=1, sort_keys=True).encode())

    def slot_id(self, name: str) -> str:
        digest = hmac.new(self._salt, name.casefold().encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:32]

    def has_slot(self, name: str) -> bool:
        return self.slot_id(name) in self._data["slots"]

    def slot_count(self) -> int:
        return len(self._data["slots"])

    def set_slot(self, master: bytes, name: str, password: str,
                 kdf: KdfParams | None = None) -> None:
        """Wrap `master` under `password` for `name` (a new slot, or a re-wrap of an old one)."""
        kdf = kdf or KdfParams()
        sid = self.slot_id(name)
        salt, nonce = os.urandom(16), os.urandom(12)
        wrapped = AESGCM(kdf.derive(password, salt)).encrypt(nonce, master, self._aad(sid))
        self._data["slots"][sid] = {
            "kdf": "argon2id",
            **asdict(kdf),
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "wrapped": _b64(wrapped),
        }

    def remove_slot(self, name: str) -> None:
        self._data["slots"].pop(self.slot_id(name), None)

    def unlock(self, name: str, password: str) -> bytes:
        """The master key, or AuthError. An unknown name still pays for one Argon2id run."""
        sid = self.slot_id(name)
        slot = self._data["slots"].get(sid)
        if slot is None:
            KdfParams().derive(password, os.urandom(16))
            raise AuthError()
        try:
            kdf = KdfParams(slot["memory_kib"], slot["iterations"], slot["lanes"])
            key = kdf.derive(password, _unb64(slot["salt"]))
            wrapped = _unb64(slot["wrapped"])
            return AESGCM(key).decrypt(_unb64(slot["nonce"]), wrapped, self._aad(sid))
        except InvalidTag:
            raise AuthError() from None
        except (KeyError, ValueError, TypeError) as exc:
            raise WorkspaceError(f"the key slot in {self.path} is damaged: {exc}") from None

    @staticmethod
    def _aad(sid: str) -> bytes:
        return f"hotline-keyslot-v1:{sid}".encode()
