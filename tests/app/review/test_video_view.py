"""A video item opened for the viewer: keyframes at its stored frame times, playback frames,
in memory, audited, cancellable."""

from collections.abc import Callable
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import InvalidInput
from app.jobs import Cancelled, CancelToken
from app.review.video_view import VideoView
from tests.synthetic import jpeg
from tests.synthetic_video import encode, frames


@pytest.fixture
def analyst(open_as: Callable[..., Desk]) -> Desk:
    return open_as("ann", "analyst")


@pytest.fixture
def video_item(analyst: Desk, tmp_path: Path) -> int:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "clip.mp4").write_bytes(encode(frames(61, seconds=9, scene_seconds=3)))
    return analyst.import_report(files=[tmp_path / "in" / "clip.mp4"]).item_ids[0]


def test_keyframes_come_from_the_stored_frames(analyst: Desk, video_item: int) -> None:
    video = analyst.open_video(video_item)
    assert video.duration == pytest.approx(9, abs=0.2)
    times = video.keyframe_times()
    assert 3 <= len(times) <= 12
    stills = list(video.keyframes())
    assert [round(s.seconds, 1) for s in stills] == [round(t, 1) for t in times]
    assert stills[0].image.size == (320, 240)
    played = list(video.frames())
    assert len(played) == 90
    assert played[-1].seconds == pytest.approx(8.9, abs=0.01)
    opened = analyst.audit_entries(target=str(video_item))
    assert [(e.action, e.detail.get("as")) for e in opened if e.action == "item.open"] == [
        ("item.open", "video")]


def test_thinned_to_the_count_asked(analyst: Desk, video_item: int) -> None:
    video = analyst.open_video(video_item)
    video.frame_seconds = [float(s) for s in range(40)]
    assert video.keyframe_times(5) == [0.0, 10.0, 20.0, 29.0, 39.0]


def test_cancel_stops_decoding(analyst: Desk, video_item: int) -> None:
    cancel = CancelToken()
    playing = analyst.open_video(video_item).frames(cancel)
    next(playing)
    cancel.cancel()
    with pytest.raises(Cancelled):
        next(playing)


def test_only_videos_open_as_videos(analyst: Desk, tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pic.jpg").write_bytes(jpeg(63))
    [picture] = analyst.import_report(files=[tmp_path / "p" / "pic.jpg"]).item_ids
    with pytest.raises(InvalidInput, match="not a video"):
        analyst.open_video(picture)


def test_a_damaged_video_is_a_clear_error(analyst: Desk, video_item: int) -> None:
    opened = analyst.open_video(video_item)
    video = VideoView(video_item, analyst.item_content(video_item)[:200],
                      opened.frame_seconds, opened.duration)
    with pytest.raises(InvalidInput, match="cannot be shown"):
        list(video.keyframes())


def test_sound_is_decoded_only_when_asked_for(analyst: Desk, tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "tone.mp4").write_bytes(encode(frames(64, seconds=4), tone_hz=440))
    [item] = analyst.import_report(files=[tmp_path / "s" / "tone.mp4"]).item_ids
    video = analyst.open_video(item)
    sound = video.sound(start=1.0)
    assert sound is not None
    assert (sound.rate, sound.channels) == (24_000, 2)
    assert len(sound.pcm) / 4 / sound.rate == pytest.approx(3.0, abs=0.1)


def test_a_silent_video_has_no_sound(analyst: Desk, video_item: int) -> None:
    assert analyst.open_video(video_item).sound() is None


def test_listening_is_audited(analyst: Desk, video_item: int) -> None:
    analyst.record_listen(video_item, 4.5)
    [entry] = [e for e in analyst.audit_entries(target=str(video_item))
               if e.action == "item.listen"]
    assert entry.detail == {"seconds": 4.5}
    assert analyst.exposure_today().views == 0  # not an unblurred view
    with pytest.raises(InvalidInput):
        analyst.record_listen(video_item, -1)
