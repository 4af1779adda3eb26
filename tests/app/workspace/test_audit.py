import os
from pathlib import Path

import pytest

from app.workspace import migrations
from app.workspace.audit import AuditLog
from app.workspace.db import connect, transaction


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    db = connect(tmp_path / "w.db", os.urandom(32))
    migrations.apply(db)
    log = AuditLog(db, os.urandom(32))
    for i in range(1, 6):
        with transaction(db):
            log.append("alice", "item.assess", f"item-{i}", detail={"verdict": "baseline", "i": i})
    return log


def db_of(log: AuditLog):
    return log._db


def test_intact_chain_verifies(log: AuditLog) -> None:
    check = log.verify()
    assert check.ok
    assert check.entries == 5
    assert len(check.head) == 64


@pytest.mark.parametrize(("column", "value"), [
    ("user", "mallory"), ("action", "item.view"), ("target", "item-9"),
    ("detail", '{"verdict": "not_illegal"}'), ("at", "2020-01-01T00:00:00.000000Z"),
    ("outcome", "refused"),
])
def test_editing_any_field_is_found(log: AuditLog, column: str, value: str) -> None:
    db_of(log).execute(f"UPDATE audit SET {column} = ? WHERE seq = 3", [value])
    check = log.verify()
    assert not check.ok
    assert check.first_bad == 3


def test_deleting_an_entry_is_found(log: AuditLog) -> None:
    db_of(log).execute("DELETE FROM audit WHERE seq = 2")
    check = log.verify()
    assert (check.ok, check.first_bad) == (False, 2)


def test_deleting_the_last_entries_is_found(log: AuditLog) -> None:
    db_of(log).execute("DELETE FROM audit WHERE seq >= 4")
    check = log.verify()
    assert (check.ok, check.first_bad) == (False, 4)


def test_reordering_is_found(log: AuditLog) -> None:
    db = db_of(log)
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT seq, at, user, action, target, outcome, detail, mac FROM audit")}
    for seq, other in ((2, 3), (3, 2)):
        db.execute("UPDATE audit SET at=?, user=?, action=?, target=?, outcome=?, detail=?, mac=?"
                   " WHERE seq = ?", [*rows[other], seq])
    check = log.verify()
    assert (check.ok, check.first_bad) == (False, 2)


def test_an_entry_recomputed_without_the_key_is_found(log: AuditLog) -> None:
    forger = AuditLog(db_of(log), os.urandom(32))
    db = db_of(log)
    db.execute("DELETE FROM audit")
    db.execute("DELETE FROM audit_head")
    with transaction(db):
        forger.append("mallory", "item.assess", "item-1")
    assert not log.verify().ok


def test_entries_filter_and_page(log: AuditLog) -> None:
    assert [e.seq for e in log.entries(limit=2)] == [5, 4]
    assert [e.seq for e in log.entries(limit=2, before=4)] == [3, 2]
    [entry] = log.entries(target="item-2")
    assert entry.detail == {"verdict": "baseline", "i": 2}


def test_append_outside_a_transaction_is_a_bug(log: AuditLog) -> None:
    with pytest.raises(AssertionError):
        log.append("alice", "x")
