"""Three pairs of eyes, as a pure state machine: every transition of an item's review
(assess, undo, confirm, reopen; where an item starts is `app.workspace.states.initial`, since
intake stores it) and who may make it. The Desk and the replay of the
signed audit entries (`signed_review`) both go through here. No database, so it can be tested
alone.

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

from app.errors import Conflict, PermissionDenied
from app.workspace.states import SETTLED, ItemState
from app.workspace.users import Role
from hashdb.entry import Verdict

State = ItemState  # the names are the storage's (app.workspace.states); the rules are here


ADJUDICATION = 4  # the round number an adjudication is stored under
UNDO_SECONDS = 60  # how long one's own verdict can be taken back


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


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def next_round(state: State) -> int:
    return {State.MACHINE: 1, State.ROUND1: 1, State.ROUND2: 2, State.ROUND3: 3,
            State.DISPUTED: ADJUDICATION}.get(state, 0)


def may_assess(state: State, given: list[Given], user: str, role: Role) -> None:
    """Raise if this person may not give the item's next assessment."""
    if state in SETTLED:
        raise Conflict("the item is final; a supervisor can reopen it")
    if any(_same(g.user, user) for g in given):
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


def undo(state: State, given: list[Given], user: str, age_s: float,
         machine: bool) -> tuple[Given, State]:
    """Taking back one's own last verdict, `age_s` seconds after it was given: which verdict
    goes, and the state the item returns to; raises if it may not be taken back."""
    mine = [g for g in given if _same(g.user, user)]
    if not mine:
        raise Conflict("you have no verdict on this item to take back")
    if age_s > UNDO_SECONDS:
        raise Conflict(f"a verdict can be taken back within {UNDO_SECONDS} seconds")
    if state in SETTLED:
        raise Conflict("your verdict settled the item; a supervisor can reopen it")
    last = mine[-1]
    if any(g.round > last.round for g in given):
        raise Conflict("somebody assessed the item after you")
    previous = {1: State.MACHINE if machine else State.ROUND1, 2: State.ROUND2,
                3: State.ROUND3}.get(last.round, State.DISPUTED)
    return last, previous


def confirm(state: State) -> State:
    """A person confirms the machine's verdict of an item waiting for that."""
    if state is not State.MACHINE:
        raise Conflict(f"not a machine match waiting for confirmation (state {state.value})")
    return State.CONFIRMED


def reopen(state: State, role: Role) -> State:
    """Error correction: a settled item starts its review again, in a new cycle."""
    if role is not Role.SUPERVISOR:
        raise PermissionDenied("only supervisors reopen items")
    if state not in SETTLED:
        raise Conflict(f"the item is not settled (state {state.value})")
    return State.ROUND1


def blind(state: State, given: list[Given], user: str, role: Role) -> bool:
    """True while this person must not see the earlier verdicts: until they have given
    theirs, unless they adjudicate (they see everything) or the item is settled."""
    if state in SETTLED:
        return False
    if any(_same(g.user, user) for g in given):
        return False
    return not (state is State.DISPUTED and role is Role.SUPERVISOR)
