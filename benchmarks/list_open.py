"""Time to open a list file of 1M and 10M PDQ entries (decrypt + load + index ready).

    python benchmarks/list_open.py [--sizes 1000000 10000000] [--repeat 5]

The lists are written once (which builds the multi-index) into a temp folder; opening is
timed `--repeat` times and the median reported, with the file size. The first open after
writing reads from the page cache, as opening a list that was just used does.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from hashdb.columns import StringColumn
from hashdb.entry import ListMeta, Scope
from hashdb.hashlist import HashList
from hashdb.index import ExactIndex, PdqIndex
from hashdb.kinds import BYTE_LENGTH, DIGESTS
from hashdb.listfile import load_list, save_list
from hashdb.sealed import SecretKey


def pdq_list(size: int) -> HashList:
    """A PDQ-only list, built directly from arrays (a parser would take minutes here)."""
    rng = np.random.default_rng(size)
    codes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    empty = {k: ExactIndex(np.zeros((0, BYTE_LENGTH[k]), np.uint8), np.zeros(0, np.uint32))
             for k in DIGESTS}
    no_strings = StringColumn(size, None, np.zeros(0, np.uint8))
    return HashList(ListMeta(f"{size:,} random PDQ", Scope.BASELINE),
                    np.zeros(size, np.uint8), np.zeros(size, np.uint8), [""], no_strings,
                    no_strings, empty, PdqIndex.build(codes, np.arange(size, dtype=np.uint32),
                                                      np.full(size, 100, np.uint8)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    key = SecretKey(bytes(range(32)))
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"{size}.hlist"
            start = time.perf_counter()
            save_list(path, pdq_list(size), key)
            written = time.perf_counter() - start
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                loaded = load_list(path, key)
                times.append(time.perf_counter() - start)
                assert len(loaded) == size
                del loaded
            print(f"{size:>12,} entries  {path.stat().st_size / 1e6:8.0f} MB  "
                  f"build+write {written:6.1f} s  open median {statistics.median(times):.3f} s "
                  f"(min {min(times):.3f}, max {max(times):.3f})")
            path.unlink()


if __name__ == "__main__":
    main()
