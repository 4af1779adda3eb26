"""The login dialog: workspace, user name, password."""

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.desk import Desk
from app.errors import HotlineError


class LoginDialog(QDialog):
    def __init__(self, workspace: Path, user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hotline Triage - sign in")
        self.desk: Desk | None = None
        self.workspace = QLineEdit(str(workspace))
        browse = QPushButton("...")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.workspace, 1)
        row.addWidget(browse)
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        container = QWidget()
        container.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Workspace", container)
        form.addRow("&User", self.user)
        form.addRow("&Password", self.password)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        (self.password if user else self.user).setFocus()

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Workspace folder", self.workspace.text())
        if name:
            self.workspace.setText(name)

    def sign_in(self) -> None:
        try:
            self.desk = Desk.open(Path(self.workspace.text()).expanduser(),
                                  self.user.text().strip(), self.password.text())
        except HotlineError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
