"""Named schema migrations, applied in order at open and recorded in `_migrations`.

A migration is never edited once released; a change to the schema is a new entry at the end.
The steps are in `schema_history.py` (0001-0008) and `schema_sealed.py` (0009-); a team
server gets the schema they reach at once (`schema_postgres.sql`).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.errors import WorkspaceError
from app.workspace import schema_history as history
from app.workspace import schema_sealed as sealed
from app.workspace.data_keys import DataKeys
from app.workspace.db import Database, transaction

Migration = tuple[str, Callable[[Database, DataKeys], None]]


MIGRATIONS: list[Migration] = [
    ("0001_users_settings_audit", history.core),
    ("0002_lists_keyring_partners", history.lists),
    ("0003_reports_items_sightings_matches", history.intake),
    ("0004_review_assessments_exposures", history.review),
    ("0005_providers_notices", history.takedown),
    ("0006_video_frames", history.video_frames),
    ("0007_user_keys", history.user_keys),
    ("0008_flood_control", history.flood_control),
    ("0009_sealed_data_keys", sealed.sealed_data_keys),
    ("0010_users_by_id", sealed.users_by_id),
    ("0011_sealed_reports", sealed.sealed_reports),
    ("0012_sealed_audit", sealed.sealed_audit),
    ("0013_sealed_hashes", sealed.sealed_hashes),
    ("0014_sealed_lists", sealed.sealed_lists),
    ("0015_sealed_assessments", sealed.sealed_assessments),
    ("0016_sealed_settings", sealed.sealed_settings),
    ("0017_audit_head_trigger", sealed.audit_head_trigger),
    ("0018_audit_in_the_open", sealed.audit_in_the_open),
    ("0019_claims", sealed.claims),
]


def until(name: str) -> list[Migration]:
    """The migrations before `name` (what code written for that schema may read)."""
    return MIGRATIONS[:[n for n, _ in MIGRATIONS].index(name)]


SERVER_SCHEMA = Path(__file__).with_name("schema_postgres.sql")


def create_server_schema(db: Database) -> None:
    """A team workspace's tables on an empty PostgreSQL database: the schema the migrations
    reach, written once in PostgreSQL's words (they are SQLite's history), all of them
    recorded as applied; migrations after these are written for both."""
    with transaction(db):
        db.execute(SERVER_SCHEMA.read_text())
        db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied TEXT)")
        now = datetime.now(UTC).isoformat()
        db.executemany("INSERT INTO _migrations VALUES (?, ?)",
                       [[name, now] for name, _ in MIGRATIONS])


def apply(db: Database, keys: DataKeys, migrations: list[Migration] = MIGRATIONS) -> list[str]:
    """Apply the missing migrations, each in its own transaction; returns their names. (A
    team server's schema is made whole by `create_server_schema`.)"""
    if db.dialect == "postgres":
        applied = {r[0] for r in db.execute("SELECT name FROM _migrations")}
        missing = [name for name, _ in migrations if name not in applied]
        if missing:
            raise WorkspaceError(f"the team server's schema lacks {missing}; this version "
                                 "cannot upgrade a team workspace yet")
        return []
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    applied = {r[0] for r in db.execute("SELECT name FROM _migrations")}
    if all(name in applied for name, _ in migrations):
        return []
    done: list[str] = []
    db.execute("PRAGMA foreign_keys = OFF")  # tables are rebuilt; checked before each commit
    try:
        for name, migrate in migrations:
            with transaction(db):
                # Checked inside the write lock: another process may have applied it meanwhile.
                if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                    continue
                migrate(db, keys)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise WorkspaceError(f"migration {name} would break references: {broken[:3]}")
                db.execute("INSERT INTO _migrations VALUES (?, ?)",
                           [name, datetime.now(UTC).isoformat()])
                done.append(name)
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return done
