"""The ledger's headline counts, totalled for a jurisdiction and per grid (the nightly snapshot
stores the second; a city's workbench sums it): one definition, the same figures."""

from typing import Any

import pytest

from civicgrid.registry.choices import PersonStatus
from civicgrid.registry.selectors import (
    HEADLINE_COUNTS,
    registry_counts,
    registry_counts_by_grid,
)
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_per_grid_counts_sum_to_the_jurisdictions(city: Any, users: RoleUsers) -> None:
    west, east, other = city.grids["a1_west"], city.grids["a1_east"], city.grids["b1"]
    building = make_building(west, "甲一路 3 号")
    make_household(make_dwelling(building, "101"))
    make_dwelling(building, "102")
    make_person(west, name="甲", residency="floating", political_status="party_member")
    make_person(west, name="乙", status=PersonStatus.DECEASED)  # no longer living here
    make_person(east, name="丙", political_status="party_member")
    make_person(other, name="丁")  # another street

    total = registry_counts(users.command)
    by_grid = registry_counts_by_grid(users.command)

    assert other.code not in by_grid
    assert by_grid[west.code]["people"] == 1
    assert by_grid[west.code]["dwellings"] == 2
    assert by_grid[east.code]["party_members"] == 1
    for name in HEADLINE_COUNTS:
        assert sum(row.get(name, 0) for row in by_grid.values()) == total[name], name
    assert (total["people"], total["floating"], total["party_members"]) == (2, 1, 2)
    assert (total["buildings"], total["households"]) == (1, 1)
