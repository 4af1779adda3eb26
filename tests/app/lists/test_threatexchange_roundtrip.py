"""A list exported as python-threatexchange's dataset CSV is what python-threatexchange reads:
its own signal types accept every signal string (its own parsers, not ours), and the file
comes back into a workspace with the same hashes."""

import csv
import sys
import types
from pathlib import Path

import pytest

from app.desk import Desk
from hashdb.entry import Entry, ListMeta, Scope, Verdict
from hashdb.formats import ParseReport, read_entries
from hashdb.formats.threatexchange import write_threatexchange
from hashdb.hashlist import HashListBuilder

pytest.importorskip("threatexchange")
from threatexchange.signal_type.md5 import VideoMD5Signal
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.sha256 import VideoSHA256Signal

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ2 = "d8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23"
MD5 = "0123456789abcdef0123456789abcdef"
SHA256 = "ab" * 32


def vpdq_parser():
    """python-threatexchange's own parser of vPDQ signal strings. Its module imports the vpdq
    C++ extension at the top (for hashing videos, which this test does not do), so a stand-in
    of that import is put in place before; the parser itself is theirs."""
    if "vpdq" not in sys.modules:
        stand_in = types.ModuleType("vpdq")
        stand_in.VpdqFeature = object  # type: ignore[attr-defined]  # named in an annotation
        sys.modules["vpdq"] = stand_in
    from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature

    return VpdqCompactFeature


def test_every_signal_string_passes_threatexchanges_own_checks(tmp_path: Path) -> None:
    entries = [Entry(pdq=PDQ, pdq_quality=100, verdict=Verdict.NATIONAL, category="A"),
               Entry(md5=MD5, sha256=SHA256, frames=(PDQ, PDQ2), verdict=Verdict.BASELINE),
               Entry(md5=MD5)]  # a picture's MD5: ThreatExchange has no type for it
    out = tmp_path / "te.csv"
    with out.open("w", newline="") as fh:
        rows = write_threatexchange(fh, entries, "Hotline X")
    assert rows == 4
    with out.open(newline="") as fh:
        written = list(csv.DictReader(fh))
    checks = {"pdq": PdqSignal.validate_signal_str,
              "video_md5": VideoMD5Signal.validate_signal_str,
              "video_sha256": VideoSHA256Signal.validate_signal_str}
    feature = vpdq_parser()
    for row in written:
        if row["signal_type"] == "vpdq":
            import json

            frames = [feature.from_str(s) for s in json.loads(row["signal_str"])]
            assert [f.pdq_hex for f in frames] == [PDQ, PDQ2]
        else:
            assert checks[row["signal_type"]](row["signal_str"]) == row["signal_str"]
        assert row["collab"] == "Hotline X"
    assert [r["signal_type"] for r in written] == ["pdq", "video_md5", "video_sha256", "vpdq"]
    assert written[0]["category"] == "POSITIVE_CLASS"
    assert written[0]["tags"] == "national A"


def test_round_trip_through_a_workspace(open_as, tmp_path: Path) -> None:
    sue: Desk = open_as("sue", "supervisor")
    source = tmp_path / "in.csv"
    source.write_text("pdq,quality,verdict,category\n"
                      f"{PDQ},100,national,A\n{PDQ2},80,baseline,B\n")
    sue.import_list(source, "Partner", "mixed")
    out = tmp_path / "out.csv"
    exported = sue.export_list("Partner", out, "te")
    assert exported.entries == 2
    back = list(read_entries(out, None, ParseReport()))
    assert {(e.pdq, e.verdict, e.category) for e in back} == {
        (PDQ, Verdict.NATIONAL, "A"), (PDQ2, Verdict.BASELINE, "B")}
    sue.import_list(out, "Back again", "mixed")
    assert sue.list_lookup("Back again", PDQ)[0]["verdict"] == "national"


def test_a_not_illegal_entry_goes_out_as_a_negative(tmp_path: Path) -> None:
    builder = HashListBuilder(ListMeta("N", Scope.NOT_ILLEGAL))
    builder.add(Entry(pdq=PDQ, verdict=Verdict.NOT_ILLEGAL))
    out = tmp_path / "n.csv"
    with out.open("w", newline="") as fh:
        write_threatexchange(fh, builder.build()[0].entries(), "X")
    [row] = list(csv.DictReader(out.open(newline="")))
    assert row["category"] == "NEGATIVE_CLASS"
    [entry] = list(read_entries(out, None, ParseReport()))
    assert entry.verdict is Verdict.NOT_ILLEGAL
