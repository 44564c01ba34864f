"""Buildings as points for the offline base map: the reader's own jurisdiction, inside the box,
name or address only; a bad box is a clear 422."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.registry.models import Building
from civicgrid.testing.city import TestCity

URL = "/api/v1/registry/buildings/points"


def _building(grid: Any, address: str, lat: float, lng: float, name: str = "") -> Building:
    return Building.objects.create(
        grid=grid, grid_code=grid.code, address=address, name=name, lat=lat, lng=lng
    )


@pytest.mark.django_db
def test_points_in_the_box_and_in_jurisdiction_only(city: TestCity, users: Any) -> None:
    mine = city.grids["a1_west"]
    centre = mine.geometry["coordinates"][0][0]
    lng, lat = centre[0] + 0.001, centre[1] + 0.001
    _building(mine, "幸福路1号", lat, lng, name="<img src=x onerror=alert(1)>")
    _building(mine, "幸福路9号", lat + 1, lng)  # far outside the box
    other = city.grids["b1"]
    o = other.geometry["coordinates"][0][0]
    _building(other, "乙街道1号", o[1] + 0.001, o[0] + 0.001)
    client = Client()
    client.force_login(users.worker)
    box = f"{lng - 0.1},{lat - 0.1},{lng + 0.1},{lat + 0.1}"
    body = client.get(URL, {"bbox": box}).json()
    names = [f["properties"]["name"] for f in body["features"]]
    assert names == ["<img src=x onerror=alert(1)>"]  # JSON data; the map puts it in as text
    assert body["features"][0]["geometry"]["coordinates"] == [lng, lat]
    assert body["truncated"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d"])
def test_a_bad_box_is_a_clear_refusal(city: TestCity, users: Any, bbox: str) -> None:
    client = Client()
    client.force_login(users.worker)
    response = client.get(URL, {"bbox": bbox})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.django_db
def test_residents_get_no_buildings(city: TestCity, users: Any) -> None:
    client = Client()
    client.force_login(users.resident)
    assert client.get(URL, {"bbox": "0,0,180,90"}).status_code == 403
