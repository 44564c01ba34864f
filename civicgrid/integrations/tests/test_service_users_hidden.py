"""A key's service user is not a person: the security administrator's account pages neither
list nor open it (so it cannot be enabled or given a password)."""

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_service_user_is_not_an_account(client: Client, hotline_key: Any, secadmin: Any) -> None:
    service = hotline_key.row.service_user
    client.force_login(secadmin)
    assert service.username not in client.get("/accounts/manage/").content.decode()
    assert client.get(f"/accounts/manage/{service.pk}/edit/").status_code == 404
    assert (
        client.post(f"/accounts/manage/{service.pk}/toggle/", {"reason": "试试"}).status_code == 404
    )
