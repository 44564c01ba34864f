"""Every password an account is given goes through AUTH_PASSWORD_VALIDATORS where it is set
(accounts.services), whichever page or command sets it: the account form used to check only
the length and let ``password123`` through. Refusals read as plain Chinese on the page."""

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from civicgrid.accounts import services
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers, make_user

pytestmark = pytest.mark.django_db

MIN_LENGTH = next(
    v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)
)


@pytest.fixture
def security(users: RoleUsers) -> User:
    return make_user("security", Role.SECADMIN)


def _create(client: Client, password: str, **fields: str) -> str:
    data = {
        "username": "newworker",
        "full_name": "新网格员",
        "role": "gridworker",
        "scopes": "520102001001002",
        "password": password,
    }
    data.update(fields)
    response = client.post("/accounts/manage/new/", data)
    assert response.status_code == 200, "the account was created"
    return response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "密码过于常见,请换一个"),
        ("20260417153099", "密码不能全是数字"),
        ("Ab1", f"密码至少 {MIN_LENGTH} 位"),
        ("newworker2026", "密码与用户名过于相似"),
    ],
)
def test_the_security_admin_cannot_create_an_account_with_a_weak_password(
    client: Client, security: User, password: str, message: str
) -> None:
    client.force_login(security)
    page = _create(client, password)
    assert message in page
    assert "该变量" not in page
    assert not User.objects.filter(username="newworker").exists()
    assert not AuditEntry.objects.filter(action="account_create").exists()


def test_a_password_like_the_full_name_is_refused(client: Client, security: User) -> None:
    client.force_login(security)
    page = _create(client, "alimjan-2026", username="gw-0417", full_name="Alimjan Tursun")
    assert "密码与姓名过于相似" in page


def test_the_services_refuse_a_weak_password_whoever_calls(
    security: User, users: RoleUsers
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            by=security,
            username="newworker",
            full_name="新网格员",
            role=Role.GRID_WORKER,
            password="password123",
            scopes=["520102001001002"],
        )
    assert "password" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.user_reset_password(by=security, user=users.cadre, password="password123")
    with pytest.raises(ValidationError):
        services.user_change_own_password(user=users.cadre, password="12345678901")
    assert User.objects.get(pk=users.cadre.pk).check_password("pw-cadre")
    assert not User.objects.filter(username="newworker").exists()


def test_the_reset_page_shows_the_rule_next_to_the_password(
    client: Client, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    page = client.post(
        f"/accounts/manage/{users.cadre.pk}/password/",
        {"password": "password123", "password2": "password123", "reason": "忘记密码"},
    ).content.decode()
    assert "密码过于常见,请换一个" in page
    assert User.objects.get(pk=users.cadre.pk).check_password("pw-cadre")


def test_the_own_password_page_reads_in_plain_chinese(client: Client, users: RoleUsers) -> None:
    client.force_login(users.cadre)
    page = client.post(
        "/accounts/password/",
        {"old_password": "pw-cadre", "new_password1": "Ab1", "new_password2": "Ab1"},
    ).content.decode()
    assert f"密码至少 {MIN_LENGTH} 位" in page
    assert "This password" not in page


def test_the_break_glass_password_always_passes_the_rules(
    users: RoleUsers, monkeypatch: Any
) -> None:
    # secrets.token_urlsafe gives a password without a digit about one time in fifteen.
    draws = iter(["abcdefghijklmnop", "abcdefgh1jklmnop"])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda nbytes: next(draws))
    out = StringIO()
    call_command(
        "admin_account",
        "create",
        "--role",
        "sysadmin",
        "--username",
        "newadmin",
        "--reason",
        "新任系统管理员",
        stdout=out,
    )
    line = next(li for li in out.getvalue().splitlines() if li.startswith("临时密码:"))
    password = line.split(":", 1)[1].strip()
    assert password == "abcdefgh1jklmnop"
    user = User.objects.get(username="newadmin")
    assert user.check_password(password)
    validate_password(password, user)
