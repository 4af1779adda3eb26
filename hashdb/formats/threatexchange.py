"""ThreatExchange CSV (`collab,signal_type,signal_str,category,tags`) and a bare PDQ CSV
(`pdq[,quality]`, with or without a header)."""

from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows

TE_HEADER = ["collab", "signal_type", "signal_str", "category", "tags"]
SIGNAL_KIND = {"pdq": "pdq", "photo_md5": "md5", "video_md5": "md5", "md5": "md5"}


def read_threatexchange(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    rows = csv_rows(stream, report)
    if csv_header(rows)[:3] != TE_HEADER[:3]:
        raise FormatError("not a ThreatExchange CSV: the header must start "
                          "collab,signal_type,signal_str")
    for line, row in rows:
        report.read += 1
        if len(row) < 3:
            report.skip(line, "fewer than 3 fields")
            continue
        signal_type = row[1].strip().lower()
        kind = SIGNAL_KIND.get(signal_type)
        if kind is None:
            report.skip(line, f"signal type {signal_type!r} is not a media hash")
            continue
        try:
            yield Entry(**{kind: row[2]}, category=row[3].strip() if len(row) > 3 else "",
                        source_id=row[0].strip())
        except HashdbError as exc:
            report.skip(line, str(exc))


def read_pdq_csv(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    for line, row in csv_rows(stream, report):
        if not row[0].strip() or row[0].strip().lower() == "pdq":
            continue
        report.read += 1
        try:
            quality = int(row[1]) if len(row) > 1 and row[1].strip() else None
            yield Entry(pdq=row[0], pdq_quality=quality)
        except (HashdbError, ValueError) as exc:
            report.skip(line, str(exc))
