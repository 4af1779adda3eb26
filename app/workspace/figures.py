"""The counts behind the monthly statistics, as typed rows: the SQL stays in the workspace and
`app.stats` only adds them up."""

from dataclasses import dataclass

from app.workspace.db import Database
from app.workspace.states import ItemState

VERDICTS = ("baseline", "national", "not_illegal")


@dataclass(frozen=True)
class Count:
    """`n` things of one kind (`figure`, a field of `app.stats.figures.Month`) in a month."""

    month: str
    figure: str
    n: int


@dataclass(frozen=True)
class Removal:
    """A URL taken down: when it was reported and when it was found gone."""

    received: str
    removed: str


_COUNTS = (
    ("reports", "SELECT substr(received, 1, 7), count(*) FROM reports "
                "WHERE received BETWEEN ? AND ? GROUP BY 1"),
    ("items", "SELECT substr(created, 1, 7), count(*) FROM items "
              "WHERE created BETWEEN ? AND ? GROUP BY 1"),
    ("media_seen", "SELECT substr(seen, 1, 7), count(*) FROM sightings "
                   "WHERE kind = 'media' AND seen BETWEEN ? AND ? GROUP BY 1"),
    ("settled_by_hash", "SELECT substr(s.seen, 1, 7), count(*) FROM sightings s JOIN items i "
                        "ON i.id = s.item_id WHERE s.kind = 'media' AND s.seen BETWEEN ? AND ? "
                        f"AND (s.duplicate = 1 OR i.state = '{ItemState.CONFIRMED.value}') "
                        "GROUP BY 1"),
    ("assessments", "SELECT substr(at, 1, 7), count(*) FROM assessments "
                    "WHERE at BETWEEN ? AND ? GROUP BY 1"),
    ("notices_sent", "SELECT substr(sent_at, 1, 7), count(*) FROM notices "
                     "WHERE sent_at BETWEEN ? AND ? GROUP BY 1"),
)


class FigureStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def counts(self, lo: str, hi: str) -> list[Count]:
        """Every monthly count with a time stamp between lo and hi (ISO text, inclusive)."""
        out = [Count(month, figure, n) for figure, sql in _COUNTS
               for month, n in self._db.execute(sql, [lo, hi])]
        for verdict in VERDICTS:
            out += [Count(month, f"final_{verdict}", n) for month, n in self._db.execute(
                "SELECT substr(final_at, 1, 7), count(*) FROM items WHERE final_at BETWEEN ? "
                "AND ? AND final_verdict = ? GROUP BY 1", [lo, hi, verdict])]
        return out

    def removals(self, lo: str, hi: str) -> list[Removal]:
        return [Removal(received, removed) for removed, received in self._db.execute(
            "SELECT n.removed_at, r.received FROM notice_urls n JOIN sightings s ON s.id = "
            "n.sighting_id JOIN reports r ON r.id = s.report_id WHERE n.removed_at BETWEEN ? "
            "AND ?", [lo, hi])]
