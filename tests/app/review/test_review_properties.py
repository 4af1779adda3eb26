"""Random sequences of assessments by random people through the Desk: the invariants hold,
and the signed audit entries alone lead every item where the tables say it is. Each example
gets a workspace of its own (examples must not see each other's state)."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

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
def team(tmp_path_factory: pytest.TempPathFactory,
         ) -> Iterator[tuple[dict[str, Desk], list[int]]]:
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
    items = desks["a1"].import_report(files=[folder], reference="P").item_ids
    try:
        yield desks, sorted(items)
    finally:
        for desk in desks.values():
            desk.close()


def check_invariants(desks: dict[str, Desk], items: list[int], tmp_path: Path) -> None:
    """Through the Desk's public face only: what a settled item shows, the own list, its
    export (which leaves out any item whose review the signed entries do not carry) and a
    full verification of the signed log."""
    checker = desks["s1"]
    finals = set()
    for item_id in items:
        view = checker.item(item_id)
        if view.state != "final":
            continue
        last = max(a.cycle for a in view.assessments or [])
        rows = [a for a in view.assessments or [] if a.cycle == last]
        assert len({a.user for a in rows}) == len(rows)  # nobody twice in a cycle
        assert all(PEOPLE[a.user] == "supervisor" for a in rows if a.round >= 2)
        adjudicated = any(a.round == 4 for a in rows)
        assert adjudicated or (len(rows) == 3 and {a.verdict for a in rows}
                               == {view.final_verdict})
        if view.final_verdict in ("baseline", "national"):
            finals.add(item_id)
    assert {e.id for e in checker.own_list()} == finals
    exported = checker.export_list("own:verified", tmp_path / "own.csv", "csv")
    assert exported.entries == len(finals)  # none left out as untrusted
    # the signed entries alone say the same: the review rules hold
    assert checker.verify_audit(full=True).ok


@pytest.mark.slow  # a workspace per example
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(PEOPLE)), st.integers(0, 3),
                          st.sampled_from(["baseline", "national", "not_illegal", "reopen"])),
                max_size=15))
def test_invariants_hold(tmp_path_factory: pytest.TempPathFactory,
                         steps: list[tuple[str, int, str]]) -> None:
    scratch = tmp_path_factory.mktemp("export")
    with team(tmp_path_factory) as (desks, items):
        for who, which, verdict in steps:
            desk = desks[who]
            try:
                if verdict == "reopen":
                    desk.reopen(items[which], "property test")
                else:
                    desk.assess(items[which], verdict)
            except (Conflict, PermissionDenied):
                pass
            check_invariants(desks, items, scratch)
