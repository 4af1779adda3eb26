"""Long work reports progress and can be cancelled: the CLI draws a bar, the GUI a progress
bar fed by worker signals; both pass a callback and a token to the same Desk method."""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import HotlineError


class Cancelled(HotlineError):
    """The user cancelled the work; what was committed before stays."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None  # None while the total is unknown
    stage: str


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: nobody is watching."""
