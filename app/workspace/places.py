"""Where a workspace lives: a folder on this workstation, or a team's PostgreSQL server.

The stores and the Desk are the same for both; what differs is said here, once: where the
key file is kept and how changes to it are serialised, how the database is reached and what
moving it to a new master key takes, where blobs and list files are stored, how the database
checks itself. A folder keeps them in files (SQLCipher database, vault and lists folders,
`workspace.keys`, a lock file); a server in tables (`schema_postgres.sql`), every value it
must not read sealed on the workstations first.
"""

import contextlib
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

import platformdirs
import psycopg
import sqlcipher3
from psycopg.conninfo import conninfo_to_dict

from app.errors import PermissionDenied, WorkspaceError
from app.workspace.chunk_vault import ChunkVault
from app.workspace.db import Database, connect
from app.workspace.filelock import locked
from app.workspace.keys import FileKeys, KeyStore, subkey
from app.workspace.logins import Logins, NoLogins, ServerLogins
from app.workspace.postgres import PostgresDatabase
from app.workspace.server_security import CHANNEL, install, new_team
from app.workspace.vault import Vault
from hashdb.atomicfile import atomic_writer
from hashdb.errors import ListFileError

KEYS, DB, LOCK = "workspace.keys", "workspace.db", "workspace.lock"
FILE_CHUNK = 1 << 20
KEY_FILE_LOCK = 0x686F746C696E65  # "hotline": the advisory lock changes to the key file take


class Blobs(Protocol):
    """The vault's interface (`vault.Vault`, `chunk_vault.ChunkVault`)."""

    def name_for(self, sha256: bytes, epoch: int | None = None) -> str: ...
    def __contains__(self, name: str) -> bool: ...
    def put(self, data: bytes, sha256: str | None = None) -> str: ...
    def put_as(self, name: str, epoch: int, data: bytes) -> None: ...
    def epoch_of(self, name: str) -> int: ...
    def get(self, name: str) -> bytes: ...
    def view(self, name: str) -> memoryview: ...
    def delete(self, name: str) -> bool: ...
    def modified(self, name: str) -> float: ...
    def names(self) -> Iterator[str]: ...


class Files(Protocol):
    """Named files (the hash lists, already encrypted by hashdb): written whole, read back."""

    def write(self, name: str, fill: Callable[[BinaryIO], None]) -> None: ...
    def read(self, name: str) -> contextlib.AbstractContextManager[BinaryIO]: ...
    def delete(self, name: str) -> None: ...


class Changes(Protocol):
    """What other workstations changed (items, their states, claims): `wait` returns True as
    soon as something did, False after `timeout` seconds of quiet."""

    def wait(self, timeout: float) -> bool: ...
    def close(self) -> None: ...


class Listening:
    """A team's server: LISTEN on a connection of its own; the server's triggers NOTIFY."""

    def __init__(self, conninfo: str) -> None:
        self._db = PostgresDatabase.connect(conninfo)
        self._db.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        """After the server restarted: listening again, and True (what changed meanwhile
        was not heard)."""
        try:
            for _ in self._db.conn.notifies(timeout=timeout, stop_after=1):
                return True
        except psycopg.OperationalError:
            self._db.execute(f"LISTEN {CHANNEL}")  # on a new connection
            return True
        return False

    def close(self) -> None:
        self._db.close()


class Place(Protocol):
    where: str  # what a person reads: the folder, or the server and database
    local: Path  # this workstation's folder for the workspace (relative paths, markers)

    def exists(self) -> bool: ...
    def prepare(self) -> None: ...
    def key_store(self) -> KeyStore: ...
    def keys_stamp(self) -> object: ...
    def keys_locked(self) -> contextlib.AbstractContextManager[None]: ...
    def connect(self, master: bytes) -> Database: ...
    def readable(self, db: Database) -> bool: ...
    def move(self, db: Database, master: bytes) -> None: ...
    def blobs(self, db: Database, names: dict[int, bytes], bodies: dict[int, bytes]) -> Blobs: ...
    def files(self, db: Database) -> Files: ...
    def database_problems(self, db: Database) -> list[str]: ...
    def logins(self, db: Database) -> Logins: ...
    def changes(self) -> Changes | None: ...
    def copy(self) -> "Place": ...
    def close(self) -> None: ...


