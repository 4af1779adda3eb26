"""Named schema migrations, applied in order at open and recorded in `_migrations`.

A migration is never edited once released; a change to the schema is a new entry at the end.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from app.workspace.db import transaction

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def _core(db: sqlite_utils.Database) -> None:
    for sql in (
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('analyst', 'supervisor', 'admin')),
            disabled INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            created_by TEXT,
            password_changed TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            changed TEXT NOT NULL,
            changed_by TEXT NOT NULL
        )""",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL,
            mac TEXT NOT NULL
        )""",
        "CREATE INDEX audit_target ON audit (target)",
        """CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            mac TEXT NOT NULL
        )""",
    ):
        db.execute(sql)


def _lists(db: sqlite_utils.Database) -> None:
    for sql in (
        """CREATE TABLE lists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            file TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            trust TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            enabled INTEGER NOT NULL DEFAULT 1,
            entries INTEGER NOT NULL,
            counts TEXT NOT NULL,
            imported TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE keyring (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE partners (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            public_key TEXT NOT NULL UNIQUE,
            fingerprint TEXT NOT NULL,
            added TEXT NOT NULL,
            added_by TEXT NOT NULL
        )""",
    ):
        db.execute(sql)


MIGRATIONS: list[Migration] = [
    ("0001_users_settings_audit", _core),
    ("0002_lists_keyring_partners", _lists),
]


def apply(db: sqlite_utils.Database, migrations: list[Migration] = MIGRATIONS) -> list[str]:
    """Apply the missing migrations, each in its own transaction; returns their names."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    done: list[str] = []
    for name, migrate in migrations:
        with transaction(db):
            # Checked inside the write lock: another process may have applied it meanwhile.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                continue
            migrate(db)
            db.execute("INSERT INTO _migrations VALUES (?, ?)",
                       [name, datetime.now(UTC).isoformat()])
            done.append(name)
    return done
