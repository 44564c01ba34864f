"""Bad input to the field-work API is answered 4xx with a Chinese reason, never a 500: an
oversized body is refused before it is read, too many points in one batch, a malformed month,
an inverted or too long date range."""

import json
from typing import Any

from django.test import Client

from civicgrid.fieldwork.models import Patrol
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork"


def _patrol(client: Client, users: RoleUsers) -> int:
    client.force_login(users.worker)
    response = client.post(f"{API}/patrols", "{}", content_type="application/json")
    return int(response.json()["id"])


def _points(n: int) -> list[dict[str, Any]]:
    return [{"at": "2026-05-06T09:00:00+08:00", "lat": 26.5, "lng": 106.7}] * n


def test_body_over_one_megabyte_is_413_before_reading(client: Client, users: RoleUsers) -> None:
    pk = _patrol(client, users)
    body = json.dumps({"points": _points(1)}) + " " * (1024 * 1024)
    response = client.post(f"{API}/patrols/{pk}/points", body, content_type="application/json")
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]


def test_more_than_2000_points_in_one_batch_is_422(client: Client, users: RoleUsers) -> None:
    pk = _patrol(client, users)
    body = json.dumps({"points": _points(2001)})
    response = client.post(f"{API}/patrols/{pk}/points", body, content_type="application/json")
    assert response.status_code == 422


def test_nan_coordinates_are_refused_with_their_index(client: Client, users: RoleUsers) -> None:
    pk = _patrol(client, users)
    body = '{"points": [{"at": "2026-05-06T09:00:00+08:00", "lat": NaN, "lng": 106.7}]}'
    response = client.post(f"{API}/patrols/{pk}/points", body, content_type="application/json")
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["refused"][0]["index"] == 0


def test_start_in_a_grid_not_ones_own_is_422(client: Client, users: RoleUsers, city: Any) -> None:
    client.force_login(users.worker)
    body = json.dumps({"grid_id": city.grids["b1"].pk})
    response = client.post(f"{API}/patrols", body, content_type="application/json")
    assert response.status_code == 422
    assert "网格" in response.json()["detail"]
    assert not Patrol.objects.exists()


def test_malformed_month_and_date_ranges_are_422(client: Client, users: RoleUsers) -> None:
    client.force_login(users.command)
    bad = [
        f"/compliance/{users.worker.pk}?month=2026-13",
        f"/compliance/{users.worker.pk}?month=May",
        "/flags?date_from=2026-05-10&date_to=2026-05-01",
        "/flags?date_from=2025-01-01&date_to=2026-05-01",
        "/compliance?day=2026-02-30",
    ]
    for path in bad:
        response = client.get(f"{API}{path}")
        assert response.status_code == 422, path
        assert response.json()["detail"], path


def test_huge_patrol_id_is_not_a_server_error(client: Client, users: RoleUsers) -> None:
    client.force_login(users.command)
    assert client.get(f"{API}/patrols/{2**70}").status_code in (404, 422)
    assert client.get(f"{API}/compliance/{2**70}").status_code in (404, 422)
