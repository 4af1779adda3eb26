"""Desk actions on users: add, list, disable, enable, role, password.

Each user's key pair is made here and certified by the admin's signed audit entry (the entry
carries the public key). Disabling a user moves the workspace to a new master key that only
the remaining users are granted (`Workspace.rekey`).
"""

from dataclasses import replace

from app.desk.base import ADMIN, ANYONE, DeskBase
from app.errors import Conflict, NotFound, PermissionDenied
from app.workspace.db import transaction
from app.workspace.users import Role, User, check_name, check_password, parse_role
from app.workspace.workspace import new_master
from hashdb.identity import Identity


class UserActions(DeskBase):
    ROLES = tuple(role.value for role in Role)

    def list_users(self) -> list[User]:
        """Every user, with the role and state their certificates give (not the table's)."""
        self._refresh_user()
        certs = self._certificates()
        out = []
        for row in self._ws.users.all():
            holder = certs.current(row.name)
            row = replace(row, login=self._ws.logins.of(row.id))
            out.append(row if holder is None else
                       replace(row, role=holder.role, disabled=not holder.active))
        return out

    def _new_slot(self, name: str, password: str, keys: Identity) -> str:
        """Seal `keys` for name and password and grant them the current master key."""
        with self._ws.change_slots() as file:
            slot = file.set_slot(name, password, keys)
            file.grant(keys.public(), self._ws.epoch, self._ws.master)
        return slot

    def _drop_slot(self, name: str) -> None:
        holder = self._certificates().current(name)
        with self._ws.change_slots() as file:
            file.remove_slot(self._ws.users.slot_of(name))
            if holder is not None and holder.key is not None:
                file.revoke(holder.key.fingerprint)

    def add_user(self, name: str, role: str | Role, password: str) -> User:
        name, role = check_name(name), parse_role(str(role))
        check_password(password)
        keys = Identity.generate()
        with self._action("user.add", name, ADMIN, "add users") as detail:
            public = keys.public().text()
            slot = self._new_slot(name, password, keys)
            user = self._ws.users.add(name, role, self._user.name, public, slot)
            user = replace(user, login=self._ws.logins.add(user.id, role))
            detail.update(role=role.value, key=public)
        return user

    def _holder(self, name: str) -> User:
        try:
            return self._ws.users.get(name)
        except NotFound:
            raise NotFound(f"no user {name!r}") from None

    def _keep_an_admin(self, name: str, losing: bool) -> None:
        holder = self._certificates().current(name)
        if holder is None:
            raise NotFound(f"no user {name!r}")
        admins = [h for h in self._certificates().active() if h.role is Role.ADMIN]
        if losing and holder.role is Role.ADMIN and holder.active and len(admins) <= 1:
            raise Conflict(f"{name} is the last active admin; make another admin first")

    def disable_user(self, name: str) -> User:
        """Disable an account: its slot and grants go, and the workspace moves to a new master
        key granted to the remaining users only, so no old copy of the key file opens it."""
        with self._action("user.disable", name, ADMIN, "disable users"):
            self._keep_an_admin(name, losing=True)
            self._ws.users.set_disabled(name, True)
            self._ws.logins.set_enabled(self._holder(name).id, False)
            self._drop_slot(name)
        self._rotate(f"{name} was disabled")
        return self._holder(name)

    def _rotate(self, why: str) -> None:
        """A new master key for the next epoch, granted to every active certified key."""
        epoch, master = self._ws.epoch + 1, new_master()
        keep = [h.key for h in self._certificates().active() if h.key is not None]
        with self._ws.change_slots() as file:
            for key in keep:
                file.grant(key, epoch, master)
        self._ws.rekey(epoch, master)
        with transaction(self._ws.db):
            self._ws.audit.append("workspace.rotate", f"epoch {epoch}", "ok",
                                  {"why": why, "epoch": epoch, "granted": len(keep)})

    def enable_user(self, name: str, password: str) -> User:
        """Re-enable an account with a new password (and so a new key pair)."""
        check_password(password)
        keys = Identity.generate()
        with self._action("user.enable", name, ADMIN, "enable users") as detail:
            self._holder(name)
            public = keys.public().text()
            self._ws.users.set_disabled(name, False)
            self._ws.logins.set_enabled(self._holder(name).id, True)
            self._ws.users.set_key(name, public, self._new_slot(name, password, keys))
            detail["key"] = public
        return self._holder(name)

    def set_role(self, name: str, role: str | Role) -> User:
        role = parse_role(str(role))
        with self._action("user.role", name, ADMIN, "change roles") as detail:
            self._keep_an_admin(name, losing=role is not Role.ADMIN)
            detail["role"] = role.value
            self._ws.users.set_role(name, role)
            self._ws.logins.set_role(self._holder(name).id, role)
        return self._holder(name)

    def change_password(self, name: str, new_password: str) -> None:
        """Users change their own password (their key pair stays, sealed anew); an admin may
        reset anybody's, which gives that user a new key pair, certified by the reset."""
        check_password(new_password)
        own = name.casefold() == self._user.name.casefold()
        roles = ANYONE if own else ADMIN
        with self._action("user.passwd", name, roles, "set other users' passwords") as detail:
            holder = self._certificates().current(name)
            if holder is None:
                raise NotFound(f"no user {name!r}")
            if not holder.active:
                raise PermissionDenied(f"{name} is disabled; enable the account instead")
            old_slot = self._ws.users.slot_of(holder.name)
            keys = self._ws.session.keys if own else Identity.generate()
            if not own:
                detail["key"] = keys.public().text()
            # one write of the key file: a crash cannot leave the old grant revoked and the
            # new slot missing
            with self._ws.change_slots() as file:
                if not own and holder.key is not None:
                    file.revoke(holder.key.fingerprint)
                slot = file.set_slot(holder.name, new_password, keys)
                file.grant(keys.public(), self._ws.epoch, self._ws.master)
                if old_slot != slot:
                    file.remove_slot(old_slot)
            self._ws.users.set_key(holder.name, keys.public().text(), slot)
