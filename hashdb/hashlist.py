"""A hash list in memory: metadata, entry columns and the indexes that answer matches.

Built once from entries (any exchange format) by `HashListBuilder`; stored and loaded by
`hashdb.listfile` without rebuilding anything, so a list of millions opens in a moment.
"""

import hashlib
import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from hashdb.columns import StringColumn
from hashdb.entry import CODE_VERDICT, VERDICT_CODE, Entry, ListMeta, Verdict
from hashdb.index import (
    DESIGN_THRESHOLD,
    UNKNOWN_QUALITY,
    ExactIndex,
    NearHit,
    PdqIndex,
    codes_of,
)
from hashdb.kinds import BYTE_LENGTH, DIGESTS, Kind, normalise
from hashdb.video_match import VideoMatch, score_candidates


@dataclass(frozen=True)
class BuildStats:
    read: int
    duplicates: int


class HashList:
    def __init__(self, meta: ListMeta, verdict: np.ndarray, category: np.ndarray,
                 categories: list[str], source_id: StringColumn, other: StringColumn,
                 exact: dict[Kind, ExactIndex], pdq: PdqIndex,
                 frames: PdqIndex | None = None) -> None:
        self.meta = meta
        self.verdict = verdict
        self.category = category
        self.categories = categories
        self.source_id = source_id
        self.other = other
        self.exact = exact
        self.pdq = pdq
        # Video entries' frame hashes, in entry order (ids ascending): an entry's frames are
        # one contiguous run, found by binary search.
        self.frames = frames if frames is not None else empty_pdq_index()

    def __len__(self) -> int:
        return len(self.verdict)

    def counts(self) -> dict[str, int]:
        found = {kind.value: len(self.exact[kind]) for kind in DIGESTS}
        found["pdq"] = len(self.pdq)
        found["videos"] = len(np.unique(self.frames.ids))
        found["frames"] = len(self.frames)
        found["entries"] = len(self)
        return found

    # ------------------------------------------------------------ matching

    def match_digests(self, kind: Kind, hexes: list[str]) -> list[tuple[int, int]]:
        """(query position, entry id) for every exact hit of the given digests of one kind."""
        if not hexes:
            return []
        queries = codes_of([normalise(kind, h) for h in hexes], BYTE_LENGTH[kind])
        return self.exact[kind].lookup(queries)

    def match_pdq(self, hexes: list[str], threshold: int = DESIGN_THRESHOLD,
                  min_quality: int = 0) -> list[NearHit]:
        if not hexes:
            return []
        queries = codes_of([normalise(Kind.PDQ, h) for h in hexes])
        return self.pdq.search(queries, threshold, min_quality)

    def match_video(self, frames: list[str], threshold: int = DESIGN_THRESHOLD,
                    query_pct: float = 80.0, target_pct: float | None = None,
                    ) -> list[tuple[int, VideoMatch]]:
        """(entry id, match) of every video entry the query's frames are mostly found in
        (python-threatexchange's rule, `target_pct` None), or that match both ways."""
        if not frames or len(self.frames) == 0:
            return []
        hits = self.frames.search(codes_of([normalise(Kind.PDQ, f) for f in frames]),
                                  threshold)
        candidates = sorted({h.entry for h in hits})
        return score_candidates(frames, candidates, self.frames_of, threshold, query_pct,
                                target_pct)

    def frames_of(self, entry_id: int) -> list[str]:
        ids = self.frames.ids
        lo, hi = np.searchsorted(ids, entry_id, "left"), np.searchsorted(ids, entry_id, "right")
        return [row.tobytes().hex() for row in self.frames.codes[lo:hi]]

    def entry_verdict(self, entry_id: int) -> Verdict | None:
        return self.meta.verdict_of(CODE_VERDICT[int(self.verdict[entry_id])])

    def entry_category(self, entry_id: int) -> str:
        return self.categories[int(self.category[entry_id])]

    # ------------------------------------------------------------ entries back out

    def entries(self) -> Iterator[Entry]:
        """Every entry, in id order, with all its hashes (for export and rewriting)."""
        n = len(self)
        where = {kind: _positions(self._ids_of(kind), n) for kind in Kind}
        for i in range(n):
            yield self._entry_at(i, {kind: int(where[kind][i]) for kind in Kind})

    def entry(self, entry_id: int) -> Entry:
        """One entry by id, without walking the others (a lookup in a list of millions)."""
        where = {}
        for kind in Kind:
            found = np.flatnonzero(self._ids_of(kind) == entry_id)
            where[kind] = int(found[0]) if len(found) else -1
        return self._entry_at(entry_id, where)

    def _ids_of(self, kind: Kind) -> np.ndarray:
        return self.pdq.ids if kind is Kind.PDQ else self.exact[kind].ids

    def _entry_at(self, i: int, where: dict[Kind, int]) -> Entry:
        """Entry i, given where each of its hashes sits in its kind's index (-1: none)."""
        values: dict[str, str | None] = {}
        for kind in DIGESTS:
            pos = where[kind]
            values[kind.value] = self.exact[kind].digests[pos].tobytes().hex() if pos >= 0 \
                else None
        pos = where[Kind.PDQ]
        pdq = self.pdq.codes[pos].tobytes().hex() if pos >= 0 else None
        quality = int(self.pdq.quality[pos]) if pos >= 0 else UNKNOWN_QUALITY
        other = self.other[i]
        return Entry(
            md5=values["md5"], sha1=values["sha1"], sha256=values["sha256"], pdq=pdq,
            pdq_quality=None if quality == UNKNOWN_QUALITY else quality,
            verdict=CODE_VERDICT[int(self.verdict[i])],
            category=self.categories[int(self.category[i])],
            source_id=self.source_id[i],
            other=tuple((k, v) for k, v in json.loads(other)) if other else (),
            frames=tuple(self.frames_of(i)))


