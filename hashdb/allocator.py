"""Tuning a process for hashing images: glibc keeps image-sized buffers, and a pool's workers
run one thread each.

Decoding and PDQ allocate a few buffers of 1-4 MB per image. In a fresh process glibc serves
them with mmap and unmaps them on free, so every image pays for page faults again; measured
here, that halves the throughput of a new worker process (114 vs 196 images/s on 2 cores).
Raising the mmap and trim thresholds keeps the buffers in the heap. A no-op off glibc.
"""

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def tune_for_images(mmap_threshold: int = 64 << 20, trim_threshold: int = 256 << 20) -> bool:
    """True if the allocator was tuned (Linux with glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        mallopt(M_TRIM_THRESHOLD, trim_threshold))


ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def one_thread_per_worker() -> None:
    """Make the worker processes started from now on run numpy's BLAS on one thread. A pool
    already has a process per core; BLAS threads of their own (PDQ's matrix products) spin
    against the other workers: measured on 2 cores, 40 images/s with them, 106 without. Set
    in the environment the workers inherit, as BLAS reads it when it loads; a value the user
    set is kept."""
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