class FolderFiles:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def write(self, name: str, fill: Callable[[BinaryIO], None]) -> None:
        self._folder.mkdir(exist_ok=True)
        with atomic_writer(self._folder / name) as fh:
            fill(fh)

    @contextlib.contextmanager
    def read(self, name: str) -> Iterator[BinaryIO]:
        try:
            fh = (self._folder / name).open("rb")
        except FileNotFoundError:
            raise ListFileError(f"no list file {name}") from None
        with fh:
            yield fh

    def delete(self, name: str) -> None:
        (self._folder / name).unlink(missing_ok=True)


class Folder:
    """A workspace in a folder on this workstation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.where = str(root)
        self.local = root

    def exists(self) -> bool:
        return (self.root / KEYS).exists()

    def prepare(self) -> None:
        """An empty folder made ready (its vault and lists folders)."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.exists() or (self.root / DB).exists():
            raise WorkspaceError(f"a workspace exists already at {self.root}")
        if any(p.name not in {LOCK} for p in self.root.iterdir()):
            raise WorkspaceError(f"{self.root} is not empty; choose an empty or new folder")
        (self.root / "vault").mkdir(mode=0o700)
        (self.root / "lists").mkdir(mode=0o700)

    def key_store(self) -> KeyStore:
        return FileKeys(self.root / KEYS)

    def keys_stamp(self) -> object:
        try:
            return (self.root / KEYS).stat().st_mtime_ns
        except OSError:
            return 0

    def keys_locked(self) -> contextlib.AbstractContextManager[None]:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return locked(self.root / LOCK)

    def connect(self, master: bytes) -> Database:
        fresh = not (self.root / DB).exists()
        db = connect(self.root / DB, subkey(master, "database"))
        if fresh:
            (self.root / DB).chmod(0o600)
        return db

    def readable(self, db: Database) -> bool:
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            return False
        return True

    def move(self, db: Database, master: bytes) -> None:
        db.execute(f"PRAGMA rekey = \"x'{subkey(master, 'database').hex()}'\"")

    def blobs(self, db: Database, names: dict[int, bytes], bodies: dict[int, bytes]) -> Blobs:
        return Vault(self.root / "vault", names, bodies)

    def files(self, db: Database) -> Files:
        return FolderFiles(self.root / "lists")

    def database_problems(self, db: Database) -> list[str]:
        rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall()]
        return [] if rows == ["ok"] else rows[:5]

    def logins(self, db: Database) -> Logins:
        return NoLogins()

    def changes(self) -> Changes | None:
        return None  # one workstation: nothing to hear (its own windows refresh themselves)

    def copy(self) -> "Folder":
        return Folder(self.root)

    def close(self) -> None:
        pass


