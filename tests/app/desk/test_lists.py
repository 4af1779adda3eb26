import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.desk import Cancelled, CancelToken, Desk
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.app import at_rest
from tests.app.conftest import PASSWORD

MD5S = [f"{i:032x}" for i in range(1, 6)]
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


@pytest.fixture
def csv_list(tmp_path: Path) -> Path:
    path = tmp_path / "partner.csv"
    rows = "".join(f"{m},{PDQ if i == 0 else ''},A\n" for i, m in enumerate(MD5S))
    path.write_text("md5,pdq,category\n" + rows + "zz,,A\n" + MD5S[0] + "," + PDQ + ",A\n")
    return path


@pytest.fixture
def supervisor(open_as: Callable[..., Desk]) -> Desk:
    return open_as("sue", "supervisor")


def test_import_show_and_counts(supervisor: Desk, csv_list: Path) -> None:
    result = supervisor.import_list(csv_list, "Partner A", "baseline", source="Hotline A")
    assert (result.read, result.skipped, result.duplicates) == (7, 1, 1)
    assert result.problems == [(7, "md5 must be 32 hex characters, got 2")]
    [info] = supervisor.lists()
    assert (info.name, info.scope, info.trust, info.entries) == ("Partner A", "baseline",
                                                                 "trusted", 5)
    assert info.counts["pdq"] == 1
    assert supervisor.list_lookup("Partner A", MD5S[2].upper())[0]["verdict"] == "baseline"


def test_analyst_cannot_import(open_as: Callable[..., Desk], csv_list: Path) -> None:
    with pytest.raises(PermissionDenied, match="import hash lists"):
        open_as("ann").import_list(csv_list, "X", "baseline")


def test_bad_choices_and_names(supervisor: Desk, csv_list: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown scope"):
        supervisor.import_list(csv_list, "X", "illegal")
    with pytest.raises(InvalidInput, match="unknown trust"):
        supervisor.import_list(csv_list, "X", "baseline", trust="maybe")
    with pytest.raises(NotFound):
        supervisor.import_list(tmp_path / "missing.csv", "X", "baseline")
    supervisor.import_list(csv_list, "X", "baseline")
    with pytest.raises(Conflict):
        supervisor.import_list(csv_list, "x", "baseline")


def test_a_file_with_nothing_readable(supervisor: Desk, tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(InvalidInput, match="no entry could be read"):
        supervisor.import_list(path, "Junk", "baseline")
    assert supervisor.lists() == []


def test_cancel_keeps_nothing(supervisor: Desk, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"{i:032x}\n" for i in range(50_000)))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        supervisor.import_list(path, "Big", "baseline", cancel=token)
    assert supervisor.lists() == []
    assert at_rest.list_files(supervisor) == []


def test_progress_is_reported(supervisor: Desk, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"{i:032x}\n" for i in range(50_000)))
    seen = []
    supervisor.import_list(path, "Big", "baseline", progress=seen.append)
    assert [p.done for p in seen if p.stage == "reading"] == [20_000, 40_000]
    assert seen[-1].stage == "storing"


def test_category_map_from_a_file(supervisor: Desk, tmp_path: Path) -> None:
    vics = tmp_path / "l.json"
    vics.write_text(json.dumps({"@odata.context": "x#Media", "value": [
        {"MD5": MD5S[0], "Category": 7}, {"MD5": MD5S[1], "Category": 8}]}))
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"7": "national", "8": None}))
    supervisor.import_list(vics, "V", "mixed", categories=str(mapping))
    assert supervisor.list_lookup("V", MD5S[0])[0]["verdict"] == "national"
    assert supervisor.list_lookup("V", MD5S[1])[0]["verdict"] == ""
    mapping.write_text('{"7": "illegal"}')
    with pytest.raises(InvalidInput, match="category map"):
        supervisor.import_list(vics, "W", "mixed", categories=str(mapping))


