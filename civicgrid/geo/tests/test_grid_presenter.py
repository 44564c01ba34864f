"""The map, the grid card and the API read a grid through geo.presenters (rule 7): plain data,
the same fields everywhere."""

import json
from typing import Any

import pytest

from civicgrid.geo.models import Grid
from civicgrid.geo.presenters import grid_feature, worker_contacts
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_the_map_and_the_api_show_the_same_grid_fields(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = Grid.objects.select_related("community").get(pk=city.grids["a1_west"].pk)
    client.force_login(users.worker)
    [feature] = client.get("/api/v1/geo/grids.geojson").json()["features"]
    assert feature == json.loads(json.dumps(grid_feature(grid)))
    assert set(feature["properties"]) == {
        "id", "code", "name", "kind", "kind_label", "community_code", "community", "area_m2",
        "valid_from",
    }  # fmt: skip


@pytest.mark.django_db
def test_grid_card_names_its_workers_with_their_work_phone(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    users.worker.phone = "0851-12345678"
    users.worker.save()
    assert worker_contacts([users.worker]) == [{"name": "worker", "phone": "0851-12345678"}]
    client.force_login(users.cadre)
    body = client.get(f"/geo/grids/{city.grids['a1_west'].pk}/", HTTP_HX_REQUEST="true")
    assert "worker · 0851-12345678" in body.content.decode()
