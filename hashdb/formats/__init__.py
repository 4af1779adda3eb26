"""Reading and writing the hash-list formats hotlines exchange.

`read_entries(path, fmt)` streams entries out of any supported file and fills a ParseReport;
`detect_format(path)` guesses the format from the first bytes.
"""

import io
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path

from hashdb.entry import Entry
from hashdb.errors import FormatError
from hashdb.formats.csv_list import read_csv, write_csv
from hashdb.formats.icse import read_icse
from hashdb.formats.plain import read_plain
from hashdb.formats.report import ParseReport
from hashdb.formats.threatexchange import read_pdq_csv, read_threatexchange
from hashdb.formats.vics import PRESETS, CategoryMap, read_vics, write_vics

__all__ = ["PRESETS", "CategoryMap", "Format", "ParseReport", "detect_format", "read_entries",
           "write_entries"]


class Format(StrEnum):
    CSV = "csv"
    TEXT = "text"
    VICS = "vics"
    ICSE = "icse"
    TE = "te"
    TE_PDQ = "te-pdq"


def detect_format(path: Path) -> Format:
    with path.open("rb") as fh:
        head = fh.read(4096)
    text = head.decode("utf-8-sig", "replace").lstrip()
    first = text.splitlines()[0].strip().lower() if text else ""
    if text.startswith("{"):
        return Format.VICS
    if first.startswith("collab,signal_type"):
        return Format.TE
    if ";" in first and ("md5" in first or "sha1" in first):
        return Format.ICSE
    columns = [c.strip() for c in first.split(",")]
    if columns[0] == "pdq" and len(columns) <= 2:
        return Format.TE_PDQ
    if any(c in ("md5", "sha1", "sha256", "pdq", "vpdq", "frames") for c in columns):
        return Format.CSV
    cells = first.split(",")
    if len(cells) <= 2 and len(cells[0]) == 64 and (len(cells) == 1 or cells[1].isdigit()):
        return Format.TE_PDQ if len(cells) == 2 else Format.TEXT
    return Format.TEXT


def read_entries(path: Path, fmt: Format | None, report: ParseReport,
                 mapping: CategoryMap | None = None) -> Iterator[Entry]:
    fmt = fmt or detect_format(path)
    if fmt is Format.VICS:
        with path.open("rb") as fh:
            yield from read_vics(fh, report, mapping if mapping is not None else {})
        return
    readers = {Format.CSV: read_csv, Format.TEXT: read_plain, Format.ICSE: read_icse,
               Format.TE: read_threatexchange, Format.TE_PDQ: read_pdq_csv}
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            yield from readers[fmt](fh, report)
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name} is not UTF-8 text: {exc}") from None


def write_entries(path: Path, fmt: Format, entries: Iterable[Entry],
                  mapping: CategoryMap | None = None) -> int:
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt is Format.CSV:
            return write_csv(fh, entries)
        if fmt is Format.VICS:
            return write_vics(fh, entries, mapping or {})
    raise FormatError(f"cannot write the {fmt.value} format; write csv or vics")


def read_text(text: str, fmt: Format, report: ParseReport) -> list[Entry]:
    """Parse text in memory (tests, paste boxes)."""
    readers = {Format.CSV: read_csv, Format.TEXT: read_plain, Format.ICSE: read_icse,
               Format.TE: read_threatexchange, Format.TE_PDQ: read_pdq_csv}
    return list(readers[fmt](io.StringIO(text), report))
