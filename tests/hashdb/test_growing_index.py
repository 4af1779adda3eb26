"""The workspace's near search while an import adds items: the same answers as a scan,
whether an item was indexed at the start, merged later, or is among the newest."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hashdb.growing_index as growing
from hashdb.growing_index import GrowingPdqIndex


def _scan(codes: np.ndarray, ids: list[int], query: np.ndarray, threshold: int) -> dict:
    distances = np.unpackbits(codes ^ query, axis=1).sum(axis=1)
    return {i: int(d) for i, d in zip(ids, distances, strict=True) if d <= threshold}


def _near_copy(base: np.ndarray, rng: np.random.Generator, bits: int) -> np.ndarray:
    flipped = np.unpackbits(base).copy()
    flipped[rng.choice(256, bits, replace=False)] ^= 1
    return np.packbits(flipped)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 120), st.integers(0, 120),
       st.sampled_from([0, 31, 90, 256]), st.integers(1, 8))
def test_answers_equal_a_scan(seed: int, at_start: int, added: int, threshold: int,
                              variants: int) -> None:
    """Several queries at once (an image's dihedral variants): each item at its smallest
    distance to any of them."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, 32, dtype=np.uint8)
    codes = np.array([_near_copy(base, rng, int(rng.integers(0, 60)))
                      if rng.random() < 0.7 else rng.integers(0, 256, 32, dtype=np.uint8)
                      for _ in range(at_start + added)], dtype=np.uint8).reshape(-1, 32)
    ids = list(range(1000, 1000 + len(codes)))
    index = GrowingPdqIndex(codes[:at_start], np.array(ids[:at_start]))
    for code, item in zip(codes[at_start:], ids[at_start:], strict=True):
        index.add(code, item)
    assert len(index) == len(codes)
    queries = [_near_copy(base, rng, int(rng.integers(0, 40))) for _ in range(variants)]
    expected: dict[int, int] = {}
    for query in queries:
        for item, distance in _scan(codes, ids, query, threshold).items():
            expected[item] = min(distance, expected.get(item, 256))
    assert index.search(np.array(queries), threshold) == expected


def test_the_newest_codes_are_merged_into_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past BRUTE_FORCE_BELOW codes (4,096; 50 here) the newer ones join the multi-index,
    whose answers stay exact."""
    monkeypatch.setattr(growing, "BRUTE_FORCE_BELOW", 50)
    monkeypatch.setattr("hashdb.index.BRUTE_FORCE_BELOW", 50)
    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, 32, dtype=np.uint8)
    codes = np.array([_near_copy(base, rng, int(rng.integers(0, 40))) for _ in range(180)])
    index = GrowingPdqIndex(codes[:60], np.arange(60))
    assert index._index is not None  # 60 at the start: indexed
    for i in range(60, 180):
        index.add(codes[i], i)
    assert index._count < 50  # merged as they came
    query = _near_copy(base, rng, 3)
    assert index.search(query.reshape(1, 32), 31) == _scan(codes, list(range(180)), query, 31)
