"""The login dialog: workspace, user name, password."""

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.desk import Desk
from app.errors import HotlineError
from app.ui.forms import Buttons, PathField, ok_cancel


class LoginDialog(QDialog):
    def __init__(self, workspace: Path | str, user: str = "", parent: QWidget | None = None,
                 message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Hotline Triage - sign in")
        self.desk: Desk | None = None
        server = isinstance(workspace, str)
        self.workspace = PathField("Workspace folder", "" if server else str(workspace),
                                   folder=True)
        self.server = QLineEdit(str(workspace) if server else "")
        self.server.setPlaceholderText("a team's server: postgresql://host/database?user=...")
        self.user = QLineEdit(user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(message)  # why the last session ended, if it was ended for us
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout(self)
        form.addRow("&Workspace", self.workspace)
        form.addRow("Team &server", self.server)
        form.addRow("&User", self.user)
        form.addRow("&Password", self.password)
        form.addRow(self.error)
        ok_cancel(self, form, self.sign_in).button(Buttons.Ok).setText("Sign in")
        (self.password if user else self.user).setFocus()

    def sign_in(self) -> None:
        try:
            server = self.server.text().strip()
            location = server or Desk.location_of(self.workspace.text())
            self.desk = Desk.open(location, self.user.text().strip(), self.password.text())
            if server:
                Desk.save_server(server)  # the next sign-in here offers it (no password)
        except HotlineError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
