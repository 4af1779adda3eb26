"""Grouping confirmed URLs into notices and referrals, re-checking them, and the states a
notice goes through (draft, sent, partially removed, removed, closed: this module owns them).

In the hotline's own country: one notice per hosting provider (network). Abroad: one referral
per country, for the partner hotline there. URLs whose hosting is unknown wait until it is
known (a hosting database is configured and the URL is imported again)."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from app.errors import Conflict
from app.web import Fetcher, FetchError
from app.workspace.notices import Candidate
from app.workspace.states import NoticeState


@dataclass(frozen=True)
class Group:
    kind: str  # notice | referral
    country: str
    asn: int | None
    urls: list[Candidate]


def group(candidates: list[Candidate], home: str) -> tuple[list[Group], list[Candidate]]:
    """(groups, URLs left out because their hosting country is unknown)."""
    notices: dict[int | None, list[Candidate]] = defaultdict(list)
    referrals: dict[str, list[Candidate]] = defaultdict(list)
    unknown = []
    for c in candidates:
        if not c.country:
            unknown.append(c)
        elif home and c.country == home:
            notices[c.asn].append(c)
        else:
            referrals[c.country].append(c)
    groups = [Group("notice", home, asn, urls) for asn, urls in sorted(
        notices.items(), key=lambda kv: kv[0] or 0)]
    groups += [Group("referral", country, None, urls) for country, urls in sorted(
        referrals.items())]
    return groups, unknown


# ---------------------------------------------------------------- a notice's states

def after_sending(state: NoticeState) -> NoticeState:
    """A draft is sent; a notice sent again (a reminder) keeps its state."""
    if state is NoticeState.CLOSED:
        raise Conflict("the notice is closed")
    return NoticeState.SENT if state is NoticeState.DRAFT else state


def after_recheck(state: NoticeState, left: int, total: int) -> NoticeState:
    """After a re-check, from how many of its URLs are still online: drafts and closed
    notices stay as they are."""
    if state in (NoticeState.DRAFT, NoticeState.CLOSED):
        return state
    if left == 0:
        return NoticeState.REMOVED
    return NoticeState.PARTIALLY_REMOVED if left < total else NoticeState.SENT


def after_closing(state: NoticeState) -> NoticeState:
    """Closed by hand (the provider answered, the case went to the police...)."""
    return NoticeState.CLOSED


REMOVED, ONLINE, UNREACHABLE = "removed", "online", "unreachable"


def check_url(fetcher: Fetcher, url: str, sha256: str) -> tuple[str, str]:
    """(removed | online | unreachable, what was seen). Removed = 404 or 410, or other
    content now; online = the same content served; unreachable = no answer that tells
    (a refused connection, a timeout, a server error): neither removed nor still online."""
    try:
        fetched = fetcher.fetch(url)
    except FetchError as exc:
        if exc.status in (404, 410):
            return REMOVED, f"HTTP {exc.status}"
        return UNREACHABLE, f"not reachable: {exc}"
    if hashlib.sha256(fetched.body).hexdigest() != sha256:
        return REMOVED, f"HTTP {fetched.status}, different content"
    return ONLINE, f"HTTP {fetched.status}, still online"
