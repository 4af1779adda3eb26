"""Named schema migrations, applied in order at open and recorded in `_migrations`.

A migration is never edited once released; a change to the schema is a new entry at the end.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.errors import WorkspaceError
from app.workspace.audit import VERDICT_ACTIONS
from app.workspace.data_keys import DataKeys
from app.workspace.db import Database, transaction
from app.workspace.sealing import normalised

Migration = tuple[str, Callable[[Database, DataKeys], None]]


def _core(db: Database, keys: DataKeys) -> None:
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


def _lists(db: Database, keys: DataKeys) -> None:
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


def _intake(db: Database, keys: DataKeys) -> None:
    for sql in (
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE COLLATE NOCASE,
            source TEXT NOT NULL CHECK (source IN
                ('public', 'partner_hotline', 'police', 'proactive', 'other')),
            received TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            created_by TEXT NOT NULL
        )""",
        """CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            md5 TEXT NOT NULL,
            sha1 TEXT NOT NULL,
            pdq TEXT,
            pdq_quality INTEGER,
            kind TEXT NOT NULL CHECK (kind IN ('image', 'video')),
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            width INTEGER,
            height INTEGER,
            blob TEXT,
            status TEXT NOT NULL CHECK (status IN ('known', 'near', 'unknown')),
            first_report INTEGER NOT NULL REFERENCES reports (id),
            created TEXT NOT NULL
        )""",
        "CREATE INDEX items_md5 ON items (md5)",
        "CREATE INDEX items_sha1 ON items (sha1)",
        "CREATE INDEX items_status ON items (status)",
        """CREATE TABLE sightings (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports (id),
            item_id INTEGER REFERENCES items (id),
            kind TEXT NOT NULL CHECK (kind IN ('media', 'link', 'error')),
            source TEXT NOT NULL,
            page TEXT,
            final_url TEXT,
            http_status INTEGER,
            content_type TEXT,
            ip TEXT,
            country TEXT,
            asn INTEGER,
            organisation TEXT,
            seen TEXT NOT NULL,
            duplicate INTEGER NOT NULL DEFAULT 0,
            error TEXT
        )""",
        "CREATE UNIQUE INDEX sightings_once ON sightings (report_id, kind, source)"
        " WHERE kind != 'error'",
        "CREATE INDEX sightings_item ON sightings (item_id)",
        """CREATE TABLE matches (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items (id),
            list_name TEXT NOT NULL,
            list_trust TEXT,
            hash_kind TEXT NOT NULL,
            distance INTEGER NOT NULL,
            verdict TEXT,
            category TEXT,
            other_item INTEGER REFERENCES items (id),
            matched TEXT NOT NULL
        )""",
        "CREATE INDEX matches_item ON matches (item_id)",
    ):
        db.execute(sql)


def _review(db: Database, keys: DataKeys) -> None:
    for sql in (
        "ALTER TABLE items ADD COLUMN state TEXT NOT NULL DEFAULT 'round1'",
        "ALTER TABLE items ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE items ADD COLUMN machine_verdict TEXT",
        "ALTER TABLE items ADD COLUMN machine_list TEXT",
        "ALTER TABLE items ADD COLUMN final_verdict TEXT",
        "ALTER TABLE items ADD COLUMN final_at TEXT",
        "ALTER TABLE items ADD COLUMN confirmed_by TEXT",
        "ALTER TABLE items ADD COLUMN purged_at TEXT",
        "CREATE INDEX items_state ON items (state)",
        """CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items (id),
            cycle INTEGER NOT NULL,
            round INTEGER NOT NULL CHECK (round BETWEEN 1 AND 4),
            user TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('baseline', 'national', 'not_illegal')),
            age_group TEXT,
            gender TEXT,
            site_type TEXT,
            commercial INTEGER,
            category TEXT,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            UNIQUE (item_id, cycle, round),
            UNIQUE (item_id, cycle, user)
        )""",
        "CREATE INDEX assessments_user ON assessments (user)",
        """CREATE TABLE exposures (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            item_id INTEGER NOT NULL REFERENCES items (id),
            started TEXT NOT NULL,
            seconds REAL NOT NULL,
            day TEXT NOT NULL
        )""",
        "CREATE INDEX exposures_day ON exposures (user, day)",
    ):
        db.execute(sql)


