"""The audit log's own guarantees: every edit, removal, reordering or forgery is found by the
walk, which checks each link and each signature against the certified keys."""

import os
from pathlib import Path

import pytest

from app.workspace import migrations
from app.workspace.audit import AuditLog
from app.workspace.audit_check import walk
from app.workspace.data_keys import DataKeys
from app.workspace.db import connect, transaction
from app.workspace.keys import Session
from app.workspace.sealing import Sealer
from hashdb.identity import Identity


def session(name: str) -> Session:
    return Session(name, Identity.generate(), "slot")


def sealer_of(db) -> Sealer:
    keys = DataKeys(db, {0: os.urandom(32)})
    with transaction(db):
        keys.add_epoch(0)
    return keys.sealer()


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    db = connect(tmp_path / "w.db", os.urandom(32))
    migrations.apply(db, DataKeys(db, {}))
    alice = session("alice")
    log = AuditLog(db, alice, sealer_of(db))
    with transaction(db):
        log.append("workspace.create", "w", detail={"admin": "alice", "role": "admin",
                                                    "key": alice.public.text()})
    for i in range(2, 6):
        with transaction(db):
            log.append("item.view", f"item-{i}", detail={"i": i})
    return log


def db_of(log: AuditLog):
    return log._db


def test_intact_chain_verifies(log: AuditLog) -> None:
    check, _ = walk(log)
    assert check.ok
    assert check.entries == 5
    assert len(check.head) == 64


@pytest.mark.parametrize(("column", "value"), [
    ("actor", "mallory"), ("action", "item.open"), ("target", "item-9"),
    ("detail", '{"i": 7}'), ("at", "2020-01-01T00:00:00.000000Z"),
    ("outcome", "refused"),
])
def test_editing_any_field_is_found(log: AuditLog, column: str, value: str) -> None:
    """Sealed fields are edited as someone holding the keys would (sealed anew), and also
    as raw bytes that do not open."""
    sealed = column in ("actor", "target", "detail")
    for written in ([log._sealer.seal(f"audit.{column}", value), b"junk"] if sealed
                    else [value]):
        db_of(log).execute(f"UPDATE audit SET {column} = ? WHERE seq = 3", [written])
        check, _ = walk(log)
        assert (check.ok, check.first_bad) == (False, 3)


def test_a_sealed_value_moved_from_another_entry_is_found(log: AuditLog) -> None:
    db = db_of(log)
    db.execute("UPDATE audit SET target = (SELECT target FROM audit WHERE seq = 2), "
               "target_key = (SELECT target_key FROM audit WHERE seq = 2) WHERE seq = 3")
    check, _ = walk(log)
    assert (check.ok, check.first_bad) == (False, 3)


def test_the_server_reads_no_actor_target_or_detail(log: AuditLog) -> None:
    stored = b" ".join(bytes(v) for row in db_of(log).execute(
        "SELECT actor, target, detail FROM audit") for v in row)
    assert b"alice" not in stored
    assert b"item-" not in stored
    assert [e.user for e in log.entries(user="ALICE")] == ["alice"] * 5


def test_deleting_an_entry_is_found(log: AuditLog) -> None:
    db_of(log).execute("DELETE FROM audit WHERE seq = 2")
    check, _ = walk(log)
    assert (check.ok, check.first_bad) == (False, 2)


def test_deleting_the_last_entries_is_found_while_the_head_says_more(log: AuditLog) -> None:
    db_of(log).execute("DELETE FROM audit WHERE seq >= 4")
    check, _ = walk(log)
    assert (check.ok, check.first_bad) == (False, 4)


def test_reordering_is_found(log: AuditLog) -> None:
    db = db_of(log)
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT seq, at, actor, action, target, outcome, detail, mac, sig FROM audit")}
    for seq, other in ((2, 3), (3, 2)):
        db.execute("UPDATE audit SET at=?, actor=?, action=?, target=?, outcome=?, detail=?, "
                   "mac=?, sig=? WHERE seq = ?", [*rows[other], seq])
    check, _ = walk(log)
    assert (check.ok, check.first_bad) == (False, 2)


def test_an_entry_re_chained_and_signed_by_another_key_is_found(log: AuditLog) -> None:
    """Whoever edits entry 3 can recompute every hash after it, but signs with their own key,
    not the certified one of the user the entries name."""
    db = db_of(log)
    db.execute("DELETE FROM audit WHERE seq >= 3")
    db.execute("UPDATE audit_head SET seq = 2, mac = (SELECT mac FROM audit WHERE seq = 2)")
    forger = AuditLog(db, Session("alice", Identity.generate(), "slot"), log._sealer)
    with transaction(db):
        forger.append("item.view", "item-3", detail={"i": 3})
    check, _ = walk(log)
    assert (check.ok, check.first_bad) == (False, 3)
    assert "not signed by alice's certified key" in check.problem


def test_entries_filter_and_page(log: AuditLog) -> None:
    assert [e.seq for e in log.entries(limit=2)] == [5, 4]
    assert [e.seq for e in log.entries(limit=2, before=4)] == [3, 2]
    [entry] = log.entries(target="item-2")
    assert entry.detail == {"i": 2}


def test_append_outside_a_transaction_is_a_bug(log: AuditLog) -> None:
    with pytest.raises(AssertionError):
        log.append("x")
