"""The admin's screens: users (add, role, disable, enable, reset password) and settings edited
with a widget that fits each setting's type (check box, number box, file chooser, text)."""

import json
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from app.desk import Desk
from app.errors import HotlineError
from app.ui.forms import Buttons, PathField, ok_cancel
from app.ui.models import RowsModel
from app.ui.pages import TablePage


def warn(parent: QWidget, exc: HotlineError) -> None:
    QMessageBox.warning(parent, "Hotline Triage", str(exc))


# ---------------------------------------------------------------- users


class NewUserDialog(QDialog):
    def __init__(self, roles: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a user")
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(list(roles))
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("Password (10 characters or more)", self.password)
        form.addRow("Password again", self.again)
        self.problem = QLabel()
        form.addRow(self.problem)
        ok_cancel(self, form, self._check)

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.problem.setText("The two passwords differ.")
            return
        self.accept()


def ask_password(parent: QWidget, title: str, who: str) -> str | None:
    """A new password typed twice; None if cancelled or the two differ (said so)."""
    first, ok = QInputDialog.getText(parent, title, f"New password for {who}:",
                                     QLineEdit.EchoMode.Password)
    if not ok:
        return None
    second, ok = QInputDialog.getText(parent, title, "The same password again:",
                                      QLineEdit.EchoMode.Password)
    if not ok:
        return None
    if first != second:
        QMessageBox.warning(parent, title, "The two passwords differ; nothing was changed.")
        return None
    return first


class UsersPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        super().__init__("Users", RowsModel(
            ["Name", "Role", "State", "Created (UTC)", "Password changed (UTC)"],
            desk.list_users,
            lambda u: [u.name, u.role.value, "disabled" if u.disabled else "active",
                       u.created[:19], u.password_changed[:19]]))
        self.desk = desk
        self.button("&Add...", self.add)
        self.button("&Role...", self.change_role)
        self.button("Reset &password...", self.reset_password)
        self.button("&Disable", self.disable)
        self.button("&Enable...", self.enable)
        self.bar.addStretch()

    def _run(self, work: Any, done: str) -> None:
        try:
            work()
        except HotlineError as exc:
            warn(self, exc)
            return
        finally:
            self.refresh()
        self.message.setText(done)

    def add(self) -> None:
        dialog = NewUserDialog(self.desk.ROLES, self)
        if dialog.exec():
            name = dialog.name.text().strip()
            self._run(lambda: self.desk.add_user(name, dialog.role.currentText(),
                                                 dialog.password.text()),
                      f"{name} was added as {dialog.role.currentText()}.")

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        roles = list(self.desk.ROLES)
        role, ok = QInputDialog.getItem(self, "Role", f"Role of {user.name}:", roles,
                                        roles.index(user.role.value), False)
        if ok and role != user.role.value:
            self._run(lambda: self.desk.set_role(user.name, role),
                      f"{user.name} is now {role}.")

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password = ask_password(self, "Reset password", user.name)
        if password is not None:
            self._run(lambda: self.desk.change_password(user.name, password),
                      f"{user.name}'s password was changed.")

    def disable(self) -> None:
        user = self.selected()
        if user is None:
            return
        answer = QMessageBox.question(
            self, "Disable", f"Disable {user.name}? Their password stops opening the "
            "workspace at once; enabling needs a new password.")
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: self.desk.disable_user(user.name), f"{user.name} is disabled.")

    def enable(self) -> None:
        user = self.selected()
        if user is None or not user.disabled:
            return
        password = ask_password(self, "Enable", user.name)
        if password is not None:
            self._run(lambda: self.desk.enable_user(user.name, password),
                      f"{user.name} is enabled again.")


# ---------------------------------------------------------------- settings


