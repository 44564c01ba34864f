"""A wall drawn by community (more than COMMUNITY_MAP_ABOVE grids) is sent its communities'
figures and the grid figures of the one community it has open (``map_grids``), not every grid
of a city each minute; a community outside the jurisdiction is refused like a missing one."""

from typing import Any

import pytest

from civicgrid.cases.models import Case
from civicgrid.dashboard import screen_views
from civicgrid.dashboard.tests.test_screen_scoping import URL, two_streets
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

__all__ = ["two_streets"]  # the fixture: an overdue case in each grid of street a and in b1

pytestmark = pytest.mark.django_db


def _map(client: Any, query: str = "") -> Any:
    response = client.get(f"{URL}?panels=map{query}")
    assert response.status_code == 200, response.content
    return response.json()["panels"]["map"]


def test_a_wall_by_community_gets_the_open_communitys_grids_only(
    client: Any,
    city: TestCity,
    users: RoleUsers,
    two_streets: dict[str, Case],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client.force_login(users.command)
    every_grid = _map(client)["grids"]  # a street: drawn grid by grid, every figure sent
    assert set(every_grid) == {city.grids[k].code for k in ("a1_west", "a1_east", "a2")}

    monkeypatch.setattr(screen_views, "COMMUNITY_MAP_ABOVE", 2)
    closed = _map(client)
    assert closed["grids"] == {} and closed["grids_under"] == ""
    community = city.grids["a1_west"].code[:12]
    assert closed["communities"][community]["open"] == 2

    opened = _map(client, f"&map_grids={community}")
    assert opened["grids_under"] == community
    assert opened["grids"] == {
        code: row for code, row in every_grid.items() if code.startswith(community)
    }
    assert len(opened["grids"]) == 2


@pytest.mark.parametrize("asked", ["b1", "garbage", "5201"])
def test_a_community_outside_the_jurisdiction_is_refused(
    client: Any,
    city: TestCity,
    users: RoleUsers,
    two_streets: dict[str, Case],
    monkeypatch: pytest.MonkeyPatch,
    asked: str,
) -> None:
    monkeypatch.setattr(screen_views, "COMMUNITY_MAP_ABOVE", 2)
    code = city.grids["b1"].code[:12] if asked == "b1" else asked
    client.force_login(users.command)
    response = client.get(f"{URL}?panels=map&map_grids={code}")
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]
