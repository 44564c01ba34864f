from typing import Any

from django.test import Client

from civicgrid.participation.api import LOCATE_LIMIT
from civicgrid.testing.cases import IN_A1_EAST, OUTSIDE


def test_locate_finds_the_community_and_grid(city: Any) -> None:
    found = Client().get(
        "/api/v1/participation/locate", {"lat": str(IN_A1_EAST[0]), "lng": str(IN_A1_EAST[1])}
    )
    data = found.json()
    assert data["found"] and data["community"]["code"] == city.comm_a1.code
    assert data["grid"]["code"] == city.grids["a1_east"].code
    assert data["url"] == f"/community/{city.comm_a1.code}/?grid={city.grids['a1_east'].code}"
    away = Client().get(
        "/api/v1/participation/locate", {"lat": str(OUTSIDE[0]), "lng": str(OUTSIDE[1])}
    )
    assert away.json()["found"] is False


def test_public_locate_is_rate_limited_per_client(city: Any) -> None:
    client = Client()
    point = {"lat": str(IN_A1_EAST[0]), "lng": str(IN_A1_EAST[1])}
    answers = [
        client.get("/api/v1/participation/locate", point).status_code
        for _ in range(LOCATE_LIMIT + 1)
    ]
    assert answers[:-1] == [200] * LOCATE_LIMIT
    assert answers[-1] == 429
    assert "频繁" in client.get("/api/v1/participation/locate", point).json()["detail"]
