"""A key reaches only the operations given to it, whatever its role would allow."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.integrations.tests.conftest import make_key

pytestmark = pytest.mark.django_db


def test_operation_not_given_to_the_key_is_403(hotline_key: Any) -> None:
    # The service identity's role reads categories, but the key was not given that operation.
    response = Client().get("/api/v1/cases/categories", **hotline_key.headers)
    assert response.status_code == 403
    assert response.json()["detail"] == "该 API 密钥无权调用此接口"


def test_key_without_the_hotline_operation_cannot_push_orders(city: Any, secadmin: Any) -> None:
    key = make_key(secadmin, city.street_a.code, ["civicgrid_cases_api_list_cases"])
    response = Client().post(
        "/api/v1/integrations/hotline/orders", data="{}", content_type="application/json",
        **key.headers,
    )  # fmt: skip
    assert response.status_code == 403


def test_a_signed_in_person_cannot_push_orders(users: Any) -> None:
    client = Client()
    client.force_login(users.command)
    response = client.post(
        "/api/v1/integrations/hotline/orders",
        data={
            "order_no": "X1",
            "received_at": "2026-11-23T10:00:00+08:00",
            "content": "路灯不亮",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
