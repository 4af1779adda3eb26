import io
import os
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hashdb.errors import ListFileError
from hashdb.identity import Identity, PublicIdentity
from hashdb.sealed import MAGIC, Passphrase, SealedReader, SealedWriter, SecretKey

KEY = SecretKey(bytes(range(32)))
FAST_PASS = {"memory_kib": 1024, "iterations": 1}


def seal(data: bytes, wrap=KEY, signer=None, chunk: int = 64) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, wrap, signer, chunk_size=chunk)
    writer.write(data)
    writer.close()
    return out.getvalue()


def unseal(blob: bytes, unwrap=KEY, trusted=None) -> bytes:
    reader = SealedReader(io.BytesIO(blob), unwrap, trusted)
    out = bytearray()
    while not reader.at_end():
        out += reader.read(1)
    return bytes(out)


def frames(blob: bytes) -> tuple[bytes, list[bytes]]:
    """Split a sealed blob into its header part and its frames."""
    (hlen,) = struct.unpack(">I", blob[8:12])
    at = 12 + hlen
    head, parts = blob[:at], []
    while at < len(blob):
        (length,) = struct.unpack(">I", blob[at:at + 4])
        parts.append(blob[at:at + 5 + length])
        at += 5 + length
    return head, parts


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=1000))
def test_roundtrip(data: bytes) -> None:
    assert unseal(seal(data)) == data


def test_header_reveals_nothing() -> None:
    blob = seal(b"name: Secret List of Somebody" * 10)
    assert b"Secret List" not in blob
    assert blob.startswith(MAGIC)


def test_wrong_key() -> None:
    with pytest.raises(ListFileError, match="wrong key"):
        unseal(seal(b"x" * 100), SecretKey(bytes(32)))


def test_truncation_is_found() -> None:
    blob = seal(os.urandom(300))
    head, parts = frames(blob)
    with pytest.raises(ListFileError, match="truncated"):
        unseal(head + b"".join(parts[:-1]))
    with pytest.raises(ListFileError, match="truncated"):
        unseal(blob[:-7])


def test_reordering_is_found() -> None:
    head, parts = frames(seal(os.urandom(300)))
    parts[0], parts[1] = parts[1], parts[0]
    with pytest.raises(ListFileError, match="altered"):
        unseal(head + b"".join(parts))


def test_dropping_a_middle_chunk_is_found() -> None:
    head, parts = frames(seal(os.urandom(300)))
    with pytest.raises(ListFileError, match="altered"):
        unseal(head + b"".join(parts[:1] + parts[2:]))


def test_appended_data_is_found() -> None:
    with pytest.raises(ListFileError, match="after its end"):
        unseal(seal(b"abc") + b"extra bytes")


def test_every_flipped_byte_is_found() -> None:
    blob = seal(os.urandom(200))
    for at in range(0, len(blob), 7):
        damaged = bytearray(blob)
        damaged[at] ^= 0x40
        with pytest.raises(ListFileError):
            unseal(bytes(damaged))


def test_not_a_sealed_file() -> None:
    with pytest.raises(ListFileError, match="not a Hotline Triage list file"):
        unseal(b"PK\x03\x04 a zip file perhaps")


def test_passphrase() -> None:
    blob = seal(b"shared list", Passphrase("a long shared passphrase", **FAST_PASS))
    assert unseal(blob, Passphrase("a long shared passphrase")) == b"shared list"
    with pytest.raises(ListFileError, match="wrong passphrase"):
        unseal(blob, Passphrase("another passphrase"))
    with pytest.raises(ListFileError, match="not a workspace list"):
        unseal(blob, KEY)


def test_recipient_and_signature() -> None:
    sender, receiver, stranger = Identity.generate(), Identity.generate(), Identity.generate()
    blob = seal(b"partner list", receiver.public().recipient(), sender.signing)
    trusted = sender.public().signing_bytes
    assert unseal(blob, receiver.unwrap(), lambda key: key == trusted) == b"partner list"
    with pytest.raises(ListFileError, match="another hotline's key"):
        unseal(blob, stranger.unwrap())
    with pytest.raises(ListFileError, match="not signed by a key you trust"):
        unseal(blob, receiver.unwrap(), lambda key: key == stranger.public().signing_bytes)


def test_signature_covers_the_content() -> None:
    sender, receiver = Identity.generate(), Identity.generate()
    blob = seal(b"x" * 200, receiver.public().recipient(), sender.signing)
    head, parts = frames(blob)
    with pytest.raises(ListFileError, match="signature is missing"):
        unseal(head + b"".join(parts[:-1]), receiver.unwrap())
    damaged = bytearray(blob)
    damaged[-3] ^= 1
    with pytest.raises(ListFileError, match="signature does not match"):
        unseal(bytes(damaged), receiver.unwrap())


def test_public_identity_text_roundtrip() -> None:
    identity = Identity.generate()
    text = identity.public().text()
    parsed = PublicIdentity.parse(text)
    assert parsed.text() == text
    assert parsed.fingerprint == identity.public().fingerprint
    assert Identity.from_json(identity.to_json()).public().text() == text
