"""Which format a list file is in, from its first lines. It never guesses between look-alike
hash kinds: that is the readers' part (64 hex characters need a form that says PDQ, a digest
tool's layout, or the user's word)."""

import csv
import re
from enum import StrEnum
from pathlib import Path

from hashdb.formats.csv_list import ALIASES, HASH_COLUMNS, OTHER_KINDS
from hashdb.formats.sums import HASHDEEP_MAGIC, sums_line
from hashdb.formats.vpdq_file import vpdq_line


class Format(StrEnum):
    CSV = "csv"  # a header naming the columns; NSRL, HashKeeper and iLook are such CSVs
    TEXT = "text"  # one bare hash a line
    VICS = "vics"
    ICSE = "icse"
    TE = "te"  # python-threatexchange's dataset CSV
    TE_PDQ = "te-pdq"  # pdq[,quality[,file]]: Meta's PDQ hashers
    VPDQ = "vpdq"  # Meta's vPDQ hash file: frame,quality,pdq,seconds
    SUMS = "sums"  # md5sum, sha1sum, sha256sum, BSD tags, md5deep
    HASHDEEP = "hashdeep"


PDQ_ROW = re.compile(r"^[0-9A-Fa-f]{64},\s*(\d{1,3})(,.*)?$")
HEADER_WORDS = HASH_COLUMNS | OTHER_KINDS | set(ALIASES) | {"hash", "hashset_id"}


def detect_format(path: Path) -> Format:
    with path.open("rb") as fh:
        head = fh.read(8192)
    text = head.decode("utf-8-sig", "replace").lstrip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if text.startswith("{"):
        return Format.VICS
    if first.startswith(HASHDEEP_MAGIC):
        return Format.HASHDEEP
    lowered = first.lower()
    if ";" in first and ("md5" in lowered or "sha1" in lowered):
        return Format.ICSE
    cells = [c.strip().lower() for c in next(csv.reader([first]), [])]
    if "signal_type" in cells and "signal_str" in cells:
        return Format.TE
    if cells[:1] == ["pdq"] and len(cells) <= 3:
        return Format.TE_PDQ
    if HEADER_WORDS & set(cells) and not _is_hex(cells[0]):
        return Format.CSV
    rows = [line for line in lines if not line.startswith("#")]
    sample = rows[:20]
    if sample and all(vpdq_line(line) for line in sample):
        return Format.VPDQ
    if sample and all(_pdq_row(line) for line in sample):
        return Format.TE_PDQ
    if sample and all(sums_line(line) for line in sample):
        return Format.SUMS
    if "," in first and not _is_hex(cells[0]):
        return Format.CSV  # a header whose hash column the values (or --column) must tell
    return Format.TEXT


def _is_hex(cell: str) -> bool:
    return len(cell) >= 32 and all(c in "0123456789abcdef" for c in cell.removeprefix("0x"))


def _pdq_row(line: str) -> bool:
    """`hash,quality[,file]` as Meta's PDQ hashers print: a quality column says PDQ."""
    m = PDQ_ROW.match(line)
    return m is not None and int(m.group(1)) <= 100
