"""Desk action: a workspace copied into another place (a folder into a team server, or
back), verified by the workspace layer (`app.workspace.copying`), audited in both."""

from pathlib import Path

from app.desk.base import ADMIN
from app.desk.users import UserActions
from app.workspace import copying
from app.workspace.copying import CopyReport
from app.workspace.db import transaction
from app.workspace.places import place_for
from app.workspace.workspace import Workspace


class CopyActions(UserActions):
    def copy_workspace(self, destination: Path | str) -> CopyReport:
        """`hotline workspace copy`: this workspace into an empty folder or team server (or a
        team's back into a folder), verified by row counts, blob checksums and the audit
        chain; admins only, audited in both. The copy opens with the same passwords; on a
        server every user gets a database login (in the report)."""
        self._check_role("workspace.copy", str(destination), ADMIN, "copy the workspace")
        def audited(ws: Workspace, report: CopyReport, action: str, other: str) -> None:
            with transaction(ws.db):
                ws.audit.append(action, other, "ok", {
                    "from": report.source, "to": report.destination, "rows": report.rows,
                    "blobs": report.blobs, "list_files": report.list_files,
                    "audit_entries": report.audit_entries})

        place = place_for(destination)
        try:
            report = copying.copy_workspace(
                self._ws, place, {u.name: (u.role, not u.disabled) for u in self.list_users()},
                lambda copy, r: audited(copy, r, "workspace.copied", r.source))
        finally:
            place.close()
        audited(self._ws, report, "workspace.copy", report.destination)
        return report
