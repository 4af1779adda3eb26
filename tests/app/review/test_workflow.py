"""The three-pairs-of-eyes state machine alone, including property-based runs."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import Conflict, PermissionDenied
from app.review.workflow import ADJUDICATION, Given, State, assess, blind
from app.workspace.users import Role
from hashdb.entry import Verdict

A, S1, S2, S3 = ("ann", Role.ANALYST), ("sue", Role.SUPERVISOR), ("sam", Role.SUPERVISOR), \
    ("sid", Role.SUPERVISOR)
B, N, X = Verdict.BASELINE, Verdict.NATIONAL, Verdict.NOT_ILLEGAL


def run(steps):
    state, given = State.ROUND1, []
    for (user, role), verdict in steps:
        out = assess(state, given, user, role, verdict)
        given.append(Given(user, out.round, verdict))
        state = out.state
    return state, given, out


def test_three_agreeing_verdicts_are_final() -> None:
    state, _, out = run([(A, B), (S1, B), (S2, B)])
    assert (state, out.final_verdict, out.round) == (State.FINAL, B, 3)


def test_disagreement_is_disputed_then_adjudicated() -> None:
    state, given, _ = run([(A, B), (S1, N)])
    assert state is State.DISPUTED
    out = assess(state, given, *S2, X)
    assert (out.state, out.final_verdict, out.round) == (State.FINAL, X, ADJUDICATION)


def test_the_same_person_twice_is_refused() -> None:
    state, given, _ = run([(S1, B)])
    with pytest.raises(Conflict, match="each person gives one verdict"):
        assess(state, given, *S1, B)


def test_an_analyst_is_refused_at_round_2() -> None:
    state, given, _ = run([(A, B)])
    with pytest.raises(PermissionDenied, match="only supervisors give round 2"):
        assess(state, given, "al", Role.ANALYST, B)


def test_an_earlier_assessor_cannot_adjudicate() -> None:
    state, given, _ = run([(S1, B), (S2, N)])
    with pytest.raises(Conflict):
        assess(state, given, *S1, B)


def test_admins_do_not_assess() -> None:
    with pytest.raises(PermissionDenied):
        assess(State.ROUND1, [], "root", Role.ADMIN, B)


def test_blindness() -> None:
    state, given, _ = run([(A, B)])
    assert blind(state, given, *S1)  # round 2 sees nothing earlier
    assert not blind(state, given, *A)  # one's own verdict
    state, given, _ = run([(A, B), (S1, N)])
    assert not blind(state, given, *S2)  # the adjudicator sees everything
    state, given, _ = run([(A, B), (S1, B), (S2, B)])
    assert not blind(state, given, "al", Role.ANALYST)  # settled


PEOPLE = [("a1", Role.ANALYST), ("a2", Role.ANALYST), ("s1", Role.SUPERVISOR),
          ("s2", Role.SUPERVISOR), ("s3", Role.SUPERVISOR), ("root", Role.ADMIN)]


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(list(Verdict))),
                max_size=12))
def test_invariants_under_random_attempts(attempts) -> None:
    state, given_ = State.ROUND1, []
    for (user, role), verdict in attempts:
        try:
            out = assess(state, given_, user, role, verdict)
        except (Conflict, PermissionDenied):
            continue
        given_.append(Given(user, out.round, verdict))
        state = out.state
        # nobody twice
        assert len({g.user for g in given_}) == len(given_)
        # rounds 2 and later only by supervisors
        assert all(role_of(g.user) is Role.SUPERVISOR for g in given_ if g.round >= 2)
        if state is State.FINAL:
            adjudicated = any(g.round == ADJUDICATION for g in given_)
            assert adjudicated or (len(given_) == 3 and len({g.verdict for g in given_}) == 1)
            assert out.final_verdict == given_[-1].verdict
    assert state is not State.FINAL or len(given_) >= 3


def role_of(user: str) -> Role:
    return dict(PEOPLE)[user]
