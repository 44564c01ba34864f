"""A revoked or unknown key gets 401; revoking is audited and keeps the row."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.core.models import AuditEntry
from civicgrid.integrations.keys import api_key_revoke
from civicgrid.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def test_revoked_key_is_refused(hotline_key: Any, secadmin: Any) -> None:
    assert Client().get("/api/v1/cases/", **hotline_key.headers).status_code == 200
    api_key_revoke(key=hotline_key.row, by=secadmin, reason="合同到期")
    response = Client().get("/api/v1/cases/", **hotline_key.headers)
    assert response.status_code == 401
    row = ApiKey.objects.get(pk=hotline_key.row.pk)
    assert row.revoked_at is not None and row.revoke_reason == "合同到期"
    assert AuditEntry.objects.filter(action="api_key_revoke", target_id=str(row.pk)).exists()


def test_unknown_key_is_refused(city: Any) -> None:
    for raw in ("civ_deadbeef_nope", "nonsense", "civ__"):
        response = Client().get("/api/v1/cases/", HTTP_X_API_KEY=raw)
        assert response.status_code == 401, raw
