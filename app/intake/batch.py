"""Batch import of reports (`hotline import --urls-from FILE`).

    .json  [{"reference": "...", "source": "public", "received": "2026-11-20", "note": "...",
             "urls": ["https://...", ...]}, ...]
    .csv   a header with `url` and optionally reference, source, received, note; rows with the
           same reference form one report
    other  one URL a line (`#` starts a comment): one report
"""

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.errors import InvalidInput


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


def _json(text: str, path: Path, default_source: str) -> list[ReportSpec]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"{path.name} is not JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("reports")
    if not isinstance(data, list):
        raise InvalidInput(f"{path.name}: expected a list of reports")
    specs = []
    for i, report in enumerate(data, start=1):
        if not isinstance(report, dict) or not isinstance(report.get("urls"), list):
            raise InvalidInput(f"{path.name}: report {i} has no list of urls")
        specs.append(ReportSpec(report.get("reference"), report.get("source", default_source),
                                parse_received(report.get("received")), report.get("note", ""),
                                tuple(str(u) for u in report["urls"])))
    return specs


def _csv(text: str, path: Path, default_source: str) -> list[ReportSpec]:
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "url" not in {k.strip().lower() for k in rows[0] if k}:
        raise InvalidInput(f"{path.name}: the CSV needs a `url` column")
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if clean.get("url"):
            grouped.setdefault(clean.get("reference", ""), []).append(clean)
    specs = []
    for reference, group in grouped.items():
        first = group[0]
        specs.append(ReportSpec(reference or None, first.get("source") or default_source,
                                parse_received(first.get("received")), first.get("note", ""),
                                tuple(r["url"] for r in group)))
    return specs
