"""An account whose password came from someone else changes it before anything else, Django
admin included."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from civicgrid.accounts import services
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.testing.users import RoleUsers, make_user


@pytest.mark.django_db
def test_an_account_created_by_the_security_admin_must_change_its_password(
    users: RoleUsers, city: Any
) -> None:
    security = make_user("security", Role.SECADMIN)
    created = services.user_create(
        by=security,
        username="newcadre",
        full_name="新干部",
        role=Role.CADRE,
        password="a-long-password-1",
        scopes=[city.comm_a1.code],
    )
    assert User.objects.get(pk=created.pk).must_change_password


@pytest.mark.django_db
def test_a_new_system_admin_reaches_django_admin_only_after_changing_the_password(
    client: Any, users: RoleUsers
) -> None:
    out = StringIO()
    call_command(
        "admin_account",
        "create",
        "--role",
        "sysadmin",
        "--username",
        "newadmin",
        "--reason",
        "新任",
        stdout=out,
    )
    password = next(
        li.split(":", 1)[1].strip() for li in out.getvalue().splitlines() if "临时密码" in li
    )
    response = client.post("/accounts/login/", {"username": "newadmin", "password": password})
    assert response["Location"] == "/accounts/password/"
    for path in ("/admin/", "/admin/core/workcalendarday/", "/accounts/audit/"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked["Location"] == "/accounts/password/", path
    client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "My-new-admin-pass-2026",
            "new_password2": "My-new-admin-pass-2026",
        },
    )
    assert client.get("/admin/").status_code == 200
