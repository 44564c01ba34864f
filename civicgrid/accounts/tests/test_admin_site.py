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


@pytest.fixture
def sysadmin_client(client: Any, users: RoleUsers) -> Any:
    """The system admin as the demo builds it: staff with every configuration permission,
    including (harmlessly) the auth ones — the site itself must keep accounts out of reach."""
    from django.contrib.auth.models import Permission

    sysadmin = User.objects.get(pk=users.sysadmin.pk)
    sysadmin.is_staff = True
    sysadmin.save(update_fields=["is_staff"])
    sysadmin.user_permissions.set(Permission.objects.all())
    client.force_login(sysadmin)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/user/{pk}/change/",
        "/admin/accounts/user/{pk}/delete/",
        "/admin/accounts/scope/",
        "/admin/auth/group/",
        "/admin/auth/group/add/",
    ],
)
def test_the_system_admin_cannot_reach_accounts_in_django_admin(
    sysadmin_client: Any, users: RoleUsers, url: str
) -> None:
    assert sysadmin_client.get(url.format(pk=users.cadre.pk)).status_code == 404


@pytest.mark.django_db
def test_the_system_admin_cannot_create_an_account_through_django_admin(
    sysadmin_client: Any,
) -> None:
    sysadmin_client.post(
        "/admin/accounts/user/add/",
        {"username": "sneaky", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assert not User.objects.filter(username="sneaky").exists()


@pytest.mark.django_db
def test_no_changelist_offers_bulk_delete(sysadmin_client: Any) -> None:
    from django.contrib import admin

    assert admin.site._registry, "the admin site registers models"
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = sysadmin_client.get(url)
        assert response.status_code == 200, url
        assert "delete_selected" not in response.content.decode(), url


@pytest.mark.django_db
def test_every_registered_admin_refuses_delete_even_to_a_superuser(users: RoleUsers) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password="pw-root")
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_delete_permission(request), model
        assert "delete_selected" not in model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.can_delete, (model, inline)


@pytest.mark.django_db
def test_the_delete_view_is_forbidden_and_the_row_stays(
    sysadmin_client: Any, users: RoleUsers
) -> None:
    url = f"/admin/accounts/department/{users.dept.pk}/delete/"
    assert sysadmin_client.get(url).status_code == 403
    assert sysadmin_client.post(url, {"post": "yes"}).status_code == 403
    assert type(users.dept).objects.filter(pk=users.dept.pk).exists()


@pytest.mark.django_db
def test_departments_stay_configurable_by_the_system_admin(
    sysadmin_client: Any, users: RoleUsers
) -> None:
    response = sysadmin_client.get(f"/admin/accounts/department/{users.dept.pk}/change/")
    assert response.status_code == 200
    assert "城管局" in response.content.decode()
