"""The review through the Desk: queues, blind rounds, finals, the own lists, purges."""

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from app.desk import Desk
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from hashdb.digests import digest_bytes
from tests.app.conftest import PASSWORD
from tests.synthetic import jpeg


@pytest.fixture
def people(open_as: Callable[..., Desk]) -> dict[str, Desk]:
    return {"ann": open_as("ann", "analyst"), "al": open_as("al", "analyst"),
            "sue": open_as("sue", "supervisor"), "sam": open_as("sam", "supervisor"),
            "sid": open_as("sid", "supervisor")}


def items(desk: Desk, tmp_path: Path, seeds: list[int], reference: str = "R") -> list[int]:
    folder = tmp_path / reference
    folder.mkdir()
    for s in seeds:
        (folder / f"{s}.jpg").write_bytes(jpeg(s, (320, 240)))
    return desk.import_report(files=sorted(folder.iterdir()), reference=reference).item_ids


def test_three_agreeing_make_it_final_and_own_listed(people: dict[str, Desk],
                                                     tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [1])
    assert people["ann"].queue_ids() == [item]
    assert people["ann"].assess(item, "baseline", age_group="pre_pubescent").state == "round2"
    assert people["ann"].queue_ids() == []
    assert people["sue"].queue_ids() == [item]
    assert people["sue"].assess(item, "baseline").state == "round3"
    result = people["sam"].assess(item, "baseline", note="clear case")
    assert (result.state, result.final_verdict, result.round) == ("final", "baseline", 3)
    [entry] = people["sue"].own_list()
    assert entry.id == item
    assert {a.split("@")[0] for a in entry.assessors.split()} == {"ann", "sue", "sam"}


def test_blind_rounds_show_no_earlier_verdict(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [2])
    people["ann"].assess(item, "national")
    view = people["sue"].item(item)
    assert view.blind
    assert view.assessments is None
    assert view.final_verdict is None
    row = people["sue"].queue_row(item)
    assert "national" not in str(row)
    people["sue"].assess(item, "national")
    assert people["sue"].item(item).assessments is not None


def test_rules_refuse(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [3])
    people["ann"].assess(item, "baseline")
    with pytest.raises(Conflict, match="each person gives one verdict"):
        people["ann"].assess(item, "baseline")
    with pytest.raises(PermissionDenied, match="only supervisors"):
        people["al"].assess(item, "baseline")
    people["sue"].assess(item, "national")  # disagreement
    assert people["sam"].item(item).state == "disputed"
    with pytest.raises(Conflict):
        people["sue"].assess(item, "national")  # an earlier assessor cannot adjudicate
    view = people["sam"].item(item)
    assert not view.blind
    assert [a.verdict for a in view.assessments] == ["baseline", "national"]
    assert people["sam"].assess(item, "national").final_verdict == "national"
    with pytest.raises(InvalidInput, match="unknown verdict"):
        people["sid"].assess(item, "illegal")
    refused = [e for e in people["sue"].audit_entries(target=str(item)) if e.outcome == "refused"]
    assert refused == [] or all(e.action == "item.assess" for e in refused)


def test_not_illegal_final_purges_the_content(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [4])
    blobs = people["ann"].check_workspace().blobs
    for who in ("ann", "sue", "sam"):
        people[who].assess(item, "not_illegal")
    assert people["ann"].check_workspace().blobs == blobs - 1
    assert not people["sue"].item(item).content_available
    with pytest.raises(NotFound, match="purged"):
        people["sue"].item_content(item)
    assert [e.id for e in people["sue"].own_list("not_illegal")] == [item]
    assert people["sue"].own_list() == []
    # seen again later: a duplicate of the settled item, never queued again
    again = people["ann"].import_report(files=[tmp_path / "R" / "4.jpg"], reference="R2")
    assert (again.items, again.duplicates) == (0, 1)
    assert item not in people["ann"].queue_ids()


def test_reopen(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [5])
    for who in ("ann", "sue", "sam"):
        people[who].assess(item, "baseline")
    with pytest.raises(PermissionDenied):
        people["ann"].reopen(item, "typo")
    with pytest.raises(InvalidInput, match="say why"):
        people["sue"].reopen(item, "")
    people["sue"].reopen(item, "the age was misjudged")
    assert people["sue"].own_list() == []
    assert item in people["ann"].queue_ids()
    for who in ("ann", "sid", "sue"):  # a new cycle: the same people may assess again
        people[who].assess(item, "national")
    assert people["sue"].own_list()[0].verdict == "national"


