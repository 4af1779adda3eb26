import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.workspace.vault import Vault, VaultError, padme


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "vault", {0: os.urandom(32)}, {0: os.urandom(32)})


def test_put_get_roundtrip_and_dedup(vault: Vault) -> None:
    name = vault.put(b"synthetic content")
    assert vault.put(b"synthetic content") == name
    assert vault.get(name) == b"synthetic content"
    assert list(vault.names()) == [name]


def test_name_reveals_nothing_about_the_sha256(vault: Vault) -> None:
    data = b"a known file"
    name = vault.put(data)
    assert hashlib.sha256(data).hexdigest() not in name
    assert name != hashlib.sha256(hashlib.sha256(data).digest()).hexdigest()
    other = Vault(vault.root, {0: os.urandom(32)}, {0: os.urandom(32)})
    assert other.name_for(hashlib.sha256(data).digest()) != name


def test_body_is_encrypted(vault: Vault) -> None:
    name = vault.put(b"PLAINTEXT-MARKER" * 10)
    raw = (vault.root / name[:2] / name).read_bytes()
    assert b"PLAINTEXT-MARKER" not in raw


def test_swapped_blobs_fail(vault: Vault) -> None:
    a, b = vault.put(b"first"), vault.put(b"second")
    pa, pb = vault.root / a[:2] / a, vault.root / b[:2] / b
    data_a = pa.read_bytes()
    pa.write_bytes(pb.read_bytes())
    pb.write_bytes(data_a)
    with pytest.raises(VaultError, match="tampered"):
        vault.get(a)


def test_flipped_bit_fails(vault: Vault) -> None:
    name = vault.put(b"content")
    path = vault.root / name[:2] / name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(VaultError):
        vault.get(name)


def test_missing_and_malformed_names(vault: Vault) -> None:
    with pytest.raises(VaultError, match="not in the vault"):
        vault.get("ab" * 32)
    with pytest.raises(VaultError, match="not a vault blob name"):
        vault.get("../../etc/passwd")


def test_delete(vault: Vault) -> None:
    name = vault.put(b"to be purged")
    assert vault.delete(name)
    assert name not in vault
    assert not vault.delete(name)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=5000))
def test_any_bytes_roundtrip(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    v = Vault(tmp_path_factory.mktemp("v"), {0: bytes(32)}, {0: bytes(range(32))})
    assert v.get(v.put(data)) == data


def test_blob_sizes_do_not_identify_files(tmp_path: Path) -> None:
    """Files of many sizes share a blob size (Padmé): a known file cannot be recognised by
    the size of its blob, and the padding costs at most 12%."""
    vault = Vault(tmp_path, {0: b"n" * 32}, {0: b"b" * 32})
    sizes = {}
    for length in range(30_000, 31_000):
        name = vault.put(length.to_bytes(4, "big") * (length // 4) + b"x" * (length % 4))
        sizes.setdefault((tmp_path / name[:2] / name).stat().st_size, []).append(length)
    assert len(sizes) <= 5  # a thousand file sizes, a handful of blob sizes
    for blob_size, lengths in sizes.items():
        assert blob_size <= max(lengths) * 1.12 + 64


def test_padme_bounds() -> None:
    for length in (1, 2, 7, 100, 4096, 33_816, 10**6, 10**8 + 7):
        padded = padme(length)
        assert length <= padded <= length * 1.12 + 1


def test_blobs_written_before_padding_still_read(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    vault = Vault(tmp_path, {0: b"n" * 32}, {0: b"b" * 32})
    data = b"an old blob"
    name = vault.name_for(hashlib.sha256(data).digest())
    nonce = os.urandom(12)
    (tmp_path / name[:2]).mkdir()
    (tmp_path / name[:2] / name).write_bytes(
        b"HTV1" + nonce + AESGCM(b"b" * 32).encrypt(nonce, data, name.encode()))
    assert vault.get(name) == data


def test_a_new_key_epoch_reads_old_blobs_and_writes_new_ones_under_its_own_keys(
        tmp_path: Path) -> None:
    """After a rotation (a user disabled), old blobs keep their epoch's keys and still read;
    new blobs are written under the new epoch's keys, which the disabled user never had."""
    names, bodies = {0: os.urandom(32)}, {0: os.urandom(32)}
    old = Vault(tmp_path, names, bodies)
    kept = old.put(b"before the rotation")
    names[1], bodies[1] = os.urandom(32), os.urandom(32)
    new = Vault(tmp_path, names, bodies)
    assert new.get(kept) == b"before the rotation"
    assert new.put(b"before the rotation") == kept  # the same content is not stored twice
    fresh = new.put(b"after the rotation")
    with pytest.raises(VaultError, match="epoch"):
        old.get(fresh)


def test_a_view_is_the_content_without_a_copy_and_still_checked(vault: Vault) -> None:
    """Large blobs (videos) are read as a view, decrypted a step at a time; tampering is still
    found before anything is returned."""
    data = os.urandom(9 << 20)  # more than two decryption steps
    name = vault.put(data)
    assert bytes(vault.view(name)) == data == vault.get(name)
    path = vault.root / name[:2] / name
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(VaultError, match="tampered"):
        vault.view(name)


def test_a_blob_written_for_later_durability_is_kept_when_whole(vault: Vault) -> None:
    """The import's workers write blobs without fsync and the importing process makes a
    batch of them durable at once; a whole blob already there is not written again."""
    name = vault.put(b"written by a worker", durable=False)
    vault.make_durable([name])
    path = vault.root / name[:2] / name
    before = path.stat().st_ino
    assert vault.put(b"written by a worker", durable=False) == name
    assert path.stat().st_ino == before
    assert vault.get(name) == b"written by a worker"


@pytest.mark.parametrize("left", [0, 20])
def test_a_blob_cut_short_by_a_power_loss_is_written_again(vault: Vault, left: int) -> None:
    """A write without fsync that a power cut interrupted may leave an empty or short file
    under the blob's name, and no item pointing at it: the import that is run again must not
    take that file for the content."""
    name = vault.put(b"content of a cut import" * 50, durable=False)
    path = vault.root / name[:2] / name
    path.write_bytes(path.read_bytes()[:left])
    assert vault.put(b"content of a cut import" * 50, durable=False) == name
    assert vault.get(name) == b"content of a cut import" * 50
