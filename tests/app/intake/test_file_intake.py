"""Files, folders and archives, hostile ones included."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import InvalidInput
from app.intake.pipeline import BATCH_ITEMS
from tests.app.conftest import PASSWORD
from tests.hostile import hostile_folder
from tests.synthetic import jpeg


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    hostile_folder(folder)
    return folder


@pytest.mark.slow
def test_hostile_files_are_errors_and_the_rest_is_imported(analyst: Desk, hostile: Path,
                                                           tmp_path: Path) -> None:
    s = analyst.import_report(files=[hostile], source="police", reference="P-1")
    names = {e.input.rsplit("/", 1)[-1]: e.message for e in s.errors}
    assert names["empty.jpg"] == "the file is empty"
    assert "truncated" in names["truncated.jpg"]
    assert "not an image or video" in names["random.jpg"]
    assert "not an image or video" in names["text.jpg"]
    assert "too many pixels" in names["huge.png"] or "declares" in names["huge.png"]
    assert all("zip bomb" in m or "larger than" in m
               for n, m in names.items() if n.startswith("bomb.zip!"))
    assert "archive inside an archive" in names["nested.zip!inner.zip"]
    assert "not a readable zip" in names["broken.zip"]
    assert "no codec" in names["no-codec.mp4"]
    assert "damaged zip" in names["damaged.zip"]
    # good.jpg, outer.jpg and the four traversal members (their names are only labels)
    assert s.items == 6
    assert not (tmp_path / "escaped.jpg").exists()
    assert not Path("/abs/olute.jpg").exists()
    written = {p.name for p in tmp_path.rglob("*")} - {p.name for p in hostile.rglob("*")}
    assert "escaped.jpg" not in written
    assert "ok.jpg" not in written


def test_a_missing_path_is_an_error(analyst: Desk, tmp_path: Path) -> None:
    s = analyst.import_report(files=[tmp_path / "nothing-here"])
    assert s.errors[0].message == "no such file or folder"


def test_nothing_given(analyst: Desk) -> None:
    with pytest.raises(InvalidInput, match="give URLs or files"):
        analyst.import_report()


def test_bad_source(analyst: Desk, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown source"):
        analyst.import_report(files=[tmp_path], source="rumour")


MEMORY_PROBE = """
import json, resource, sys
from pathlib import Path
from app.desk import Desk
desk = Desk.open(Desk.location_of(sys.argv[1]), "ann", sys.argv[2])
s = desk.import_report(files=[Path(sys.argv[3])])
print(json.dumps({"items": s.items, "errors": len(s.errors),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.mark.slow
def test_peak_memory_stays_bounded(analyst: Desk, hostile: Path) -> None:
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(analyst.location), PASSWORD,
                          str(hostile)], capture_output=True, text=True, timeout=300,
                         check=True)
    result = json.loads(out.stdout)
    assert result["items"] == 6
    assert result["peak_mb"] < 1024, result


KILLABLE = """
import sys
from pathlib import Path
from app.desk import Desk
desk = Desk.open(Desk.location_of(sys.argv[1]), "ann", sys.argv[2])
desk.import_report(files=[Path(sys.argv[3])], reference="R-kill",
                   progress=lambda p: print("stored", p.done, flush=True))
"""


def test_a_killed_import_resumes_without_duplicates(analyst: Desk, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    total = BATCH_ITEMS + 24
    for i in range(total):
        (folder / f"{i:03d}.jpg").write_bytes(jpeg(500 + i, (320, 240)))
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(analyst.location), PASSWORD,
                             str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("stored") and int(line.split()[1]) >= BATCH_ITEMS + 9:
            break
    os.kill(proc.pid, 9)
    proc.wait()
    again = analyst.import_report(files=[folder], reference="R-kill")
    sightings = analyst.report("R-kill").sightings
    assert len(sightings) == total
    assert len({s.item_id for s in sightings}) == total
    # Items are committed in batches (or every second): the killed run kept its first batch.
    assert again.items <= total - BATCH_ITEMS
    assert analyst.verify_audit().ok


def test_batch_files(analyst: Desk, tmp_path: Path, site) -> None:
    (tmp_path / "b.json").write_text(json.dumps([
        {"reference": "J-1", "source": "police", "received": "2026-11-20",
         "urls": [f"{site.base}/img/0.jpg"]},
        {"reference": "J-2", "urls": [f"{site.base}/img/1.jpg", f"{site.base}/img/2.jpg"]}]))
    summaries = analyst.import_batch(tmp_path / "b.json")
    assert [(s.report, s.media) for s in summaries] == [("J-1", 1), ("J-2", 2)]
    assert analyst.report("J-1").report.received.startswith("2026-11-20T00:00:00")
    (tmp_path / "b.csv").write_text(f"reference,url\nC-1,{site.base}/img/3.jpg\n"
                                    f"C-1,{site.base}/img/0.jpg\nC-2,{site.base}/img/5.jpg\n")
    summaries = analyst.import_batch(tmp_path / "b.csv")
    assert [(s.report, s.media) for s in summaries] == [("C-1", 2), ("C-2", 1)]
    (tmp_path / "b.txt").write_text(f"# reported today\n{site.base}/img/4.jpg\n")
    [summary] = analyst.import_batch(tmp_path / "b.txt")
    assert summary.media == 1
    (tmp_path / "bad.json").write_text('{"reports": [{"urls": "x"}]}')
    with pytest.raises(InvalidInput, match="report 1 has no list of urls"):
        analyst.import_batch(tmp_path / "bad.json")
    (tmp_path / "bad.csv").write_text("link\nhttp://x\n")
    with pytest.raises(InvalidInput, match="needs a `url` column"):
        analyst.import_batch(tmp_path / "bad.csv")


def test_videos_are_hashed_and_hostile_ones_are_errors(analyst: Desk, tmp_path: Path) -> None:
    from tests.synthetic_video import encode, frames

    folder = tmp_path / "videos"
    folder.mkdir()
    good = encode(frames(4, seconds=4))
    (folder / "good.mp4").write_bytes(good)
    (folder / "truncated.mp4").write_bytes(good[: len(good) // 3])
    (folder / "random.mp4").write_bytes(os.urandom(4000))
    (folder / "pic.jpg").write_bytes(jpeg(44))
    s = analyst.import_report(files=[folder])
    assert s.items == 2
    kinds = sorted(analyst.item(i).kind for i in s.item_ids)
    assert kinds == ["image", "video"]
    names = {e.input.rsplit("/", 1)[-1] for e in s.errors}
    assert names == {"truncated.mp4", "random.mp4"}


def test_a_reencoded_video_is_a_near_copy_of_the_stored_one(analyst: Desk,
                                                            tmp_path: Path) -> None:
    from tests.synthetic_video import encode, frames

    clip = frames(6, seconds=8)
    first = tmp_path / "a"
    first.mkdir()
    (first / "clip.mp4").write_bytes(encode(clip))
    stored = analyst.import_report(files=[first / "clip.mp4"])
    assert stored.unknown == 1
    assert len(analyst.open_video(stored.item_ids[0]).frame_seconds) >= 3
    second = tmp_path / "b"
    second.mkdir()
    (second / "clip.webm").write_bytes(encode(clip, codec="libvpx-vp9", container="webm",
                                              size=(160, 120)))
    (second / "other.mp4").write_bytes(encode(frames(7, seconds=8)))
    s = analyst.import_report(files=[second / "clip.webm", second / "other.mp4"])
    assert (s.near, s.unknown) == (1, 1)
    [m] = analyst.item(s.item_ids[0]).matches
    assert (m.list_name, m.hash_kind, m.other_item) == ("workspace", "vpdq", stored.item_ids[0])


def test_progress_of_local_files_knows_its_total(analyst: Desk, tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jpg").write_bytes(jpeg(71))
    (folder / "sub" / "b.jpg").write_bytes(jpeg(72))
    with zipfile.ZipFile(folder / "c.zip", "w") as archive:
        archive.writestr("d.jpg", jpeg(73))
        archive.writestr("e.txt", b"not media")
    seen = []
    s = analyst.import_report(files=[folder, tmp_path / "missing.jpg"], progress=seen.append)
    assert (s.items, len(s.errors)) == (3, 2)
    assert [(p.done, p.total) for p in seen][-1] == (5, 5)
    assert {p.total for p in seen} == {5}
    urls = []
    analyst.import_report(urls=["http://127.0.0.1:9/none"], progress=urls.append)
    assert {p.total for p in urls} == {None}  # pages: the total is not known in advance


def test_a_damaged_zip_never_exposes_an_inner_zip(analyst: Desk, tmp_path: Path) -> None:
    """Nested archives are not opened, also when the outer one is damaged and zipfile would
    otherwise find the inner archive's directory at the end of the file."""
    import io
    import zipfile

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("hidden.jpg", jpeg(8801))
    outer_path = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer_path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("shown.jpg", jpeg(8802))
        z.writestr("inner.zip", inner.getvalue())
    data = bytearray(outer_path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end:end + 4] = b"XXXX"  # the outer directory's end record is damaged
    outer_path.write_bytes(bytes(data))
    s = analyst.import_report(files=[outer_path])
    assert s.items == 0
    assert "hidden.jpg" not in " ".join(e.input for e in s.errors)
