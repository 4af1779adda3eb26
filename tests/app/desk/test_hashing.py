"""`hotline hash` over a folder: every file, in order, through the hashing pool, with
progress; a file that cannot be read or decoded is that file's error."""

from pathlib import Path

from app.desk import hash_files
from app.jobs import Progress
from hashdb.digests import digest_bytes
from tests.synthetic import jpeg


def test_a_folder_is_hashed_in_order_through_the_pool(tmp_path: Path) -> None:
    folder = tmp_path / "to-list"
    (folder / "sub").mkdir(parents=True)
    blobs = [jpeg(1200 + i) for i in range(10)]
    for i, data in enumerate(blobs):
        (folder / ("sub" if i % 2 else "") / f"{i:02d}.jpg").write_bytes(data)
    (folder / "notes.txt").write_text("not media")
    seen: list[Progress] = []
    results = hash_files([folder, tmp_path / "missing.jpg"], progress=seen.append, workers=2)
    walked = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    assert [r.path for r in results] == [*walked, str(tmp_path / "missing.jpg")]  # in order
    by_name = {Path(r.path).name: r for r in results}
    for i, data in enumerate(blobs):
        r = by_name[f"{i:02d}.jpg"]
        assert r.sha256 == digest_bytes(data).sha256
        assert r.pdq is not None
    assert by_name["notes.txt"].error.startswith("not an image or video")
    assert by_name["notes.txt"].sha256  # digests of anything
    assert by_name["missing.jpg"].error.startswith("cannot read")
    assert [p.done for p in seen] == list(range(1, 13))
    assert {p.total for p in seen} == {12}
