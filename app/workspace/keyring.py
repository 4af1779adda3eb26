"""The hotline's own key pair for sharing lists, and the partner hotlines' public keys.

Both live in the encrypted database; the private keys never leave it except inside an export
that the admin asks for.
"""

from dataclasses import dataclass

from app.errors import Conflict, InvalidInput, NotFound
from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.sealing import Sealer
from app.workspace.users import UserStore
from hashdb.errors import HashdbError
from hashdb.identity import Identity, PublicIdentity

OWN = "own-identity"


@dataclass(frozen=True)
class Partner:
    name: str
    public_key: str
    fingerprint: str
    added: str
    added_by: str


class Keyring:
    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer

    def own(self) -> Identity | None:
        row = self._db.execute("SELECT value FROM keyring WHERE name = ?", [OWN]).fetchone()
        return Identity.from_json(self._sealer.open("keyring.value", row[0]) or "") \
            if row else None

    def create_own(self) -> Identity:
        if self.own() is not None:
            raise Conflict("this workspace has its key pair already")
        identity = Identity.generate()
        self._db.execute("INSERT INTO keyring (name, value, created) VALUES (?, ?, ?)",
                         [OWN, self._sealer.seal("keyring.value", identity.to_json()),
                          utc_now()])
        return identity

    def partners(self) -> list[Partner]:
        rows = self._db.execute("SELECT name, public_key, fingerprint, added, added_by "
                                "FROM partners").fetchall()
        partners = [Partner(self._sealer.open("partners.name", r[0]) or "", r[1], r[2], r[3],
                            self._users.name_of(r[4])) for r in rows]
        return sorted(partners, key=lambda p: p.name.casefold())

    def partner(self, name: str) -> Partner:
        for p in self.partners():
            if p.name.casefold() == name.casefold():
                return p
        raise NotFound(f"no partner hotline named {name!r}; add its key with "
                       "`hotline keys partner add`")

    def add_partner(self, name: str, public_text: str, by: str) -> Partner:
        try:
            public = PublicIdentity.parse(public_text)
        except HashdbError as exc:
            raise InvalidInput(str(exc)) from None
        if any(p.name.casefold() == name.casefold() for p in self.partners()):
            raise Conflict(f"a partner named {name!r} exists already")
        if any(p.public_key == public.text() for p in self.partners()):
            raise Conflict("this key belongs to a partner already")
        self._db.execute("INSERT INTO partners (name, name_key, public_key, fingerprint, added,"
                         " added_by) VALUES (?, ?, ?, ?, ?, ?)",
                         [self._sealer.seal("partners.name", name),
                          self._sealer.lookup("partners.name", name), public.text(),
                          public.fingerprint, utc_now(), self._users.id_of(by)])
        return self.partner(name)

    def partner_by_signing_key(self, raw: bytes) -> Partner | None:
        for p in self.partners():
            if PublicIdentity.parse(p.public_key).signing_bytes == raw:
                return p
        return None
