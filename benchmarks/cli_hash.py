"""`hotline hash` on a folder: the command as it is (intake's hashing pool, both cores, the
tuned allocator, each worker reading its own file) against the same command hashing in one
process (what it did before), interleaved in one run, each in a fresh process.

    python benchmarks/cli_hash.py [--images 200] [--rounds 3]

The images are synthetic 2 MP JPEG scenes. Each round includes starting Python and the pool.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.synthetic import scene  # noqa: E402

ONE_PROCESS = """
import json, sys
from pathlib import Path
from app.desk.hashing import files_in, hash_file
from dataclasses import asdict
results = [asdict(hash_file(p)) for p in files_in([Path(sys.argv[1])])]
json.dump(results, sys.stdout)
"""


def make_images(folder: Path, count: int) -> None:
    for i in range(count):
        image: Image.Image = scene(3000 + i, (1632, 1224))  # 2.0 MP
        image.save(folder / f"{i:04d}.jpg", "JPEG", quality=90)


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_images(folder, args.images)
        hotline = [sys.executable, "-m", "app", "hash", "--json", str(folder)]
        single = [sys.executable, "-c", ONE_PROCESS, str(folder)]
        pool, one = [], []
        for _ in range(args.rounds):
            pool.append(args.images / timed(hotline))
            one.append(args.images / timed(single))
        print(f"{args.images} 2 MP JPEGs, {args.rounds} rounds interleaved, images/s "
              f"(best round):")
        for label, runs in (("hotline hash (pool) ", pool), ("one process (before)", one)):
            print(f"  {label}  {max(runs):6.1f}   rounds "
                  + ", ".join(f"{r:.1f}" for r in runs))
        print(f"  ratio {max(pool) / max(one):.2f}x")


if __name__ == "__main__":
    main()
