"""Flood control: a list entry (or a whole list) that hits many distinct items in a short
time is a blank image, a logo, a meme or a broken list, not a hotline's finding. It is held
(quarantined): its hits stay visible, but give no machine verdict until a list keeper
releases it. The counts come from the stored matches (each names the entry it hit)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.workspace.clock import utc_now
from app.workspace.db import Database
from app.workspace.sealing import Sealer
from app.workspace.states import ItemState, held, sql_set
from app.workspace.users import UserStore


@dataclass(frozen=True)
class Quarantine:
    list_name: str
    entry: int | None  # None: the whole list
    items: int  # distinct items hit within `hours` when it was held
    hours: int
    since: str


def _since(hours: int) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FloodStore:
    def __init__(self, db: Database, users: UserStore, sealer: Sealer) -> None:
        self._db = db
        self._users = users
        self._sealer = sealer

    def _key(self, list_name: str) -> bytes:
        return self._sealer.lookup("lists.name", list_name)

    def active(self) -> list[Quarantine]:
        rows = self._db.execute("SELECT list_name, entry, items, hours, since FROM quarantines "
                                "WHERE released IS NULL ORDER BY id").fetchall()
        return [Quarantine(self._sealer.open("quarantines.list_name", r[0]) or "", r[1], r[2],
                           r[3], r[4]) for r in rows]

    def _counted_from(self, list_name: str, hours: int) -> str:
        """The window's start, or the list's last release if later: hits before a keeper
        released the list do not hold it again at once."""
        row = self._db.execute("SELECT max(released) FROM quarantines WHERE list_key = ?",
                               [self._key(list_name)]).fetchone()
        start = _since(hours)
        return max(start, row[0]) if row and row[0] else start

    def items_hit(self, list_name: str, entry: int | None, hours: int) -> int:
        """Distinct items the entry (None: any entry of the list) hit in the last `hours`."""
        since = self._counted_from(list_name, hours)
        sql: str
        args: list[object]
        if entry is None:
            sql, args = ("SELECT count(DISTINCT item_id) FROM matches WHERE list_key = ? AND "
                         "matched >= ? AND negative = 0", [self._key(list_name), since])
        else:
            sql, args = ("SELECT count(DISTINCT item_id) FROM matches WHERE list_key = ? AND "
                         "entry = ? AND matched >= ?", [self._key(list_name), entry, since])
        return int(self._db.execute(sql, args).fetchone()[0])

    def hold(self, list_name: str, entry: int | None, items: int, hours: int) -> list[int]:
        """Quarantine; returns the items whose machine verdict now waits for a person."""
        self._db.execute("INSERT INTO quarantines (list_name, list_key, entry, items, hours, "
                         "since) VALUES (?, ?, ?, ?, ?, ?)",
                         [self._sealer.seal("quarantines.list_name", list_name),
                          self._key(list_name), entry, items, hours, utc_now()])
        where = "m.list_key = ?" + ("" if entry is None else " AND m.entry = ?")
        args: list[object] = [self._key(list_name)] + ([] if entry is None else [entry])
        waiting = [r[0] for r in self._db.execute(
            f"SELECT DISTINCT i.id FROM items i JOIN matches m ON m.item_id = i.id WHERE {where} "
            f"AND i.machine_list_key = m.list_key AND i.state IN "
            f"{sql_set((ItemState.MACHINE,))}",
            args)]
        for item_id in waiting:
            self._db.execute("UPDATE items SET state = ? WHERE id = ?",
                             [held(ItemState.MACHINE).value, item_id])
        return waiting

    def release(self, list_name: str, by: str) -> int:
        """Lift every hold on the list; returns how many there were."""
        cursor = self._db.execute("UPDATE quarantines SET released = ?, released_by = ? "
                                  "WHERE list_key = ? AND released IS NULL",
                                  [utc_now(), self._users.id_of(by), self._key(list_name)])
        return cursor.rowcount
