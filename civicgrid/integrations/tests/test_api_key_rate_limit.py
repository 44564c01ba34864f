"""Past its rate per minute a key gets 429 with a Chinese message."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.integrations.tests.conftest import make_key

pytestmark = pytest.mark.django_db


def test_rate_limit_per_minute(city: Any, secadmin: Any) -> None:
    key = make_key(
        secadmin, city.street_a.code, ["civicgrid_cases_api_list_cases"], rate_per_minute=3
    )
    client = Client()
    codes = [client.get("/api/v1/cases/", **key.headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/cases/", **key.headers).json()["detail"] == "请求过于频繁,请稍后再试"
