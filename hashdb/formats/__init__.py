"""Reading and writing the hash-list formats hotlines exchange.

`read_entries(path, fmt)` streams entries out of any supported file and fills a ParseReport;
`detect_format(path)` tells the format from the first lines (`detect.py`).
"""

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError
from hashdb.formats.csv_list import read_csv, write_csv
from hashdb.formats.detect import Format, detect_format
from hashdb.formats.icse import read_icse
from hashdb.formats.options import NO_OPTIONS, AmbiguousKind, ReadOptions
from hashdb.formats.plain import read_plain
from hashdb.formats.report import ParseReport
from hashdb.formats.sums import read_hashdeep, read_sums
from hashdb.formats.threatexchange import read_pdq_csv, read_threatexchange, write_threatexchange
from hashdb.formats.vics import PRESETS, CategoryMap, read_vics, write_vics
from hashdb.formats.vpdq_file import read_vpdq_file

__all__ = ["PRESETS", "AmbiguousKind", "CategoryMap", "Format", "ParseReport", "ReadOptions",
           "detect_format", "read_entries", "write_entries"]

Reader = Callable[[TextIO, ParseReport, ReadOptions], Iterator[Entry]]
READERS: dict[Format, Reader] = {
    Format.CSV: lambda s, r, o: read_csv(s, r, options=o),
    Format.TEXT: read_plain,
    Format.ICSE: lambda s, r, o: read_icse(s, r),
    Format.TE: lambda s, r, o: read_threatexchange(s, r),
    Format.TE_PDQ: lambda s, r, o: read_pdq_csv(s, r),
    Format.VPDQ: lambda s, r, o: read_vpdq_file(s, r),
    Format.SUMS: lambda s, r, o: read_sums(s, r),
    Format.HASHDEEP: lambda s, r, o: read_hashdeep(s, r),
}
WRITABLE = (Format.CSV, Format.VICS, Format.TE)


def read_entries(path: Path, fmt: Format | None, report: ParseReport,
                 mapping: CategoryMap | None = None,
                 options: ReadOptions = NO_OPTIONS) -> Iterator[Entry]:
    fmt = fmt or detect_format(path)
    if options.kind is not None and fmt not in (Format.CSV, Format.TEXT):
        raise FormatError(f"--kind is for bare hashes and CSV columns; a {fmt.value} file "
                          "says its hash kinds itself")
    if fmt is Format.VICS:
        with path.open("rb") as fh:
            yield from read_vics(fh, report, mapping if mapping is not None else {})
        return
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            yield from READERS[fmt](fh, report, options)
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name} is not UTF-8 text: {exc}") from None


def write_entries(path: Path, fmt: Format, entries: Iterable[Entry],
                  mapping: CategoryMap | None = None, collab: str = "") -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt is Format.CSV:
            return write_csv(fh, entries)
        if fmt is Format.VICS:
            return write_vics(fh, entries, mapping or {})
        if fmt is Format.TE:
            return write_threatexchange(fh, entries, collab)
    raise FormatError(f"cannot write the {fmt.value} format; write "
                      + ", ".join(f.value for f in WRITABLE))


def read_text(text: str, fmt: Format, report: ParseReport,
              options: ReadOptions = NO_OPTIONS) -> list[Entry]:
    """Parse text in memory (tests, paste boxes)."""
    return list(READERS[fmt](io.StringIO(text), report, options))
