"""Slow Desk work in the GUI goes through one pattern (`desk_op`): off the GUI thread, on a
copy of the session, its result or failure handed back on the GUI thread."""

import threading

from pytestqt.qtbot import QtBot

from app import logs
from app.errors import InvalidInput
from app.ui.workers import desk_op


def test_the_work_runs_off_the_gui_thread_and_the_result_comes_back_on_it(
        qtbot: QtBot, desk_of) -> None:
    anna = desk_of("anna")
    seen: dict[str, object] = {}

    def work(desk) -> int:
        seen["work thread"] = threading.current_thread()
        seen["same desk"] = desk is anna
        return len(desk.queue_ids())

    desk_op(anna, "counting", work, lambda n: seen.update(result=n,
                                                          done=threading.current_thread()),
            lambda message: seen.update(failed=message))
    qtbot.waitUntil(lambda: "result" in seen, timeout=30_000)
    assert seen["result"] == len(anna.queue_ids())
    assert seen["work thread"] is not threading.main_thread()
    assert seen["done"] is threading.main_thread()
    assert seen["same desk"] is False  # its own connection, closed after


def test_a_refusal_is_said_as_itself(qtbot: QtBot, desk_of) -> None:
    failed: list[str] = []

    def work(desk) -> None:
        raise InvalidInput("no such notice: N-9")

    desk_op(desk_of("anna"), "", work, lambda _: None, failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)
    assert failed == ["no such notice: N-9"]


def test_a_bug_goes_to_the_log_and_is_said_as_a_bug(qtbot: QtBot, desk_of) -> None:
    logs.start("gui")
    failed: list[str] = []

    reported = "http://reported.example/a.jpg"

    def work(desk) -> None:
        raise KeyError(reported)

    desk_op(desk_of("anna"), "exploding", work, lambda _: None, failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=30_000)
    assert failed[0].startswith("something went wrong; see the log")
    log = (logs.log_dir() / logs.FILE_NAME).read_text()
    assert "gui task exploding failed: KeyError" in log
    assert reported not in log  # the kind and the place, never the message