def _takedown(db: Database, keys: DataKeys) -> None:
    for sql in (
        """CREATE TABLE providers (
            id INTEGER PRIMARY KEY,
            asn INTEGER NOT NULL UNIQUE,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            added TEXT NOT NULL,
            added_by TEXT NOT NULL
        )""",
        """CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('notice', 'referral')),
            country TEXT,
            asn INTEGER,
            state TEXT NOT NULL CHECK (state IN
                ('draft', 'sent', 'partially_removed', 'removed', 'closed')),
            created TEXT NOT NULL,
            created_by TEXT NOT NULL,
            sent_at TEXT,
            sent_by TEXT,
            closed_at TEXT
        )""",
        """CREATE TABLE notice_urls (
            id INTEGER PRIMARY KEY,
            notice_id INTEGER NOT NULL REFERENCES notices (id),
            sighting_id INTEGER NOT NULL UNIQUE REFERENCES sightings (id),
            item_id INTEGER NOT NULL REFERENCES items (id),
            url TEXT NOT NULL,
            removed_at TEXT,
            last_check TEXT,
            last_result TEXT
        )""",
        "CREATE INDEX notice_urls_notice ON notice_urls (notice_id)",
    ):
        db.execute(sql)


def _video_frames(db: Database, keys: DataKeys) -> None:
    db.execute("""CREATE TABLE item_frames (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        seconds REAL NOT NULL,
        pdq TEXT NOT NULL,
        quality INTEGER NOT NULL
    )""")
    db.execute("CREATE INDEX item_frames_item ON item_frames (item_id)")
    db.execute("ALTER TABLE items ADD COLUMN duration REAL")


