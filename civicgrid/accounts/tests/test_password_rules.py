"""Password rules (等保 2.0 level 3): letters and digits, not like the user name, not common;
an expiry when configured; idle sessions end sooner for office staff than for grid workers."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("onlyletters", "字母和数字"),
        ("1234567890123", "数字"),
        ("password123", "常见"),
        ("Ab1", "8"),
    ],
)
def test_weak_passwords_are_refused(password: str, message: str, users: RoleUsers) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, users.cadre)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_password_like_the_user_name_is_refused(users: RoleUsers) -> None:
    with pytest.raises(ValidationError):
        validate_password(users.cadre.username + "2026", users.cadre)


def test_a_good_password_passes(users: RoleUsers) -> None:
    validate_password("Qiao-lu-7391", users.cadre)


def test_the_password_page_explains_the_rule(client: Client, users: RoleUsers) -> None:
    client.force_login(users.cadre)
    page = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-cadre",
            "new_password1": "guizhouqiaolu",
            "new_password2": "guizhouqiaolu",
        },
    )
    assert "字母和数字" in page.content.decode()


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed(client: Client, users: RoleUsers) -> None:
    type(users.cadre).objects.filter(pk=users.cadre.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client.force_login(users.cadre)
    page = client.get("/registry/")
    assert page.status_code == 302 and page["Location"] == "/accounts/password/"
    answer = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-cadre",
            "new_password1": "Qiao-lu-7391",
            "new_password2": "Qiao-lu-7391",
        },
    )
    assert answer.status_code == 302
    assert client.get("/registry/").status_code == 200


def test_no_expiry_by_default(client: Client, users: RoleUsers) -> None:
    type(users.cadre).objects.filter(pk=users.cadre.pk).update(
        password_changed_at=timezone.now() - timedelta(days=900)
    )
    client.force_login(users.cadre)
    assert client.get("/registry/").status_code == 200


def _expiry(client: Client, user: Any, path: str) -> int:
    client.force_login(user)
    client.get(path)
    return client.session.get_expiry_age()


@override_settings(STAFF_IDLE_MINUTES=30, FIELD_IDLE_MINUTES=480, SESSION_COOKIE_AGE=8 * 3600)
def test_idle_limits_by_role(users: RoleUsers) -> None:
    assert _expiry(Client(), users.cadre, "/registry/") == 30 * 60
    assert _expiry(Client(), users.worker, "/fieldwork/visits/") == 480 * 60
    assert _expiry(Client(), users.resident, "/cases/mine/") == 8 * 3600
