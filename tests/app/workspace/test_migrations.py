"""Schema migrations of an existing workspace: rows written under the old schema come through."""

import json
import os
from pathlib import Path

import pytest

from app.errors import WorkspaceError
from app.workspace import migrations
from app.workspace.assessments import AssessmentStore
from app.workspace.audit import GENESIS, AuditLog, AuditRecord
from app.workspace.audit_check import walk
from app.workspace.data_keys import DataKeys
from app.workspace.db import SqliteDatabase, connect, transaction
from app.workspace.floods import FloodStore
from app.workspace.items import ItemStore
from app.workspace.keyring import Keyring
from app.workspace.keys import Session
from app.workspace.lists import ListStore
from app.workspace.notices import NoticeStore
from app.workspace.settings import SettingsStore
from app.workspace.users import UserStore
from hashdb.identity import Identity

NOW = "2026-11-28T00:00:00.000000Z"
WRAP = {0: os.urandom(32)}  # the sealing key a master key gives
PLAIN_KEYS = {p: os.urandom(32) for p in ("vault-names", "vault-bodies", "lists")}


def keys_of(db: SqliteDatabase) -> DataKeys:
    return DataKeys(db, WRAP)
URL = "https://Host.example/Path/Pic.jpg"
HASHES = ("5" * 64, "d" * 32, "a" * 40, "f0" * 32)
OWN = Identity.generate()
PLAIN = (b"R-1", b"Host.example", b"192.0.2.7", b"Hoster", b"abuse@", b"still online")


def named_workspace(path: Path) -> SqliteDatabase:
    """A database as version 0.2 left it: users named in every table that records who."""
    db = connect(path, os.urandom(32))
    migrations.apply(db, keys_of(db), migrations.until("0009_sealed_data_keys"))
    with transaction(db):
        for purpose in ("vault-names", "vault-bodies", "lists"):  # bare, as 0.2 kept them
            db.execute("INSERT INTO secrets (purpose, epoch, key) VALUES (?, 0, ?)",
                       [purpose, PLAIN_KEYS[purpose]])
        for name, role in (("Ann", "analyst"), ("sue", "supervisor")):
            db.execute("INSERT INTO users (name, role, created, created_by, password_changed)"
                       " VALUES (?, ?, ?, NULL, ?)", [name, role, NOW, NOW])
        db.execute("INSERT INTO reports (reference, source, received, created, created_by) "
                   "VALUES ('R-1', 'public', ?, ?, 'ann')", [NOW, NOW])
        db.execute("INSERT INTO items (sha256, md5, sha1, pdq, pdq_quality, kind, mime, size,"
                   " status, first_report, created, confirmed_by) VALUES (?, ?, ?, ?, 100, "
                   "'image', 'image/png', 1, 'unknown', 1, ?, 'SUE')", [*HASHES, NOW])
        db.execute("INSERT INTO item_frames (item_id, seconds, pdq, quality) "
                   "VALUES (1, 0.5, ?, 90)", [HASHES[3]])
        for round_, who in ((1, "Ann"), (2, "sue")):
            db.execute("INSERT INTO assessments (item_id, cycle, round, user, verdict, at, "
                       "note, age_group, commercial) VALUES (1, 1, ?, ?, 'baseline', ?, "
                       "'seen before on Host.example', 'pubescent', 1)", [round_, who, NOW])
        db.execute("UPDATE items SET machine_list = 'Partner List' WHERE id = 1")
        db.execute("INSERT INTO lists (name, file, scope, trust, source, entries, counts, "
                   "imported, imported_by, origin, version) VALUES ('Partner List', 'f.hlist',"
                   " 'baseline', 'verified', 'Partner Hotline', 1, '{}', ?, 'sue', "
                   "'Partner Hotline', 1)", [NOW])
        db.execute("INSERT INTO matches (item_id, list_name, list_trust, hash_kind, distance, "
                   "matched, entry) VALUES (1, 'Partner List', 'verified', 'md5', 0, ?, 0)",
                   [NOW])
        db.execute("INSERT INTO quarantines (list_name, entry, items, hours, since) "
                   "VALUES ('Partner List', 0, 20, 24, ?)", [NOW])
        db.execute("INSERT INTO partners (name, public_key, fingerprint, added, added_by) "
                   "VALUES ('Partner Hotline', 'pub', 'fp', ?, 'sue')", [NOW])
        db.execute("INSERT INTO keyring (name, value, created) VALUES ('own-identity', ?, ?)",
                   [OWN.to_json(), NOW])
        db.execute("INSERT INTO exposures (user, item_id, started, seconds, day) "
                   "VALUES ('ann', 1, ?, 2.5, '2026-11-28')", [NOW])
        db.execute("INSERT INTO settings (key, value, changed, changed_by) "
                   "VALUES ('hotline.name', '\"X\"', ?, 'Ann')", [NOW])
        db.execute("INSERT INTO sightings (report_id, item_id, kind, source, final_url, ip, "
                   "organisation, seen) VALUES (1, 1, 'media', ?, ?, '192.0.2.7', 'Hoster BV',"
                   " ?)", [URL, URL + "?moved", NOW])
        db.execute("INSERT INTO providers (asn, name, email, added, added_by) "
                   "VALUES (64500, 'Hoster BV', 'abuse@hoster.example', ?, 'ann')", [NOW])
        db.execute("INSERT INTO notices (reference, kind, state, created, created_by) "
                   "VALUES ('N-1', 'notice', 'draft', ?, 'sue')", [NOW])
        db.execute("INSERT INTO notice_urls (notice_id, sighting_id, item_id, url, last_result)"
                   " VALUES (1, 1, 1, ?, 'still online')", [URL])
    return db


