"""Hold Space to reveal, for a whole window: whichever widget has the focus, the window's Space
presses and releases drive one `RevealHold`, and any focus change, other key, deactivation or
dialog ends the reveal. Space still types in text fields and works in dialogs."""

import weakref
from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.ui.reveal_hold import GRACE_SECONDS, RevealHold, Shown

KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)


def types_text(widget: QWidget | None) -> bool:
    """Space belongs to this widget (it types)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


class RevealKeys(QObject):
    # Every RevealKeys alive: a key that reveals one thing ends any other's reveal in the same
    # window (a consumed key event never reaches the other filters).
    _alive: ClassVar["weakref.WeakSet[RevealKeys]"] = weakref.WeakSet()

    def __init__(self, page: QWidget, shown: Shown, key: Qt.Key = Qt.Key.Key_Space) -> None:
        """`page`: `key` (Space) reveals while this page is visible in its window."""
        super().__init__(page)
        self.page = page
        self.key = key
        RevealKeys._alive.add(self)
        self.hold = RevealHold(shown)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(GRACE_SECONDS * 1000))
        self._timer.timeout.connect(self.hold.settle)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        app.focusChanged.connect(self._focus_changed)
        app.applicationStateChanged.connect(self._state_changed)

    # ------------------------------------------------------------ what ends a reveal

    def blur(self, key_still_down: bool = True) -> None:
        self.hold.blur(key_still_down)
        self._timer.stop()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.window() is not self.page.window():
            self.blur(key_still_down=False)  # another window (a dialog) has the keyboard
        else:
            self.blur()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.blur(key_still_down=False)

    def _blur_siblings(self) -> None:
        for other in list(RevealKeys._alive):
            try:
                if other is not self and other.page.window() is self.page.window():
                    other.blur()
            except RuntimeError:  # its widgets are gone already
                RevealKeys._alive.discard(other)

    # ------------------------------------------------------------ the button

    def button_pressed(self) -> None:
        self.hold.press()
        self._timer.stop()

    def button_released(self) -> None:
        self.hold.release(final=True)

    # ------------------------------------------------------------ keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() not in KEYS or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self.page.window():
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        press = event.type() == QEvent.Type.KeyPress
        if key_event.key() != self.key or key_event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if press or not key_event.isAutoRepeat():
                self.blur()  # any other key ends a reveal
            return False
        ours = self.page.isVisible() and not types_text(watched)
        if press:
            if ours:
                if not key_event.isAutoRepeat():
                    self._blur_siblings()
                self.hold.press(key_event.timestamp(), key_event.isAutoRepeat())
                if not self.hold.waiting:
                    self._timer.stop()
        else:
            self.hold.release(key_event.timestamp(), key_event.isAutoRepeat())
            if self.hold.waiting:
                self._timer.start()
        return ours
