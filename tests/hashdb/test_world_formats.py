"""Hash lists as other tools write them, in their documented layouts (the fixtures are
written here, never copied): each is read by auto-detection with the right kind and count,
and a file that cannot say whether 64 hex characters are SHA-256 or PDQ is refused."""

import json
from pathlib import Path

import pytest

from hashdb.entry import Entry, Verdict
from hashdb.errors import FormatError
from hashdb.formats import Format, ParseReport, ReadOptions, detect_format, read_entries
from hashdb.formats.options import NO_OPTIONS
from hashdb.kinds import Kind

MD5 = "0123456789abcdef0123456789abcdef"
MD5B = "fedcba9876543210fedcba9876543210"
SHA1 = "0123456789abcdef0123456789abcdef01234567"
SHA256 = "ab" * 32
PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ2 = "d8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23"


def read(tmp_path: Path, name: str, text: str, options: ReadOptions = NO_OPTIONS,
         ) -> tuple[Format, list[Entry], ParseReport]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = ParseReport()
    fmt = detect_format(path)
    return fmt, list(read_entries(path, None, report, {}, options)), report


def test_threatexchange_dataset_csv_in_its_own_column_order(tmp_path: Path) -> None:
    """`threatexchange dataset --csv`: signal_type,signal_str,collab,category,tags."""
    new_vpdq = json.dumps([f"{PDQ},100,0.000", f"{PDQ2},30,1.000", f"{PDQ2},90,2.000"])
    old_vpdq = json.dumps([{"hash": PDQ, "quality": 80, "timestamp": 0.0}])
    rows = [("pdq", PDQ, "Sample Data", "POSITIVE_CLASS", "national A"),
            ("video_md5", MD5, "Sample Data", "POSITIVE_CLASS", ""),
            ("video_sha256", SHA256, "Sample Data", "POSITIVE_CLASS", ""),
            ("vpdq", new_vpdq, "Sample Data", "POSITIVE_CLASS", ""),
            ("vpdq", old_vpdq, "Sample Data", "POSITIVE_CLASS", ""),
            ("photo_md5", MD5B, "Older", "", ""),
            ("pdq", PDQ2, "Sample Data", "NEGATIVE_CLASS", ""),
            ("url", "http://example.invalid/", "Sample Data", "POSITIVE_CLASS", "")]
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["signal_type", "signal_str", "collab", "category", "tags"])
    writer.writerows(rows)
    fmt, entries, report = read(tmp_path, "collab.csv", out.getvalue())
    assert fmt is Format.TE
    assert entries[0] == Entry(pdq=PDQ, verdict=Verdict.NATIONAL, category="A",
                               source_id="Sample Data")
    assert (entries[1].md5, entries[2].sha256) == (MD5, SHA256)
    assert entries[3].frames == (PDQ, PDQ2)  # the quality-30 frame is left out
    assert entries[4].frames == (PDQ,)
    assert entries[5].md5 == MD5B
    assert entries[6].verdict is Verdict.NOT_ILLEGAL  # a known non-match is never a hit
    assert len(entries) == 7
    assert report.problems == [(9, "signal type 'url' is not a media hash")]


def test_metas_vpdq_hash_file_is_one_video(tmp_path: Path) -> None:
    text = "".join(f"{i},{q},{h},{i * 0.5:.3f}\n" for i, (q, h) in
                   enumerate([(100, PDQ), (12, PDQ2), (88, PDQ2), (100, PDQ)]))
    fmt, entries, _ = read(tmp_path, "clip.txt", text)
    assert fmt is Format.VPDQ
    assert entries == [Entry(frames=(PDQ, PDQ2, PDQ))]


def test_bare_pdq_lines_are_refused_until_the_kind_is_said(tmp_path: Path) -> None:
    """How Meta's PDQ tools write hashes: one a line, as a SHA-256 list looks."""
    with pytest.raises(FormatError, match=r"line 1: .*say --kind sha256 or --kind pdq"):
        read(tmp_path, "pdq.txt", f"{PDQ}\n{PDQ2}\n")
    fmt, entries, _ = read(tmp_path, "pdq.txt", f"{PDQ}\n{PDQ2}\n", ReadOptions(kind=Kind.PDQ))
    assert fmt is Format.TEXT
    assert [e.pdq for e in entries] == [PDQ, PDQ2]


def test_pdq_hasher_output_with_quality_and_file(tmp_path: Path) -> None:
    fmt, entries, _ = read(tmp_path, "hashes.txt", f"{PDQ},100,/in/a.jpg\n{PDQ2},47,b.png\n")
    assert fmt is Format.TE_PDQ
    assert [(e.pdq, e.pdq_quality, e.source_id) for e in entries] == [
        (PDQ, 100, "/in/a.jpg"), (PDQ2, 47, "b.png")]


