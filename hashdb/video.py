"""Video hashes in the manner of Meta's vPDQ: PDQ of sampled frames, low-quality frames
dropped, consecutive near-identical frames collapsed (matching them: `hashdb.video_match`).

Decoding is PyAV (FFmpeg). Hard limits on duration, resolution, frames and decode time keep a
hostile file from taking the machine; every failure is a VideoError with a clear message.
"""

import io
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from hashdb.errors import HashdbError
from hashdb.kinds import hamming
from hashdb.pdq import pdq_array

MIN_QUALITY = 50
COLLAPSE_DISTANCE = 4  # consecutive frames this close are one scene


class VideoError(HashdbError):
    """The file is not a video that can be decoded, or breaks a limit."""


@dataclass(frozen=True)
class VideoLimits:
    max_seconds: float = 4 * 3600
    max_pixels: int = 7680 * 4320
    max_decode_seconds: float = 600
    max_frames: int = 200_000


@dataclass(frozen=True)
class FrameHash:
    index: int        # the decoded frame's number
    timestamp: float  # seconds
    pdq: str
    quality: int


@dataclass(frozen=True)
class VideoHash:
    duration: float
    frame_count: int  # frames decoded
    width: int
    height: int
    frames: tuple[FrameHash, ...] = field(default=())  # sampled, kept, collapsed

    @property
    def usable(self) -> list[str]:
        return [f.pdq for f in self.frames if f.quality >= MIN_QUALITY]


Source = bytes | bytearray | memoryview | Path


class _MemoryReader(io.RawIOBase):
    """A read-only file over a buffer, without copying it (io.BytesIO copies: 200 MB of video
    would be copied again, with the interpreter held, each time it is opened)."""

    def __init__(self, buffer: memoryview) -> None:
        self._buffer = buffer
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        part = self._buffer[self._at:self._at + len(target)]
        target[:len(part)] = part
        self._at += len(part)
        return len(part)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: len(self._buffer)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at


def hash_video(source: bytes | Path, seconds_per_frame: float = 1.0,
               limits: VideoLimits | None = None, collapse: bool = True,
               keep_low_quality: bool = False) -> VideoHash:
    """Frame hashes of a video, one every `seconds_per_frame` (0: every frame)."""
    limits = limits or VideoLimits()
    with _opened(source, limits) as (container, stream, declared):
        width, height = stream.codec_context.width, stream.codec_context.height
        frames: list[FrameHash] = []
        decoded = _Decoded(container, stream, limits)
        next_at = 0.0
        for index, ts, frame in decoded:
            if seconds_per_frame and ts + 1e-6 < next_at:
                continue
            next_at = ts + seconds_per_frame
            pdq, quality, _ = pdq_array(frame.to_ndarray(format="rgb24"))
            if min(frame.width, frame.height) < 5:
                quality = 0
            if quality < MIN_QUALITY and not keep_low_quality:
                continue
            if collapse and frames and hamming(frames[-1].pdq, pdq) <= COLLAPSE_DISTANCE:
                continue
            frames.append(FrameHash(index, round(ts, 3), pdq, quality))
    duration = declared if declared is not None else decoded.last_ts
    return VideoHash(round(duration, 3), decoded.count, width, height, tuple(frames))


def decode_frames(source: Source, times: list[float] | None = None, max_side: int = 640,
                  limits: VideoLimits | None = None, start: float = 0.0,
                  ) -> Iterator[tuple[float, np.ndarray]]:
    """(seconds, RGB array no larger than `max_side`), in memory only: the first frame at or
    after each of `times` (keyframes: each found by seeking, so a long video costs a few
    decoded frames per keyframe, not the whole video), or every frame from `start` on
    (playback)."""
    limits = limits or VideoLimits()
    with _opened(source, limits) as (container, stream, _):
        if times is None:
            for ts, frame in _frames_from(container, stream, limits, start):
                yield ts, _rgb(frame, max_side)
            return
        for wanted in sorted(set(times)):
            frames = _frames_from(container, stream, limits, wanted, may_be_empty=True)
            first = next(frames, None)
            frames.close()
            if first is not None:
                yield first[0], _rgb(first[1], max_side)


def _frames_from(container: av.container.InputContainer, stream: av.video.stream.VideoStream,
                 limits: VideoLimits, start: float, may_be_empty: bool = False,
                 ) -> Generator[tuple[float, av.VideoFrame], None, None]:
    """Frames from `start` seconds on: seek to the key frame before it (where the container
    allows; else decode from the beginning) and skip what comes before."""
    if start > 0 and stream.time_base is not None:
        try:
            container.seek(int(start / stream.time_base), stream=stream, backward=True)
        except (av.error.FFmpegError, OverflowError, ValueError):
            try:
                container.seek(0, stream=stream, backward=True)
            except av.error.FFmpegError as exc:
                raise VideoError(f"the video cannot be searched: {exc}") from None
    decoded = _Decoded(container, stream, limits)
    try:
        for _, ts, frame in decoded:
            if ts + 1e-3 >= start:
                yield ts, frame
    except VideoError:
        if not (may_be_empty and decoded.count == 0):
            raise


