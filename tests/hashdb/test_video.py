"""Video hashes on synthetic videos: re-encodes and trims match, other videos do not."""

import os
from pathlib import Path

import pytest

from hashdb.video import VideoError, VideoLimits, hash_video
from hashdb.video_match import match_frames, videos_match
from tests.synthetic_video import encode, frames


@pytest.fixture(scope="module")
def original() -> list:
    return frames(1)


@pytest.fixture(scope="module")
def original_hash(original: list):
    return hash_video(encode(original))


def test_hash_of_a_video(original_hash) -> None:
    assert 11.5 <= original_hash.duration <= 12.5
    assert original_hash.frame_count == 120
    assert (original_hash.width, original_hash.height) == (320, 240)
    assert 4 <= len(original_hash.frames) <= 12  # about one a second, repeats collapsed
    assert all(f.quality >= 50 for f in original_hash.frames)


@pytest.mark.parametrize(("name", "options"), [
    ("lower bitrate", {"bitrate": 60_000}),
    ("half resolution, mpeg4", {"codec": "mpeg4", "size": (160, 120)}),
    ("vp9 in webm", {"codec": "libvpx-vp9", "container": "webm"}),
])
def test_reencoded_copies_match(original: list, original_hash, name: str,
                                options: dict) -> None:
    copy = hash_video(encode(original, **options))
    m = match_frames(copy.usable, original_hash.usable)
    assert videos_match(m), (name, m)


def test_a_trimmed_copy_matches(original: list, original_hash) -> None:
    middle = original[len(original) // 5: len(original) * 4 // 5]  # the middle 60%
    trimmed = hash_video(encode(middle))
    m = match_frames(trimmed.usable, original_hash.usable)
    assert m.query_pct >= 80
    assert videos_match(m)
    assert videos_match(match_frames(original_hash.usable, trimmed.usable))


def test_a_different_video_does_not_match(original_hash) -> None:
    other = hash_video(encode(frames(2)))
    m = match_frames(other.usable, original_hash.usable)
    assert not videos_match(m), m
    assert m.query_pct < 30


@pytest.mark.parametrize("data", [b"", os.urandom(20_000), b"\x00\x00\x00\x18ftypmp42" + bytes(99)])
def test_not_a_video(data: bytes) -> None:
    with pytest.raises(VideoError):
        hash_video(data)


def test_truncated_video(original: list) -> None:
    data = encode(original)
    with pytest.raises(VideoError):
        hash_video(data[: len(data) // 3])


def test_limits(original: list) -> None:
    data = encode(original)
    with pytest.raises(VideoError, match="pixels"):
        hash_video(data, limits=VideoLimits(max_pixels=10_000))
    with pytest.raises(VideoError, match="lasts"):
        hash_video(data, limits=VideoLimits(max_seconds=5))


def test_an_image_is_not_a_video(tmp_path: Path) -> None:
    from tests.synthetic import jpeg

    with pytest.raises(VideoError):
        hash_video(jpeg(1) + b"")


def test_frames_are_decoded_at_the_times_asked_and_scaled_down() -> None:
    from hashdb.video import decode_frames

    video = encode(frames(51, seconds=5, size=(320, 240)))
    picked = list(decode_frames(video, [0.0, 2.0, 4.0], max_side=160))
    assert [round(ts, 1) for ts, _ in picked] == [0.0, 2.0, 4.0]
    assert all(image.shape == (120, 160, 3) for _, image in picked)
    every = list(decode_frames(video, None, max_side=1000))
    assert len(every) == 50
    assert every[0][1].shape == (240, 320, 3)
    with pytest.raises(VideoError):
        list(decode_frames(b"\x00" * 500))


def test_playback_starts_where_asked_and_keyframes_are_found_by_seeking() -> None:
    from hashdb.video import decode_frames

    video = encode(frames(52, seconds=5, size=(160, 120)))
    played = list(decode_frames(video, None, start=3.0))
    assert played[0][0] == pytest.approx(3.0)
    assert len(played) == 20
    long_video = encode(frames(53, seconds=60, fps=5, size=(96, 72)), fps=5)
    picked = [ts for ts, _ in decode_frames(long_video, [55.0, 5.0, 30.0, 5.0, 99.0])]
    assert picked == pytest.approx([5.0, 30.0, 55.0])  # sorted, once each, none past the end


def test_the_sound_track_is_decoded_only_as_asked() -> None:
    import numpy as np

    from hashdb.video import decode_audio

    video = encode(frames(54, seconds=4, size=(96, 72)), tone_hz=440)
    sound = decode_audio(video)
    assert sound is not None
    assert (sound.rate, sound.channels) == (44_100, 2)
    samples = np.frombuffer(sound.pcm, dtype="<i2").reshape(-1, 2)[:, 0].astype(float)
    assert len(samples) / sound.rate == pytest.approx(4.0, abs=0.1)
    spectrum = np.abs(np.fft.rfft(samples[10_000:54_100]))
    assert np.argmax(spectrum) * sound.rate / 44_100 == pytest.approx(440, abs=2)
    later = decode_audio(video, start=3.0)
    assert later is not None
    assert len(later.pcm) / 4 / later.rate == pytest.approx(1.0, abs=0.1)
    short = decode_audio(video, max_seconds=1.5)
    assert short is not None
    assert len(short.pcm) == int(1.5 * 44_100) * 4
    assert decode_audio(encode(frames(55, seconds=2, size=(96, 72)))) is None
    with pytest.raises(VideoError):
        decode_audio(b"\x00" * 300)
