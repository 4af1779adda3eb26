"""ThreatExchange: the dataset CSV python-threatexchange prints (`threatexchange dataset
--csv`: `signal_type,signal_str,collab,category,tags`, in any column order), and a bare PDQ
CSV (`pdq[,quality[,anything]]`, with or without a header: Meta's PDQ hashers write
`hash,quality,file`).

A `vpdq` signal's string is a JSON list of frames: strings `"hex,quality,seconds"` (what
python-threatexchange writes now) or objects with `hash` (or `pdq_hex`), `quality` and
`timestamp` (what it wrote before). Frames below quality 50 are dropped, as vPDQ's matcher
drops them."""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from hashdb.entry import Entry, Verdict
from hashdb.errors import FormatError, HashdbError, InvalidHash
from hashdb.formats.report import ParseReport
from hashdb.formats.rows import csv_header, csv_rows
from hashdb.kinds import Kind, normalise

TE_COLUMNS = ["signal_type", "signal_str", "collab", "category", "tags"]
SIGNAL_KIND = {"pdq": "pdq", "photo_md5": "md5", "video_md5": "md5", "md5": "md5",
               "video_sha256": "sha256", "photo_sha256": "sha256", "sha256": "sha256",
               "vpdq": "frames"}
NOT_MEDIA = {"url", "url_md5", "raw_text", "trend_query", "text_tlsh", "pdf_tlsh", "tlsh"}
VPDQ_MIN_QUALITY = 50
VERDICTS = {v.value for v in Verdict}
OPINIONS = {"positive_class", "negative_class", "investigation_seed", "disputed"}


def read_threatexchange(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    rows = csv_rows(stream, report)
    header = csv_header(rows)
    if "signal_type" not in header or "signal_str" not in header:
        raise FormatError("line 1: not a ThreatExchange dataset CSV: the header must name "
                          "signal_type and signal_str")
    at = {name: i for i, name in enumerate(header)}
    for line, row in rows:
        report.read += 1
        if len(row) != len(header):
            report.skip(line, f"{len(row)} fields where the header has {len(header)}")
            continue

        def cell(name: str, row: list[str] = row) -> str:
            return row[at[name]].strip() if name in at else ""

        signal_type = cell("signal_type").lower()
        kind = SIGNAL_KIND.get(signal_type)
        if kind is None:
            report.skip(line, f"signal type {signal_type!r} is not a media hash"
                        if signal_type in NOT_MEDIA or signal_type else "no signal type")
            continue
        opinion = cell("category").lower()
        tags = cell("tags").split()
        verdicts = [t for t in tags if t in VERDICTS]
        if opinion == "negative_class":  # a known non-match: never a hit's verdict
            verdicts = [Verdict.NOT_ILLEGAL.value]
        try:
            value: str | tuple[str, ...] = (vpdq_frames(cell("signal_str")) if kind == "frames"
                                            else cell("signal_str"))
            yield Entry(**{kind: value},  # type: ignore[arg-type]  # one hash field by name
                        verdict=Verdict(verdicts[0]) if verdicts else None,
                        category=" ".join(t for t in tags if t not in VERDICTS)
                        if opinion in OPINIONS else cell("category"),
                        source_id=cell("collab"))
        except HashdbError as exc:
            report.skip(line, str(exc))


def vpdq_frames(text: str) -> tuple[str, ...]:
    """The good frames of a vpdq signal string, in either of python-threatexchange's forms."""
    try:
        features = json.loads(text)
        if not isinstance(features, list):
            raise TypeError
        frames = []
        for f in features:
            if isinstance(f, str):
                value, quality, _seconds = f.split(",")
            else:
                value, quality = f.get("hash") or f["pdq_hex"], f.get("quality", 100)
            if int(quality) >= VPDQ_MIN_QUALITY:
                frames.append(str(value))
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidHash("a vpdq signal is a JSON list of frames: \"hex,quality,seconds\" "
                          "strings or objects with hash and quality") from None
    if not frames:
        raise InvalidHash("the vpdq signal has no frame of quality 50 or more")
    return tuple(frames)


def read_pdq_csv(stream: TextIO, report: ParseReport) -> Iterator[Entry]:
    for line, row in csv_rows(stream, report):
        first = row[0].strip().lower()
        if not first or first in ("pdq", "hash"):
            continue
        report.read += 1
        try:
            quality = int(row[1]) if len(row) > 1 and row[1].strip() else None
            yield Entry(pdq=row[0], pdq_quality=quality,
                        source_id=row[2].strip() if len(row) > 2 else "")
        except (HashdbError, ValueError) as exc:
            report.skip(line, str(exc))


def write_threatexchange(stream: TextIO, entries: Iterable[Entry], collab: str) -> int:
    """python-threatexchange's dataset CSV. Its signal types are pdq for pictures and
    video_md5, video_sha256 and vpdq for videos (entries with frame hashes): a picture's MD5
    or SHA-256 has no ThreatExchange type and is left out. The opinion is POSITIVE_CLASS, or
    NEGATIVE_CLASS for not illegal; the verdict and category go in the tags. A list keeps a
    video's frame hashes but not their quality or time: they are written at quality 50 (the
    floor every kept frame passed) a second apart (intake's rate). Returns the rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(TE_COLUMNS)
    rows = 0
    for e in entries:
        signals: list[tuple[str, str]] = []
        if e.pdq:
            signals.append(("pdq", e.pdq))
        if e.frames:
            signals += [("video_md5", e.md5)] if e.md5 else []
            signals += [("video_sha256", e.sha256)] if e.sha256 else []
            signals.append(("vpdq", json.dumps(
                [f"{normalise(Kind.PDQ, f)},{VPDQ_MIN_QUALITY},{float(i):.3f}"
                 for i, f in enumerate(e.frames)])))
        opinion = "NEGATIVE_CLASS" if e.verdict is Verdict.NOT_ILLEGAL else "POSITIVE_CLASS"
        tags = " ".join(t for t in (e.verdict.value if e.verdict else "",
                                    "".join(e.category.split())) if t)
        for signal_type, value in signals:
            writer.writerow([signal_type, value, collab, opinion, tags])
            rows += 1
    return rows
