"""The team server's schema (schema_postgres.sql) and the one a folder workspace's migrations
reach are one schema in two dialects: the same tables, the same columns, sealed columns bytes
in both. If a migration adds a column, this says the server's schema needs it too."""

import os
from pathlib import Path

from app.workspace import migrations
from app.workspace.data_keys import DataKeys
from app.workspace.db import connect
from app.workspace.postgres import PostgresDatabase

SERVER_ONLY = {"key_file", "blobs", "blob_chunks", "list_files",  # a folder keeps files
               "team", "logins"}  # database logins (server_security.py)


def test_the_server_schema_is_the_folder_schema(tmp_path: Path, pg_conninfo: str) -> None:
    folder = connect(tmp_path / "w.db", os.urandom(32))
    migrations.apply(folder, DataKeys(folder, {}))
    tables = [r[0] for r in folder.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != '_migrations'")]
    sqlite = {t: {r[1]: r[2] for r in folder.execute(f"PRAGMA table_info({t})")}
              for t in tables}
    server = PostgresDatabase.connect(pg_conninfo)
    migrations.create_server_schema(server)
    postgres: dict[str, dict[str, str]] = {}
    for table, column, kind in server.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name != '_migrations'"):
        postgres.setdefault(table, {})[column] = kind
    assert set(postgres) - SERVER_ONLY == set(sqlite)
    for table, columns in sqlite.items():
        assert set(postgres[table]) == set(columns), table
        for column, kind in columns.items():
            if kind == "BLOB":
                assert postgres[table][column] == "bytea", (table, column)
    assert migrations.apply(server, DataKeys(server, {})) == []  # recorded as applied
    server.close()
