"""Intake throughput: importing local 2 MP JPEGs into a workspace vs hashdb's hashing alone.

    python benchmarks/intake.py [--images 1000]

Both measured in one run on the same files, both on 2 processes: `hotline import --file`
(read, hash in a process pool, match against a 100k-entry list, encrypt into the vault, one
transaction per item) against hashdb's fast path over the same files.
"""

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.desk import Desk  # noqa: E402
from benchmarks.hashing import fast, make_images  # noqa: E402
from hashdb.allocator import tune_for_images  # noqa: E402

PASSWORD = "benchmark-password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    try:
        folder = tmp / "in"
        folder.mkdir()
        paths = make_images(folder, args.images)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context, initializer=tune_for_images) as pool:
            list(pool.map(fast, paths[:4]))
            start = time.perf_counter()
            list(pool.map(fast, paths, chunksize=8))
            hashing = len(paths) / (time.perf_counter() - start)
        desk = Desk.create(tmp / "ws", "admin", PASSWORD)
        desk.add_user("ann", "analyst", PASSWORD)
        desk.add_user("sue", "supervisor", PASSWORD)
        listing = tmp / "list.txt"
        listing.write_text("".join(f"{i:032x}\n" for i in range(100_000)))
        Desk.open(tmp / "ws", "sue", PASSWORD).import_list(listing, "100k", "baseline")
        ann = Desk.open(tmp / "ws", "ann", PASSWORD)
        start = time.perf_counter()
        summary = ann.import_report(files=[folder], reference="bench")
        elapsed = time.perf_counter() - start
        intake = summary.items / elapsed
        print(f"{args.images} JPEGs of about 2 MP, 2 processes")
        print(f"hashdb hashing alone  {hashing:7.1f} images/s")
        print(f"hotline import        {intake:7.1f} images/s  ({summary.items} items in "
              f"{elapsed:.1f} s)   ratio {intake / hashing:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
