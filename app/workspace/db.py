"""The workspace database behind one small interface, `Database`, with two drivers: SQLCipher
(a single workstation's folder, through sqlite-utils) and PostgreSQL (a team's server, in
`app.workspace.postgres`). The stores above write one SQL: `?` placeholders, `RETURNING`,
`ON CONFLICT`, no dialect's own functions; what differs is said by the driver (`dialect`).

SQLCipher is opened with a raw 256-bit sub-key (no passphrase KDF: the key already comes from
Argon2id). Writes go through `transaction()`, which takes the write lock at BEGIN so that two
processes queue up instead of failing half-way.
"""

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3
import sqlite_utils

from app.errors import HotlineError, WorkspaceError

BUSY_TIMEOUT_S = 30.0


class WorkspaceBusy(HotlineError):
    """Another process held the database for longer than the busy timeout."""


class Cursor(Protocol):
    """What a query gives back, in both drivers (DB-API)."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    """A connection to the workspace's database, whichever the engine."""

    dialect: str  # "sqlite" | "postgres"
    hides_rows: bool  # row-level security may leave rows out of what a query returns

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def insert_rows(self, table: str, shared: dict[str, Any], columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """Many rows, in order, that share some values (`shared`); the rest (`columns`) are
        numbers, text or None, one tuple a row. Names are the caller's, never input."""

    @property
    def in_transaction(self) -> bool: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def serialise(self, key: int) -> None:
        """Until this transaction ends, no other transaction passes serialise(key)."""

    def continue_ids(self, table: str) -> None:
        """After rows were written with their ids: new rows get ids after them."""

    def close(self) -> None: ...


class SqliteDatabase:
    """SQLCipher through sqlite-utils: one writer at a time (BEGIN IMMEDIATE)."""

    dialect = "sqlite"
    hides_rows = False

    def __init__(self, conn: Any) -> None:
        self.utils = sqlite_utils.Database(conn)
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_rows(self, table: str, shared: dict[str, Any], columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """One statement: the rows go in as one JSON array, taken apart by SQLite. Binding
        costs the driver ~0.7 us a value: an item's ~10 match rows of 12 values each took
        0.19 ms of the importing process (a fifth of its work an item), 0.13 ms so."""
        if not rows:
            return
        picks = [f"value ->> {i}" for i in range(len(columns))]
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join([*shared, *columns])}) "
            f"SELECT {', '.join(['?'] * len(shared) + picks)} FROM json_each(?)",
            [*shared.values(), json.dumps(rows, allow_nan=False)])

    @property
    def in_transaction(self) -> bool:
        return bool(self.conn.in_transaction)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE); nested calls become savepoints."""
        conn = self.conn
        if conn.in_transaction:
            with self.utils.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise WorkspaceBusy("the workspace is busy in another window or process; "
                                    "try again in a moment") from None
            raise
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def serialise(self, key: int) -> None:
        """Nothing to do: a write transaction holds the database's one write lock already."""

    def continue_ids(self, table: str) -> None:
        """Nothing to do: SQLite takes the next id after the largest."""

    def close(self) -> None:
        self.conn.close()


def connect(path: Path, key: bytes, timeout: float = BUSY_TIMEOUT_S) -> SqliteDatabase:
    """Open (or create) the encrypted database; a wrong key is a WorkspaceError."""
    conn = sqlcipher3.connect(str(path), timeout=timeout, check_same_thread=False)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WorkspaceError(f"{path} cannot be decrypted with this workspace's key") from None
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return SqliteDatabase(conn)


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction; nested calls become savepoints. Whichever the engine."""
    with db.transaction():
        yield db


def is_sqlite_plaintext(path: Path) -> bool:
    """True if the file starts with SQLite's plain header (it never should)."""
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def marks(values: Sequence[object]) -> str:
    """`?, ?, ?`: one placeholder per value, for `IN (...)`."""
    return ", ".join("?" * len(values))


def equal_to(**columns: object) -> tuple[list[str], list[object]]:
    """`column = ?` for each column whose value is not None, and those values: the optional
    filters of a query (the column names are the caller's, never input)."""
    given = {column: value for column, value in columns.items() if value is not None}
    return [f"{column} = ?" for column in given], list(given.values())