class TableFiles:
    """List files in the server's `list_files` table, in chunks of 1 MiB (they are sealed
    already: bound to their list and version by hashdb)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def write(self, name: str, fill: Callable[[BinaryIO], None]) -> None:
        buffer = io.BytesIO()
        fill(buffer)
        data = buffer.getbuffer()
        with self._db.transaction():
            self._db.execute("DELETE FROM list_files WHERE name = ?", [name])
            for n, start in enumerate(range(0, max(len(data), 1), FILE_CHUNK)):
                self._db.execute("INSERT INTO list_files (name, n, body) VALUES (?, ?, ?)",
                                 [name, n, bytes(data[start:start + FILE_CHUNK])])

    @contextlib.contextmanager
    def read(self, name: str) -> Iterator[BinaryIO]:
        chunks = [bytes(r[0]) for r in self._db.execute(
            "SELECT body FROM list_files WHERE name = ? ORDER BY n", [name])]
        if not chunks:
            raise ListFileError(f"no list file {name}")
        yield io.BytesIO(b"".join(chunks))

    def delete(self, name: str) -> None:
        self._db.execute("DELETE FROM list_files WHERE name = ?", [name])


class ServerKeys:
    """The key file as one row of `key_file`, its version counted up on every write."""

    def __init__(self, db: Database, where: str) -> None:
        self._db = db
        self.where = where

    def read(self) -> bytes | None:
        row = self._db.execute("SELECT data FROM key_file WHERE id = 1").fetchone()
        return row[0].encode() if row else None

    def write(self, data: bytes) -> None:
        self._db.execute("INSERT INTO key_file (id, data, version) VALUES (1, ?, 1) ON CONFLICT"
                         " (id) DO UPDATE SET data = excluded.data, version = "
                         "key_file.version + 1", [data.decode()])


class Server:
    """A team workspace on a PostgreSQL server, reached with libpq's conventions (a URL or
    conninfo string, a service file, PGPASSFILE, TLS settings): no database password is kept
    by this program. The key file and every change to it go through this place's own
    connection; the stores get theirs."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.where = describe(conninfo)
        self.local = platformdirs.user_data_path("hotline-triage", appauthor=False) / \
            "servers" / hashlib.sha256(self.where.encode()).hexdigest()[:16]
        self._keys_db: PostgresDatabase | None = None

    def _admin(self) -> PostgresDatabase:
        if self._keys_db is None:
            self._keys_db = PostgresDatabase.connect(self.conninfo)
        return self._keys_db

    def exists(self) -> bool:
        db = self._admin()
        if db.execute("SELECT to_regclass('key_file')").fetchone()[0] is None:
            return False
        return db.execute("SELECT 1 FROM key_file WHERE id = 1").fetchone() is not None

    def prepare(self) -> None:
        """The schema on an empty database (committed: the stores' connections see it)."""
        db = self._admin()
        if self.exists():
            raise WorkspaceError(f"a workspace exists already at {self.where}")
        if db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = "
                      "current_schema()").fetchone()[0]:
            raise WorkspaceError(f"the database {self.where} is not empty; a team workspace "
                                 "needs a database of its own")
        from app.workspace.migrations import create_server_schema
        try:
            create_server_schema(db)
            install(db, new_team())
        except PermissionDenied:
            raise WorkspaceError(f"the database account cannot set up {self.where}: a team "
                                 "workspace is made by the database's owner with the right to "
                                 "create roles (CREATEROLE)") from None

    def key_store(self) -> KeyStore:
        return ServerKeys(self._admin(), self.where)

    def keys_stamp(self) -> object:
        row = self._admin().execute("SELECT version FROM key_file WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    @contextlib.contextmanager
    def keys_locked(self) -> Iterator[None]:
        db = self._admin()
        with db.transaction():  # one writer of the key file at a time, across workstations
            db.execute("SELECT pg_advisory_xact_lock(?)", [KEY_FILE_LOCK])
            yield

    def connect(self, master: bytes) -> Database:
        return PostgresDatabase.connect(self.conninfo)

    def readable(self, db: Database) -> bool:
        return True  # the server's database is not encrypted as a whole: its values are

    def move(self, db: Database, master: bytes) -> None:
        pass  # nothing to re-encrypt: the data keys, re-sealed, are what a rotation changes

    def blobs(self, db: Database, names: dict[int, bytes], bodies: dict[int, bytes]) -> Blobs:
        return ChunkVault(db, names, bodies)

    def files(self, db: Database) -> Files:
        return TableFiles(db)

    def database_problems(self, db: Database) -> list[str]:
        db.execute("SELECT 1").fetchone()
        return []

    def logins(self, db: Database) -> Logins:
        return ServerLogins(db)

    def changes(self) -> Changes:
        return Listening(self.conninfo)

    def copy(self) -> "Server":
        """The same server, with connections of its own (for a background thread)."""
        return Server(self.conninfo)

    def close(self) -> None:
        if self._keys_db is not None:
            self._keys_db.close()
            self._keys_db = None


def describe(conninfo: str) -> str:
    """The server and database a conninfo names, without any password in it."""
    try:
        fields = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise WorkspaceError(f"not a PostgreSQL connection string: {exc}") from None
    if "service" in fields:
        return f"service={fields['service']}"
    host = str(fields.get("host") or "localhost")
    port = f":{fields['port']}" if fields.get("port") else ""
    return f"postgresql://{host}{port}/{fields.get('dbname') or ''}"


def is_server(location: str | Path) -> bool:
    """A PostgreSQL URL, or libpq's `key=value ...` conninfo (a folder's name is neither)."""
    text = str(location).strip()
    return text.startswith(("postgresql://", "postgres://")) or \
        re.match(r"^[a-z_]+\s*=", text) is not None


def place_for(location: str | Path) -> Place:
    """A folder, or a server when the location is a PostgreSQL URL or conninfo string."""
    if isinstance(location, str) and is_server(location):
        return Server(location)
    return Folder(Path(location))
