"""A database of either driver, for the stores that a team workspace runs on PostgreSQL."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.workspace.db import Database, connect
from app.workspace.postgres import PostgresDatabase


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database: SQLCipher in a temporary folder, or a new database on the
    throwaway PostgreSQL server (tests/postgres_server.py)."""
    if request.param == "sqlite":
        database: Database = connect(tmp_path / "t.db", b"k" * 32)
    else:
        database = PostgresDatabase.connect(request.getfixturevalue("pg_conninfo"))
    yield database
    database.close()
