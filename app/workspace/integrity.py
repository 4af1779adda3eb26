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

from app.workspace import audit_check
from app.workspace.upgrade import LEGACY_AUDIT
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
    repaired: bool = False                                   # a repair ran

    @property
    def sound(self) -> bool:
        """Nothing a repair can mend is wrong: the database, the chain, no missing content."""
        return self.database_ok and self.audit_ok and not self.missing

    @property
    def ok(self) -> bool:
        return self.sound and not self.orphans and not self.recent_orphans

    @property
    def passed(self) -> bool:
        """The check's verdict: whole, or whole once the repair that ran removed orphans."""
        return self.ok or (self.repaired and self.sound)


def _markers(ws: Workspace) -> list[Path]:
    folder = ws.root / "running"
    return sorted(folder.glob("import-*")) if folder.is_dir() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def _pid(marker: Path) -> int:
    try:
        return int(marker.name.removeprefix("import-"))
    except ValueError:
        return 0


@contextmanager
def import_running(ws: Workspace) -> Iterator[None]:
    folder = ws.root / "running"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    marker = folder / f"import-{os.getpid()}"
    marker.touch()
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


@dataclass
class _Vault:
    """The vault against the items, from one listing of each."""

    blobs: int
    orphans: list[str]
    recent_orphans: int
    missing: list[int]


def _vault(ws: Workspace, others_running: bool) -> _Vault:
    named = ws.items.blobs()
    stored = set(ws.vault.names())
    in_use = set(named.values())
    orphans, recent, now = [], 0, time.time()
    for name in sorted(stored - in_use):
        # with another import running, a young blob may be its item's, not yet committed
        if others_running and now - ws.vault.modified(name) < RECENT_SECONDS:
            recent += 1
        else:
            orphans.append(name)
    return _Vault(len(stored), orphans, recent,
                  [item for item, blob in named.items() if blob not in stored])


def _imports(ws: Workspace) -> tuple[list[Path], bool]:
    """(markers of killed imports, whether another import is running now)."""
    crashed, others = [], False
    for marker in _markers(ws):
        pid = _pid(marker)
        if not _alive(pid):
            crashed.append(marker)
        elif pid != os.getpid():
            others = True
    return crashed, others


def _remove(ws: Workspace, orphans: list[str], crashed: list[Path]) -> int:
    removed = sum(ws.vault.delete(name) for name in orphans)
    for marker in crashed:
        marker.unlink(missing_ok=True)
    return removed


def check(ws: Workspace, repair: bool = False) -> IntegrityReport:
    problems = ws.place.database_problems(ws.db)
    database_ok = not problems
    audit, _ = audit_check.walk(ws.audit, legacy_key=ws.data_keys.keys(LEGACY_AUDIT).get(0))
    crashed, others_running = _imports(ws)
    vault = _vault(ws, others_running)
    report = IntegrityReport(
        database_ok, "; ".join(problems),
        audit.ok, "" if audit.ok else f"broken at entry {audit.first_bad}: {audit.problem}",
        vault.blobs, vault.orphans, vault.recent_orphans, vault.missing,
        crashed_imports=len(crashed), repaired=repair)
    if repair:
        report.removed = _remove(ws, vault.orphans, crashed)
    return report


@dataclass(frozen=True)
class CrashCleanup:
    crashed_imports: int
    orphans: int
    removed: int


def clean_up_after_a_crash(ws: Workspace) -> CrashCleanup | None:
    """A killed import's orphan blobs removed, and its marker; None when nothing crashed. Only
    the vault is looked at (no integrity check or chain walk at sign-in)."""
    crashed, others_running = _imports(ws)
    if not crashed:
        return None
    vault = _vault(ws, others_running)
    return CrashCleanup(len(crashed), len(vault.orphans), _remove(ws, vault.orphans, crashed))