def test_disable_remove_retract(supervisor: Desk, csv_list: Path) -> None:
    supervisor.import_list(csv_list, "L", "national")
    assert not supervisor.set_list_enabled("L", False).enabled
    assert supervisor.retract_entry("L", MD5S[0], "wrongly listed") == 1
    assert supervisor.lists()[0].entries == 4
    assert supervisor.list_lookup("L", MD5S[0]) == []
    with pytest.raises(InvalidInput, match="say why"):
        supervisor.retract_entry("L", MD5S[1], " ")
    supervisor.remove_list("L", "superseded")
    assert supervisor.lists() == []
    assert at_rest.list_files(supervisor) == []
    actions = [e.action for e in supervisor.audit_entries(target="L")]
    assert actions == ["list.remove", "list.retract", "list.disable", "list.import"]


def test_list_files_reveal_nothing(supervisor: Desk, csv_list: Path) -> None:
    supervisor.import_list(csv_list, "Very Secret Partner List", "baseline")
    assert at_rest.found(supervisor, [b"Very Secret", MD5S[3].encode(),
                                      bytes.fromhex(MD5S[3])]) == []


def test_share_with_a_partner(tmp_path: Path, admin_desk: Desk, supervisor: Desk,
                              csv_list: Path) -> None:
    other = Desk.create(tmp_path / "other", "admin", PASSWORD)
    other.add_user("bea", "supervisor", PASSWORD)
    bea = Desk.open(tmp_path / "other", "bea", PASSWORD)
    ours, theirs = admin_desk.create_keys(), other.create_keys()
    admin_desk.add_partner("Other", theirs.public_key)
    other.add_partner("Us", ours.public_key)
    supervisor.import_list(csv_list, "Own", "baseline")
    out = tmp_path / "share.hlist"
    exported = supervisor.export_list("Own", out, "hlist", to="Other")
    assert (exported.entries, exported.recipient) == (5, "Other")
    received = bea.import_list(out, "From us", "baseline")
    assert (received.list.entries, received.signed_by) == (5, "Us")
    with pytest.raises(InvalidInput, match="not signed by a key you trust"):
        supervisor.import_list(out, "Back to us", "baseline")  # we are not our own partner
    for desk in (bea, other):
        desk.close()


def test_share_with_a_passphrase(supervisor: Desk, admin_desk: Desk, csv_list: Path,
                                 tmp_path: Path) -> None:
    admin_desk.create_keys()
    supervisor.import_list(csv_list, "Own", "baseline")
    out = tmp_path / "share.hlist"
    with pytest.raises(InvalidInput, match="at least 12"):
        supervisor.export_list("Own", out, "hlist", passphrase="short")
    supervisor.export_list("Own", out, "hlist", passphrase="a long enough passphrase")
    # A passphrase file still has to come from a known partner: ours is not one of ours.
    with pytest.raises(InvalidInput, match="not signed by a key you trust"):
        supervisor.import_list(out, "Again", "baseline", passphrase="a long enough passphrase")


def test_export_needs_keys_and_one_recipient(supervisor: Desk, admin_desk: Desk,
                                             csv_list: Path, tmp_path: Path) -> None:
    supervisor.import_list(csv_list, "Own", "baseline")
    with pytest.raises(InvalidInput, match="key pair first"):
        supervisor.export_list("Own", tmp_path / "x", "hlist", to="Nobody")
    admin_desk.create_keys()
    with pytest.raises(InvalidInput, match="either --to"):
        supervisor.export_list("Own", tmp_path / "x", "hlist")
    with pytest.raises(NotFound, match="no partner"):
        supervisor.export_list("Own", tmp_path / "x", "hlist", to="Nobody")


def test_csv_export_roundtrip(supervisor: Desk, csv_list: Path, tmp_path: Path) -> None:
    supervisor.import_list(csv_list, "Own", "baseline")
    supervisor.export_list("Own", tmp_path / "out.csv", "csv")
    again = supervisor.import_list(tmp_path / "out.csv", "Again", "baseline")
    assert (again.read, again.skipped, again.list.entries) == (5, 0, 5)


def test_partner_keys_are_checked(admin_desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="not a hotline public key"):
        admin_desk.add_partner("X", "ssh-ed25519 AAAA")
