"""The admin's screens: users and typed settings."""

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from app.desk import Desk
from app.ui.admin_pages import NewUserDialog, SettingDialog, SettingsPage, UsersPage
from app.ui.main_window import MainWindow


def select(page, column: int, text: str) -> None:
    values = [page.model.data(page.model.index(r, column)) for r in range(page.model.rowCount())]
    page.view.selectRow(values.index(text))


def settings_page(qtbot: QtBot, admin: Desk) -> SettingsPage:
    page = SettingsPage(admin)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_each_setting_gets_the_editor_its_type_calls_for(qtbot: QtBot, desk_of) -> None:
    views = {s.key: s for s in desk_of("admin").settings()}
    editors = {}
    for key in ("pdq.dihedral", "pdq.threshold", "video.match_pct", "hotline.name",
                "hosting.country_db"):
        dialog = SettingDialog(views[key])
        qtbot.addWidget(dialog)
        editors[key] = type(dialog._box)
    assert editors == {"pdq.dihedral": QCheckBox, "pdq.threshold": QSpinBox,
                       "video.match_pct": QDoubleSpinBox, "hotline.name": QLineEdit,
                       "hosting.country_db": QLineEdit}
    path_dialog = SettingDialog(views["hosting.country_db"])
    qtbot.addWidget(path_dialog)
    assert any(b.text() == "&Browse..." for b in path_dialog.findChildren(QPushButton))
    ranged = SettingDialog(views["pdq.threshold"])
    qtbot.addWidget(ranged)
    assert any("Allowed: 0 to 128" in label.text() for label in ranged.findChildren(QLabel))


def test_a_setting_is_changed_with_its_widget(qtbot: QtBot, desk_of, monkeypatch) -> None:
    admin = desk_of("admin")
    page = settings_page(qtbot, admin)
    select(page, 1, "pdq.threshold")
    monkeypatch.setattr(SettingDialog, "exec", lambda self: (self._box.setValue(25), 1)[1])
    page.change()
    assert admin.setting("pdq.threshold") == 25
    assert "pdq.threshold is now 25" in page.message.text()
    select(page, 1, "pdq.dihedral")
    monkeypatch.setattr(SettingDialog, "exec", lambda self: (self._box.setChecked(False), 1)[1])
    page.change()
    assert admin.setting("pdq.dihedral") is False


def test_a_value_out_of_range_is_refused_with_the_rule(qtbot: QtBot, desk_of,
                                                       monkeypatch) -> None:
    admin = desk_of("admin")
    page = settings_page(qtbot, admin)
    select(page, 1, "pdq.threshold")
    monkeypatch.setattr(SettingDialog, "exec", lambda self: (self._box.setValue(200), 1)[1])
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    page.change()
    assert "0 to 128" in shown[0]
    assert admin.setting("pdq.threshold") == 31


def test_restore_defaults_puts_the_default_in_the_editor(qtbot: QtBot, desk_of) -> None:
    admin = desk_of("admin")
    admin.set_setting("pdq.threshold", "20")
    view = next(s for s in admin.settings() if s.key == "pdq.threshold")
    dialog = SettingDialog(view)
    qtbot.addWidget(dialog)
    assert dialog.text() == "20"
    dialog.set_value(view.default)
    assert dialog.text() == "31"


def test_users_are_added_given_roles_disabled_and_enabled(qtbot: QtBot, desk_of, monkeypatch,
                                                         workspace) -> None:
    admin = desk_of("admin")
    page = UsersPage(admin)
    qtbot.addWidget(page)
    page.refresh()

    def fill(dialog: NewUserDialog) -> int:
        dialog.name.setText("nina")
        dialog.role.setCurrentText("analyst")
        dialog.password.setText("nina-password-1")
        dialog.again.setText("nina-password-1")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewUserDialog, "exec", fill)
    page.add()
    assert "nina was added as analyst" in page.message.text()
    Desk.open(workspace, "nina", "nina-password-1").close()
    select(page, 0, "nina")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("supervisor", True))
    page.change_role()
    assert next(u for u in admin.list_users() if u.name == "nina").role.value == "supervisor"
    select(page, 0, "nina")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.disable()
    assert next(u for u in admin.list_users() if u.name == "nina").disabled
    select(page, 0, "nina")
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a: ("nina-password-2", True))
    page.enable()
    Desk.open(workspace, "nina", "nina-password-2").close()
    select(page, 0, "nina")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("nina-password-3", True))
    page.reset_password()
    Desk.open(workspace, "nina", "nina-password-3").close()
    actions = [e.action for e in admin.audit_entries(target="nina")]
    assert {"user.add", "user.role", "user.disable", "user.enable", "user.passwd"} <= set(actions)


def test_the_last_admin_cannot_be_disabled(qtbot: QtBot, desk_of, monkeypatch) -> None:
    page = UsersPage(desk_of("admin"))
    qtbot.addWidget(page)
    page.refresh()
    select(page, 0, "admin")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    page.disable()
    assert "last active admin" in shown[0]


def test_passwords_that_differ_change_nothing(qtbot: QtBot, desk_of, monkeypatch,
                                             workspace) -> None:
    page = UsersPage(desk_of("admin"))
    qtbot.addWidget(page)
    page.refresh()
    select(page, 0, "anna")
    answers = iter([("first-password-1", True), ("other-password-2", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: next(answers))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    page.reset_password()
    assert "differ" in shown[0]
    Desk.open(workspace, "anna", "demo-password").close()


def test_admins_get_the_users_screen(qtbot: QtBot, desk_of) -> None:
    window = MainWindow(desk_of("admin"))
    qtbot.addWidget(window)
    assert "Users" in window.pages
    analyst = MainWindow(desk_of("anna"))
    qtbot.addWidget(analyst)
    assert "Users" not in analyst.pages


def test_settings_are_grouped(qtbot: QtBot, desk_of) -> None:
    page = settings_page(qtbot, desk_of("admin"))
    groups = [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert groups[0] == "The hotline"
    assert groups == sorted(groups, key=groups.index)  # each group in one block
    page.group.setCurrentText("Matching")
    keys = {page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())}
    assert keys
    assert all(k.startswith(("pdq.", "video.")) for k in keys)
