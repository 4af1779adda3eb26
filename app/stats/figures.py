"""Monthly figures: reports, items, verdicts, exposure avoided, notices, time to removal."""

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from app.workspace.clock import parse_utc


@dataclass
class Month:
    month: str
    reports: int = 0
    items: int = 0
    media_seen: int = 0
    settled_by_hash: int = 0
    assessments: int = 0
    final_baseline: int = 0
    final_national: int = 0
    final_not_illegal: int = 0
    notices_sent: int = 0
    urls_removed: int = 0
    removal_hours: list[float] = field(default_factory=list, repr=False)

    @property
    def exposure_avoided(self) -> float:
        """Share of media seen that nobody had to look at: duplicates of items already in the
        workspace and exact hits on trusted lists confirmed from metadata."""
        return self.settled_by_hash / self.media_seen if self.media_seen else 0.0

    @property
    def median_removal_hours(self) -> float | None:
        return statistics.median(self.removal_hours) if self.removal_hours else None

    @property
    def p90_removal_hours(self) -> float | None:
        if not self.removal_hours:
            return None
        ordered = sorted(self.removal_hours)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]

    def as_row(self) -> dict[str, Any]:
        row = {k: v for k, v in asdict(self).items() if k != "removal_hours"}
        row.update(exposure_avoided=round(self.exposure_avoided, 4),
                   median_removal_hours=self.median_removal_hours,
                   p90_removal_hours=self.p90_removal_hours)
        return row


def monthly(db: sqlite_utils.Database, start: str | None, end: str | None) -> list[Month]:
    """Figures per month between start and end (YYYY-MM-DD, inclusive), oldest first."""
    lo, hi = start or "0000", (end or "9999") + "\uffff"
    months: dict[str, Month] = {}

    def month(stamp: str) -> Month:
        key = stamp[:7]
        return months.setdefault(key, Month(key))

    def count(sql: str, attribute: str) -> None:
        for stamp, n in db.execute(sql, [lo, hi]):
            setattr(month(stamp), attribute, getattr(month(stamp), attribute) + n)

    count("SELECT substr(received, 1, 7), count(*) FROM reports WHERE received BETWEEN ? AND ?"
          " GROUP BY 1", "reports")
    count("SELECT substr(created, 1, 7), count(*) FROM items WHERE created BETWEEN ? AND ? "
          "GROUP BY 1", "items")
    count("SELECT substr(seen, 1, 7), count(*) FROM sightings WHERE kind = 'media' AND seen "
          "BETWEEN ? AND ? GROUP BY 1", "media_seen")
    count("SELECT substr(s.seen, 1, 7), count(*) FROM sightings s JOIN items i ON i.id = "
          "s.item_id WHERE s.kind = 'media' AND s.seen BETWEEN ? AND ? AND (s.duplicate = 1 OR "
          "i.state = 'confirmed') GROUP BY 1", "settled_by_hash")
    count("SELECT substr(at, 1, 7), count(*) FROM assessments WHERE at BETWEEN ? AND ? "
          "GROUP BY 1", "assessments")
    for verdict in ("baseline", "national", "not_illegal"):
        for stamp, n in db.execute("SELECT substr(final_at, 1, 7), count(*) FROM items WHERE "
                                   "final_at BETWEEN ? AND ? AND final_verdict = ? GROUP BY 1",
                                   [lo, hi, verdict]):
            m = month(stamp)
            setattr(m, f"final_{verdict}", getattr(m, f"final_{verdict}") + n)
    count("SELECT substr(sent_at, 1, 7), count(*) FROM notices WHERE sent_at BETWEEN ? AND ? "
          "GROUP BY 1", "notices_sent")
    for removed, received in db.execute(
            "SELECT n.removed_at, r.received FROM notice_urls n JOIN sightings s ON s.id = "
            "n.sighting_id JOIN reports r ON r.id = s.report_id WHERE n.removed_at BETWEEN ? "
            "AND ?", [lo, hi]):
        m = month(removed)
        m.urls_removed += 1
        m.removal_hours.append(
            (parse_utc(removed) - parse_utc(received)).total_seconds() / 3600)
    return [months[k] for k in sorted(months)]
