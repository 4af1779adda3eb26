"""Video entries in lists: frame hashes stored in the list file and in the exchange formats,
and a re-encoded copy of a listed video found through them."""

import io
import json
from pathlib import Path

import pytest

from hashdb.entry import Entry, ListMeta, Scope, Verdict, split_frames
from hashdb.errors import InvalidHash
from hashdb.formats import Format, ParseReport, read_entries, read_text, write_entries
from hashdb.formats.vics import PRESETS
from hashdb.hashlist import build_list
from hashdb.listfile import read_list, write_list
from hashdb.sealed import SecretKey
from hashdb.video import hash_video
from tests.synthetic_video import encode, frames

KEY = SecretKey(bytes(32))
META = ListMeta("videos", Scope.BASELINE)


@pytest.fixture(scope="module")
def listed() -> dict[str, list[str]]:
    """Frame hashes of two listed videos and of two queries (a re-encode, another video)."""
    original = hash_video(encode(frames(21, seconds=8)))
    other = hash_video(encode(frames(22, seconds=8)))
    copy = hash_video(encode(frames(21, seconds=8), codec="libvpx-vp9", size=(160, 120)))
    unrelated = hash_video(encode(frames(23, seconds=8)))
    return {"original": original.usable, "other": other.usable, "copy": copy.usable,
            "unrelated": unrelated.usable}


def reloaded(entries: list[Entry]):
    buffer = io.BytesIO()
    write_list(buffer, build_list(META, entries), KEY)
    buffer.seek(0)
    return read_list(buffer, KEY)


def test_a_listed_video_is_found_by_its_re_encode(listed) -> None:
    hashlist = reloaded([Entry(md5="0" * 32, frames=tuple(listed["original"])),
                         Entry(frames=tuple(listed["other"]), verdict=Verdict.NATIONAL)])
    [(entry, match)] = hashlist.match_video(listed["copy"])
    assert entry == 0
    assert match.query_pct >= 80
    assert match.target_pct >= 50
    assert hashlist.entry_verdict(entry) is Verdict.BASELINE
    assert hashlist.match_video(listed["unrelated"]) == []
    assert hashlist.match_video([]) == []
    assert hashlist.counts()["videos"] == 2
    assert hashlist.counts()["frames"] == len(listed["original"]) + len(listed["other"])


def test_frames_index_is_stored_for_many_videos(listed) -> None:
    """Past a few thousand frames the frame index gets its bucket tables; they are stored in
    the list file and used after loading."""
    filler = [Entry(frames=tuple(f"{i:04x}{j:02x}" + "ab" * 29 for j in range(20)))
              for i in range(300)]
    hashlist = reloaded([*filler, Entry(frames=tuple(listed["original"]))])
    assert hashlist.frames.plan is not None
    [(entry, _)] = hashlist.match_video(listed["copy"])
    assert entry == 300


def test_csv_carries_frames_both_ways(tmp_path: Path, listed) -> None:
    entries = [Entry(sha256="a" * 64, frames=tuple(listed["original"][:5]),
                     verdict=Verdict.BASELINE), Entry(md5="b" * 32)]
    path = tmp_path / "videos.csv"
    write_entries(path, Format.CSV, entries)
    assert "vpdq" in path.read_text().splitlines()[0]
    assert list(read_entries(path, None, ParseReport())) == entries


def test_vics_carries_frames_as_an_alternative_hash(tmp_path: Path, listed) -> None:
    entries = [Entry(md5="c" * 32, frames=tuple(listed["other"][:3]), category="1",
                     verdict=Verdict.NATIONAL)]
    path = tmp_path / "videos.json"
    write_entries(path, Format.VICS, entries, PRESETS["projectvic-us"])
    [media] = json.loads(path.read_text())["value"]
    assert {"HashName": "vPDQ", "HashValue": ";".join(listed["other"][:3])} in \
        media["AlternativeHashes"]
    [back] = read_entries(path, None, ParseReport(), PRESETS["projectvic-us"])
    assert back.frames == entries[0].frames


def test_threatexchange_vpdq_signal_drops_low_quality_frames() -> None:
    good, poor = "1" * 64, "2" * 64
    signal = json.dumps([{"hash": good, "quality": 90, "timestamp": 0.0},
                         {"hash": poor, "quality": 20, "timestamp": 1.0}])
    text = 'collab,signal_type,signal_str,category,tags\nx,vpdq,"' + \
        signal.replace('"', '""') + '",,\nx,vpdq,not json,,\n'
    report = ParseReport()
    [entry] = read_text(text, Format.TE, report)
    assert entry.frames == (good,)
    assert report.skipped == 1


def test_a_bad_frame_hash_skips_its_line_with_the_reason() -> None:
    report = ParseReport()
    text = "md5,vpdq\n" + "d" * 32 + "," + "e" * 64 + ";zz\n" + "f" * 32 + "," + "1" * 64 + "\n"
    [entry] = read_text(text, Format.CSV, report)
    assert entry.frames == ("1" * 64,)
    assert report.skipped == 1
    assert "pdq" in report.problems[0][1]


def test_frame_text_splits_on_any_usual_separator() -> None:
    assert split_frames(" a ; b,c|d  e ") == ("a", "b", "c", "d", "e")
    assert split_frames("") == ()
    with pytest.raises(InvalidHash, match="no hash"):
        Entry(frames=())