def _positions(ids: np.ndarray, n: int) -> np.ndarray:
    where = np.full(n, -1, dtype=np.int64)
    where[ids.astype(np.int64)] = np.arange(len(ids))
    return where


class HashListBuilder:
    """Collects entries (streamed from a parser), drops exact duplicates, builds the indexes."""

    def __init__(self, meta: ListMeta) -> None:
        self.meta = meta
        self._verdict = bytearray()
        self._category = array("H")  # stored as uint8 when there are fewer than 256
        self._categories: dict[str, int] = {"": 0}
        self._source: list[bytes] = []
        self._other: list[bytes] = []
        self._key = array("Q")
        self._digest: dict[Kind, bytearray] = {kind: bytearray() for kind in Kind}
        self._ids: dict[Kind, array[int]] = {kind: array("I") for kind in Kind}
        self._quality = bytearray()
        self._frames = bytearray()
        self._frame_ids = array("I")

    def __len__(self) -> int:
        return len(self._verdict)

    def add(self, entry: Entry) -> None:
        i = len(self._verdict)
        self._verdict.append(VERDICT_CODE[entry.verdict])
        code = self._categories.setdefault(entry.category, len(self._categories))
        if code > 0xFFFF:
            raise ValueError("a list may have at most 65,535 different categories")
        self._category.append(code)
        self._source.append(entry.source_id.encode("utf-8"))
        other = json.dumps([list(p) for p in entry.other]).encode() if entry.other else b""
        self._other.append(other)
        identity = hashlib.blake2b(digest_size=8)
        for kind in Kind:
            value = getattr(entry, kind.value)
            identity.update(b"|" + (value.encode() if value else b"-"))
            if value:
                self._digest[kind] += bytes.fromhex(value)
                self._ids[kind].append(i)
        for frame in entry.frames:
            self._frames += bytes.fromhex(frame)
            self._frame_ids.append(i)
            identity.update(frame.encode())
        # Same hashes, verdict and category = the same entry, whatever its source id.
        identity.update(b"|" + other + b"|" + str(entry.verdict).encode() + b"|"
                        + entry.category.encode("utf-8"))
        self._key.append(int.from_bytes(identity.digest(), "little"))
        if entry.pdq:
            self._quality.append(UNKNOWN_QUALITY if entry.pdq_quality is None
                                 else entry.pdq_quality)

    def add_all(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            self.add(entry)

    def build(self) -> tuple[HashList, BuildStats]:
        n = len(self._verdict)
        keys = np.frombuffer(self._key.tobytes(), dtype=np.uint64) if n else np.zeros(0, np.uint64)
        _, first = np.unique(keys, return_index=True)
        keep = np.zeros(n, dtype=bool)
        keep[first] = True
        new_id = np.cumsum(keep, dtype=np.int64) - 1
        rows = np.nonzero(keep)[0]

        def column(kind: Kind) -> tuple[np.ndarray, np.ndarray]:
            width = BYTE_LENGTH[kind]
            data = np.frombuffer(bytes(self._digest[kind]), dtype=np.uint8).reshape(-1, width)
            ids = np.frombuffer(self._ids[kind].tobytes(), dtype=np.uint32).astype(np.int64)
            mask = keep[ids] if len(ids) else np.zeros(0, dtype=bool)
            return data[mask], new_id[ids[mask]].astype(np.uint32)

        exact = {}
        for kind in DIGESTS:
            data, ids = column(kind)
            exact[kind] = ExactIndex.build(data, ids)
        codes, pdq_ids = column(Kind.PDQ)
        quality = np.frombuffer(bytes(self._quality), dtype=np.uint8)
        pdq_rows = np.frombuffer(self._ids[Kind.PDQ].tobytes(), dtype=np.uint32).astype(np.int64)
        quality = quality[keep[pdq_rows]] if len(pdq_rows) else quality
        frame_codes = np.frombuffer(bytes(self._frames), dtype=np.uint8).reshape(-1, 32)
        frame_ids = np.frombuffer(self._frame_ids.tobytes(), dtype=np.uint32).astype(np.int64)
        frame_mask = keep[frame_ids] if len(frame_ids) else np.zeros(0, dtype=bool)
        frame_ids = new_id[frame_ids[frame_mask]].astype(np.uint32)
        hashlist = HashList(
            self.meta,
            verdict=np.frombuffer(bytes(self._verdict), dtype=np.uint8)[keep].copy(),
            category=_narrow(np.frombuffer(self._category.tobytes(), dtype=np.uint16)[keep]),
            categories=list(self._categories),
            source_id=StringColumn.build((self._source[i] for i in rows), len(rows)),
            other=StringColumn.build((self._other[i] for i in rows), len(rows)),
            exact=exact,
            pdq=PdqIndex.build(codes, pdq_ids, quality.copy()),
            frames=PdqIndex.build(frame_codes[frame_mask], frame_ids,
                                  np.full(len(frame_ids), UNKNOWN_QUALITY, dtype=np.uint8)),
        )
        return hashlist, BuildStats(read=n, duplicates=n - len(rows))


def empty_pdq_index() -> PdqIndex:
    return PdqIndex(np.zeros((0, 32), np.uint8), np.zeros(0, np.uint32), np.zeros(0, np.uint8))


def _narrow(codes: np.ndarray) -> np.ndarray:
    return codes.astype(np.uint8) if len(codes) == 0 or codes.max() < 256 else codes.copy()


def build_list(meta: ListMeta, entries: Iterable[Entry]) -> HashList:
    builder = HashListBuilder(meta)
    builder.add_all(entries)
    return builder.build()[0]
