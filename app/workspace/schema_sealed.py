"""The folder workspace's schema made one with a team server's (migrations 0009-0019): data
keys sealed under the master key, users by id, every value a server must not read sealed on
the workstation, the audit log's head and index kept by triggers, claims."""

from collections.abc import Callable
from typing import Any

from app.errors import WorkspaceError
from app.workspace.audit import VERDICT_ACTIONS
from app.workspace.data_keys import DataKeys
from app.workspace.db import Database
from app.workspace.sealing import normalised

_NAMED_BY = (("settings", "changed_by"), ("lists", "imported_by"), ("partners", "added_by"),
             ("reports", "created_by"), ("items", "confirmed_by"), ("providers", "added_by"),
             ("notices", "created_by"), ("notices", "sent_by"),
             ("quarantines", "released_by"))


def users_by_id(db: Database, keys: DataKeys) -> None:
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
    _rebuild(db, "assessments", """CREATE TABLE assessments (
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
    )""", (), _user_to_id(id_of))
    db.execute("CREATE INDEX assessments_user ON assessments (user_id)")
    _rebuild(db, "exposures", """CREATE TABLE exposures (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        item_id INTEGER NOT NULL REFERENCES items (id),
        started TEXT NOT NULL,
        seconds REAL NOT NULL,
        day TEXT NOT NULL
    )""", (), _user_to_id(id_of))
    db.execute("CREATE INDEX exposures_day ON exposures (user_id, day)")


def _user_to_id(id_of: Callable[[str | None], int | None]
                ) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """`_rebuild`'s convert for a table whose `user` column (a name) becomes `user_id`."""
    def convert(row: dict[str, Any]) -> dict[str, Any]:
        return {("user_id" if k == "user" else k): (id_of(v) if k == "user" else v)
                for k, v in row.items()}
    return convert


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


def sealed_reports(db: Database, keys: DataKeys) -> None:
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


def sealed_audit(db: Database, keys: DataKeys) -> None:
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


def sealed_hashes(db: Database, keys: DataKeys) -> None:
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


def sealed_data_keys(db: Database, keys: DataKeys) -> None:
    """The data keys sealed under the master key (they were bare, inside SQLCipher): a
    database server must hold no key it can use."""
    keys.seal_plain_keys()


def sealed_lists(db: Database, keys: DataKeys) -> None:
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


def sealed_assessments(db: Database, keys: DataKeys) -> None:
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


def sealed_settings(db: Database, keys: DataKeys) -> None:
    """Settings' values sealed (a legal text, a hotline's name, a database's path)."""
    rows = db.execute("SELECT key, value FROM settings").fetchall()
    sealer = keys.sealer() if rows else None
    for key, value in rows:
        assert sealer is not None
        db.execute("UPDATE settings SET value = ? WHERE key = ?",
                   [sealer.seal("settings.value", value), key])


def audit_head_trigger(db: Database, keys: DataKeys) -> None:
    """The audit head follows each new entry by a trigger, as on a team's server (where
    nobody may write the head directly)."""
    db.execute("""CREATE TRIGGER audit_head_follows AFTER INSERT ON audit BEGIN
        INSERT INTO audit_head (id, seq, mac) VALUES (1, NEW.seq, NEW.mac)
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac;
    END""")


def audit_in_the_open(db: Database, keys: DataKeys) -> None:
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


def claims(db: Database, keys: DataKeys) -> None:
    """Items claimed while someone has them open (`claims.py`)."""
    db.execute("""CREATE TABLE claims (
        item_id INTEGER PRIMARY KEY REFERENCES items (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        until TEXT NOT NULL
    )""")
