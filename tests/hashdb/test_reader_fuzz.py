"""No input to any list reader raises anything but the reader's own error (HashdbError):
fuzzed text for every format, and fuzzed JSON structures for VICS."""

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hashdb.errors import HashdbError
from hashdb.formats import Format, ParseReport, ReadOptions, read_entries, read_text
from hashdb.formats.vics import read_vics
from hashdb.kinds import Kind

HEX = "0123456789abcdef"
hexes = st.one_of(st.text(HEX, min_size=0, max_size=70), st.sampled_from(["", " ", "zz"]))
cells = st.one_of(hexes, st.text(max_size=20), st.sampled_from(["baseline", "national", "1", "-5"]))
headers = st.sampled_from([
    "md5,sha1,sha256,pdq,quality,source_id,verdict,vpdq", "pdq", "pdq,quality",
    "collab,signal_type,signal_str,category,tags", "md5;sha1;category", "sha256", "",
    "signal_type,signal_str,collab,category,tags", "%%%% HASHDEEP-1.0\n%%%% size,md5,filename",
    '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"',
    "V1Hash,HashType,SetDescription,FileName,FilePath,FileSize", "FilePath,Hash",
    '"file_id","hashset_id","file_name","directory","hash","file_size"'])


@st.composite
def list_files(draw: st.DrawFn) -> str:
    header = draw(headers)
    rows = draw(st.lists(st.lists(cells, max_size=9), max_size=8))
    sep = ";" if ";" in header else ","
    return "\n".join([header, *(sep.join(r) for r in rows)]) + draw(st.sampled_from(["", "\n"]))


@given(list_files(), st.sampled_from([f for f in Format if f is not Format.VICS]))
def test_every_text_reader_fails_only_with_its_own_error(text: str, fmt: Format) -> None:
    with contextlib.suppress(HashdbError):
        read_text(text, fmt, ParseReport())


@given(list_files(), st.sampled_from([None, "md5", "pdq", "sha256"]),
       st.sampled_from([None, "hash", "md5", "nope"]))
def test_detection_then_reading_fails_only_with_the_readers_own_error(
        tmp_path_factory: pytest.TempPathFactory, text: str, kind: str | None,
        column: str | None) -> None:
    """Any file, any --kind and --column: detected and read, or refused with a reason."""
    path = tmp_path_factory.mktemp("fuzz") / "list"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    options = ReadOptions(None if kind is None else Kind(kind), column)
    with contextlib.suppress(HashdbError):
        list(read_entries(path, None, ParseReport(), {}, options))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=10), hexes, st.just("\ud800")),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(
                                   ["MD5", "SHA1", "SHA256", "PDQ", "Category", "MediaID",
                                    "AlternativeHashes", "HashName", "HashValue", "Media",
                                    "vPDQ", "PhotoDNA"]), children, max_size=5)),
    max_leaves=20)


@given(st.lists(json_values, max_size=5))
def test_vics_fails_only_with_its_own_error(media: list) -> None:
    document = {"@odata.context": "x", "value": media}
    with contextlib.suppress(HashdbError):
        list(read_vics(io.StringIO(json.dumps(document)), ParseReport(), {"1": None}))


@pytest.mark.parametrize("media", [
    {"MD5": "0" * 32, "AlternativeHashes": 5},
    {"MD5": 12345},
    {"MD5": ["0" * 32]},
    {"MD5": "\ud800"},
    {"SHA1": {"a": 1}},
    {"Category": [1]},
])
def test_the_vics_records_that_crashed_are_skipped_with_a_reason(media: dict) -> None:
    report = ParseReport()
    document = {"@odata.context": "x", "value": [media, {"MD5": "1" * 32}]}
    entries = list(read_vics(io.StringIO(json.dumps(document)), report, {}))
    assert [e.md5 for e in entries] == ["1" * 32]
    assert report.skipped == 1


def test_json_nested_too_deeply_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"@odata.context": "x", "value": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(HashdbError, match="nested too deeply"):
        list(read_entries(path, Format.VICS, ParseReport()))
