import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hashdb.entry import Entry, Verdict
from hashdb.errors import FormatError
from hashdb.formats import (
    PRESETS,
    Format,
    ParseReport,
    ReadOptions,
    detect_format,
    read_entries,
    read_text,
)
from hashdb.formats.csv_list import write_csv
from hashdb.formats.vics import read_vics, write_vics
from hashdb.kinds import Kind

MD5 = "0123456789abcdef0123456789abcdef"
SHA1 = "0123456789abcdef0123456789abcdef01234567"
SHA256 = "ab" * 32
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def test_csv_with_header_and_bad_rows() -> None:
    text = ("MD5,sha1,pdq,quality,category,verdict,photodna,notes\n"
            f"{MD5},{SHA1},{PDQ},90,A,national,QUJD,x\n"
            f"{MD5[:-1]},,,,,,,bad md5\n"
            f",,{PDQ},,B,,,\n"
            f"{MD5},only,three\n"
            f",,,,,maybe,,\n")
    report = ParseReport()
    entries = read_text(text, Format.CSV, report)
    assert entries[0] == Entry(md5=MD5, sha1=SHA1, pdq=PDQ, pdq_quality=90, category="A",
                               verdict=Verdict.NATIONAL, other=(("photodna", "QUJD"),))
    assert len(entries) == 2
    assert report.read == 5
    assert [line for line, _ in report.problems] == [3, 5, 6]
    assert "32 hex characters" in report.problems[0][1]


def test_csv_without_hash_columns() -> None:
    with pytest.raises(FormatError, match="no hash column"):
        read_text("name,age\nx,1\n", Format.CSV, ParseReport())


def test_csv_write_then_read() -> None:
    entries = [Entry(md5=MD5, verdict=Verdict.BASELINE, category="1", source_id="7"),
               Entry(pdq=PDQ, pdq_quality=80, other=(("photodna", "ZZZ"),))]
    out = io.StringIO()
    write_csv(out, entries)
    assert read_text(out.getvalue(), Format.CSV, ParseReport()) == entries


def test_plain_text() -> None:
    report = ParseReport()
    entries = read_text(f"# a comment\n{MD5}\n\n{SHA1.upper()}  # trailing\nxyz\n",
                        Format.TEXT, report)
    assert entries == [Entry(md5=MD5), Entry(sha1=SHA1)]
    assert report.problems == [(5, "a hash of 3 characters is neither MD5 (32), SHA-1 (40) "
                                   "nor SHA-256 or PDQ (64)")]


def test_plain_64_hex_lines_are_refused_unless_the_kind_is_said() -> None:
    """Meta's PDQ tools write bare hashes one a line, as sha256 lists look: never guessed."""
    with pytest.raises(FormatError, match=r"line 2: .*say --kind sha256 or --kind pdq"):
        read_text(f"{MD5}\n{SHA256}\n", Format.TEXT, ParseReport())
    as_pdq = read_text(f"{PDQ}\n", Format.TEXT, ParseReport(), ReadOptions(kind=Kind.PDQ))
    assert as_pdq == [Entry(pdq=PDQ)]
    as_sha = read_text(f"{SHA256}\n", Format.TEXT, ParseReport(), ReadOptions(kind=Kind.SHA256))
    assert as_sha == [Entry(sha256=SHA256)]


def test_icse() -> None:
    text = ("MD5;SHA1;PhotoDNA;Image ID;Series;Baseline\n"
            f"{MD5.upper()};{SHA1};PDNA;1001;s;Yes\n"
            f"{MD5};;;1002;s;No\n"
            f"nothex;;;1003;s;Yes\n"
            f"{MD5};\n")
    report = ParseReport()
    entries = read_text(text, Format.ICSE, report)
    assert entries[0].verdict is Verdict.BASELINE
    assert entries[0].other == (("photodna", "PDNA"),)
    assert entries[0].source_id == "1001"
    assert entries[1].verdict is None
    assert [line for line, _ in report.problems] == [4, 5]


def test_threatexchange_csv() -> None:
    text = ("collab,signal_type,signal_str,category,tags\n"
            f"hotline-x,pdq,{PDQ},csam,\n"
            f"hotline-x,url,http://x.example/,csam,\n"
            f"hotline-x,video_md5,{MD5},csam,\n"
            f"hotline-x,pdq,abc,csam,\n")
    report = ParseReport()
    entries = read_text(text, Format.TE, report)
    assert [e.pdq or e.md5 for e in entries] == [PDQ, MD5]
    assert [line for line, _ in report.problems] == [3, 5]


def test_bare_pdq_csv() -> None:
    report = ParseReport()
    entries = read_text(f"pdq,quality\n{PDQ},100\n{PDQ[:10]},5\n{PDQ},\n", Format.TE_PDQ, report)
    assert entries == [Entry(pdq=PDQ, pdq_quality=100), Entry(pdq=PDQ)]
    assert [line for line, _ in report.problems] == [3]


