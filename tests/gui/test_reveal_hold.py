"""The reveal state machine: one physical hold = one reveal with its exact duration, whatever
X auto-repeat, focus changes and other keys do in between."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ui.reveal_hold import Phase, RevealHold


@dataclass
class FakeViewer:
    reveals: list[float] = field(default_factory=list)
    sharp: bool = False
    started: float | None = None
    has_content: bool = True

    def reveal(self, at: float) -> bool:
        if not self.has_content:
            return False
        if self.started is None:
            self.started = at
        self.sharp = True
        return True

    def set_sharp(self, sharp: bool) -> None:
        self.sharp = sharp and self.started is not None

    def conceal(self, at: float) -> None:
        if self.started is not None:
            self.reveals.append(at - self.started)
        self.started, self.sharp = None, False


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def machine() -> tuple[RevealHold, FakeViewer, Clock]:
    viewer, clock = FakeViewer(), Clock()
    return RevealHold(viewer, clock), viewer, clock


def test_unmarked_auto_repeat_pairs_are_one_reveal() -> None:
    hold, viewer, clock = machine()
    hold.press(stamp=1000)
    for i in range(1, 26):  # 25 repeats over 2 s, none marked as repeats by Qt
        clock.now += 0.04
        hold.release(stamp=1000 + 40 * i)
        hold.press(stamp=1000 + 40 * i)
        assert viewer.sharp
    clock.now += 1.0
    hold.release(stamp=99999)
    assert not viewer.sharp  # blurred at the release itself...
    clock.now += 0.15
    hold.settle()  # ... and counted once the grace passed, to the release
    assert viewer.reveals == [pytest.approx(2.0)]


def test_a_release_blurs_at_once_and_counts_to_the_release() -> None:
    hold, viewer, clock = machine()
    hold.press(stamp=1)
    clock.now += 0.5
    hold.release(stamp=2)
    assert not viewer.sharp
    clock.now += 0.15
    hold.settle()
    assert viewer.reveals == [pytest.approx(0.5)]
    assert hold.phase is Phase.IDLE


def test_marked_repeats_change_nothing() -> None:
    hold, viewer, clock = machine()
    hold.press(stamp=1)
    for _ in range(10):
        hold.release(stamp=5, repeat=True)
        hold.press(stamp=5, repeat=True)
    clock.now += 1
    hold.release(stamp=9)
    hold.settle()
    assert viewer.reveals == [1.0]


def test_a_new_press_after_a_real_release_is_a_second_reveal() -> None:
    hold, viewer, clock = machine()
    hold.press(stamp=1)
    clock.now += 1
    hold.release(stamp=2)
    clock.now += 0.05  # pressed again quickly, before the grace passed
    hold.press(stamp=3)
    clock.now += 1
    hold.release(stamp=4)
    hold.settle()
    assert viewer.reveals == [1.0, 1.0]


def test_something_else_ends_the_reveal_and_the_held_key_does_not_bring_it_back() -> None:
    hold, viewer, clock = machine()
    hold.press(stamp=1)
    clock.now += 0.3
    hold.blur()  # Tab, a click elsewhere, moving on
    assert viewer.reveals == [pytest.approx(0.3)]
    for stamp in (40, 80, 120):  # auto-repeat of the still held key
        hold.release(stamp=stamp)
        hold.press(stamp=stamp)
        assert not viewer.sharp
    hold.release(stamp=200)
    hold.settle()
    assert viewer.reveals == [pytest.approx(0.3)]
    hold.press(stamp=300)  # a fresh press reveals again
    assert viewer.sharp


def test_after_losing_the_keyboard_the_next_press_reveals() -> None:
    hold, viewer, _ = machine()
    hold.press(stamp=1)
    hold.blur(key_still_down=False)  # another window took the keyboard: its release is lost
    hold.press(stamp=500)
    assert viewer.sharp


def test_the_button_has_no_grace() -> None:
    hold, viewer, clock = machine()
    hold.press()
    clock.now += 0.7
    hold.release(final=True)
    assert viewer.reveals == [pytest.approx(0.7)]
    assert hold.phase is Phase.IDLE


def test_nothing_to_show_reveals_nothing() -> None:
    hold, viewer, _ = machine()
    viewer.has_content = False
    hold.press(stamp=1)
    hold.release(stamp=2)
    hold.settle()
    assert viewer.reveals == []


events = st.sampled_from(["press", "release", "repeat_pair", "marked_pair", "blur", "lost",
                          "settle", "tick"])


@given(st.lists(events, max_size=60))
def test_never_sharp_unless_held_and_every_reveal_counted_once(seq: list[str]) -> None:
    hold, viewer, clock = machine()
    held = False
    for stamp, event in enumerate(seq, start=1):
        if event == "press" and not held:
            hold.press(stamp=stamp)
            held = True
        elif event == "release" and held:
            hold.release(stamp=stamp)
            held = False
        elif event == "repeat_pair" and held:
            hold.release(stamp=stamp)
            hold.press(stamp=stamp)
        elif event == "marked_pair" and held:
            hold.release(stamp=stamp, repeat=True)
            hold.press(stamp=stamp, repeat=True)
        elif event == "blur":
            hold.blur()
        elif event == "lost":
            hold.blur(key_still_down=False)
            held = False
        elif event == "settle":
            hold.settle()
        else:
            clock.now += 0.1
        if viewer.sharp:
            assert held
    hold.blur(key_still_down=False)
    assert viewer.started is None
    assert all(seconds >= 0 for seconds in viewer.reveals)
