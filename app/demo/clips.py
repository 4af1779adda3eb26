"""Synthetic, harmless videos made with PyAV, for the demo and the tests: a small shape
moving over changing generated scenes."""

import io

import av
import numpy as np
from PIL import Image, ImageDraw

from app.demo.pictures import scene


def frames(seed: int, seconds: float = 12, fps: int = 10, size: tuple[int, int] = (320, 240),
           scene_seconds: float = 3) -> list[np.ndarray]:
    """A new background scene every `scene_seconds`, a small shape drifting slowly across it
    (an eighth of the width per scene): mostly still pictures with some motion."""
    rng = np.random.default_rng(seed)
    out = []
    backgrounds: dict[int, Image.Image] = {}
    for n in range(int(seconds * fps)):
        t = n / fps
        which = int(t // scene_seconds)
        if which not in backgrounds:
            backgrounds[which] = scene(seed * 1000 + which, size)
        image = backgrounds[which].copy()
        draw = ImageDraw.Draw(image)
        x = int(size[0] * (0.4 + 0.125 * (t % scene_seconds) / scene_seconds))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3)) if n == 0 else (250, 250, 40)
        draw.ellipse([x - 10, size[1] // 2 - 10, x + 10, size[1] // 2 + 10], fill=colour)
        out.append(np.asarray(image))
    return out


def encode(images: list[np.ndarray], codec: str = "libx264", fps: int = 10,
           size: tuple[int, int] | None = None, bitrate: int | None = None,
           container: str = "mp4", tone_hz: float | None = None) -> bytes:
    """The pictures as a video; with `tone_hz`, a sound track of a quiet sine tone as long as
    the video (AAC in MP4, Opus in WebM)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=fps)
        assert isinstance(stream, av.video.stream.VideoStream)
        h, w = images[0].shape[:2]
        stream.width, stream.height = size or (w, h)
        stream.pix_fmt = "yuv420p"
        if bitrate:
            stream.bit_rate = bitrate
        sound = None
        if tone_hz:
            sound = out.add_stream("libopus" if container == "webm" else "aac", rate=TONE_RATE)
            assert isinstance(sound, av.audio.stream.AudioStream)
            sound.layout = "mono"
        for image in images:
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            if size:
                frame = frame.reformat(width=size[0], height=size[1])
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
        if sound is not None and tone_hz:
            _tone(out, sound, tone_hz, len(images) / fps)
    return buffer.getvalue()


TONE_RATE = 48_000


def _tone(out: av.container.OutputContainer, stream: av.audio.stream.AudioStream,
          hz: float, seconds: float) -> None:
    samples = int(seconds * TONE_RATE)
    wave = (0.2 * np.sin(2 * np.pi * hz * np.arange(samples) / TONE_RATE)).astype(np.float32)
    step = 960  # 20 ms: a frame size every encoder takes
    for at in range(0, samples, step):
        chunk = wave[at:at + step]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = TONE_RATE
        frame.pts = at
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
