"""The workspace database: SQLCipher under sqlite-utils, WAL, foreign keys, busy timeout.

Opened with a raw 256-bit sub-key (no passphrase KDF: the key already comes from Argon2id).
Writes go through `transaction()`, which takes the write lock at BEGIN so that two processes
queue up instead of failing half-way.
"""

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import sqlcipher3
import sqlite_utils

from app.errors import HotlineError, WorkspaceError

BUSY_TIMEOUT_S = 30.0


class WorkspaceBusy(HotlineError):
    """Another process held the database for longer than the busy timeout."""


def connect(path: Path, key: bytes, timeout: float = BUSY_TIMEOUT_S) -> sqlite_utils.Database:
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
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction (BEGIN IMMEDIATE); nested calls become savepoints."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkspaceBusy("the workspace is busy in another window or process; "
                                "try again in a moment") from None
        raise
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


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
