"""The audit log: append-only rows chained by a keyed hash, so no edit goes unnoticed.

Each row's MAC covers its own fields and the previous row's MAC; `audit_head` holds the last
sequence number and MAC, so deleting rows at the end is noticed too. The MAC key comes from the
master key: somebody with only a copy of the database cannot forge a consistent chain.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.workspace.clock import utc_now

GENESIS = "0" * 64


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
class AuditCheck:
    """Result of walking the chain; `first_bad` is the sequence number of the first bad entry."""

    ok: bool
    entries: int
    first_bad: int | None = None
    problem: str = ""
    head: str = ""


class AuditLog:
    def __init__(self, db: sqlite_utils.Database, key: bytes) -> None:
        self._db = db
        self._key = key

    def _mac(self, prev: str, seq: int, at: str, user: str, action: str, target: str,
             outcome: str, detail: str) -> str:
        body = json.dumps([prev, seq, at, user, action, target, outcome, detail],
                          separators=(",", ":"), ensure_ascii=False)
        return hmac.new(self._key, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def append(self, user: str, action: str, target: str = "", outcome: str = "ok",
               detail: dict[str, Any] | None = None) -> int:
        """Add one entry. Must run inside the caller's write transaction."""
        assert self._db.conn.in_transaction, "audit entries are written inside a transaction"
        head = self._db.execute("SELECT seq, mac FROM audit_head WHERE id = 1").fetchone()
        prev_seq, prev_mac = head if head else (0, GENESIS)
        seq = prev_seq + 1
        at = utc_now()
        detail_json = json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str)
        mac = self._mac(prev_mac, seq, at, user, action, target, outcome, detail_json)
        self._db.execute(
            "INSERT INTO audit (seq, at, user, action, target, outcome, detail, mac)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, at, user, action, target, outcome, detail_json, mac],
        )
        self._db.execute(
            "INSERT INTO audit_head (id, seq, mac) VALUES (1, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac",
            [seq, mac],
        )
        return seq

    def verify(self) -> AuditCheck:
        """Walk the chain from the first entry; stop at the first broken link."""
        prev, expected_seq, count = GENESIS, 1, 0
        rows = self._db.execute(
            "SELECT seq, at, user, action, target, outcome, detail, mac FROM audit ORDER BY seq")
        for seq, at, user, action, target, outcome, detail, mac in rows:
            if seq != expected_seq:
                return AuditCheck(False, count, expected_seq,
                                  f"entry {expected_seq} is missing (next is {seq})")
            if not hmac.compare_digest(
                    mac, self._mac(prev, seq, at, user, action, target, outcome, detail)):
                return AuditCheck(False, count, seq,
                                  f"entry {seq} was altered, or an entry before it was")
            prev, expected_seq, count = mac, seq + 1, count + 1
        head = self._db.execute("SELECT seq, mac FROM audit_head WHERE id = 1").fetchone()
        head_seq, head_mac = head if head else (0, GENESIS)
        if head_seq != count or not hmac.compare_digest(head_mac, prev):
            return AuditCheck(False, count, count + 1,
                              f"the log ends at entry {count} but was written up to {head_seq}")
        return AuditCheck(True, count, head=prev)

    def actions(self) -> list[str]:
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT action FROM audit ORDER BY action").fetchall()]

    def entries(self, target: str | None = None, user: str | None = None,
                action: str | None = None, limit: int = 200, before: int | None = None,
                since: str | None = None, until: str | None = None) -> list[AuditEntry]:
        """Newest first, filtered; `before` pages backwards by sequence number; `since` and
        `until` are UTC times (ISO, as stored) bounding `at`, `until` exclusive."""
        where, args = ["1 = 1"], []
        for column, value in (("target", target), ("user", user), ("action", action)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if since is not None:
            where.append("at >= ?")
            args.append(since)
        if until is not None:
            where.append("at < ?")
            args.append(until)
        if before is not None:
            where.append("seq < ?")
            args.append(before)
        sql = (f"SELECT seq, at, user, action, target, outcome, detail FROM audit "
               f"WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?")
        rows = self._db.execute(sql, [*args, limit]).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]
