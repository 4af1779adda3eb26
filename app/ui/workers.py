"""Long work off the GUI thread: a QRunnable whose progress and result come back by signal.

The work gets a progress callback and a cancel token, as every long Desk method takes them;
the GUI decides what to refresh from the returned result (Anki's CollectionOp pattern)."""

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.desk import CancelToken, Progress
from app.errors import HotlineError


class TaskSignals(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, work: Callable[[Callable[[Progress], None], CancelToken], Any]) -> None:
        super().__init__()
        self.signals = TaskSignals()
        self.cancel = CancelToken()
        self._work = work
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self.cancel)
        except HotlineError as exc:
            self.signals.failed.emit(str(exc))
        except Exception:
            self.signals.failed.emit("unexpected error:\n" + traceback.format_exc(limit=5))
        else:
            self.signals.finished.emit(result)


def start(task: Task) -> Task:
    QThreadPool.globalInstance().start(task)
    return task
