"""The API's own refusals (not signed in, a body that is not JSON, a missing CSRF token, a
method the address does not take) answer in Chinese JSON like every other error, not with
ninja's English words or an HTML page."""

import pytest
from django.test import Client

from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_not_signed_in() -> None:
    answer = Client().get("/api/v1/cases/")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "未登录,或 API 密钥缺失"}


def test_a_body_that_is_not_json(users: RoleUsers) -> None:
    client = Client()
    client.force_login(users.worker)
    answer = client.post("/api/v1/cases/", "{channel: 1", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请求体不是有效的 JSON,无法解析"}


def test_a_session_post_without_the_csrf_token(users: RoleUsers) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.worker)
    answer = client.post("/api/v1/cases/", "{}", content_type="application/json")
    assert answer.status_code == 403
    assert "CSRF 校验失败" in answer.json()["detail"]


def test_a_method_the_address_does_not_take(users: RoleUsers) -> None:
    client = Client()
    client.force_login(users.worker)
    answer = client.delete("/api/v1/cases/")
    assert answer.status_code == 405
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "该接口不支持此请求方法,可用:GET、POST"}
    assert answer["Allow"] == "GET, POST"
