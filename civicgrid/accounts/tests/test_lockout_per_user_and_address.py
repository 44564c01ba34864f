"""Wrong passwords lock one account from one address, never the colleagues sharing the address
(a street office behind one NAT)."""

from typing import Any

import pytest
from django.test import override_settings

from civicgrid.testing.users import RoleUsers


def login(client: Any, username: str, password: str, ip: str) -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_that_user_on_that_address_only(
    client: Any, users: RoleUsers
) -> None:
    office = "203.0.113.7"
    for _ in range(5):
        login(client, "worker", "wrong", office)
    locked = login(client, "worker", "pw-worker", office)
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    # A colleague in the same office signs in normally.
    assert login(client, "cadre", "pw-cadre", office).status_code == 302
    # The same user from another address is not locked either.
    client.logout()
    assert login(client, "worker", "pw-worker", "198.51.100.9").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_forged_forwarded_header_does_not_escape_the_lockout(
    client: Any, users: RoleUsers
) -> None:
    # Without a configured proxy, X-Forwarded-For is the client's own text: rotating it must
    # not give five fresh attempts each time.
    for i in range(5):
        client.post(
            "/accounts/login/",
            {"username": "worker", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "worker", "password": "pw-worker"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="10.9.9.9",
    )
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_successful_sign_in_forgives_earlier_typos(client: Any, users: RoleUsers) -> None:
    office = "203.0.113.7"
    for _ in range(4):
        login(client, "worker", "wrong", office)
    assert login(client, "worker", "pw-worker", office).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "worker", "wrong", office)
    assert login(client, "worker", "pw-worker", office).status_code == 302
