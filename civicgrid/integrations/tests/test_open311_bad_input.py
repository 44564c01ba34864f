"""Odd input to the Open311 server gets a 4xx in the spec's error format, never a 500."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-13-45T00:00:00"},
        {"end_date": "2026-02-30T25:00:00+08:00"},
        {"status": "open,pending"},
    ],
)
def test_bad_search_is_400(city: Any, params: dict[str, str]) -> None:
    response = Client().get("/open311/v2/requests.xml", params)
    assert response.status_code == 400
    assert b"<errors><error><code>400</code>" in response.content


def test_many_ids_and_odd_codes_are_fine(city: Any) -> None:
    ids = ",".join(f"X-{n}" for n in range(3000))
    assert Client().get("/open311/v2/requests.json", {"service_request_id": ids}).json() == []
    response = Client().get("/open311/v2/services/%E2%80%A8.json")
    assert response.status_code == 404


@pytest.mark.parametrize("lat", ["nan", "inf", "-1e999", "北纬26"])
def test_bad_coordinates_are_400(open311_key: Any, lat: str) -> None:
    form = {"api_key": open311_key.raw, "service_code": "0102", "lat": lat, "long": "106.7"}
    response = Client().post("/open311/v2/requests.json", form)
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_out_of_range_coordinates_are_400(open311_key: Any) -> None:
    form = {"api_key": open311_key.raw, "service_code": "0102", "lat": "91", "long": "106.7"}
    response = Client().post("/open311/v2/requests.json", form)
    assert response.status_code == 400
    assert "纬度" in response.json()[0]["description"]


def test_other_methods_are_400(city: Any) -> None:
    response = Client().put("/open311/v2/requests.json")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_a_description_too_long_is_400_not_cut(open311_key: Any) -> None:
    from civicgrid.testing.cases import IN_A1_WEST

    form = {"api_key": open311_key.raw, "service_code": "0102", "description": "长" * 2001,
            "lat": str(IN_A1_WEST[0]), "long": str(IN_A1_WEST[1])}  # fmt: skip
    response = Client().post("/open311/v2/requests.json", form)
    assert response.status_code == 400
    assert "2000" in response.json()[0]["description"]
    assert not Case.objects.exists()
    form["description"] = "长" * 2000
    assert Client().post("/open311/v2/requests.json", form).status_code == 200
    assert len(Case.objects.get().description) == 2000
