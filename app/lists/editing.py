"""What a list keeper does to a stored list: take an entry out, look a hash up, and build the
workspace's own list of verified items for export."""

from collections.abc import Iterable

from app.errors import InvalidInput, NotFound
from app.workspace.assessments import Verified
from hashdb.entry import Entry, ListMeta, Scope, Trust, Verdict
from hashdb.errors import HashdbError
from hashdb.hashlist import HashList, HashListBuilder
from hashdb.kinds import DIGESTS, HEX_LENGTH, Kind


def without_hash(hashlist: HashList, hash_text: str) -> tuple[HashList, int]:
    """The list without every entry carrying this hash, and how many went."""
    value = hash_text.strip().lower()
    builder = HashListBuilder(hashlist.meta)
    removed = 0
    for entry in hashlist.entries():
        if value in entry.hashes().values():
            removed += 1
        else:
            builder.add(entry)
    if removed == 0:
        raise NotFound(f"no entry of {hashlist.meta.name!r} carries {hash_text}")
    return builder.build()[0], removed


def lookup(hashlist: HashList, hash_text: str) -> list[dict[str, str]]:
    """Entries that carry this hash (exact; PDQ within distance 0)."""
    value = hash_text.strip().lower()
    ids: set[int] = set()
    try:
        for kind in DIGESTS:
            if len(value) == HEX_LENGTH[kind]:
                ids |= {e for _, e in hashlist.match_digests(kind, [value])}
        if len(value) == HEX_LENGTH[Kind.PDQ]:
            ids |= {h.entry for h in hashlist.match_pdq([value], 0)}
    except HashdbError as exc:
        raise InvalidInput(str(exc)) from None
    found = []
    for i in sorted(ids):
        entry = hashlist.entry(i)
        found.append(entry.hashes() | {"verdict": str(hashlist.entry_verdict(i) or ""),
                                       "category": entry.category})
    return found


def own_list(which: str, hotline: str,
             items: Iterable[tuple[Verified, tuple[str, ...]]]) -> HashList:
    """The own verified (or not-illegal) list: final items with their verdicts and a video's
    usable frame PDQs; the item and its assessors are the source id (provenance)."""
    scope = Scope.MIXED if which == "verified" else Scope.NOT_ILLEGAL
    meta = ListMeta(f"{hotline}: own {which.replace('_', '-')} list", scope, Trust.TRUSTED,
                    source=hotline)
    builder = HashListBuilder(meta)
    for item, frames in items:
        builder.add(Entry(md5=item.md5, sha1=item.sha1, sha256=item.sha256, pdq=item.pdq,
                          pdq_quality=item.pdq_quality, verdict=Verdict(item.verdict),
                          source_id=f"item {item.id}; {item.assessors}".strip(),
                          frames=frames))
    return builder.build()[0]
