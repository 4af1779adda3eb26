"""VICS JSON (the Project VIC data model of Griffeye, Magnet, IPED, Autopsy): read 1.x and 2.0,
write 2.0.

1.x: `"odata.metadata"`, a `Media` array (at the top or in each case of `value`).
2.0: `"@odata.context"`, a `value` array of media, or of cases each with a `Media` array.
Booleans may come as strings ("true"); PhotoDNA and PDQ may sit on the media or in
`AlternativeHashes`. A video's frame hashes travel as the alternative hash "vPDQ" (PDQ hashes
joined by ';'), which VICS does not define: tools that do not know it keep or ignore it. What a
category number means differs by region, so the mapping from
category to verdict is passed in; the presets are starting points, never hard-wired.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from hashdb.entry import Entry, Verdict, join_frames, split_frames
from hashdb.errors import FormatError, HashdbError
from hashdb.formats.report import ParseReport

CategoryMap = dict[str, Verdict | None]

PRESETS: dict[str, CategoryMap] = {
    # Project VIC (US): 0 non-pertinent, 1 child abuse material, 2 child exploitive (non-CAM),
    # 3 CGI/animation, 4 comparison images. Only 1 is mapped to an illegal verdict.
    "projectvic-us": {"0": Verdict.NOT_ILLEGAL, "1": Verdict.NATIONAL, "2": None, "3": None,
                      "4": None},
    # UK CAID: categories A, B, C (1, 2, 3) are indecent under UK law.
    "caid-uk": {"1": Verdict.NATIONAL, "2": Verdict.NATIONAL, "3": Verdict.NATIONAL},
    # Categories kept as text, no verdict from the file: the list's scope decides.
    "none": {},
}
CONTEXT_2_0 = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"


def _media_records(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, media dict) for every media object, whatever the version's nesting."""
    if not isinstance(document, dict):
        raise FormatError("not a VICS file: the top level is not a JSON object")
    if "odata.metadata" not in document and "@odata.context" not in document:
        raise FormatError("not a VICS file: neither odata.metadata nor @odata.context")
    if isinstance(document.get("Media"), list):
        for i, media in enumerate(document["Media"]):
            yield f"Media[{i}]", media
    value = document.get("value", [])
    if not isinstance(value, list):
        raise FormatError("not a VICS file: value is not an array")
    for i, item in enumerate(value):
        if isinstance(item, dict) and isinstance(item.get("Media"), list):
            for j, media in enumerate(item["Media"]):
                yield f"value[{i}].Media[{j}]", media
        else:
            yield f"value[{i}]", item


def _field(media: dict[str, Any], name: str) -> Any:
    for key, value in media.items():
        if key.lower() == name.lower():
            return value
    return None


def _text(value: Any, name: str) -> str | None:
    """A hash or id field: text (or a number for ids), never a list, an object or a lone
    surrogate."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FormatError(f"{name} should be text, not {type(value).__name__}")
    text = str(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FormatError(f"{name} holds a character that is not valid text") from None
    return text


def _hash(media: dict[str, Any], name: str) -> str | None:
    value = _field(media, name)
    if value is not None and not isinstance(value, str):
        raise FormatError(f"{name} should be a hex string, not {type(value).__name__}")
    return _text(value, name)


def _alternative(media: dict[str, Any], name: str) -> str | None:
    direct = _field(media, name)
    if direct:
        return _text(direct, name)
    alternatives = _field(media, "AlternativeHashes") or []
    if not isinstance(alternatives, list):
        raise FormatError(f"AlternativeHashes should be an array, not "
                          f"{type(alternatives).__name__}")
    for alt in alternatives:
        if isinstance(alt, dict) and str(_field(alt, "HashName") or "").lower() == name.lower():
            return _text(_field(alt, "HashValue"), name)
    return None


def read_vics(stream: TextIO | BinaryIO, report: ParseReport,
              mapping: CategoryMap) -> Iterator[Entry]:
    """Entries of a VICS file. Problems are named by their place in the JSON (no lines)."""
    try:
        document = json.load(stream)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormatError(f"not a JSON file: {exc}") from None
    except RecursionError:
        raise FormatError("not a VICS file: JSON nested too deeply") from None
    for number, (where, media) in enumerate(_media_records(document), start=1):
        report.read += 1
        if not isinstance(media, dict):
            report.skip(number, f"{where} is not a media object")
            continue
        try:
            category_text = _text(_field(media, "Category"), "Category") or ""
            photodna = _alternative(media, "PhotoDNA")
            entry = Entry(
                md5=_hash(media, "MD5"), sha1=_hash(media, "SHA1"),
                sha256=_hash(media, "SHA256"), pdq=_alternative(media, "PDQ"),
                verdict=mapping.get(category_text),
                category=category_text,
                source_id=_text(_field(media, "MediaID"), "MediaID") or "",
                other=(("photodna", photodna),) if photodna else (),
                frames=split_frames(_alternative(media, "vPDQ")))
        except HashdbError as exc:
            report.skip(number, f"{where}: {exc}")
            continue
        yield entry


def write_vics(stream: TextIO, entries: Iterable[Entry], mapping: CategoryMap) -> int:
    """VICS 2.0. An entry's category is kept; without one, the mapping's category for its
    verdict is used."""
    reverse = {verdict: category for category, verdict in mapping.items() if verdict}
    media = []
    for n, e in enumerate(entries, start=1):
        record: dict[str, Any] = {"MediaID": int(e.source_id) if e.source_id.isdigit() else n}
        category = e.category or (reverse.get(e.verdict, "") if e.verdict else "")
        if category:
            record["Category"] = int(category) if category.isdigit() else category
        if e.md5:
            record["MD5"] = e.md5.upper()
        if e.sha1:
            record["SHA1"] = e.sha1.upper()
        if e.sha256:
            record["SHA256"] = e.sha256.upper()
        record["IsPrecategorized"] = bool(category)
        alternatives = [{"HashName": kind if kind != "photodna" else "PhotoDNA",
                         "HashValue": value} for kind, value in e.other]
        if e.pdq:
            alternatives.append({"HashName": "PDQ", "HashValue": e.pdq})
        if e.frames:
            alternatives.append({"HashName": "vPDQ", "HashValue": join_frames(e.frames)})
        if alternatives:
            record["AlternativeHashes"] = alternatives
        media.append(record)
    json.dump({"@odata.context": CONTEXT_2_0, "value": media}, stream, indent=1)
    return len(media)
