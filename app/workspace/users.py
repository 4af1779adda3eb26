"""Users and their roles, as a table to list and show. Passwords live only in key slots; the
roles and keys that count are the certified ones (`app.workspace.certificates`)."""

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from app.errors import Conflict, InvalidInput, NotFound
from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.sealing import Sealer


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    disabled: bool
    created: str
    password_changed: str
    login: str | None = None  # the database login on a team's server (none for a folder)


MIN_PASSWORD_LENGTH = 10
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


def check_name(name: str) -> str:
    """A new user's name: plain ASCII letters, digits and . _ - @ only, so that no two names
    look alike (U+212A KELVIN SIGN is not K, a Cyrillic а is not a) and case-folding or
    Unicode normalisation can never make one name into another."""
    name = name.strip()
    if not name.isascii() or unicodedata.normalize("NFKC", name) != name:
        raise InvalidInput(f"invalid user name {name!r}: only the letters a-z, digits and "
                           ". _ - @ (no look-alike characters from other alphabets)")
    if not (1 <= len(name) <= 64) or not set(name.lower()) <= _NAME_CHARS:
        raise InvalidInput(f"invalid user name {name!r}: use 1-64 letters, digits, . _ - @")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return password


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise InvalidInput(f"unknown role {text!r}: analyst, supervisor or admin") from None


class UserStore:
    """Users by id. A name is sealed (`users.name`) and found by its keyed lookup
    (`users.name_key`, the same for `Kate` and `KATE`), so a team's database server holds no
    user name; every other table refers to a user by id, and the stores translate here."""

    def __init__(self, db: Database, sealer: Sealer) -> None:
        self._db = db
        self._sealer = sealer
        self._names: dict[int, str] = {}  # an id's name never changes

    def _key(self, name: str) -> bytes:
        return self._sealer.lookup("users.name", name)

    def _row(self, row: tuple) -> User:
        name = self._sealer.open("users.name", row[1]) or ""
        self._names[row[0]] = name
        return User(row[0], name, Role(row[2]), bool(row[3]), row[4], row[5])

    _COLUMNS = "id, name, role, disabled, created, password_changed"

    def get(self, name: str) -> User:
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM users WHERE name_key = ?",
                               [self._key(name)]).fetchone()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return self._row(row)

    def all(self) -> list[User]:
        rows = self._db.execute(f"SELECT {self._COLUMNS} FROM users").fetchall()
        return sorted((self._row(r) for r in rows), key=lambda u: u.name.casefold())

    def id_of(self, name: str) -> int:
        return self.get(name).id

    def maybe_id(self, name: str | None) -> int | None:
        """The id of a user named in a column that may be empty (None stays None)."""
        return None if name is None else self.id_of(name)

    def name_of(self, user_id: int | None) -> str:
        """The name of the user with this id ('' for none)."""
        if user_id is None:
            return ""
        if user_id not in self._names:
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM users WHERE id = ?",
                                   [user_id]).fetchone()
            if row is None:
                raise NotFound(f"no user with id {user_id}")
            self._row(row)
        return self._names[user_id]

    def add(self, name: str, role: Role, created_by: str | None, public_key: str,
            slot: str) -> User:
        same = self._db.execute("SELECT id FROM users WHERE name_key = ?",
                                [self._key(name)]).fetchone()
        if same:
            raise Conflict(f"a user {self.name_of(same[0])!r} exists already (names are the "
                           "same whatever their case)")
        now = utc_now()
        self._db.execute(
            "INSERT INTO users (name, name_key, role, disabled, created, created_by,"
            " password_changed, public_key, slot) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
            [self._sealer.seal("users.name", name), self._key(name), role.value, now,
             self.maybe_id(created_by), now, public_key, slot])
        return self.get(name)

    def slot_of(self, name: str) -> str | None:
        row = self._db.execute("SELECT slot FROM users WHERE name_key = ?",
                               [self._key(name)]).fetchone()
        return row[0] if row else None

    def set_key(self, name: str, public_key: str, slot: str) -> None:
        """A new key pair or password: the slot that now holds it (the old one is gone)."""
        self._db.execute("UPDATE users SET public_key = ?, slot = ?, password_changed = ?"
                         " WHERE name_key = ?", [public_key, slot, utc_now(), self._key(name)])

    def active_admins(self) -> int:
        return self._db.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").fetchone()[0]

    def set_disabled(self, name: str, disabled: bool) -> None:
        self._db.execute("UPDATE users SET disabled = ? WHERE name_key = ?",
                         [int(disabled), self._key(name)])

    def set_role(self, name: str, role: Role) -> None:
        self._db.execute("UPDATE users SET role = ? WHERE name_key = ?",
                         [role.value, self._key(name)])