VICS_1 = {"odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml/$metadata#Cases",
          "value": [{"CaseID": "c1", "Media": [
              {"MediaID": 1, "Category": 1, "MD5": MD5.upper(), "SHA1": SHA1.upper(),
               "IsPrecategorized": "true", "PhotoDNA": "PDNA"},
              {"MediaID": 2, "Category": 0, "MD5": "nope"}]}]}
VICS_2 = {"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/"
                            "Default/$metadata#Media",
          "value": [{"MediaID": 5, "Category": "2", "SHA1": SHA1,
                     "AlternativeHashes": [{"HashName": "PDQ", "HashValue": PDQ},
                                           {"HashName": "PhotoDNA", "HashValue": "XYZ"}]},
                    "not a media object"]}


def test_vics_1x_cases() -> None:
    report = ParseReport()
    entries = list(read_vics(io.StringIO(json.dumps(VICS_1)), report, PRESETS["projectvic-us"]))
    assert entries == [Entry(md5=MD5, sha1=SHA1, verdict=Verdict.NATIONAL, category="1",
                             source_id="1", other=(("photodna", "PDNA"),))]
    assert report.problems[0][0] == 2
    assert "value[0].Media[1]" in report.problems[0][1]


def test_vics_2_media_and_mapping_is_a_parameter() -> None:
    report = ParseReport()
    entries = list(read_vics(io.StringIO(json.dumps(VICS_2)), report, {"2": Verdict.BASELINE}))
    assert entries[0].pdq == PDQ
    assert entries[0].verdict is Verdict.BASELINE
    assert entries[0].other == (("photodna", "XYZ"),)
    assert report.skipped == 1
    none = list(read_vics(io.StringIO(json.dumps(VICS_2)), ParseReport(), {}))
    assert none[0].verdict is None


def test_vics_write_then_read() -> None:
    entries = [Entry(md5=MD5, sha1=SHA1, verdict=Verdict.NATIONAL, category="1",
                     source_id="12", other=(("photodna", "PDNA"),)),
               Entry(pdq=PDQ, verdict=Verdict.NATIONAL)]
    out = io.StringIO()
    write_vics(out, entries, PRESETS["projectvic-us"])
    document = json.loads(out.getvalue())
    assert document["@odata.context"].endswith("#Media")
    back = list(read_vics(io.StringIO(out.getvalue()), ParseReport(), PRESETS["projectvic-us"]))
    assert back[0] == entries[0]
    assert back[1].pdq == PDQ
    assert back[1].category == "1"


@pytest.mark.parametrize("text", ["[]", '{"value": []}', "{nope", '{"@odata.context": 1, '
                                  '"value": 5}'])
def test_vics_not_a_vics_file(text: str) -> None:
    with pytest.raises(FormatError):
        list(read_vics(io.StringIO(text), ParseReport(), {}))


@pytest.mark.parametrize(("content", "fmt"), [
    (f"md5,category\n{MD5},1\n", Format.CSV),
    (f"{MD5}\n{SHA1}\n", Format.TEXT),
    (json.dumps(VICS_2), Format.VICS),
    (f"MD5;SHA1;PhotoDNA;Baseline\n{MD5};;;1\n", Format.ICSE),
    (f"collab,signal_type,signal_str,category,tags\nx,pdq,{PDQ},,\n", Format.TE),
    (f"{PDQ},100\n", Format.TE_PDQ),
    (f"pdq,quality\n{PDQ},100\n", Format.TE_PDQ),
    (f"pdq\n{PDQ}\n", Format.TE_PDQ),
    (f"sha1\n{SHA1}\n", Format.CSV),
    (f"id,md5\n1,{MD5}\n", Format.CSV),
])
def test_detect_format(tmp_path: Path, content: str, fmt: Format) -> None:
    path = tmp_path / "list"
    path.write_text(content)
    assert detect_format(path) is fmt
    assert list(read_entries(path, None, ParseReport(), {}))


def test_binary_file_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"md5,x\n\xff\xfe\x00garbage")
    with pytest.raises(FormatError, match="not UTF-8"):
        list(read_entries(path, Format.CSV, ParseReport()))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from(list(Format)))
def test_no_input_crashes_a_parser(text: str, fmt: Format) -> None:
    report = ParseReport()
    try:
        if fmt is Format.VICS:
            entries = list(read_vics(io.StringIO(text), report, {}))
        else:
            entries = read_text(text, fmt, report)
    except FormatError:
        return
    assert len(entries) + report.skipped <= max(report.read, len(entries))
    assert all(line >= 1 for line, _ in report.problems)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.just(MD5), st.just(PDQ), st.text(max_size=40)), max_size=20))
def test_csv_rows_are_read_or_skipped_with_their_line(cells: list[str]) -> None:
    text = "md5,pdq\n" + "".join(f"{c.replace(chr(10), '')},\n" for c in cells)
    report = ParseReport()
    entries = read_text(text, Format.CSV, report)
    assert len(entries) + report.skipped == report.read
