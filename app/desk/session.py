"""The Desk: one open workspace and one logged-in user. The GUI and the CLI call only this."""

from pathlib import Path
from types import TracebackType

from app.desk.audit import AuditActions
from app.desk.intake import IntakeActions
from app.desk.lists import ListActions
from app.desk.review import ReviewActions
from app.desk.settings import SettingActions
from app.desk.takedown import TakedownActions
from app.desk.users import UserActions
from app.errors import AuthError, NotFound, WorkspaceError
from app.workspace.db import transaction
from app.workspace.keys import KeyFile
from app.workspace.users import Role, check_name, check_password
from app.workspace.workspace import Workspace, default_location


class Desk(UserActions, SettingActions, AuditActions, ListActions, IntakeActions,
           ReviewActions, TakedownActions):
    def __init__(self, ws: Workspace, user_name: str) -> None:
        self._ws = ws
        try:
            self._user = ws.users.get(user_name)
        except NotFound:
            ws.close()
            raise AuthError() from None
        if self._user.disabled:
            ws.close()
            raise AuthError()

    @staticmethod
    def default_workspace() -> Path:
        return default_location()

    @staticmethod
    def workspace_exists(root: Path) -> bool:
        return Workspace.exists(root)

    @classmethod
    def create(cls, root: Path, admin: str, password: str) -> "Desk":
        """`hotline init`: a new workspace with its first admin, who is then logged in."""
        admin = check_name(admin)
        check_password(password)
        ws = Workspace.create(root, admin, password)
        with transaction(ws.db):
            ws.users.add(admin, Role.ADMIN, created_by=None)
            ws.audit.append(admin, "workspace.create", str(root.name), "ok", {"admin": admin})
        return cls(ws, admin)

    @classmethod
    def open(cls, root: Path, user: str, password: str) -> "Desk":
        if not Workspace.exists(root):
            raise WorkspaceError(f"no workspace at {root}; create one with `hotline init`")
        desk = cls(Workspace.unlock(root, user, password), user)
        with transaction(desk._ws.db):
            desk._ws.audit.append(desk._user.name, "session.open", "", "ok", {})
        desk.purge_if_due()
        desk.clean_up_after_a_crash()
        return desk

    @property
    def workspace(self) -> Path:
        return self._ws.root

    def lock(self) -> None:
        """The window is locked (idle, or Ctrl+L): audited."""
        with transaction(self._ws.db):
            self._ws.audit.append(self._user.name, "session.lock", "", "ok", {})

    def unlock(self, password: str) -> bool:
        """Unlock a locked window: the password is checked against the user's slot as it is on
        disk now (a reset password or a disabled user takes effect); audited either way."""
        try:
            self._refresh_user()
            KeyFile.load(self._ws.keys.path).unlock(self._user.name, password)
        except AuthError:
            with transaction(self._ws.db):
                self._ws.audit.append(self._user.name, "session.unlock", "", "refused", {})
            return False
        with transaction(self._ws.db):
            self._ws.audit.append(self._user.name, "session.unlock", "", "ok", {})
        return True

    def session_copy(self) -> "Desk":
        """The same user on a second connection, for work in a background thread."""
        ws = Workspace(self._ws.root, self._ws.keys, self._ws.master)
        return Desk(ws, self._user.name)

    def close(self) -> None:
        self._ws.close()

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
