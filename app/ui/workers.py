"""Long work off the GUI thread: a QRunnable whose progress and result come back by signal.

The work gets a progress callback and a cancel token, as every long Desk method takes them;
the GUI decides what to refresh from the returned result (Anki's CollectionOp pattern)."""

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app import logs
from app.desk import CancelToken, Desk, Progress
from app.errors import HotlineError

T = TypeVar("T")


class TaskSignals(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    def __init__(self, work: Callable[[Callable[[Progress], None], CancelToken], Any],
                 name: str = "") -> None:
        super().__init__()
        self.signals = TaskSignals()
        self.cancel = CancelToken()
        self.name = name  # shown in the status bar while it runs; empty: not shown
        self._work = work
        self.relay: QObject | None = None  # desk_op's receiver, kept as long as the task
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self.cancel)
        except HotlineError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: to the log, and said as one, never as a rule
            logs.crashed(f"gui task {self.name or 'unnamed'}", exc)
            self.signals.failed.emit(f"something went wrong; see the log in {logs.log_dir()}")
        else:
            self.signals.finished.emit(result)


class JobBoard(QObject):
    """Every task started and not yet ended, so that none is garbage-collected while its
    thread still runs (a stopped playback, say); the named ones are shown in the status bar.
    A task leaves when its last signal has reached the GUI thread."""

    changed = Signal(list)  # names of the running named jobs

    def __init__(self) -> None:
        super().__init__()
        self._running: dict[TaskSignals, Task] = {}

    def add(self, task: Task) -> None:
        self._running[task.signals] = task
        # Worker signals reach @Slot methods only (PYSIDE-3124: lambdas may crash).
        task.signals.finished.connect(self._finished)
        task.signals.failed.connect(self._failed)
        if task.name:
            self.changed.emit(self.names())

    @Slot(object)
    def _finished(self, _result: object) -> None:
        self._drop()

    @Slot(str)
    def _failed(self, _message: str) -> None:
        self._drop()

    def _drop(self) -> None:
        task = self._running.pop(self.sender(), None)  # type: ignore[call-overload]
        if task is not None and task.name:
            self.changed.emit(self.names())

    def names(self) -> list[str]:
        return [task.name for task in self._running.values() if task.name]

    def finish(self, wait_ms: int = 5000) -> None:
        """At exit: cancel what still runs (an import resumes next time) and let the threads
        end before the interpreter does."""
        for task in self._running.values():
            task.cancel.cancel()
        QThreadPool.globalInstance().waitForDone(wait_ms)


_board: JobBoard | None = None


def board() -> JobBoard:
    global _board
    if _board is None:
        _board = JobBoard()
    return _board


def start(task: Task) -> Task:
    board().add(task)
    QThreadPool.globalInstance().start(task)
    return task


class _Relay(QObject):
    """Hands a task's result or failure to plain callables on the GUI thread: worker signals
    reach @Slot methods only (PYSIDE-3124), so the callables never connect to them directly."""

    def __init__(self, done: Callable[[Any], None], failed: Callable[[str], None]) -> None:
        super().__init__()
        self._done, self._failed = done, failed

    @Slot(object)
    def finished(self, result: object) -> None:
        self._done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        self._failed(message)


def desk_op(desk: Desk, name: str, call: Callable[[Desk], T], done: Callable[[T], None],
            failed: Callable[[str], None]) -> Task:
    """The one way the GUI does slow Desk work (network, vault reads, PDF, verification): on a
    copy of the session with its own connection, in the pool; `done` or `failed` then runs on
    the GUI thread. Named work shows in the status bar while it runs."""
    background = desk.session_copy()

    def work(_progress: Callable[[Progress], None], _cancel: CancelToken) -> T:
        try:
            return call(background)
        finally:
            background.close()

    task = Task(work, name)
    relay = task.relay = _Relay(done, failed)
    task.signals.finished.connect(relay.finished)
    task.signals.failed.connect(relay.failed)
    return start(task)
