"""Desk actions on the audit log: verify the chain, read entries."""

from app.desk.base import DeskBase
from app.workspace.audit import AuditCheck, AuditEntry
from app.workspace.users import Role


class AuditActions(DeskBase):
    def verify_audit(self) -> AuditCheck:
        """Walk the chain. The check itself is audited, with its outcome."""
        with self._action("audit.verify") as detail:
            check = self._ws.audit.verify()
            detail.update(ok=check.ok, entries=check.entries, first_bad=check.first_bad)
        return check

    def audit_entries(self, target: str | None = None, user: str | None = None,
                      action: str | None = None, limit: int = 200,
                      before: int | None = None) -> list[AuditEntry]:
        """Admins and supervisors see everything; an analyst sees their own entries."""
        self._refresh_user()
        if self._user.role is Role.ANALYST:
            user = self._user.name
        return self._ws.audit.entries(target, user, action, limit, before)
