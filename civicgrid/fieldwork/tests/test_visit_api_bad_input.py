"""Bad input to the visit API is a 422 with a Chinese reason, never a 500."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork/visits"
CHINESE = ("请", "不能", "未知", "不存在")


@pytest.mark.parametrize(
    "change",
    [
        {"findings": "   "},
        {"purpose": "party"},
        {"person": None},
        {"person": 10**12},
        {"visited_at": (timezone.now() + timedelta(days=2)).isoformat()},
        {"visited_at": (timezone.now() - timedelta(days=40)).isoformat()},
        {"raise_case": {"category": 10**9, "description": "x"}},
    ],
)
def test_bad_visit_is_422_in_chinese(
    client: Client, city: Any, users: RoleUsers, change: dict[str, Any]
) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    client.force_login(users.worker)
    body = {"person": person.pk, "purpose": "care", "findings": "良好", **change}
    response = client.post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and any(word in detail for word in CHINESE), detail
    assert not Visit.objects.exists()


def test_inverted_date_range_is_422(client: Client, users: RoleUsers) -> None:
    client.force_login(users.secretary)
    response = client.get(f"{API}?from=2026-03-02&to=2026-03-01")
    assert response.status_code == 422
    assert "起始日期" in response.json()["detail"]


def test_unknown_visit_is_404(client: Client, users: RoleUsers) -> None:
    client.force_login(users.secretary)
    assert client.get(f"{API}/999999").status_code == 404
