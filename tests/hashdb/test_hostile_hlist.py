"""A shared list file (.hlist) from an attacker who holds only public keys: nothing in it is
used before its signature holds, and every parameter is bounded before use."""

import base64
import io
import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from hashdb.errors import ListFileError
from hashdb.identity import Identity
from hashdb.listfile import read_list
from hashdb.sealed import MAGIC, Passphrase, SealedReader, SealedWriter, SecretKey


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def forged(signer_public: bytes, wrap: dict, body: bytes = b"x" * 100) -> bytes:
    """A file that names a trusted partner as its signer, without the partner's key."""
    header = json.dumps({"format": "hotline-sealed", "version": 1, "wrap": wrap,
                         "signer": b64(signer_public)}, sort_keys=True).encode()
    return (MAGIC + struct.pack(">I", len(header)) + header + struct.pack(">IB", len(body), 1)
            + body + struct.pack(">IB", 64, 2) + os.urandom(64))


HUGE_ARGON2 = {"kind": "passphrase", "salt": b64(os.urandom(16)), "memory_kib": 2**31,
               "iterations": 2**31, "nonce": b64(os.urandom(12)), "wrapped": b64(os.urandom(48))}


def test_a_forged_signer_is_refused_before_its_argon2_parameters_are_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    partner = Identity.generate()
    trusted = partner.public().signing_bytes
    blob = forged(trusted, HUGE_ARGON2)
    derived: list[int] = []
    monkeypatch.setattr(Passphrase, "_key", lambda self, *args: derived.append(1) or bytes(32))
    with pytest.raises(ListFileError, match="signature does not match"):
        SealedReader(io.BytesIO(blob), Passphrase("agreed passphrase"),
                     lambda key: key == trusted)
    assert derived == []  # no Argon2 run at all, let alone 2^31 passes


def test_argon2_parameters_are_bounded_even_without_a_signature() -> None:
    blob = forged(Identity.generate().public().signing_bytes, HUGE_ARGON2)
    with pytest.raises(ListFileError, match="outside the accepted bounds"):
        SealedReader(io.BytesIO(blob), Passphrase("agreed passphrase"))


def test_a_forged_chunk_is_never_parsed() -> None:
    """The first chunk of a forged file would ask for a 64 GiB column: the signature check
    refuses the file before any chunk is decrypted or parsed."""
    partner, me = Identity.generate(), Identity.generate()
    out = io.BytesIO()
    writer = SealedWriter(out, me.public().recipient(), Identity.generate().signing)
    name = b"meta"
    writer.write(struct.pack(">H", len(name)) + name + struct.pack(">B", 3) + b"|u1"
                 + struct.pack(">B", 1) + struct.pack(">Q", 64 << 30))
    writer.close()
    blob = out.getvalue()
    (hlen,) = struct.unpack(">I", blob[8:12])
    header = json.loads(blob[12:12 + hlen])
    header["signer"] = b64(partner.public().signing_bytes)  # claims the partner signed it
    new_header = json.dumps(header, sort_keys=True).encode()
    blob = MAGIC + struct.pack(">I", len(new_header)) + new_header + blob[12 + hlen:]
    trusted = partner.public().signing_bytes
    with pytest.raises(ListFileError, match="signature does not match"):
        read_list(io.BytesIO(blob), me.unwrap(), lambda key: key == trusted)


def test_a_column_larger_than_the_file_is_refused_before_allocating(tmp_path: Path) -> None:
    """An insider with the workspace key can write any list file: still, a column size the
    file cannot hold allocates nothing."""
    key = SecretKey(bytes(range(32)))
    path = tmp_path / "list.hlist"
    with path.open("wb") as fh:
        writer = SealedWriter(fh, key)
        name = b"meta"
        writer.write(struct.pack(">H", len(name)) + name + struct.pack(">B", 3) + b"|u1"
                     + struct.pack(">B", 1) + struct.pack(">Q", 64 << 30))
        writer.close()
    with path.open("rb") as fh, pytest.raises(ListFileError, match="damaged"):
        read_list(fh, key)


def test_a_meta_section_that_is_not_json_is_a_list_file_error(tmp_path: Path) -> None:
    key = SecretKey(bytes(range(32)))
    out = io.BytesIO()
    writer = SealedWriter(out, key)
    body = np.frombuffer(b"{not json" + b"[" * 5000, dtype=np.uint8)
    name = b"meta"
    writer.write(struct.pack(">H", len(name)) + name + struct.pack(">B", 3) + b"|u1"
                 + struct.pack(">B", 1) + struct.pack(">Q", len(body)) + body.tobytes())
    writer.close()
    with pytest.raises(ListFileError, match="damaged"):
        read_list(io.BytesIO(out.getvalue()), key)
