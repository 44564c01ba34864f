"""A grid's page lists the neighbours it may merge with; an invalid neighbour (a bow-tie
imported from a survey) used to make that intersection raise and the page answer 500. It is
now left out of the offer, and the invalid grid's own page opens too."""

from datetime import date
from typing import Any

import pytest
from shapely.geometry import Polygon, mapping

from civicgrid.geo.index import bump_version
from civicgrid.geo.models import Grid
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_grid_page_opens_beside_an_invalid_grid(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    west, south, size = ORIGIN_LNG + STEP * 1.3, ORIGIN_LAT + STEP * 0.3, STEP * 0.4
    bow_tie = Polygon(
        [(west, south), (west + size, south + size), (west + size, south), (west, south + size)]
    )
    bad = Grid.objects.create(
        code=f"{city.comm_a1.code}009",
        name="蝴蝶结网格",
        community=city.comm_a1,
        geometry=dict(mapping(bow_tie)),
        area_m2=1.0,
        valid_from=date(2025, 1, 1),
    )
    bump_version()
    client.force_login(users.command)
    east = client.get(f"/geo/grids/{city.grids['a1_east'].pk}/")
    assert east.status_code == 200
    assert "蝴蝶结网格" not in east.content.decode()  # not offered for a merge
    assert city.grids["a1_west"].code in east.content.decode()  # the valid neighbour is
    assert client.get(f"/geo/grids/{bad.pk}/").status_code == 200
