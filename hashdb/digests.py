"""MD5, SHA-1 and SHA-256 in one read of the data."""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


@dataclass(frozen=True)
class Digests:
    md5: str
    sha1: str
    sha256: str
    size: int


class _Running:
    def __init__(self) -> None:
        self._hashes = (hashlib.md5(usedforsecurity=False),
                        hashlib.sha1(usedforsecurity=False), hashlib.sha256())
        self.size = 0

    def update(self, data: bytes | memoryview) -> None:
        for h in self._hashes:
            h.update(data)
        self.size += len(data)

    def result(self) -> Digests:
        md5, sha1, sha256 = (h.hexdigest() for h in self._hashes)
        return Digests(md5, sha1, sha256, self.size)


def digest_bytes(data: bytes) -> Digests:
    running = _Running()
    running.update(data)
    return running.result()


def digest_stream(stream: BinaryIO) -> Digests:
    running = _Running()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while n := stream.readinto(view):  # type: ignore[attr-defined]  # BinaryIO lacks it
        running.update(view[:n])
    return running.result()


def digest_file(path: Path) -> Digests:
    with path.open("rb") as fh:
        return digest_stream(fh)
