"""Meta's vPDQ hash files: one video a file, one line a hashed frame,
`frame number,quality,PDQ hex,timestamp in seconds`. The file becomes one entry whose frames
are the hashes of quality 50 and over (vPDQ's matcher leaves the others out too)."""

from collections.abc import Iterator
from typing import TextIO

from hashdb.entry import Entry
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport
from hashdb.kinds import Kind, normalise

MIN_QUALITY = 50


def vpdq_line(text: str) -> tuple[int, str, float] | None:
    """(quality, hash, seconds) of a vPDQ line, or None if it is not one."""
    cells = [c.strip() for c in text.split(",")]
    if len(cells) != 4 or not cells[0].isdigit() or not cells[1].isdigit():
        return None
    try:
        quality, value, seconds = int(cells[1]), normalise(Kind.PDQ, cells[2]), float(cells[3])
    except (HashdbError, ValueError):
        return None
    if not 0 <= quality <= 100 or seconds < 0:
        return None
    return quality, value, seconds


def read_vpdq_file(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    frames: list[str] = []
    low = 0
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        report.read += 1
        found = vpdq_line(text)
        if found is None:
            report.skip(number, "not a vPDQ line (`frame,quality,pdq hex,seconds`)")
            continue
        quality, value, _ = found
        if quality < MIN_QUALITY:
            low += 1
        else:
            frames.append(value)
    if not frames:
        raise FormatError("no frame of quality 50 or more: nothing to match this video by"
                          + (f" ({low} frames below)" if low else ""))
    yield Entry(frames=tuple(frames))
