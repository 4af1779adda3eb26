"""Hold Space to look, under a real X server and keyboard: the reveal lasts exactly as long as
the key is physically held, one hold is one audited reveal whatever X auto-repeat does, and
nothing stays unblurred after the release wherever the focus went meanwhile."""

import time

import pytest

from tests.gui.x11.conftest import Window, busy, changed, settle

pytestmark = pytest.mark.slow


def reveals(desk) -> list[float]:
    return [e.detail["seconds"] for e in reversed(desk.audit_entries(action="item.reveal"))]


def hold_space(window: Window, seconds: float) -> float:
    """Hold Space for `seconds`; the time it was really held, as the test measured it."""
    window.key_down("space")
    start = time.monotonic()
    settle(seconds)
    held = time.monotonic() - start
    window.key_up("space")
    return held


def test_one_held_space_under_load_is_one_reveal_of_its_length(window: Window,
                                                                 desk_of) -> None:
    anna = desk_of("anna")
    before = window.still()
    load = busy()
    try:
        window.key_down("space")
        start = time.monotonic()
        during = window.grab()
        while changed(before, during) is None and time.monotonic() - start < 1.8:
            settle(0.1)  # under load the first sharp frame may take a while to paint
            during = window.grab()
        settle(max(0.0, 2.0 - (time.monotonic() - start)))  # about 40 auto-repeats in all
        held = time.monotonic() - start
        window.key_up("space")
    finally:
        for process in load:
            process.kill()
    settle(0.6)
    after = window.grab()
    window.keep(before, "before-space")
    window.keep(during, "held-space")
    window.keep(after, "released-space")
    picture = changed(before, during)
    assert picture is not None, "holding Space revealed nothing"
    assert changed(before.crop(picture), after.crop(picture)) is None, "still unblurred"
    audited = reveals(anna)
    assert len(audited) == 1, audited
    assert audited[0] == pytest.approx(held, abs=0.1)


def test_tab_while_space_is_held_blurs_at_once_and_for_good(window: Window, desk_of) -> None:
    anna = desk_of("anna")
    before = window.still()
    window.key_down("space")
    start = time.monotonic()
    settle(0.5)
    during = window.grab()
    window.key("Tab")
    looked = time.monotonic() - start
    settle(1.0)  # Space is still down, repeating
    still_held = window.grab()
    window.key_up("space")
    settle(0.5)
    picture = changed(before, during)
    assert picture is not None
    assert changed(before.crop(picture), still_held.crop(picture)) is None
    assert changed(before.crop(picture), window.grab().crop(picture)) is None
    audited = reveals(anna)
    assert len(audited) == 1
    assert audited[0] == pytest.approx(looked, abs=0.15)


def test_a_click_on_the_details_while_space_is_held_blurs(window: Window, desk_of) -> None:
    anna = desk_of("anna")
    before = window.still()
    window.key_down("space")
    settle(0.4)
    during = window.grab()
    picture = changed(before, during)
    assert picture is not None
    # the details pane lies below the picture, its caption and the row of buttons
    window.click((picture[0] + picture[2]) // 2, picture[3] + 110)
    settle(0.8)
    clicked = window.grab()
    window.key_up("space")
    settle(0.5)
    window.keep(clicked, "click-while-held")
    assert changed(before.crop(picture), clicked.crop(picture)) is None
    assert len(reveals(anna)) == 1


def test_a_whole_session_by_keys_alone(window: Window, desk_of) -> None:
    """No click at all: the keys work from the first moment after login."""
    anna = desk_of("anna")
    first = anna.queue_ids()[0]
    held = hold_space(window, 0.5)
    settle(0.4)
    window.key("b")  # round 1 of the first item
    settle(0.4)
    held2 = hold_space(window, 0.3)
    settle(0.4)
    window.key("n", "j", "x")  # national, then skip one and call the next not illegal
    settle(1.0)
    window.keep(window.grab(), "session-by-keys")
    audited = reveals(anna)
    assert audited == [pytest.approx(held, abs=0.1), pytest.approx(held2, abs=0.1)]
    given = list(anna.audit_entries(action="item.assess"))
    assert len(given) == 3
    assert str(first) in {e.target for e in given}
    assert anna.exposure_today().views == 2
