"""Matching a hotline can trust: a hit on a negative list (known false positives) overrides
the others, and a list entry or a list that hits many different items in a short time (a
flood: a logo, a blank image, a broken list) is held until a list keeper releases it."""

from collections.abc import Callable
from pathlib import Path

import pytest

from app.desk import Desk
from app.errors import InvalidInput, NotFound
from hashdb.digests import digest_bytes
from hashdb.pdq import pdq_image
from tests.synthetic import encode, jpeg, scene


@pytest.fixture
def supervisor(open_as: Callable[..., Desk]) -> Desk:
    return open_as("sue", "supervisor")


def files(folder: Path, blobs: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(blobs):
        (folder / f"{i:03d}.jpg").write_bytes(data)
    return sorted(folder.iterdir())


def test_a_negative_list_overrides_a_positive_hit(supervisor: Desk, tmp_path: Path) -> None:
    logo = jpeg(700)
    md5 = digest_bytes(logo).md5
    (tmp_path / "partner.txt").write_text(f"{md5}\n")
    (tmp_path / "retracted.txt").write_text(f"{md5}\n")
    supervisor.import_list(tmp_path / "partner.txt", "Partner", "baseline")
    supervisor.import_list(tmp_path / "retracted.txt", "Partner retractions", "negative")
    s = supervisor.import_report(files=files(tmp_path / "in", [logo]))
    view = supervisor.item(s.item_ids[0])
    assert view.machine_verdict is None
    assert view.state == "round1"  # a person looks at it
    [negative] = [m for m in view.matches if m.negative]
    assert negative.list_name == "Partner retractions"
    assert "known false positive" in negative.note


def test_a_flooding_entry_is_held_and_said(admin_desk: Desk, supervisor: Desk,
                                           tmp_path: Path) -> None:
    admin_desk.set_setting("flood.entry_items", "5")
    base = scene(710, (640, 480))
    (tmp_path / "l.csv").write_text(f"pdq\n{pdq_image(encode(base)).hash}\n")
    supervisor.import_list(tmp_path / "l.csv", "Logos", "baseline")
    variants = [encode(base, "JPEG", quality=q) for q in range(60, 96, 5)]  # 8 near copies
    s = supervisor.import_report(files=files(tmp_path / "in", variants))
    assert s.near == len(variants)
    [warning] = [w for w in s.warnings if "held" in w]
    assert "entry 0 of list 'Logos' hit 5 different items in 24 hours" in warning
    [info] = supervisor.lists()
    assert (info.held, info.held_text) == ((0,), "1 entry")
    last = supervisor.item(s.item_ids[-1])
    assert last.matches[0].held
    assert [e.target for e in supervisor.audit_entries(action="list.quarantine")] == ["Logos"]


def test_a_flooding_list_holds_its_machine_verdicts_until_released(
        admin_desk: Desk, supervisor: Desk, tmp_path: Path) -> None:
    admin_desk.set_setting("flood.list_items", "3")
    blobs = [jpeg(720 + i) for i in range(6)]
    (tmp_path / "l.txt").write_text("".join(f"{digest_bytes(b).md5}\n" for b in blobs))
    supervisor.import_list(tmp_path / "l.txt", "Broken list", "baseline")
    s = supervisor.import_report(files=files(tmp_path / "a", blobs[:4]))
    states = [supervisor.item(i).state for i in s.item_ids]
    assert states == ["round1"] * 4  # the first two were machine, then went to a person
    assert any("list 'Broken list' hit 3 different items" in w and "2 items go to a person"
               in w for w in s.warnings)
    assert supervisor.lists()[0].held_text == "the whole list"
    with pytest.raises(InvalidInput, match="say why"):
        supervisor.release_list("Broken list", " ")
    assert supervisor.release_list("Broken list", "checked: real finds") == 1
    again = supervisor.import_report(files=files(tmp_path / "b", blobs[4:5]))
    assert supervisor.item(again.item_ids[0]).state == "machine"
    with pytest.raises(NotFound, match="not held"):
        supervisor.release_list("Broken list", "again")
    assert supervisor.verify_audit(full=True).ok
