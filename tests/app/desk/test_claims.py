"""Two analysts at two workstations are not shown the same item: an item one has open is
left out of the other's queue for `queue.claim_minutes`, and comes back when she moves on,
signs out, or the claim runs out."""

import time
from pathlib import Path

import time_machine

from app.desk import Desk
from tests.synthetic import jpeg


def test_an_open_item_is_left_out_of_the_others_queue(open_as, admin_desk: Desk,
                                                      tmp_path: Path) -> None:
    ann, bob = open_as("ann", "analyst"), open_as("bob", "analyst")
    for i in range(2):
        (tmp_path / f"{i}.jpg").write_bytes(jpeg(6100 + i))
    first, second = ann.import_report(files=[tmp_path / "0.jpg", tmp_path / "1.jpg"]).item_ids
    assert ann.claim(first) == ""
    assert bob.queue_ids() == [second]
    assert bob.claim(first) == "ann"  # shown before his queue refreshed: he is told
    assert ann.claim(second) == ""  # she moves on: the first is free again
    assert bob.queue_ids() == [first]
    ann.close()
    assert sorted(bob.queue_ids()) == [first, second]


def test_a_claim_runs_out(open_as, admin_desk: Desk, tmp_path: Path) -> None:
    admin_desk.set_setting("queue.claim_minutes", "2")
    ann, bob = open_as("ann", "analyst"), open_as("bob", "analyst")
    (tmp_path / "a.jpg").write_bytes(jpeg(6200))
    [item] = ann.import_report(files=[tmp_path / "a.jpg"]).item_ids
    ann.claim(item)
    assert bob.queue_ids() == []
    with time_machine.travel(time.time() + 150):  # a window left open, or crashed
        assert bob.queue_ids() == [item]
        assert bob.claim(item) == ""
