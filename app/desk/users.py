"""Desk actions on users: add, list, disable, enable, role, password."""

from app.desk.base import ADMIN, ANYONE, DeskBase
from app.errors import Conflict, PermissionDenied
from app.workspace.users import Role, User, check_name, check_password, parse_role


class UserActions(DeskBase):
    ROLES = tuple(role.value for role in Role)

    def list_users(self) -> list[User]:
        self._refresh_user()
        return self._ws.users.all()

    def add_user(self, name: str, role: str | Role, password: str) -> User:
        name, role = check_name(name), parse_role(str(role))
        check_password(password)
        with self._action("user.add", name, ADMIN, "add users") as detail:
            user = self._ws.users.add(name, role, created_by=self._user.name)
            with self._ws.change_slots() as keys:
                keys.set_slot(self._ws.master, name, password)
            detail["role"] = role.value
        return user

    def _keep_an_admin(self, name: str, losing: bool) -> None:
        target = self._ws.users.get(name)
        if (losing and target.role is Role.ADMIN and not target.disabled
                and self._ws.users.active_admins() <= 1):
            raise Conflict(f"{name} is the last active admin; make another admin first")

    def disable_user(self, name: str) -> User:
        """Disable an account and destroy its key slot: the password no longer opens anything."""
        with self._action("user.disable", name, ADMIN, "disable users"):
            self._keep_an_admin(name, losing=True)
            self._ws.users.set_disabled(name, True)
            with self._ws.change_slots() as keys:
                keys.remove_slot(name)
        return self._ws.users.get(name)

    def enable_user(self, name: str, password: str) -> User:
        """Re-enable an account; it needs a new password since disabling destroyed its slot."""
        check_password(password)
        with self._action("user.enable", name, ADMIN, "enable users"):
            self._ws.users.get(name)
            self._ws.users.set_disabled(name, False)
            self._ws.users.password_changed(name)
            with self._ws.change_slots() as keys:
                keys.set_slot(self._ws.master, name, password)
        return self._ws.users.get(name)

    def set_role(self, name: str, role: str | Role) -> User:
        role = parse_role(str(role))
        with self._action("user.role", name, ADMIN, "change roles") as detail:
            self._keep_an_admin(name, losing=role is not Role.ADMIN)
            detail["role"] = role.value
            self._ws.users.set_role(name, role)
        return self._ws.users.get(name)

    def change_password(self, name: str, new_password: str) -> None:
        """Users change their own password; an admin may reset anybody's."""
        check_password(new_password)
        own = name.casefold() == self._user.name.casefold()
        roles = ANYONE if own else ADMIN
        with self._action("user.passwd", name, roles, "set other users' passwords"):
            target = self._ws.users.get(name)
            if target.disabled:
                raise PermissionDenied(f"{name} is disabled; enable the account instead")
            self._ws.users.password_changed(name)
            with self._ws.change_slots() as keys:
                keys.set_slot(self._ws.master, name, new_password)
