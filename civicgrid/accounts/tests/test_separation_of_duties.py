"""三权分立 in the services: whoever calls, the web-side account services refuse to create or
change the three administrators or to give an administrator personal-data permissions."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicgrid.accounts import services
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers, make_user

UNMASK = "registry.unmask_pii"
REFUSED = "只能由服务器上的应急命令"


@pytest.fixture
def security(users: RoleUsers) -> User:
    return make_user("security", Role.SECADMIN)


def update(by: User, user: User, **changes: Any) -> list[str]:
    fields: dict[str, Any] = {
        "full_name": user.full_name,
        "role": user.role,
        "scopes": list(user.scope_codes),
        "department": user.department,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        "permissions": [],
    }
    fields.update(changes)
    return services.user_update(by=by, user=user, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_creating_an_administrator_is_refused(security: User, role: str, city: Any) -> None:
    with pytest.raises(ValidationError, match=REFUSED):
        services.user_create(
            by=security,
            username="grab",
            full_name="某",
            role=role,
            password="a-long-password-1",
            scopes=[city.city.code] if role != "secadmin" else [],
        )
    assert not User.objects.filter(username="grab").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["sysadmin", "auditor"])
def test_changing_an_administrator_is_refused(
    security: User, users: RoleUsers, target: str
) -> None:
    account = getattr(users, target)
    with pytest.raises(ValidationError, match=REFUSED):
        update(security, account, full_name="改名")
    with pytest.raises(ValidationError, match=REFUSED):
        services.user_reset_password(by=security, user=account, password="Temp-pass-2026")
    with pytest.raises(ValidationError, match=REFUSED):
        services.user_set_active(by=security, user=account, active=False, reason="x")
    with pytest.raises(ValidationError, match=REFUSED):
        services.user_unlock(by=security, user=account)
    account.refresh_from_db()
    assert account.full_name == target and account.is_active
    assert account.check_password(f"pw-{target}")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_security_admin_cannot_change_or_reset_itself(security: User) -> None:
    with pytest.raises(ValidationError, match=REFUSED):
        update(security, security, permissions=[UNMASK])
    with pytest.raises(ValidationError, match=REFUSED):
        services.user_reset_password(by=security, user=security, password="Temp-pass-2026")
    assert not User.objects.get(pk=security.pk).has_perm(UNMASK)


@pytest.mark.django_db
def test_promoting_a_working_role_to_administrator_is_refused(
    security: User, users: RoleUsers
) -> None:
    with pytest.raises(ValidationError, match=REFUSED):
        update(security, users.command, role=Role.SYSADMIN)
    command = User.objects.get(pk=users.command.pk)
    assert command.role == Role.COMMAND and not command.is_staff


@pytest.mark.django_db
def test_personal_data_permissions_need_a_role_working_a_jurisdiction(
    security: User, users: RoleUsers
) -> None:
    with pytest.raises(ValidationError, match="不能被授予敏感数据权限"):
        update(security, users.department, permissions=[UNMASK])
    with pytest.raises(ValidationError, match="不能被授予敏感数据权限"):
        services.user_create(
            by=security,
            username="res2",
            full_name="居民",
            role=Role.RESIDENT,
            password="a-long-password-1",
            scopes=[],
            permissions=[UNMASK],
        )
    assert not User.objects.get(pk=users.department.pk).has_perm(UNMASK)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "auditor", "command", "worker"])
def test_only_the_security_admin_calls_the_account_services(users: RoleUsers, role: str) -> None:
    with pytest.raises(PermissionDenied):
        update(getattr(users, role), users.cadre, full_name="改名")
    assert User.objects.get(pk=users.cadre.pk).full_name == "cadre"


@pytest.mark.django_db
def test_scopes_are_checked_in_the_service_too(security: User, users: RoleUsers) -> None:
    community = users.cadre.scope_codes[0]
    with pytest.raises(ValidationError, match="网格员只能分配到网格"):
        update(security, users.worker, scopes=[community])


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["edit", "password"])
@pytest.mark.parametrize("target", ["sysadmin", "auditor"])
def test_administrator_pages_answer_403_to_the_security_admin(
    client: Any, security: User, users: RoleUsers, page: str, target: str
) -> None:
    client.force_login(security)
    assert client.get(f"/accounts/manage/{getattr(users, target).pk}/{page}/").status_code == 403


@pytest.mark.django_db
def test_the_account_form_offers_working_roles_only(client: Any, security: User) -> None:
    client.force_login(security)
    body = client.get("/accounts/manage/new/").content.decode()
    assert 'value="gridworker"' in body
    for role in ("sysadmin", "secadmin", "auditor"):
        assert f'value="{role}"' not in body
