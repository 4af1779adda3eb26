"""Random sequences of assessments by random people through the Desk: the invariants hold,
and the signed audit entries alone lead every item where the tables say it is. Each example
gets a workspace of its own (examples must not see each other's state)."""

import contextlib
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.desk import Desk
from app.errors import Conflict, PermissionDenied
from tests.synthetic import jpeg

PASSWORD = "correct-horse-battery"
PEOPLE = {"a1": "analyst", "a2": "analyst", "s1": "supervisor", "s2": "supervisor",
          "s3": "supervisor"}


@contextlib.contextmanager
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Desk]]:
    root = tmp_path_factory.mktemp("prop") / "ws"
    admin = Desk.create(root, "admin", PASSWORD)
    for name, role in PEOPLE.items():
        admin.add_user(name, role, PASSWORD)
    admin.close()
    desks = {name: Desk.open(root, name, PASSWORD) for name in PEOPLE}
    folder = root.parent / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.jpg").write_bytes(jpeg(9000 + i, (160, 120)))
    desks["a1"].import_report(files=[folder], reference="P")
    try:
        yield desks
    finally:
        for desk in desks.values():
            desk.close()


def check_invariants(desk: Desk) -> None:
    db = desk._ws.db
    # nobody twice on an item in a cycle
    assert db.execute("SELECT count(*) FROM (SELECT item_id, cycle, user, count(*) c FROM "
                      "assessments GROUP BY 1, 2, 3 HAVING c > 1)").fetchone()[0] == 0
    for item_id, state, cycle, verdict in db.execute(
            "SELECT id, state, cycle, final_verdict FROM items").fetchall():
        rows = db.execute("SELECT round, user, verdict FROM assessments WHERE item_id = ? AND "
                          "cycle = ? ORDER BY round", [item_id, cycle]).fetchall()
        if state == "final":
            adjudicated = any(r[0] == 4 for r in rows)
            assert adjudicated or (len(rows) == 3 and {r[2] for r in rows} == {verdict})
        # rounds 2 and later only by supervisors
        assert all(PEOPLE[r[1]] == "supervisor" for r in rows if r[0] >= 2)
    finals = {r[0] for r in db.execute("SELECT id FROM items WHERE state = 'final' AND "
                                       "final_verdict IN ('baseline', 'national')")}
    assert {e["id"] for e in desk.own_list()} == finals
    # the signed entries alone say the same: the review rules hold, no item is untrusted
    assert desk.verify_audit(full=True).ok
    items = [i for (i,) in db.execute("SELECT id FROM items")]
    assert desk._untrusted(items) == {}


@pytest.mark.slow  # a workspace per example
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(PEOPLE)), st.integers(0, 3),
                          st.sampled_from(["baseline", "national", "not_illegal", "reopen"])),
                max_size=15))
def test_invariants_hold(tmp_path_factory: pytest.TempPathFactory,
                         steps: list[tuple[str, int, str]]) -> None:
    with team(tmp_path_factory) as desks:
        items = sorted(i for (i,) in desks["a1"]._ws.db.execute("SELECT id FROM items"))
        for who, which, verdict in steps:
            desk = desks[who]
            try:
                if verdict == "reopen":
                    desk.reopen(items[which], "property test")
                else:
                    desk.assess(items[which], verdict)
            except (Conflict, PermissionDenied):
                pass
            check_invariants(desk)
