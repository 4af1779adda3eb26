"""Sound for video playback, only when the user turns it on: PCM decoded in memory, played
through Qt Multimedia's default output. Qt Multimedia is loaded on first use, so a machine
without sound support (no PulseAudio library, no output device) loses only the sound."""

import time
from typing import Any


class SoundOutput:
    def __init__(self) -> None:
        self._sink: Any = None
        self._buffer: Any = None
        self._since = 0.0

    @staticmethod
    def unavailable() -> str | None:
        """Why sound cannot be played here, or None when it can."""
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError as exc:
            return f"no sound on this machine ({exc})"
        if QMediaDevices.defaultAudioOutput().isNull():
            return "no sound output device"
        return None

    @property
    def playing(self) -> bool:
        return self._sink is not None

    def play(self, sound: Any, offset_seconds: float) -> None:
        """Play `sound` (rate, channels, 16-bit PCM) from `offset_seconds` into it."""
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        self.stop()
        audio_format = QAudioFormat()
        audio_format.setSampleRate(sound.rate)
        audio_format.setChannelCount(sound.channels)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        frame_bytes = 2 * sound.channels
        at = min(len(sound.pcm), int(max(0.0, offset_seconds) * sound.rate) * frame_bytes)
        self._buffer = QBuffer()
        self._buffer.setData(QByteArray(sound.pcm[at:]))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(QMediaDevices.defaultAudioOutput(), audio_format)
        self._sink.start(self._buffer)
        self._since = time.monotonic()

    def stop(self) -> float:
        """Stop; how many seconds sound was playing (0 if it was not)."""
        seconds = 0.0
        if self._sink is not None:
            self._sink.stop()
            self._sink = None
            seconds = time.monotonic() - self._since
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None
        return seconds
