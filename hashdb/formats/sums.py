"""What digest tools print: md5sum, sha1sum and sha256sum (`hash  path`, `hash *path`), the
BSD tag style (`SHA256 (path) = hash`), md5deep's size column (`size  hash  path`), and
hashdeep's own files (`%%%% HASHDEEP-1.0`, then `%%%% size,md5,sha256,filename`).

A digest tool wrote these, so 64 hex characters are SHA-256 here, never PDQ."""

import re
from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport
from hashdb.kinds import Kind

BSD = re.compile(r"^(MD5|SHA1|SHA-1|SHA256|SHA-256|SHA2-256)\s*\((.*)\)\s*=\s*([0-9A-Fa-f]+)$")
GNU = re.compile(r"^\\?([0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})( [ *]|\t)(.+)$")
SIZED = re.compile(r"^\s*(\d+)\s+([0-9A-Fa-f]{32}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})\s+(.+)$")
BY_LENGTH = {32: Kind.MD5, 40: Kind.SHA1, 64: Kind.SHA256}
TAGS = {"md5": Kind.MD5, "sha1": Kind.SHA1, "sha-1": Kind.SHA1, "sha256": Kind.SHA256,
        "sha-256": Kind.SHA256, "sha2-256": Kind.SHA256}
HASHDEEP_MAGIC = "%%%% HASHDEEP-1.0"


def sums_line(text: str) -> tuple[Kind, str, str] | None:
    """(kind, hash, path) of one line in any of the three digest-tool forms, or None."""
    if m := BSD.match(text):
        return TAGS[m.group(1).lower()], m.group(3), m.group(2)
    if m := GNU.match(text):
        return BY_LENGTH[len(m.group(1))], m.group(1), m.group(3)
    if m := SIZED.match(text):
        return BY_LENGTH[len(m.group(2))], m.group(2), m.group(3)
    return None


def read_sums(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    for number, line in enumerate(stream, start=1):
        text = line.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        report.read += 1
        found = sums_line(text)
        if found is None:
            report.skip(number, "not a line of md5sum, sha1sum, sha256sum or BSD tag form "
                                "(`hash  file` or `MD5 (file) = hash`)")
            continue
        kind, value, path = found
        try:
            yield Entry(**{kind.value: value}, source_id=path)  # type: ignore[arg-type]
        except HashdbError as exc:
            report.skip(number, str(exc))


HASHDEEP_COLUMNS = {"md5": Kind.MD5, "sha1": Kind.SHA1, "sha-1": Kind.SHA1,
                    "sha256": Kind.SHA256, "sha-256": Kind.SHA256}


def read_hashdeep(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    """hashdeep's format 1.0: size first, file name last, hash columns between; tiger and
    whirlpool columns are kept as other hashes."""
    first, second = stream.readline().strip(), stream.readline().strip()
    if first != HASHDEEP_MAGIC:
        raise FormatError(f"line 1: not a hashdeep file: it must start {HASHDEEP_MAGIC!r}")
    if not second.startswith("%%%% "):
        raise FormatError("line 2: a hashdeep file names its columns there "
                          "(`%%%% size,md5,sha256,filename`)")
    columns = [c.strip().lower() for c in second[5:].split(",")]
    if len(columns) < 3 or columns[0] != "size" or columns[-1] != "filename":
        raise FormatError("line 2: hashdeep's columns are size first, filename last, "
                          f"hashes between; this file says {','.join(columns)}")
    hashes = columns[1:-1]
    for number, line in enumerate(stream, start=3):
        text = line.rstrip("\r\n")
        if not text.strip() or text.startswith(("#", "%%%%")):
            continue
        report.read += 1
        cells = text.split(",", len(columns) - 1)
        if len(cells) != len(columns):
            report.skip(number, f"{len(cells)} fields where the header has {len(columns)}")
            continue
        known = {HASHDEEP_COLUMNS[c].value: v for c, v in zip(hashes, cells[1:-1], strict=True)
                 if c in HASHDEEP_COLUMNS and v}
        other = tuple((c, v) for c, v in zip(hashes, cells[1:-1], strict=True)
                      if c not in HASHDEEP_COLUMNS and v)
        try:
            yield Entry(**known, other=other, source_id=cells[-1])  # type: ignore[arg-type]
        except HashdbError as exc:
            report.skip(number, str(exc))
