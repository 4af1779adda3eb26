"""A notice's states as a machine (app.takedown.notices owns them): random sequences of
sending, re-checking and closing keep its invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import Conflict
from app.takedown.notices import after_closing, after_recheck, after_sending
from app.workspace.states import NoticeState

STEP = st.one_of(st.just(("send",)), st.just(("close",)),
                 st.tuples(st.just("recheck"), st.integers(1, 5)).flatmap(
                     lambda t: st.tuples(st.just(t[0]), st.integers(0, t[1]), st.just(t[1]))))


@given(st.lists(STEP, max_size=30))
def test_random_histories_keep_the_invariants(steps: list[tuple]) -> None:
    state = NoticeState.DRAFT
    sent = False
    for step in steps:
        before = state
        if step[0] == "send":
            if before is NoticeState.CLOSED:
                with pytest.raises(Conflict):
                    after_sending(state)
                continue
            state = after_sending(state)
            sent = True
            assert state is not NoticeState.DRAFT
        elif step[0] == "close":
            state = after_closing(state)
            assert state is NoticeState.CLOSED
        else:
            _, left, total = step
            state = after_recheck(state, left, total)
            if before in (NoticeState.DRAFT, NoticeState.CLOSED):
                assert state is before  # nothing was asked of anybody yet / any more
            elif left == 0:
                assert state is NoticeState.REMOVED
            else:
                assert state is (NoticeState.PARTIALLY_REMOVED if left < total
                                 else NoticeState.SENT)
        if before is NoticeState.CLOSED:
            assert state is NoticeState.CLOSED  # closed is for good
        if not sent:
            assert state in (NoticeState.DRAFT, NoticeState.CLOSED)  # unsent: never removed
