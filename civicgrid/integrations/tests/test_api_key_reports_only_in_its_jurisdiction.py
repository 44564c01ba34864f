"""POST /api/v1/cases/ with a key: a place outside the key's jurisdiction is refused and
nothing is kept, as Open311 refuses it; inside, the case is taken in."""

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.models import Case
from civicgrid.integrations.tests.conftest import make_key
from civicgrid.testing.cases import IN_A1_WEST, IN_B1

pytestmark = pytest.mark.django_db

CREATE_CASE = "civicgrid_cases_api_create_case"


def _report(key: Any, point: tuple[float, float]) -> Any:
    body = {"channel": "hotline", "category": "0102", "description": "占道经营",
            "lat": point[0], "lng": point[1]}  # fmt: skip
    return Client().post(
        "/api/v1/cases/", json.dumps(body), content_type="application/json", **key.headers
    )


def test_a_key_cannot_file_a_case_outside_its_jurisdiction(city: Any, secadmin: Any) -> None:
    key = make_key(secadmin, city.street_a.code, [CREATE_CASE])
    refused = _report(key, IN_B1)
    assert refused.status_code == 422
    assert "不在本 API 密钥的管辖范围内" in refused.json()["detail"]
    assert not Case.objects.exists()

    taken = _report(key, IN_A1_WEST)
    assert taken.status_code == 201
    assert Case.objects.get().grid_code.startswith(city.street_a.code)
