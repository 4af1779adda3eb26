"""Monthly figures: reports, items, verdicts, exposure avoided, notices, time to removal."""

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from app.workspace.clock import parse_utc
from app.workspace.figures import FigureStore


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


def monthly(store: FigureStore, start: str | None, end: str | None) -> list[Month]:
    """Figures per month between start and end (YYYY-MM-DD, inclusive), oldest first."""
    lo, hi = start or "0000", (end or "9999") + "\uffff"
    months: dict[str, Month] = {}

    def month(stamp: str) -> Month:
        key = stamp[:7]
        return months.setdefault(key, Month(key))

    for count in store.counts(lo, hi):
        m = month(count.month)
        setattr(m, count.figure, getattr(m, count.figure) + count.n)
    for removal in store.removals(lo, hi):
        m = month(removal.removed)
        m.urls_removed += 1
        m.removal_hours.append(
            (parse_utc(removal.removed) - parse_utc(removal.received)).total_seconds() / 3600)
    return [months[k] for k in sorted(months)]
