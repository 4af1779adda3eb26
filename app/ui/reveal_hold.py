"""One physical hold of the reveal key is one reveal, with its exact duration.

X11 auto-repeat reaches a window as release/press pairs with the same server time stamp, and
Qt marks them as repeats only when both are already queued: under load, many are not marked.
So a release is not final at once: the picture blurs at the release, and the reveal ends (and
is counted) only when no press of the same key stamp follows within a short grace. Anything
else that happens while revealed (another key, a focus change, a dialog, moving on, locking)
ends the reveal at once, and the key must be released and pressed again to look again.

This module is the state machine alone (no Qt): `RevealKeys` feeds it events and a timer.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

GRACE_SECONDS = 0.15  # longer than any queued repeat pair takes to arrive under load


class Shown(Protocol):
    """What is revealed: the viewer."""

    def reveal(self, at: float) -> bool: ...          # False: nothing to reveal
    def conceal(self, at: float) -> None: ...          # ends the reveal, counted to `at`
    def set_sharp(self, sharp: bool) -> None: ...      # the picture only, nothing counted


class Phase(Enum):
    IDLE = "idle"              # key up, blurred
    SHOWN = "shown"            # key held, revealed
    RELEASING = "releasing"    # a release seen: blurred, counted unless a repeat press follows
    SPENT = "spent"            # key still held, but the reveal was ended by something else
    SPENT_RELEASING = "spent_releasing"


@dataclass
class _Release:
    at: float
    stamp: int | None


class RevealHold:
    def __init__(self, shown: Shown, clock: Callable[[], float] = time.monotonic) -> None:
        self.shown = shown
        self.clock = clock
        self.phase = Phase.IDLE
        self._release: _Release | None = None

    @property
    def waiting(self) -> bool:
        """A release is waiting for the grace to pass (the caller runs the timer)."""
        return self.phase in (Phase.RELEASING, Phase.SPENT_RELEASING)

    def press(self, stamp: int | None = None, repeat: bool = False) -> None:
        if repeat:
            return
        if self.phase is Phase.IDLE:
            self._start()
        elif self.phase in (Phase.RELEASING, Phase.SPENT_RELEASING):
            assert self._release is not None
            if self._release.stamp is not None and stamp == self._release.stamp:
                # an auto-repeat pair: the same hold goes on
                if self.phase is Phase.RELEASING:
                    self.shown.set_sharp(True)
                    self.phase = Phase.SHOWN
                else:
                    self.phase = Phase.SPENT
                self._release = None
                return
            self.settle()  # a real release, then a real new press
            self._start()
        elif self.phase is Phase.SPENT and stamp is None:
            # the button, or a press whose release we never saw (another window had it)
            self._start()

    def release(self, stamp: int | None = None, repeat: bool = False,
                final: bool = False) -> None:
        """`final`: no auto-repeat can follow (the mouse button)."""
        if repeat:
            return
        if self.phase is Phase.SHOWN:
            self._release = _Release(self.clock(), stamp)
            self.shown.set_sharp(False)
            self.phase = Phase.RELEASING
        elif self.phase is Phase.SPENT:
            self._release = _Release(self.clock(), stamp)
            self.phase = Phase.SPENT_RELEASING
        if final:
            self.settle()

    def settle(self) -> None:
        """The grace has passed: a waiting release was real."""
        if self.phase is Phase.RELEASING:
            assert self._release is not None
            self.shown.conceal(self._release.at)
        if self.waiting:
            self.phase = Phase.IDLE
            self._release = None

    def blur(self, key_still_down: bool = True) -> None:
        """Something other than the release ends the reveal now. With `key_still_down` False
        (the window lost the keyboard), the next press starts a new reveal."""
        if self.phase is Phase.SHOWN:
            self.shown.conceal(self.clock())
            self.phase = Phase.SPENT if key_still_down else Phase.IDLE
        elif self.waiting:
            self.settle()
        elif not key_still_down:
            self.phase = Phase.IDLE

    def _start(self) -> None:
        self.phase = Phase.SHOWN if self.shown.reveal(self.clock()) else Phase.SPENT
