"""Database logins of the hotline's users: none for a folder workspace (its file is opened by
whoever holds the key), one PostgreSQL login role each on a team's server, in the group of
their hotline role (`server_security.py`). The login is the database credential, never the
hotline password: the server cannot test a guess at that."""

import secrets
from typing import Protocol

from app.errors import PermissionDenied
from app.workspace.db import Database
from app.workspace.server_security import GROUPS, group, team_of
from app.workspace.users import Role


class Logins(Protocol):
    def add(self, user_id: int, role: Role) -> str | None: ...
    def set_role(self, user_id: int, role: Role) -> None: ...
    def set_enabled(self, user_id: int, enabled: bool) -> None: ...
    def of(self, user_id: int) -> str | None: ...
    def check(self, user_id: int) -> None: ...


class NoLogins:
    """A folder workspace: no database logins."""

    def add(self, user_id: int, role: Role) -> str | None:
        return None

    def set_role(self, user_id: int, role: Role) -> None:
        pass

    def set_enabled(self, user_id: int, enabled: bool) -> None:
        pass

    def of(self, user_id: int) -> str | None:
        return None

    def check(self, user_id: int) -> None:
        pass


class ServerLogins:
    """Login roles on the team's server, made and changed by admins' connections."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._team = team_of(db)

    def add(self, user_id: int, role: Role) -> str | None:
        login = f"{self._team}_u{secrets.token_hex(6)}"
        self._db.execute(f"CREATE ROLE {login} LOGIN")
        self._grant(login, role)
        self._db.execute("INSERT INTO logins (user_id, role) VALUES (?, ?)", [user_id, login])
        return login

    def _grant(self, login: str, role: Role) -> None:
        """A member of its role's group only; an admin's login makes the others' logins
        (CREATEROLE) and is no member of the groups that assess."""
        for other in GROUPS:
            self._db.execute(f"REVOKE {group(self._team, other)} FROM {login}")
        self._db.execute(f"GRANT {group(self._team, role)} TO {login}")
        self._db.execute(f"ALTER ROLE {login} {'' if role is Role.ADMIN else 'NO'}CREATEROLE")

    def set_role(self, user_id: int, role: Role) -> None:
        login = self.of(user_id)
        if login is not None:
            self._grant(login, role)

    def set_enabled(self, user_id: int, enabled: bool) -> None:
        login = self.of(user_id)
        if login is not None:
            self._db.execute(f"ALTER ROLE {login} {'LOGIN' if enabled else 'NOLOGIN'}")

    def of(self, user_id: int) -> str | None:
        row = self._db.execute("SELECT role FROM logins WHERE user_id = ?", [user_id]).fetchone()
        return str(row[0]) if row else None

    def check(self, user_id: int) -> None:
        """This connection is the user's own login (or the database owner's, who set the
        workspace up): a login that belongs to another hotline user is refused."""
        row = self._db.execute("SELECT session_user, (SELECT user_id FROM logins WHERE "
                               "role = session_user)").fetchone()
        if row[1] is not None and int(row[1]) != user_id:
            raise PermissionDenied(f"the database login {row[0]} belongs to another hotline "
                                   "user; sign in with your own (PGUSER, your service file)")
