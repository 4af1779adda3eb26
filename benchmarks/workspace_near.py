"""Workspace near matches during an import: hashdb.growing_index vs a scan of every item.

    python benchmarks/workspace_near.py [--items 100000] [--added 2000] [--queries 300]
                                        [--variants 8]

A workspace of `--items` random PDQ codes is indexed as an import begins; `--added` more
join one by one (the import's own items; merged into the index every 4,096); then each
query (half near a stored code, half random), with `--variants - 1` random codes beside it
(a picture's 8 dihedral hashes, as `pdq.dihedral` searches by default), is searched both
ways, interleaved, and the answers compared. Prints the median per search and the build and
add costs. `--items 0` measures the scan of the newest codes alone (all of them in one pass
against one pass per variant).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pdq_search import make_queries
from hashdb.growing_index import GrowingPdqIndex
from hashdb.index import words_of


def scan(words: np.ndarray, ids: np.ndarray, queries: np.ndarray, threshold: int) -> dict:
    """What the matcher did before: every item's distance to each variant in turn,
    popcount columns added; each item at its nearest."""
    found: dict[int, int] = {}
    for query in words_of(queries):
        bits = np.bitwise_count(words ^ query)
        distances = bits[:, 0].astype(np.uint16) + bits[:, 1] + bits[:, 2] + bits[:, 3]
        rows = np.flatnonzero(distances <= threshold)
        for item, distance in zip(ids[rows].tolist(), distances[rows].tolist(), strict=True):
            found[item] = min(distance, found.get(item, 256))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--variants", type=int, default=8)
    args = parser.parse_args()
    rng = np.random.default_rng(18)
    total = args.items + args.added
    codes = rng.integers(0, 256, (total, 32), dtype=np.uint8)
    ids = np.arange(total, dtype=np.int64)
    start = time.perf_counter()
    index = GrowingPdqIndex(codes[:args.items], ids[:args.items])
    built = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(args.items, total):
        index.add(codes[i], i)
    added = time.perf_counter() - start
    words = words_of(codes)
    queries = make_queries(codes, args.queries, rng)
    grown_times, scan_times = [], []
    for query in queries:
        variants = np.vstack([query.reshape(1, 32), rng.integers(
            0, 256, (args.variants - 1, 32), dtype=np.uint8)])
        t0 = time.perf_counter()
        found = index.search(variants, 31)
        t1 = time.perf_counter()
        truth = scan(words, ids, variants, 31)
        t2 = time.perf_counter()
        assert found == truth, "the index and the scan disagree"
        grown_times.append(t1 - t0)
        scan_times.append(t2 - t1)
    grown, scanned = statistics.median(grown_times), statistics.median(scan_times)
    print(f"{args.items:,} items indexed in {built * 1000:.0f} ms, {args.added:,} added in "
          f"{added * 1000:.0f} ms; {args.queries} queries of {args.variants} variants, "
          "answers equal")
    print(f"  growing index  median {grown * 1000:.3f} ms a search")
    print(f"  scan           median {scanned * 1000:.3f} ms a search   "
          f"({scanned / grown:.1f}x the index)")


if __name__ == "__main__":
    main()
