"""A resident without GPS (or on a site without map tiles) submits by choosing their grid: the
case lands in that grid, for its community's desk, with no invented position."""

from typing import Any

from django.test import Client

from civicgrid.cases.models import Case
from civicgrid.testing.cases import case_category


def test_resident_without_position_submits_by_choosing_the_grid(city: Any, users: Any) -> None:
    client = Client()
    client.force_login(users.resident)
    grid = city.grids["a1_east"]
    form = client.get(f"/cases/submit/?community={city.comm_a1.code}&grid={grid.code}")
    assert f'value="{grid.code}" selected' in form.content.decode()
    response = client.post(
        f"/cases/submit/?community={city.comm_a1.code}",
        {
            "category": case_category("0102").pk,
            "description": "楼下垃圾没人清运",
            "address": "3 栋门口",
            "grid": grid.code,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.grid_id, case.grid_code) == (grid.pk, grid.code)
    assert case.number.startswith(city.comm_a1.code)
    assert (case.lat, case.lng, case.address) == (None, None, "3 栋门口")


def test_neither_position_nor_grid_is_still_refused(city: Any, users: Any) -> None:
    client = Client()
    client.force_login(users.resident)
    response = client.post(
        "/cases/submit/",
        {"category": case_category("0102").pk, "description": "垃圾", "grid": "520102001999"},
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
