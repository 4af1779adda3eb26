"""How long the viewer waits for a video's twelve keyframes: found by seeking (what the viewer
does) against decoding the whole video in order (what it did before).

    python benchmarks/keyframes.py [--minutes 3]

A synthetic 640x480 25 fps H.264 video (x264 defaults: a key frame at least every 250 frames).
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hashdb.video import decode_frames  # noqa: E402
from tests.synthetic_video import encode, frames  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3)
    args = parser.parse_args()
    seconds = args.minutes * 60
    video = encode(frames(9001, seconds, 25, (640, 480), scene_seconds=20), fps=25)
    times = [seconds * i / 12 for i in range(12)]
    start = time.perf_counter()
    sought = [ts for ts, _ in decode_frames(video, times, 960)]
    seeking = time.perf_counter() - start
    start = time.perf_counter()
    wanted, found = list(times), []
    for ts, _ in decode_frames(video, None, 960):
        if wanted and ts + 1e-3 >= wanted[0]:
            found.append(ts)
            while wanted and wanted[0] <= ts + 1e-3:
                wanted.pop(0)
    in_order = time.perf_counter() - start
    assert [round(t, 2) for t in sought] == [round(t, 2) for t in found]
    print(f"{args.minutes:g} min video, 640x480, 25 fps: 12 keyframes by seeking {seeking:.2f} s, "
          f"by decoding in order {in_order:.2f} s ({in_order / seeking:.1f}x)")


if __name__ == "__main__":
    main()
