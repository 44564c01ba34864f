"""Geo pages and exports cost the same number of queries however many grids there are."""

from typing import Any

import pytest

from civicgrid.testing.city import TestCity, make_grid, square
from civicgrid.testing.queries import count_queries
from civicgrid.testing.users import RoleUsers

# Our own queries (user, scopes, regions, counts, grids) plus the session refresh and what
# other apps' context processors add; the point is that it does not grow with the rows.
BUDGET = 12


def add_grids(city: TestCity, n: int) -> None:
    for i in range(n):
        make_grid(city.comm_a2, 10 + i, square(2 + i * 0.1, row=1, cols=0.1))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/geo/grids.geojson", "/geo/regions/", "/geo/map/"])
def test_query_count_does_not_grow_with_grids(
    client: Any, city: TestCity, users: RoleUsers, url: str
) -> None:
    client.force_login(users.command)
    before = count_queries(client, url)
    add_grids(city, 12)
    assert count_queries(client, url) == before <= BUDGET
