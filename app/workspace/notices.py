"""Hosting providers, notices and referrals, and the URLs each one carries."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.errors import Conflict, NotFound
from app.workspace.assessments import open_fields
from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.sealing import Sealer
from app.workspace.states import SETTLED, NoticeState, sql_set
from app.workspace.users import UserStore


@dataclass(frozen=True)
class Candidate:
    """A media sighting of an item a person confirmed illegal, not yet on a notice."""

    sighting_id: int
    item_id: int
    url: str
    seen: str
    ip: str | None
    country: str | None
    asn: int | None
    organisation: str | None
    sha256: str
    final_verdict: str


@dataclass(frozen=True)
class Provider:
    id: int
    asn: int
    name: str
    email: str
    address: str
    language: str


@dataclass(frozen=True)
class Notice:
    id: int
    reference: str
    kind: str
    country: str | None
    asn: int | None
    state: str
    created: str
    created_by: str
    sent_at: str | None
    sent_by: str | None
    closed_at: str | None


@dataclass(frozen=True)
class NoticeUrl:
    """One URL of a notice, with its sighting, its item's hash and verdict, and the optional
    fields of the item's latest assessment."""

    id: int
    url: str
    removed_at: str | None
    last_check: str | None
    last_result: str | None
    seen: str
    ip: str | None
    country: str | None
    asn: int | None
    organisation: str | None
    sha256: str
    verdict: str | None
    item_id: int
    received: str
    age_group: str | None
    gender: str | None
    site_type: str | None
    commercial: bool | None
    category: str | None


_PROVIDER = ("id", "asn", "name", "email", "address", "language")
_SEALED_PROVIDER = ("name", "email", "address")
_CANDIDATE = ("id", "item_id", "source", "final_url", "seen", "ip", "country", "asn",
              "organisation", "sha256", "final_verdict")
_SEALED_CANDIDATE = ("source", "final_url", "ip", "organisation")


