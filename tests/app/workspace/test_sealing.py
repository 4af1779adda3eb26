"""Sealed columns: what a database administrator holds is ciphertext bound to its column and
keyed lookups; a value moved between columns, or damaged, does not open."""

import pytest

from app.workspace.sealing import Sealer, SealError

SEALER = Sealer({0: b"c" * 32}, b"l" * 32)


def test_round_trip_and_null() -> None:
    sealed = SEALER.seal("sightings.source", "https://reported.example/a.jpg")
    assert sealed is not None
    assert b"reported" not in sealed
    assert SEALER.open("sightings.source", sealed) == "https://reported.example/a.jpg"
    assert SEALER.seal("reports.note", None) is None
    assert SEALER.open("reports.note", None) is None
    assert SEALER.seal("x.y", "same") != SEALER.seal("x.y", "same")  # a fresh nonce each time


def test_a_value_moved_to_another_column_or_damaged_does_not_open() -> None:
    sealed = SEALER.seal("users.name", "kate")
    assert sealed is not None
    with pytest.raises(SealError, match="does not belong there"):
        SEALER.open("reports.reference", sealed)
    with pytest.raises(SealError, match="damaged"):
        SEALER.open("users.name", sealed[:-1] + bytes([sealed[-1] ^ 1]))


def test_lookups_find_one_name_however_written_and_differ_across_columns() -> None:
    kelvin = "\u212aate"  # KELVIN SIGN: the insider's attempt at a second "Kate"
    assert SEALER.lookup("users.name", "Kate") == SEALER.lookup("users.name", " KATE ")
    assert SEALER.lookup("users.name", kelvin) == SEALER.lookup("users.name", "kate")
    assert SEALER.lookup("users.name", "kate") != SEALER.lookup("reports.reference", "kate")
    assert Sealer({0: b"c" * 32}, b"L" * 32).lookup("users.name", "kate") != \
        SEALER.lookup("users.name", "kate")  # another workspace's key: unrelated


def test_epochs_after_a_rotation() -> None:
    old = SEALER.seal("reports.note", "before")
    rotated = Sealer({0: b"c" * 32, 1: b"C" * 32}, b"l" * 32)
    assert rotated.open("reports.note", old) == "before"
    new = rotated.seal("reports.note", "after")
    with pytest.raises(SealError, match="never had"):
        SEALER.open("reports.note", new)  # a disabled user's old key opens nothing new
    assert rotated.lookup("users.name", "kate") == SEALER.lookup("users.name", "kate")
