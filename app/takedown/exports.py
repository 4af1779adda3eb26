"""Referral files for the police and for partner hotlines: JSON and CSV with the items'
hashes, verdicts, optional fields and URLs. Never content."""

import csv
import io
import json
from typing import Any

from app.workspace.items import Item
from app.workspace.notices import NoticeUrl

FIELDS = ["url", "seen", "ip", "country", "asn", "organisation", "sha256", "md5", "sha1",
          "pdq", "verdict", "age_group", "gender", "site_type", "commercial", "category",
          "report_received"]


def rows_of(urls: list[NoticeUrl], hashes: dict[int, Item]) -> list[dict[str, Any]]:
    rows = []
    for u in urls:
        h = hashes[u.item_id]
        rows.append({"url": u.url, "seen": u.seen, "ip": u.ip, "country": u.country,
                     "asn": u.asn, "organisation": u.organisation, "sha256": u.sha256,
                     "md5": h.md5, "sha1": h.sha1, "pdq": h.pdq, "verdict": u.verdict,
                     "age_group": u.age_group, "gender": u.gender, "site_type": u.site_type,
                     "commercial": u.commercial, "category": u.category,
                     "report_received": u.received})
    return rows


def to_json(meta: dict[str, Any], rows: list[dict[str, Any]]) -> bytes:
    return json.dumps({**meta, "urls": rows}, indent=2, ensure_ascii=False).encode()


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if r[k] is None else r[k] for k in FIELDS})
    return out.getvalue().encode()