class NoticeStore:
    """Providers, notices and their URLs. Providers' names and contacts, notice URLs and
    re-check results are sealed (`sealing.py`)."""

    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer

    def _provider(self, row: tuple) -> Provider:
        r = self._sealer.open_many("providers", _PROVIDER, row, _SEALED_PROVIDER)
        return Provider(r[0], r[1], r[2], r[3], r[4] or "", r[5])

    # ------------------------------------------------------------ providers

    def providers(self) -> list[Provider]:
        rows = self._db.execute(f"SELECT {', '.join(_PROVIDER)} FROM providers").fetchall()
        return sorted((self._provider(r) for r in rows), key=lambda p: p.name.casefold())

    def provider(self, asn: int | None) -> Provider | None:
        if asn is None:
            return None
        row = self._db.execute(f"SELECT {', '.join(_PROVIDER)} FROM providers WHERE asn = ?",
                               [asn]).fetchone()
        return self._provider(row) if row else None

    def save_provider(self, asn: int, name: str, email: str, address: str, language: str,
                      by: str, replace: bool = False) -> Provider:
        if self.provider(asn) is not None:
            if not replace:
                raise Conflict(f"AS{asn} has a provider already; use providers import to update")
            self._db.execute("UPDATE providers SET name = ?, email = ?, address = ?, language = ?"
                             " WHERE asn = ?", [*self._sealed_contact(name, email, address),
                                                language, asn])
        else:
            self._db.execute("INSERT INTO providers (asn, name, email, address, language, added,"
                             " added_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [asn, *self._sealed_contact(name, email, address), language,
                              utc_now(), self._users.id_of(by)])
        provider = self.provider(asn)
        assert provider is not None
        return provider

    def _sealed_contact(self, name: str, email: str, address: str) -> list[bytes | None]:
        return [self._sealer.seal(f"providers.{column}", value)
                for column, value in (("name", name), ("email", email), ("address", address))]

    # ------------------------------------------------------------ notices

    _NOTICE = ("id, reference, kind, country, asn, state, created, created_by, sent_at, "
               "sent_by, closed_at")

    def notices(self, state: str | None = None) -> list[Notice]:
        sql = f"SELECT {self._NOTICE} FROM notices"
        args: list[Any] = []
        if state:
            sql += " WHERE state = ?"
            args.append(state)
        return [self._notice(r) for r in self._db.execute(sql + " ORDER BY id DESC", args)]

    def _notice(self, row: tuple) -> Notice:
        """`created_by` and `sent_by` are user ids in the table."""
        values = list(row)
        values[7] = self._users.name_of(row[7])
        values[9] = None if row[9] is None else self._users.name_of(row[9])
        return Notice(*values)

    def notice(self, ref: str | int) -> Notice:
        column = "id" if isinstance(ref, int) or str(ref).isdigit() else "reference"
        row = self._db.execute(f"SELECT {self._NOTICE} FROM notices WHERE {column} = ?",
                               [ref]).fetchone()
        if row is None:
            raise NotFound(f"no notice {ref}; `hotline notices list` shows them")
        return self._notice(row)

    def candidates(self) -> list[Candidate]:
        """Media sightings of items a person confirmed illegal, not yet on a notice."""
        cursor = self._db.execute(
            "SELECT s.id, s.item_id, s.source, s.final_url, s.seen, s.ip, s.country, s.asn, "
            "s.organisation, i.sha256, i.final_verdict "
            "FROM sightings s JOIN items i ON i.id = s.item_id "
            f"WHERE s.kind = 'media' AND i.state IN {sql_set(SETTLED)} "
            "AND i.final_verdict IN ('baseline', 'national') "
            "AND NOT EXISTS (SELECT 1 FROM notice_urls n WHERE n.sighting_id = s.id) "
            "ORDER BY s.id")
        out = []
        for row in cursor:
            r = self._sealer.open_many("sightings", _CANDIDATE, row, _SEALED_CANDIDATE)
            r[9] = self._sealer.open("items.sha256", r[9])
            if str(r[2]).startswith(("http://", "https://")):  # not a file brought in
                out.append(Candidate(r[0], r[1], r[3] or r[2], r[4], r[5], r[6], r[7], r[8],
                                     r[9], r[10]))
        return out

    def create(self, kind: str, country: str | None, asn: int | None, urls: list[Candidate],
               by: str) -> Notice:
        reference = datetime.now(UTC).strftime(
            f"{'N' if kind == 'notice' else 'F'}-%Y%m%d-") + secrets.token_hex(3).upper()
        [notice_id] = self._db.execute(
            "INSERT INTO notices (reference, kind, country, asn, state, created, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [reference, kind, country, asn, NoticeState.DRAFT.value, utc_now(),
             self._users.id_of(by)]).fetchone()
        for u in urls:
            self._db.execute("INSERT INTO notice_urls (notice_id, sighting_id, item_id, url) "
                             "VALUES (?, ?, ?, ?)",
                             [notice_id, u.sighting_id, u.item_id,
                              self._sealer.seal("notice_urls.url", u.url)])
        return self.notice(reference)

    def urls(self, notice_id: int) -> list[NoticeUrl]:
        """A notice's URLs with what a letter or a referral says of each."""
        rows = self._db.execute(
            "SELECT n.id, n.url, n.removed_at, n.last_check, n.last_result, s.seen, s.ip, "
            "s.country, s.asn, s.organisation, i.sha256, i.final_verdict AS verdict, i.id AS "
            "item_id, r.received, a.age_group, a.gender, a.site_type, a.commercial, a.category, "
            "a.note "
            "FROM notice_urls n JOIN sightings s ON s.id = n.sighting_id "
            "JOIN items i ON i.id = n.item_id JOIN reports r ON r.id = s.report_id "
            "LEFT JOIN assessments a ON a.id = (SELECT max(id) FROM assessments WHERE "
            "item_id = i.id AND cycle = i.cycle) WHERE n.notice_id = ? ORDER BY n.id",
            [notice_id]).fetchall()
        out = []
        for row in rows:
            r = list(row)
            r[1] = self._sealer.open("notice_urls.url", r[1])
            r[4] = self._sealer.open("notice_urls.last_result", r[4])
            r[6] = self._sealer.open("sightings.ip", r[6])
            r[9] = self._sealer.open("sightings.organisation", r[9])
            r[10] = self._sealer.open("items.sha256", r[10])
            r = open_fields(self._sealer, r, 14)  # the latest assessment's fields
            out.append(NoticeUrl(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                                 r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17],
                                 r[18]))
        return out

    _STATE_COLUMNS = frozenset({"state", "sent_at", "sent_by", "closed_at"})

    def set_state(self, notice_id: int, **values: Any) -> None:
        """Change a notice's state columns (only those: the names go into the SQL)."""
        unknown = set(values) - self._STATE_COLUMNS
        if unknown:
            raise ValueError(f"not a state column of notices: {sorted(unknown)}")
        if values.get("sent_by") is not None:
            values["sent_by"] = self._users.id_of(values["sent_by"])
        columns = ", ".join(f"{k} = ?" for k in values)
        self._db.execute(f"UPDATE notices SET {columns} WHERE id = ?", [*values.values(),
                                                                      notice_id])

    def record_check(self, url_id: int, result: str, removed: bool) -> None:
        now = utc_now()
        self._db.execute("UPDATE notice_urls SET last_check = ?, last_result = ?, removed_at = "
                         "CASE WHEN ? AND removed_at IS NULL THEN ? ELSE removed_at END "
                         "WHERE id = ?", [now, self._sealer.seal("notice_urls.last_result",
                                                                 result),
                                          bool(removed), now, url_id])
