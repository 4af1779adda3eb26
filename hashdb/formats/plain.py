"""Plain text: one hex hash a line, its kind told by its length. `#` starts a comment.

64 characters may be SHA-256 or PDQ (Meta's PDQ tools write bare hashes one a line): such a
file is refused unless the user says which (`ReadOptions.kind`)."""

from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.options import NO_OPTIONS, AmbiguousKind, ReadOptions, kind_of
from hashdb.formats.report import ParseReport


def read_plain(stream: TextIO, report: ParseReport,
               options: ReadOptions = NO_OPTIONS) -> Iterator[Entry]:
    for number, line in enumerate(stream, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        report.read += 1
        try:
            kind = kind_of(number, text, options)
            yield Entry(**{kind.value: text})  # type: ignore[arg-type]  # a hash field by name
        except AmbiguousKind:
            raise  # the whole file is in doubt, not this line
        except FormatError as exc:
            report.skip(number, str(exc).removeprefix(f"line {number}: "))
        except HashdbError as exc:
            report.skip(number, str(exc))
