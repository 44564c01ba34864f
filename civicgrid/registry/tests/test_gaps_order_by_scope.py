"""The gap list above a community reads each kind in its list's place order (an index walk
that stops at the limit: sorting a city's gaps by name took 12–30 s at 10 M); a community's
keeps the order a worker uses (people by name)."""

from typing import Any

import pytest

from civicgrid.registry.selectors import gaps
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_a_street_reads_gaps_by_place_a_community_by_name(city: Any, users: RoleUsers) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    assert west.code < east.code
    # No ID number: both are incomplete. "乙" sorts before "甲" by name.
    make_person(east, name="乙", id_number="")
    make_person(west, name="甲", id_number="")

    street = gaps(users.command, west.code[:9])["people_incomplete"]
    community = gaps(users.command, west.code[:12])["people_incomplete"]

    assert [p.name for p in street] == ["甲", "乙"]
    assert [p.name for p in community] == ["乙", "甲"]
