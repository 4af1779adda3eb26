"""The PostgreSQL driver of `Database`, for team workspaces: psycopg 3, plain SQL.

The stores write SQLite's `?` placeholders; here they become psycopg's `%s` (and a literal
`%` becomes `%%`), outside quoted strings. A transaction is psycopg's: nested ones are
savepoints. Connection parameters follow libpq's conventions (a conninfo string or URL, a
service file, `PGPASSFILE`, TLS settings): this program stores no database password."""

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import pq

from app.errors import PermissionDenied, WorkspaceError
from app.workspace.db import Cursor

CONNECT_TIMEOUT_S = 10


def to_psycopg(sql: str) -> str:
    """`?` -> `%s` and `%` -> `%%`, except inside '...' and "..." (SQL's quoting)."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class ServerLost(WorkspaceError):
    """The connection to the team server broke (a restart, the network): what was being done
    was not saved (its transaction never committed); the next action connects again."""

    def __init__(self) -> None:
        super().__init__("the connection to the team server was lost (a restart or the "
                         "network); your last action was not saved: do it again")


def _open(conninfo: str) -> "psycopg.Connection[Any]":
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as exc:
        raise WorkspaceError(f"cannot reach the team server: {_first_line(exc)}") from None


class PostgresDatabase:
    """One connection to a team workspace's server; autocommit outside `transaction()`. A
    connection the server dropped (a restart, the network) is opened again: at once when a
    read finds it, or at the next use after a transaction or a write it broke, which is said
    (ServerLost) since that work was not saved."""

    dialect = "postgres"
    hides_rows = True

    def __init__(self, conn: "psycopg.Connection[Any]", conninfo: str = "") -> None:
        self.conn = conn
        self._conninfo = conninfo
        self._sql: dict[str, str] = {}

    @classmethod
    def connect(cls, conninfo: str) -> "PostgresDatabase":
        return cls(_open(conninfo), conninfo)

    def _alive(self) -> None:
        """Outside a transaction, a connection the server dropped is opened again."""
        if (self.conn.broken or self.conn.closed) and self._conninfo:
            self.conn = _open(self._conninfo)

    @contextlib.contextmanager
    def _said(self) -> Iterator[None]:
        try:
            with self._refused():
                yield
        except psycopg.OperationalError:
            if self.conn.broken or self.conn.closed:
                raise ServerLost() from None
            raise

    def _translated(self, sql: str) -> str:
        translated = self._sql.get(sql)
        if translated is None:
            translated = self._sql[sql] = to_psycopg(sql)
        return translated

    @contextlib.contextmanager
    def _refused(self) -> Iterator[None]:
        """What the server's grants and policies refuse is said as a refusal."""
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise PermissionDenied(f"the team server refused it: {_first_line(exc)}") from None

    def _run(self, sql: str, params: Sequence[Any]) -> Cursor:
        if not params:  # as written: several statements may run at once (a schema)
            return self.conn.execute(sql)
        return self.conn.execute(self._translated(sql), params)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        if self.in_transaction:
            with self._said():
                return self._run(sql, params)
        self._alive()
        try:
            with self._refused():
                return self._run(sql, params)
        except psycopg.OperationalError:
            if not (self.conn.broken or self.conn.closed) or not self._conninfo:
                raise
            if not sql.lstrip().upper().startswith("SELECT"):
                raise ServerLost() from None  # it may or may not have been done: say so
            self.conn = _open(self._conninfo)  # a dropped connection found by a read: again
            return self._run(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._said(), self.conn.cursor() as cursor:
            cursor.executemany(self._translated(sql), rows)

    def insert_rows(self, table: str, shared: dict[str, Any], columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """The rows as one batch of statements (psycopg sends them in one pipeline)."""
        names = [*shared, *columns]
        self.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                         f"({', '.join(['?'] * len(names))})",
                         [[*shared.values(), *row] for row in rows])

    @property
    def in_transaction(self) -> bool:
        return not self.conn.broken and not self.conn.closed and \
            self.conn.info.transaction_status != pq.TransactionStatus.IDLE

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if not self.in_transaction:
            self._alive()
        with self._said(), self.conn.transaction():
            yield

    def serialise(self, key: int) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", [key])

    def continue_ids(self, table: str) -> None:
        self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"coalesce(max(id), 0) + 1, false) FROM {table}")

    def close(self) -> None:
        self.conn.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
