"""Other workstations' work, heard as it happens: a thread that waits on the team server's
notifications (`Desk.changes`) and says `changed`; the queue then refreshes itself, keeping
the item on screen where it is. A folder workspace has nothing to hear."""

import logging

from PySide6.QtCore import QObject, QThread, Signal

from app.desk import Changes

log = logging.getLogger(__name__)


class ChangeWatch(QThread):
    changed = Signal()

    def __init__(self, changes: Changes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changes = changes

    def run(self) -> None:
        while not self.isInterruptionRequested():
            try:
                heard = self._changes.wait(0.5)
            except Exception as exc:
                log.warning("stopped listening for other workstations' changes: %s",
                            type(exc).__name__)
                return
            if heard:
                self.changed.emit()

    def stop(self) -> None:
        self.requestInterruption()
        self.wait(3000)
        self._changes.close()
