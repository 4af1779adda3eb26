"""Finding videos by their frames: a PDQ index over every frame of every stored video finds
the candidate videos, and each candidate is then scored by the two-way frame match."""

import numpy as np

from hashdb.index import PdqIndex, codes_of
from hashdb.video_match import VideoMatch, score_candidates


class VideoIndex:
    def __init__(self) -> None:
        self._frames: dict[int, list[str]] = {}
        self._index: PdqIndex | None = None
        self._owner: np.ndarray = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._frames)

    def add(self, video_id: int, frames: list[str]) -> None:
        """A video (its usable frame hashes) joins; the frame index is rebuilt when next used."""
        if frames:
            self._frames[video_id] = list(frames)
            self._index = None

    def _build(self) -> PdqIndex:
        if self._index is None:
            owners = [v for v, frames in self._frames.items() for _ in frames]
            array = codes_of([f for frames in self._frames.values() for f in frames])
            self._owner = np.array(owners, dtype=np.int64)
            self._index = PdqIndex.build(array, np.arange(len(owners), dtype=np.uint32),
                                         np.full(len(owners), 100, dtype=np.uint8))
        return self._index

    def search(self, frames: list[str], threshold: int = 31, query_pct: float = 80.0,
               target_pct: float = 50.0) -> list[tuple[int, VideoMatch]]:
        """Stored videos that match: candidates share at least one close frame."""
        if not frames or not self._frames:
            return []
        queries = codes_of(frames)
        candidates = {int(self._owner[h.entry]) for h in self._build().search(queries, threshold)}
        return score_candidates(frames, sorted(candidates), self._frames.__getitem__, threshold,
                                query_pct, target_pct)
