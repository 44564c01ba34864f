"""Unmasking is limited per user and hour (``UNMASK_LIMIT_PER_HOUR``, default 30): the attempt
beyond the limit is refused with a Chinese message and written to the audit trail."""

from typing import Any

import pytest
from django.test import override_settings

from civicgrid.core.models import AuditEntry
from civicgrid.registry.tests.conftest import Ledger, grant
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


def test_the_31st_unmask_in_an_hour_is_refused_and_audited(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    grant(users.worker, "unmask_pii")
    client.force_login(users.worker)
    url = f"/registry/people/{ledger.head.pk}/unmask/"
    for _ in range(30):
        assert client.post(url, {"reason": "入户核实身份"}).status_code == 200
    response = client.post(url, {"reason": "入户核实身份"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "过于频繁" in body and ledger.head.id_number not in body
    assert AuditEntry.objects.filter(action="unmask", result="ok").count() == 30
    refused = AuditEntry.objects.get(action="unmask", result="denied")
    assert refused.actor == users.worker and "过于频繁" in refused.reason


@override_settings(UNMASK_LIMIT_PER_HOUR=2)
def test_the_limit_is_a_setting_and_applies_to_the_api(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    grant(users.worker, "unmask_pii")
    client.force_login(users.worker)
    url = f"{API}/persons/{ledger.head.pk}/unmask"
    for _ in range(2):
        response = client.post(url, {"reason": "入户核实身份"}, content_type="application/json")
        assert response.status_code == 200
    response = client.post(url, {"reason": "入户核实身份"}, content_type="application/json")
    assert response.status_code == 429
    assert "过于频繁" in response.json()["detail"]
    assert AuditEntry.objects.filter(action="unmask", result="denied").count() == 1
    # Another user has their own allowance.
    grant(users.cadre, "unmask_pii")
    client.force_login(users.cadre)
    response = client.post(url, {"reason": "入户核实身份"}, content_type="application/json")
    assert response.status_code == 200
