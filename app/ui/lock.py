"""The idle lock: after N minutes without keyboard or mouse, the window blurs and asks for
the password again. Content is blurred first, whatever the viewer was doing."""

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit = minutes * 60
        self.last_input = time.monotonic()
        self.locked = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(1000)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS and not self.locked:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if not self.locked and time.monotonic() - self.last_input >= self.limit:
            self.locked = True
            self.idle.emit()

    def stop(self) -> None:
        """The window is closing: no more checks, no more listening."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def unlocked(self) -> None:
        self.locked = False
        self.last_input = time.monotonic()
