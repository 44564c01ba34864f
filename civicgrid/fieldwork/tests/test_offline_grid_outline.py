"""The worker's own grid outline for the offline maps: ``/fieldwork/my-grid.geojson`` gives a
grid worker their current grid(s) only, is listed in the service worker's precached data and
answered by it network-first; other roles are refused; the patrol and report pages carry the
map that draws it."""

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.fieldwork import offline_views
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
URL = "/fieldwork/my-grid.geojson"


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_worker_gets_their_own_grid_only(users: RoleUsers, city: Any) -> None:
    response = _signed_in(users.worker).get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    [feature] = data["features"]
    grid = city.grids["a1_west"]
    assert feature["properties"] == {"code": grid.code, "name": grid.name}
    assert feature["geometry"] == json.loads(json.dumps(grid.geometry))
    other = json.loads(_signed_in(users.outsider).get(URL).content)
    assert [f["properties"]["code"] for f in other["features"]] == [city.grids["b1"].code]


def test_other_roles_and_strangers_are_refused(users: RoleUsers) -> None:
    assert Client().get(URL).status_code in (302, 401, 403)
    assert _signed_in(users.secretary).get(URL).status_code == 403
    assert _signed_in(users.resident).get(URL).status_code == 403


def test_the_service_worker_precaches_and_refreshes_the_outline() -> None:
    shell = offline_views.shell()
    assert shell["data"] == [URL]
    assert "/static/js/fieldwork_gridmap.js" in shell["assets"]
    body = Client().get("/fieldwork/sw.js").content.decode()
    # Answered network-first, the good answer kept for offline use.
    assert "DATA.has(url.pathname)" in body and "event.respondWith(data(request))" in body


@pytest.mark.parametrize("page", ["/fieldwork/patrol/", "/fieldwork/report/"])
def test_the_field_pages_carry_the_grid_map(users: RoleUsers, page: str) -> None:
    html = _signed_in(users.worker).get(page).content.decode()
    assert 'id="grid-map"' in html and f'data-grid-url="{URL}"' in html
    assert "/static/js/fieldwork_gridmap.js" in html
