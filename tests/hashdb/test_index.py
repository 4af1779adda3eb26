"""The indexes must give exactly what brute force gives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hashdb.index import BRUTE_FORCE_BELOW, ExactIndex, MihPlan, PdqIndex, words_of


def flip_bits(code: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    out = code.copy()
    for bit in rng.choice(256, count, replace=False):
        out[bit // 8] ^= 1 << (bit % 8)
    return out


def brute(codes: np.ndarray, query: np.ndarray, threshold: int) -> set[tuple[int, int]]:
    d = np.bitwise_count(words_of(codes) ^ words_of(query[None, :])).sum(axis=1)
    return {(int(i), int(d[i])) for i in np.nonzero(d <= threshold)[0]}


@pytest.fixture(scope="module")
def big() -> tuple[np.ndarray, PdqIndex]:
    rng = np.random.default_rng(7)
    n = 60_000
    codes = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    # plant near-duplicate clusters so there is something to find
    for i in range(0, 3000, 3):
        codes[i + 1] = flip_bits(codes[i], int(rng.integers(1, 32)), rng)
        codes[i + 2] = flip_bits(codes[i], int(rng.integers(20, 40)), rng)
    index = PdqIndex.build(codes, np.arange(n, dtype=np.uint32), np.full(n, 90, np.uint8))
    return codes, index


def test_plan_guarantees_the_design_threshold() -> None:
    for n in (5_000, 100_000, 1_000_000, 10_000_000, 50_000_000):
        plan = MihPlan.for_size(n)
        assert plan.guaranteed_threshold >= 31
        assert sum(size for _, size in plan.parts) == 256


@pytest.mark.parametrize("threshold", [0, 8, 20, 31])
def test_mih_equals_brute_force(big: tuple[np.ndarray, PdqIndex], threshold: int) -> None:
    codes, index = big
    assert index.plan is not None
    rng = np.random.default_rng(threshold)
    for i in list(range(0, 300, 3)) + list(rng.integers(0, len(codes), 50)):
        query = flip_bits(codes[i], int(rng.integers(0, 36)), rng)
        got = {(h.entry, h.distance) for h in index.search(query[None, :], threshold)}
        assert got == brute(codes, query, threshold)


@pytest.mark.parametrize("threshold", [8, 31])
def test_several_queries_at_once_equal_each_alone(big: tuple[np.ndarray, PdqIndex],
                                                  threshold: int) -> None:
    """A picture's 8 dihedral hashes are searched together (their candidates checked as
    one): each hit is still its own query's, at its own distance, as brute force gives."""
    codes, index = big
    rng = np.random.default_rng(100 + threshold)
    for i in range(0, 240, 30):
        queries = np.array([flip_bits(codes[i + k % 3], int(rng.integers(0, 36)), rng)
                            for k in range(8)])
        got = {(h.query, h.entry, h.distance) for h in index.search(queries, threshold)}
        assert got == {(q, entry, distance) for q, query in enumerate(queries)
                       for entry, distance in brute(codes, query, threshold)}


def test_threshold_above_the_guarantee_falls_back_to_brute_force(
        big: tuple[np.ndarray, PdqIndex]) -> None:
    codes, index = big
    query = codes[0]
    got = {(h.entry, h.distance) for h in index.search(query[None, :], 60)}
    assert got == brute(codes, query, 60)


def test_small_lists_use_brute_force() -> None:
    codes = np.random.default_rng(1).integers(0, 256, (100, 32), dtype=np.uint8)
    index = PdqIndex.build(codes, np.arange(100, dtype=np.uint32), np.full(100, 90, np.uint8))
    assert index.plan is None
    assert [h.entry for h in index.search(codes[5:6], 0)] == [5]
    assert BRUTE_FORCE_BELOW > 100


def test_low_quality_stored_hashes_are_skipped() -> None:
    codes = np.random.default_rng(2).integers(0, 256, (10, 32), dtype=np.uint8)
    quality = np.array([10] + [90] * 9, dtype=np.uint8)
    index = PdqIndex.build(codes, np.arange(10, dtype=np.uint32), quality)
    assert index.search(codes[0:1], 0, min_quality=50) == []
    assert len(index.search(codes[0:1], 0)) == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(min_size=16, max_size=16), min_size=1, max_size=50),
       st.lists(st.binary(min_size=16, max_size=16), max_size=20))
def test_exact_lookup_equals_a_set(stored: list[bytes], other: list[bytes]) -> None:
    digests = np.frombuffer(b"".join(stored), dtype=np.uint8).reshape(-1, 16)
    index = ExactIndex.build(digests, np.arange(len(stored), dtype=np.uint32))
    queries = stored[: len(stored) // 2] + other
    q = np.frombuffer(b"".join(queries), dtype=np.uint8).reshape(-1, 16)
    got = set(index.lookup(q))
    expected = {(qi, si) for qi, qd in enumerate(queries) for si, sd in enumerate(stored)
                if qd == sd}
    assert got == expected


def test_exact_lookup_with_shared_prefixes() -> None:
    base = bytes(8)
    stored = [base + bytes([i]) * 8 for i in range(5)]
    digests = np.frombuffer(b"".join(stored), dtype=np.uint8).reshape(-1, 16)
    index = ExactIndex.build(digests, np.arange(5, dtype=np.uint32))
    q = np.frombuffer(stored[3] + base + b"\xff" * 8, dtype=np.uint8).reshape(-1, 16)
    assert index.lookup(q) == [(0, 3)]