def test_users_become_ids_and_their_names_are_sealed(tmp_path: Path) -> None:
    db = named_workspace(tmp_path / "w.db")
    assert migrations.apply(db, keys_of(db), migrations.until("0011_sealed_reports")) == [
        "0009_sealed_data_keys", "0010_users_by_id"]
    users = UserStore(db, keys_of(db).sealer())
    ann, sue = users.get("ann"), users.get("SUE")
    assert (ann.name, sue.name) == ("Ann", "sue")
    stored = [bytes(r[0]) for r in db.execute("SELECT name FROM users")]
    assert not any(b"Ann" in s or b"sue" in s for s in stored)
    assert db.execute("SELECT created_by FROM reports").fetchone()[0] == ann.id
    assert db.execute("SELECT confirmed_by FROM items").fetchone()[0] == sue.id
    assert db.execute("SELECT user_id FROM assessments ORDER BY round").fetchall() == [
        (ann.id,), (sue.id,)]
    assert db.execute("SELECT user_id FROM exposures").fetchone()[0] == ann.id
    assert db.execute("SELECT changed_by FROM settings").fetchone()[0] == ann.id
    for table in ("assessments", "exposures"):
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        assert "user" not in columns
        assert "user_id" in columns


def test_a_row_naming_a_user_the_workspace_lacks_stops_the_migration_whole(
        tmp_path: Path) -> None:
    db = named_workspace(tmp_path / "w.db")
    with transaction(db):
        db.execute("UPDATE reports SET created_by = 'ghost'")
    with pytest.raises(WorkspaceError, match="ghost"):
        migrations.apply(db, keys_of(db))
    assert db.execute("SELECT name FROM users ORDER BY id").fetchall() == [("Ann",), ("sue",)]
    assert db.execute("SELECT user FROM assessments ORDER BY round").fetchall() == [
        ("Ann",), ("sue",)]


def test_what_was_reported_and_where_is_sealed_and_still_found(tmp_path: Path) -> None:
    db = named_workspace(tmp_path / "w.db")
    assert "0011_sealed_reports" in migrations.apply(db, keys_of(db))
    sealer = keys_of(db).sealer()
    users = UserStore(db, sealer)
    items, notices = ItemStore(db, users, sealer), NoticeStore(db, users, sealer)
    stored = [v if isinstance(v, bytes) else str(v).encode()
              for table in ("reports", "sightings", "providers", "notice_urls")
              for row in db.execute(f"SELECT * FROM {table}") for v in row]
    assert not [s for s in stored for p in PLAIN if p in s]
    report = items.report("r-1")
    assert (report.reference, report.created_by) == ("R-1", "Ann")
    [seen] = items.sightings(item_id=1)
    assert (seen.source, seen.final_url, seen.ip, seen.organisation) == (
        URL, URL + "?moved", "192.0.2.7", "Hoster BV")
    assert items.has_sighting(1, "media", URL)
    assert not items.has_sighting(1, "media", URL.lower())  # a URL's path tells case apart
    assert items.find("path/pic") == [1]
    assert items.find("R-1") == [1]
    assert notices.provider(64500).email == "abuse@hoster.example"
    [url] = notices.urls(1)
    assert (url.url, url.last_result, url.organisation) == (URL, "still online", "Hoster BV")


def test_a_signed_audit_log_still_verifies_once_sealed(tmp_path: Path) -> None:
    """Entries signed before the log was sealed: the hashes and signatures cover the values
    as written, so sealing them changes nothing a verification sees."""
    db = named_workspace(tmp_path / "w.db")
    migrations.apply(db, keys_of(db), migrations.until("0012_sealed_audit"))
    alice = Identity.generate()
    prev = GENESIS
    entries = [("workspace.create", "w", {"admin": "alice", "role": "admin",
                                          "key": alice.public().text()}),
               ("item.view", "7", {"as": "image"})]
    with transaction(db):
        for seq, (action, target, detail) in enumerate(entries, start=1):
            record = AuditRecord(seq, NOW, "alice", alice.public().fingerprint, action, target,
                                 "ok", json.dumps(detail, sort_keys=True), "", "")
            prev = record.expected_hash(prev)
            sig = alice.signing.sign(b"hotline-audit-v1:" + bytes.fromhex(prev)).hex()
            db.execute("INSERT INTO audit (seq, at, user, signer, action, target, outcome, "
                       "detail, mac, sig) VALUES (?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?)",
                       [seq, NOW, "alice", record.signer, action, target, record.detail_json,
                        prev, sig])
        db.execute("INSERT INTO audit_head (id, seq, mac) VALUES (1, 2, ?)", [prev])
    assert "0012_sealed_audit" in migrations.apply(db, keys_of(db))
    log = AuditLog(db, Session("alice", alice, "slot"), keys_of(db).sealer())
    check, _ = walk(log)
    assert check.ok, check.problem
    [entry] = log.entries(target="7", user="Alice")
    assert entry.detail == {"as": "image"}
    assert b"alice" not in bytes(db.execute("SELECT actor FROM audit").fetchone()[0])


