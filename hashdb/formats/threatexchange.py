"""ThreatExchange CSV (`collab,signal_type,signal_str,category,tags`) and a bare PDQ CSV
(`pdq[,quality]`, with or without a header).

A `vpdq` signal's string is python-threatexchange's JSON: a list of frames, each with `hash`,
`quality` and `timestamp`; frames below quality 50 are dropped as vPDQ's matcher drops them.
"""

import json
from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError, HashdbError, InvalidHash
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows

TE_HEADER = ["collab", "signal_type", "signal_str", "category", "tags"]
SIGNAL_KIND = {"pdq": "pdq", "photo_md5": "md5", "video_md5": "md5", "md5": "md5",
               "vpdq": "frames"}
VPDQ_MIN_QUALITY = 50


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
            value: str | tuple[str, ...] = _vpdq_frames(row[2]) if kind == "frames" else row[2]
            yield Entry(**{kind: value},  # type: ignore[arg-type]  # one hash field by name
                        category=row[3].strip() if len(row) > 3 else "",
                        source_id=row[0].strip())
        except HashdbError as exc:
            report.skip(line, str(exc))


def _vpdq_frames(text: str) -> tuple[str, ...]:
    try:
        features = json.loads(text)
        return tuple(str(f["hash"]) for f in features
                     if int(f.get("quality", 100)) >= VPDQ_MIN_QUALITY)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidHash("a vpdq signal must be a JSON list of frames with hash and quality") \
            from None


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
