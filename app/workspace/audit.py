"""The audit log: append-only entries, each signed by the person who acted.

Each entry's hash covers its own fields and the previous entry's hash, and the entry is signed
with the actor's Ed25519 key (from their key slot: only their password opens it). So nobody,
not even someone holding the master key, can write an entry in another person's name, edit or
re-chain entries others signed, or remove one from the middle without the next one's link
breaking. Removing entries at the end is caught by the head that workstations remember
(`app.workspace.anchors`). `audit_head` holds the last sequence number and hash.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature

from app.workspace.clock import utc_now
from app.workspace.db import Database, equal_to, marks
from app.workspace.keys import Session
from app.workspace.sealing import Sealer, SealError
from hashdb.identity import PublicIdentity

GENESIS = "0" * 64
VERDICT_ACTIONS = ("item.assess", "item.assess.undo")  # entries that carry a person's verdict
AUDIT_LOCK = 0x61756469745F6C6F  # "audit_lo": the advisory lock appends take on a server
_SIGNED = b"hotline-audit-v1:"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user: str
    action: str
    target: str
    outcome: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class AuditRecord:
    """An entry as stored, with what it takes to check it."""

    seq: int
    at: str
    user: str
    signer: str
    action: str
    target: str
    outcome: str
    detail_json: str
    hash: str
    sig: str

    def expected_hash(self, prev: str) -> str:
        body = json.dumps([prev, self.seq, self.at, self.user, self.signer, self.action,
                           self.target, self.outcome, self.detail_json],
                          separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    def signed_by(self, public: PublicIdentity) -> bool:
        """The signature holds for this key, and the key is the one the entry names."""
        if public.fingerprint != self.signer:
            return False
        try:
            public.signing.verify(bytes.fromhex(self.sig), _SIGNED + bytes.fromhex(self.hash))
        except (InvalidSignature, ValueError):
            return False
        return True

    @property
    def detail(self) -> dict[str, Any]:
        try:
            value = json.loads(self.detail_json)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class AuditCheck:
    """Result of walking the chain; `first_bad` is the sequence number of the first bad entry."""

    ok: bool
    entries: int
    first_bad: int | None = None
    problem: str = ""
    head: str = ""


_RECORD = "seq, at, actor, signer, action, target, outcome, detail, mac, sig"
DAMAGED = "\ufffd(a sealed value that does not open)"  # never hashes to what was signed


class AuditLog:
    """The log, its actor, target and detail sealed (`sealing.py`: a team's server reads
    actions, times and outcomes, not who or what); actors and targets are found by keyed
    lookups. The chain's hashes and signatures cover the values as written, not as sealed."""

    def __init__(self, db: Database, session: Session, sealer: Sealer,
                 user_id: Callable[[str], int | None] = lambda _name: None) -> None:
        self._db = db
        self._session = session
        self._sealer = sealer
        self._user_id = user_id  # who wrote an entry, as the server's policies need it

    def _open(self, column: str, value: bytes | None) -> str:
        try:
            return self._sealer.open(f"audit.{column}", value) or ""
        except SealError:
            return DAMAGED

    def _key(self, column: str, value: str) -> bytes:
        """An actor is found whatever the case of their name; a target exactly."""
        return self._sealer.lookup(f"audit.{column}", value, exact=column == "target")

    def append(self, action: str, target: str = "", outcome: str = "ok",
               detail: dict[str, Any] | None = None) -> int:
        """Add one entry in the session's name, signed with its key. Must run inside the
        caller's write transaction (audit appends are serialised by the write lock)."""
        assert self._db.in_transaction, "audit entries are written inside a transaction"
        self._db.serialise(AUDIT_LOCK)  # appends one after another, across workstations
        prev_seq, prev_hash = self.head()
        detail_json = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str)
        record = AuditRecord(prev_seq + 1, utc_now(), self._session.name,
                             self._session.public.fingerprint, action, target, outcome,
                             detail_json, "", "")
        digest = record.expected_hash(prev_hash)
        sig = self._session.keys.signing.sign(_SIGNED + bytes.fromhex(digest)).hex()
        seal = self._sealer.seal
        self._db.execute(
            f"INSERT INTO audit ({_RECORD}, actor_key, target_key, actor_id, item_id) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [record.seq, record.at, seal("audit.actor", record.user), record.signer, action,
             seal("audit.target", target), outcome, seal("audit.detail", detail_json), digest,
             sig, self._key("actor", record.user), self._key("target", target),
             self._user_id(record.user),
             int(target) if action in VERDICT_ACTIONS and target.isdigit() else None])
        return record.seq  # the head follows by a trigger (nobody writes it directly)

    def head(self) -> tuple[int, str]:
        """The last entry's sequence number and hash, as the head row says."""
        row = self._db.execute("SELECT seq, mac FROM audit_head WHERE id = 1").fetchone()
        return (int(row[0]), row[1]) if row else (0, GENESIS)

    def hash_at(self, seq: int) -> str | None:
        """An entry's hash, from the chain's index (which everyone may read, also where the
        entry itself is blind to them)."""
        row = self._db.execute("SELECT mac FROM audit_index WHERE seq = ?", [seq]).fetchone()
        return row[0] if row else None

    def extent(self) -> tuple[int, int]:
        """How many entries there are, and the highest sequence number (equal when no entry
        was removed from the middle), as the chain's index says."""
        count, top = self._db.execute("SELECT count(*), max(seq) FROM audit_index").fetchone()
        return int(count), int(top or 0)

    def hidden(self, start: int, stop: int) -> dict[int, str]:
        """Entries from `start` to before `stop` that exist but are not shown to this
        connection (a blind verdict on a team's server): their hashes, from the index. A
        folder's database hides no row: there, a gap is a removed entry."""
        if not self._db.hides_rows:
            return {}
        return dict(self._db.execute(
            "SELECT seq, mac FROM audit_index WHERE seq >= ? AND seq < ? AND "
            "hotline_audit_exists(seq) ORDER BY seq", [start, stop]).fetchall())

    def extent_of(self, actions: tuple[str, ...]) -> tuple[int, int]:
        """How many entries of these actions there are, and the last one's number."""
        row = self._db.execute(
            f"SELECT count(*), max(seq) FROM audit WHERE action IN ({marks(actions)})",
            list(actions)).fetchone()
        return int(row[0]), int(row[1] or 0)

    def has_signed(self, actions: tuple[str, ...]) -> bool:
        """Whether a signed entry of these actions exists (version 1's were not signed)."""
        return self._db.execute(
            f"SELECT 1 FROM audit WHERE sig IS NOT NULL AND sig != '' AND action IN "
            f"({marks(actions)}) LIMIT 1", list(actions)).fetchone() is not None

    def records(self, actions: tuple[str, ...] | None = None, target: str | None = None,
                ) -> Iterator[AuditRecord]:
        """Stored entries in order, all or only some actions / one target."""
        where, args = equal_to(target_key=None if target is None else self._key("target", target))
        if actions is not None:
            where.append(f"action IN ({marks(actions)})")
            args.extend(actions)
        rows = self._db.execute(
            f"SELECT {_RECORD} FROM audit WHERE {' AND '.join(['1 = 1', *where])} ORDER BY seq",
            args)
        for row in rows:
            yield AuditRecord(row[0], row[1], self._open("actor", row[2]), row[3] or "", row[4],
                              self._open("target", row[5]), row[6],
                              self._open("detail", row[7]), row[8], row[9] or "")

    def actions(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT action FROM audit ORDER BY action").fetchall()]

    def entries(self, target: str | None = None, user: str | None = None,
                action: str | None = None, limit: int = 200, before: int | None = None,
                since: str | None = None, until: str | None = None) -> list[AuditEntry]:
        """Newest first, filtered; `before` pages backwards by sequence number; `since` and
        `until` are UTC times (ISO, as stored) bounding `at`, `until` exclusive."""
        where, args = equal_to(
            target_key=None if target is None else self._key("target", target),
            actor_key=None if user is None else self._key("actor", user), action=action)
        where.insert(0, "1 = 1")
        if since is not None:
            where.append("at >= ?")
            args.append(since)
        if until is not None:
            where.append("at < ?")
            args.append(until)
        if before is not None:
            where.append("seq < ?")
            args.append(before)
        sql = (f"SELECT seq, at, actor, action, target, outcome, detail FROM audit "
               f"WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?")
        rows = self._db.execute(sql, [*args, limit]).fetchall()
        out = []
        for r in rows:
            detail = self._open("detail", r[6])
            out.append(AuditEntry(r[0], r[1], self._open("actor", r[2]), r[3],
                                  self._open("target", r[4]), r[5],
                                  {} if detail == DAMAGED else json.loads(detail)))
        return out