def _rgb(frame: av.VideoFrame, max_side: int) -> np.ndarray:
    scale = min(1.0, max_side / max(frame.width, frame.height))
    if scale < 1.0:
        frame = frame.reformat(width=max(2, round(frame.width * scale)),
                               height=max(2, round(frame.height * scale)))
    return frame.to_ndarray(format="rgb24")


@dataclass(frozen=True)
class Sound:
    pcm: bytes      # 16-bit signed little-endian samples, channels interleaved
    rate: int
    channels: int


def decode_audio(source: Source, start: float = 0.0, max_seconds: float = 1200,
                 rate: int = 44_100) -> Sound | None:
    """The sound track from `start` on as PCM (stereo, `rate`), at most `max_seconds` of it;
    None when the file has no sound. Only for playback that a user asked for."""
    container = _open_container(source)
    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        if start > 0 and stream.time_base is not None:
            # where the container cannot seek, decode from the beginning and skip
            with suppress(av.error.FFmpegError, OverflowError, ValueError):
                container.seek(int(start / stream.time_base), stream=stream, backward=True)
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=rate)
        pcm, limit = bytearray(), int(max_seconds * rate) * 4
        try:
            for frame in container.decode(stream):
                if frame.time is not None and frame.time + frame.samples / frame.sample_rate \
                        <= start:
                    continue
                for out in resampler.resample(frame):
                    pcm += out.to_ndarray().tobytes()
                if len(pcm) >= limit:
                    break
            for out in resampler.resample(None):
                pcm += out.to_ndarray().tobytes()
        except av.error.FFmpegError as exc:
            if not pcm:
                raise VideoError(f"the sound cannot be decoded: {exc}") from None
    return Sound(bytes(pcm[:limit]), rate, 2)


def _open_container(source: Source) -> av.container.InputContainer:
    stream_source: io.RawIOBase | io.BytesIO | str
    if isinstance(source, memoryview):
        stream_source = _MemoryReader(source)
    elif isinstance(source, bytes | bytearray):
        stream_source = io.BytesIO(source)
    else:
        stream_source = str(source)
    try:
        container = av.open(stream_source, "r", metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise VideoError(f"not a readable video: {exc}") from None
    assert isinstance(container, av.container.InputContainer)  # opened for reading
    return container


@contextmanager
def _opened(source: Source, limits: VideoLimits,
            ) -> Iterator[tuple[av.container.InputContainer, av.video.stream.VideoStream,
                                float | None]]:
    """The container, its first video stream and its declared duration, after the checks
    that need no decoding."""
    container = _open_container(source)
    with container:
        if container.format.name == "image2" or container.format.name.endswith("_pipe"):
            raise VideoError("an image, not a video")
        if not container.streams.video:
            raise VideoError("the file has no video stream")
        stream = container.streams.video[0]
        if stream.codec_context is None:  # a damaged header names no codec FFmpeg has
            raise VideoError("the video stream names no codec that can be decoded")
        stream.thread_type = "AUTO"
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > limits.max_pixels:
            raise VideoError(f"the video declares {width}x{height} pixels, more than the limit")
        declared = _duration(container, stream)
        if declared is not None and declared > limits.max_seconds:
            raise VideoError(f"the video lasts {declared:.0f} s, more than the limit of "
                             f"{limits.max_seconds:.0f} s")
        yield container, stream, declared


class _Decoded:
    """Iterates (frame number, seconds, frame) under the limits; a damaged tail ends the
    iteration, a video of which nothing decodes is a VideoError."""

    def __init__(self, container: av.container.InputContainer,
                 stream: av.video.stream.VideoStream, limits: VideoLimits) -> None:
        self._container, self._stream, self._limits = container, stream, limits
        self.count = 0
        self.last_ts = 0.0

    def __iter__(self) -> Iterator[tuple[int, float, av.VideoFrame]]:
        limits, started = self._limits, time.monotonic()
        try:
            for frame in self._container.decode(self._stream):
                if time.monotonic() - started > limits.max_decode_seconds:
                    raise VideoError("decoding took longer than the limit")
                if frame.width * frame.height > limits.max_pixels:
                    raise VideoError("a frame is larger than the pixel limit")
                ts = float(frame.time) if frame.time is not None else self.count / 25.0
                self.last_ts = max(self.last_ts, ts)
                if ts > limits.max_seconds:
                    raise VideoError("the video is longer than the limit")
                self.count += 1
                if self.count > limits.max_frames:
                    raise VideoError("the video has more frames than the limit")
                yield self.count - 1, ts, frame
        except av.error.FFmpegError as exc:
            if self.count == 0:
                raise VideoError(f"the video cannot be decoded: {exc}") from None
            # a damaged tail: keep what decoded
        if self.count == 0:
            raise VideoError("no frame could be decoded")


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream,
              ) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * Fraction(stream.time_base))
    if container.duration is not None:
        return container.duration / av.time_base
    return None
