"""`hotline hash`: digests and PDQ of files and folders (frame PDQs of videos), with no
workspace. Many files go through intake's hashing pool (both cores, the tuned allocator,
each worker reading its own file), in order, with progress."""

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from app.intake.hashing import InlineExecutor, MediaHashes, hash_path, hashing_pool
from app.jobs import Progress, ProgressCallback, no_progress

POOL_FROM = 8  # fewer files than this are hashed in this process: a pool costs more


@dataclass(frozen=True)
class FileHash:
    path: str
    size: int | None = None
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    pdq: str | None = None
    quality: int | None = None
    width: int | None = None
    height: int | None = None
    dihedral: tuple[str, ...] = ()
    error: str | None = None
    duration: float | None = None
    frame_count: int | None = None
    frames: tuple[tuple[float, str, int], ...] = ()


def _file_hash(path: Path, h: MediaHashes | str) -> FileHash:
    if isinstance(h, str):
        return FileHash(str(path), error=h)
    return FileHash(str(path), h.size, h.md5, h.sha1, h.sha256, h.pdq, h.pdq_quality, h.width,
                    h.height, h.dihedral, h.error, h.duration, h.frame_count, h.frames)


def hash_file(path: Path, dihedral: bool = False, full: bool = False) -> FileHash:
    """Every hash of one file; a file that is not an image still gets its digests."""
    return _file_hash(path, hash_path(str(path), dihedral, full))


def files_in(paths: list[Path]) -> list[Path]:
    """The files named, and every file under the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            found.append(path)
    return found


def hash_files(paths: list[Path], dihedral: bool = False, full: bool = False,
               progress: ProgressCallback = no_progress,
               workers: int | None = None) -> list[FileHash]:
    """The hashes of every file (folders walked), in order; one unreadable or undecodable
    file is that file's error, the rest go on."""
    files = files_in(paths)
    workers = workers or os.cpu_count() or 1
    executor = hashing_pool(workers) if len(files) >= POOL_FROM else InlineExecutor()
    results: list[FileHash] = []
    try:
        for path, h in zip(files, _in_order(executor, files, dihedral, full, workers * 4),
                           strict=True):
            results.append(_file_hash(path, h))
            progress(Progress(len(results), len(files), "hashing"))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return results


def _in_order(executor, files: list[Path], dihedral: bool, full: bool,
              inflight: int) -> Iterator[MediaHashes | str]:
    """Results in the files' order, with at most `inflight` files submitted ahead."""
    pending: deque[Future] = deque()
    queue = iter(files)
    for path in queue:
        pending.append(executor.submit(hash_path, str(path), dihedral, full))
        if len(pending) >= inflight:
            break
    while pending:
        future = pending.popleft()
        nxt = next(queue, None)
        if nxt is not None:
            pending.append(executor.submit(hash_path, str(nxt), dihedral, full))
        try:
            yield future.result()
        except Exception as exc:  # a worker that died on this file: its error, not the run's
            yield f"could not be hashed ({type(exc).__name__}: {exc})"[:300]
