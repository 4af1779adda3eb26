"""Blobs in the database (a team workspace's media on the server): whole or not at all, each
chunk bound to its blob, its place and the end, nothing readable in the rows. On both
drivers; the attacks are a database administrator's: rows moved, dropped, swapped, replayed."""

import hashlib
import os

import pytest

from app.workspace import chunk_vault
from app.workspace.chunk_vault import CHUNK, ChunkVault
from app.workspace.db import Database
from app.workspace.vault import VaultError

KEYS = {0: b"n" * 32}, {0: b"b" * 32}


@pytest.fixture
def vault(any_db: Database) -> ChunkVault:
    chunk_vault.create_tables(any_db)
    return ChunkVault(any_db, *KEYS)


def test_round_trip_small_and_large(vault: ChunkVault) -> None:
    small, large = b"tiny", os.urandom(2 * CHUNK + 12345)
    a, b = vault.put(small), vault.put(large, hashlib.sha256(large).hexdigest())
    assert vault.get(a) == small
    assert bytes(vault.view(b)) == large
    assert vault.put(large) == b  # stored once
    assert sorted(vault.names()) == sorted([a, b])
    assert b in vault
    assert vault.modified(b) > 0
    assert vault.delete(a)
    assert not vault.delete(a)
    with pytest.raises(VaultError, match="not in the vault"):
        vault.get(a)


def test_the_rows_hold_no_content_no_hash_and_a_padded_size(vault: ChunkVault,
                                                            any_db: Database) -> None:
    content = b"REPORTED-CONTENT " * 5000
    name = vault.put(content)
    stored = b"".join(bytes(r[0]) for r in any_db.execute("SELECT body FROM blob_chunks"))
    assert b"REPORTED-CONTENT" not in stored
    assert hashlib.sha256(content).hexdigest() not in name
    assert hashlib.sha256(content).hexdigest().encode() not in stored
    assert len(stored) > len(content)  # padded (Padme) and sealed


def test_chunks_moved_swapped_dropped_or_replayed_fail(vault: ChunkVault,
                                                       any_db: Database) -> None:
    first = vault.put(os.urandom(3 * CHUNK))
    second = vault.put(os.urandom(3 * CHUNK))

    def body(name: str, n: int) -> bytes:
        return bytes(any_db.execute("SELECT body FROM blob_chunks WHERE name = ? AND n = ?",
                                    [name, n]).fetchone()[0])

    # a chunk swapped in from another blob, at the same place
    any_db.execute("UPDATE blob_chunks SET body = ? WHERE name = ? AND n = 1",
                   [body(second, 1), first])
    with pytest.raises(VaultError, match="tampered"):
        vault.get(first)
    # two chunks of one blob swapped
    a, b = body(second, 0), body(second, 1)
    any_db.execute("UPDATE blob_chunks SET body = ? WHERE name = ? AND n = 0", [b, second])
    any_db.execute("UPDATE blob_chunks SET body = ? WHERE name = ? AND n = 1", [a, second])
    with pytest.raises(VaultError, match="tampered"):
        vault.get(second)
    # the last chunk dropped and the count lowered: the new last was not sealed as last
    third = vault.put(os.urandom(3 * CHUNK))
    any_db.execute("DELETE FROM blob_chunks WHERE name = ? AND n = 3", [third])
    any_db.execute("UPDATE blobs SET chunks = 3 WHERE name = ?", [third])
    with pytest.raises(VaultError, match="tampered"):
        vault.get(third)
    # a chunk missing in the middle
    fourth = vault.put(os.urandom(3 * CHUNK))
    any_db.execute("DELETE FROM blob_chunks WHERE name = ? AND n = 1", [fourth])
    with pytest.raises(VaultError, match="missing chunk 1"):
        vault.get(fourth)


def test_a_new_epoch_reads_the_old_and_writes_under_the_new(any_db: Database) -> None:
    chunk_vault.create_tables(any_db)
    old = ChunkVault(any_db, *KEYS)
    name = old.put(b"before the rotation")
    new = ChunkVault(any_db, {0: b"n" * 32, 1: b"N" * 32}, {0: b"b" * 32, 1: b"B" * 32})
    assert new.get(name) == b"before the rotation"
    assert new.put(b"before the rotation") == name  # found under the old epoch's name
    later = new.put(b"after")
    with pytest.raises(VaultError, match="never had"):
        old.get(later)
