"""A sealed stream: chunked AES-256-GCM for files that must stream and must not be altered.

    magic "HTSEAL01" | u32 header length | header (JSON, reveals nothing about the content)
    frames: u32 ciphertext length | u8 flags (1 = last chunk) | ciphertext
    [trailer frame, flags 2: Ed25519 signature of SHA-256(everything before it)]

Each file has its own random key, wrapped in the header for whoever may read it (the workspace,
a partner's X25519 key or a passphrase). A chunk's associated data is SHA-256(header), its
index and its last-chunk flag: a reordered, dropped, truncated or appended chunk fails.
"""

import base64
import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hashdb.errors import ListFileError

MAGIC = b"HTSEAL01"
CHUNK = 4 << 20
_LAST, _SIGNATURE = 1, 2
_WRAP_AAD = b"hotline-sealed-v1 file key"
_FRAME = struct.Struct(">IB")
MAX_HEADER = 1 << 16
MAX_FRAME = CHUNK * 4 + 16
# Argon2id parameters a file may ask for: what we write (64 MiB, 3 passes) with room, never
# what an attacker would like (gigabytes, or 2^31 passes to hang the reader).
ARGON2_MEMORY_KIB = (32, 1024 * 1024)  # Argon2 needs 8 KiB per lane (4 lanes)
ARGON2_ITERATIONS = (1, 10)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    try:
        return base64.b64decode(str(text).encode("ascii"), validate=True)
    except ValueError:
        raise ListFileError("the file's header is damaged") from None


def _raw(public: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# ---------------------------------------------------------------- who can read it


@dataclass(frozen=True)
class SecretKey:
    """A 32-byte key held by the reader too (the workspace's list key). `context` binds the
    file to what the reader expects it to be (the workspace's list id and version): a file
    copied over another, or an older version copied back, does not open."""

    key: bytes
    context: bytes = b""

    def wrap(self, file_key: bytes) -> dict[str, Any]:
        nonce = os.urandom(12)
        aad = _WRAP_AAD + self.context
        return {"kind": "key", "nonce": _b64(nonce),
                "wrapped": _b64(AESGCM(self.key).encrypt(nonce, file_key, aad))}

    def unwrap(self, info: dict[str, Any]) -> bytes:
        if info.get("kind") != "key":
            raise ListFileError("this file is not a workspace list file (it was shared: "
                                "open it with the recipient key or passphrase)")
        message = ("the list file is not the one this workspace wrote for this list and "
                   "version (swapped with another list's file, or an older copy put back)"
                   if self.context else "wrong key, or the file was altered")
        return _aead_open(self.key, info, message, _WRAP_AAD + self.context)


@dataclass(frozen=True)
class Passphrase:
    """A passphrase agreed with the recipient out of band; Argon2id stretches it."""

    text: str
    memory_kib: int = 64 * 1024
    iterations: int = 3

    def _key(self, salt: bytes, memory_kib: int, iterations: int) -> bytes:
        return Argon2id(salt=salt, length=32, iterations=iterations, lanes=4,
                        memory_cost=memory_kib).derive(self.text.encode("utf-8"))

    def wrap(self, file_key: bytes) -> dict[str, Any]:
        salt, nonce = os.urandom(16), os.urandom(12)
        key = self._key(salt, self.memory_kib, self.iterations)
        return {"kind": "passphrase", "salt": _b64(salt), "memory_kib": self.memory_kib,
                "iterations": self.iterations, "nonce": _b64(nonce),
                "wrapped": _b64(AESGCM(key).encrypt(nonce, file_key, _WRAP_AAD))}

    def unwrap(self, info: dict[str, Any]) -> bytes:
        if info.get("kind") != "passphrase":
            raise ListFileError("this file was not encrypted to a passphrase")
        try:
            salt = _unb64(info["salt"])
            memory_kib, iterations = int(info["memory_kib"]), int(info["iterations"])
        except (KeyError, ValueError, TypeError):
            raise ListFileError("the file's header is damaged") from None
        if not (ARGON2_MEMORY_KIB[0] <= memory_kib <= ARGON2_MEMORY_KIB[1]
                and ARGON2_ITERATIONS[0] <= iterations <= ARGON2_ITERATIONS[1]
                and 8 <= len(salt) <= 64):
            raise ListFileError(
                f"the file asks for passphrase stretching outside the accepted bounds "
                f"({memory_kib} KiB, {iterations} passes; accepted: "
                f"{ARGON2_MEMORY_KIB[0]}-{ARGON2_MEMORY_KIB[1]} KiB, "
                f"{ARGON2_ITERATIONS[0]}-{ARGON2_ITERATIONS[1]} passes)")
        key = self._key(salt, memory_kib, iterations)
        return _aead_open(key, info, "wrong passphrase, or the file was altered")


@dataclass(frozen=True)
class Recipient:
    """Encrypt to another hotline's X25519 public key (ephemeral-static ECDH + HKDF)."""

    public: X25519PublicKey

    def wrap(self, file_key: bytes) -> dict[str, Any]:
        ephemeral = X25519PrivateKey.generate()
        key = _ecdh_key(ephemeral.exchange(self.public), _raw(ephemeral.public_key()),
                        _raw(self.public))
        nonce = os.urandom(12)
        return {"kind": "x25519", "ephemeral": _b64(_raw(ephemeral.public_key())),
                "recipient": fingerprint(_raw(self.public)), "nonce": _b64(nonce),
                "wrapped": _b64(AESGCM(key).encrypt(nonce, file_key, _WRAP_AAD))}


@dataclass(frozen=True)
class RecipientKey:
    """The recipient's side: its X25519 private key."""

    private: X25519PrivateKey

    def unwrap(self, info: dict[str, Any]) -> bytes:
        if info.get("kind") != "x25519":
            raise ListFileError("this file was not encrypted to a hotline key")
        mine = _raw(self.private.public_key())
        if info.get("recipient") != fingerprint(mine):
            raise ListFileError("this file was encrypted to another hotline's key "
                                f"({info.get('recipient')}), not to yours ({fingerprint(mine)})")
        try:
            peer = X25519PublicKey.from_public_bytes(_unb64(info["ephemeral"]))
        except (KeyError, ValueError):
            raise ListFileError("the file's header is damaged") from None
        key = _ecdh_key(self.private.exchange(peer), _raw(peer), mine)
        return _aead_open(key, info)


def _ecdh_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"hotline-sealed-v1 x25519" + ephemeral + recipient).derive(shared)