def test_a_csv_whose_hash_column_is_named_otherwise(tmp_path: Path) -> None:
    text = f"FilePath,Hash\n/a.jpg,{PDQ}\n/b.jpg,{PDQ2}\n"
    with pytest.raises(FormatError, match=r"line 2: .*say --kind sha256 or --kind pdq"):
        read(tmp_path, "pdq.csv", text)
    fmt, entries, _ = read(tmp_path, "pdq.csv", text, ReadOptions(kind=Kind.PDQ, column="Hash"))
    assert fmt is Format.CSV
    assert [e.pdq for e in entries] == [PDQ, PDQ2]
    # a quality column says PDQ; 32 hex characters say MD5 whatever the column's name
    _, entries, _ = read(tmp_path, "q.csv", f"FilePath,Hash,Quality\n/a.jpg,{PDQ},90\n")
    assert entries == [Entry(pdq=PDQ, pdq_quality=90)]
    _, entries, _ = read(tmp_path, "m.csv", f"Name,Digest\na,{MD5}\nb,{MD5B}\n")
    assert [e.md5 for e in entries] == [MD5, MD5B]
    with pytest.raises(FormatError, match="no column 'Checksum'"):
        read(tmp_path, "m.csv", f"Name,Digest\na,{MD5}\n", ReadOptions(column="Checksum"))


def test_nsrl_rds_files(tmp_path: Path) -> None:
    v2 = ('"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode",'
          '"SpecialCode"\n'
          f'"{SHA1.upper()}","{MD5.upper()}","AABBCCDD","setup, final.exe",1024,17,"358",""\n'
          f'"{SHA1}","{MD5B}","00000000","x.dll",10,17,"358",""\n')
    fmt, entries, _ = read(tmp_path, "NSRLFile.txt", v2)
    assert fmt is Format.CSV
    assert [(e.sha1, e.md5, e.source_id) for e in entries] == [
        (SHA1, MD5, "setup, final.exe"), (SHA1, MD5B, "x.dll")]
    v15 = ('"SHA-1","FileName","FileSize","ProductCode","OpSystemCode","MD4","MD5","CRC32",'
           '"SpecialCode"\n'
           f'"{SHA1}","a.txt",3,1,"WIN","{MD5B}","{MD5}","00","" \n')
    _, entries, _ = read(tmp_path, "NSRLFile15.txt", v15)
    assert [(e.sha1, e.md5) for e in entries] == [(SHA1, MD5)]


def test_hashkeeper(tmp_path: Path) -> None:
    text = ('"file_id","hashset_id","file_name","directory","hash","file_size",'
            '"date_modified","time_modified","time_zone","comments","date_accessed",'
            '"time_accessed"\n'
            f'1,7,"a.jpg","C:\\\\x","{MD5.upper()}",10,"","","","","",""\n')
    fmt, entries, _ = read(tmp_path, "set.hke", text)
    assert fmt is Format.CSV
    assert [(e.md5, e.source_id) for e in entries] == [(MD5, "a.jpg")]


def test_ilook_sets(tmp_path: Path) -> None:
    v1 = ("V1Hash,HashType,SetDescription,FileName,FilePath,FileSize\n"
          f"{MD5},1,known,a.jpg,C:\\x,10\n")
    fmt, entries, _ = read(tmp_path, "ilook1.txt", v1)
    assert fmt is Format.CSV
    assert [(e.md5, e.source_id) for e in entries] == [(MD5, "a.jpg")]
    v4 = ("V4Hash,HashSHA1,FileName,FilePath,FileSize,HashSHA256,HashSHA384,HashSHA512,"
          "CreateTime,ModTime,LastAccessTime\n"
          f"{MD5},{SHA1},b.jpg,C:\\x,10,{SHA256},,,,,\n")
    _, entries, _ = read(tmp_path, "ilook4.txt", v4)
    assert [(e.md5, e.sha1, e.sha256) for e in entries] == [(MD5, SHA1, SHA256)]


@pytest.mark.parametrize(("text", "expected"), [
    (f"{MD5}  a.jpg\n{MD5B} *b c.jpg\n", [("md5", MD5, "a.jpg"), ("md5", MD5B, "b c.jpg")]),
    (f"{SHA1}  a.jpg\n", [("sha1", SHA1, "a.jpg")]),
    (f"{SHA256}  a.jpg\n", [("sha256", SHA256, "a.jpg")]),  # sha256sum's form says SHA-256
    (f"MD5 (a.jpg) = {MD5}\nSHA256 (b.jpg) = {SHA256}\nSHA1 (c) = {SHA1}\n",
     [("md5", MD5, "a.jpg"), ("sha256", SHA256, "b.jpg"), ("sha1", SHA1, "c")]),
    (f"      1024  {MD5}  a.jpg\n", [("md5", MD5, "a.jpg")]),  # md5deep -z
])
def test_digest_tools_output(tmp_path: Path, text: str,
                             expected: list[tuple[str, str, str]]) -> None:
    fmt, entries, _ = read(tmp_path, "SUMS", text)
    assert fmt is Format.SUMS
    assert [(k, getattr(e, k), e.source_id) for e, (k, _, _) in
            zip(entries, expected, strict=True)] == expected


def test_hashdeep(tmp_path: Path) -> None:
    text = ("%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n"
            "## Invoked from: /home/x\n## $ hashdeep -r .\n##\n"
            f"10,{MD5},{SHA256},./a, b.jpg\n"
            f"11,{MD5B},zz,./c.jpg\n")
    fmt, entries, report = read(tmp_path, "known.txt", text)
    assert fmt is Format.HASHDEEP
    assert [(e.md5, e.sha256, e.source_id) for e in entries] == [(MD5, SHA256, "./a, b.jpg")]
    assert [line for line, _ in report.problems] == [7]


def test_kind_is_refused_where_the_file_says_its_kinds(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="says its hash kinds itself"):
        read(tmp_path, "s", f"{MD5}  a.jpg\n", ReadOptions(kind=Kind.PDQ))
