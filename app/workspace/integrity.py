"""Is the workspace whole? The database's own integrity check, the audit chain, and the vault
against the items: blobs no item names (left by a killed import) and items whose content is
gone although it was never purged.

A running import writes a marker (`running/import-<pid>`) for as long as it runs: a marker
whose process is dead means an import was killed, and its blobs may be orphans."""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.workspace.workspace import Workspace

RECENT_SECONDS = 600  # a younger orphan may belong to an import still running elsewhere


@dataclass
class IntegrityReport:
    database_ok: bool
    database_problem: str
    audit_ok: bool
    audit_problem: str
    blobs: int
    orphans: list[str] = field(default_factory=list)        # blobs no item names
    recent_orphans: int = 0                                  # kept: an import may be running
    missing: list[int] = field(default_factory=list)        # items whose blob is gone
    removed: int = 0                                         # orphans deleted by a repair
    crashed_imports: int = 0                                 # markers of dead processes

    @property
    def ok(self) -> bool:
        return (self.database_ok and self.audit_ok and not self.orphans and not self.missing
                and not self.recent_orphans)


def _markers(ws: Workspace) -> list[Path]:
    folder = ws.root / "running"
    return sorted(folder.glob("import-*")) if folder.is_dir() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid(marker: Path) -> int:
    try:
        return int(marker.name.removeprefix("import-"))
    except ValueError:
        return 0


def crashed_imports(ws: Workspace) -> list[Path]:
    """Markers left by imports whose process is gone."""
    return [m for m in _markers(ws) if not _alive(_pid(m))]


@contextmanager
def import_running(ws: Workspace) -> Iterator[None]:
    folder = ws.root / "running"
    folder.mkdir(exist_ok=True)
    marker = folder / f"import-{os.getpid()}"
    marker.touch()
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def check(ws: Workspace, repair: bool = False) -> IntegrityReport:
    rows = ws.db.execute("PRAGMA integrity_check").fetchall()
    database_ok = [tuple(r) for r in rows] == [("ok",)]
    audit = ws.audit.verify()
    named = ws.items.blob_names()
    stored = set(ws.vault.names())
    crashed = crashed_imports(ws)
    others_running = any(_alive(_pid(m)) and _pid(m) != os.getpid() for m in _markers(ws))
    report = IntegrityReport(
        database_ok, "" if database_ok else "; ".join(str(r[0]) for r in rows[:5]),
        audit.ok, "" if audit.ok else f"broken at entry {audit.first_bad}: {audit.problem}",
        len(stored), crashed_imports=len(crashed))
    now = time.time()
    for name in sorted(stored - named):
        # with another import running, a young blob may be its item's, not yet committed
        if others_running and now - ws.vault.modified(name) < RECENT_SECONDS:
            report.recent_orphans += 1
        else:
            report.orphans.append(name)
    report.missing = ws.items.items_missing(stored)
    if repair:
        report.removed = sum(ws.vault.delete(name) for name in report.orphans)
        for marker in crashed:
            marker.unlink(missing_ok=True)
    return report
