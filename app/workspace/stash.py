"""Sealing content where it was hashed: a pool worker encrypts the content it has just hashed
(and, in a folder workspace, writes the blob), so that the process holding the database only
records it. The stash carries the vault's keys to the worker as task arguments (never through
a file); the worker is a child of the process that holds them already."""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.workspace.chunk_vault import ChunkVault, seal_chunks
from app.workspace.vault import Vault, blob_name

if TYPE_CHECKING:  # the hashing workers import this module: none of the database side
    from app.workspace.places import Blobs

Keys = tuple[tuple[int, bytes], ...]  # (epoch, key): hashable, so a worker caches its vault


@dataclass(frozen=True)
class Stashed:
    """A blob sealed by a worker: written already (a folder's vault: no chunks), or its
    sealed chunks for the database to insert (a server's)."""

    name: str
    chunks: tuple[bytes, ...] = ()
    epoch: int = 0


@dataclass(frozen=True)
class BlobStash:
    """What a worker needs to seal content: the vault's name and body keys of every epoch,
    and the vault's folder (None on a server)."""

    names: Keys = field(repr=False)  # never in a log or a traceback's locals
    bodies: Keys = field(repr=False)
    folder: Path | None = None

    def put(self, data: bytes, sha256: str) -> Stashed:
        """Seal `data`; in a folder, store it (once: a blob already there is kept), not yet
        durable: the importing process makes a batch's blobs durable together before it
        commits their items (`make_durable`): one fsync each in the worker cost 15% of its
        time."""
        if self.folder is not None:
            return Stashed(_folder_vault(self).put(data, sha256, durable=False))
        epoch = max(e for e, _ in self.bodies)
        name = blob_name(dict(self.names)[epoch], bytes.fromhex(sha256))
        return Stashed(name, tuple(seal_chunks(_aead(self.bodies, epoch), name, data)), epoch)


def stash_for(vault: "Blobs") -> BlobStash:
    """The stash of a workspace's vault."""
    if isinstance(vault, Vault):
        names, bodies = vault.keys()
        return BlobStash(tuple(sorted(names.items())), tuple(sorted(bodies.items())), vault.root)
    if isinstance(vault, ChunkVault):
        names, bodies = vault.keys()
        return BlobStash(tuple(sorted(names.items())), tuple(sorted(bodies.items())))
    raise TypeError(f"no stash for a {type(vault).__name__}")


def adopt(vault: "Blobs", stashed: Stashed, sha256: str) -> str:
    """Record a worker's blob of content with this SHA-256 in the vault (a server's chunks
    are inserted in the caller's transaction); the name the content is stored under."""
    if isinstance(vault, ChunkVault) and stashed.chunks:
        return vault.put_sealed(sha256, stashed.name, stashed.epoch, stashed.chunks)
    return stashed.name


def make_durable(vault: "Blobs", names: list[str]) -> None:
    """fsync the blobs a folder's stash wrote (a server's are rows of the transaction)."""
    if isinstance(vault, Vault) and names:
        vault.make_durable(names)


@lru_cache(maxsize=4)
def _folder_vault(stash: BlobStash) -> Vault:
    assert stash.folder is not None
    return Vault(stash.folder, dict(stash.names), dict(stash.bodies))


@lru_cache(maxsize=8)
def _aead(bodies: Keys, epoch: int) -> AESGCM:
    return AESGCM(dict(bodies)[epoch])
