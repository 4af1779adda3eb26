"""When two videos are the same: the two-way frame match of vPDQ, kept apart from decoding
so that lists and indexes can match videos without loading FFmpeg."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hashdb.index import codes_of, distances_all, words_of


@dataclass(frozen=True)
class VideoMatch:
    query_pct: float   # share of the query's frames that match some frame of the target
    target_pct: float  # share of the target's frames that match some frame of the query


def match_frames(query: list[str], target: list[str], threshold: int = 31) -> VideoMatch:
    """Two-way match as vPDQ: distinct hashes on each side, a frame matches when some frame
    of the other video is within `threshold` (inclusive, as python-threatexchange)."""
    q, t = sorted(set(query)), sorted(set(target))
    if not q or not t:
        return VideoMatch(0.0, 0.0)
    columns = np.ascontiguousarray(words_of(codes_of(t)).T)
    close = distances_all(columns, words_of(codes_of(q))) <= threshold  # (query, target)
    return VideoMatch(100.0 * close.any(axis=1).mean(), 100.0 * close.any(axis=0).mean())


def videos_match(m: VideoMatch, query_pct: float = 80.0, target_pct: float | None = 50.0,
                 ) -> bool:
    """Either video's frames are mostly in the other (`query_pct`), and the other's at least
    partly (`target_pct`): a trimmed copy matches its original, whichever is stored.

    `target_pct` None is python-threatexchange's rule, for list entries hashed by other tools
    at another frame rate (every frame, say): the query's frames are mostly found in the
    entry, with no floor on the entry's share (a list's every-frame hashes of a video are
    mostly not among the one-a-second frames intake keeps)."""
    if target_pct is None:
        return m.query_pct >= query_pct
    return (m.query_pct >= query_pct and m.target_pct >= target_pct) or (
        m.target_pct >= query_pct and m.query_pct >= target_pct)


def score_candidates(frames: list[str], candidates: list[int],
                     frames_of: Callable[[int], list[str]], threshold: int = 31,
                     query_pct: float = 80.0, target_pct: float | None = 50.0,
                     ) -> list[tuple[int, VideoMatch]]:
    """The candidate videos (found through a frame index) that match the query both ways."""
    found = []
    for video_id in candidates:
        m = match_frames(frames, frames_of(video_id), threshold)
        if videos_match(m, query_pct, target_pct):
            found.append((video_id, m))
    return found
