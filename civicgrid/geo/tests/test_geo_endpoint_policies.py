"""Every geo page and API operation declares who may reach it (docs/architecture.md "One way
in"): the map is read by the roles in MAP_READERS only, grids in the URL are objects (outsider
404), and only the command centre and the system administrator adjust grids. Before, any
signed-in user (a department handler, a resident) opened the map pages."""

from typing import Any

import pytest
from django.urls import URLPattern

from civicgrid.accounts.choices import GRID_MAP_ROLES, MAP_READERS, Role
from civicgrid.core.policy import LIST, NONE, OBJECT, declared_policy
from civicgrid.dashboard.views import home
from civicgrid.geo import urls as geo_urls
from civicgrid.geo.api import router
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

ADJUSTERS = frozenset({Role.COMMAND, Role.SYSADMIN})
EXPECTED = {
    # Department staff open the map for the grids of the teams they belong to (outlines only).
    "map": (GRID_MAP_ROLES, NONE),
    # The offline base layer: street and community boundaries, public like any official map.
    "basemap": (frozenset(), NONE),
    "regions": (MAP_READERS, LIST),
    "grid_detail": (MAP_READERS, OBJECT),
    "grid_split": (ADJUSTERS, OBJECT),
    "grid_merge": (ADJUSTERS, OBJECT),
}


def test_every_geo_page_declares_its_policy() -> None:
    patterns = [p for p in geo_urls.urlpatterns if isinstance(p, URLPattern)]
    assert {p.name for p in patterns} == set(EXPECTED)
    for pattern in patterns:
        declared = declared_policy(pattern.callback)
        assert declared is not None, pattern.name
        if pattern.name == "basemap":
            assert declared.public
            continue
        roles, scope = EXPECTED[str(pattern.name)]
        assert declared.roles == frozenset(str(r) for r in roles), pattern.name
        assert declared.scope == scope, pattern.name


def test_every_geo_operation_declares_its_policy() -> None:
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            policies = [getattr(cb, "policy", None) for cb in operation.auth_callbacks]
            assert any(policies), path
            declared = next(p for p in policies if p)
            expected = ADJUSTERS if "grids/" in path and path != "/grids.geojson" else MAP_READERS
            if path == "/grids.geojson":
                expected = GRID_MAP_ROLES
            assert declared.roles == frozenset(str(r) for r in expected), path


def test_workbench_declares_a_policy() -> None:
    declared = declared_policy(home)
    assert declared is not None and declared.scope == LIST and not declared.public


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["department", "resident"])
@pytest.mark.parametrize("url", ["/geo/regions/", "/api/v1/geo/coverage.geojson"])
def test_roles_that_read_no_map_are_refused(
    client: Any, users: RoleUsers, who: str, url: str
) -> None:
    client.force_login(getattr(users, who))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/geo/map/", "/api/v1/geo/grids.geojson"])
def test_residents_get_no_grid_map(client: Any, users: RoleUsers, url: str) -> None:
    client.force_login(users.resident)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_department_outside_every_team_sees_no_grid(client: Any, users: RoleUsers) -> None:
    client.force_login(users.department)
    assert client.get("/api/v1/geo/grids.geojson").json()["features"] == []


@pytest.mark.django_db
def test_grid_page_of_another_street_is_not_found(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/geo/grids/{city.grids['a1_west'].pk}/").status_code == 404


@pytest.mark.django_db
def test_auditor_reads_the_map_but_adjusts_nothing(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.auditor)
    pk = city.grids["a1_west"].pk
    assert client.get("/geo/map/").status_code == 200
    assert client.get(f"/geo/grids/{pk}/").status_code == 200
    assert client.post(f"/geo/grids/{pk}/split/", {"cutter": "{}"}).status_code == 403
    api = client.post(f"/api/v1/geo/grids/{pk}/split", {}, content_type="application/json")
    assert api.status_code == 403


@pytest.mark.django_db
def test_anonymous_api_callers_get_401_and_pages_the_login(client: Any, city: TestCity) -> None:
    assert client.get("/api/v1/geo/grids.geojson").status_code == 401
    response = client.get("/geo/map/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
