"""Video hashing throughput: seconds of video hashed per second of wall time, both cores.

    python benchmarks/video.py [--videos 8] [--seconds 30]

Synthetic 640x480 H.264 videos at 25 fps (moving shapes over changing scenes), hashed at one
frame per second by hashdb.video in 2 worker processes.
"""

import argparse
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hashdb.allocator import tune_for_images  # noqa: E402
from hashdb.video import hash_video  # noqa: E402
from tests.synthetic_video import encode, frames  # noqa: E402


def hash_path(path: str) -> float:
    return hash_video(Path(path)).duration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.videos):
            path = Path(tmp) / f"v{i}.mp4"
            path.write_bytes(encode(frames(100 + i, args.seconds, 25, (640, 480)), fps=25))
            paths.append(str(path))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(2, mp_context=context, initializer=tune_for_images) as pool:
            list(pool.map(hash_path, paths[:2]))
            start = time.perf_counter()
            total = sum(pool.map(hash_path, paths))
            elapsed = time.perf_counter() - start
    print(f"{args.videos} videos of {args.seconds:.0f} s, 640x480, 25 fps, H.264; 2 processes")
    print(f"{total:.0f} s of video in {elapsed:.1f} s: {total / elapsed:.1f} s of video per "
          "second")


if __name__ == "__main__":
    main()
