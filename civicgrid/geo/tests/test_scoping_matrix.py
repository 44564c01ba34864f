"""Each role sees exactly its subtree on every geo page and endpoint; outsiders get 404; roles
that read no map (department handlers, residents) are refused with 403."""

from typing import Any

import pytest

from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

ALL = {"a1_west", "a1_east", "a2", "b1"}
VISIBLE_GRIDS = {
    "worker": {"a1_west"},
    "cadre": {"a1_west", "a1_east"},
    "secretary": {"a1_west", "a1_east"},
    "command": {"a1_west", "a1_east", "a2"},
    "sysadmin": ALL,
    "auditor": ALL,
    "department": set(),
    "resident": set(),
    "outsider": {"b1"},
}
# Roles outside accounts.choices.MAP_READERS: every geo page and endpoint refuses them.
NO_MAP = {"department", "resident"}
ROLES = sorted(set(VISIBLE_GRIDS) - NO_MAP)


def login(client: Any, users: RoleUsers, role: str) -> Any:
    client.force_login(getattr(users, role))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_grids_geojson_holds_exactly_the_roles_grids(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    data = login(client, users, role).get("/api/v1/geo/grids.geojson").json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes == {city.grids[k].code for k in VISIBLE_GRIDS[role]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_grid_detail_is_404_outside_the_roles_grids(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    login(client, users, role)
    for key, grid in city.grids.items():
        status = client.get(f"/geo/grids/{grid.pk}/").status_code
        assert status == (200 if key in VISIBLE_GRIDS[role] else 404), key


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_locate_finds_only_grids_in_scope(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    login(client, users, role)
    # Centre of a1_west; the same answer as for a point outside every grid when out of scope.
    lat, lng = ORIGIN_LAT + STEP / 2, ORIGIN_LNG + STEP / 2
    data = client.get(f"/api/v1/geo/locate?lat={lat}&lng={lng}").json()
    assert data["found"] is ("a1_west" in VISIBLE_GRIDS[role])
    if data["found"]:
        assert [r["code"] for r in data["regions"]][-2:] == [city.street_a.code, city.comm_a1.code]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_region_tree_shows_the_roles_grids_and_nothing_else(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    body = login(client, users, role).get("/geo/regions/").content.decode()
    for key, grid in city.grids.items():
        assert (grid.code in body) is (key in VISIBLE_GRIDS[role]), key


@pytest.mark.django_db
def test_region_tree_counts_only_what_the_cadre_may_see(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    body = login(client, users, "cadre").get("/geo/regions/").content.decode()
    assert "甲街道" in body  # the street above the community, as context
    assert "甲二社区" not in body and "乙街道" not in body
    assert body.count("2 个网格") == 4  # district, street, community… all count the same two


@pytest.mark.django_db
def test_outsider_gets_404_for_coverage_of_another_street(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    login(client, users, "outsider")
    response = client.get(f"/api/v1/geo/coverage.geojson?code={city.comm_a1.code}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_command_sees_coverage_problems_of_its_street_only(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    from civicgrid.geo.models import Grid

    Grid.objects.filter(pk__in=[city.grids["a2"].pk, city.grids["b1"].pk]).update(
        retired_on="2025-06-01"
    )
    data = login(client, users, "command").get("/api/v1/geo/coverage.geojson").json()
    assert [f["properties"]["codes"] for f in data["features"]] == [[city.comm_a2.code]]
    assert data["features"][0]["properties"]["label"] == "空隙"


@pytest.mark.django_db
def test_region_tree_counts_streets_communities_and_grids(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    from civicgrid.geo.selectors import region_tree

    [root] = region_tree(users.sysadmin)
    assert (root["total_streets"], root["total_communities"], root["total_grids"]) == (2, 3, 4)
    [root] = region_tree(users.command)
    assert (root["total_streets"], root["total_communities"], root["total_grids"]) == (1, 2, 3)


COVERAGE_OF_A1 = {"cadre", "secretary", "command", "sysadmin", "auditor"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_coverage_of_a_community_is_404_outside_the_roles_area(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    login(client, users, role)
    response = client.get(f"/api/v1/geo/coverage.geojson?code={city.comm_a1.code}")
    assert response.status_code == (200 if role in COVERAGE_OF_A1 else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(NO_MAP))
def test_roles_without_the_map_are_refused_everywhere(
    client: Any, city: TestCity, users: RoleUsers, role: str
) -> None:
    login(client, users, role)
    pk = city.grids["a1_west"].pk
    # (a department's staff open the grid map for their teams' grids: tested with the teams)
    urls = [] if role == "department" else ["/api/v1/geo/grids.geojson"]
    for url in (
        *urls,
        f"/api/v1/geo/locate?lat={ORIGIN_LAT}&lng={ORIGIN_LNG}",
        f"/api/v1/geo/coverage.geojson?code={city.comm_a1.code}",
        "/geo/regions/",
        f"/geo/grids/{pk}/",
    ):
        assert client.get(url).status_code == 403, url
