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
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.errors import WorkspaceError
from app.workspace.atomic import write_atomic

MAGIC_V1 = b"HTV1"  # unpadded: still read
MAGIC = b"HTV2"     # body = u64 content length | content | zero padding (Padmé)
_NONCE = 12
_LENGTH = 8


def padme(length: int) -> int:
    """The Padmé padded size of `length` bytes."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    mantissa_bits = exponent.bit_length()
    mask = (1 << (exponent - mantissa_bits)) - 1
    return (length + mask) & ~mask


class VaultError(WorkspaceError):
    """A blob is missing or does not decrypt."""


class Vault:
    def __init__(self, root: Path, name_key: bytes, body_key: bytes) -> None:
        self.root = root
        self._name_key = name_key
        self._aead = AESGCM(body_key)

    def name_for(self, sha256: bytes) -> str:
        """The blob name of content with this SHA-256 (raw 32 bytes)."""
        return hmac.new(self._name_key, sha256, hashlib.sha256).hexdigest()

    def _path(self, name: str) -> Path:
        if len(name) != 64 or not all(c in "0123456789abcdef" for c in name):
            raise VaultError(f"not a vault blob name: {name!r}")
        return self.root / name[:2] / name

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store `data` (once: the same content always has the same name); returns the name.
        `sha256` (hex), when the caller has it already, saves hashing the content again."""
        digest = bytes.fromhex(sha256) if sha256 else hashlib.sha256(data).digest()
        name = self.name_for(digest)
        path = self._path(name)
        if path.exists():
            return name
        path.parent.mkdir(parents=True, exist_ok=True)
        nonce = os.urandom(_NONCE)
        body = len(data).to_bytes(_LENGTH, "big") + data
        body += bytes(padme(len(body)) - len(body))
        write_atomic(path, MAGIC + nonce + self._aead.encrypt(nonce, body, name.encode()))
        return name

    def get(self, name: str) -> bytes:
        try:
            raw = self._path(name).read_bytes()
        except FileNotFoundError:
            raise VaultError(f"blob {name[:12]}… is not in the vault (purged?)") from None
        if raw[:4] not in (MAGIC, MAGIC_V1):
            raise VaultError(f"blob {name[:12]}… is not a vault blob")
        try:
            body = self._aead.decrypt(raw[4:4 + _NONCE], raw[4 + _NONCE:], name.encode())
        except InvalidTag:
            raise VaultError(f"blob {name[:12]}… is damaged or was tampered with") from None
        if raw[:4] == MAGIC_V1:
            return body
        length = int.from_bytes(body[:_LENGTH], "big")
        if length > len(body) - _LENGTH:
            raise VaultError(f"blob {name[:12]}… is damaged")
        return body[_LENGTH:_LENGTH + length]

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
