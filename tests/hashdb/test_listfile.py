import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hashdb.entry import Entry, ListMeta, Scope, Trust, Verdict
from hashdb.errors import ListFileError
from hashdb.hashlist import HashListBuilder, build_list
from hashdb.kinds import Kind
from hashdb.listfile import load_list, peek_meta, read_list, save_list, write_list
from hashdb.sealed import SecretKey

KEY = SecretKey(bytes(range(32)))
META = ListMeta("partner list", Scope.MIXED, Trust.TRUSTED, source="Hotline X")


def hexes(seed: int, n: int, width: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, width, dtype=np.uint8).tobytes().hex() for _ in range(n)]


ENTRIES = [
    Entry(md5=hexes(1, 1, 16)[0], sha1=hexes(2, 1, 20)[0], verdict=Verdict.BASELINE,
          category="1", source_id="m-1"),
    Entry(sha256=hexes(3, 1, 32)[0], pdq=hexes(4, 1, 32)[0], pdq_quality=87,
          verdict=Verdict.NATIONAL, category="A"),
    Entry(pdq=hexes(5, 1, 32)[0], other=(("photodna", "AAAA" * 36),)),
    Entry(md5=hexes(6, 1, 16)[0], verdict=Verdict.NOT_ILLEGAL, source_id="ünïcode-id"),
    Entry(md5=hexes(7, 1, 16)[0], frames=tuple(hexes(8, 5, 32)), verdict=Verdict.BASELINE),
    Entry(frames=tuple(hexes(9, 2, 32))),
]


def roundtrip(hashlist):
    buffer = io.BytesIO()
    write_list(buffer, hashlist, KEY)
    buffer.seek(0)
    return read_list(buffer, KEY)


def test_entries_survive_a_roundtrip() -> None:
    loaded = roundtrip(build_list(META, ENTRIES))
    assert loaded.meta == META
    assert list(loaded.entries()) == ENTRIES


def test_one_entry_by_id_equals_the_walk() -> None:
    loaded = roundtrip(build_list(META, ENTRIES))
    assert [loaded.entry(i) for i in range(len(loaded))] == list(loaded.entries())


def test_duplicates_are_dropped_and_counted() -> None:
    builder = HashListBuilder(META)
    builder.add_all(ENTRIES + ENTRIES[:2])
    hashlist, stats = builder.build()
    assert (stats.read, stats.duplicates, len(hashlist)) == (len(ENTRIES) + 2, 2, len(ENTRIES))


def test_matching_after_loading() -> None:
    loaded = roundtrip(build_list(META, ENTRIES))
    assert loaded.match_digests(Kind.MD5, [ENTRIES[3].md5.upper(), "0" * 32]) == [(0, 3)]
    assert loaded.entry_verdict(3) is Verdict.NOT_ILLEGAL
    flipped = format(int(ENTRIES[1].pdq, 16) ^ 0b1011, "064x")
    [hit] = loaded.match_pdq([flipped], 31)
    assert (hit.entry, hit.distance) == (1, 3)


def test_scope_gives_the_verdict_of_entries_without_one() -> None:
    baseline = build_list(ListMeta("b", Scope.BASELINE), [Entry(md5="a" * 32)])
    assert baseline.entry_verdict(0) is Verdict.BASELINE
    mixed = build_list(ListMeta("m", Scope.MIXED), [Entry(md5="a" * 32)])
    assert mixed.entry_verdict(0) is None


def test_large_list_with_index_roundtrips(tmp_path: Path) -> None:
    pdqs = hexes(9, 6000, 32)
    hashlist = build_list(META, (Entry(pdq=p, pdq_quality=90) for p in pdqs))
    assert hashlist.pdq.plan is not None
    save_list(tmp_path / "big.hlist", hashlist, KEY)
    loaded = load_list(tmp_path / "big.hlist", KEY)
    assert [h.entry for h in loaded.match_pdq([pdqs[4321]], 0)] == [4321]
    meta, counts = peek_meta(tmp_path / "big.hlist", KEY)
    assert meta.name == "partner list"
    assert counts["pdq"] == 6000


def test_file_holds_no_plaintext_hash(tmp_path: Path) -> None:
    save_list(tmp_path / "l.hlist", build_list(META, ENTRIES), KEY)
    raw = (tmp_path / "l.hlist").read_bytes()
    assert bytes.fromhex(ENTRIES[0].md5) not in raw
    assert ENTRIES[0].md5.encode() not in raw
    assert b"partner list" not in raw


def test_tampered_file_fails_to_open(tmp_path: Path) -> None:
    path = tmp_path / "l.hlist"
    save_list(path, build_list(META, ENTRIES), KEY)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(ListFileError):
        load_list(path, KEY)


def test_truncated_file_fails_to_open(tmp_path: Path) -> None:
    path = tmp_path / "l.hlist"
    save_list(path, build_list(META, ENTRIES), KEY)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ListFileError, match="truncated"):
        load_list(path, KEY)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match="no list file"):
        load_list(tmp_path / "nothing.hlist", KEY)


hex_of = st.binary(min_size=16, max_size=16).map(bytes.hex)
entries = st.builds(
    Entry, md5=hex_of,
    sha1=st.one_of(st.none(), st.binary(min_size=20, max_size=20).map(bytes.hex)),
    pdq=st.one_of(st.none(), st.binary(min_size=32, max_size=32).map(bytes.hex)),
    frames=st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex), max_size=4).map(tuple),
    verdict=st.one_of(st.none(), st.sampled_from(Verdict)),
    category=st.text(max_size=5), source_id=st.text(max_size=8))


@settings(max_examples=40, deadline=None)
@given(st.lists(entries, max_size=30))
def test_any_entries_roundtrip(items: list[Entry]) -> None:
    hashlist, _ = (lambda b: (b.add_all(items), b.build())[1])(HashListBuilder(META))
    unique = list(dict.fromkeys(items))  # the builder keeps first occurrences
    loaded = list(roundtrip(hashlist).entries())
    assert len(loaded) <= len(unique)
    assert {(e.md5, e.sha1, e.pdq, e.frames, e.verdict, e.category) for e in loaded} == {
        (e.md5, e.sha1, e.pdq, e.frames, e.verdict, e.category) for e in unique}
