"""Crash-safe file writes: a reader sees the old file or the new one, never half of either."""

import contextlib
import ctypes
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast


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
    """Make files written with `atomic_writer(durable=False)` and their renames survive a
    power cut. On Linux one syncfs(2) per file system (one journal commit: a batch of 16 blobs
    cost 32 fsyncs, ~0.4 ms each, on the process that records them); elsewhere an fsync of
    each file and then of each folder."""
    folders: dict[Path, list[Path]] = {}
    for path in paths:
        folders.setdefault(path.parent, []).append(path)
    if not folders:
        return
    if _SYNCFS is not None:
        devices: dict[int, Path] = {}
        for folder in folders:
            devices.setdefault(folder.stat().st_dev, folder)
        for folder in devices.values():
            fd = os.open(folder, os.O_RDONLY)
            try:
                if _SYNCFS(fd) != 0:
                    error = ctypes.get_errno()
                    raise OSError(error, f"syncfs: {os.strerror(error)}", str(folder))
            finally:
                os.close(fd)
        return
    for files in folders.values():
        for path in files:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    for folder in sorted(folders):
        fsync_dir(folder)


def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2) from the C library, or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return cast("Callable[[int], int]", function)


_SYNCFS = _syncfs()


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
