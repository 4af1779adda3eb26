"""Blobs in the database, for a team workspace whose media live on the PostgreSQL server:
chunked, each chunk AES-256-GCM bound to the blob's name, its number and whether it is the
last (a chunk moved, dropped, swapped between blobs or repeated fails to decrypt). Names and
padding as the folder vault's (`vault.py`): the server sees a keyed name, a padded size and
when the blob was written, never the content or its hash.

The same SQL runs on SQLite (the tests run it on both drivers)."""

import hashlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.workspace.clock import parse_utc, utc_now
from app.workspace.vault import VaultError, blob_name, padme, stored_name

if TYPE_CHECKING:  # a hashing worker seals chunks with this module and needs no database
    from app.workspace.db import Database

CHUNK = 1 << 20  # plaintext bytes a chunk
_NONCE = 12
_LENGTH = 8

BYTES_TYPE = {"sqlite": "BLOB", "postgres": "BYTEA"}


def create_tables(db: "Database") -> None:
    """The two tables, in the driver's dialect (the only difference: the bytes type)."""
    kind = BYTES_TYPE[db.dialect]
    db.execute("CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, epoch INTEGER NOT NULL,"
               " chunks INTEGER NOT NULL, created TEXT NOT NULL)")
    db.execute(f"CREATE TABLE IF NOT EXISTS blob_chunks (name TEXT NOT NULL REFERENCES blobs "
               f"(name) ON DELETE CASCADE, n INTEGER NOT NULL, body {kind} NOT NULL, "
               "PRIMARY KEY (name, n))")


def _aad(name: str, n: int, last: bool) -> bytes:
    return f"{name}:{n}:{'last' if last else 'more'}".encode()


def seal_chunks(aead: AESGCM, name: str, data: bytes) -> list[bytes]:
    """The content with its length, padded (Padmé), in sealed chunks: nonce + ciphertext,
    each bound to the blob's name, its place and whether it is the last."""
    body = len(data).to_bytes(_LENGTH, "big") + data
    body += bytes(padme(len(body)) - len(body))
    count = max(1, -(-len(body) // CHUNK))
    out = []
    for n in range(count):
        nonce = os.urandom(_NONCE)
        out.append(nonce + aead.encrypt(nonce, body[n * CHUNK:(n + 1) * CHUNK],
                                        _aad(name, n, n == count - 1)))
    return out


class ChunkVault:
    """The folder vault's interface over a database connection."""

    def __init__(self, db: "Database", name_keys: dict[int, bytes],
                 body_keys: dict[int, bytes]) -> None:
        self._db = db
        self._name_keys = name_keys
        self._body_keys = body_keys
        self._aeads = {epoch: AESGCM(key) for epoch, key in body_keys.items()}
        self._epoch = max(body_keys)

    def name_for(self, sha256: bytes, epoch: int | None = None) -> str:
        return blob_name(self._name_keys[self._epoch if epoch is None else epoch], sha256)

    def __contains__(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM blobs WHERE name = ?", [name]).fetchone() \
            is not None

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store `data` once (the same content has the same name); returns the name. One
        transaction: a blob is there whole or not at all."""
        digest = bytes.fromhex(sha256) if sha256 else hashlib.sha256(data).digest()
        known = stored_name(self, self._name_keys, digest)
        if known is not None:
            return known
        name = self.name_for(digest)
        self.put_as(name, self._epoch, data)
        return name

    def put_as(self, name: str, epoch: int, data: bytes) -> None:
        """Store `data` under this name and key epoch (a copy of another vault's blob)."""
        self._insert(name, epoch, seal_chunks(self._aeads[epoch], name, data))

    def put_sealed(self, sha256: str, name: str, epoch: int, chunks: tuple[bytes, ...]) -> str:
        """Store chunks sealed elsewhere (app.workspace.stash) unless the content is stored
        already, under any epoch's name; the name it is stored under."""
        known = stored_name(self, self._name_keys, bytes.fromhex(sha256))
        if known is not None:
            return known
        self._insert(name, epoch, chunks)
        return name

    def keys(self) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """The name and body keys of every epoch (for app.workspace.stash)."""
        return self._name_keys, self._body_keys

    def _insert(self, name: str, epoch: int, chunks: list[bytes] | tuple[bytes, ...]) -> None:
        with self._db.transaction():
            self._db.execute("INSERT INTO blobs (name, epoch, chunks, created) VALUES "
                             "(?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             [name, epoch, len(chunks), utc_now()])
            for n, chunk in enumerate(chunks):
                self._db.execute("INSERT INTO blob_chunks (name, n, body) VALUES (?, ?, ?) "
                                 "ON CONFLICT DO NOTHING", [name, n, chunk])

    def epoch_of(self, name: str) -> int:
        return self._header(name)[0]

    def _header(self, name: str) -> tuple[int, int]:
        """The blob's key epoch and chunk count."""
        row = self._db.execute("SELECT epoch, chunks FROM blobs WHERE name = ?",
                               [name]).fetchone()
        if row is None:
            raise VaultError(f"blob {name[:12]}… is not in the vault (purged?)")
        epoch, count = int(row[0]), int(row[1])
        if epoch not in self._aeads:
            raise VaultError(f"blob {name[:12]}… names a key epoch this workspace never had")
        return epoch, count

    def _decrypted(self, name: str, epoch: int, count: int) -> Iterator[bytes]:
        seen = 0
        for n, raw in self._db.execute("SELECT n, body FROM blob_chunks WHERE name = ? "
                                       "ORDER BY n", [name]):
            raw = bytes(raw)
            if n != seen:
                raise VaultError(f"blob {name[:12]}… is missing chunk {seen}")
            try:
                yield self._aeads[epoch].decrypt(raw[:_NONCE], raw[_NONCE:],
                                                 _aad(name, n, n == count - 1))
            except InvalidTag:
                raise VaultError(f"blob {name[:12]}… is damaged or was tampered with") \
                    from None
            seen += 1
        if seen != count:
            raise VaultError(f"blob {name[:12]}… is missing chunks ({seen} of {count})")

    def view(self, name: str) -> memoryview:
        """The content, decrypted a chunk at a time into one buffer (no whole-blob copies)."""
        epoch, count = self._header(name)
        out = np.empty(count * CHUNK, dtype=np.uint8).data
        done = 0
        for chunk in self._decrypted(name, epoch, count):
            out[done:done + len(chunk)] = chunk
            done += len(chunk)
        length = int.from_bytes(out[:_LENGTH], "big")
        if length > done - _LENGTH:
            raise VaultError(f"blob {name[:12]}… is damaged")
        return out[_LENGTH:_LENGTH + length]

    def get(self, name: str) -> bytes:
        return bytes(self.view(name))

    def delete(self, name: str) -> bool:
        with self._db.transaction():
            self._db.execute("DELETE FROM blob_chunks WHERE name = ?", [name])
            gone = self._db.execute("DELETE FROM blobs WHERE name = ?", [name]).rowcount
        return gone > 0

    def modified(self, name: str) -> float:
        row = self._db.execute("SELECT created FROM blobs WHERE name = ?", [name]).fetchone()
        if row is None:
            raise VaultError(f"blob {name[:12]}… is not in the vault")
        return parse_utc(row[0]).timestamp()

    def names(self) -> Iterator[str]:
        for (name,) in self._db.execute("SELECT name FROM blobs ORDER BY name").fetchall():
            yield name
