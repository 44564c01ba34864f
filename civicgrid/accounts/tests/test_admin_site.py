"""Django admin belongs to the system administrator alone (三权分立)."""

from typing import Any

import pytest

from civicgrid.accounts.models import User
from civicgrid.testing.users import RoleUsers

ROLES = ["sysadmin", "auditor", "command", "cadre", "worker", "department", "resident"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_system_admin_enters_django_admin(
    client: Any, users: RoleUsers, role: str
) -> None:
    # Even flagged as staff, no other role gets in.
    User.objects.update(is_staff=True)
    client.force_login(User.objects.get(pk=getattr(users, role).pk))
    response = client.get("/admin/")
    assert response.status_code == (200 if role == "sysadmin" else 302)


@pytest.mark.django_db
def test_the_security_admin_is_kept_out_of_django_admin(client: Any, users: RoleUsers) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.testing.users import make_user

    security = make_user("security", Role.SECADMIN)
    User.objects.filter(pk=security.pk).update(is_staff=True)
    client.force_login(User.objects.get(pk=security.pk))
    assert client.get("/admin/").status_code == 302
