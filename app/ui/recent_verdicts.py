"""My recent verdicts, under the queue: each can be taken back while its undo window lasts
(U takes back the one selected, Ctrl+Z the latest). Taking back is audited by the Desk."""

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.desk import Desk
from app.errors import HotlineError


class RecentVerdicts(QWidget):
    undo_requested = Signal(int)  # item id

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.list = QListWidget()
        self.list.setMaximumHeight(150)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the queue
        self.undo_button = QPushButton("Take &back the selected verdict (U)")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(self.undo_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("My recent verdicts"))
        layout.addWidget(self.list)
        layout.addWidget(self.undo_button)
        self._timer = QTimer(self)  # the undo windows close as time passes
        self._timer.timeout.connect(self._tick)
        self._timer.start(5000)
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_item()
        try:
            recent: list[Any] = self.desk.my_recent_verdicts(10)
        except HotlineError:
            return
        self.list.clear()
        for r in recent:
            left = f"undo for {r.undo_left:.0f} s" if r.undo_left > 0 else "settled for you"
            entry = QListWidgetItem(f"Item {r.item_id}: {r.verdict.replace('_', ' ')} "
                                    f"(round {r.round}, {r.at[11:19]} UTC, {left})")
            entry.setData(Qt.ItemDataRole.UserRole, r.item_id)
            if r.undo_left <= 0:
                entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(entry)
            if r.item_id == selected:
                self.list.setCurrentItem(entry)

    def selected_item(self) -> int | None:
        entry = self.list.currentItem()
        return None if entry is None else int(entry.data(Qt.ItemDataRole.UserRole))

    def undo_selected(self) -> None:
        item_id = self.selected_item()
        if item_id is None and self.list.count():
            item_id = int(self.list.item(0).data(Qt.ItemDataRole.UserRole))
        if item_id is not None:
            self.undo_requested.emit(item_id)
