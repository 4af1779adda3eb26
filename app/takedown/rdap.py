"""The abuse contact of a network, from RDAP (RFC 9083): the registry's answer for an IP
address is a tree of entities; the one with the role `abuse` carries the e-mail in its vCard
(jCard, RFC 7095). Fetched through the intake fetcher, so the same guard and limits apply."""

import json
from dataclasses import dataclass
from typing import Any

from app.web import Fetcher, FetchError

MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class RdapContact:
    network: str
    organisation: str
    email: str


def _vcard(entity: dict[str, Any], field: str) -> str:
    card = entity.get("vcardArray")
    if not isinstance(card, list) or len(card) < 2 or not isinstance(card[1], list):
        return ""
    for prop in card[1]:
        if isinstance(prop, list) and len(prop) >= 4 and prop[0] == field:
            value = prop[3]
            return value if isinstance(value, str) else ""
    return ""


def _entities(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every entity under the node, depth first (abuse contacts often sit one level down)."""
    found = []
    for entity in node.get("entities") or []:
        if isinstance(entity, dict):
            found.append(entity)
            found += _entities(entity)
    return found


def abuse_contact(answer: dict[str, Any]) -> RdapContact | None:
    entities = _entities(answer)
    abuse = [e for e in entities if "abuse" in (e.get("roles") or []) and _vcard(e, "email")]
    if not abuse:
        return None
    owners = [e for e in entities if {"registrant", "administrative"} & set(e.get("roles") or [])]
    organisation = next((_vcard(e, "fn") for e in owners if _vcard(e, "fn")), "") or \
        _vcard(abuse[0], "fn")
    return RdapContact(str(answer.get("name") or answer.get("handle") or ""), organisation,
                       _vcard(abuse[0], "email"))


def lookup(fetcher: Fetcher, base_url: str, ip: str) -> RdapContact | None:
    """The abuse contact of the network holding `ip`, or None when RDAP does not say."""
    try:
        fetched = fetcher.fetch(f"{base_url.rstrip('/')}/ip/{ip}", max_bytes=MAX_BYTES)
        answer = json.loads(fetched.body)
    except (FetchError, ValueError):
        return None
    return abuse_contact(answer) if isinstance(answer, dict) else None
