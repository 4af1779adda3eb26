"""Content sealed by the pool worker that hashed it reads back as if the vault had stored it:
in a folder (the worker writes the blob) and on a server (the worker seals the chunks, the
database's process inserts them). Stored once, whichever process sealed it first."""

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from app.workspace import chunk_vault
from app.workspace.chunk_vault import CHUNK, ChunkVault
from app.workspace.db import Database
from app.workspace.stash import adopt, stash_for
from app.workspace.vault import Vault

KEYS = {0: b"n" * 32, 1: b"N" * 32}, {0: b"b" * 32, 1: b"B" * 32}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_folder_workers_blob_is_the_vaults(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault", *KEYS)
    stash = pickle.loads(pickle.dumps(stash_for(vault)))  # as a pool worker gets it
    content = os.urandom(300_000)
    stashed = stash.put(content, sha(content))
    assert not stashed.chunks  # written where it was sealed
    assert adopt(vault, stashed, sha(content)) == stashed.name
    assert vault.get(stashed.name) == content
    assert vault.put(content) == stashed.name  # stored once
    assert vault.epoch_of(stashed.name) == 1  # under the newest key


def test_content_the_folder_holds_under_an_old_key_is_not_written_again(tmp_path: Path) -> None:
    old = Vault(tmp_path / "vault", {0: KEYS[0][0]}, {0: KEYS[1][0]})
    content = b"already here"
    name = old.put(content)
    stashed = stash_for(Vault(tmp_path / "vault", *KEYS)).put(content, sha(content))
    assert stashed.name == name
    assert sum(1 for _ in (tmp_path / "vault").rglob("*") if _.is_file()) == 1


@pytest.fixture
def server_vault(any_db: Database) -> ChunkVault:
    chunk_vault.create_tables(any_db)
    return ChunkVault(any_db, *KEYS)


def test_a_server_workers_chunks_are_the_vaults(server_vault: ChunkVault) -> None:
    stash = pickle.loads(pickle.dumps(stash_for(server_vault)))
    content = os.urandom(2 * CHUNK + 777)
    stashed = stash.put(content, sha(content))
    assert len(stashed.chunks) == 3
    assert stashed.epoch == 1
    assert stashed.name not in server_vault  # nothing stored until the main process adopts it
    name = adopt(server_vault, stashed, sha(content))
    assert bytes(server_vault.view(name)) == content
    assert server_vault.put(content) == name


def test_a_server_keeps_content_it_holds_under_an_old_key(any_db: Database) -> None:
    chunk_vault.create_tables(any_db)
    name = ChunkVault(any_db, {0: KEYS[0][0]}, {0: KEYS[1][0]}).put(b"seen before")
    vault = ChunkVault(any_db, *KEYS)
    stashed = stash_for(vault).put(b"seen before", sha(b"seen before"))
    assert stashed.name != name  # sealed under the newest key...
    assert adopt(vault, stashed, sha(b"seen before")) == name  # ...but the old blob is kept
    assert sorted(vault.names()) == [name]


def test_the_stash_never_prints_its_keys(tmp_path: Path) -> None:
    """A worker's failure may be logged with its task's arguments."""
    stash = stash_for(Vault(tmp_path / "vault", *KEYS))
    assert "nnnn" not in repr(stash)
    assert "bbbb" not in repr(stash)
