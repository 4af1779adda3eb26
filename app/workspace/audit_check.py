"""Checking the audit log from its signed entries alone.

`walk` goes through every entry: its link to the one before, its signature by the key its
user held then (certificates replayed as it goes), the head. Signatures already checked by an
earlier walk on this workstation are not checked again (their entries must still hash to
where that walk ended). It hands back the signed facts,
each with its signer's certified role at the time, for the review rules to be re-checked
(`app.review.signed_review`). `item_facts` does the same for one item's entries only, cheaply
enough to run before an item goes into a notice, a referral or an export.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.workspace.anchors import Anchor
from app.workspace.audit import GENESIS, AuditCheck, AuditLog, AuditRecord
from app.workspace.certificates import Certificates
from app.workspace.upgrade import legacy_mac
from app.workspace.users import Role

REVIEW_ACTIONS = ("item.assess", "item.assess.undo", "item.confirm", "item.reopen")
UPGRADE = "workspace.upgrade"  # carries the review state of items from version 1


@dataclass(frozen=True)
class Fact:
    """A signed entry, with who signed it and in which certified role."""

    seq: int
    user: str
    role: Role
    action: str
    target: str
    outcome: str
    detail: dict[str, Any]


def _fact(record: AuditRecord, role: Role) -> Fact:
    return Fact(record.seq, record.user, role, record.action, record.target, record.outcome,
                record.detail)


def walk(log: AuditLog, checked: Anchor | None = None,
         legacy_key: bytes | None = None) -> tuple[AuditCheck, list[Fact]]:
    """Every entry checked in order; stops at the first that fails. `checked` is where an
    earlier full walk on this workstation ended: entries up to it must still hash to it (so
    none of them changed) and their signatures are not checked again, except those of the
    certificates. Ed25519 verification is most of a walk's time (~0.25 ms an entry here)."""
    certs, prev, expected = Certificates(), GENESIS, 1
    trusted = checked.seq if checked else 0
    facts: list[Fact] = []
    for record in log.records():
        if record.seq > expected:  # blind to this connection on a team's server, or gone
            hidden = log.hidden(expected, record.seq)
            for seq in range(expected, record.seq):
                if seq not in hidden:
                    return AuditCheck(False, seq - 1, seq,
                                      f"entry {seq} is missing (next is {record.seq})"), facts
                prev, expected = hidden[seq], seq + 1
        count = expected - 1
        if record.seq != expected:
            return AuditCheck(False, count, expected,
                              f"entry {expected} is missing (next is {record.seq})"), facts
        if not record.sig and certs.root is None:
            if legacy_key is None or record.hash != legacy_mac(legacy_key, prev, (
                    record.seq, record.at, record.user, record.action, record.target,
                    record.outcome, record.detail_json)):
                return AuditCheck(False, count, record.seq,
                                  f"entry {record.seq} is not signed, and not one version 1 "
                                  "wrote either"), facts
            prev, expected = record.hash, expected + 1
            continue
        if record.expected_hash(prev) != record.hash:
            return AuditCheck(False, count, record.seq,
                              f"entry {record.seq} was altered, or an entry before it "
                              "was"), facts
        if record.seq == trusted and checked is not None and record.hash != checked.hash:
            return AuditCheck(False, count, record.seq,
                              f"entry {record.seq} is not the one an earlier verification on "
                              "this workstation saw: the log was rewritten"), facts
        problem = certs.apply(record, check_signature=record.seq > trusted)
        if problem:
            return AuditCheck(False, count, record.seq,
                              f"entry {record.seq} ({record.action} by {record.user}): "
                              f"{problem}"), facts
        if record.action in (*REVIEW_ACTIONS, UPGRADE):
            holder = certs.current(record.user)
            assert holder is not None  # apply() checked the signer
            facts.append(_fact(record, holder.role))
        prev, expected = record.hash, expected + 1
    head_seq, head_hash = log.head()
    for seq, digest in log.hidden(expected, head_seq + 1).items():  # blind entries at the end
        if seq != expected:
            break
        prev, expected = digest, seq + 1
    count = expected - 1
    if count < trusted:
        return AuditCheck(False, count, count + 1,
                          f"the log ends at entry {count}, but an earlier verification on "
                          f"this workstation saw entry {trusted}"), facts
    if head_seq != count or head_hash != prev:
        return AuditCheck(False, count, count + 1,
                          f"the log ends at entry {count} but was written up to "
                          f"{head_seq}"), facts
    return AuditCheck(True, count, head=prev), facts


def item_facts(log: AuditLog, item_ids: Iterable[int], certs: Certificates,
               ) -> dict[int, tuple[list[Fact], str]]:
    """Each item's review entries, each checked against its signer's key (as certified when
    it was written) and its link to the entry before: the facts and '' or the first problem."""
    confirmations: dict[int, list[AuditRecord]] = {}
    for record in log.records(("item.confirm",)):
        for item_id in record.detail.get("confirmed") or []:
            confirmations.setdefault(int(item_id), []).append(record)
    for record in log.records((UPGRADE,)):
        for item_id in record.detail.get("carried") or {}:
            confirmations.setdefault(int(item_id), []).append(record)
    out = {}
    for item_id in item_ids:
        records = sorted([*log.records(REVIEW_ACTIONS, target=str(item_id)),
                          *confirmations.get(item_id, [])], key=lambda r: r.seq)
        out[item_id] = checked_facts(log, records, certs)
    return out


def checked_facts(log: AuditLog, records: Iterable[AuditRecord], certs: Certificates,
                  ) -> tuple[list[Fact], str]:
    """These entries as facts, each checked against its link to the entry before and its
    signer's key as certified when it was written; '' or the first problem."""
    facts: list[Fact] = []
    upgrade = upgraded_at(log)
    for record in records:
        if not record.sig and record.seq < upgrade:
            continue  # version 1's entries: the upgrade entry carries what they did
        # the upgrade entry certifies the very key that signs it
        holder = certs.holder_at(record.user, record.seq + (record.action == UPGRADE))
        prev = GENESIS if record.seq == 1 else log.hash_at(record.seq - 1)
        if prev is None or record.expected_hash(prev) != record.hash:
            return facts, f"audit entry {record.seq} was altered"
        if holder is None or holder.key is None or not holder.active \
                or not record.signed_by(holder.key):
            return facts, f"audit entry {record.seq} is not signed by {record.user}'s key"
        facts.append(_fact(record, holder.role))
    return facts, ""


def upgraded_at(log: AuditLog) -> int:
    """The upgrade entry's number (0: the workspace was made with keys)."""
    return max((r.seq for r in log.records((UPGRADE,))), default=0)


def signed_settings(log: AuditLog, certs: Certificates) -> tuple[dict[str, Any], str]:
    """The settings as admins' signed entries set them (an upgrade carries version 1's), and
    '' or the first entry that does not hold: a value written into the settings table behind
    the Desk's back has no such entry, and does not count."""
    facts, problem = checked_facts(log, log.records(("settings.set", UPGRADE)), certs)
    values: dict[str, Any] = {}
    for fact in facts:
        if fact.outcome != "ok" or fact.role is not Role.ADMIN:
            continue
        if fact.action == UPGRADE:
            values.update(fact.detail.get("settings") or {})
        elif "value" in fact.detail:
            values[fact.target] = fact.detail["value"]
    return values, problem
