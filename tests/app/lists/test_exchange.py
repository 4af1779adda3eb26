"""List exchange on its own, without a workspace: reading, the choices a user types, editing,
lookup, the own list, and a shared file's round trip between two hotlines' keys."""

from pathlib import Path

import pytest

from app import lists as exchange
from app.errors import InvalidInput, NotFound
from app.jobs import CancelToken, no_progress
from app.workspace.assessments import Verified
from hashdb.identity import Identity

MD5S = [f"{i:032x}" for i in range(1, 4)]
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def read(path: Path, fmt: str | None = None) -> exchange.Parsed:
    meta = exchange.list_meta(" Partner ", "baseline", "Trusted", "Hotline A")
    return exchange.read_plain(path, meta, fmt, None, no_progress, CancelToken())


@pytest.fixture
def csv_list(tmp_path: Path) -> Path:
    path = tmp_path / "l.csv"
    path.write_text("md5,pdq\n" + "".join(f"{m},{PDQ if i == 0 else ''}\n"
                                          for i, m in enumerate(MD5S)))
    return path


def test_a_list_is_read_with_its_terms(csv_list: Path) -> None:
    parsed = read(csv_list)
    assert (parsed.format, parsed.report.read, parsed.duplicates) == ("detected", 3, 0)
    assert parsed.hashlist.meta.name == "Partner"  # trimmed
    assert parsed.hashlist.meta.trust.value == "trusted"


def test_the_choices_a_user_types_are_checked() -> None:
    with pytest.raises(InvalidInput, match="own: are the workspace's own lists"):
        exchange.list_meta("own:verified", "baseline", "trusted", "")
    with pytest.raises(InvalidInput, match="unknown scope 'evil'"):
        exchange.list_meta("L", "evil", "trusted", "")
    with pytest.raises(InvalidInput, match="a list needs a name"):
        exchange.list_meta("  ", "baseline", "trusted", "")
    with pytest.raises(InvalidInput, match="--categories takes"):
        exchange.category_map("no-such-preset-or-file")


def test_an_empty_read_says_its_first_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("md5\nzz\n")
    with pytest.raises(InvalidInput, match=r"no entry could be read.*line 2"):
        read(path)


def test_retract_and_lookup(csv_list: Path) -> None:
    hashlist = read(csv_list).hashlist
    assert exchange.lookup(hashlist, PDQ.upper())[0]["md5"] == MD5S[0]
    rebuilt, removed = exchange.without_hash(hashlist, MD5S[1])
    assert (len(rebuilt), removed) == (2, 1)
    assert exchange.lookup(rebuilt, MD5S[1]) == []
    with pytest.raises(NotFound, match="no entry of 'Partner' carries"):
        exchange.without_hash(rebuilt, MD5S[1])


def test_the_own_list_names_its_provenance() -> None:
    item = Verified(7, MD5S[0], "a" * 40, "b" * 64, PDQ, 100, "national",
                    "2026-11-29T00:00:00.000000Z", "ann, sue, sam")
    own = exchange.own_list("verified", "Hotline X", [(item, ())])
    assert own.meta.name == "Hotline X: own verified list"
    assert own.entry(0).source_id == "item 7; ann, sue, sam"


def test_a_shared_file_opens_for_its_recipient_from_a_known_signer_only(
        csv_list: Path, tmp_path: Path) -> None:
    sender, receiver = Identity.generate(), Identity.generate()
    hashlist = read(csv_list).hashlist
    out = tmp_path / "shared.hlist"
    wrap = exchange.for_partner(receiver.public().text())
    assert exchange.write_shared(out, hashlist, wrap, sender.signing) == 3
    assert exchange.is_sealed(out)
    assert not exchange.is_sealed(csv_list)
    meta = exchange.list_meta("From A", "baseline", "trusted", "")
    signer = sender.public().signing_bytes
    parsed = exchange.read_shared(out, meta, receiver.unwrap(),
                                  lambda raw: "Hotline A" if raw == signer else None)
    assert (parsed.hashlist.meta.name, len(parsed.hashlist), parsed.signed_by) == (
        "From A", 3, "Hotline A")
    with pytest.raises(InvalidInput, match=r"shared\.hlist"):
        exchange.read_shared(out, meta, receiver.unwrap(), lambda raw: None)
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        exchange.sharing_passphrase("short")
