"""Video hashes in the manner of Meta's vPDQ: PDQ of sampled frames, low-quality frames
dropped, consecutive near-identical frames collapsed (matching them: `hashdb.video_match`).

Decoding is PyAV (FFmpeg). Hard limits on duration, resolution, frames and decode time keep a
hostile file from taking the machine; every failure is a VideoError with a clear message.
"""

import io
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av

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


def hash_video(source: bytes | Path, seconds_per_frame: float = 1.0,
               limits: VideoLimits | None = None, collapse: bool = True,
               keep_low_quality: bool = False) -> VideoHash:
    """Frame hashes of a video, one every `seconds_per_frame` (0: every frame)."""
    limits = limits or VideoLimits()
    stream_source = io.BytesIO(source) if isinstance(source, bytes | bytearray) else str(source)
    started = time.monotonic()
    try:
        container = av.open(stream_source, metadata_errors="ignore")
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise VideoError(f"not a readable video: {exc}") from None
    with container:
        if container.format.name == "image2" or container.format.name.endswith("_pipe"):
            raise VideoError("an image, not a video")
        if not container.streams.video:
            raise VideoError("the file has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > limits.max_pixels:
            raise VideoError(f"the video declares {width}x{height} pixels, more than the limit")
        declared = _duration(container, stream)
        if declared is not None and declared > limits.max_seconds:
            raise VideoError(f"the video lasts {declared:.0f} s, more than the limit of "
                             f"{limits.max_seconds:.0f} s")
        frames, decoded, next_at, last_ts = [], 0, 0.0, 0.0
        try:
            for frame in container.decode(stream):
                if time.monotonic() - started > limits.max_decode_seconds:
                    raise VideoError("decoding took longer than the limit")
                if frame.width * frame.height > limits.max_pixels:
                    raise VideoError("a frame is larger than the pixel limit")
                ts = float(frame.time) if frame.time is not None else decoded / 25.0
                last_ts = max(last_ts, ts)
                if ts > limits.max_seconds:
                    raise VideoError("the video is longer than the limit")
                index = decoded
                decoded += 1
                if decoded > limits.max_frames:
                    raise VideoError("the video has more frames than the limit")
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
        except av.error.FFmpegError as exc:
            if decoded == 0:
                raise VideoError(f"the video cannot be decoded: {exc}") from None
            # a damaged tail: keep what decoded
        if decoded == 0:
            raise VideoError("no frame could be decoded")
    duration = declared if declared is not None else last_ts
    return VideoHash(round(duration, 3), decoded, width, height, tuple(frames))


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream,
              ) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * Fraction(stream.time_base))
    if container.duration is not None:
        return container.duration / av.time_base
    return None
