"""CSV rows with their line numbers; a row the csv module cannot read is skipped, not raised."""

import csv
from collections.abc import Iterator
from typing import TextIO

from hashdb.errors import FormatError
from hashdb.formats.report import ParseReport


def csv_rows(stream: TextIO, report: ParseReport, delimiter: str = ",",
             ) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row; unreadable rows are counted and skipped."""
    reader = csv.reader(stream, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.read += 1
            report.skip(reader.line_num, f"unreadable CSV: {exc}")
            continue
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


def csv_header(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    """The first row, lower-cased and stripped; FormatError if there is none."""
    try:
        _, header = next(rows)
    except StopIteration:
        raise FormatError("the file is empty") from None
    return [cell.strip().lower() for cell in header]
