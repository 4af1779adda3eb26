"""An open workspace: one person's session over a place (`places.py`: a folder on this
workstation, or a team's PostgreSQL server) and every store over one database connection.

A folder holds:

    workspace.keys   key slots (JSON, reveals nothing)
    workspace.db     SQLCipher database (+ -wal / -shm while open)
    workspace.lock   lock file for changes to workspace.keys
    vault/           encrypted blobs
    lists/           encrypted hash-list files

A server holds the same in tables (`schema_postgres.sql`).
"""

import os
from pathlib import Path

import platformdirs

from app.errors import AuthError, NotFound, WorkspaceError
from app.workspace import migrations
from app.workspace.assessments import AssessmentStore
from app.workspace.audit import AuditLog
from app.workspace.claims import ClaimStore
from app.workspace.data_keys import DataKeys
from app.workspace.db import Database, transaction
from app.workspace.figures import FigureStore
from app.workspace.floods import FloodStore
from app.workspace.items import ItemStore
from app.workspace.keyring import Keyring
from app.workspace.keys import MASTER_KEY_BYTES, KeyFile, Session, subkey
from app.workspace.lists import ListStore
from app.workspace.notices import NoticeStore
from app.workspace.places import Place, place_for
from app.workspace.settings import SettingsStore
from app.workspace.users import UserStore
from hashdb.identity import Identity

DATA_KEYS = "data-keys"  # the sub-key of a master key that seals the data keys


def default_location() -> Path:
    return platformdirs.user_data_path("hotline-triage", appauthor=False) / "workspace"


