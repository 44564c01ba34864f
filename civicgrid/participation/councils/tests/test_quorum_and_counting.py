"""The council's rule as data: quorum is more than the ratio of members present; a motion
passes with more than the ratio of the base for it; abstentions count as cast; a tie fails."""

from decimal import Decimal
from typing import Any

from civicgrid.participation.councils.choices import PassBase
from civicgrid.participation.councils.services import Tally, count

HALF = Decimal("0.50")


def tally(**kw: Any) -> Tally:
    args: dict[str, Any] = dict(
        members=9, present=5, votes_for=0, votes_against=0, votes_abstain=0,
        quorum_ratio=HALF, pass_ratio=HALF, pass_base=PassBase.CAST,
    )  # fmt: skip
    args.update(kw)
    return count(**args)


def test_quorum_needs_more_than_half_the_members() -> None:
    assert not tally(members=8, present=4, votes_for=4).quorum
    assert tally(members=8, present=5, votes_for=5).quorum


def test_without_quorum_nothing_passes() -> None:
    result = tally(members=9, present=4, votes_for=4)
    assert not result.passed


def test_simple_majority_of_votes_cast_passes() -> None:
    assert tally(votes_for=3, votes_against=2).passed


def test_abstentions_count_as_cast() -> None:
    # 3 for of 6 cast (2 abstain) is not more than half.
    result = tally(present=6, votes_for=3, votes_against=1, votes_abstain=2)
    assert result.cast == 6
    assert not result.passed


def test_a_tie_fails() -> None:
    assert not tally(present=6, votes_for=3, votes_against=3).passed


def test_base_of_members_present() -> None:
    # 3 for, 0 against among 7 present: a majority of the cast, not of those present.
    assert tally(present=7, votes_for=3).passed
    result = tally(present=7, votes_for=3, pass_base=PassBase.PRESENT)
    assert not result.passed


def test_a_two_thirds_rule() -> None:
    two_thirds = Decimal("0.66")
    assert not tally(votes_for=3, votes_against=2, pass_ratio=two_thirds).passed
    assert tally(votes_for=4, votes_against=1, pass_ratio=two_thirds).passed
