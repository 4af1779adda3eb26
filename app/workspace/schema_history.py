"""The folder workspace's schema as versions 0.1 and 0.2 made it (migrations 0001-0008),
kept as written: a migration is never edited once released."""

from app.workspace.data_keys import DataKeys
from app.workspace.db import Database


def core(db: Database, keys: DataKeys) -> None:
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


def lists(db: Database, keys: DataKeys) -> None:
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


def intake(db: Database, keys: DataKeys) -> None:
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


def review(db: Database, keys: DataKeys) -> None:
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


def takedown(db: Database, keys: DataKeys) -> None:
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


def video_frames(db: Database, keys: DataKeys) -> None:
    db.execute("""CREATE TABLE item_frames (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items (id),
        seconds REAL NOT NULL,
        pdq TEXT NOT NULL,
        quality INTEGER NOT NULL
    )""")
    db.execute("CREATE INDEX item_frames_item ON item_frames (item_id)")
    db.execute("ALTER TABLE items ADD COLUMN duration REAL")


def user_keys(db: Database, keys: DataKeys) -> None:
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


def flood_control(db: Database, keys: DataKeys) -> None:
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
