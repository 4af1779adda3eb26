"""The hashing pool's workers read, hash and seal each input themselves: an input that cannot
be read or stored there is that input's error, and the import goes on."""

import os
import subprocess
import sys
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

import app.intake.hashing as hashing
import app.intake.pipeline as pipeline
from app.desk import Desk
from app.intake.hashing import hashing_pool, intake_group, intake_one
from app.intake.media import read_capped
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
    real = hashing.intake_one

    def deleting(content: object, *args: object) -> object:
        if isinstance(content, Path) and content.name == "2.jpg":
            content.unlink()  # between the walk that listed it and the read
        return real(content, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(hashing, "intake_one", deleting)
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server: Linux's")
def test_a_warmed_pool_forks_workers_from_a_server_that_imported_the_hashing() -> None:
    """`hotline import` of a folder starts the fork server during the sign-in: the server
    imports numpy, Pillow and the hashing once, and each worker of the pool is a fork of it,
    ready at once (a worker importing them itself took ~0.3 s before its first picture)."""
    hashing.warm_pool()
    server = forkserver._forkserver._forkserver_pid
    assert server is not None
    assert os.waitpid(server, os.WNOHANG) == (0, 0)  # running
    pool = hashing_pool(2)
    try:
        assert pool.submit(os.getppid).result() == server
        assert pool.submit(os.getenv, "OPENBLAS_NUM_THREADS").result() == "1"
    finally:
        pool.shutdown()
    deadline = time.monotonic() + 30  # the server imports in the background
    while "pdqhash" not in Path(f"/proc/{server}/maps").read_text():
        assert time.monotonic() < deadline, "the fork server did not import the hashing"
        time.sleep(0.05)
    assert "_multiarray_umath" in Path(f"/proc/{server}/maps").read_text()


@pytest.mark.parametrize(("urls", "files", "pool"), [
    (["https://a.example/1"], [], False), ([f"https://a.example/{i}" for i in range(8)], [], True),
    ([], ["a.jpg", "b.jpg"], False), ([], ["FOLDER"], True)])
def test_only_an_import_that_uses_a_pool_warms_one(tmp_path: Path, urls: list[str],
                                                   files: list[str], pool: bool) -> None:
    """One picture is hashed in the importing process: starting a server for it would cost
    the other core ~0.3 s for nothing."""
    paths = [tmp_path if f == "FOLDER" else tmp_path / f for f in files]
    assert pipeline.uses_pool(urls, paths) is pool


def test_a_batch_file_warms_the_pool_before_its_urls_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    warmed: list[bool] = []
    monkeypatch.setattr(pipeline, "warm_pool", lambda: warmed.append(True))
    pipeline.prepare(["https://a.example/1"], [])
    assert warmed == []
    pipeline.prepare([], [], batch=True)
    assert warmed == [True]


def test_one_input_of_a_group_fails_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local files go to the workers a few per task; a failure nothing expected (a decoder's
    bug) on one of them is that file's error, its neighbours are hashed."""
    real = hashing.intake_one

    def failing_on_the_second(content: object, *args: object) -> object:
        if content == b"second":
            raise MemoryError("a decoder's bug")
        return real(content, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(hashing, "intake_one", failing_on_the_second)
    results = intake_group((jpeg(1), b"second", jpeg(3)), False, STASH, 10_000_000)
    assert [isinstance(r, str) for r, _ in results] == [False, True, False]
    assert results[1][0] == "could not be hashed (MemoryError: a decoder's bug)"
    assert results[1][1] is None


def test_a_folder_is_imported_in_groups_in_the_order_found(analyst: Desk,
                                                           tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):  # 40 files, 2 workers: groups of 5
        (folder / f"{i:02d}.jpg").write_bytes(jpeg(100 + i))
    (folder / "17.jpg").write_bytes(b"not a picture")
    summary = analyst.import_report(files=[folder], reference="R-groups")
    assert summary.items == 39
    assert [e.input.rsplit("/", 1)[-1] for e in summary.errors] == ["17.jpg"]
    names = [s.source.rsplit("/", 1)[-1] for s in analyst.report("R-groups").sightings
             if s.kind == "media"]
    assert names == [f"{i:02d}.jpg" for i in range(40) if i != 17]


def test_workers_started_by_the_hotline_script_do_not_import_the_desk(tmp_path: Path) -> None:
    """Each worker imports the script that started the program again (multiprocessing's
    main-module fix-up); the `hotline` script imports app.cli, which must stay cheap: the
    whole Desk cost every worker 0.66 s before its first picture."""
    script = tmp_path / "hotline"
    script.write_text(  # what pip writes for the console script, and a pool as a command's
        "import sys\nfrom app.cli import main\n"
        "if __name__ == '__main__':\n"
        "    from app.intake.hashing import hashing_pool\n"
        "    pool = hashing_pool(2)\n"
        "    try:\n"
        "        print(pool.submit(eval, \"sorted(m for m in __import__('sys').modules\"\n"
        "                          \" if m.startswith(('app.desk', 'app.workspace.db')))\")"
        ".result())\n"
        "    finally:\n"
        "        pool.shutdown()\n")
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("size", "cap", "refused"), [(1000, 1000, False), (1001, 1000, True),
                                                      (0, 10, False)])
def test_a_file_is_read_whole_up_to_the_cap(tmp_path: Path, size: int, cap: int,
                                            refused: bool) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * size)
    if refused:
        with pytest.raises(ValueError, match="larger than the limit"):
            read_capped(path, cap)
    else:
        assert read_capped(path, cap) == b"x" * size


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux's /proc")
def test_a_file_that_says_it_is_empty_but_is_not_is_read_whole() -> None:
    """The read is sized by the file (read(cap + 1) allocated the whole cap, 200 MB, for
    every picture); a file that grows, or says 0 bytes as /proc's do, is still read whole."""
    data = read_capped(Path("/proc/self/status"), 1 << 20)
    assert len(data) > 100
    assert data.endswith(b"\n")
    with pytest.raises(ValueError, match="larger than the limit"):
        read_capped(Path("/proc/self/status"), 50)


def test_no_item_is_committed_before_its_blob_is_durable(
        analyst: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers write blobs without waiting for the disk; a group's items are committed
    only after its blobs are made durable. A disk that cannot make them durable (EIO on
    syncfs) fails the import with nothing of that group committed."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"{i:02d}.jpg").write_bytes(jpeg(200 + i))
    made_durable: list[str] = []
    real = pipeline.make_durable

    def recording(vault: object, names: list[str]) -> None:
        made_durable.extend(names)
        real(vault, names)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "make_durable", recording)
    summary = analyst.import_report(files=[folder], reference="R-durable")
    assert summary.items == 12
    blobs = {analyst._ws.items.get(i).blob for i in summary.item_ids}
    assert blobs <= set(made_durable)

    def failing(vault: object, names: list[str]) -> None:
        raise OSError(5, "Input/output error")

    for i in range(12):
        (folder / f"{i:02d}.jpg").write_bytes(jpeg(300 + i))
    monkeypatch.setattr(pipeline, "make_durable", failing)
    with pytest.raises(OSError, match="Input/output error"):
        analyst.import_report(files=[folder], reference="R-eio")
    assert analyst.report("R-eio").sightings == []
