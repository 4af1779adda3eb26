"""On a team's server the queue refreshes itself when another workstation adds or opens
items (the server's NOTIFY), without a click."""

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.desk import Desk
from app.ui.main_window import MainWindow
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


def test_the_queue_hears_another_workstation(qtbot: QtBot, pg_conninfo: str,
                                             tmp_path: Path) -> None:
    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        admin.add_user("ann", "analyst", PASSWORD)
        admin.add_user("bob", "analyst", PASSWORD)
    window = MainWindow(Desk.open(pg_conninfo, "bob", PASSWORD))
    qtbot.addWidget(window)
    try:
        assert window.queue.model.rowCount() == 0
        for i in range(2):
            (tmp_path / f"{i}.jpg").write_bytes(jpeg(8200 + i))
        with Desk.open(pg_conninfo, "ann", PASSWORD) as ann:
            items = ann.import_report(files=[tmp_path / "0.jpg", tmp_path / "1.jpg"]).item_ids
            start = time.monotonic()
            qtbot.waitUntil(lambda: window.queue.model.rowCount() == 2, timeout=3000)
            arrived = time.monotonic() - start
            # bob's window has one open (claimed); ann opens the other: it leaves his queue
            [other] = [i for i in items if i != window.queue._shown_item]
            assert ann.claim(other) == ""
            qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1, timeout=3000)
        assert arrived < 1.5
    finally:
        window.close()


def test_the_sign_in_takes_a_team_server_and_remembers_it(qtbot: QtBot, pg_conninfo: str,
                                                          tmp_path: Path) -> None:
    from app.ui.login import LoginDialog

    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        admin.add_user("ann", "analyst", PASSWORD)
    dialog = LoginDialog(tmp_path / "some-folder", "ann")
    qtbot.addWidget(dialog)
    dialog.server.setText(pg_conninfo)  # the server field wins over the folder
    dialog.password.setText(PASSWORD)
    try:
        dialog.sign_in()
        assert dialog.desk is not None
        assert dialog.desk.where.startswith("postgresql://")
        dialog.desk.close()
        again = LoginDialog(Desk.saved_server() or "", "ann")
        qtbot.addWidget(again)
        assert again.server.text() == Desk.saved_server()
    finally:
        Desk.save_server(None)
