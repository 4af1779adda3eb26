"""Matching one item against every enabled list and against the workspace's own items."""

from collections.abc import Collection

import numpy as np

from app.intake.hashing import MediaHashes
from app.workspace.items import Match
from app.workspace.lists import ListInfo
from hashdb.entry import Scope
from hashdb.growing_index import GrowingPdqIndex
from hashdb.hashlist import HashList
from hashdb.index import codes_of
from hashdb.kinds import DIGESTS, Kind
from hashdb.video_index import VideoIndex
from hashdb.video_match import VideoMatch

VIDEO_KIND = "vpdq"  # a video matched by its frame hashes
NEAREST_ITEMS = 20  # workspace items recorded as near an item: the closest. A series of near
# copies would otherwise record every pair (1,000 photos of one scene: 60,000 rows, most of an
# import's time); the status is near either way, and these rows carry no verdict
PERCEPTUAL = {Kind.PDQ.value, VIDEO_KIND}


class Matcher:
    def __init__(self, lists: list[tuple[ListInfo, HashList]], item_ids: np.ndarray,
                 item_codes: np.ndarray, threshold: int, min_quality: int,
                 dihedral: bool, videos: dict[int, list[str]] | None = None,
                 video_pcts: tuple[float, float] = (80.0, 50.0),
                 held: Collection[tuple[str, int | None]] = ()) -> None:
        self._lists = lists
        self._near = GrowingPdqIndex(item_codes, item_ids)  # the workspace's items
        self.threshold = threshold
        self.min_quality = min_quality
        self.dihedral = dihedral
        self.videos = VideoIndex()
        for video_id, frames in (videos or {}).items():
            self.videos.add(video_id, frames)
        self.video_pcts = video_pcts
        self.held: set[tuple[str, int | None]] = set(held)  # quarantined (list, entry|None)

    def match(self, h: MediaHashes) -> list[Match]:
        found: list[Match] = []
        for info, hashlist in self._lists:
            for kind in DIGESTS:
                for _, entry in hashlist.match_digests(kind, [getattr(h, kind.value)]):
                    found.append(self._hit(info, hashlist, entry, kind.value, 0))
        if h.frames:
            frames = self._usable_frames(h)
            found += self._videos(frames) + self._listed_videos(frames)
        if h.pdq is None or (h.pdq_quality or 0) < self.min_quality:
            return _ordered(found)
        queries = list(h.dihedral) if self.dihedral and h.dihedral else [h.pdq]
        for info, hashlist in self._lists:
            best: dict[int, int] = {}
            for hit in hashlist.match_pdq(queries, self.threshold, self.min_quality):
                best[hit.entry] = min(hit.distance, best.get(hit.entry, 256))
            found += [self._hit(info, hashlist, e, Kind.PDQ.value, d) for e, d in best.items()]
        found += self._workspace(queries)
        return _ordered(found)

    @staticmethod
    def _hit(info: ListInfo, hashlist: HashList, entry: int, kind: str, distance: int) -> Match:
        verdict = hashlist.entry_verdict(entry)
        return Match(info.name, info.trust, kind, distance,
                     verdict.value if verdict else None, hashlist.entry_category(entry) or None,
                     entry=entry, negative=info.scope == Scope.NEGATIVE.value)

    def _workspace(self, queries: list[str]) -> list[Match]:
        if not len(self._near):
            return []
        found = self._near.search(codes_of(queries), self.threshold)
        nearest = sorted(found.items(), key=lambda hit: (hit[1], hit[0]))[:NEAREST_ITEMS]
        return [Match("workspace", None, Kind.PDQ.value, distance, None, None, item)
                for item, distance in nearest]

    def _videos(self, frames: list[str]) -> list[Match]:
        """Videos of the workspace whose frames match both ways."""
        hits = self.videos.search(frames, self.threshold, *self.video_pcts)
        return [Match("workspace", None, VIDEO_KIND, _video_distance(m), None, None, video_id)
                for video_id, m in hits]

    def _listed_videos(self, frames: list[str]) -> list[Match]:
        """Video entries of the lists that hold most of the new video's frames: a list made
        by another tool may hash every frame, so the entry's own share has no floor."""
        return [self._hit(info, hashlist, entry, VIDEO_KIND, round(100 - m.query_pct))
                for info, hashlist in self._lists
                for entry, m in hashlist.match_video(frames, self.threshold, self.video_pcts[0],
                                                     None)]

    def remember(self, item_id: int, h: MediaHashes) -> None:
        """A new item joins the workspace: later items of the same import match it too."""
        if h.frames:
            self.videos.add(item_id, self._usable_frames(h))
        if h.pdq is not None and (h.pdq_quality or 0) >= self.min_quality:
            self._near.add(codes_of([h.pdq])[0], item_id)

    def _usable_frames(self, h: MediaHashes) -> list[str]:
        return [pdq for _, pdq, quality in h.frames if quality >= self.min_quality]


def _video_distance(m: VideoMatch) -> int:
    """100 minus the smaller of the two shares of matching frames (0: every frame matches)."""
    return round(100 - min(m.query_pct, m.target_pct))


def _ordered(matches: list[Match]) -> list[Match]:
    """Lists first (they carry verdicts), then the workspace; closest first within each."""
    return sorted(matches, key=lambda m: (m.list_name == "workspace", m.distance, m.list_name))


def status_of(matches: list[Match]) -> str:
    """known: an exact hit on a list; near: a perceptual hit only (PDQ of an image, frames of
    a video: a person decides); unknown. Hits on negative lists (known false positives) are
    reasons shown with the item, not findings."""
    found = [m for m in matches if not m.negative]
    if any(m.hash_kind not in PERCEPTUAL and m.list_name != "workspace" for m in found):
        return "known"
    if found:
        return "near"
    return "unknown"


def is_held(m: Match, held: Collection[tuple[str, int | None]]) -> bool:
    """The hit's list, or its entry, is quarantined after a flood."""
    return (m.list_name, None) in held or (m.list_name, m.entry) in held


def machine_verdict(matches: list[Match], held: Collection[tuple[str, int | None]] = (),
                    ) -> tuple[str, str] | None:
    """(verdict, list) of the automated verdict an item gets: an exact hit on a trusted list
    that carries a verdict. Lists that disagree give none: a person decides. A hit on a
    negative list (a known false positive) overrides every other; a quarantined list or
    entry gives none."""
    if any(m.negative for m in matches):
        return None
    exact = [m for m in matches if m.hash_kind not in PERCEPTUAL and m.list_trust == "trusted"
             and m.verdict and not is_held(m, held)]
    verdicts = {m.verdict for m in exact}
    if len(verdicts) != 1:
        return None
    return exact[0].verdict or "", exact[0].list_name
