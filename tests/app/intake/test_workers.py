"""The hashing pool's workers read, hash and seal each input themselves: an input that cannot
be read or stored there is that input's error, and the import goes on."""

import os
from pathlib import Path

import pytest

import app.intake.pipeline as pipeline
from app.desk import Desk
from app.intake.hashing import hashing_pool, intake_one
from app.workspace.stash import BlobStash
from tests.synthetic import jpeg

STASH = BlobStash(((0, b"n" * 32),), ((0, b"b" * 32),))


def test_a_file_gone_before_its_worker_reads_it(tmp_path: Path) -> None:
    result, stashed = intake_one(tmp_path / "gone.jpg", False, STASH, 10_000)
    assert isinstance(result, str)
    assert result.startswith("cannot read:")
    assert stashed is None


def test_a_file_grown_past_the_limit_since_the_walk(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg(1))
    result, _ = intake_one(path, False, STASH, 1000)
    assert result == "cannot read: larger than the limit of 1,000 bytes"


def test_a_vault_that_cannot_be_written_fails_only_that_input(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_bytes(b"")
    stash = BlobStash(STASH.names, STASH.bodies, blocked / "vault")
    result, stashed = intake_one(jpeg(2), False, stash, 10_000_000)
    assert isinstance(result, str)
    assert result.startswith("cannot be stored in the vault")
    assert stashed is None


def test_what_is_not_media_is_hashed_but_not_stored(tmp_path: Path) -> None:
    stash = BlobStash(STASH.names, STASH.bodies, tmp_path / "vault")
    result, stashed = intake_one(b"<html>a page</html>", False, stash, 10_000)
    assert not isinstance(result, str)
    assert result.error
    assert stashed is None
    assert not (tmp_path / "vault").exists()


def test_an_import_goes_on_past_a_file_deleted_under_it(
        analyst: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.jpg").write_bytes(jpeg(40 + i))
    real = pipeline.intake_one

    def deleting(content: object, *args: object) -> object:
        if isinstance(content, Path) and content.name == "2.jpg":
            content.unlink()  # between the walk that listed it and the read
        return real(content, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "intake_one", deleting)
    files = sorted(folder.iterdir())  # a few files, not a folder: hashed in this process
    summary = analyst.import_report(files=files, reference="R-gone")
    assert summary.items == 3
    assert [e.input.rsplit("/", 1)[-1] for e in summary.errors] == ["2.jpg"]
    assert summary.errors[0].message.startswith("cannot read:")
    assert summary.outcome == "partial"


def test_pool_workers_run_blas_on_one_thread_each() -> None:
    """Two workers on two cores with BLAS threads of their own ran at 40% of the speed."""
    pool = hashing_pool(2)
    try:
        assert pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result() == "1"
    finally:
        pool.shutdown()
