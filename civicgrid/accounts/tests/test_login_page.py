"""The login page: callers without an account can still follow their case."""

from typing import Any

import pytest


@pytest.mark.django_db
def test_login_page_offers_tracking_without_an_account(client: Any) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/cases/track/"' in body
    assert "事件编号和登记的联系电话" in body
