"""Plain text: one hex digest a line, its kind told by its length. `#` starts a comment."""

from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import HashdbError
from hashdb.formats.report import ParseReport
from hashdb.kinds import kind_by_length


def read_plain(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    for number, line in enumerate(stream, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        report.read += 1
        try:
            kind = kind_by_length(text)
            yield Entry(**{kind.value: text})  # type: ignore[arg-type]  # a hash field by name
        except HashdbError as exc:
            report.skip(number, str(exc))
