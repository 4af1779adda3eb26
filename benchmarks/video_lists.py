"""Matching a video against a hash list of videos: build, open and query times.

    python benchmarks/video_lists.py [--videos 10000] [--frames 60]

The list holds `--videos` video entries of `--frames` random frame hashes each (a stand-in
for a large partner list) plus one synthetic video; the query is that video re-encoded
(VP9, half size). Times are medians of repeated queries; the list is written to and read from
an encrypted list file as the application does.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hashdb.entry import Entry, ListMeta, Scope  # noqa: E402
from hashdb.hashlist import HashListBuilder  # noqa: E402
from hashdb.listfile import read_list, write_list  # noqa: E402
from hashdb.sealed import SecretKey  # noqa: E402
from hashdb.video import hash_video  # noqa: E402
from tests.synthetic_video import encode, frames  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    clip = frames(7001, seconds=30)
    listed = hash_video(encode(clip)).usable
    query = hash_video(encode(clip, codec="libvpx-vp9", container="webm", size=(160, 120)))
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 256, (args.videos, args.frames, 32), dtype=np.uint8)
    start = time.perf_counter()
    builder = HashListBuilder(ListMeta("bench videos", Scope.BASELINE))
    for i in range(args.videos):
        builder.add(Entry(frames=tuple(row.tobytes().hex() for row in codes[i])))
    builder.add(Entry(frames=tuple(listed)))
    hashlist, _ = builder.build()
    built = time.perf_counter() - start
    key = SecretKey(bytes(32))
    buffer = io.BytesIO()
    write_list(buffer, hashlist, key)
    start = time.perf_counter()
    buffer.seek(0)
    loaded = read_list(buffer, key)
    opened = time.perf_counter() - start
    times = []
    for _ in range(20):
        start = time.perf_counter()
        hits = loaded.match_video(query.usable)
        times.append(time.perf_counter() - start)
    assert [entry for entry, _ in hits] == [args.videos], hits
    frames_total = args.videos * args.frames + len(listed)
    print(f"{args.videos:,} listed videos, {frames_total:,} frame hashes, "
          f"file {len(buffer.getvalue()) / 1e6:.0f} MB")
    print(f"build {built:.1f} s, open {opened:.2f} s, query ({len(query.usable)} frames) "
          f"median {statistics.median(times) * 1000:.1f} ms; found the re-encode "
          f"({hits[0][1].query_pct:.0f}% / {hits[0][1].target_pct:.0f}% of frames)")


if __name__ == "__main__":
    main()
