"""Crash-safe writes of small files (the key file), on hashdb's atomic writer."""

from pathlib import Path

from hashdb.atomicfile import atomic_writer


def write_atomic(path: Path, data: bytes) -> None:
    with atomic_writer(path) as fh:
        fh.write(data)
