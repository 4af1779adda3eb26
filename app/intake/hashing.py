"""Hashing one piece of media: a plain function, so a process pool can run it on both cores."""

import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import forkserver
from pathlib import Path

from app.intake.media import read_capped
from app.intake.sniff import FileKind, sniff
from app.workspace.stash import BlobStash, Stashed
from hashdb.allocator import one_thread_per_worker, tune_for_images
from hashdb.digests import digest_bytes
from hashdb.errors import HashdbError
from hashdb.pdq import pdq_image
from hashdb.video import hash_video


@dataclass(frozen=True)
class MediaHashes:
    kind: str
    mime: str
    size: int
    md5: str
    sha1: str
    sha256: str
    pdq: str | None = None
    pdq_quality: int | None = None
    width: int | None = None
    height: int | None = None
    dihedral: tuple[str, ...] = ()
    error: str | None = None
    duration: float | None = None
    frame_count: int | None = None
    frames: tuple[tuple[float, str, int], ...] = ()  # (seconds, PDQ, quality) per kept frame


def _undecodable(kind: str, exc: Exception) -> str:
    return f"the {kind} cannot be decoded ({type(exc).__name__}: {exc})"[:300]


def hash_media(data: bytes, dihedral: bool = False, full: bool = False) -> MediaHashes:
    """Digests of anything; PDQ of an image (`full`: decoded at full resolution). `error`
    says why content is not usable media."""
    kind, mime = sniff(data[:512])
    d = digest_bytes(data)
    base = MediaHashes(kind.value, mime, d.size, d.md5, d.sha1, d.sha256)
    if not data:
        return replace(base, error="the file is empty")
    if kind is FileKind.IMAGE:
        try:
            p = pdq_image(data, dihedral=dihedral, fast=not full)
        except HashdbError as exc:
            return replace(base, error=str(exc))
        except Exception as exc:  # a decoder's failure is this item's error
            return replace(base, error=_undecodable("image", exc))
        return replace(base, pdq=p.hash, pdq_quality=p.quality, width=p.width,
                           height=p.height, dihedral=p.dihedral)
    if kind is FileKind.VIDEO:
        try:
            v = hash_video(data)
        except HashdbError as exc:
            return replace(base, error=str(exc))
        except Exception as exc:  # a decoder's failure is this item's error
            return replace(base, error=_undecodable("video", exc))
        return replace(base, width=v.width, height=v.height, duration=v.duration,
                           frame_count=v.frame_count,
                           frames=tuple((f.timestamp, f.pdq, f.quality) for f in v.frames))
    what = {FileKind.HTML: "a web page", FileKind.ARCHIVE: "an archive"}.get(
        kind, f"{mime} content")
    return replace(base, error=f"not an image or video ({what})")


def hash_path(path: str, dihedral: bool = False, full: bool = False) -> MediaHashes | str:
    """A file's hashes, read where they are computed (a pool's worker reads its own file:
    no content is pickled across); the reason as text when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return hash_media(data, dihedral, full)


def intake_one(content: bytes | Path, dihedral: bool, stash: BlobStash,
               max_bytes: int) -> tuple[MediaHashes | str, Stashed | None]:
    """An import's work on one input in a pool worker: read it (a local file), hash it, and
    seal it into the vault when it is media to keep, so the main process only records it.
    The reason as text when it cannot be read or stored."""
    if isinstance(content, Path):
        try:
            content = read_capped(content, max_bytes)
        except (OSError, ValueError) as exc:
            return f"cannot read: {getattr(exc, 'strerror', None) or exc}", None
    hashes = hash_media(content, dihedral)
    if hashes.error:
        return hashes, None
    try:
        return hashes, stash.put(content, hashes.sha256)
    except OSError as exc:
        return f"cannot be stored in the vault: {exc.strerror or exc}", None


def intake_group(contents: tuple[bytes | Path, ...], dihedral: bool, stash: BlobStash,
                 max_bytes: int) -> list[tuple[MediaHashes | str, Stashed | None]]:
    """`intake_one` over a few inputs in one task: each task costs the importing process a
    submission (pickling, a wake-up of the pool's thread: ~0.9 ms, a tenth of a picture's
    hashing). One input's failure is its own result, never its neighbours'."""
    results: list[tuple[MediaHashes | str, Stashed | None]] = []
    for content in contents:
        try:
            results.append(intake_one(content, dihedral, stash, max_bytes))
        except Exception as exc:  # a failure no stage expected: this input's error
            results.append((f"could not be hashed ({type(exc).__name__}: {exc})"[:300], None))
    return results


WATCH_SECONDS = 0.5


class InlineExecutor(Executor):
    """Runs work at once in this process: for small batches, where a pool costs more."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


PRELOAD = ("app.intake.hashing",)  # what a worker needs: numpy, Pillow, PyAV, the hashing


def hashing_pool(workers: int) -> Executor:
    """A process pool; forkserver on Linux, so that fetch threads are never forked. Each
    worker tunes its allocator first (hashdb.allocator: twice the throughput)."""
    tune_for_images()
    if workers <= 1:
        return InlineExecutor()
    one_thread_per_worker()
    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker,
                               initargs=(os.getpid(),))


def warm_pool() -> None:
    """Start the fork server that pools fork their workers from, now, while the caller does
    something else (a sign-in's key derivation; the user choosing files): it imports the
    hashing modules once, in its own process, and every worker of every pool after is a fork
    of it, ready at once. A worker importing them itself took ~0.3 s before its first
    picture, 4% of an import of 1,000 pictures. Idempotent; nothing to do off Linux."""
    if _context() is not None:
        one_thread_per_worker()  # in the server's environment: its workers inherit it
        forkserver.ensure_running()


def _context() -> multiprocessing.context.BaseContext | None:
    if not sys.platform.startswith("linux"):
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", *PRELOAD])  # before the server starts
    return context


def start_workers(executor: Executor, workers: int) -> None:
    """Start a process pool's workers now, while the caller prepares (a worker takes ~0.25 s
    to start: Python and the hashing modules); a pool starts one at each of its first
    tasks otherwise, when the caller is ready and waits for them."""
    if isinstance(executor, ProcessPoolExecutor):
        for _ in range(workers):
            executor.submit(os.getpid)


def _start_worker(parent: int) -> None:
    tune_for_images()
    threading.Thread(target=_die_with, args=(parent,), name="parent-watch", daemon=True).start()


def _die_with(parent: int) -> None:
    """A worker ends within a second of the process that started the pool (killed with -9,
    it never shuts the pool down; the forkserver's workers would wait forever)."""
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(parent, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid reused by another user
            os._exit(0)
