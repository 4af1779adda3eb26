"""Batch import of reports (`hotline import --urls-from FILE`).

    .json  [{"reference": "...", "source": "public", "received": "2026-11-20", "note": "...",
             "urls": ["https://...", ...]}, ...]
    .csv   a header with `url` and optionally reference, source, received, note; rows with the
           same reference form one report
    other  one URL a line (`#` starts a comment): one report
"""

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.errors import InvalidInput
from app.workspace.items import SOURCES


@dataclass(frozen=True)
class ReportSpec:
    reference: str | None
    source: str
    received: str | None
    note: str
    urls: tuple[str, ...]


def parse_received(text: str | None) -> str | None:
    """A date or date-time (taken as UTC if it has no zone) as the workspace writes times."""
    if text is None or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"received {text!r} is not a date (2026-11-20 or "
                           "2026-11-20T14:30:00Z)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def read_batch(path: Path, default_source: str) -> list[ReportSpec]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from None
    if path.suffix.lower() == ".json":
        return _json(text, path, default_source)
    if path.suffix.lower() == ".csv":
        return _csv(text, path, default_source)
    urls = tuple(line.split("#", 1)[0].strip() for line in text.splitlines())
    urls = tuple(u for u in urls if u)
    if not urls:
        raise InvalidInput(f"{path.name} holds no URL")
    return [ReportSpec(None, default_source, None, "", urls)]


def _text(value: object, where: str) -> str:
    """A field of a batch file: text (or absent), never a number, a list or a lone surrogate
    that no database or terminal can take."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{where} should be text, not {type(value).__name__} {value!r:.60}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{where} holds a character that is not valid text "
                           "(a lone surrogate)") from None
    return value.strip()


def _spec(fields: Mapping[str, object], urls: list[object], default_source: str,
          where: str) -> ReportSpec:
    source = _text(fields.get("source"), f"{where}: source") or default_source
    if source not in SOURCES:
        raise InvalidInput(f"{where}: unknown source {source!r} ({', '.join(SOURCES)})")
    try:
        received = parse_received(_text(fields.get("received"), f"{where}: received"))
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    return ReportSpec(_text(fields.get("reference"), f"{where}: reference") or None, source,
                      received, _text(fields.get("note"), f"{where}: note"),
                      tuple(_text(u, f"{where}: url") for u in urls))


def _json(text: str, path: Path, default_source: str) -> list[ReportSpec]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InvalidInput(f"{path.name} is not JSON: {why}") from None
    if isinstance(data, dict):
        data = data.get("reports")
    if not isinstance(data, list):
        raise InvalidInput(f"{path.name}: expected a list of reports")
    specs = []
    for i, report in enumerate(data, start=1):
        if not isinstance(report, dict) or not isinstance(report.get("urls"), list):
            raise InvalidInput(f"{path.name}: report {i} has no list of urls")
        specs.append(_spec(report, report["urls"], default_source,
                           f"{path.name}: report {i}"))
    return specs


def _csv(text: str, path: Path, default_source: str) -> list[ReportSpec]:
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} is not a readable CSV: {exc}") from None
    if not rows or "url" not in {k.strip().lower() for k in rows[0] if k}:
        raise InvalidInput(f"{path.name}: the CSV needs a `url` column")
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(rows, start=2):
        # fields beyond the header (key None) are ignored; missing ones are empty
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items()
                 if isinstance(k, str) and isinstance(v, str | None)}
        if clean.get("url"):
            grouped.setdefault(clean.get("reference", ""), []).append((line, clean))
    return [_spec(group[0][1], [r["url"] for _, r in group], default_source,
                  f"{path.name} line {group[0][0]}") for group in grouped.values()]
