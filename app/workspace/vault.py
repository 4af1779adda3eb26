"""Encrypted, content-addressed blobs: the only place reported media rests.

A blob's name is HMAC(name key, SHA-256 of its content), so the folder never tells which known
file is present. The body is AES-256-GCM with the name as associated data: a blob renamed or
swapped with another fails to decrypt. Writes are atomic; a crash leaves no half blob.

Sizes are padded (Padmé, Nikitin et al. 2019: at most 12% more, and the padded size leaks only
O(log log n) bits of the true one), so a known file cannot be recognised by its blob's size.
"""

import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import WorkspaceError
from hashdb.atomicfile import atomic_writer, make_durable

MAGIC_V1 = b"HTV1"  # unpadded: still read (epoch 0)
MAGIC_V2 = b"HTV2"  # body = u64 content length | content | zero padding (Padmé); epoch 0
MAGIC = b"HTV3"     # as HTV2, with the key epoch (u32) after the magic
_EPOCH = 4
_NONCE = 12
_LENGTH = 8
_TAG = 16  # AES-GCM's


def padme(length: int) -> int:
    """The Padmé padded size of `length` bytes."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    mantissa_bits = exponent.bit_length()
    mask = (1 << (exponent - mantissa_bits)) - 1
    return (length + mask) & ~mask


def blob_name(name_key: bytes, sha256: bytes) -> str:
    """A blob's name: HMAC of its content's SHA-256, so that storage never tells which known
    file it holds (the folder vault and the database's alike)."""
    return hmac.new(name_key, sha256, hashlib.sha256).hexdigest()


class _Named(Protocol):
    def name_for(self, sha256: bytes, epoch: int | None = None) -> str: ...

    def __contains__(self, name: str) -> bool: ...


def stored_name(store: _Named, epochs: Iterable[int], sha256: bytes) -> str | None:
    """The name content already has in `store` under any epoch's key, newest first: the
    same content is stored once, whichever key epoch wrote it."""
    for epoch in sorted(epochs, reverse=True):
        name = store.name_for(sha256, epoch)
        if name in store:
            return name
    return None


class VaultError(WorkspaceError):
    """A blob is missing or does not decrypt."""


_STEP = 4 << 20  # decrypted a step at a time by `view`
Plain = TypeVar("Plain", bytes, memoryview)


def _unpadded(plain: Plain, magic: bytes, name: str) -> Plain:
    """The content inside a decrypted body: HTV1 bodies are the content; later ones start
    with its length and end in padding."""
    if magic == MAGIC_V1:
        return plain
    length = int.from_bytes(plain[:_LENGTH], "big")
    if length > len(plain) - _LENGTH:
        raise VaultError(f"blob {name[:12]}… is damaged")
    return plain[_LENGTH:_LENGTH + length]


class Vault:
    """Blobs under the keys of every epoch (`name_keys` and `body_keys` by epoch); new blobs
    are written under the newest."""

    def __init__(self, root: Path, name_keys: dict[int, bytes],
                 body_keys: dict[int, bytes]) -> None:
        self.root = root
        self._name_keys = name_keys
        self._body_keys = body_keys
        self._aeads = {epoch: AESGCM(key) for epoch, key in body_keys.items()}
        self._epoch = max(body_keys)

    def name_for(self, sha256: bytes, epoch: int | None = None) -> str:
        """The blob name of content with this SHA-256 (raw 32 bytes) under an epoch's key."""
        return blob_name(self._name_keys[self._epoch if epoch is None else epoch], sha256)

    def _path(self, name: str) -> Path:
        if len(name) != 64 or not all(c in "0123456789abcdef" for c in name):
            raise VaultError(f"not a vault blob name: {name!r}")
        return self.root / name[:2] / name

    def put(self, data: bytes, sha256: str | None = None, durable: bool = True) -> str:
        """Store `data` (once: the same content always has the same name); returns the name.
        `sha256` (hex), when the caller has it already, saves hashing the content again.
        `durable=False` writes without fsync (`make_durable` later, before the name is
        committed anywhere); such a write cut by a power loss may have left a file under its
        name, empty or short: a blob of the newest epoch and the wrong size is written again."""
        digest = bytes.fromhex(sha256) if sha256 else hashlib.sha256(data).digest()
        known = stored_name(self, self._name_keys, digest)
        name = self.name_for(digest)
        if known is not None and (durable or known != name or self._whole(name, len(data))):
            return known
        self.put_as(name, self._epoch, data, durable)
        return name

    def _whole(self, name: str, length: int) -> bool:
        """The newest epoch's blob of `length` bytes of content has the size it must have."""
        size = len(MAGIC) + _EPOCH + _NONCE + padme(_LENGTH + length) + _TAG
        try:
            return self._path(name).stat().st_size == size
        except OSError:
            return False

    def make_durable(self, names: Iterable[str]) -> None:
        """fsync blobs written with `durable=False` (and their folders)."""
        make_durable(self._path(name) for name in names)

    def keys(self) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """The name and body keys of every epoch (for app.workspace.stash)."""
        return self._name_keys, self._body_keys

    def put_as(self, name: str, epoch: int, data: bytes, durable: bool = True) -> None:
        """Store `data` under this name and key epoch (a copy of another vault's blob)."""
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        nonce = os.urandom(_NONCE)
        # one copy of the content into the padded body, one sealed: an import's workers seal
        # every picture (each further copy of a 300 KB picture cost ~0.1 ms)
        body = bytearray(padme(_LENGTH + len(data)))
        body[:_LENGTH] = len(data).to_bytes(_LENGTH, "big")
        body[_LENGTH:_LENGTH + len(data)] = data
        sealed = self._aeads[epoch].encrypt(nonce, body, name.encode())
        with atomic_writer(path, durable) as fh:
            fh.write(MAGIC + epoch.to_bytes(_EPOCH, "big") + nonce)
            fh.write(sealed)

    def epoch_of(self, name: str) -> int:
        return self._sealed(name)[2]

    def _sealed(self, name: str) -> tuple[bytes, int, int, bytes]:
        """The blob's bytes, where its nonce starts, its key epoch and its magic."""
        try:
            raw = self._path(name).read_bytes()
        except FileNotFoundError:
            raise VaultError(f"blob {name[:12]}… is not in the vault (purged?)") from None
        magic, start, epoch = raw[:4], 4, 0
        if magic == MAGIC:
            epoch, start = int.from_bytes(raw[4:4 + _EPOCH], "big"), 4 + _EPOCH
        elif magic not in (MAGIC_V1, MAGIC_V2):
            raise VaultError(f"blob {name[:12]}… is not a vault blob")
        if epoch not in self._aeads:
            raise VaultError(f"blob {name[:12]}… names a key epoch this workspace never had")
        return raw, start, epoch, magic

    def get(self, name: str) -> bytes:
        raw, start, epoch, magic = self._sealed(name)
        try:
            body = self._aeads[epoch].decrypt(raw[start:start + _NONCE], raw[start + _NONCE:],
                                              name.encode())
        except InvalidTag:
            raise VaultError(f"blob {name[:12]}… is damaged or was tampered with") from None
        return _unpadded(body, magic, name)

    def view(self, name: str) -> memoryview:
        """The content without a copy of it, decrypted into one buffer a step at a time: for
        large blobs (a 200 MB video) read by a worker thread, which then never holds the
        interpreter for long (each copy of 200 MB here holds it ~150 ms)."""
        raw, start, epoch, magic = self._sealed(name)
        sealed = memoryview(raw)[start + _NONCE:]
        if len(sealed) < 16:
            raise VaultError(f"blob {name[:12]}… is damaged or was tampered with")
        body, tag = sealed[:-16], bytes(sealed[-16:])
        decryptor = Cipher(algorithms.AES(self._body_keys[epoch]),
                           modes.GCM(bytes(raw[start:start + _NONCE]), tag)).decryptor()
        decryptor.authenticate_additional_data(name.encode())
        out = np.empty(len(body) + 16, dtype=np.uint8).data  # uninitialised: no 200 MB fill
        done = 0
        for i in range(0, len(body), _STEP):
            done += decryptor.update_into(body[i:i + _STEP], out[done:])
        try:
            decryptor.finalize()
        except InvalidTag:
            raise VaultError(f"blob {name[:12]}… is damaged or was tampered with") from None
        return _unpadded(out[:done], magic, name)

    def __contains__(self, name: str) -> bool:
        return self._path(name).exists()

    def delete(self, name: str) -> bool:
        """Remove a blob; True if it was there."""
        try:
            self._path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def modified(self, name: str) -> float:
        """When the blob was written (seconds since the epoch)."""
        return self._path(name).stat().st_mtime

    def names(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for blob in sorted(sub.iterdir()):
                    if len(blob.name) == 64 and not blob.name.startswith("."):
                        yield blob.name
