"""A video in the viewer: a strip of keyframes (always blurred; the one picked is shown in the
viewer, blurred until revealed like a picture) and playback on request, muted unless the user
turns sound on. Decoding runs in QThreadPool workers, cancelled on moving on."""

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.desk import CancelToken
from app.ui import imaging, workers
from app.ui.sound import SoundOutput

THUMB = QSize(112, 84)
LATE_SECONDS = 0.25  # a playback frame this late is dropped, not shown


def clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


class KeyframeStrip(QWidget):
    picked = Signal(object)        # a Still chosen in the strip (or by the arrow keys)
    frame = Signal(object)         # a Still of playback, to show in place
    playing_changed = Signal(bool)
    listened = Signal(float)       # seconds the sound was on, when it stops
    failed = Signal(str)

    def __init__(self, blur_strength: int, greyscale: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blur_strength = blur_strength
        self.greyscale = greyscale
        self.stills: list[Any] = []
        self._video: Any = None
        self._loading: workers.Task | None = None
        self._playing: workers.Task | None = None
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(THUMB)
        self.list.setFixedHeight(THUMB.height() + 48)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.currentRowChanged.connect(self._row_changed)
        self.play_button = QPushButton("&Play (P)")
        self.play_button.setCheckable(True)
        self.play_button.clicked.connect(self.toggle_play)
        self.sound_button = QPushButton()
        self.sound_button.setCheckable(True)
        self.sound_button.setToolTip("Playback is muted unless sound is turned on (M)")
        self.sound_button.toggled.connect(lambda on: self.sound_button.setText(
            "Sound on (M)" if on else "Muted (M)"))
        self.sound_button.setText("Muted (M)")
        self.sound_button.clicked.connect(self._sound_clicked)
        self.output = SoundOutput()
        self._sound_task: workers.Task | None = None
        self._began = 0.0  # when playback started (monotonic) ...
        self._start = 0.0  # ... and from where in the video
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Keyframes (Left/Right)"))
        top.addStretch()
        top.addWidget(self.status)
        top.addWidget(self.play_button)
        top.addWidget(self.sound_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)

    @property
    def is_playing(self) -> bool:
        return self._playing is not None

    @property
    def is_loading(self) -> bool:
        return self._loading is not None

    # ------------------------------------------------------------ keyframes

    def load(self, video: Any) -> None:
        """Start decoding a video's keyframes (a VideoView from the Desk)."""
        self.clear()
        self._video = video
        self.status.setText("decoding keyframes...")
        task = workers.Task(lambda progress, cancel: self._decode(video, progress, cancel))
        # Cross-thread signals go to @Slot methods only: PySide6 (PYSIDE-3124) may crash when
        # a worker's signal reaches a lambda.
        task.signals.progress.connect(self._add)
        task.signals.finished.connect(self._loaded)
        task.signals.failed.connect(self._failed)
        self._loading = workers.start(task)

    @staticmethod
    def _decode(video: Any, progress: Callable[[Any], None], cancel: CancelToken) -> int:
        count = 0
        for still in video.keyframes(cancel=cancel):
            progress(still)
            count += 1
        return count

    def _from(self, task: workers.Task | None) -> bool:
        """Whether the signal being handled comes from this task (not a cancelled one)."""
        return task is not None and self.sender() is task.signals

    @Slot(object)
    def _add(self, still: Any) -> None:
        if not self._from(self._loading):
            return
        self.stills.append(still)
        thumb = still.image.copy()
        thumb.thumbnail((THUMB.width() * 2, THUMB.height() * 2))
        if self.greyscale:
            thumb = imaging.grey(thumb)
        item = QListWidgetItem(QIcon(imaging.to_pixmap(imaging.blurred(thumb, self.blur_strength))),
                               clock(still.seconds))
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.list.addItem(item)
        if len(self.stills) == 1:
            self.list.setCurrentRow(0)

    @Slot(object)
    def _loaded(self, _count: object) -> None:
        if self._from(self._loading):
            self._loading = None
            self.status.setText(f"{len(self.stills)} keyframes")

    @Slot(str)
    def _failed(self, message: str) -> None:
        if self._from(self._loading):
            self._loading = None
            self.status.setText("cannot decode")
            self.failed.emit(message)

    def _row_changed(self, row: int) -> None:
        """A keyframe picked (a click, the arrow keys): show it; while playing, play on from
        there."""
        if not 0 <= row < len(self.stills):
            return
        playing = self.is_playing
        self.stop()
        self.picked.emit(self.stills[row])
        if playing:
            self._play()
            self.play_button.setChecked(True)

    def step(self, by: int) -> None:
        """The previous or next keyframe (while playing, playback goes on from there)."""
        if self.stills:
            self.list.setCurrentRow(min(max(self.list.currentRow() + by, 0),
                                        len(self.stills) - 1))

    # ------------------------------------------------------------ playback

    def toggle_play(self) -> None:
        if self.is_playing:
            self.stop()
        elif self._video is not None:
            self._play()
        self.play_button.setChecked(self.is_playing)

    def _play(self) -> None:
        """Play from the keyframe picked (the start when none is)."""
        video = self._video
        row = self.list.currentRow()
        start = self.stills[row].seconds if 0 <= row < len(self.stills) else 0.0
        task = workers.Task(lambda progress, cancel: self._paced(video, start, progress, cancel))
        task.signals.progress.connect(self._show_frame)
        task.signals.finished.connect(self._play_ended)
        task.signals.failed.connect(self._play_failed)
        self._began, self._start = time.monotonic(), start
        self._playing = workers.start(task)
        self.play_button.setText("Stop (P)")
        self.playing_changed.emit(True)
        if self.sound_on:
            self._start_sound()

    @staticmethod
    def _paced(video: Any, start: float, progress: Callable[[Any], None],
               cancel: CancelToken) -> int:
        """Frames at the video's own pace; frames that come too late are dropped."""
        began, shown = time.monotonic(), 0
        for still in video.frames(cancel=cancel, start=start):
            wait = began + (still.seconds - start) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif -wait > LATE_SECONDS:
                continue
            progress(still)
            shown += 1
        return shown

    @Slot(object)
    def _show_frame(self, still: Any) -> None:
        if self._from(self._playing):
            self.status.setText(f"playing {clock(still.seconds)}")
            self.frame.emit(still)

    @Slot(object)
    def _play_ended(self, _shown: object) -> None:
        if self._from(self._playing):
            self._ended()

    @Slot(str)
    def _play_failed(self, message: str) -> None:
        if self._from(self._playing):
            self._ended()
            self.failed.emit(message)

    def _ended(self) -> None:
        self._stop_sound()
        if self._playing is not None:
            self._playing = None
            self.play_button.setText("&Play (P)")
            self.play_button.setChecked(False)
            self.status.setText(f"{len(self.stills)} keyframes")
            self.playing_changed.emit(False)

    # ------------------------------------------------------------ sound (off by default)

    @property
    def sound_on(self) -> bool:
        return self.sound_button.isChecked()

    def toggle_sound(self) -> None:
        self.sound_button.setChecked(not self.sound_on)
        self._sound_clicked()

    def _sound_clicked(self) -> None:
        if not self.sound_on:
            self._stop_sound()
            return
        reason = SoundOutput.unavailable()
        if reason:
            self.sound_button.setChecked(False)
            self.status.setText(f"Sound stays off: {reason}")
        elif self.is_playing:
            self._start_sound()

    def _start_sound(self) -> None:
        video, start = self._video, self._start
        task = workers.Task(lambda _progress, _cancel: video.sound(start))
        task.signals.finished.connect(self._sound_ready)
        task.signals.failed.connect(self._sound_failed)
        self._sound_task = workers.start(task)

    @Slot(object)
    def _sound_ready(self, sound: Any) -> None:
        if not self._from(self._sound_task):
            return
        self._sound_task = None
        if sound is None:
            self.status.setText("This video has no sound")
        elif self.is_playing and self.sound_on:
            self.output.play(sound, time.monotonic() - self._began)

    @Slot(str)
    def _sound_failed(self, message: str) -> None:
        if self._from(self._sound_task):
            self._sound_task = None
            self.status.setText(message)

    def _stop_sound(self) -> None:
        self._sound_task = None  # a decode still running is ignored when it ends
        seconds = self.output.stop()
        if seconds:
            self.listened.emit(seconds)

    def stop(self) -> None:
        if self._playing is not None:
            self._playing.cancel.cancel()
            self._ended()

    def clear(self) -> None:
        """Stop everything and forget the video (moving on): the next video starts muted."""
        self.stop()
        self.sound_button.setChecked(False)
        if self._loading is not None:
            self._loading.cancel.cancel()
            self._loading = None
        self._video = None
        self.stills = []
        self.list.clear()
        self.status.setText("")

    def set_greyscale(self, on: bool) -> None:
        self.greyscale = on
