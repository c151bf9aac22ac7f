"""The innovation status machine's table, walked pair by pair (pure: no database)."""

from __future__ import annotations

import itertools

import pytest

from kipp.errors import InvalidTransition
from kipp.innovations import lifecycle
from kipp.models import InnovationStatus

S = InnovationStatus

# The lifecycle as DESIGN.md tells it, written out pair by pair so the table in lifecycle.py is
# checked against an independent statement of it, not against itself.
EXPECTED_MOVES = {
    (S.DRAFT, S.SUBMITTED),  # submit
    (S.DRAFT, S.WITHDRAWN),  # withdraw a draft
    (S.SUBMITTED, S.WITHDRAWN),  # withdraw a submitted proposal
    (S.SUBMITTED, S.ELIGIBLE),  # administrative review: pass
    (S.SUBMITTED, S.INELIGIBLE),  # administrative review: fail
    (S.ELIGIBLE, S.ELIGIBLE),  # a re-review saying the same again
    (S.ELIGIBLE, S.INELIGIBLE),  # a re-review flipping the decision
    (S.INELIGIBLE, S.INELIGIBLE),
    (S.INELIGIBLE, S.ELIGIBLE),
    (S.ELIGIBLE, S.NOMINATED),  # the panel's TOP N decision
    (S.ELIGIBLE, S.NOT_NOMINATED),
    (S.NOMINATED, S.NOT_NOMINATED),  # the decision saved again, flipped
    (S.NOT_NOMINATED, S.NOMINATED),
    (S.NOMINATED, S.WINNER),  # finalisation
}
PAIRS = list(itertools.product(S, S))


def test_every_status_has_a_row_in_the_table() -> None:
    assert set(lifecycle.ALLOWED) == set(S)


def test_the_table_is_the_lifecycle() -> None:
    table = {
        (current, target) for current, targets in lifecycle.ALLOWED.items() for target in targets
    }
    assert table == EXPECTED_MOVES


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair(current: S, target: S) -> None:
    if (current, target) in EXPECTED_MOVES:
        assert lifecycle.can_move(current.value, target.value)
        lifecycle.require_move(current.value, target.value)  # does not raise
    else:
        assert not lifecycle.can_move(current.value, target.value)
        with pytest.raises(InvalidTransition) as refused:
            lifecycle.require_move(current.value, target.value)
        assert f"{current.value} cannot become {target.value}" in str(refused.value)


@pytest.mark.parametrize("status", list(S))
def test_no_way_out_of_the_end_states_nor_back_to_draft(status: S) -> None:
    assert not lifecycle.can_move(S.WINNER, status)
    assert not lifecycle.can_move(S.WITHDRAWN, status)
    assert not lifecycle.can_move(status, S.DRAFT)


@pytest.mark.parametrize(("current", "target"), [("draft", "archived"), ("lost", "submitted")])
def test_unknown_statuses_are_refused(current: str, target: str) -> None:
    assert not lifecycle.can_move(current, target)
    with pytest.raises(InvalidTransition):
        lifecycle.require_move(current, target)
