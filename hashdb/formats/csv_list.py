"""CSV with a header naming its columns: the plain exchange format, read and written, and the
forensic hash sets that are CSVs too (NIST's NSRL `NSRLFile.txt`, HashKeeper, iLook).

Known columns (case-insensitive): md5, sha1, sha256, pdq, pdq_quality (or quality), verdict,
category, source_id (or id), vpdq (or frames: a video's frame PDQ hashes separated by ';').
Columns named after other hash kinds (photodna, ...) are kept with the entry as given; any
other column is ignored. A hash column named otherwise (`Hash`, `Digest`) is named by the
user (`ReadOptions.column`) or found by its values; 64 hex characters in it are refused unless
the file says PDQ (a quality column) or the user names the kind."""

import csv
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TextIO

from hashdb.entry import Entry, join_frames, parse_verdict, split_frames
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.options import NO_OPTIONS, AmbiguousKind, ReadOptions, kind_of
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows

OTHER_KINDS = {"photodna", "pdna", "ssdeep", "tlsh", "md5_video", "netclean", "phash"}
ALIASES = {"quality": "pdq_quality", "id": "source_id", "sha-1": "sha1", "sha-256": "sha256",
           "md-5": "md5", "sourceid": "source_id", "frames": "vpdq",
           # NSRL (NSRLFile.txt) names its columns "SHA-1", "MD5", "FileName"
           "filename": "source_id",
           # iLook: the MD5 column is V1Hash, V3Hash or V4Hash; HashSHA1, HashSHA256
           "v1hash": "md5", "v3hash": "md5", "v4hash": "md5", "hashsha1": "sha1",
           "hashsha256": "sha256"}
HASH_COLUMNS = {"md5", "sha1", "sha256", "pdq", "vpdq"}
COLUMNS = ["md5", "sha1", "sha256", "pdq", "pdq_quality", "verdict", "category", "source_id",
           "vpdq"]
SNIFF_ROWS = 50


def _names(header: list[str]) -> list[str]:
    names = [ALIASES.get(c, c) for c in header]
    if "hashset_id" in header and "hash" in header:  # HashKeeper: `hash` is the MD5
        names[header.index("hash")] = "md5"
        if "file_name" in header:
            names[header.index("file_name")] = "source_id"
    if names.count("source_id") > 1:  # an id and a file name: keep the first
        first = names.index("source_id")
        names = [n if n != "source_id" or i == first else "" for i, n in enumerate(names)]
    return names


def _named_column(names: list[str], header: list[str], rows: list[tuple[int, list[str]]],
                  options: ReadOptions) -> list[str]:
    """The header with its hash column renamed to the hash kind: the one the user named, or
    the one whose values are all hex of one length (the first rows tell)."""
    if options.column is not None:
        wanted = options.column.strip().lower()
        if wanted not in header:
            raise FormatError(f"line 1: no column {options.column!r}; the header has "
                              f"{', '.join(header)}")
        at = header.index(wanted)
    else:
        found = [i for i in range(len(header)) if _all_hex(rows, i)]
        if len(found) != 1:
            raise FormatError("line 1: the CSV header names no hash column (md5, sha1, sha256, "
                              "pdq, ...)" + ("; several columns hold hex values" if found
                                             else "") + "; say which with --column")
        at = found[0]
    sample = next((r[at] for _, r in rows if at < len(r) and r[at].strip()), "")
    line = next((n for n, r in rows if at < len(r) and r[at].strip()), 2)
    pdq_form = "pdq_quality" in names
    kind = kind_of(line, sample, options, pdq_form) if sample else options.kind
    if kind is None:
        raise FormatError(f"line 1: column {header[at]!r} holds no hash in the first rows; "
                          "say the kind with --kind")
    return [kind.value if i == at else n for i, n in enumerate(names)]


def _all_hex(rows: list[tuple[int, list[str]]], at: int) -> bool:
    values = [r[at].strip().lower() for _, r in rows if at < len(r) and r[at].strip()]
    lengths = {len(v) for v in values}
    return bool(values) and len(lengths) == 1 and lengths <= {32, 40, 64} and all(
        all(c in "0123456789abcdef" for c in v) for v in values)


def read_csv(stream: TextIO, report: ParseReport, delimiter: str = ",",
             options: ReadOptions = NO_OPTIONS) -> Iterator[Entry]:
    rows = csv_rows(stream, report, delimiter)
    header = csv_header(rows)
    names = _names(header)
    if options.column is not None or not (HASH_COLUMNS | OTHER_KINDS) & set(names):
        first = list(islice(rows, SNIFF_ROWS))
        names = _named_column(names, header, first, options)
        rows = chain(first, rows)
    elif options.kind is not None:
        raise FormatError("line 1: the header names the hash columns already; --kind is for "
                          "a column whose name does not say (with --column)")
    for line, row in rows:
        report.read += 1
        if len(row) != len(names):
            report.skip(line, f"{len(row)} fields where the header has {len(names)}")
            continue
        values = {n: v.strip() for n, v in zip(names, row, strict=True) if n}
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
        except AmbiguousKind:
            raise
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
