import os
import threading
import time
from pathlib import Path

import pytest

from app.errors import WorkspaceError
from app.workspace import migrations
from app.workspace.data_keys import DataKeys
from app.workspace.db import WorkspaceBusy, connect, is_sqlite_plaintext, transaction


def test_database_is_not_plain_sqlite(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", os.urandom(32))
    db.execute("CREATE TABLE t (x TEXT)")
    with transaction(db):
        db.execute("INSERT INTO t VALUES ('visible-marker')")
    db.close()
    assert not is_sqlite_plaintext(tmp_path / "w.db")
    for f in tmp_path.iterdir():
        assert b"visible-marker" not in f.read_bytes()


def test_wrong_key_is_a_clear_error(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(WorkspaceError, match="cannot be decrypted"):
        connect(tmp_path / "w.db", bytes(31) + b"\x01")


def test_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))
    assert migrations.apply(db, DataKeys(db, {})) == [name for name, _ in migrations.MIGRATIONS]
    assert migrations.apply(db, DataKeys(db, {})) == []
    names = [r[0] for r in db.execute("SELECT name FROM _migrations")]
    assert names == [name for name, _ in migrations.MIGRATIONS]


def test_failed_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))

    def broken(d: object, _keys: object) -> None:
        d.execute("CREATE TABLE half (x)")  # type: ignore[attr-defined]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        migrations.apply(db, DataKeys(db, {}), [("0001_broken", broken)])
    assert "half" not in db.utils.table_names()
    assert db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == 0


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))
    db.execute("CREATE TABLE t (x)")
    with pytest.raises(ValueError), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        raise ValueError
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_nested_transaction_is_a_savepoint(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.db", bytes(32))
    db.execute("CREATE TABLE t (x)")
    with transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ValueError), transaction(db):
            db.execute("INSERT INTO t VALUES (2)")
            raise ValueError
    assert [r[0] for r in db.execute("SELECT x FROM t")] == [1]


def test_a_busy_database_waits_then_proceeds(tmp_path: Path) -> None:
    a = connect(tmp_path / "w.db", bytes(32))
    a.execute("CREATE TABLE t (x)")
    b = connect(tmp_path / "w.db", bytes(32), timeout=5)
    a.execute("BEGIN IMMEDIATE")
    a.execute("INSERT INTO t VALUES ('a')")
    threading.Timer(0.5, lambda: a.execute("COMMIT")).start()
    start = time.monotonic()
    with transaction(b):
        b.execute("INSERT INTO t VALUES ('b')")
    assert time.monotonic() - start >= 0.4
    assert b.execute("SELECT count(*) FROM t").fetchone()[0] == 2


def test_a_database_busy_past_the_timeout_is_a_clear_error(tmp_path: Path) -> None:
    a = connect(tmp_path / "w.db", bytes(32))
    a.execute("CREATE TABLE t (x)")
    b = connect(tmp_path / "w.db", bytes(32), timeout=0.2)
    a.execute("BEGIN IMMEDIATE")
    with pytest.raises(WorkspaceBusy, match="busy"), transaction(b):
        pass
    a.execute("ROLLBACK")