def test_hashes_are_sealed_and_found_by_their_lookups(tmp_path: Path) -> None:
    """A server without the lookup key cannot test whether a known file is here."""
    db = named_workspace(tmp_path / "w.db")
    migrations.apply(db, keys_of(db))
    sealer = keys_of(db).sealer()
    items = ItemStore(db, UserStore(db, sealer), sealer)
    stored = b" ".join(v if isinstance(v, bytes) else str(v).encode()
                       for table in ("items", "item_frames")
                       for row in db.execute(f"SELECT * FROM {table}") for v in row)
    assert not [h for h in HASHES if h.encode() in stored or bytes.fromhex(h) in stored]
    item = items.by_sha256(HASHES[0])
    assert item is not None
    assert (item.sha256, item.md5, item.sha1, item.pdq) == HASHES
    assert [items.find(h) for h in HASHES] == [[1]] * 4
    assert items.frames_of(1) == [(0.5, HASHES[3], 90)]
    ids, codes = items.pdq_codes(50)
    assert (list(ids), codes[0].tobytes().hex()) == ([1], HASHES[3])


def test_data_keys_are_sealed_under_the_master_key(tmp_path: Path) -> None:
    """Kept bare inside SQLCipher before; a database server must hold no key it can use, nor
    be able to plant one it knows, nor move one into another's place."""
    db = named_workspace(tmp_path / "w.db")
    migrations.apply(db, keys_of(db))
    stored = {r[0]: bytes(r[1]) for r in db.execute("SELECT purpose, key FROM secrets")}
    assert not [k for k in PLAIN_KEYS.values() if k in b" ".join(stored.values())]
    assert {p: keys_of(db).keys(p) for p in PLAIN_KEYS} == {
        p: {0: k} for p, k in PLAIN_KEYS.items()}
    with pytest.raises(WorkspaceError, match="sealed under another master key"):
        DataKeys(db, {0: os.urandom(32)}).keys("lists")
    with transaction(db):
        db.execute("UPDATE secrets SET key = ? WHERE purpose = 'lists'", [os.urandom(32)])
    with pytest.raises(WorkspaceError, match="not sealed"):
        keys_of(db).keys("lists")
    with transaction(db):
        db.execute("UPDATE secrets SET key = ? WHERE purpose = 'lists'",
                   [stored["vault-names"]])
    with pytest.raises(WorkspaceError, match="moved from another row"):
        keys_of(db).keys("lists")


def test_lists_partners_the_own_key_notes_and_settings_are_sealed(tmp_path: Path) -> None:
    db = named_workspace(tmp_path / "w.db")
    migrations.apply(db, keys_of(db))
    sealer = keys_of(db).sealer()
    users = UserStore(db, sealer)
    stored = b" ".join(v if isinstance(v, bytes) else str(v).encode()
                       for table in ("lists", "matches", "quarantines", "partners", "keyring",
                                     "assessments", "items")
                       for row in db.execute(f"SELECT * FROM {table}") for v in row)
    for plain in (b"Partner", b"Host.example", b"pubescent", OWN.to_json().encode()[-40:]):
        assert plain not in stored
    lists = ListStore(db, tmp_path, {0: bytes(32)}, users, sealer)
    info = lists.get("partner list")
    assert (info.name, info.source, info.origin, info.imported_by) == (
        "Partner List", "Partner Hotline", "Partner Hotline", "sue")
    assert [i.held for i in lists.all()] == [(0,)]
    items = ItemStore(db, users, sealer)
    assert items.get(1).machine_list == "Partner List"
    assert [m.list_name for m in items.matches(1)] == ["Partner List"]
    floods = FloodStore(db, users, sealer)
    assert [q.list_name for q in floods.active()] == ["Partner List"]
    keyring = Keyring(db, users, sealer)
    assert keyring.own().public().text() == OWN.public().text()
    assert [p.name for p in keyring.partners()] == ["Partner Hotline"]
    settings = SettingsStore(db, users, sealer)
    assert settings.get("hotline.name") == "X"
    raw = db.execute("SELECT value FROM settings").fetchone()[0]
    assert isinstance(raw, bytes)
    assert b'"X"' not in raw
    [first, _] = AssessmentStore(db, users, sealer).of_item(1)
    assert (first.note, first.age_group, first.commercial) == (
        "seen before on Host.example", "pubescent", True)
