"""Table models over Desk queries. The queue model holds only item ids and fetches a row when
a view asks for it, caching the last few thousand (as Anki's browser does): 100,000 items
scroll freely."""

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.text import size_text

Index = QModelIndex | QPersistentModelIndex
CACHED_ROWS = 2000  # rows kept (a few screens' worth): a row takes 0.1 ms to fetch again, and
# a cache of every row scrolled past grows the heap each GC pass walks (a 100 ms frame at 100k)


class _Table(QAbstractTableModel):
    """Columns named once; rows counted by `_count`."""

    COLUMNS: Sequence[str] = ()

    def _count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class QueueModel(_Table):
    # What an analyst decides by comes first, so that it fits beside the viewer unscrolled.
    COLUMNS = ("Item", "Status", "Match", "Host", "Size", "Report", "State", "Machine verdict",
               "Type")
    STATUS = 1

    def __init__(self, ids: Callable[[], list[int]], row: Callable[[int], Any]) -> None:
        super().__init__()
        self._fetch_ids = ids
        self._fetch_row = row
        self._ids: list[int] = []
        self._cache: dict[int, Any] = {}

    def refresh(self) -> None:
        """A new query: reset inside try/finally so a failing query leaves a sane model."""
        self.beginResetModel()
        try:
            self._ids = list(self._fetch_ids())
            self._cache.clear()
        finally:
            self.endResetModel()

    def grow(self, ids: list[int]) -> bool:
        """The whole list after its first screens: rows added at the end when it begins with
        what is shown (True); otherwise the list replaced (the caller finds its row again)."""
        if ids[:len(self._ids)] == self._ids:
            if len(ids) > len(self._ids):
                self.beginInsertRows(QModelIndex(), len(self._ids), len(ids) - 1)
                self._ids = list(ids)
                self.endInsertRows()
            return True
        self.beginResetModel()
        try:
            self._ids = list(ids)
            self._cache.clear()
        finally:
            self.endResetModel()
        return False

    def item_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int | None:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return None

    def _count(self) -> int:
        return len(self._ids)

    def row(self, row: int) -> Any:
        item_id = self._ids[row]
        cached = self._cache.pop(item_id, None)
        if cached is None:
            cached = self._fetch_row(item_id)
            if len(self._cache) >= CACHED_ROWS:  # the oldest goes: dicts keep their order
                del self._cache[next(iter(self._cache))]
        self._cache[item_id] = cached
        return cached

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        r = self.row(index.row())
        values = (r.item_id, r.status, r.match, r.country or "", size_text(r.size), r.report,
                  r.state, r.machine_verdict or "", r.mime)
        return values[index.column()]


class RowsModel(_Table):
    """A small table (lists, users, audit entries, settings) refreshed from a Desk query."""

    def __init__(self, columns: Sequence[str], query: Callable[[], list[Any]],
                 cells: Callable[[Any], Sequence[Any]]) -> None:
        super().__init__()
        self.COLUMNS = tuple(columns)
        self._query = query
        self._cells = cells
        self.rows: list[Any] = []

    def refresh(self) -> None:
        self.beginResetModel()
        try:
            self.rows = list(self._query())
        finally:
            self.endResetModel()

    def _count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        value = self._cells(self.rows[index.row()])[index.column()]
        return "" if value is None else str(value)
