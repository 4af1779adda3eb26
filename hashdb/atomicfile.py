"""Crash-safe file writes: a reader sees the old file or the new one, never half of either."""

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_writer(path: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """Write a temp file in the same folder; on success fsync it, rename it over `path` and
    fsync the folder. On failure the temp file is removed and `path` is untouched.
    `durable=False` leaves out the two fsyncs (still atomic for readers): for many files that
    the caller makes durable together later (`make_durable`), before it relies on them."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def make_durable(paths: Iterable[Path]) -> None:
    """fsync files written with `atomic_writer(durable=False)`, then their folders (which
    hold the renames): after this they survive a power cut."""
    folders: set[Path] = set()
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        folders.add(path.parent)
    for folder in sorted(folders):
        fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