def _user_keys(db: Database, keys: DataKeys) -> None:
    """Per-user key pairs: signed audit entries, certified public keys, key epochs for the
    data keys (so that disabling a user can move to a new master key), versioned list files."""
    for sql in (
        "ALTER TABLE audit ADD COLUMN signer TEXT",
        "ALTER TABLE audit ADD COLUMN sig TEXT",
        "CREATE INDEX audit_action ON audit (action)",
        "ALTER TABLE users ADD COLUMN public_key TEXT",
        "ALTER TABLE users ADD COLUMN slot TEXT",
        "ALTER TABLE lists ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE lists ADD COLUMN key_epoch INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE secrets (
            purpose TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY (purpose, epoch)
        )""",
    ):
        db.execute(sql)


def _flood_control(db: Database, keys: DataKeys) -> None:
    """Which list entry a match hit and whether the list holds known false positives (a
    negative list); lists and entries held after hitting too many items too fast."""
    for sql in (
        "ALTER TABLE matches ADD COLUMN entry INTEGER",
        "ALTER TABLE matches ADD COLUMN negative INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX matches_list_entry ON matches (list_name, entry, matched)",
        """CREATE TABLE quarantines (
            id INTEGER PRIMARY KEY,
            list_name TEXT NOT NULL,
            entry INTEGER,
            items INTEGER NOT NULL,
            hours INTEGER NOT NULL,
            since TEXT NOT NULL,
            released TEXT,
            released_by TEXT
        )""",
        "CREATE INDEX quarantines_list ON quarantines (list_name, released)",
    ):
        db.execute(sql)


_NAMED_BY = (("settings", "changed_by"), ("lists", "imported_by"), ("partners", "added_by"),
             ("reports", "created_by"), ("items", "confirmed_by"), ("providers", "added_by"),
             ("notices", "created_by"), ("notices", "sent_by"),
             ("quarantines", "released_by"))


def _users_by_id(db: Database, keys: DataKeys) -> None:
    """Users referred to by id everywhere, their names sealed and found by a keyed lookup (a
    team's database server must not hold user names; its row-level policies need ids)."""
    users = db.execute("SELECT id, name, role, disabled, created, created_by,"
                       " password_changed, public_key, slot FROM users").fetchall()
    sealer = keys.sealer() if users else None
    ids = {normalised(row[1]): row[0] for row in users}

    def id_of(name: str | None) -> int | None:
        if name is None or name == "":
            return None
        if normalised(name) not in ids:
            raise WorkspaceError(f"the workspace names a user {name!r} it does not have")
        return ids[normalised(name)]

    db.execute("DROP TABLE users")
    db.execute("""CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name BLOB NOT NULL,
        name_key BLOB NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('analyst', 'supervisor', 'admin')),
        disabled INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        created_by INTEGER REFERENCES users (id),
        password_changed TEXT NOT NULL,
        public_key TEXT,
        slot TEXT
    )""")
    for row in users:
        assert sealer is not None
        db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [row[0], sealer.seal("users.name", row[1]),
                    sealer.lookup("users.name", row[1]), row[2], row[3], row[4],
                    id_of(row[5]), row[6], row[7], row[8]])
    for table, column in _NAMED_BY:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}_id INTEGER REFERENCES users (id)")
        for (name,) in db.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall():
            db.execute(f"UPDATE {table} SET {column}_id = ? WHERE {column} = ?",
                       [id_of(name), name])
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute(f"ALTER TABLE {table} RENAME COLUMN {column}_id TO {column}")
    _rebuild_with_user_id(db, "assessments", """CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        cycle INTEGER NOT NULL,
        round INTEGER NOT NULL CHECK (round BETWEEN 1 AND 4),
        user_id INTEGER NOT NULL REFERENCES users (id),
        verdict TEXT NOT NULL CHECK (verdict IN ('baseline', 'national', 'not_illegal')),
        age_group TEXT,
        gender TEXT,
        site_type TEXT,
        commercial INTEGER,
        category TEXT,
        note TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        UNIQUE (item_id, cycle, round),
        UNIQUE (item_id, cycle, user_id)
    )""", id_of)
    db.execute("CREATE INDEX assessments_user ON assessments (user_id)")
    _rebuild_with_user_id(db, "exposures", """CREATE TABLE exposures (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        item_id INTEGER NOT NULL REFERENCES items (id),
        started TEXT NOT NULL,
        seconds REAL NOT NULL,
        day TEXT NOT NULL
    )""", id_of)
    db.execute("CREATE INDEX exposures_day ON exposures (user_id, day)")


def _rebuild_with_user_id(db: Database, table: str, create: str,
                          id_of: Callable[[str | None], int | None]) -> None:
    """A table whose `user` column (a name) becomes `user_id`; nothing refers to it."""
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
    rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    at = columns.index("user")
    db.execute(f"DROP TABLE {table}")
    db.execute(create)
    names = ", ".join("user_id" if c == "user" else c for c in columns)
    db.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                   [[*row[:at], id_of(row[at]), *row[at + 1:]] for row in rows])


def _rebuild(db: Database, table: str, create: str, indexes: tuple[str, ...],
             convert: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """A table in a new shape (SQLite's way: read, drop, create, fill, index); `convert` turns
    an old row into a new one. Foreign keys are off while migrations run."""
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
    rows = [convert(dict(zip(columns, row, strict=True)))
            for row in db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()]
    db.execute(f"DROP TABLE {table}")
    db.execute(create)
    if rows:
        names = list(rows[0])
        db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                       f"({', '.join('?' * len(names))})", [list(r.values()) for r in rows])
    for sql in indexes:
        db.execute(sql)


