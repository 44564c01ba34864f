"""The demo builder makes keys (one revoked), hotline orders and public Open311 requests."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.dashboard.demo import build_accounts
from civicgrid.geo.demo import build_geo
from civicgrid.integrations.demo import build_integrations
from civicgrid.integrations.models import ApiKey, HotlineOrder, HotlineOrderUpdate
from civicgrid.testing.cases import ensure_case_seeds

pytestmark = pytest.mark.django_db


def test_demo_builder(db: Any) -> None:
    ensure_case_seeds()
    city = build_geo(size_name="small")
    build_accounts(city)
    assert build_integrations(city) == {"keys": 3, "orders": 4, "open311": 2}
    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 1
    assert HotlineOrder.objects.count() == 4
    assert any("urge" in u.changed for u in HotlineOrderUpdate.objects.all())
    assert len(Client().get("/open311/v2/requests.json").json()) == 2
    # A second run adds nothing.
    assert build_integrations(city) == {}
