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

from app.errors import WorkspaceError
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


class PostgresDatabase:
    """One connection to a team workspace's server; autocommit outside `transaction()`."""

    dialect = "postgres"
    hides_rows = True

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self._sql: dict[str, str] = {}

    @classmethod
    def connect(cls, conninfo: str) -> "PostgresDatabase":
        try:
            conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as exc:
            raise WorkspaceError(f"cannot reach the team server: {_first_line(exc)}") from None
        return cls(conn)

    def _translated(self, sql: str) -> str:
        translated = self._sql.get(sql)
        if translated is None:
            translated = self._sql[sql] = to_psycopg(sql)
        return translated

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        if not params:  # as written: several statements may run at once (a schema)
            return self.conn.execute(sql)
        return self.conn.execute(self._translated(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(self._translated(sql), rows)

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != pq.TransactionStatus.IDLE

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
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
