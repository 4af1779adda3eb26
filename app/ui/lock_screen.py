"""What a locked window shows: the user's name and a password field, nothing of the work
behind it (the screens are taken out of view, not blurred). A wrong password says so."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class LockScreen(QWidget):
    unlock_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<h2>Locked</h2>The session of <b>{user}</b> is locked.")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.setMaximumWidth(320)
        self.password.returnPressed.connect(self._unlock)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        unlock = QPushButton("&Unlock")
        unlock.clicked.connect(self._unlock)
        quit_button = QPushButton("&Quit")
        quit_button.clicked.connect(self.quit_requested)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (self.title, self.password, self.error, unlock, quit_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()

    def start(self) -> None:
        self.password.clear()
        self.error.setText("")
        self.password.setFocus()

    def refused(self) -> None:
        self.password.clear()
        self.error.setText("Wrong password. The window stays locked.")
        self.password.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())
