"""PDQ near-match search: hashdb's multi-index vs brute-force numpy vs python-threatexchange.

    python benchmarks/pdq_search.py [--sizes 1000000 10000000] [--queries 200] [--no-pytx]

Random 256-bit hashes; half the queries are stored hashes with 0-31 bits flipped (each has a
true match), half are random (almost never one). Recall is checked against brute force for
every query. python-threatexchange (PyPI `threatexchange`, `pip install -e '.[bench]'`) is
timed in the same run when it is installed. Prints one table per size.
"""

import argparse
import statistics
import time

import numpy as np

from hashdb.index import PdqIndex, words_of


def flip(code: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for b in rng.choice(256, bits, replace=False):
        out[b // 8] ^= 1 << (b % 8)
    return out


def make_queries(codes: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    near = [flip(codes[rng.integers(len(codes))], int(rng.integers(0, 32)), rng)
            for _ in range(count // 2)]
    far = rng.integers(0, 256, (count - len(near), 32), dtype=np.uint8)
    return np.vstack([np.array(near), far])


def timed(fn, queries: np.ndarray) -> tuple[list[float], list[set[int]]]:
    times, found = [], []
    for q in queries:
        start = time.perf_counter()
        found.append(fn(q))
        times.append(time.perf_counter() - start)
    return times, found


def ms(times: list[float]) -> str:
    median, p90 = statistics.median(times) * 1e3, np.percentile(times, 90) * 1e3
    return f"median {median:8.3f} ms   p90 {p90:8.3f} ms"


def run(size: int, n_queries: int, with_pytx: bool, threshold: int = 31) -> None:
    rng = np.random.default_rng(size)
    codes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    queries = make_queries(codes, n_queries, rng)
    print(f"\n== {size:,} entries, {len(queries)} queries (half near, half random), T={threshold}")

    start = time.perf_counter()
    index = PdqIndex.build(codes, np.arange(size, dtype=np.uint32), np.full(size, 100, np.uint8))
    build = time.perf_counter() - start
    ours_t, ours = timed(lambda q: {h.entry for h in index.search(q[None, :], threshold)},
                         queries)

    words = words_of(codes)
    picks = np.r_[0:20, len(queries) - 20:len(queries)]  # 20 near queries, 20 random ones
    brute_sample = queries[picks]
    brute_t, truth = timed(lambda q: set(np.nonzero(
        np.bitwise_count(words ^ words_of(q[None, :])).sum(axis=1) <= threshold)[0].tolist()),
        brute_sample)
    ours_sample = [ours[i] for i in picks]
    missed = sum(len(t - o) for t, o in zip(truth, ours_sample, strict=True))
    wrong = sum(len(o - t) for t, o in zip(truth, ours_sample, strict=True))
    expected = sum(len(t) for t in truth)
    print(f"hashdb multi-index   {ms(ours_t)}   build {build:6.1f} s   "
          f"recall {100 * (expected - missed) / max(expected, 1):.1f}% "
          f"({expected - missed}/{expected}, {wrong} false) vs brute force on {len(truth)}")
    print(f"brute-force numpy    {ms(brute_t)}")
    if with_pytx:
        try:
            from threatexchange.signal_type.pdq.pdq_index import PDQIndex
        except ImportError:
            print("python-threatexchange: not installed (pip install -e '.[bench]')")
            return
        hexes = [c.tobytes().hex() for c in codes]
        start = time.perf_counter()
        pytx = PDQIndex(((h, i) for i, h in enumerate(hexes)))
        pytx_build = time.perf_counter() - start
        qhex = [q.tobytes().hex() for q in queries]
        pytx_t, pytx_found = timed(lambda q: {m.metadata for m in pytx.query(q)}, qhex)
        p_missed = sum(len(t - pytx_found[i]) for t, i in zip(truth, picks, strict=True))
        print(f"python-threatexchange {ms(pytx_t)}   build {pytx_build:6.1f} s   "
              f"recall {100 * (expected - p_missed) / max(expected, 1):.1f}%")
        ours_median = statistics.median(ours_t)
        print(f"ratio: hashdb median is {statistics.median(pytx_t) / ours_median:.1f}x faster "
              f"than python-threatexchange, {statistics.median(brute_t) / ours_median:.0f}x "
              "faster than brute force")
        del pytx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-pytx", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.queries, not args.no_pytx)


if __name__ == "__main__":
    main()
