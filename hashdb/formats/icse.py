"""INTERPOL ICSE CSV: semicolon-separated, header `MD5;SHA1;PhotoDNA;Image ID;...;Baseline`.

An entry marked Baseline gets the verdict baseline; others carry no verdict of their own.
"""

from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry, Verdict
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows

TRUE = {"1", "yes", "true", "y", "x"}


def read_icse(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    rows = csv_rows(stream, report, ";")
    header = csv_header(rows)
    if "md5" not in header and "sha1" not in header:
        raise FormatError("line 1: not an ICSE file: the header has neither MD5 nor SHA1; "
                          "say the format with --format")
    at = {name: i for i, name in enumerate(header)}
    for line, row in rows:
        report.read += 1
        if len(row) != len(header):
            report.skip(line, f"{len(row)} fields where the header has {len(header)}")
            continue

        def cell(name: str, row: list[str] = row) -> str:
            return row[at[name]].strip() if name in at else ""

        baseline = cell("baseline").lower() in TRUE
        try:
            yield Entry(md5=cell("md5") or None, sha1=cell("sha1") or None,
                        verdict=Verdict.BASELINE if baseline else None,
                        category="baseline" if baseline else "",
                        source_id=cell("image id"),
                        other=(("photodna", cell("photodna")),) if cell("photodna") else ())
        except HashdbError as exc:
            report.skip(line, str(exc))
