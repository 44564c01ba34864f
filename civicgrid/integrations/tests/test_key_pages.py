"""The security administrator lists, creates (key shown once) and revokes keys; each create
and revoke is audited; nobody else reaches the pages."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.core.models import AuditEntry
from civicgrid.integrations.keys import HOTLINE_ORDERS, split_key
from civicgrid.integrations.models import ApiKey
from civicgrid.testing.cases import ensure_case_seeds

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_shows_the_key_once_and_audits(secadmin: Any, city: Any) -> None:
    ensure_case_seeds()
    client = _client(secadmin)
    assert client.get("/integrations/keys/new/").status_code == 200
    response = client.post(
        "/integrations/keys/new/",
        {
            "name": "热线对接",
            "owner_system": "市12345热线平台",
            "scopes": city.street_a.code,
            "operations": [HOTLINE_ORDERS],
            "rate_per_minute": "60",
            "webhook_url": "https://hotline.example.cn/callback",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_key"]
    assert raw in response.content.decode()
    prefix, _secret = split_key(raw)  # type: ignore[misc]
    key = ApiKey.objects.get(prefix=prefix)
    assert key.created_by == secadmin
    assert key.service_user.scope_codes == [city.street_a.code]
    assert not key.service_user.is_active and not key.service_user.has_usable_password()
    assert AuditEntry.objects.filter(action="api_key_create", target_id=str(key.pk)).exists()
    # Never shown again: the list shows the prefix only.
    listing = client.get("/integrations/keys/").content.decode()
    assert f"civ_{prefix}_" in listing and raw not in listing


def test_a_region_that_does_not_exist_is_refused(secadmin: Any, city: Any) -> None:
    ensure_case_seeds()
    form = {"name": "热线对接", "owner_system": "市12345热线平台", "scopes": "999999",
            "operations": [HOTLINE_ORDERS], "rate_per_minute": "60"}  # fmt: skip
    response = _client(secadmin).post("/integrations/keys/new/", form)
    assert response.status_code == 200
    assert "以下编码不存在或已停用:999999" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoke_page(secadmin: Any, hotline_key: Any) -> None:
    client = _client(secadmin)
    url = f"/integrations/keys/{hotline_key.row.pk}/revoke/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # form error, nothing revoked
    assert ApiKey.objects.get(pk=hotline_key.row.pk).revoked_at is None
    assert client.post(url, {"reason": "对方系统下线"}).status_code == 302
    key = ApiKey.objects.get(pk=hotline_key.row.pk)
    assert key.revoked_by == secadmin and key.revoke_reason == "对方系统下线"
    assert AuditEntry.objects.filter(action="api_key_revoke", target_id=str(key.pk)).count() == 1


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "command", "worker"])
def test_only_the_security_administrator(users: Any, who: str) -> None:
    response = _client(getattr(users, who)).get("/integrations/keys/")
    assert response.status_code == 403
