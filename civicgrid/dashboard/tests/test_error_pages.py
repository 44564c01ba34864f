"""Refusals and missing pages are explained in Chinese, never Django's English defaults."""

from typing import Any

import pytest


@pytest.mark.django_db
def test_missing_page_is_explained_in_chinese(client: Any, users: Any) -> None:
    client.force_login(users.worker)
    response = client.get("/registry/people/999999999/")
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.content.decode()


@pytest.mark.django_db
def test_refused_role_is_explained_in_chinese(client: Any, users: Any) -> None:
    client.force_login(users.auditor)
    response = client.get("/registry/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
