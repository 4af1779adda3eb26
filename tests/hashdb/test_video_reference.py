"""hashdb.video against Meta's vPDQ regression hashes and match figures."""

import csv
from pathlib import Path

import pytest

from hashdb.kinds import hamming
from hashdb.video import hash_video
from hashdb.video_match import match_frames

DATA = Path(__file__).parent.parent / "data" / "vpdq"
VIDEOS = sorted(p.stem for p in DATA.glob("*.mp4"))


def every_frame(name: str):
    return hash_video(DATA / f"{name}.mp4", seconds_per_frame=0, collapse=False,
                      keep_low_quality=True)


@pytest.fixture(scope="module")
def hashes() -> dict:
    return {name: every_frame(name) for name in VIDEOS}


@pytest.mark.slow  # hashes Meta's sample videos (20 s for all)
@pytest.mark.parametrize("name", VIDEOS)
def test_frame_hashes_meet_metas_criterion(hashes: dict, name: str) -> None:
    reference = [line.split(",") for line in (DATA / f"{name}.txt").read_text().split()]
    ours = hashes[name].frames
    assert len(ours) == len(reference)
    for frame, (number, quality, pdq, _) in zip(ours, reference, strict=True):
        assert frame.index == int(number)
        if frame.quality >= 50 and int(quality) >= 50:
            assert hamming(frame.pdq, pdq) < 31


def test_match_figures_agree_with_meta(hashes: dict) -> None:
    rows = list(csv.DictReader((DATA / "expected_matches.csv").open()))
    assert len(rows) == len(VIDEOS) ** 2
    for row in rows:
        q = [f.pdq for f in hashes[row["query"]].frames if f.quality >= 50]
        t = [f.pdq for f in hashes[row["target"]].frames if f.quality >= 50]
        m = match_frames(q, t)
        assert abs(m.query_pct - float(row["pytx_query_pct"])) <= 2, row
        assert abs(m.target_pct - float(row["pytx_target_pct"])) <= 2, row
