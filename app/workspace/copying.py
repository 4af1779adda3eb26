"""A workspace copied to another place: a folder into a team's server, or back.

The copy is the same workspace, not a new one: the same key file (so the same passwords
open it), the same master key and data keys, every row as it was written (sealed values stay
sealed, the audit chain keeps its hashes and signatures), every blob under its own name and
key epoch (re-packed only: a folder keeps a blob in one file, a server in 1 MiB chunks), the
list files as they are. It is verified before it counts: row counts of every table, every
blob's content checksum against the source's, the audit chain walked on the copy and its
head equal to the source's. The key file is written last, so an interrupted copy is never a
workspace (and the destination, not empty, is refused until cleared).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import WorkspaceError
from app.workspace import audit_check, migrations
from app.workspace.data_keys import DataKeys
from app.workspace.db import Database, transaction
from app.workspace.keys import KeyFile
from app.workspace.places import Place
from app.workspace.upgrade import LEGACY_AUDIT
from app.workspace.users import Role
from app.workspace.workspace import Workspace

# In an order that references allow (each table's rows refer only to those before it).
TABLES = ("users", "settings", "secrets", "keyring", "lists", "partners", "reports", "items",
          "item_frames", "sightings", "matches", "quarantines", "assessments", "exposures",
          "providers", "notices", "notice_urls", "audit")
_WITH_IDS = tuple(t for t in TABLES if t not in ("settings", "secrets", "keyring", "audit"))


@dataclass
class CopyReport:
    source: str
    destination: str
    rows: dict[str, int]
    blobs: int
    list_files: int
    audit_entries: int
    logins: dict[str, str] = field(default_factory=dict)  # user -> database login (a server)


def _copy_rows(src: Database, dst: Database) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        cursor = src.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        rows = [list(r) for r in cursor.fetchall()]
        if rows:
            dst.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                            f"({', '.join('?' * len(columns))})", rows)
        counts[table] = len(rows)
    for table in _WITH_IDS:
        dst.continue_ids(table)
    return counts


def _count(db: Database) -> dict[str, int]:
    return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}


def copy_workspace(src: Workspace, dst: Place, users: dict[str, tuple[Role, bool]],
                   audit: Callable[[Workspace, CopyReport], None]) -> CopyReport:
    """Copy the open workspace `src` to the empty place `dst`, verified; the caller (the
    Desk) has checked who may, gives every user's certified role and whether they are
    active (for their database logins on a server), and writes the copy's first own entry
    with `audit`."""
    dst.prepare()
    db = dst.connect(src.master)
    try:
        migrations.apply(db, DataKeys(db, {}))
        with transaction(db):
            rows = _copy_rows(src.db, db)
    finally:
        db.close()
    copy = Workspace(dst, KeyFile(dst.key_store(), src.keys.data()), src.master, src.epoch,
                     src.session)
    try:
        blobs = _copy_blobs(src, copy)
        files = _copy_list_files(src, copy)
        logins = _logins(copy, users)
        _verify(src, copy, rows)
        report = CopyReport(src.place.where, dst.where, rows, blobs, files,
                            copy.audit.extent()[0], logins)
        audit(copy, report)
        with dst.keys_locked():
            KeyFile(dst.key_store(), src.keys.data()).save()  # last: now it is a workspace
    finally:
        copy.close()
    return report


def _copy_blobs(src: Workspace, dst: Workspace) -> int:
    count = 0
    for name in src.vault.names():
        data = src.vault.get(name)
        dst.vault.put_as(name, src.vault.epoch_of(name), data)
        if hashlib.sha256(dst.vault.get(name)).digest() != hashlib.sha256(data).digest():
            raise WorkspaceError(f"blob {name[:12]}… did not copy whole")
        count += 1
    return count


def _copy_list_files(src: Workspace, dst: Workspace) -> int:
    source, target = src.place.files(src.db), dst.place.files(dst.db)
    names = [r[0] for r in src.db.execute("SELECT file FROM lists ORDER BY id")]
    for name in names:
        with source.read(name) as fh:
            data = fh.read()
        target.write(name, lambda out, data=data: out.write(data))  # type: ignore[misc]
    return len(names)


def _logins(dst: Workspace, users: dict[str, tuple[Role, bool]]) -> dict[str, str]:
    """A database login for every user, in the group of their certified role, on a server
    (a folder has none); a disabled user's cannot sign in."""
    made = {}
    for name, (role, active) in users.items():
        user_id = dst.users.id_of(name)
        login = dst.logins.add(user_id, role)
        if login is None:
            break
        if not active:
            dst.logins.set_enabled(user_id, False)
        made[name] = login
    return made


def _verify(src: Workspace, dst: Workspace, rows: dict[str, int]) -> None:
    counted = _count(dst.db)
    if counted != rows or _count(src.db) != rows:
        wrong = [t for t in TABLES if counted[t] != rows[t]]
        raise WorkspaceError(f"the copy's row counts differ from the source's: {wrong}")
    check, _ = audit_check.walk(dst.audit, legacy_key=dst.data_keys.keys(LEGACY_AUDIT).get(0))
    if not check.ok:
        raise WorkspaceError(f"the copy's audit chain does not verify: {check.problem}")
    if dst.audit.head() != src.audit.head():
        raise WorkspaceError("the copy's audit log does not end where the source's does")