def test_machine_matches_are_confirmed_in_batch(people: dict[str, Desk],
                                                tmp_path: Path) -> None:
    data = [jpeg(60 + i, (320, 240)) for i in range(3)]
    listing = tmp_path / "list.txt"
    listing.write_text("".join(digest_bytes(d).md5 + "\n" for d in data[:2]))
    people["sue"].import_list(listing, "Partner", "baseline")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, d in enumerate(data):
        (folder / f"{i}.jpg").write_bytes(d)
    s = people["ann"].import_report(files=sorted(folder.iterdir()), reference="R-m")
    assert (s.known, s.unknown) == (2, 1)
    rows = people["ann"].queue()
    assert [r.status for r in rows] == ["unknown", "known", "known"]  # unknown first
    assert [r.machine_verdict for r in rows] == [None, "baseline", "baseline"]
    result = people["ann"].confirm(report="R-m")
    assert len(result.confirmed) == 2
    assert people["ann"].item(result.confirmed[0]).state == "confirmed"
    assert people["ann"].confirm([s.item_ids[2]]).skipped[0][0] == s.item_ids[2]
    assert people["sue"].own_list() == []  # a partner's word is not our verified list
    opened = [e for e in people["sue"].audit_entries() if e.action == "item.open"]
    assert opened == []  # confirmed without opening anything


def test_undo_within_a_minute(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [7])
    people["ann"].assess(item, "baseline")
    assert people["ann"].undo_assessment(item).state == "round1"
    assert item in people["ann"].queue_ids()
    with pytest.raises(Conflict, match="no verdict"):
        people["ann"].undo_assessment(item)


def test_exposure_accounting(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [8])
    assert people["ann"].item_content(item).startswith(b"\xff\xd8")
    people["ann"].record_reveal(item, 2.5)
    exposure = people["ann"].record_reveal(item, 1.0)
    assert (exposure.views, exposure.seconds) == (2, 3.5)
    actions = [e.action for e in people["sue"].audit_entries(target=str(item))]
    assert actions.count("item.reveal") == 2
    assert "item.open" in actions


def test_retention_purges_old_settled_content(people: dict[str, Desk], tmp_path: Path,
                                              admin_desk: Desk) -> None:
    [first] = items(people["ann"], tmp_path, [9], "R1")
    for who in ("ann", "sue", "sam"):
        people[who].assess(first, "baseline")
    days = admin_desk.setting("retention.days")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=days + 1), tick=True):
        [second] = items(people["ann"], tmp_path, [10], "R2")
        for who in ("ann", "sue", "sam"):
            people[who].assess(second, "baseline")
        assert people["sue"].purge() == 1
    assert not people["sue"].item(first).content_available
    assert people["sue"].item(second).content_available
    assert people["sue"].own_list()[0].id == first  # hashes and verdicts stay


ASSESSOR = """
import sys
from pathlib import Path
from app.desk import Desk
desk = Desk.open(Desk.location_of(sys.argv[1]), sys.argv[2], sys.argv[3])
try:
    print(desk.assess(int(sys.argv[4]), "baseline").round)
except Exception as exc:
    print("refused", type(exc).__name__)
"""


def test_two_processes_assess_the_same_item(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [11])
    people["ann"].assess(item, "baseline")
    procs = [subprocess.Popen([sys.executable, "-c", ASSESSOR, str(people["ann"].location),
                               who, PASSWORD, str(item)], stdout=subprocess.PIPE, text=True)
             for who in ("sue", "sam")]
    outputs = sorted(p.communicate(timeout=120)[0].strip() for p in procs)
    assert outputs == ["2", "3"]
    rounds = [a.round for a in people["sue"].item(item).assessments]
    assert rounds == [1, 2, 3]


def test_the_own_list_is_exported(people: dict[str, Desk], tmp_path: Path) -> None:
    [item] = items(people["ann"], tmp_path, [12])
    for who in ("ann", "sue", "sam"):
        people[who].assess(item, "national")
    out = tmp_path / "own.csv"
    exported = people["sue"].export_list("own:verified", out, "csv")
    assert exported.entries == 1
    text = out.read_text()
    assert people["sue"].item(item).sha256 in text
    assert "national" in text
    assert "ann@" in text


def test_a_verified_video_is_exported_with_its_frames_and_matches_its_re_encode(
        people: dict[str, Desk], tmp_path: Path) -> None:
    """The own list carries videos' frame hashes, so a partner who imports it finds
    re-encodes of the video, not only the same file."""
    from hashdb.formats import ParseReport, read_entries
    from tests.synthetic_video import encode, frames

    clip = frames(41, seconds=6)
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "clip.mp4").write_bytes(encode(clip))
    [item] = people["ann"].import_report(files=[tmp_path / "v" / "clip.mp4"]).item_ids
    for who in ("ann", "sue", "sam"):
        people[who].assess(item, "baseline")
    out = tmp_path / "own.csv"
    people["sue"].export_list("own:verified", out, "csv")
    [entry] = read_entries(out, None, ParseReport())
    assert len(entry.frames) >= 3
    people["sue"].import_list(out, "Partner videos", "baseline")
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "copy.mp4").write_bytes(encode(clip, codec="mpeg4", size=(160, 120)))
    [copy] = people["ann"].import_report(files=[tmp_path / "w" / "copy.mp4"]).item_ids
    listed = [m for m in people["ann"].item(copy).matches if m.list_name == "Partner videos"]
    assert [m.hash_kind for m in listed] == ["vpdq"]
