"""The names of the states an item's review and a notice go through, as they are stored.

Storage needs the names (to select, say, the settled items); the rules of moving between them
have one owner each: `app.review.workflow` for items, `app.takedown.notices` for notices.
Where a new item starts is decided here, since intake stores it before anyone reviews it.
"""

from enum import StrEnum


class ItemState(StrEnum):
    MACHINE = "machine"
    ROUND1 = "round1"
    ROUND2 = "round2"
    ROUND3 = "round3"
    DISPUTED = "disputed"
    FINAL = "final"
    CONFIRMED = "confirmed"


SETTLED = (ItemState.FINAL, ItemState.CONFIRMED)


def initial(machine_verdict: str | None) -> ItemState:
    """A new item: waiting for a person to confirm the machine's verdict, or for round 1."""
    return ItemState.MACHINE if machine_verdict is not None else ItemState.ROUND1


def held(state: ItemState) -> ItemState:
    """The list behind an item's machine verdict was quarantined (it hit too many items too
    fast): an item still waiting for its verdict's confirmation goes to a person's round 1;
    an item a person already reviews, or that is settled, stays where it is."""
    return ItemState.ROUND1 if state is ItemState.MACHINE else state


class NoticeState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_REMOVED = "partially_removed"
    REMOVED = "removed"
    CLOSED = "closed"


OPEN_NOTICES = (NoticeState.SENT, NoticeState.PARTIALLY_REMOVED)
DONE_NOTICES = (NoticeState.REMOVED, NoticeState.CLOSED)


def sql_set(states: tuple[StrEnum, ...]) -> str:
    """`('final', 'confirmed')`: a set of state names for SQL (constants, never input)."""
    return "(" + ", ".join(f"'{s.value}'" for s in states) + ")"
