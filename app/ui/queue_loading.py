"""The queue's item ids: the first screens at once, the rest in the background. Listing the
ids of a queue of 100,000 items takes about 0.3 s, too long for one frame; the first few
hundred take milliseconds. So the queue opens with those and grows to its full length on a
session copy in the pool while the user already works."""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.desk import Desk
from app.ui.workers import Task, desk_op

FIRST_ROWS = 400  # listed at once: more than any screen shows, beyond the current row
ALL = 1_000_000   # the Desk's own cap on a queue listing


@dataclass(frozen=True)
class QueueQuery:
    """What the queue shows: its filters as the user set them."""

    find: str = ""
    settled: bool = False
    report: str | None = None
    status: str | None = None
    list_name: str | None = None

    def ids(self, desk: Desk, limit: int) -> tuple[list[int], bool]:
        """The first `limit` ids, and whether that may not be all of them."""
        if self.find:
            return desk.find_items(self.find), False
        if self.settled:
            return desk.settled_ids(), False
        ids = desk.queue_ids(limit=limit, report=self.report, status=self.status,
                             list_name=self.list_name)
        return ids, len(ids) >= limit


class RestLoader(QObject):
    """Lists the whole queue in the background; only the newest request's answer counts
    (the filters changed or a verdict refreshed the list since: the older one is dropped)."""

    arrived = Signal(object)  # a list of 100,000 ids: passed as it is, not as a QVariantList
    failed = Signal(str)

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._generation = 0
        self._task: Task | None = None  # kept while it runs

    def drop(self) -> None:
        """Forget any request on its way (a new first screen was just listed)."""
        self._generation += 1

    def load(self, query: QueueQuery) -> None:
        self.drop()
        generation = self._generation
        self._task = desk_op(self._desk, "", lambda d: query.ids(d, ALL)[0],
                             self._answer(generation, self.arrived.emit),
                             self._answer(generation, self.failed.emit))

    def _answer(self, generation: int, emit: Callable[[object], None]
                ) -> Callable[[object], None]:
        def answer(value: object) -> None:
            if generation == self._generation:
                emit(value)
        return answer
