"""Who holds which key, in which role: replayed from the signed audit entries alone.

The first entry (`workspace.create`) is signed by the first admin's own key: that key is the
workspace's root, its fingerprint printed by `hotline init` to be written down. Every later
key and role comes from an entry an active admin signed (`user.add`, `user.role`,
`user.disable`, `user.enable`, an admin's `user.passwd`): the certificate is the signed entry.
Nothing here reads the `users` table, which anyone holding the master key could edit.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.errors import WorkspaceError
from app.workspace.audit import GENESIS, AuditLog, AuditRecord
from app.workspace.users import Role
from hashdb.errors import HashdbError
from hashdb.identity import PublicIdentity

CREATE, UPGRADE = "workspace.create", "workspace.upgrade"
CERT_ACTIONS = (CREATE, UPGRADE, "user.add", "user.role", "user.disable", "user.enable",
                "user.passwd")


@dataclass(frozen=True)
class Holder:
    """A certified user. `key` is None only for users carried over by an upgrade from
    version 1 who have not been given a new password (and so a key) yet: never active."""

    name: str
    role: Role
    key: PublicIdentity | None
    active: bool


def _key(record: AuditRecord) -> PublicIdentity | None:
    try:
        return PublicIdentity.parse(str(record.detail.get("key", "")))
    except HashdbError:
        return None


def _role(record: AuditRecord) -> Role | None:
    try:
        return Role(str(record.detail.get("role")))
    except ValueError:
        return None


class Certificates:
    def __init__(self) -> None:
        self.root: PublicIdentity | None = None
        self._now: dict[str, Holder] = {}
        self._history: dict[str, list[tuple[int, Holder]]] = {}

    @classmethod
    def replay(cls, records: Iterable[AuditRecord]) -> tuple["Certificates", str]:
        """The state after these records (in order), and the first problem ('' if none)."""
        certs = cls()
        for record in records:
            problem = certs.apply(record)
            if problem:
                return certs, f"entry {record.seq} ({record.action}): {problem}"
        return certs, ""

    def current(self, name: str) -> Holder | None:
        return self._now.get(name.casefold())

    def holder_at(self, name: str, seq: int) -> Holder | None:
        """The holder as certified just before entry `seq`."""
        found = None
        for at, holder in self._history.get(name.casefold(), []):
            if at >= seq:
                break
            found = holder
        return found

    def active(self) -> list[Holder]:
        return [h for h in self._now.values() if h.active]

    def signer_problem(self, record: AuditRecord, check_signature: bool = True) -> str:
        """'' when the entry is signed by the key its user held, active, at that point.
        Without `check_signature`, only that it names that key (for entries a verification
        that this workstation remembers has checked already)."""
        if self.root is None and (record.action == UPGRADE or (
                record.seq == 1 and record.action == CREATE)):
            key = _key(record)
            if key is None or not record.signed_by(key):
                return "the entry that names the root key is not signed by it"
            return ""
        if not record.sig:
            # written by version 1, before any key: checked by its MAC (audit_check), never
            # once a root key exists
            return "" if self.root is None else "not signed"
        holder = self.current(record.user)
        if holder is None:
            return f"{record.user!r} holds no certified key"
        if not holder.active:
            return f"{record.user!r} was disabled before this entry"
        if holder.key is None or holder.key.fingerprint != record.signer or (
                check_signature and not record.signed_by(holder.key)):
            return f"not signed by {record.user}'s certified key"
        return ""

    def apply(self, record: AuditRecord, check_signature: bool = True) -> str:
        """Check the entry's signature and, for a successful key or role change, apply it."""
        problem = self.signer_problem(
            record, check_signature or record.action in CERT_ACTIONS)
        if problem or record.outcome != "ok" or record.action not in CERT_ACTIONS \
                or not record.sig:
            return problem
        if record.action in (CREATE, UPGRADE):
            if self.root is not None:
                return f"a second {record.action}"
            key = _key(record)
            assert key is not None  # signer_problem checked it
            self.root = key
            self._set(record.seq, Holder(record.user, Role.ADMIN, key, True))
            for name, role in dict(record.detail.get("waiting") or {}).items():
                self._set(record.seq, Holder(str(name), Role(role), None, False))
            return ""
        actor = self.current(record.user)
        assert actor is not None
        target = self.current(record.target)
        own_password = (record.action == "user.passwd"
                        and record.target.casefold() == record.user.casefold())
        if actor.role is not Role.ADMIN and not own_password:
            return f"{record.user} is not an admin, and may not {record.action}"
        return self._change(record, target)

    def _change(self, record: AuditRecord, target: Holder | None) -> str:
        key, role = _key(record), _role(record)
        if record.action == "user.add":
            if target is not None:
                return f"{record.target!r} exists already"
            if key is None or role is None:
                return "a user added without a key or role"
            self._set(record.seq, Holder(record.target, role, key, True))
            return ""
        if target is None:
            return f"no user {record.target!r}"
        if record.action == "user.role":
            if role is None:
                return "a role change without a role"
            self._set(record.seq, replace(target, role=role))
        elif record.action == "user.disable":
            self._set(record.seq, replace(target, active=False))
        elif record.action == "user.enable":
            if key is None:
                return "a user enabled without a new key"
            self._set(record.seq, replace(target, key=key, active=True))
        elif key is not None:  # user.passwd: an admin's reset gives new keys; one's own not
            self._set(record.seq, replace(target, key=key))
        return ""

    def _set(self, seq: int, holder: Holder) -> None:
        folded = holder.name.casefold()
        self._now[folded] = holder
        self._history.setdefault(folded, []).append((seq, holder))


class TamperedError(WorkspaceError):
    """The signed entries do not hold: the workspace's files were changed behind its back."""


def load(log: AuditLog) -> Certificates:
    """The certificates as the signed entries give them, checking each entry's signature and
    its link to the entry before it; TamperedError at the first that fails."""
    certs = Certificates()
    for record in log.records(CERT_ACTIONS):
        if not record.sig and certs.root is None:
            continue  # version 1's entries, before the upgrade: MAC-checked by a full walk
        prev = GENESIS if record.seq == 1 else log.hash_at(record.seq - 1)
        if prev is None or record.expected_hash(prev) != record.hash:
            raise TamperedError(f"audit entry {record.seq} ({record.action}) was altered or "
                                "the entry before it removed: the workspace was tampered with; "
                                "`hotline audit verify` says more")
        problem = certs.apply(record)
        if problem:
            raise TamperedError(f"audit entry {record.seq} ({record.action}): {problem}; the "
                                "workspace was tampered with")
    if certs.root is None:
        raise TamperedError("the workspace's first audit entry, which names its root key, "
                            "is missing")
    return certs
