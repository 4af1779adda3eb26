"""CSV with a header naming its columns: the plain exchange format, read and written.

Known columns (case-insensitive): md5, sha1, sha256, pdq, pdq_quality (or quality), verdict,
category, source_id (or id), vpdq (or frames: a video's frame PDQ hashes separated by
';'). Columns named after other hash kinds (photodna, ...) are kept
with the entry as given; any other column is ignored.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from hashdb.entry import Entry, join_frames, parse_verdict, split_frames
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows

OTHER_KINDS = {"photodna", "pdna", "ssdeep", "tlsh", "md5_video", "netclean", "phash"}
ALIASES = {"quality": "pdq_quality", "id": "source_id", "sha-1": "sha1", "sha-256": "sha256",
           "md-5": "md5", "sourceid": "source_id", "frames": "vpdq"}
COLUMNS = ["md5", "sha1", "sha256", "pdq", "pdq_quality", "verdict", "category", "source_id",
           "vpdq"]


def _header(row: list[str]) -> list[str]:
    names = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in row]
    if not {"md5", "sha1", "sha256", "pdq", "vpdq"} & set(names) and not OTHER_KINDS & set(names):
        raise FormatError("the CSV header names no hash column (md5, sha1, sha256, pdq, ...)")
    return names


def read_csv(stream: TextIO, report: ParseReport, delimiter: str = ",") -> Iterator[Entry]:
    rows = csv_rows(stream, report, delimiter)
    names = _header(csv_header(rows))
    for line, row in rows:
        report.read += 1
        if len(row) != len(names):
            report.skip(line, f"{len(row)} fields where the header has {len(names)}")
            continue
        values = {n: v.strip() for n, v in zip(names, row, strict=True)}
        try:
            quality = values.get("pdq_quality") or None
            yield Entry(
                md5=values.get("md5") or None, sha1=values.get("sha1") or None,
                sha256=values.get("sha256") or None, pdq=values.get("pdq") or None,
                pdq_quality=int(quality) if quality is not None else None,
                verdict=parse_verdict(values.get("verdict")),
                category=values.get("category", ""), source_id=values.get("source_id", ""),
                other=tuple((k, values[k]) for k in names if k in OTHER_KINDS and values[k]),
                frames=split_frames(values.get("vpdq")))
        except (HashdbError, ValueError) as exc:
            report.skip(line, str(exc))


def write_csv(stream: TextIO, entries: Iterable[Entry]) -> int:
    """Write entries; other hash kinds become extra columns. Returns the number written."""
    entries = list(entries)
    extra = sorted({kind for e in entries for kind, _ in e.other})
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS + extra)
    for e in entries:
        other = dict(e.other)
        writer.writerow([e.md5 or "", e.sha1 or "", e.sha256 or "", e.pdq or "",
                         "" if e.pdq_quality is None else e.pdq_quality,
                         e.verdict.value if e.verdict else "", e.category, e.source_id,
                         join_frames(e.frames),
                         *(other.get(k, "") for k in extra)])
    return len(entries)
