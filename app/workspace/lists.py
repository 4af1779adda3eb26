"""The workspace's hash lists: encrypted list files in `lists/`, described by rows in `lists`.

A list file is named by a random id, never by the list's name. Loaded lists are cached per
open workspace. A change writes a new file under a new name and version; the file is bound to
both (authenticated data), so swapping two lists' files, or putting an older version back,
fails to open.
"""

import json
import secrets
from dataclasses import dataclass, replace

from app.errors import Conflict, NotFound, WorkspaceError
from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.places import Files
from app.workspace.sealing import Sealer
from app.workspace.users import UserStore
from hashdb.errors import HashdbError
from hashdb.hashlist import HashList
from hashdb.listfile import read_list, write_list
from hashdb.sealed import SecretKey


@dataclass(frozen=True)
class ListInfo:
    id: int
    name: str
    scope: str
    trust: str
    source: str
    enabled: bool
    entries: int
    counts: dict[str, int]
    imported: str
    imported_by: str
    origin: str
    held: tuple[int | None, ...] = ()  # quarantined after a flood: entries, None = the list

    @property
    def held_text(self) -> str:
        """`the whole list`, `2 entries`, or empty: what a flood put on hold."""
        if not self.held:
            return ""
        if None in self.held:
            return "the whole list"
        return f"{len(self.held)} entr{'y' if len(self.held) == 1 else 'ies'}"


_LIST = ("id", "name", "scope", "trust", "source", "enabled", "entries", "counts", "imported",
         "imported_by", "origin")
_SEALED_LIST = ("name", "source", "origin")


class ListStore:
    def __init__(self, db: Database, files: Files, keys: dict[int, bytes],
                 users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer
        self._files = files
        self._keys = keys
        self._epoch = max(keys)
        self._cache: dict[str, HashList] = {}

    def _key(self, file: str, version: int, epoch: int) -> SecretKey:
        """Version 0: a file written before files were bound to their list (still read)."""
        context = f"{file}:{version}".encode() if version else b""
        return SecretKey(self._keys[epoch], context)

    _COLUMNS = ("id, name, scope, trust, source, enabled, entries, counts, imported, "
                "imported_by, origin")

    def _info(self, row: tuple) -> ListInfo:
        opened = self._sealer.open_many("lists", _LIST, row, _SEALED_LIST)
        return ListInfo(row[0], opened[1] or "", row[2], row[3], opened[4] or "", bool(row[5]),
                        row[6], json.loads(row[7]), row[8], self._users.name_of(row[9]),
                        opened[10] or "")

    def key_of(self, name: str) -> bytes:
        """The keyed lookup of a list's name (also in matches and holds)."""
        return self._sealer.lookup("lists.name", name)

    def all(self) -> list[ListInfo]:
        rows = self._db.execute(f"SELECT {self._COLUMNS}, name_key FROM lists").fetchall()
        held: dict[bytes, list[int | None]] = {}
        for key, entry in self._db.execute("SELECT list_key, entry FROM quarantines "
                                           "WHERE released IS NULL ORDER BY id"):
            held.setdefault(bytes(key), []).append(entry)
        lists = [replace(self._info(r[:-1]), held=tuple(held.get(bytes(r[-1]), ())))
                 for r in rows]
        return sorted(lists, key=lambda info: info.name.casefold())

    def get(self, name: str) -> ListInfo:
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM lists WHERE name_key = ?",
                               [self.key_of(name)]).fetchone()
        if row is None:
            raise NotFound(f"no hash list named {name!r}; `hotline lists show` lists them")
        return self._info(row)

    def exists(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM lists WHERE name_key = ?",
                                [self.key_of(name)]).fetchone() is not None

    def write_file(self, hashlist: HashList, version: int = 1) -> str:
        """Store the list file (outside any transaction: it may be large); returns its name."""
        file = secrets.token_hex(16) + ".hlist"
        key = self._key(file, version, self._epoch)
        self._files.write(file, lambda fh: write_list(fh, hashlist, key))
        return file

    def replace_file(self, info: ListInfo, hashlist: HashList) -> str:
        """Write the list's next version under a new name; returns the old file's name, for
        the caller to discard once the transaction has committed."""
        old, version = self._stored(info.id)[:2]
        file = self.write_file(hashlist, version + 1)
        self._db.execute("UPDATE lists SET file = ?, version = ?, key_epoch = ?, entries = ?,"
                         " counts = ? WHERE id = ?",
                         [file, version + 1, self._epoch, len(hashlist),
                          json.dumps(hashlist.counts()), info.id])
        return old

    def add(self, hashlist: HashList, file: str, by: str, origin: str) -> ListInfo:
        meta = hashlist.meta
        if self.exists(meta.name):
            raise Conflict(f"a hash list named {meta.name!r} exists already")
        seal = self._sealer.seal
        self._db.execute(
            "INSERT INTO lists (name, name_key, file, scope, trust, source, enabled, entries,"
            " counts, imported, imported_by, origin, version, key_epoch)"
            " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 1, ?)",
            [seal("lists.name", meta.name), self.key_of(meta.name), file, meta.scope.value,
             meta.trust.value, seal("lists.source", meta.source), len(hashlist),
             json.dumps(hashlist.counts()), utc_now(), self._users.id_of(by),
             seal("lists.origin", origin), self._epoch])
        return self.get(meta.name)

    def discard_file(self, file: str) -> None:
        self._files.delete(file)
        self._cache.pop(file, None)

    def _stored(self, list_id: int) -> tuple[str, int, int]:
        """The list's file name, version and key epoch."""
        return self._db.execute("SELECT file, version, key_epoch FROM lists WHERE id = ?",
                                [list_id]).fetchone()

    def remove(self, info: ListInfo) -> str:
        """Delete the row; the caller deletes the file after the transaction commits."""
        file = self._stored(info.id)[0]
        self._db.execute("DELETE FROM lists WHERE id = ?", [info.id])
        return file

    def set_enabled(self, info: ListInfo, enabled: bool) -> None:
        self._db.execute("UPDATE lists SET enabled = ? WHERE id = ?", [int(enabled), info.id])

    def load(self, info: ListInfo) -> HashList:
        file, version, epoch = self._stored(info.id)
        if file not in self._cache:
            try:
                with self._files.read(file) as fh:
                    self._cache[file] = read_list(fh, self._key(file, version, epoch))
            except HashdbError as exc:
                raise WorkspaceError(f"hash list {info.name!r}: {exc}") from None
        return self._cache[file]
