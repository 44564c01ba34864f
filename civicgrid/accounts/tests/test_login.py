from typing import Any

import pytest
from django.test import Client

from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_login_page_and_errors_are_in_chinese(client: Any, users: RoleUsers) -> None:
    assert "用户名" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": "worker", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_login_then_logout(client: Any, users: RoleUsers) -> None:
    response = client.post("/accounts/login/", {"username": "worker", "password": "pw-worker"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_logout_confirms_on_a_page_of_its_own(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    assert "已退出登录" in response.content.decode()
    assert client.get("/").status_code == 302
    # Signing out without a session is harmless and answers the same.
    assert Client().post("/accounts/logout/").status_code == 200