def _aead_open(key: bytes, info: dict[str, Any],
               message: str = "wrong key, or the file was altered",
               aad: bytes = _WRAP_AAD) -> bytes:
    try:
        return AESGCM(key).decrypt(_unb64(info["nonce"]), _unb64(info["wrapped"]), aad)
    except (InvalidTag, KeyError):
        raise ListFileError(message) from None


def fingerprint(raw_public: bytes) -> str:
    """A short, readable name for a public key, to compare over the phone."""
    digest = hashlib.sha256(raw_public).hexdigest()[:20]
    return "-".join(digest[i:i + 4] for i in range(0, 20, 4))


Wrap = SecretKey | Passphrase | Recipient
Unwrap = SecretKey | Passphrase | RecipientKey


# ---------------------------------------------------------------- writing


class SealedWriter:
    def __init__(self, fh: BinaryIO, wrap: Wrap, signer: Ed25519PrivateKey | None = None,
                 chunk_size: int = CHUNK) -> None:
        self._fh = fh
        self._key = os.urandom(32)
        self._aead = AESGCM(self._key)
        self._signer = signer
        self._chunk_size = chunk_size
        header: dict[str, Any] = {"format": "hotline-sealed", "version": 1,
                                  "wrap": wrap.wrap(self._key)}
        if signer is not None:
            header["signer"] = _b64(_raw(signer.public_key()))
        header_bytes = json.dumps(header, sort_keys=True).encode()
        self._header_hash = hashlib.sha256(header_bytes).digest()
        self._digest = hashlib.sha256()
        self._emit(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
        self._buffer = bytearray()
        self._index = 0
        self._closed = False

    def _emit(self, data: bytes) -> None:
        self._fh.write(data)
        self._digest.update(data)

    def _seal(self, data: bytes | bytearray, last: bool) -> None:
        flags = _LAST if last else 0
        aad = self._header_hash + struct.pack(">QB", self._index, flags)
        nonce = struct.pack(">IQ", 0, self._index)
        ciphertext = self._aead.encrypt(nonce, bytes(data), aad)
        self._emit(_FRAME.pack(len(ciphertext), flags) + ciphertext)
        self._index += 1

    def write(self, data: bytes | memoryview) -> None:
        self._buffer += data
        while len(self._buffer) > self._chunk_size:
            self._seal(self._buffer[:self._chunk_size], last=False)
            del self._buffer[:self._chunk_size]

    def close(self) -> None:
        if self._closed:
            return
        self._seal(self._buffer, last=True)
        self._buffer = bytearray()
        if self._signer is not None:
            signature = self._signer.sign(self._digest.digest())
            self._fh.write(_FRAME.pack(len(signature), _SIGNATURE) + signature)
        self._closed = True


# ---------------------------------------------------------------- reading


def _chunk_frame(frame: bytes) -> tuple[int, int]:
    """(ciphertext length, flags) of a chunk's frame, refused unless well formed."""
    length, flags = _FRAME.unpack(frame)
    if flags not in (0, _LAST) or length > MAX_FRAME:
        raise ListFileError("the file is damaged (bad chunk frame)")
    return length, flags


def _verify(signer: bytes, signature: bytes, digest: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(signer).verify(signature, digest)
    except (InvalidSignature, ValueError):
        raise ListFileError("the file's signature does not match its content") from None


class SealedReader:
    """Decrypts chunk by chunk; `read`/`readinto` fail at the first altered byte."""

    def __init__(self, fh: BinaryIO, unwrap: Unwrap,
                 trusted_signer: Callable[[bytes], bool] | None = None) -> None:
        self._fh = fh
        self._digest = hashlib.sha256()
        magic = self._take(len(MAGIC))
        if magic != MAGIC:
            raise ListFileError("not a Hotline Triage list file")
        (length,) = struct.unpack(">I", self._take(4))
        if length > MAX_HEADER:
            raise ListFileError("the file's header is damaged")
        header_bytes = self._take(length)
        try:
            header = json.loads(header_bytes)
            wrap_info = header["wrap"]
            version = header.get("version")
            signer = _unb64(header["signer"]) if "signer" in header else None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise ListFileError("the file's header is damaged") from None
        if version != 1 or not isinstance(wrap_info, dict):
            raise ListFileError(f"list file version {version!r} is not supported")
        self.signer: bytes | None = signer
        if trusted_signer is not None:
            if self.signer is None or not trusted_signer(self.signer):
                raise ListFileError("the file is not signed by a key you trust")
            # Nothing a signed file says is used before its signature holds: not the
            # passphrase stretching it asks for, not a chunk's content.
            self._verify_signature_first()
        self._aead = AESGCM(unwrap.unwrap(wrap_info))
        self._header_hash = hashlib.sha256(header_bytes).digest()
        self._index = 0
        self._chunk = memoryview(b"")
        self._done = False
        self.signature_ok: bool | None = None

    def _verify_signature_first(self) -> None:
        """One pass over the raw bytes (nothing decrypted or parsed): the frames must be
        well formed and the trailer's Ed25519 signature must cover them; then back to the
        first chunk."""
        assert self.signer is not None
        start = self._fh.tell()
        digest = self._digest.copy()
        while True:
            frame = self._fh.read(_FRAME.size)
            if len(frame) != _FRAME.size:
                raise ListFileError("the file is truncated")
            length, flags = _chunk_frame(frame)
            digest.update(frame)
            left = length
            while left:
                piece = self._fh.read(min(left, 1 << 20))
                if not piece:
                    raise ListFileError("the file is truncated")
                digest.update(piece)
                left -= len(piece)
            if flags == _LAST:
                break
        trailer = self._fh.read(_FRAME.size)
        if len(trailer) != _FRAME.size:
            raise ListFileError("the file's signature is missing")
        length, flags = _FRAME.unpack(trailer)
        signature = self._fh.read(64)
        if flags != _SIGNATURE or length != 64 or len(signature) != 64:
            raise ListFileError("the file's signature is missing")
        _verify(self.signer, signature, digest.digest())
        self._fh.seek(start)

    def _take(self, n: int, hash_it: bool = True) -> bytes:
        data = self._fh.read(n)
        if len(data) != n:
            raise ListFileError("the file is truncated")
        if hash_it:
            self._digest.update(data)
        return data

    def _next_chunk(self) -> bool:
        if self._done:
            return False
        length, flags = _chunk_frame(self._take(_FRAME.size))
        ciphertext = self._take(length)
        aad = self._header_hash + struct.pack(">QB", self._index, flags)
        nonce = struct.pack(">IQ", 0, self._index)
        try:
            self._chunk = memoryview(self._aead.decrypt(nonce, ciphertext, aad))
        except InvalidTag:
            raise ListFileError(f"the file was altered or damaged (chunk {self._index})") from None
        self._index += 1
        if flags == _LAST:
            self._done = True
            self._finish()
        return True

    def _finish(self) -> None:
        trailer = self._fh.read(_FRAME.size)
        if not trailer:
            if self.signer is not None:
                raise ListFileError("the file's signature is missing")
            return
        if len(trailer) != _FRAME.size:
            raise ListFileError("the file has data after its end")
        length, flags = _FRAME.unpack(trailer)
        if flags != _SIGNATURE or self.signer is None or length != 64:
            raise ListFileError("the file has data after its end")
        _verify(self.signer, self._take(64, hash_it=False), self._digest.digest())
        if self._fh.read(1):
            raise ListFileError("the file has data after its end")
        self.signature_ok = True

    def readinto(self, buffer: memoryview | bytearray) -> int:
        """Fill `buffer` completely, or raise ListFileError if the stream ends first."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            if not self._chunk and not self._next_chunk():
                raise ListFileError("the file is truncated")
            n = min(len(view) - filled, len(self._chunk))
            view[filled:filled + n] = self._chunk[:n]
            self._chunk = self._chunk[n:]
            filled += n
        return filled

    def bytes_left(self) -> int:
        """At most this much plaintext is still to come (the rest of the file's bytes)."""
        here = self._fh.tell()
        try:
            size = os.fstat(self._fh.fileno()).st_size
        except (AttributeError, OSError, ValueError):  # not a real file (a buffer)
            end = self._fh.seek(0, os.SEEK_END)
            self._fh.seek(here)
            size = end
        return max(0, size - here) + len(self._chunk)

    def read(self, n: int) -> bytes:
        if n > self.bytes_left():
            raise ListFileError("the file is truncated")
        buffer = bytearray(n)
        self.readinto(buffer)
        return bytes(buffer)

    def at_end(self) -> bool:
        """True if every byte has been read and the last chunk (and signature) checked."""
        while not self._chunk:
            if not self._next_chunk():
                return True
        return False


def private_bytes(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return _raw(key)
