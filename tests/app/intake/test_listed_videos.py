"""A list of every-frame vPDQ hashes, as Meta's tools write them, finds the same video when it
is taken in (intake keeps one frame a second): the list entry's share has no floor, the new
video's frames must be found in it (python-threatexchange's rule). Meta's own sample videos
and their published every-frame hashes (tests/data/vpdq, with its licence)."""

from collections.abc import Callable
from pathlib import Path

import pytest

from app.desk import Desk

DATA = Path(__file__).parent.parent.parent / "data" / "vpdq"


@pytest.fixture
def supervisor(open_as: Callable[..., Desk]) -> Desk:
    return open_as("sue", "supervisor")


@pytest.mark.slow  # decodes two of Meta's sample videos
def test_an_every_frame_list_finds_the_video_and_nothing_else(supervisor: Desk,
                                                              tmp_path: Path) -> None:
    result = supervisor.import_list(DATA / "pattern-hd-no-bar.txt", "Partner videos",
                                    "baseline")
    assert result.format == "detected"
    assert supervisor.lists()[0].counts["frames"] >= 200  # every frame of one video
    same = supervisor.import_report(files=[DATA / "pattern-hd-no-bar.mp4"], reference="V-1")
    other = supervisor.import_report(files=[DATA / "doorknob-hd-no-bar.mp4"], reference="V-2")
    [listed] = [m for m in supervisor.item(same.item_ids[0]).matches
                if m.list_name == "Partner videos"]
    assert listed.hash_kind == "vpdq"
    assert listed.verdict == "baseline"
    assert listed.distance <= 20  # at least 80% of the new video's frames are in the entry
    assert not [m for m in supervisor.item(other.item_ids[0]).matches
                if m.list_name == "Partner videos"]
