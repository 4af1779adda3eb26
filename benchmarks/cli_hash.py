"""`hotline hash` on a folder against hashdb's own pool on the same files, in one run.

    python benchmarks/cli_hash.py [--images 200] [--rounds 3]

The command runs in a fresh process on a folder of N and of 2N synthetic 2 MP JPEGs, each
round; hashdb's fast path runs in a pool of 2 started beforehand (benchmarks/hashing.py). The
command's rate includes starting Python, signing nothing in, walking the folder and starting
its pool; its marginal rate (the N more files of the larger folder over the extra seconds) is
the pool's speed once running, which is what a folder of thousands sees.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.hashing import fast, pool_rate  # noqa: E402
from tests.synthetic import scene  # noqa: E402


def make_images(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"{i:04d}.jpg"
        scene(3000 + i, (1632, 1224)).save(path, "JPEG", quality=90)  # 2.0 MP
        paths.append(str(path))
    return paths


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.images
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        paths = make_images(large, 2 * n)
        small.mkdir()
        for path in paths[:n]:
            shutil.copy(path, small)
        command = [sys.executable, "-m", "app", "hash", "--json"]
        whole, marginal, pool = [], [], []
        for _ in range(args.rounds):
            one = timed([*command, str(small)])
            two = timed([*command, str(large)])
            whole.append(2 * n / two)
            marginal.append(n / (two - one))
            pool.append(pool_rate(fast, paths, 2)[0])
        print(f"2 MP JPEGs, {args.rounds} rounds interleaved, images/s (best round):")
        print(f"  hashdb's pool (started beforehand)    {max(pool):6.1f}   rounds "
              + ", ".join(f"{r:.1f}" for r in pool))
        print(f"  hotline hash, marginal ({n} files)     {max(marginal):6.1f}   rounds "
              + ", ".join(f"{r:.1f}" for r in marginal)
              + f"   {max(marginal) / max(pool):.2f}x the pool")
        print(f"  hotline hash, whole command ({2 * n})  {max(whole):6.1f}   rounds "
              + ", ".join(f"{r:.1f}" for r in whole)
              + f"   {max(whole) / max(pool):.2f}x the pool")


if __name__ == "__main__":
    main()
