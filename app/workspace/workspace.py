"""A workspace folder: key slots, the encrypted database, the vault, the list files.

    workspace.keys   key slots (JSON, reveals nothing)
    workspace.db     SQLCipher database (+ -wal / -shm while open)
    workspace.lock   lock file for changes to workspace.keys
    vault/           encrypted blobs
    lists/           encrypted hash-list files
"""

from pathlib import Path

import platformdirs
import sqlite_utils

from app.errors import WorkspaceError
from app.workspace import migrations
from app.workspace.assessments import AssessmentStore
from app.workspace.audit import AuditLog
from app.workspace.db import connect
from app.workspace.filelock import locked
from app.workspace.items import ItemStore
from app.workspace.keyring import Keyring
from app.workspace.keys import KeyFile, subkey
from app.workspace.lists import ListStore
from app.workspace.notices import NoticeStore
from app.workspace.settings import SettingsStore
from app.workspace.users import UserStore
from app.workspace.vault import Vault

KEYS, DB, LOCK = "workspace.keys", "workspace.db", "workspace.lock"


def default_location() -> Path:
    return platformdirs.user_data_path("hotline-triage", appauthor=False) / "workspace"


class Workspace:
    """An unlocked workspace. Holds the master key in memory only as long as it is open."""

    def __init__(self, root: Path, keys: KeyFile, master: bytes) -> None:
        self.root = root
        self.keys = keys
        self._master = master
        self.db: sqlite_utils.Database = connect(root / DB, subkey(master, "database"))
        migrations.apply(self.db)
        self.vault = Vault(root / "vault", subkey(master, "vault-names"),
                           subkey(master, "vault-bodies"))
        self.audit = AuditLog(self.db, subkey(master, "audit"))
        self.users = UserStore(self.db)
        self.settings = SettingsStore(self.db)
        self.lists = ListStore(self.db, root / "lists", subkey(master, "lists"))
        self.keyring = Keyring(self.db)
        self.items = ItemStore(self.db)
        self.assessments = AssessmentStore(self.db)
        self.notices = NoticeStore(self.db)

    def subkey(self, label: str) -> bytes:
        """A key for one purpose, derived from the master key (e.g. for list files)."""
        return subkey(self._master, label)

    @property
    def lists_dir(self) -> Path:
        return self.root / "lists"

    @staticmethod
    def exists(root: Path) -> bool:
        return (root / KEYS).exists()

    @classmethod
    def create(cls, root: Path, admin: str, password: str) -> "Workspace":
        """A new workspace whose only key slot belongs to `admin` (who the caller records)."""
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with locked(root / LOCK):
            if cls.exists(root) or (root / DB).exists():
                raise WorkspaceError(f"a workspace exists already at {root}")
            if any(p.name not in {LOCK} for p in root.iterdir()):
                raise WorkspaceError(f"{root} is not empty; choose an empty or new folder")
            keys, master = KeyFile.create(root / KEYS)
            keys.set_slot(master, admin, password)
            (root / "vault").mkdir(mode=0o700)
            (root / "lists").mkdir(mode=0o700)
            ws = cls(root, keys, master)
            (root / DB).chmod(0o600)
            keys.save()  # last: a workspace without its key file is not a workspace yet
        return ws

    @classmethod
    def unlock(cls, root: Path, name: str, password: str) -> "Workspace":
        """Open with one user's password; AuthError says nothing about which part was wrong."""
        keys = KeyFile.load(root / KEYS)
        return cls(root, keys, keys.unlock(name, password))

    def change_slots(self) -> "SlotChange":
        """A locked read-modify-write of the key file: `with ws.change_slots() as keys: ...`."""
        return SlotChange(self)

    @property
    def master(self) -> bytes:
        return self._master

    def close(self) -> None:
        self.db.close()


class SlotChange:
    """Holds the workspace lock, re-reads the key file, saves it on success."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._lock = locked(ws.root / LOCK)

    def __enter__(self) -> KeyFile:
        self._lock.__enter__()
        self._ws.keys = KeyFile.load(self._ws.root / KEYS)
        return self._ws.keys

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._ws.keys.save()
        finally:
            self._lock.__exit__(exc_type, exc, tb)
