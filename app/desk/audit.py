"""Desk actions on the audit log: verify the chain, read entries."""

import contextlib
from dataclasses import replace

from app.desk.base import ADMIN, DeskBase
from app.errors import NotFound
from app.review import signed_review
from app.workspace import anchors, audit_check, integrity
from app.workspace.anchors import Anchor
from app.workspace.audit import AuditCheck, AuditEntry
from app.workspace.certificates import TamperedError
from app.workspace.db import transaction
from app.workspace.integrity import CrashCleanup, IntegrityReport
from app.workspace.upgrade import LEGACY_AUDIT
from app.workspace.users import Role


class AuditActions(DeskBase):
    def verify_audit(self, anchor: str | None = None, full: bool = False) -> AuditCheck:
        """Walk the chain: every link, every signature against the key its signer held (the
        certificates replayed from the first, root-signed entry), the head, and the review
        rules re-checked from the signed facts alone. Signatures an earlier verification on
        this workstation checked are taken as checked unless `full`. With `anchor` (a code
        `hotline audit anchor` printed earlier), the log must still hold that entry.
        Audited."""
        seen = Anchor.parse(anchor) if anchor else None
        checked = None if full else anchors.remembered(self._ws.root, self._user.name,
                                                       "verified")
        with contextlib.suppress(TamperedError):
            self._refresh_user()  # a tampered workspace is exactly what this must look at
        with transaction(self._ws.db):
            check, facts = audit_check.walk(self._ws.audit, checked,
                                            self._ws.data_keys.keys(LEGACY_AUDIT).get(0))
            if check.ok:
                _, seq, problem = signed_review.replay(facts)
                if problem:
                    check = AuditCheck(False, check.entries, seq,
                                       f"review rule broken at {problem}")
            if check.ok and seen is not None:
                problem = anchors.disagreement(seen, self._ws.audit)
                if problem:
                    check = AuditCheck(False, check.entries, seen.seq, problem)
            self._ws.audit.append("audit.verify", "", "ok", {
                "ok": check.ok, "entries": check.entries, "first_bad": check.first_bad,
                "full": checked is None})
        if check.ok:
            anchors.remember(self._ws.root, self._user.name,
                             Anchor(check.entries, check.head), "verified")
        return check

    def audit_anchor(self) -> str:
        """The log's head as a short code to write down or send (`audit verify --anchor`)."""
        self._refresh_user()
        return anchors.current(self._ws.audit, self.root_fingerprint).code

    @property
    def root_fingerprint(self) -> str:
        """The fingerprint of the workspace's root key (the first admin's), as certified;
        '' when the signed entries that certify it do not hold."""
        try:
            root = self._certificates().root
        except TamperedError:
            return ""
        return root.fingerprint if root else ""

    def audit_actions(self) -> list[str]:
        """Every kind of action the log holds, for a filter."""
        self._refresh_user()
        return self._ws.audit.actions()

    def audit_entries(self, target: str | None = None, user: str | None = None,
                      action: str | None = None, limit: int = 200,
                      before: int | None = None, since: str | None = None,
                      until: str | None = None) -> list[AuditEntry]:
        """Admins and supervisors see everything; an analyst sees their own entries."""
        self._refresh_user()
        if self._user.role is Role.ANALYST:
            user = self._user.name
        entries = self._ws.audit.entries(target, user, action, limit, before, since, until)
        return [self._blinded(e) for e in entries]

    def _blinded(self, entry: AuditEntry) -> AuditEntry:
        """Blind means blind on this read path too: someone else's verdict on an item that is
        not settled, and the state it led to, are hidden from whoever has not given theirs.
        The upgrade entry's carried review states are shown only as a count."""
        if entry.action == "workspace.upgrade" and "carried" in entry.detail:
            carried = len(entry.detail["carried"])
            return replace(entry, detail={**entry.detail, "carried": f"{carried} items' "
                                          "review states (checked by audit verify)"})
        if entry.action != "item.assess" or entry.user.casefold() == \
                self._user.name.casefold() or not entry.target.isdigit():
            return entry
        if not {"verdict", "state"} & entry.detail.keys():
            return entry
        try:
            blind = self.blind_to(int(entry.target))
        except NotFound:
            blind = False  # the item is gone (purged record): nothing left to bias
        if not blind:
            return entry
        hidden = {k: ("hidden until you give yours" if k in ("verdict", "state") else v)
                  for k, v in entry.detail.items()}
        return replace(entry, detail=hidden)

    def check_workspace(self, repair: bool = False) -> IntegrityReport:
        """`hotline workspace check`: the database, the audit chain and the vault against the
        items; `repair` (admins) deletes the blobs no item names. Audited with what it found.
        """
        if repair:
            self._check_role("workspace.repair", "", ADMIN, "repair the workspace")
        else:
            self._refresh_user()
        report = integrity.check(self._ws, repair)
        with transaction(self._ws.db):
            self._ws.audit.append(
                "workspace.repair" if repair else "workspace.check", "",
                "ok" if report.passed else "problems",
                {"database_ok": report.database_ok, "audit_ok": report.audit_ok,
                 "blobs": report.blobs, "orphans": len(report.orphans),
                 "recent_orphans": report.recent_orphans, "missing": len(report.missing),
                 "removed": report.removed, "crashed_imports": report.crashed_imports})
        return report

    def clean_up_after_a_crash(self) -> CrashCleanup | None:
        """At sign-in: an import was killed (its marker outlived its process): the blobs it
        stored without their items are removed, audited. None when nothing crashed."""
        done = integrity.clean_up_after_a_crash(self._ws)
        if done is not None:
            with transaction(self._ws.db):
                self._ws.audit.append("workspace.repair", "after a crash",
                                      "ok", {"orphans": done.orphans, "removed": done.removed,
                                             "crashed_imports": done.crashed_imports})
        return done