def _sealed_reports(db: Database, keys: DataKeys) -> None:
    """What was reported and where it was seen, sealed on the workstation: report references
    and notes, sightings' URLs, addresses, organisations and errors, notice URLs and re-check
    results, providers' names and contacts. References and sighting URLs are found by keyed
    lookups (a reference whatever its case; a URL exactly)."""
    sealer = keys.sealer() if db.execute(
        "SELECT 1 FROM secrets LIMIT 1").fetchone() else None

    def sealed(table: str, *columns: str, **lookups: tuple[str, bool]
               ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def convert(row: dict[str, Any]) -> dict[str, Any]:
            assert sealer is not None, "rows to seal but no data keys"
            out = dict(row)
            for key, (column, exact) in lookups.items():
                out[key] = sealer.lookup(f"{table}.{column}", row[column], exact)
            for column in columns:
                out[column] = sealer.seal(f"{table}.{column}", row[column])
            return out
        return convert

    _rebuild(db, "reports", """CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        reference BLOB NOT NULL,
        reference_key BLOB NOT NULL UNIQUE,
        source TEXT NOT NULL CHECK (source IN
            ('public', 'partner_hotline', 'police', 'proactive', 'other')),
        received TEXT NOT NULL,
        note BLOB,
        created TEXT NOT NULL,
        created_by INTEGER REFERENCES users (id)
    )""", (), sealed("reports", "reference", "note", reference_key=("reference", False)))
    _rebuild(db, "sightings", """CREATE TABLE sightings (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports (id),
        item_id INTEGER REFERENCES items (id),
        kind TEXT NOT NULL CHECK (kind IN ('media', 'link', 'error')),
        source BLOB NOT NULL,
        source_key BLOB NOT NULL,
        page BLOB,
        final_url BLOB,
        http_status INTEGER,
        content_type TEXT,
        ip BLOB,
        country TEXT,
        asn INTEGER,
        organisation BLOB,
        seen TEXT NOT NULL,
        duplicate INTEGER NOT NULL DEFAULT 0,
        error BLOB
    )""", ("CREATE UNIQUE INDEX sightings_once ON sightings (report_id, kind, source_key)"
           " WHERE kind != 'error'",
           "CREATE INDEX sightings_item ON sightings (item_id)"),
        sealed("sightings", "source", "page", "final_url", "ip", "organisation", "error",
               source_key=("source", True)))
    _rebuild(db, "notice_urls", """CREATE TABLE notice_urls (
        id INTEGER PRIMARY KEY,
        notice_id INTEGER NOT NULL REFERENCES notices (id),
        sighting_id INTEGER NOT NULL UNIQUE REFERENCES sightings (id),
        item_id INTEGER NOT NULL REFERENCES items (id),
        url BLOB NOT NULL,
        removed_at TEXT,
        last_check TEXT,
        last_result BLOB
    )""", ("CREATE INDEX notice_urls_notice ON notice_urls (notice_id)",),
        sealed("notice_urls", "url", "last_result"))
    _rebuild(db, "providers", """CREATE TABLE providers (
        id INTEGER PRIMARY KEY,
        asn INTEGER NOT NULL UNIQUE,
        name BLOB NOT NULL,
        email BLOB NOT NULL,
        address BLOB,
        language TEXT NOT NULL DEFAULT 'en',
        added TEXT NOT NULL,
        added_by INTEGER REFERENCES users (id)
    )""", (), sealed("providers", "name", "email", "address"))


def _sealed_audit(db: Database, keys: DataKeys) -> None:
    """The audit log's actor (`user` before: a word PostgreSQL reserves), target and detail
    sealed; actors found by keyed lookups whatever their case, targets exactly."""
    sealer = keys.sealer() if db.execute(
        "SELECT 1 FROM audit LIMIT 1").fetchone() else None

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        assert sealer is not None, "entries to seal but no data keys"
        out = dict(row, actor=row.pop("user"))
        for column in ("actor", "target"):
            out[f"{column}_key"] = sealer.lookup(f"audit.{column}", out[column],
                                                 exact=column == "target")
        for column in ("actor", "target", "detail"):
            out[column] = sealer.seal(f"audit.{column}", out[column])
        return out

    _rebuild(db, "audit", """CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor BLOB NOT NULL,
        actor_key BLOB NOT NULL,
        signer TEXT,
        action TEXT NOT NULL,
        target BLOB NOT NULL,
        target_key BLOB NOT NULL,
        outcome TEXT NOT NULL,
        detail BLOB NOT NULL,
        mac TEXT NOT NULL,
        sig TEXT
    )""", ("CREATE INDEX audit_target ON audit (target_key)",
           "CREATE INDEX audit_actor ON audit (actor_key)",
           "CREATE INDEX audit_action ON audit (action)"), convert)


_HASHES = ("sha256", "md5", "sha1", "pdq")


def _sealed_hashes(db: Database, keys: DataKeys) -> None:
    """Items' hashes sealed, each found by a keyed lookup: a server that cannot compute the
    lookup cannot test whether a known file is in the workspace. Video frame hashes sealed
    (near search runs on the workstation over the opened hashes). The list that gave an
    item its machine verdict sealed, found by the list name's lookup."""
    sealer = keys.sealer() if db.execute(
        "SELECT 1 FROM items LIMIT 1").fetchone() else None

    def item(row: dict[str, Any]) -> dict[str, Any]:
        assert sealer is not None, "items to seal but no data keys"
        out = dict(row)
        listed = row["machine_list"]
        out["machine_list"] = sealer.seal("items.machine_list", listed)
        out["machine_list_key"] = None if listed is None else sealer.lookup("lists.name", listed)
        for column in _HASHES:
            value = row[column]
            out[f"{column}_key"] = None if value is None else sealer.lookup(
                f"items.{column}", value)
            out[column] = sealer.seal(f"items.{column}", value)
        return out

    def frame(row: dict[str, Any]) -> dict[str, Any]:
        assert sealer is not None, "frames to seal but no data keys"
        return dict(row, pdq=sealer.seal("item_frames.pdq", row["pdq"]))

    _rebuild(db, "items", """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        sha256 BLOB NOT NULL,
        sha256_key BLOB NOT NULL UNIQUE,
        md5 BLOB NOT NULL,
        md5_key BLOB NOT NULL,
        sha1 BLOB NOT NULL,
        sha1_key BLOB NOT NULL,
        pdq BLOB,
        pdq_key BLOB,
        pdq_quality INTEGER,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'video')),
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        blob TEXT,
        status TEXT NOT NULL CHECK (status IN ('known', 'near', 'unknown')),
        first_report INTEGER NOT NULL REFERENCES reports (id),
        created TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'round1',
        cycle INTEGER NOT NULL DEFAULT 1,
        machine_verdict TEXT,
        machine_list BLOB,
        machine_list_key BLOB,
        final_verdict TEXT,
        final_at TEXT,
        confirmed_by INTEGER REFERENCES users (id),
        purged_at TEXT,
        duration REAL
    )""", ("CREATE INDEX items_md5 ON items (md5_key)",
           "CREATE INDEX items_sha1 ON items (sha1_key)",
           "CREATE INDEX items_pdq ON items (pdq_key)",
           "CREATE INDEX items_status ON items (status)",
           "CREATE INDEX items_state ON items (state)"), item)
    _rebuild(db, "item_frames", """CREATE TABLE item_frames (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        seconds REAL NOT NULL,
        pdq BLOB NOT NULL,
        quality INTEGER NOT NULL
    )""", ("CREATE INDEX item_frames_item ON item_frames (item_id)",), frame)


def _sealed_data_keys(db: Database, keys: DataKeys) -> None:
    """The data keys sealed under the master key (they were bare, inside SQLCipher): a
    database server must hold no key it can use."""
    keys.seal_plain_keys()


def _sealed_lists(db: Database, keys: DataKeys) -> None:
    """Hash lists' and partners' names, sources and origins sealed, found by keyed lookups of
    the names (whatever their case); the names matches and holds carry, too; the workspace's
    own key pair (it signs the lists the hotline shares) sealed."""
    sealer = keys.sealer() if keys.current() >= 0 else None

    def convert(table: str, columns: tuple[str, ...], named: str, key: str
                ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def seal(row: dict[str, Any]) -> dict[str, Any]:
            assert sealer is not None, "rows to seal but no data keys"
            out = dict(row)
            out[key] = sealer.lookup("lists.name" if table != "partners" else "partners.name",
                                     row[named])
            for column in columns:
                out[column] = sealer.seal(f"{table}.{column}", row[column])
            return out
        return seal

    _rebuild(db, "lists", """CREATE TABLE lists (
        id INTEGER PRIMARY KEY,
        name BLOB NOT NULL,
        name_key BLOB NOT NULL UNIQUE,
        file TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL,
        trust TEXT NOT NULL,
        source BLOB,
        enabled INTEGER NOT NULL DEFAULT 1,
        entries INTEGER NOT NULL,
        counts TEXT NOT NULL,
        imported TEXT NOT NULL,
        imported_by INTEGER REFERENCES users (id),
        origin BLOB,
        version INTEGER NOT NULL DEFAULT 0,
        key_epoch INTEGER NOT NULL DEFAULT 0
    )""", (), convert("lists", ("name", "source", "origin"), "name", "name_key"))
    _rebuild(db, "partners", """CREATE TABLE partners (
        id INTEGER PRIMARY KEY,
        name BLOB NOT NULL,
        name_key BLOB NOT NULL UNIQUE,
        public_key TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        added TEXT NOT NULL,
        added_by INTEGER REFERENCES users (id)
    )""", (), convert("partners", ("name",), "name", "name_key"))
    _rebuild(db, "matches", """CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        list_name BLOB NOT NULL,
        list_key BLOB NOT NULL,
        list_trust TEXT,
        hash_kind TEXT NOT NULL,
        distance INTEGER NOT NULL,
        verdict TEXT,
        category TEXT,
        other_item INTEGER REFERENCES items (id),
        matched TEXT NOT NULL,
        entry INTEGER,
        negative INTEGER NOT NULL DEFAULT 0
    )""", ("CREATE INDEX matches_item ON matches (item_id)",
           "CREATE INDEX matches_list_entry ON matches (list_key, entry, matched)"),
        convert("matches", ("list_name",), "list_name", "list_key"))
    _rebuild(db, "quarantines", """CREATE TABLE quarantines (
        id INTEGER PRIMARY KEY,
        list_name BLOB NOT NULL,
        list_key BLOB NOT NULL,
        entry INTEGER,
        items INTEGER NOT NULL,
        hours INTEGER NOT NULL,
        since TEXT NOT NULL,
        released TEXT,
        released_by INTEGER REFERENCES users (id)
    )""", ("CREATE INDEX quarantines_list ON quarantines (list_key, released)",),
        convert("quarantines", ("list_name",), "list_name", "list_key"))
    for name, value in db.execute("SELECT name, value FROM keyring").fetchall():
        assert sealer is not None, "a key pair to seal but no data keys"
        db.execute("UPDATE keyring SET value = ? WHERE name = ?",
                   [sealer.seal("keyring.value", value), name])


def _sealed_assessments(db: Database, keys: DataKeys) -> None:
    """An assessment's note and optional fields sealed (the verdict stays readable: the
    review's rules, and a team server's policies, need it)."""
    sealer = keys.sealer() if keys.current() >= 0 else None
    columns = ("note", "age_group", "gender", "site_type", "commercial", "category")

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        assert sealer is not None, "assessments to seal but no data keys"
        out = dict(row)
        for column in columns:
            value = row[column]
            out[column] = sealer.seal(f"assessments.{column}",
                                      None if value is None else str(value))
        return out

    _rebuild(db, "assessments", """CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        cycle INTEGER NOT NULL,
        round INTEGER NOT NULL CHECK (round BETWEEN 1 AND 4),
        user_id INTEGER NOT NULL REFERENCES users (id),
        verdict TEXT NOT NULL CHECK (verdict IN ('baseline', 'national', 'not_illegal')),
        age_group BLOB,
        gender BLOB,
        site_type BLOB,
        commercial BLOB,
        category BLOB,
        note BLOB,
        at TEXT NOT NULL,
        UNIQUE (item_id, cycle, round),
        UNIQUE (item_id, cycle, user_id)
    )""", ("CREATE INDEX assessments_user ON assessments (user_id)",), convert)


def _sealed_settings(db: Database, keys: DataKeys) -> None:
    """Settings' values sealed (a legal text, a hotline's name, a database's path)."""
    rows = db.execute("SELECT key, value FROM settings").fetchall()
    sealer = keys.sealer() if rows else None
    for key, value in rows:
        assert sealer is not None
        db.execute("UPDATE settings SET value = ? WHERE key = ?",
                   [sealer.seal("settings.value", value), key])


def _audit_head_trigger(db: Database, keys: DataKeys) -> None:
    """The audit head follows each new entry by a trigger, as on a team's server (where
    nobody may write the head directly)."""
    db.execute("""CREATE TRIGGER audit_head_follows AFTER INSERT ON audit BEGIN
        INSERT INTO audit_head (id, seq, mac) VALUES (1, NEW.seq, NEW.mac)
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac;
    END""")


def _audit_in_the_open(db: Database, keys: DataKeys) -> None:
    """What a team's server needs to keep verdicts blind in the audit log too: who wrote an
    entry (a user id) and, for entries that carry a verdict, which item; and an index of the
    chain (entry number and hash) that anyone may read, so that a log with rows one may not
    see still verifies as a chain."""
    db.execute("ALTER TABLE audit ADD COLUMN actor_id INTEGER REFERENCES users (id)")
    db.execute("ALTER TABLE audit ADD COLUMN item_id INTEGER")
    db.execute("CREATE INDEX audit_item ON audit (item_id)")
    db.execute("CREATE TABLE audit_index (seq INTEGER PRIMARY KEY, mac TEXT NOT NULL)")
    db.execute("INSERT INTO audit_index (seq, mac) SELECT seq, mac FROM audit")
    db.execute("""CREATE TRIGGER audit_index_follows AFTER INSERT ON audit BEGIN
        INSERT INTO audit_index (seq, mac) VALUES (NEW.seq, NEW.mac)
        ON CONFLICT (seq) DO UPDATE SET mac = excluded.mac;
    END""")
    rows = db.execute("SELECT seq, actor, action, target FROM audit").fetchall()
    if not rows:
        return
    sealer = keys.sealer()
    users = {normalised(sealer.open("users.name", r[1]) or ""): r[0]
             for r in db.execute("SELECT id, name FROM users")}
    for seq, actor, action, target in rows:
        name, opened = sealer.open("audit.actor", actor) or "", sealer.open("audit.target", target)
        item = int(opened) if action in VERDICT_ACTIONS and opened and opened.isdigit() else None
        db.execute("UPDATE audit SET actor_id = ?, item_id = ? WHERE seq = ?",
                   [users.get(normalised(name)), item, seq])


def _claims(db: Database, keys: DataKeys) -> None:
    """Items claimed while someone has them open (`claims.py`)."""
    db.execute("""CREATE TABLE claims (
        item_id INTEGER PRIMARY KEY REFERENCES items (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        until TEXT NOT NULL
    )""")


MIGRATIONS: list[Migration] = [
    ("0001_users_settings_audit", _core),
    ("0002_lists_keyring_partners", _lists),
    ("0003_reports_items_sightings_matches", _intake),
    ("0004_review_assessments_exposures", _review),
    ("0005_providers_notices", _takedown),
    ("0006_video_frames", _video_frames),
    ("0007_user_keys", _user_keys),
    ("0008_flood_control", _flood_control),
    ("0009_sealed_data_keys", _sealed_data_keys),
    ("0010_users_by_id", _users_by_id),
    ("0011_sealed_reports", _sealed_reports),
    ("0012_sealed_audit", _sealed_audit),
    ("0013_sealed_hashes", _sealed_hashes),
    ("0014_sealed_lists", _sealed_lists),
    ("0015_sealed_assessments", _sealed_assessments),
    ("0016_sealed_settings", _sealed_settings),
    ("0017_audit_head_trigger", _audit_head_trigger),
    ("0018_audit_in_the_open", _audit_in_the_open),
    ("0019_claims", _claims),
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