class SettingDialog(QDialog):
    """One setting, edited with the widget its type calls for; the Desk checks the value."""

    def __init__(self, setting: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setting = setting
        self.setWindowTitle(setting.key)
        form = QFormLayout(self)
        meaning = QLabel(setting.help + (f"\nAllowed: {setting.rule}." if setting.rule else ""))
        meaning.setWordWrap(True)
        form.addRow(meaning)
        self.editor = self._editor(setting.kind, setting.value)
        form.addRow(self.editor)
        form.addRow(QLabel(f"Default: {json.dumps(setting.default)}"))
        buttons = ok_cancel(self, form, extra=Buttons.RestoreDefaults)
        buttons.button(Buttons.RestoreDefaults).clicked.connect(
            lambda: self.set_value(setting.default))

    def _editor(self, kind: str, value: Any) -> QWidget:
        if kind == "path":
            field = PathField(self.setting.key, str(value))
            self._box: Any = field.edit
            return field
        if kind == "bool":
            self._box = QCheckBox("on")
        elif kind == "int":
            self._box = QSpinBox()
            self._box.setRange(-1_000_000_000, 1_000_000_000)
        elif kind == "float":
            self._box = QDoubleSpinBox()
            self._box.setRange(-1e9, 1e9)
            self._box.setDecimals(2)
        else:
            self._box = QLineEdit()
        self.set_value(value)
        return self._box

    def set_value(self, value: Any) -> None:
        if isinstance(self._box, QCheckBox):
            self._box.setChecked(bool(value))
        elif isinstance(self._box, QSpinBox | QDoubleSpinBox):
            self._box.setValue(value)
        else:
            self._box.setText(str(value))

    def text(self) -> str:
        """The value as the Desk takes it: text, as typed on the command line."""
        if isinstance(self._box, QCheckBox):
            return "on" if self._box.isChecked() else "off"
        if isinstance(self._box, QSpinBox | QDoubleSpinBox):
            return str(self._box.value())
        return self._box.text()


# Settings by what they are about, in the order an admin sets up a workspace.
GROUPS = {"hotline": "The hotline", "notice": "Notices and letters",
          "hosting": "Hosting lookups", "allow_private_networks": "Fetching reports",
          "fetch": "Fetching reports", "archive": "Fetching reports",
          "pdq": "Matching", "video": "Matching", "review": "Review",
          "viewer": "Viewer and welfare", "welfare": "Viewer and welfare",
          "session": "Sessions", "retention": "Retention"}
ORDER = list(dict.fromkeys(GROUPS.values()))
ALL = "All groups"


def group_of(key: str) -> str:
    return GROUPS.get(key.split(".")[0], "Other")


class SettingsPage(TablePage):
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.group = QComboBox()
        self.group.addItems([ALL, *ORDER])
        super().__init__("Settings", RowsModel(
            ["Group", "Setting", "Value", "Default", "Meaning"], self._settings,
            lambda s: [group_of(s.key), s.key, json.dumps(s.value), json.dumps(s.default),
                       s.help]))
        self.bar.addWidget(QLabel("Group"))
        self.bar.addWidget(self.group)
        self.group.currentIndexChanged.connect(lambda _: self.refresh())
        self.button("&Change...", self.change)
        self.bar.addStretch()
        self.view.doubleClicked.connect(lambda _: self.change())

    def _settings(self) -> list[Any]:
        """Grouped, groups in setup order; one group when chosen."""
        chosen = self.group.currentText()
        rows = sorted(self.desk.settings(), key=lambda s: (
            ORDER.index(group_of(s.key)) if group_of(s.key) in ORDER else len(ORDER), s.key))
        return [s for s in rows if chosen == ALL or group_of(s.key) == chosen]

    def change(self) -> None:
        setting = self.selected()
        if setting is None:
            return
        dialog = SettingDialog(setting, self)
        if not dialog.exec():
            return
        try:
            changed = self.desk.set_setting(setting.key, dialog.text())
        except HotlineError as exc:
            warn(self, exc)
        else:
            self.message.setText(f"{changed.key} is now {json.dumps(changed.value)}.")
        self.refresh()
