"""Assessments, the review state of items, purges and exposure (who saw what unblurred)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.items import HASHES
from app.workspace.sealing import Sealer
from app.workspace.states import DONE_NOTICES, SETTLED, ItemState, sql_set
from app.workspace.users import UserStore


@dataclass(frozen=True)
class Verified:
    """A final item of the own lists, with who assessed it when (`name@time ...`)."""

    id: int
    md5: str
    sha1: str
    sha256: str
    pdq: str | None
    pdq_quality: int | None
    verdict: str
    final_at: str
    assessors: str


@dataclass(frozen=True)
class Assessment:
    id: int
    item_id: int
    cycle: int
    round: int
    user: str
    verdict: str
    age_group: str | None
    gender: str | None
    site_type: str | None
    commercial: bool | None
    category: str | None
    note: str
    at: str


_VERIFIED = ("id", "md5", "sha1", "sha256", "pdq", "pdq_quality", "final_verdict", "final_at")


FIELDS = ("age_group", "gender", "site_type", "commercial", "category", "note")


def seal_fields(sealer: Sealer, fields: dict[str, Any]) -> list[bytes | None]:
    """An assessment's optional fields and note, sealed, in FIELDS' order."""
    values = {**fields, "note": fields.get("note", "")}
    if values.get("commercial") is not None:
        values["commercial"] = "1" if values["commercial"] else "0"
    return [sealer.seal(f"assessments.{name}", values.get(name)) for name in FIELDS]


def open_fields(sealer: Sealer, row: list[Any], at: int) -> list[Any]:
    """`row` with the sealed FIELDS, starting at column `at`, opened (commercial a bool)."""
    for offset, name in enumerate(FIELDS):
        row[at + offset] = sealer.open(f"assessments.{name}", row[at + offset])
    commercial = row[at + FIELDS.index("commercial")]
    row[at + FIELDS.index("commercial")] = None if commercial is None else commercial == "1"
    return row


class AssessmentStore:
    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer

    _COLUMNS = ("id, item_id, cycle, round, user_id, verdict, age_group, gender, site_type, "
                "commercial, category, note, at")

    def _row(self, row: tuple) -> Assessment:
        r = open_fields(self._sealer, list(row), 6)
        return Assessment(r[0], r[1], r[2], r[3], self._users.name_of(r[4]), r[5], r[6], r[7],
                          r[8], r[9], r[10], r[11] or "", r[12])

    def of_item(self, item_id: int, cycle: int | None = None) -> list[Assessment]:
        sql = f"SELECT {self._COLUMNS} FROM assessments WHERE item_id = ?"
        args: list[Any] = [item_id]
        if cycle is not None:
            sql += " AND cycle = ?"
            args.append(cycle)
        return [self._row(r) for r in self._db.execute(sql + " ORDER BY cycle, round", args)]

    def add(self, item_id: int, cycle: int, round_: int, user: str, verdict: str,
            fields: dict[str, Any]) -> int:
        cursor = self._db.execute(
            "INSERT INTO assessments (item_id, cycle, round, user_id, verdict, age_group,"
            " gender, site_type, commercial, category, note, at) VALUES (?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?) RETURNING id",
            [item_id, cycle, round_, self._users.id_of(user), verdict,
             *seal_fields(self._sealer, fields), utc_now()])
        return int(cursor.fetchone()[0])

    def recent_by(self, user: str, limit: int) -> list[Assessment]:
        """This person's latest verdicts, newest first."""
        return [self._row(r) for r in self._db.execute(
            f"SELECT {self._COLUMNS} FROM assessments WHERE user_id = ? "
            "ORDER BY at DESC, id DESC LIMIT ?", [self._users.id_of(user), limit])]

    def delete(self, assessment_id: int) -> None:
        self._db.execute("DELETE FROM assessments WHERE id = ?", [assessment_id])

    _STATE_COLUMNS = frozenset({"state", "cycle", "final_verdict", "final_at", "confirmed_by",
                                "blob", "purged_at"})

    def set_state(self, item_id: int, **values: Any) -> None:
        """Change an item's review columns (only those: the names go into the SQL)."""
        unknown = set(values) - self._STATE_COLUMNS
        if unknown:
            raise ValueError(f"not a review column of items: {sorted(unknown)}")
        if values.get("confirmed_by") is not None:
            values["confirmed_by"] = self._users.id_of(values["confirmed_by"])
        columns = ", ".join(f"{k} = ?" for k in values)
        self._db.execute(f"UPDATE items SET {columns} WHERE id = ?", [*values.values(), item_id])

    def queue(self, states: tuple[str, ...], exclude_user: str, limit: int,
              report_id: int | None = None, status: str | None = None,
              list_name: str | None = None) -> list[int]:
        """Item ids in these states that this user has not assessed in the current cycle and
        nobody else has open (claimed); unknown first, then near, then known; oldest first
        within each."""
        marks = ", ".join("?" for _ in states)
        me = self._users.id_of(exclude_user)
        sql = (f"SELECT i.id FROM items i WHERE i.state IN ({marks}) AND NOT EXISTS ("
               "SELECT 1 FROM assessments a WHERE a.item_id = i.id AND a.cycle = i.cycle "
               "AND a.user_id = ?) AND NOT EXISTS (SELECT 1 FROM claims c WHERE "
               "c.item_id = i.id AND c.user_id != ? AND c.until > ?)")
        args: list[Any] = [*states, me, me, utc_now()]
        if report_id is not None:
            sql += " AND EXISTS (SELECT 1 FROM sightings s WHERE s.item_id = i.id AND " \
                   "s.report_id = ?)"
            args.append(report_id)
        if list_name is not None:
            sql += " AND EXISTS (SELECT 1 FROM matches m WHERE m.item_id = i.id AND " \
                   "m.list_key = ?)"
            args.append(self._sealer.lookup("lists.name", list_name))
        # One ordered query per status, each walking the status index in id order: the first
        # screens of a long queue come at once (one sort of every row took 0.2 s at 100k).
        buckets = [("i.status = ?", [status])] if status is not None else [
            ("i.status = ?", ["unknown"]), ("i.status = ?", ["near"]),
            ("i.status NOT IN ('unknown', 'near')", [])]
        ids: list[int] = []
        for condition, values in buckets:
            ids += [r[0] for r in self._db.execute(
                f"{sql} AND {condition} ORDER BY i.id LIMIT ?",
                [*args, *values, limit - len(ids)])]
            if len(ids) >= limit:
                break
        return ids

    def review_states(self) -> dict[int, tuple[str, str | None, list[list[Any]]]]:
        """Every item past the start of its review: state, final verdict and the current
        cycle's verdicts as [user, round, verdict] (what an upgrade carries over)."""
        out: dict[int, tuple[str, str | None, list[list[Any]]]] = {}
        for item_id, state, final in self._db.execute(
                "SELECT id, state, final_verdict FROM items i WHERE state NOT IN "
                f"{sql_set((ItemState.ROUND1, ItemState.MACHINE))} OR EXISTS (SELECT 1 "
                "FROM assessments a WHERE a.item_id = i.id AND "
                "a.cycle = i.cycle)"):
            out[item_id] = (state, final, [])
        for item_id, user, round_, verdict in self._db.execute(
                "SELECT a.item_id, a.user_id, a.round, a.verdict FROM assessments a JOIN items i "
                "ON i.id = a.item_id AND a.cycle = i.cycle ORDER BY a.item_id, a.round"):
            if item_id in out:
                out[item_id][2].append([self._users.name_of(user), round_, verdict])
        return out

    def items_in_state(self, state: str, report_id: int | None = None) -> list[int]:
        sql, args = "SELECT i.id FROM items i WHERE i.state = ?", list[object]([state])
        if report_id is not None:
            sql += " AND EXISTS (SELECT 1 FROM sightings s WHERE s.item_id = i.id AND " \
                   "s.report_id = ?)"
            args.append(report_id)
        return [r[0] for r in self._db.execute(sql + " ORDER BY i.id", args)]

    def verified(self, verdicts: tuple[str, ...]) -> list[Verified]:
        """The own lists: final items with these verdicts (the verified list holds the
        illegal ones, the not-illegal list the rest), with their assessors as provenance."""
        marks = ", ".join("?" for _ in verdicts)
        final = f"i.state = '{ItemState.FINAL.value}' AND i.final_verdict IN ({marks})"
        assessors: dict[int, list[str]] = {}
        for item_id, user, at in self._db.execute(
                "SELECT a.item_id, a.user_id, a.at FROM assessments a JOIN items i ON "
                f"i.id = a.item_id AND a.cycle = i.cycle WHERE {final} ORDER BY a.id",
                list(verdicts)):
            assessors.setdefault(item_id, []).append(f"{self._users.name_of(user)}@{at}")
        cursor = self._db.execute(
            f"SELECT {', '.join('i.' + c for c in _VERIFIED)} FROM items i WHERE {final} "
            "ORDER BY i.id", list(verdicts))
        out = []
        for row in cursor:
            r = self._sealer.open_many("items", _VERIFIED, row, HASHES)
            out.append(Verified(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                                " ".join(assessors.get(r[0], []))))
        return out

    # ------------------------------------------------------------ exposure

    def add_exposure(self, user: str, item_id: int, seconds: float) -> None:
        now = utc_now()
        self._db.execute("INSERT INTO exposures (user_id, item_id, started, seconds, day) "
                         "VALUES (?, ?, ?, ?, ?)",
                         [self._users.id_of(user), item_id, now, seconds, now[:10]])

    def exposure(self, user: str, day: str) -> tuple[int, float]:
        row = self._db.execute("SELECT count(*), coalesce(sum(seconds), 0) FROM exposures "
                               "WHERE user_id = ? AND day = ?",
                               [self._users.id_of(user), day]).fetchone()
        return int(row[0]), float(row[1])

    # ------------------------------------------------------------ retention

    def expired(self, days: int, now: datetime | None = None) -> list[tuple[int, str]]:
        """(item id, blob) of final or confirmed items whose retention has run out: `days`
        after the last notice carrying the item was closed, or, for an item on no notice,
        after it became final or was confirmed. Items on an open notice are kept."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        rows = self._db.execute(
            "SELECT i.id, i.blob FROM items i WHERE i.blob IS NOT NULL AND i.state IN "
            f"{sql_set(SETTLED)} AND i.final_at IS NOT NULL AND CASE "
            "WHEN EXISTS (SELECT 1 FROM notice_urls u WHERE u.item_id = i.id) THEN "
            "  NOT EXISTS (SELECT 1 FROM notice_urls u JOIN notices n ON n.id = u.notice_id "
            f"              WHERE u.item_id = i.id AND n.state NOT IN {sql_set(DONE_NOTICES)})"
            "  AND (SELECT max(n.closed_at) FROM notice_urls u JOIN notices n ON "
            "       n.id = u.notice_id WHERE u.item_id = i.id) <= ? "
            "ELSE i.final_at <= ? END", [cutoff, cutoff])
        return [(r[0], r[1]) for r in rows]