class Workspace:
    """An unlocked workspace: one person's session (their key pair) and the master key of the
    workspace's current epoch, held in memory only while it is open."""

    settings: SettingsStore

    def __init__(self, place: Place, keys: KeyFile, master: bytes, epoch: int,
                 session: Session) -> None:
        self.place = place
        self.keys = keys
        self.session = session
        self._keys_seen = place.keys_stamp()
        self._attach(place.connect(master), master, epoch)

    @property
    def root(self) -> Path:
        """This workstation's folder for the workspace: the workspace itself when it is a
        folder; for a team's server, where relative paths (hosting databases) resolve."""
        return self.place.local

    def _attach(self, db: Database, master: bytes, epoch: int) -> None:
        """Every store on this database connection, under the keys of this epoch."""
        self.db = db
        self._master, self.epoch = master, epoch
        self.data_keys = DataKeys(self.db, self._wraps(master, epoch))
        migrations.apply(self.db, self.data_keys)
        if self.data_keys.current() < 0:
            with transaction(self.db):
                self.data_keys.add_epoch(epoch)
        self.sealer = self.data_keys.sealer()
        self.users = UserStore(self.db, self.sealer)
        self._open_data()
        self.audit = AuditLog(self.db, self.session, self.sealer, self._user_id)
        pinned = self.settings.source if hasattr(self, "settings") else None
        self.settings = SettingsStore(self.db, self.users, self.sealer)
        if pinned is not None:  # reconnected after a rotation: the Desk's source stays
            self.settings.pin(pinned)
        self.keyring = Keyring(self.db, self.users, self.sealer)
        self.items = ItemStore(self.db, self.users, self.sealer)
        self.assessments = AssessmentStore(self.db, self.users, self.sealer)
        self.notices = NoticeStore(self.db, self.users, self.sealer)
        self.figures = FigureStore(self.db)
        self.floods = FloodStore(self.db, self.users, self.sealer)
        self.logins = self.place.logins(self.db)
        self.claims = ClaimStore(self.db, self.users)

    def _wraps(self, master: bytes, epoch: int) -> dict[int, bytes]:
        """The data keys' sealing keys of every master key this session holds (two while a
        rotation cut short by a crash is being finished)."""
        wraps = {e: subkey(m, DATA_KEYS) for e, m in self.keys.masters(self.session)}
        return {**wraps, epoch: subkey(master, DATA_KEYS)}

    def _user_id(self, name: str) -> int | None:
        try:
            return self.users.id_of(name)
        except NotFound:  # the first admin's entry is written before there is a users row
            return None

    def readable(self) -> bool:
        """Whether this connection's key still opens the database (not after a rotation)."""
        return self.place.readable(self.db)

    def follow_rotation(self) -> None:
        """If another session moved the workspace to a new master key (a user was disabled),
        reconnect under it, with the grant this session's key pair holds; AuthError if this
        key pair holds none any more. Cheap when nothing changed (one stat)."""
        stamp = self.place.keys_stamp()
        if stamp == self._keys_seen:
            return
        keys = KeyFile.load(self.place.key_store())
        epoch, master = keys.masters(self.session)[0]
        if epoch != self.epoch:
            try:
                db = self.place.connect(master)
                if not self.place.readable(db):
                    db.close()
                    return
            except WorkspaceError:
                return  # the rotation has granted but not yet re-keyed: look again later
            self.db.close()
            self._attach(db, master, epoch)
        self.keys, self._keys_seen = keys, stamp

    def _open_data(self) -> None:
        """The vault and the lists, under the data keys of every epoch so far."""
        keys = self.data_keys
        self.vault = self.place.blobs(self.db, keys.keys("vault-names"),
                                      keys.keys("vault-bodies"))
        self.lists = ListStore(self.db, self.place.files(self.db), keys.keys("lists"),
                               self.users, self.sealer)

    @staticmethod
    def exists(location: Path | str | Place) -> bool:
        return as_place(location).exists()

    @classmethod
    def create(cls, location: Path | str | Place, admin: str, password: str) -> "Workspace":
        """A new workspace whose only key slot belongs to `admin` (who the caller records);
        the admin's key pair is made here, and is the workspace's root of trust."""
        place = as_place(location)
        place.prepare()  # refuses a place that is not empty
        with place.keys_locked():
            if place.exists():
                raise WorkspaceError(f"a workspace exists already at {place.where}")
            keys = KeyFile.create(place.key_store())
            master, identity = new_master(), Identity.generate()
            slot = keys.set_slot(admin, password, identity)
            keys.grant(identity.public(), 0, master)
            ws = cls(place, keys, master, 0, Session(admin, identity, slot))
            keys.save()  # last: a workspace without its key file is not a workspace yet
        return ws

    @classmethod
    def unlock(cls, location: Path | str | Place, name: str, password: str) -> "Workspace":
        """Open with one user's name and password; AuthError says nothing about which part
        was wrong. A rotation cut short (crash) is finished here by whoever opens next."""
        place = as_place(location)
        keys = KeyFile.load(place.key_store())
        session = keys.unlock(name, password)
        granted = keys.masters(session)
        for epoch, master in granted:
            try:
                ws = cls(place, keys, master, epoch, session)
                if not place.readable(ws.db):
                    ws.close()
                    continue
            except WorkspaceError:
                continue
            if epoch != granted[0][0]:
                ws.rekey(*granted[0])
            return ws
        raise AuthError("none of the keys granted to this account opens the workspace "
                        "any more; ask an admin")

    def rekey(self, epoch: int, master: bytes) -> None:
        """Move the database to `master` (of `epoch`) and start that epoch's data keys; then
        drop the grants of older epochs. Blobs and list files keep their own epoch's keys."""
        self.data_keys.use_wrap(epoch, subkey(master, DATA_KEYS))
        with transaction(self.db):
            self.data_keys.reseal()
            self.data_keys.add_epoch(epoch)
        self.place.move(self.db, master)
        self._master, self.epoch = master, epoch
        self.sealer.use(self.data_keys.keys("columns"))
        self._open_data()
        with self.change_slots() as keys:
            keys.keep_epoch(epoch)
        self._keys_seen = self.place.keys_stamp()

    def copy(self) -> "Workspace":
        """The same session on a second connection (for a background thread)."""
        return Workspace(self.place.copy(), self.keys, self._master, self.epoch, self.session)

    def change_slots(self) -> "SlotChange":
        """A locked read-modify-write of the key file: `with ws.change_slots() as keys: ...`."""
        return SlotChange(self)

    @property
    def master(self) -> bytes:
        return self._master

    def close(self) -> None:
        self.db.close()
        self.place.close()


def new_master() -> bytes:
    return os.urandom(MASTER_KEY_BYTES)


def as_place(location: Path | str | Place) -> Place:
    return place_for(location) if isinstance(location, str | Path) else location


class SlotChange:
    """Holds the workspace lock, re-reads the key file, saves it on success."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._lock = ws.place.keys_locked()

    def __enter__(self) -> KeyFile:
        self._lock.__enter__()
        self._ws.keys = KeyFile.load(self._ws.place.key_store())
        return self._ws.keys

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._ws.keys.save()
        finally:
            self._lock.__exit__(exc_type, exc, tb)
