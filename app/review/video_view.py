"""A video item as the viewer gets it: keyframes and playback, decoded in memory from the
content the Desk handed out (nothing is written to disk). Iterating decodes, so the GUI runs it
in a worker thread; no database access happens here. The content itself is read from the vault
(and decrypted: a video may be 200 MB) on first use, so in that worker too, never on the GUI
thread."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image

from app.errors import InvalidInput
from app.jobs import CancelToken
from hashdb.video import Sound, VideoError, VideoLimits, decode_audio, decode_frames

KEYFRAMES = 12
PLAYBACK_SIDE = 640
KEYFRAME_SIDE = 960
MAX_SOUND_SECONDS = 10 * 60  # sound decoded at one go, from where playback starts
SOUND_RATE = 24_000  # enough for speech, half the memory of CD rate: 10 minutes = 58 MB


@dataclass(frozen=True)
class Still:
    seconds: float
    image: Image.Image


class VideoView:
    def __init__(self, item_id: int, data: bytes | memoryview | Callable[[], bytes | memoryview],
                 frame_seconds: list[float], duration: float | None) -> None:
        self.item_id = item_id
        self._source = data
        self._lock = threading.Lock()
        self.frame_seconds = frame_seconds
        self.duration = duration

    @property
    def _data(self) -> bytes | memoryview:
        """The content, read once, by whichever thread needs it first."""
        with self._lock:
            if callable(self._source):
                self._source = self._source()
            return self._source

    def keyframe_times(self, count: int = KEYFRAMES) -> list[float]:
        """The times of the stored frame hashes (one per scene once collapsed), thinned evenly
        to `count`; a video without usable frames gets evenly spread times."""
        times = sorted(set(self.frame_seconds))
        if not times:
            length = self.duration or 0.0
            return [length * i / count for i in range(count)] if length else [0.0]
        if len(times) <= count:
            return times
        step = (len(times) - 1) / (count - 1)
        return [times[round(i * step)] for i in range(count)]

    def keyframes(self, count: int = KEYFRAMES, cancel: CancelToken | None = None,
                  ) -> Iterator[Still]:
        return self._stills(self.keyframe_times(count), KEYFRAME_SIDE, cancel)

    def frames(self, cancel: CancelToken | None = None, start: float = 0.0) -> Iterator[Still]:
        """Every frame from `start` seconds on, for playback (the pictures; sound is separate
        and only on request)."""
        return self._stills(None, PLAYBACK_SIDE, cancel, start)

    def sound(self, start: float = 0.0) -> Sound | None:
        """The sound track from `start` on, decoded in memory, only when the user turned sound
        on (playback is muted by default); None when the video has none."""
        try:
            return decode_audio(self._data, start, MAX_SOUND_SECONDS, SOUND_RATE)
        except VideoError as exc:
            raise InvalidInput(f"the sound cannot be played: {exc}") from None

    def _stills(self, times: list[float] | None, side: int, cancel: CancelToken | None,
                start: float = 0.0) -> Iterator[Still]:
        try:
            for seconds, rgb in decode_frames(self._data, times, side, VideoLimits(), start):
                if cancel is not None:
                    cancel.check()
                yield Still(seconds, Image.fromarray(rgb))
        except VideoError as exc:
            raise InvalidInput(f"the video cannot be shown: {exc}") from None
