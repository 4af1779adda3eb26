"""The review rules, re-checked from signed facts alone.

The `items` and `assessments` tables say what state an item is in, but anyone holding the
master key can write them. The signed audit entries cannot be forged for another person, so
an item's review is replayed from them through the same state machine the Desk uses
(`workflow`): three different people for three rounds, supervisors (as certified at the time)
for rounds 2 and 3 and adjudication, the adjudicator not an earlier assessor, reopening by a
supervisor. An item is trusted for notices, referrals and exports only if the replay ends
where the tables say it is.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.errors import HotlineError
from app.review import workflow
from app.review.workflow import Given, State
from app.workspace.audit_check import Fact
from hashdb.entry import Verdict


@dataclass
class Replayed:
    """An item's review as the signed facts tell it."""

    state: State = State.ROUND1
    given: list[Given] = field(default_factory=list)
    final_verdict: str | None = None


class RuleBroken(HotlineError):
    pass


def _step(item: Replayed, fact: Fact) -> None:
    """One signed fact through the workflow's own transitions."""
    try:
        if fact.action == "item.reopen":
            item.state = workflow.reopen(item.state, fact.role)
            item.given, item.final_verdict = [], None
        elif fact.action == "item.confirm":
            # the signed entries do not say whether intake found a machine verdict: an item
            # nobody assessed yet may be confirmed
            start = State.MACHINE if item.state is State.ROUND1 and not item.given \
                else item.state
            item.state, item.final_verdict = workflow.confirm(start), "machine"
        elif fact.action == "item.assess.undo":
            # the time limit is the Desk's, checked when it was signed
            last, item.state = workflow.undo(item.state, item.given, fact.user, 0, False)
            item.given.remove(last)
        else:
            _assess(item, fact)
    except HotlineError as exc:
        raise RuleBroken(f"{fact.user} ({fact.role.value}): {exc}") from None


def _assess(item: Replayed, fact: Fact) -> None:
    try:
        verdict = Verdict(str(fact.detail.get("verdict")))
    except ValueError:
        raise RuleBroken("an assessment without a verdict") from None
    outcome = workflow.assess(item.state, item.given, fact.user, fact.role, verdict)
    if fact.detail.get("round") != outcome.round:
        raise RuleBroken(f"signed as round {fact.detail.get('round')}, but it was round "
                         f"{outcome.round}")
    item.given.append(Given(fact.user, outcome.round, verdict))
    item.state = outcome.state
    item.final_verdict = outcome.final_verdict.value if outcome.final_verdict else None


def _carried(fact: Fact) -> dict[int, Replayed]:
    """The review state of version 1's items, as the admin who upgraded signed it."""
    out = {}
    for key, (state, final_verdict, given) in (fact.detail.get("carried") or {}).items():
        out[int(key)] = Replayed(State(state), [Given(u, r, Verdict(v)) for u, r, v in given],
                                 final_verdict)
    return out


def replay(facts: Iterable[Fact]) -> tuple[dict[int, Replayed], int, str]:
    """Every item's review from the signed facts; the entry (or 0) and the first rule it
    broke ('' if none)."""
    items: dict[int, Replayed] = {}
    for fact in facts:
        if fact.outcome != "ok":
            continue
        if fact.action == "workspace.upgrade":
            items.update(_carried(fact))
            continue
        ids = fact.detail.get("confirmed") or [] if fact.action == "item.confirm" \
            else [int(fact.target)] if fact.target.isdigit() else []
        for item_id in ids:
            try:
                _step(items.setdefault(int(item_id), Replayed()), fact)
            except RuleBroken as exc:
                return items, fact.seq, f"entry {fact.seq}, item {item_id}: {exc}"
    return items, 0, ""


def disagreement(facts: Iterable[Fact], item_id: int, state: str,
                 final_verdict: str | None) -> str:
    """'' when the signed facts lead to the state (and verdict) the tables give the item;
    otherwise why the item cannot be trusted."""
    items, _, problem = replay(facts)
    if problem:
        return problem
    replayed = items.get(item_id, Replayed())
    if replayed.state.value != state and {replayed.state.value, state} != {"round1", "machine"}:
        return (f"the signed entries leave item {item_id} {replayed.state.value}, the "
                f"database says {state}")
    if state == State.FINAL.value and replayed.final_verdict != final_verdict:
        return (f"the signed verdicts make item {item_id} {replayed.final_verdict}, the "
                f"database says {final_verdict}")
    return ""
