"""Crash-safe writes: readers see the old file or the new one; files written for later
durability are made durable together (the import's blobs: one syncfs for a batch)."""

from pathlib import Path

import pytest

import hashdb.atomicfile as atomicfile
from hashdb.atomicfile import atomic_writer, make_durable


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(path) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("the disk filled up")
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("syncfs", [True, False], ids=["syncfs", "fsync-each"])
def test_files_written_for_later_durability(tmp_path: Path, syncfs: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if not syncfs:
        monkeypatch.setattr(atomicfile, "_SYNCFS", None)  # another system than Linux
    paths = []
    for i in range(6):
        (tmp_path / str(i % 3)).mkdir(exist_ok=True)
        path = tmp_path / str(i % 3) / f"blob{i}"
        with atomic_writer(path, durable=False) as fh:
            fh.write(bytes([i]) * 1000)
        paths.append(path)
    make_durable(paths)
    assert [p.read_bytes() for p in paths] == [bytes([i]) * 1000 for i in range(6)]


def test_a_file_that_vanished_before_it_was_made_durable_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without syncfs each file is opened: one gone (purged meanwhile) is not silently
    taken as stored."""
    monkeypatch.setattr(atomicfile, "_SYNCFS", None)
    with pytest.raises(FileNotFoundError):
        make_durable([tmp_path / "gone"])
