"""Workstations of a team hear of each other's work as it happens (the server's NOTIFY): a
new item, a verdict, an item opened elsewhere; a folder has nothing to hear."""

import time
from pathlib import Path

from app.desk import Desk
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


def test_a_folder_has_nothing_to_hear(tmp_path: Path) -> None:
    with Desk.create(tmp_path / "ws", "admin", PASSWORD) as admin:
        assert admin.changes() is None


def test_another_workstation_hears_within_a_second(pg_conninfo: str, tmp_path: Path) -> None:
    with Desk.create(pg_conninfo, "admin", PASSWORD) as admin:
        admin.add_user("ann", "analyst", PASSWORD)
        admin.add_user("bob", "analyst", PASSWORD)
    (tmp_path / "a.jpg").write_bytes(jpeg(8100))
    with Desk.open(pg_conninfo, "ann", PASSWORD) as ann, \
            Desk.open(pg_conninfo, "bob", PASSWORD) as bob:
        heard = bob.changes()
        assert heard is not None
        try:
            assert not heard.wait(0.2)  # quiet
            [item] = ann.import_report(files=[tmp_path / "a.jpg"]).item_ids
            start = time.monotonic()
            assert heard.wait(1.0)
            assert time.monotonic() - start < 1.0
            while heard.wait(0.1):  # the import's burst
                pass
            ann.claim(item)
            assert heard.wait(1.0)
            assert bob.queue_ids() == []  # she has it open
            while heard.wait(0.1):
                pass
            ann.assess(item, "national")
            assert heard.wait(1.0)
        finally:
            heard.close()
