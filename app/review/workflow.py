"""Three pairs of eyes, as a pure state machine: given an item's assessments, who may give
the next one and what state the item is in. No database here, so it can be tested alone.

    machine   an exact hit on a trusted list gave an automated verdict: a person confirms it
              (-> confirmed) or assesses the item as usual (-> round 2)
    round1    waiting for the first assessment (analyst or supervisor)
    round2    waiting for the second (a supervisor who has not assessed it)
    round3    waiting for the third (another such supervisor)
    disputed  the verdicts disagree: a supervisor who has not assessed it adjudicates
    final     three agreeing verdicts, or an adjudication
    confirmed a person confirmed the machine's verdict (not on the own verified list)
"""

from dataclasses import dataclass
from enum import StrEnum

from app.errors import Conflict, PermissionDenied
from app.workspace.users import Role
from hashdb.entry import Verdict


class State(StrEnum):
    MACHINE = "machine"
    ROUND1 = "round1"
    ROUND2 = "round2"
    ROUND3 = "round3"
    DISPUTED = "disputed"
    FINAL = "final"
    CONFIRMED = "confirmed"


ADJUDICATION = 4  # the round number an adjudication is stored under


@dataclass(frozen=True)
class Given:
    """One assessment already on the item (in its current cycle)."""

    user: str
    round: int
    verdict: Verdict


@dataclass(frozen=True)
class Outcome:
    round: int
    state: State
    final_verdict: Verdict | None


def next_round(state: State) -> int:
    return {State.MACHINE: 1, State.ROUND1: 1, State.ROUND2: 2, State.ROUND3: 3,
            State.DISPUTED: ADJUDICATION}.get(state, 0)


def may_assess(state: State, given: list[Given], user: str, role: Role) -> None:
    """Raise if this person may not give the item's next assessment."""
    if state in (State.FINAL, State.CONFIRMED):
        raise Conflict("the item is final; a supervisor can reopen it")
    if any(g.user.casefold() == user.casefold() for g in given):
        raise Conflict("you have assessed this item already: each person gives one verdict")
    if role is Role.ADMIN:
        raise PermissionDenied("admins do not assess content")
    if next_round(state) >= 2 and role is not Role.SUPERVISOR:
        what = "adjudicate" if state is State.DISPUTED else f"give round {next_round(state)}"
        raise PermissionDenied(f"only supervisors {what}; this item waits for one")


def assess(state: State, given: list[Given], user: str, role: Role,
           verdict: Verdict) -> Outcome:
    """The outcome of this person's verdict; raises if they may not give it."""
    may_assess(state, given, user, role)
    round_ = next_round(state)
    if round_ == ADJUDICATION:
        return Outcome(round_, State.FINAL, verdict)
    verdicts = {g.verdict for g in given} | {verdict}
    if len(verdicts) > 1:
        return Outcome(round_, State.DISPUTED, None)
    if round_ == 3:
        return Outcome(round_, State.FINAL, verdict)
    return Outcome(round_, State.ROUND2 if round_ == 1 else State.ROUND3, None)


def blind(state: State, given: list[Given], user: str, role: Role) -> bool:
    """True while this person must not see the earlier verdicts: until they have given
    theirs, unless they adjudicate (they see everything) or the item is settled."""
    if state in (State.FINAL, State.CONFIRMED):
        return False
    if any(g.user.casefold() == user.casefold() for g in given):
        return False
    return not (state is State.DISPUTED and role is Role.SUPERVISOR)
