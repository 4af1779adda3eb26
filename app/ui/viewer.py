"""The content viewer: blurred (and grey) by default; revealed while its owner says so
(`RevealHold` decides when: only while Space or the reveal button is held). Every reveal is
reported with its duration (exposure accounting)."""

import time

from PIL import Image
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from app.ui import imaging


class ContentViewer(QWidget):
    revealed = Signal(int, float)  # item id, seconds shown unblurred

    def __init__(self, blur_strength: int = 24, greyscale: bool = True,
                 parent: QWidget | None = None,
                 how_to_look: str = "Hold Space (or the Reveal button) to look.") -> None:
        super().__init__(parent)
        self.how_to_look = how_to_look  # the key that reveals this viewer, said under it
        self.blur_strength = blur_strength
        self.greyscale = greyscale
        self._label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._label.setStyleSheet("background: #2b2d31; color: #c8ccd0;")
        self._scroll = QScrollArea()
        self._scroll.setWidget(self._label)
        self._scroll.setWidgetResizable(True)
        self._scroll.setMinimumSize(200, 150)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scroll.viewport().installEventFilter(self)  # fit to the viewport's final size
        self.zoom: float | None = None  # None: fit the picture to the viewer
        self._caption = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._caption)
        self._item: int | None = None
        self._image: Image.Image | None = None
        self._shown: dict[str, QPixmap] = {}
        self._revealed_at: float | None = None
        self._sharp = False
        self._note = ""
        self.show_message("Select an item")

    @property
    def item_id(self) -> int | None:
        return self._item

    @property
    def is_revealed(self) -> bool:
        return self._revealed_at is not None

    def show_message(self, text: str) -> None:
        self.conceal()
        self._item, self._image, self._shown = None, None, {}
        self._label.setPixmap(QPixmap())
        self._label.setText(text)
        self._caption.setText("")

    def set_content(self, item_id: int, data: bytes) -> None:
        """Show an item's content, blurred. The plaintext stays in memory."""
        try:
            image = imaging.load(data)
        except Exception as exc:
            self.show_message(f"This content cannot be shown: {exc}")
            return
        self.set_image(item_id, image)

    def set_image(self, item_id: int, image: Image.Image, note: str = "") -> None:
        """Show a picture (a video's keyframe), blurred; a reveal of the one before ends."""
        self.conceal()
        self._item = item_id
        self._image = imaging.fitted(image)
        self._note = note
        self._shown = {}
        self._render()

    def show_frame(self, image: Image.Image, note: str = "") -> None:
        """Replace the picture in place (playback): blurred or revealed as it was."""
        self._image = imaging.fitted(image)
        self._note = note
        self._shown = {}
        self._render()

    def _pixmap(self, kind: str) -> QPixmap:
        if kind not in self._shown:
            assert self._image is not None
            image = self._image
            if self.greyscale:
                image = imaging.grey(image)
            if kind == "blurred":
                image = imaging.blurred(image, self.blur_strength)
            self._shown[kind] = imaging.to_pixmap(image)
        return self._shown[kind]

    def _render(self) -> None:
        if self._image is None:
            return
        kind = "sharp" if self.is_revealed and self._sharp else "blurred"
        source = self._pixmap(kind)
        if self.zoom is None:
            self._scroll.setWidgetResizable(True)
            pixmap = source.scaled(self._scroll.viewport().size(),
                                   Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        else:
            self._scroll.setWidgetResizable(False)
            pixmap = source.scaled(source.size() * self.zoom, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            self._label.resize(pixmap.size())
        self._label.setText("")
        self._label.setPixmap(pixmap)
        self._caption.setText((self._note + " - " if self._note else "") + (
            "REVEALED - release to blur" if self.is_revealed and self._sharp else
            f"Blurred. {self.how_to_look}"))

    def zoom_by(self, factor: float) -> None:
        """Zoom in or out from the current size (fit counts as 1)."""
        self.zoom = min(8.0, max(0.1, (self.zoom or self._fit_scale()) * factor))
        self._render()

    def fit(self) -> None:
        self.zoom = None
        self._render()

    def _fit_scale(self) -> float:
        if self._image is None:
            return 1.0
        viewport = self._scroll.viewport().size()
        return min(viewport.width() / self._image.width, viewport.height() / self._image.height)

    def set_greyscale(self, on: bool) -> None:
        self.greyscale = on
        self._shown = {}
        self._render()

    def reveal(self, at: float | None = None) -> bool:
        """Show the content sharp from `at` (monotonic); False if there is nothing to show."""
        if self._image is None:
            return False
        if not self.is_revealed:
            self._revealed_at = time.monotonic() if at is None else at
        self._sharp = True
        self._render()
        return True

    def set_sharp(self, sharp: bool) -> None:
        """The picture only (a release that may yet turn out to be a key repeat)."""
        self._sharp = sharp and self.is_revealed
        self._render()

    def conceal(self, at: float | None = None) -> None:
        """Blur again; report how long the content was visible (until `at`)."""
        if self._revealed_at is None:
            return
        seconds = max(0.0, (time.monotonic() if at is None else at) - self._revealed_at)
        self._revealed_at = None
        self._sharp = False
        self._render()
        if self._item is not None:
            self.revealed.emit(self._item, seconds)

    def current_pixmap(self) -> QPixmap:
        return self._label.pixmap()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.zoom is None:
            self._render()
        return super().eventFilter(watched, event)
