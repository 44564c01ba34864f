"""A resident new to volunteering sees the activities of the community they take part in (the
one recorded for councils) without looking it up again."""

from typing import Any

import pytest

from civicgrid.participation.councils.testing import set_community
from civicgrid.participation.volunteers import selectors

pytestmark = pytest.mark.django_db


def test_a_resident_with_a_community_sees_its_activities(
    activity: Any, users: Any, city: Any
) -> None:
    assert list(selectors.resident_upcoming(users.resident)) == []
    set_community(users.resident, city.comm_a1.code)
    assert list(selectors.resident_upcoming(users.resident)) == [activity]


def test_another_streets_activities_stay_out(activity: Any, users: Any, city: Any) -> None:
    set_community(users.resident, city.comm_b1.code)
    assert list(selectors.resident_upcoming(users.resident)) == []
