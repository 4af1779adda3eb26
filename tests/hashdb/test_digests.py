import hashlib
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hashdb.digests import CHUNK, digest_bytes, digest_file, digest_stream


def test_known_vector() -> None:
    d = digest_bytes(b"abc")
    assert d.md5 == "900150983cd24fb0d6963f7d28e17f72"
    assert d.sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert d.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert d.size == 3


def test_file_larger_than_a_chunk(tmp_path: Path) -> None:
    data = bytes(range(256)) * (CHUNK // 256 * 3 + 7)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    d = digest_file(path)
    assert d.sha256 == hashlib.sha256(data).hexdigest()
    assert d.md5 == hashlib.md5(data).hexdigest()
    assert d.size == len(data)


@given(st.binary(max_size=3000))
def test_stream_equals_bytes(data: bytes) -> None:
    assert digest_stream(io.BytesIO(data)) == digest_bytes(data)
