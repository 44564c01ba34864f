"""Every list page keeps the same number of queries however many rows it shows."""

from datetime import date
from typing import Any

import pytest

from civicgrid.registry import services
from civicgrid.registry.models import Organization
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def fill(city: TestCity, users: RoleUsers, rows: int) -> None:
    grid = city.grids["a1_west"]
    for i in range(rows):
        building = make_building(grid)
        dwelling = make_dwelling(building)
        household = make_household(dwelling, number=f"H{i}")
        person = make_person(grid, name=f"居民{i}", household=household, dwelling=dwelling)
        Organization.objects.create(grid=grid, name=f"店{i}", address=f"路{i}号", building=building)
        services.person_move_out(
            actor=users.worker,
            person=person,
            moved_on=date(2026, 1, 1),
            to_grid=city.grids["a1_east"],
        )


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/registry/people/?status=", 12),
        ("/registry/grids/{grid}/", 10),
        ("/registry/organizations/", 9),
        ("/registry/moves/", 9),
        ("/registry/grids/", 9),
    ],
)
@pytest.mark.parametrize("rows", [2, 12])
def test_list_pages_have_constant_query_count(
    client: Any,
    users: RoleUsers,
    city: TestCity,
    django_assert_num_queries: Any,
    url: str,
    queries: int,
    rows: int,
) -> None:
    fill(city, users, rows)
    client.force_login(users.secretary)
    with django_assert_num_queries(queries):
        response = client.get(
            url.format(grid=city.grids["a1_west"].pk) + ("&" if "?" in url else "?") + "size=50"
        )
    assert response.status_code == 200
