"""Meta's every-frame vPDQ hashes of its sample videos, read as list entries, against the
frames intake keeps of the same videos (one a second, repeats collapsed): the share of the
query's frames found in the entry, and of the entry's found in the query.

    python benchmarks/vpdq_list_rates.py

A list entry matches when the query share reaches video.match_pct (80); the entry's share is
small by nature (a few kept frames against every frame), which the old two-way rule's 50%
floor on it refused.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hashdb.formats import ParseReport, read_entries  # noqa: E402
from hashdb.video import hash_video  # noqa: E402
from hashdb.video_match import match_frames  # noqa: E402

DATA = ROOT / "tests" / "data" / "vpdq"
LISTS = ["pattern-hd-no-bar", "doorknob-hd-no-bar", "pattern-sd-grey-bar"]
VIDEOS = ["pattern-hd-no-bar", "doorknob-hd-no-bar"]


def main() -> None:
    kept = {v: [f.pdq for f in hash_video(DATA / f"{v}.mp4").frames if f.quality >= 50]
            for v in VIDEOS}
    for name in LISTS:
        [entry] = list(read_entries(DATA / f"{name}.txt", None, ParseReport()))
        for video, frames in kept.items():
            m = match_frames(frames, list(entry.frames))
            print(f"list {name:20s} ({len(entry.frames):3d} frames)  video {video:19s} "
                  f"({len(frames)} kept): query {m.query_pct:5.1f}%  entry {m.target_pct:5.1f}%")


if __name__ == "__main__":
    main()
