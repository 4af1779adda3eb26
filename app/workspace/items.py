"""Reports, the items they brought in (one row per distinct content), where each item was seen
(sightings) and what it matched. An item is unique by SHA-256: content seen again is a new
sighting of the old item, never a second item."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

import numpy as np

from app.errors import InvalidInput, NotFound
from app.workspace.clock import utc_now
from app.workspace.db import Database, equal_to
from app.workspace.sealing import Sealer
from app.workspace.states import SETTLED, ItemState, sql_set
from app.workspace.users import UserStore
from hashdb.index import codes_of

SOURCES = ("public", "partner_hotline", "police", "proactive", "other")
HASHES = ("sha256", "md5", "sha1", "pdq")  # sealed, each found by a keyed lookup
ITEM_LOCKS = 1 << 40  # advisory lock keys of items (the audit's is far above)


@dataclass(frozen=True)
class Report:
    id: int
    reference: str
    source: str
    received: str
    note: str
    created: str
    created_by: str


@dataclass(frozen=True)
class Item:
    id: int
    sha256: str
    md5: str
    sha1: str
    pdq: str | None
    pdq_quality: int | None
    kind: str
    mime: str
    size: int
    width: int | None
    height: int | None
    blob: str | None
    status: str
    first_report: int
    created: str
    state: str = ItemState.ROUND1.value
    cycle: int = 1
    machine_verdict: str | None = None
    machine_list: str | None = None
    final_verdict: str | None = None
    final_at: str | None = None
    confirmed_by: str | None = None
    purged_at: str | None = None
    duration: float | None = None  # videos, in seconds


@dataclass(frozen=True)
class Match:
    list_name: str
    list_trust: str | None
    hash_kind: str
    distance: int
    verdict: str | None
    category: str | None
    other_item: int | None = None
    entry: int | None = None  # the list entry hit (flood control counts items per entry)
    negative: bool = False  # a hit on a list of known false positives


@dataclass(frozen=True)
class Sighting:
    """Where and when an item (or a link, or an error) was seen in a report."""

    id: int
    report_id: int
    item_id: int | None
    kind: str  # media | link | error
    source: str
    page: str | None
    final_url: str | None
    http_status: int | None
    content_type: str | None
    ip: str | None
    country: str | None
    asn: int | None
    organisation: str | None
    seen: str
    duplicate: bool
    error: str | None


_SIGHTING = ("id, report_id, item_id, kind, source, page, final_url, http_status, "
             "content_type, ip, country, asn, organisation, seen, duplicate, error")


def new_reference() -> str:
    return datetime.now(UTC).strftime("R-%Y%m%d-%H%M%S-") + secrets.token_hex(2)


_SEALED_SIGHTING = ("source", "page", "final_url", "ip", "organisation", "error")
_SIGHTING_COLUMNS = tuple(_SIGHTING.split(", "))


class ItemStore:
    """Reports, items, sightings and matches. A report's reference and note and a sighting's
    URLs, address, organisation and error are sealed (`sealing.py`); references and
    sighting URLs are found by keyed lookups."""

    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer

    def _report(self, row: tuple) -> Report:
        return Report(row[0], self._sealer.open("reports.reference", row[1]) or "", row[2],
                      row[3], self._sealer.open("reports.note", row[4]) or "", row[5],
                      self._users.name_of(row[6]))

    def _reference_key(self, reference: str) -> bytes:
        return self._sealer.lookup("reports.reference", reference)

    def _item(self, row: tuple) -> Item:
        """An item row: its hashes (columns 2-5) sealed, `confirmed_by` (the 22nd) a user
        id in the table."""
        values = list(row)
        for at, column in enumerate(HASHES, start=1):
            values[at] = self._sealer.open(f"items.{column}", values[at])
        values[18] = self._sealer.open("items.machine_list", values[18])
        if values[21] is not None:
            values[21] = self._users.name_of(values[21])
        return Item(*values)

    # ------------------------------------------------------------ reports

    def reference_of(self, report_id: int) -> str:
        """A report's reference, from its number."""
        row = self._db.execute("SELECT reference FROM reports WHERE id = ?",
                               [report_id]).fetchone()
        if row is None:
            raise NotFound(f"no report number {report_id}")
        return self._sealer.open("reports.reference", row[0]) or ""

    def report(self, reference: str) -> Report:
        row = self._db.execute("SELECT id, reference, source, received, note, created, "
                               "created_by FROM reports WHERE reference_key = ?",
                               [self._reference_key(reference)]).fetchone()
        if row is None:
            raise NotFound(f"no report {reference!r}")
        return self._report(row)

    def report_or_new(self, reference: str, source: str, received: str | None, note: str,
                      by: str) -> tuple[Report, bool]:
        """The report with this reference (a re-run), or a new one."""
        if source not in SOURCES:
            raise InvalidInput(f"unknown source {source!r}: {', '.join(SOURCES)}")
        try:
            return self.report(reference), False
        except NotFound:
            pass
        self._db.execute(
            "INSERT INTO reports (reference, reference_key, source, received, note, created,"
            " created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self._sealer.seal("reports.reference", reference), self._reference_key(reference),
             source, received or utc_now(), self._sealer.seal("reports.note", note), utc_now(),
             self._users.id_of(by)])
        return self.report(reference), True

    def reports(self) -> list[Report]:
        rows = self._db.execute("SELECT id, reference, source, received, note, created, "
                                "created_by FROM reports ORDER BY id DESC").fetchall()
        return [self._report(r) for r in rows]

    # ------------------------------------------------------------ items

    _ITEM = ("id, sha256, md5, sha1, pdq, pdq_quality, kind, mime, size, width, height, blob, "
             "status, first_report, created, state, cycle, machine_verdict, machine_list, "
             "final_verdict, final_at, confirmed_by, purged_at, duration")

    def by_sha256(self, sha256: str) -> Item | None:
        row = self._db.execute(f"SELECT {self._ITEM} FROM items WHERE sha256_key = ?",
                               [self._hash_key("sha256", sha256)]).fetchone()
        return self._item(row) if row else None

    def get(self, item_id: int, lock: bool = False) -> Item:
        """`lock`: until the transaction ends, nobody else passes get(item_id, lock=True)
        (two people giving the same item's next round one after the other)."""
        if lock:
            self._db.serialise(ITEM_LOCKS + item_id)
        row = self._db.execute(f"SELECT {self._ITEM} FROM items WHERE id = ?",
                               [item_id]).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id}")
        return self._item(row)

    def _hash_key(self, column: str, value: str) -> bytes:
        return self._sealer.lookup(f"items.{column}", value)

    def add(self, values: dict[str, Any]) -> int:
        """A new item; its hashes are sealed here, each with its lookup."""
        keys = {f"{c}_key": None if values.get(c) is None else self._hash_key(c, values[c])
                for c in HASHES}
        listed = values.get("machine_list")
        keys["machine_list_key"] = None if listed is None else self._sealer.lookup(
            "lists.name", listed)
        values = {**self._sealer.seal_row("items", values, (*HASHES, "machine_list")), **keys,
                  "created": utc_now()}
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self._db.execute(f"INSERT INTO items ({columns}) VALUES ({marks}) RETURNING id",
                                  list(values.values()))
        return int(cursor.fetchone()[0])

    def pdq_codes(self, min_quality: int) -> tuple[np.ndarray, np.ndarray]:
        """(item ids, (n, 32) PDQ bytes) of every item with a usable PDQ hash."""
        rows = self._db.execute("SELECT id, pdq FROM items WHERE pdq IS NOT NULL AND "
                                "pdq_quality >= ?", [min_quality]).fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        return ids, codes_of([self._sealer.open("items.pdq", r[1]) or "" for r in rows])

    def add_frames(self, item_id: int, frames: tuple[tuple[float, str, int], ...]) -> None:
        for seconds, pdq, quality in frames:
            self._db.execute("INSERT INTO item_frames (item_id, seconds, pdq, quality) "
                             "VALUES (?, ?, ?, ?)",
                             [item_id, seconds, self._sealer.seal("item_frames.pdq", pdq),
                              quality])

    def video_frames(self, min_quality: int) -> dict[int, list[str]]:
        """Usable frame hashes of every video item, by item."""
        frames: dict[int, list[str]] = {}
        for item_id, pdq in self._db.execute(
                "SELECT item_id, pdq FROM item_frames WHERE quality >= ? ORDER BY id",
                [min_quality]):
            frames.setdefault(item_id, []).append(self._sealer.open("item_frames.pdq", pdq) or "")
        return frames

    def frames_of(self, item_id: int) -> list[tuple[float, str, int]]:
        return [(seconds, self._sealer.open("item_frames.pdq", pdq) or "", quality)
                for seconds, pdq, quality in self._db.execute(
                    "SELECT seconds, pdq, quality FROM item_frames WHERE item_id = ? "
                    "ORDER BY id", [item_id])]

    # ------------------------------------------------------------ sightings, matches

    def find(self, text: str, limit: int = 1000) -> list[int]:
        """Items by number, by any of their hashes (MD5, SHA-1, SHA-256, PDQ), by report
        reference, or by a piece of the URL they were seen at; newest first."""
        text = text.strip()
        lowered = text.lower()
        if text.isdigit() and len(text) not in (32, 40, 64):  # a hash may be all digits
            rows = self._db.execute("SELECT id FROM items WHERE id = ?", [int(text)])
        elif len(lowered) in (32, 40, 64) and all(c in "0123456789abcdef" for c in lowered):
            rows = self._db.execute(
                "SELECT id FROM items WHERE md5_key = ? OR sha1_key = ? OR sha256_key = ? OR "
                "pdq_key = ? ORDER BY id DESC LIMIT ?",
                [*(self._hash_key(c, lowered) for c in ("md5", "sha1", "sha256", "pdq")),
                 limit])
        else:
            return self._find_text(text, limit)
        return [r[0] for r in rows]

    def _find_text(self, text: str, limit: int) -> list[int]:
        """Items of the report with this reference, or seen at a URL containing `text`
        (case-insensitive). The URLs are sealed, so they are opened and searched here, on the
        workstation: a server cannot search what it cannot read."""
        found = {r[0] for r in self._db.execute(
            "SELECT DISTINCT s.item_id FROM sightings s JOIN reports r ON r.id = s.report_id "
            "WHERE s.item_id IS NOT NULL AND r.reference_key = ?", [self._reference_key(text)])}
        needle = text.casefold()
        for item_id, *urls in self._db.execute(
                "SELECT item_id, source, final_url, page FROM sightings "
                "WHERE item_id IS NOT NULL"):
            if item_id in found:
                continue
            for column, sealed in zip(("source", "final_url", "page"), urls, strict=True):
                url = self._sealer.open(f"sightings.{column}", sealed)
                if url is not None and needle in url.casefold():
                    found.add(item_id)
                    break
        return sorted(found, reverse=True)[:limit]

    def settled(self, limit: int = 100_000) -> list[int]:
        """Items with a final or confirmed verdict, most recently settled first."""
        return [r[0] for r in self._db.execute(
            f"SELECT id FROM items WHERE state IN {sql_set(SETTLED)} "
            "ORDER BY final_at DESC, id DESC LIMIT ?", [limit])]

    def blobs(self) -> dict[int, str]:
        """Every item that names a blob, by id, and the blob's name."""
        return dict(self._db.execute(
            "SELECT id, blob FROM items WHERE blob IS NOT NULL ORDER BY id").fetchall())

    def has_sighting(self, report_id: int, kind: str, source: str) -> bool:
        return self._db.execute(
            "SELECT 1 FROM sightings WHERE report_id = ? AND kind = ? AND source_key = ?",
            [report_id, kind, self._source_key(source)]).fetchone() is not None

    def _source_key(self, source: str) -> bytes:
        return self._sealer.lookup("sightings.source", source, exact=True)

    def add_sighting(self, values: dict[str, Any]) -> None:
        values = self._sealer.seal_row("sightings", {
            "seen": utc_now(), **values, "source_key": self._source_key(values["source"])},
            _SEALED_SIGHTING)
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self._db.execute(f"INSERT INTO sightings ({columns}) VALUES ({marks}) "
                         "ON CONFLICT DO NOTHING",
                         list(values.values()))

    def add_matches(self, item_id: int, matches: list[Match]) -> None:
        """A statement for each run of matches of one list (their order kept: a list's name
        sealed once for them; its rows share the lookup key anyway)."""
        if not matches:
            return
        now = utc_now()
        for name, run in groupby(matches, key=lambda m: m.list_name):
            self._db.insert_rows(
                "matches", {"item_id": item_id,
                            "list_name": self._sealer.seal("matches.list_name", name),
                            "list_key": self._sealer.lookup("lists.name", name),
                            "matched": now},
                ("list_trust", "hash_kind", "distance", "verdict", "category", "other_item",
                 "entry", "negative"),
                [(m.list_trust, m.hash_kind, m.distance, m.verdict, m.category, m.other_item,
                  m.entry, int(m.negative)) for m in run])

    def matches(self, item_id: int) -> list[Match]:
        rows = self._db.execute("SELECT list_name, list_trust, hash_kind, distance, verdict, "
                                "category, other_item, entry, negative FROM matches "
                                "WHERE item_id = ? ORDER BY distance, id", [item_id]).fetchall()
        return [Match(self._sealer.open("matches.list_name", r[0]) or "", r[1], r[2], r[3], r[4],
                      r[5], r[6], r[7], bool(r[8])) for r in rows]

    def sightings(self, item_id: int | None = None, report_id: int | None = None,
                  ) -> list[Sighting]:
        where, args = equal_to(item_id=item_id, report_id=report_id)
        sql = f"SELECT {_SIGHTING} FROM sightings" + (
            " WHERE " + " AND ".join(where) if where else "")
        out = []
        for row in self._db.execute(sql + " ORDER BY id", args).fetchall():
            r = self._sealer.open_many("sightings", _SIGHTING_COLUMNS, row, _SEALED_SIGHTING)
            out.append(Sighting(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                                r[10], r[11], r[12], r[13], bool(r[14]), r[15]))
        return out


