"""The Desk: one open workspace and one logged-in user. The GUI and the CLI call only this."""

import contextlib
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from app.desk.audit import AuditActions
from app.desk.intake import IntakeActions
from app.desk.lists import ListActions
from app.desk.review import ReviewActions
from app.desk.settings import SettingActions
from app.desk.takedown import TakedownActions
from app.desk.users import UserActions
from app.desk.workspace_copy import CopyActions
from app.errors import AuthError, Conflict, HotlineError, WorkspaceError
from app.workspace import anchors, connections, upgrade
from app.workspace.certificates import TamperedError
from app.workspace.db import transaction
from app.workspace.keys import KeyFile
from app.workspace.places import Server, is_server, place_for
from app.workspace.users import Role, check_name, check_password
from app.workspace.workspace import Workspace, default_location


class Desk(CopyActions, UserActions, SettingActions, AuditActions, ListActions, IntakeActions,
           ReviewActions, TakedownActions):
    """One open workspace and the person whose key pair opened it. Who acts is never an
    argument: it is the key in the session, and the roles are the ones certified for it."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self.warnings: list[str] = []
        self._tampered = ""
        self._closed = False
        ws.settings.pin(self._signed_settings)
        try:
            self._refresh_user()
        except TamperedError as exc:
            # The signed entries do not hold: the workspace opens so that `audit verify` and
            # `workspace check` can say where, but every other action refuses.
            self._tampered = str(exc)
            self.warnings.append(self._tampered)
            self._user = replace(ws.users.get(ws.session.name), role=Role.ANALYST)
        except HotlineError:
            ws.close()
            raise

    @staticmethod
    def default_workspace() -> Path:
        return default_location()

    @staticmethod
    def saved_server() -> str | None:
        """The team server this workstation remembers (`hotline connect`), if any."""
        return connections.saved()

    @staticmethod
    def save_server(conninfo: str | None) -> str | None:
        """Remember a team server for this workstation (None: forget it); never a password.
        Returns what was saved."""
        if conninfo is None:
            connections.forget()
            return None
        return connections.save(conninfo)

    @staticmethod
    def location_of(text: str) -> Path | str:
        """What a person typed as the workspace: a folder, or a team server's PostgreSQL URL
        or conninfo string."""
        return text.strip() if is_server(text.strip()) else Path(text.strip()).expanduser()

    @classmethod
    def create(cls, root: Path | str, admin: str, password: str) -> "Desk":
        """`hotline init`: a new workspace with its first admin, who is then logged in. The
        admin's key is the workspace's root (`root_fingerprint`: to be written down)."""
        admin = check_name(admin)
        check_password(password)
        ws = Workspace.create(root, admin, password)
        public = ws.session.public
        with transaction(ws.db):
            first = ws.users.add(admin, Role.ADMIN, None, public.text(), ws.session.slot)
            ws.logins.add(first.id, Role.ADMIN)
            ws.audit.append("workspace.create", ws.root.name, "ok",
                            {"admin": admin, "role": Role.ADMIN.value, "key": public.text()})
        desk = cls(ws)
        desk._remember_head()
        return desk

    @classmethod
    def open(cls, root: Path | str, user: str, password: str) -> "Desk":
        """Sign in to the workspace in a folder, or on a team's server (`root` a PostgreSQL
        URL or conninfo string)."""
        place = place_for(root)
        try:
            if not place.exists():
                raise WorkspaceError(f"no workspace at {place.where}; create one with "
                                     "`hotline init`")
            ws = Workspace.unlock(place, user, password)
        except BaseException:
            place.close()
            raise
        try:
            ws.logins.check(ws.users.id_of(ws.session.name))
        except HotlineError:
            ws.close()
            raise
        desk = cls(ws)
        desk._check_anchor()
        with transaction(desk._ws.db):
            desk._ws.audit.append("session.open", "", "ok", {})
        if not desk._tampered:
            desk._remember_head()
            desk.purge_if_due()
            desk.clean_up_after_a_crash()
        return desk

    @classmethod
    def upgrade(cls, root: Path, admin: str, password: str) -> "Desk":
        """`hotline workspace upgrade`: a workspace made before users had keys becomes one
        where they do. The admin's new key is the root; the items' review state and the
        users' roles are carried over in the signed `workspace.upgrade` entry; the master key
        rotates (an old key file opens nothing); the other users wait, disabled, for an admin
        to enable them with a new password. Safe to run again if it was interrupted."""
        if upgrade.is_version_1(root / "workspace.keys"):
            legacy_entries = upgrade.upgrade(root, admin, password)
        else:
            legacy_entries = -1
        ws = Workspace.unlock(root, admin, password)
        if ws.audit.has_signed(("workspace.create", "workspace.upgrade")):
            ws.close()
            raise Conflict("this workspace has its keys already: nothing to upgrade")
        public = ws.session.public
        others = [u for u in ws.users.all() if u.name.casefold() != admin.casefold()]
        with transaction(ws.db):
            ws.users.set_key(ws.session.name, public.text(), ws.session.slot)
            for user in others:
                ws.users.set_disabled(user.name, True)
            ws.audit.append("workspace.upgrade", str(root.name), "ok", {
                "admin": ws.session.name, "role": Role.ADMIN.value, "key": public.text(),
                "waiting": {u.name: u.role.value for u in others},
                "carried": ws.assessments.review_states(),
                "settings": ws.settings.all(),
                "legacy_entries": legacy_entries})
        desk = cls(ws)
        desk._rotate("upgraded from version 1: the old key file must open nothing")
        desk._remember_head()
        return desk

    @property
    def workspace(self) -> Path:
        """This workstation's folder for the workspace (the workspace, if it is a folder)."""
        return self._ws.root

    @property
    def where(self) -> str:
        """The workspace as a person reads it: its folder, or its server and database."""
        return self._ws.place.where

    @property
    def location(self) -> Path | str:
        """What `Desk.open` takes to open this workspace again."""
        place = self._ws.place
        return place.conninfo if isinstance(place, Server) else self._ws.root

    def _check_anchor(self) -> None:
        """Compare the log with the head this workstation remembers for this user; a log that
        is behind or beside it is said (in `warnings`) and audited."""
        seen = anchors.remembered(self._ws.root, self._user.name)
        if seen is None or self._tampered:
            return
        problem = anchors.disagreement(seen, self._ws.audit, self.root_fingerprint)
        if problem:
            self.warnings.append(f"{problem} (written to the audit log)")
            with transaction(self._ws.db):
                self._ws.audit.append("audit.rollback", "", "detected",
                                      {"problem": problem, "seen": seen.code})

    def _remember_head(self) -> None:
        if self._tampered:
            return  # never remember a head whose signed entries do not hold
        anchors.remember(self._ws.root, self._user.name,
                         anchors.current(self._ws.audit, self.root_fingerprint))

    def lock(self) -> None:
        """The window is locked (idle, or Ctrl+L): audited."""
        with transaction(self._ws.db):
            self._ws.audit.append("session.lock", "", "ok", {})

    def unlock(self, password: str) -> bool:
        """Unlock a locked window: the password is checked against the key file as it is on
        disk now (a reset password or a disabled user takes effect); audited either way."""
        self._refresh_user()
        try:
            session = KeyFile.load(self._ws.place.key_store()).unlock(self._user.name,
                                                                     password)
            ok = session.public.fingerprint == self._ws.session.public.fingerprint
        except AuthError:
            ok = False
        with transaction(self._ws.db):
            self._ws.audit.append("session.unlock", "", "ok" if ok else "refused", {})
        return ok

    def session_copy(self) -> "Desk":
        """The same session on a second connection, for work in a background thread."""
        return Desk(self._ws.copy())

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # the workstation's memory is a help, never a reason to fail closing
        with contextlib.suppress(OSError, HotlineError):
            self._ws.follow_rotation()
            self._remember_head()
            with transaction(self._ws.db):
                self._ws.claims.release(self._user.name)  # what was open is free again
        self._ws.close()

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
